#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/netsock.h"
#include "util/xmalloc.h"

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
bool
netsock_parse_row(const char *p, const char *end, bool v6,
    struct listen_sock *s)
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

void
netsock_set_init(struct listen_set *s)
{
	memset(s, 0, sizeof *s);
}

void
netsock_set_done(struct listen_set *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

static void
set_add(struct listen_set *s, const struct listen_sock *l)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n++] = *l;
}

const struct listen_sock *
netsock_find(const struct listen_set *s, uint64_t inode)
{
	size_t	i;

	for (i = 0; i < s->n; i++) {
		if (s->v[i].inode == inode)
			return &s->v[i];
	}
	return NULL;
}

size_t
netsock_parse(const char *buf, size_t len, bool v6, struct listen_set *out)
{
	const char		*p = buf, *end = buf + len;
	bool			 header = true;
	size_t			 n = 0;
	struct listen_sock	 s;

	while (p < end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));

		if (nl == NULL)
			nl = end;
		if (!header && netsock_parse_row(p, nl, v6, &s)) {
			set_add(out, &s);
			n++;
		}
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

static bool
wildcard(const struct listen_sock *s)
{
	static const uint8_t	zero[16];

	return memcmp(s->addr, zero, s->v6 ? 16 : 4) == 0;
}

const char *
netsock_host(const struct listen_sock *s, char *buf, size_t len)
{
	char	a[INET6_ADDRSTRLEN];

	if (wildcard(s))
		snprintf(buf, len, "%s", s->v6 ? "[::1]" : "127.0.0.1");
	else if (inet_ntop(s->v6 ? AF_INET6 : AF_INET, s->addr, a,
	    sizeof a) == NULL)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, s->v6 ? "[%s]" : "%s", a);
	return buf;
}

const char *
netsock_text(const struct listen_sock *s, char *buf, size_t len)
{
	char	h[INET6_ADDRSTRLEN + 2];

	if (wildcard(s))
		snprintf(buf, len, "*:%u", s->port);
	else
		snprintf(buf, len, "%s:%u", netsock_host(s, h, sizeof h),
		    s->port);
	return buf;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The inodes of the process's sockets, sorted (the caller frees *out). */
static int
socket_inodes(const char *proc_root, int pid, uint64_t **out, size_t *n)
{
	char		 path[4200], fdp[4600], link[128];
	DIR		*d;
	struct dirent	*de;
	size_t		 cap = 0;
	unsigned long	 ino;

	*out = NULL;
	*n = 0;
	snprintf(path, sizeof path, "%s/%d/fd", proc_root, pid);
	if ((d = opendir(path)) == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		ssize_t	l;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fdp, sizeof fdp, "%s/%s", path, de->d_name);
		l = readlink(fdp, link, sizeof link - 1);
		if (l <= 0)
			continue;
		link[l] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) != 1)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		(*out)[(*n)++] = ino;
	}
	closedir(d);
	if (*n > 1)
		qsort(*out, *n, sizeof **out, cmp_u64);
	return 0;
}

/* Streams one table, keeping the LISTEN rows whose inode is the process's. */
static int
read_table(const char *path, bool v6, const uint64_t *ino, size_t nino,
    struct listen_set *out)
{
	FILE			*f = fopen(path, "re");
	char			*line = NULL;
	size_t			 cap = 0;
	ssize_t			 l;
	bool			 header = true;
	struct listen_sock	 s;

	if (f == NULL)
		return -errno;
	while ((l = getline(&line, &cap, f)) > 0) {
		if (!header && netsock_parse_row(line, line + l, v6, &s) &&
		    bsearch(&s.inode, ino, nino, sizeof *ino, cmp_u64) != NULL)
			set_add(out, &s);
		header = false;
	}
	free(line);
	fclose(f);
	return 0;
}

int
netsock_listening(const char *proc_root, int pid, struct listen_set *out)
{
	char		 path[4200];
	uint64_t	*ino;
	size_t		 nino;
	int		 rc;

	out->n = 0;
	rc = socket_inodes(proc_root, pid, &ino, &nino);
	if (rc != 0 || nino == 0)
		return rc;	/* no socket: nothing listens */
	snprintf(path, sizeof path, "%s/%d/net/tcp", proc_root, pid);
	rc = read_table(path, false, ino, nino, out);
	if (rc == 0) {
		/* tcp6 is absent when IPv6 is disabled */
		snprintf(path, sizeof path, "%s/%d/net/tcp6", proc_root, pid);
		read_table(path, true, ino, nino, out);
	}
	free(ino);
	return rc != 0 ? rc : (int)out->n;
}
