#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/cgroupns.h"
#include "util/readfile.h"

int
cgroupns_v2_path(const char *buf, size_t len, char *out, size_t outlen)
{
	const char	*p = buf, *end = buf + len, *nl;
	size_t		 n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl - p >= 4 && memcmp(p, "0::/", 4) == 0) {
			n = (size_t)(nl - p - 3);
			if (n >= outlen)
				return -1;
			memcpy(out, p + 3, n);
			out[n] = '\0';
			return 0;
		}
		p = nl + 1;
	}
	return -1;
}

/* How many leading "/.." segments path has. */
static int
ups(const char *path)
{
	int	n = 0;

	while (strncmp(path, "/..", 3) == 0 && (path[3] == '/' ||
	    path[3] == '\0')) {
		path += 3;
		n++;
	}
	return n;
}

static int
depth(const char *path)
{
	int	n = 0;

	for (; *path != '\0'; path++) {
		if (*path == '/' && path[1] != '\0')
			n++;
	}
	return n;
}

int
cgroupns_resolve(char *path, size_t len, const char *base)
{
	char		 out[4096];
	const char	*seg = path, *next;
	size_t		 ol, sl;

	ol = strlen(base);
	if (ol >= sizeof out)
		return -1;
	memcpy(out, base, ol + 1);
	while (ol > 1 && out[ol - 1] == '/')
		out[--ol] = '\0';
	for (; *seg != '\0'; seg = next) {
		while (*seg == '/')
			seg++;
		next = strchr(seg, '/');
		if (next == NULL)
			next = seg + strlen(seg);
		sl = (size_t)(next - seg);
		if (sl == 0 || (sl == 1 && seg[0] == '.'))
			continue;
		if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			while (ol > 0 && out[ol - 1] != '/')
				ol--;
			if (ol > 1)
				ol--;	/* the slash, unless it is the root */
			out[ol] = '\0';
			continue;
		}
		if (ol + 1 + sl + 1 > sizeof out)
			return -1;
		if (ol != 1 || out[0] != '/')
			out[ol++] = '/';
		memcpy(out + ol, seg, sl);
		ol += sl;
		out[ol] = '\0';
	}
	if (ol == 0) {
		out[0] = '/';
		out[1] = '\0';
		ol = 1;
	}
	if (ol + 1 > len)
		return -1;
	memcpy(path, out, ol + 1);
	return 0;
}

/* Whether pid is in the cgroup.procs of dir. */
static int
lists_pid(const char *dir, int pid, struct buf *b)
{
	char		 p[4200];
	const char	*s;
	char		*end;

	snprintf(p, sizeof p, "%s/cgroup.procs", dir);
	if (read_file(p, b, 1 << 20) != 0 || b->data == NULL)
		return 0;
	for (s = b->data; s < b->data + b->len; s = end + 1) {
		long	v = strtol(s, &end, 10);

		if (end == s)
			break;
		if (v == pid)
			return 1;
	}
	return 0;
}

/* Depth-first over the directories left levels below dir. */
static int
search(char *dir, size_t cap, int left, int pid, struct buf *b)
{
	DIR		*d;
	struct dirent	*e;
	size_t		 dl = strlen(dir);
	int		 found = 0;

	if (left == 0)
		return lists_pid(dir, pid, b);
	d = opendir(dir);
	if (d == NULL)
		return 0;
	while (!found && (e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.' ||
		    dl + 1 + strlen(e->d_name) + 1 > cap)
			continue;
		dir[dl] = '/';
		strcpy(dir + dl + 1, e->d_name);
		found = search(dir, cap, left - 1, pid, b);
		if (!found)
			dir[dl] = '\0';
	}
	closedir(d);
	return found;
}

int
cgroupns_find_base(const char *v2root, const char *proc_root, int pid,
    char *base, size_t baselen, char *why, size_t whylen)
{
	struct buf	 b;
	char		 p[4200], init[4096], self[4096], dir[4096];
	size_t		 rl, sl;
	int		 n, rc = 0;

	base[0] = '\0';
	buf_init(&b);
	snprintf(p, sizeof p, "%s/1/cgroup", proc_root);
	if (read_file(p, &b, 1 << 16) != 0 ||
	    cgroupns_v2_path(b.data, b.len, init, sizeof init) != 0 ||
	    (n = ups(init)) == 0)
		goto out;	/* PID 1 below our root, or no v2: nothing to do */
	snprintf(p, sizeof p, "%s/%d/cgroup", proc_root, pid);
	if (read_file(p, &b, 1 << 16) != 0 ||
	    cgroupns_v2_path(b.data, b.len, self, sizeof self) != 0 ||
	    ups(self) != 0) {
		snprintf(why, whylen, "cgroup namespace: cannot place memtop "
		    "itself (%s)", p);
		rc = -1;
		goto out;
	}
	if (v2root == NULL || v2root[0] == '\0') {
		snprintf(why, whylen, "cgroup namespace: no cgroup2 tree to "
		    "resolve paths in (mount the host's, and give "
		    "--cgroup-root)");
		rc = -1;
		goto out;
	}
	rl = strlen(v2root);
	if (rl >= sizeof dir) {
		rc = -1;
		goto out;
	}
	memcpy(dir, v2root, rl + 1);
	if (!search(dir, sizeof dir, n + depth(self), pid, &b)) {
		snprintf(why, whylen, "cgroup namespace: memtop's own cgroup "
		    "is not under %s (is it the host's cgroup2 tree?); other "
		    "processes' cgroups are relative paths", v2root);
		rc = -1;
		goto out;
	}
	/* dir = v2root + base + self */
	sl = strcmp(self, "/") == 0 ? 0 : strlen(self);
	dir[strlen(dir) - sl] = '\0';
	snprintf(base, baselen, "%s", dir[rl] == '\0' ? "/" : dir + rl);
	rc = 1;
out:
	buf_done(&b);
	return rc;
}
