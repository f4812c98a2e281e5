#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/netsock.h"
#include "util/readfile.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * "  0: 0100007F:2405 00000000:0000 0A 00000000:00000000 00:00000000
 *  00000000     0        0 123456 1 ..." : local address as 32-bit words in
 * host order (little endian here), port in hex, state 0A = LISTEN.
 */
static bool
parse_row(const char *p, const char *end, bool v6, struct listen_sock *s)
{
	const char	*q;
	size_t		 alen = v6 ? 32 : 8, i;
	int		 field;

	while (p < end && *p == ' ')
		p++;
	q = memchr(p, ':', (size_t)(end - p));
	if (q == NULL)
		return false;
	p = q + 1;
	while (p < end && *p == ' ')
		p++;
	if ((size_t)(end - p) < alen + 5 || p[alen] != ':')
		return false;
	memset(s, 0, sizeof *s);
	s->v6 = v6;
	for (i = 0; i < alen / 8; i++) {
		uint32_t	w = 0;
		size_t		j;

		for (j = 0; j < 8; j++) {
			int	h = hexval(p[i * 8 + j]);

			if (h < 0)
				return false;
			w = w << 4 | (uint32_t)h;
		}
		/* the kernel prints each 32-bit word in host byte order */
		memcpy(&s->addr[i * 4], &w, 4);
	}
	p += alen + 1;
	s->port = 0;
	for (i = 0; i < 4; i++) {
		int	h = hexval(p[i]);

		if (h < 0)
			return false;
		s->port = (uint16_t)(s->port << 4 | (unsigned)h);
	}
	p += 4;
	/* rem_address, then st */
	while (p < end && *p == ' ')
		p++;
	while (p < end && *p != ' ')
		p++;
	while (p < end && *p == ' ')
		p++;
	if (end - p < 2 || !(p[0] == '0' && (p[1] == 'A' || p[1] == 'a')))
		return false;
	/* tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode */
	for (field = 0; field < 6 && p < end; field++) {
		while (p < end && *p != ' ')
			p++;
		while (p < end && *p == ' ')
			p++;
	}
	/* the row may be the last bytes of an unterminated buffer */
	s->inode = 0;
	for (i = 0; p < end && *p >= '0' && *p <= '9' && i < 20; p++, i++)
		s->inode = s->inode * 10 + (uint64_t)(*p - '0');
	return i > 0 && s->inode != 0;
}

size_t
netsock_parse(const char *buf, size_t len, bool v6, struct listen_sock *out,
    size_t n, size_t max)
{
	const char	*p = buf, *end = buf + len;
	bool		 header = true;

	while (p < end && n < max) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));

		if (nl == NULL)
			nl = end;
		if (!header && parse_row(p, nl, v6, &out[n]))
			n++;
		header = false;
		p = nl + 1;
	}
	return n;
}

bool
netsock_local(const struct listen_sock *s)
{
	static const uint8_t	zero[16], lo6[16] = { [15] = 1 };

	if (!s->v6)
		return s->addr[0] == 127 || memcmp(s->addr, zero, 4) == 0;
	return memcmp(s->addr, zero, 16) == 0 || memcmp(s->addr, lo6, 16) == 0;
}

int
netsock_listening(const char *proc_root, int pid, struct listen_sock *out,
    size_t max)
{
	struct listen_sock	 all[256];
	size_t			 n = 0, i, k = 0;
	char			 path[4200], link[128];
	struct buf		 b;
	DIR			*d;
	struct dirent		*de;
	int			 rc;

	buf_init(&b);
	snprintf(path, sizeof path, "%s/%d/net/tcp", proc_root, pid);
	rc = read_file(path, &b, 1 << 22);
	if (rc != 0) {
		buf_done(&b);
		return rc;
	}
	n = netsock_parse(b.data, b.len, false, all, n, 256);
	snprintf(path, sizeof path, "%s/%d/net/tcp6", proc_root, pid);
	if (read_file(path, &b, 1 << 22) == 0)
		n = netsock_parse(b.data, b.len, true, all, n, 256);
	buf_done(&b);
	snprintf(path, sizeof path, "%s/%d/fd", proc_root, pid);
	if ((d = opendir(path)) == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL && k < max) {
		char		 fdp[4600];
		ssize_t		 l;
		uint64_t	 ino;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fdp, sizeof fdp, "%s/%s", path, de->d_name);
		l = readlink(fdp, link, sizeof link - 1);
		if (l <= 0)
			continue;
		link[l] = '\0';
		if (sscanf(link, "socket:[%lu]", (unsigned long *)&ino) != 1)
			continue;
		for (i = 0; i < n && k < max; i++) {
			if (all[i].inode == ino)
				out[k++] = all[i];
		}
	}
	closedir(d);
	return (int)k;
}
