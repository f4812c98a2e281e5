/*
 * The exposition of a container and a process whose names are the input
 * (split on NUL: comm, container name, pod, namespace, cgroup path). Every
 * sample line must still parse, and the whole text must be valid UTF-8:
 * Prometheus refuses the entire scrape over one bad line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "output/prom.h"
#include "util/fmt.h"

/* name{label="value",...} number */
static int
sample_ok(const char *s, const char *end)
{
	const char	*p = s;

	while (p < end && (*p == '_' || (*p >= 'a' && *p <= 'z') ||
	    (*p >= '0' && *p <= '9')))
		p++;
	if (p == s || p == end)
		return 0;
	if (*p == '{') {
		p++;
		while (p < end && *p != '}') {
			while (p < end && *p >= 'a' && *p <= 'z')
				p++;
			if (p + 1 >= end || p[0] != '=' || p[1] != '"')
				return 0;
			for (p += 2; p < end && *p != '"'; p++) {
				if (*p == '\\' && (p + 1 >= end ||
				    strchr("\\\"n", p[1]) == NULL))
					return 0;
				if (*p == '\\')
					p++;
			}
			if (p >= end)
				return 0;
			p++;
			if (p < end && *p == ',')
				p++;
		}
		if (p >= end)
			return 0;
		p++;
	}
	if (p >= end || *p != ' ')
		return 0;
	for (p++; p < end; p++) {
		if (strchr("0123456789.-", *p) == NULL)
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char			*in = malloc(len + 1), *field[5], *buf = NULL;
	const char		*p, *nl;
	size_t			 n = 0, i, blen = 0;
	struct snapshot		 sn;
	struct snap_proc	 sp;
	struct tree_proc	 tp;
	struct tree_ctr		 c;
	struct tree_group	 g;
	struct tree		 t = { &g, 1 };
	struct prom_opts	 o = { true };
	struct prom_self	 self = { 1, 1, 0.1, 1 };
	FILE			*f;
	int			 k;

	memcpy(in, data, len);
	in[len] = '\0';
	field[n++] = in;
	for (i = 0; i < len && n < 5; i++) {
		if (in[i] == '\0')
			field[n++] = in + i + 1;
	}
	while (n < 5)
		field[n++] = NULL;
	memset(&sn, 0, sizeof sn);
	memset(&sp, 0, sizeof sp);
	memset(&tp, 0, sizeof tp);
	memset(&c, 0, sizeof c);
	memset(&g, 0, sizeof g);
	sn.mem_total = sn.mem_available = FIG_NA;
	for (k = 0; k < FIG__COUNT; k++)
		sp.fig[k] = (uint64_t)k << 20;
	snprintf(sp.comm, sizeof sp.comm, "%s", field[0]);
	sp.pid = 1;
	sp.nmaps = sp.nanon = 1;
	tp.sp = &sp;
	c.procs = &tp;
	c.nprocs = 1;
	c.name = field[1];
	c.cgroup = field[4];
	fig_sum_add(&c.sum, sp.fig);
	g.pod = field[2];
	g.namespace = field[3];
	g.ctrs = &c;
	g.nctrs = 1;
	f = open_memstream(&buf, &blen);
	if (f == NULL || prom_write(f, &sn, &t, &o, &self) != 0)
		abort();
	fclose(f);
	for (p = buf; p < buf + blen; p += n) {
		n = fmt_utf8_len((const unsigned char *)p);
		if (n == 0)
			abort();	/* not UTF-8 */
	}
	for (p = buf; p < buf + blen; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + blen - p));
		if (nl == NULL)
			abort();	/* every line ends */
		if (*p != '#' && !sample_ok(p, nl))
			abort();
	}
	free(buf);
	free(in);
	return 0;
}
