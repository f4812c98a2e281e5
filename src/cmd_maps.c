/*
 * memtop maps PID [--json] [--rss]   and   memtop diff PID1 PID2 [--json]
 * Wiring only: collect reads, analyse builds, output prints.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/report.h"
#include "cmd.h"
#include "collect/maps.h"
#include "collect/procscan.h"
#include "collect/status.h"
#include "output/report.h"

struct maps_opts {
	bool	json;
	bool	rss;
};

static int
parse_pid(const char *s, int *pid)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > 4194304)
		return -1;
	*pid = (int)v;
	return 0;
}

/* The process's smaps_rollup figures (its own files, no other process's). */
static void
read_rollup(int pid, uint64_t *fig)
{
	const char		*cause;
	struct procscan		*ps = procscan_create(&cause);
	struct proc_sample	*p;
	int			 k;

	if (ps == NULL)
		return;
	if (procscan_one(ps, pid, &p) == 0) {
		procscan_rollup(ps, &p, 1);
		for (k = 0; k < FIG__COUNT; k++)
			fig[k] = p->fig[k];
	}
	procscan_free(ps);
}

/* Reads the mappings into the report as they come (no array of them). */
static int
build(struct maps_report *r, int pid, const struct maps_opts *o,
    bool rollup)
{
	struct report_run	rr;
	struct maps_stats	st;
	struct proc_status	ps;
	struct detect_ctx	c;
	int			rc;

	rc = status_read("/proc", pid, &ps);
	if (rc != 0) {
		fprintf(stderr, "memtop: pid %d: %s\n", pid, rc == -ENOENT ?
		    "no such process" : strerror(-rc));
		return -1;
	}
	c.comm = ps.name;
	c.exe = ps.exe[0] != '\0' ? ps.exe : NULL;
	c.stack_limit = ps.stack_limit;
	report_begin(&rr, r, &c, pid);
	rc = maps_scan("/proc", pid, o->rss, report_add, &rr, &st);
	report_end(&rr, st.have_rss);
	if (rc != 0) {
		fprintf(stderr, "memtop: pid %d: cannot read its %s: %s\n", pid,
		    o->rss ? "smaps" : "maps", strerror(-rc));
		return -1;
	}
	if (st.bad_lines > 0)
		fprintf(stderr, "memtop: pid %d: %zu malformed lines skipped\n",
		    pid, st.bad_lines);
	if (rollup)
		read_rollup(pid, r->rollup);
	return 0;
}

static int
parse_opts(int argc, char **argv, struct maps_opts *o, int npids, int *pids,
    const char *usage)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "rss", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	c, i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'r':
			o->rss = true;
			break;
		case 'h':
			printf("%s", usage);
			exit(0);
		default:
			fprintf(stderr, "%s", usage);
			return -1;
		}
	}
	if (argc - optind != npids) {
		fprintf(stderr, "%s", usage);
		return -1;
	}
	for (i = 0; i < npids; i++) {
		if (parse_pid(argv[optind + i], &pids[i]) != 0) {
			fprintf(stderr, "memtop: not a pid: %s\n",
			    argv[optind + i]);
			return -1;
		}
	}
	return 0;
}

int
cmd_maps(int argc, char **argv)
{
	static const char usage[] =
	    "usage: memtop maps PID [--json] [--rss]\n"
	    "  the size histogram of PID's anonymous mappings, exact-size\n"
	    "  clusters and findings, from /proc/PID/maps (no page-table walk);\n"
	    "  --rss also reads /proc/PID/smaps for resident sizes (slower)\n";
	struct maps_opts	o = { false, false };
	struct maps_report	r;
	int			pid;

	if (parse_opts(argc, argv, &o, 1, &pid, usage) != 0)
		return 2;
	if (build(&r, pid, &o, o.rss) != 0)
		return 1;
	if (o.json)
		return report_json(stdout, &r) == 0 ? 0 : 1;
	report_text(stdout, &r);
	return 0;
}

int
cmd_diff(int argc, char **argv)
{
	static const char usage[] =
	    "usage: memtop diff PID1 PID2 [--json]\n"
	    "       memtop diff --replica POD [--json]   a pod and its "
	    "healthiest replica\n"
	    "  two processes side by side: every smaps_rollup figure, mapping\n"
	    "  counts, the coarse size bins and clusters, with the difference\n";
	struct maps_opts	o = { false, true };
	struct maps_report	a, b;
	int			pids[2];

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--replica", 9) == 0)
			return cmd_diff_replica(argc, argv);
	}
	if (parse_opts(argc, argv, &o, 2, pids, usage) != 0)
		return 2;
	o.rss = true;
	if (build(&a, pids[0], &o, true) != 0 ||
	    build(&b, pids[1], &o, true) != 0)
		return 1;
	if (o.json)
		return report_diff_json(stdout, &a, &b) == 0 ? 0 : 1;
	report_diff_text(stdout, &a, &b);
	return 0;
}
