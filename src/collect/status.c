#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/procscan.h"
#include "collect/status.h"
#include "util/readfile.h"

static bool
line_is(const char *p, size_t n, const char *key, const char **val)
{
	size_t		 kl = strlen(key);
	const char	*end = p + n;

	if (n < kl || memcmp(p, key, kl) != 0)
		return false;
	p += kl;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	*val = p;
	return true;
}

/* A decimal number in [p, end) (no NUL needed); *next after it. */
static long
line_long(const char *p, const char *end, const char **next)
{
	long	v = 0;
	bool	neg = false;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v < 100000000000L)
			v = v * 10 + (*p - '0');
	}
	if (next != NULL)
		*next = p;
	return neg ? -v : v;
}

static bool
parse_hex64(const char *p, const char *end, uint64_t *out)
{
	uint64_t	v = 0;
	int		d = 0;

	for (; p < end && d <= 16; p++, d++) {
		if (*p >= '0' && *p <= '9')
			v = v << 4 | (uint64_t)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			v = v << 4 | (uint64_t)(*p - 'a' + 10);
		else
			break;
	}
	if (d == 0 || d > 16)
		return false;
	*out = v;
	return true;
}

int
status_parse(const char *buf, size_t len, struct proc_status *st)
{
	const char	*p = buf, *end = buf + len, *v;
	bool		 have_name = false;

	memset(st, 0, sizeof *st);
	st->nspid = -1;
	while (p < end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		size_t		 n;

		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (line_is(p, n, "Name:", &v)) {
			size_t	l = (size_t)(nl - v);

			if (l >= sizeof st->name)
				l = sizeof st->name - 1;
			memcpy(st->name, v, l);
			st->name[l] = '\0';
			procscan_sanitize(st->name);
			have_name = true;
		} else if (line_is(p, n, "State:", &v) && v < nl)
			st->state = *v;
		else if (line_is(p, n, "TracerPid:", &v))
			st->tracer_pid = (int)line_long(v, nl, NULL);
		else if (line_is(p, n, "SigCgt:", &v))
			st->have_sigcgt = parse_hex64(v, nl, &st->sig_caught);
		else if (line_is(p, n, "SigBlk:", &v))
			parse_hex64(v, nl, &st->sig_blocked);
		else if (line_is(p, n, "SigIgn:", &v))
			parse_hex64(v, nl, &st->sig_ignored);
		else if (line_is(p, n, "Uid:", &v)) {
			const char	*e;

			line_long(v, nl, &e);		/* real, then effective */
			st->uid = (unsigned)line_long(e, nl, NULL);
		} else if (line_is(p, n, "NSpid:", &v)) {
			const char	*q = v;

			/* the last field is the pid in the innermost ns */
			while (q < nl) {
				const char	*e;

				st->nspid = (int)line_long(q, nl, &e);
				q = e > q ? e : q + 1;
				while (q < nl && (*q == '\t' || *q == ' '))
					q++;
			}
		}
		p = nl + 1;
	}
	return have_name ? 0 : -1;
}

uint64_t
limits_stack(const char *buf, size_t len)
{
	const char	*p = memmem(buf, len, "Max stack size", 14);
	const char	*end = buf + len;
	uint64_t	 v = 0;
	int		 d = 0;

	if (p == NULL)
		return 0;
	p += 14;
	while (p < end && *p == ' ')
		p++;
	if (end - p >= 9 && memcmp(p, "unlimited", 9) == 0)
		return 0;
	for (; p < end && *p >= '0' && *p <= '9' && d < 19; p++, d++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

int
status_read(const char *proc_root, int pid, struct proc_status *st)
{
	char		 path[4200], link[4096];
	struct buf	 b;
	ssize_t		 n;
	int		 rc;
	const char	*base;

	buf_init(&b);
	snprintf(path, sizeof path, "%s/%d/status", proc_root, pid);
	rc = read_file(path, &b, 1 << 16);
	if (rc == 0 && status_parse(b.data, b.len, st) != 0)
		rc = -EINVAL;
	if (rc != 0) {
		buf_done(&b);
		return rc;
	}
	snprintf(path, sizeof path, "%s/%d/limits", proc_root, pid);
	if (read_file(path, &b, 1 << 16) == 0)
		st->stack_limit = limits_stack(b.data, b.len);
	buf_done(&b);
	snprintf(path, sizeof path, "%s/%d/exe", proc_root, pid);
	n = readlink(path, link, sizeof link - 1);
	if (n > 0) {
		link[n] = '\0';
		/* "/usr/bin/node (deleted)" after an upgrade is still node */
		if (n > 10 && strcmp(link + n - 10, " (deleted)") == 0)
			link[n - 10] = '\0';
		base = strrchr(link, '/');
		base = base != NULL ? base + 1 : link;
		if (strlen(base) >= sizeof st->exe)
			link[(size_t)(base - link) + sizeof st->exe - 1] = '\0';
		memcpy(st->exe, base, strlen(base) + 1);
		procscan_sanitize(st->exe);
	}
	return 0;
}

uint64_t
kb_field(const char *buf, size_t len, const char *key)
{
	const char	*p = buf, *end = buf + len;
	size_t		 kl = strlen(key);

	while (p < end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));

		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - p) > kl && memcmp(p, key, kl) == 0 &&
		    p[kl] == ':') {
			const char	*v = p + kl + 1;
			uint64_t	 x = 0;
			int		 d = 0;

			while (v < nl && (*v == ' ' || *v == '\t'))
				v++;
			for (; v < nl && *v >= '0' && *v <= '9' && d < 19;
			    v++, d++)
				x = x * 10 + (uint64_t)(*v - '0');
			return d > 0 ? x * 1024 : UINT64_MAX;
		}
		p = nl + 1;
	}
	return UINT64_MAX;
}

uint64_t
proc_kb_field(const char *proc_root, int pid, const char *file,
    const char *key)
{
	char		path[4200];
	struct buf	b;
	uint64_t	v = UINT64_MAX;

	snprintf(path, sizeof path, "%s/%d/%s", proc_root, pid, file);
	buf_init(&b);
	if (read_file(path, &b, 1 << 16) == 0)
		v = kb_field(b.data, b.len, key);
	buf_done(&b);
	return v;
}
