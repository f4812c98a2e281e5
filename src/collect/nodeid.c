#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "collect/nodeid.h"
#include "util/readfile.h"

/*
 * The first word of a small file into out: the characters ok() takes, up to
 * the first other one; "" if unreadable.
 */
static void
read_word(const char *path, struct buf *b, bool (*ok)(char), char *out,
    size_t len)
{
	size_t	n = 0;

	buf_reset(b);
	if (read_file(path, b, 256) == 0) {
		while (n < b->len && n + 1 < len && ok(b->data[n])) {
			out[n] = b->data[n];
			n++;
		}
	}
	out[n] = '\0';
}

static bool
is_uuid_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
}

static bool
is_name_char(char c)
{
	return c > ' ' && c <= '~';
}

/*
 * The kernel's boot id (part of a process's identity across runs), and the
 * node's name (static pods are named after it): the host's /etc/hostname
 * under host_root, else this UTS namespace's hostname.
 */
void
nodeid_read(const char *proc_root, const char *host_root, struct buf *b,
    struct snapshot *sn)
{
	char	path[4096];

	snprintf(path, sizeof path, "%s/sys/kernel/random/boot_id", proc_root);
	read_word(path, b, is_uuid_char, sn->boot_id, sizeof sn->boot_id);
	snprintf(path, sizeof path, "%s/etc/hostname", host_root);
	read_word(path, b, is_name_char, sn->node_name, sizeof sn->node_name);
	if (sn->node_name[0] == '\0' &&
	    gethostname(sn->node_name, sizeof sn->node_name) != 0)
		sn->node_name[0] = '\0';
	sn->node_name[sizeof sn->node_name - 1] = '\0';
}
