#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyse/marks.h"
#include "cmd.h"
#include "collect/cgroup.h"
#include "collect/sample.h"
#include "model/column.h"
#include "model/refresh.h"
#include "model/tree.h"
#include "output/batch.h"
#include "output/json.h"
#include "output/prom.h"
#include "output/serve.h"
#include "output/textfile.h"
#include "ui/ui.h"
#include "util/log.h"

struct options {
	bool		 batch;
	bool		 json;
	long		 iterations;	/* 0: forever */
	double		 delay;
	const char	*cgroup_root;
	const char	*log_path;
	double		 pss_max_age;
	double		 pss_budget_ms;
	struct sort_key	 sort;
	uint32_t	 history;
	double		 window;	/* seconds */
	bool		 kthreads;
	const char	*host_root;
	const char	*theme;
	bool		 yes;
	int		 group_by;
	const char	*serve;		/* --serve ADDR:PORT */
	const char	*textfile;	/* --textfile DIR */
	bool		 metrics_processes;
	bool		 delay_set;
	bool		 pss_max_age_set;
};

/* -d: below 0.05 s a refresh costs more than the interval; a day at most */
#define DELAY_MIN	0.05
#define DELAY_MAX	86400.0

static volatile sig_atomic_t	main_stop;

static const char usage_text[] =
"usage: memtop [options]            the dashboard (on a terminal)\n"
"       memtop -b [options]         text or JSON refreshes\n"
"       memtop maps PID [--json] [--rss]   mapping histogram and findings\n"
"       memtop diff PID1 PID2 [--json]     two processes side by side\n"
"       memtop diff --replica POD [--json] a pod and its healthiest replica\n"
"       memtop gc PID [--json] [--yes]     force a V8 GC in a Node process\n"
"       memtop --serve ADDR:PORT | --textfile DIR   Prometheus metrics\n"
"\n"
"Shows where the memory of every pod, container and process on this node\n"
"went, grouped by cgroup.\n"
"\n"
"  -b, --batch            print refreshes as text to stdout (like top -b),\n"
"                         COLUMNS wide (unset: names get 50 columns)\n"
"      --json             with -b: one JSON document per refresh and line\n"
"  -n, --iterations N     stop after N refreshes (default: until killed)\n"
"  -d, --delay SECS       seconds between refreshes (default 1; 5 with\n"
"                         --serve or --textfile; 0.05 to 86400)\n"
"      --sort KEY         sort by a column: one of the sort keys below, or\n"
"                         any other figure's JSON key (default rss)\n"
"      --history N        samples of history per figure (default 600)\n"
"      --window MINUTES   the window of the second growth figure (default 5)\n"
"      --cgroup-root DIR  cgroupfs root (default /sys/fs/cgroup; v1, hybrid\n"
"                         or v2 detected from /proc/self/mountinfo, or from\n"
"                         what DIR holds when given)\n"
"      --group-by KEY     pod (default), container, namespace or cgroup\n"
"      --host-root DIR    look up runtime state and kubelet logs under DIR\n"
"                         (default /; e.g. /host in a debug pod): run/containerd,\n"
"                         run/containers, var/lib/docker, var/log/pods,\n"
"                         var/log/containers\n"
"      --pss-max-age SECS re-read a process's smaps_rollup at least this often\n"
"                         (default 10; 30 with --serve or --textfile)\n"
"      --pss-budget MS    wall time per refresh for smaps_rollup reads\n"
"                         (default 50)\n"
"      --kernel-threads   list kernel threads too (they have no memory\n"
"                         figures of their own: shown as unknown)\n"
"      --yes              the g key collects without asking first\n"
"      --theme NAME       colours from themes/NAME.theme: default, light,\n"
"                         mono (NO_COLOR=1 or a colourless terminal: mono)\n"
"      --serve ADDR:PORT  no dashboard: answer GET /metrics (Prometheus text\n"
"                         format) on ADDR:PORT, e.g. 127.0.0.1:9852, :9852\n"
"                         (every IPv4 address) or [::1]:9852; port 0 picks a\n"
"                         free one (printed); scrapes get the newest refresh\n"
"      --textfile DIR     no dashboard: write DIR/memtop.prom each refresh\n"
"                         (atomically: temp file, rename) for node_exporter\n"
"      --metrics-processes  with --serve/--textfile: memtop_process_* series\n"
"                         too (labels pid, comm: many more series)\n"
"      --list-metrics     print every metric family (name, type, level,\n"
"                         source, meaning; tab-separated) and exit\n"
"      --log FILE         write warnings about bad input to FILE (- = stderr)\n"
"  -h, --help             this text\n"
"  -V, --version          the version\n"
"\n"
"Cost: every refresh reads stat and status of every process (cheap). Reading\n"
"/proc/PID/smaps_rollup makes the kernel walk page tables (about 14 us per\n"
"MiB resident), so PSS figures are re-read only when a process's counters\n"
"moved by more than 1 MiB or 1 %, when older than --pss-max-age, within\n"
"--pss-budget (focused and visible rows first, then the stalest). The first\n"
"refresh, and so a one-shot run (-b -n 1), reads every process fully.\n"
"History: every figure of every process, container and pod keeps a ring of\n"
"--history samples, 2 bytes each: at most 2 x N x 17 bytes per entity (20 KiB\n"
"at N=600), and nothing for a figure that has not changed. Anon growth is\n"
"RssAnon now minus its minimum since memtop started (and over --window).\n"
"\n"
"Unknown figures (unreadable or vanished processes) show as '-' (null in\n"
"JSON), never as 0.\n";

static void
usage(FILE *f)
{
	char	keys[512];

	fputs(usage_text, f);
	col_sort_keys(keys, sizeof keys);
	fprintf(f, "\nSort keys ('<' and '>' in the dashboard cycle them): "
	    "%s\n", keys);
}

static void
on_signal(int sig)
{
	(void)sig;
	main_stop = 1;
}

/*
 * A finite number in [min, max] (the unit names it in messages); 0, or -1
 * after a one-line message naming the option.
 */
static int
parse_number(const char *opt, const char *s, double min, double max,
    const char *unit, double *out)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(s, &end);
	/* inf and 1e400 are above the maximum, not "no delay" */
	if (end == s || *end != '\0' || isnan(d)) {
		fprintf(stderr, "memtop: %s: not a number of %s: %s\n", opt,
		    unit, s);
		return -1;
	}
	if (d < min) {
		fprintf(stderr, "memtop: %s: %s is below the minimum, %g %s\n",
		    opt, s, min, unit);
		return -1;
	}
	if (d > max) {
		fprintf(stderr, "memtop: %s: %s is above the maximum, %g %s\n",
		    opt, s, max, unit);
		return -1;
	}
	*out = d;
	return 0;
}

/* A whole count (digits only) in [min, max]; 0, or -1 after a message. */
static int
parse_count(const char *opt, const char *s, long min, long max, long *out)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0') {
		fprintf(stderr, "memtop: %s: not a count (digits only): %s\n",
		    opt, s);
		return -1;
	}
	if (n < min) {
		fprintf(stderr, "memtop: %s: %s is below the minimum, %ld\n",
		    opt, s, min);
		return -1;
	}
	if (errno == ERANGE || n > max) {
		fprintf(stderr, "memtop: %s: %s is above the maximum, %ld\n",
		    opt, s, max);
		return -1;
	}
	*out = (long)n;
	return 0;
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_JSON = 256, OPT_CGROOT, OPT_LOG, OPT_SORT, OPT_PSSAGE,
	    OPT_PSSBUDGET, OPT_KTHREADS, OPT_HOSTROOT, OPT_GROUPBY, OPT_HISTORY,
	    OPT_WINDOW, OPT_THEME, OPT_YES, OPT_SERVE, OPT_TEXTFILE,
	    OPT_METRICS_PROCS, OPT_LIST_METRICS };
	static const struct option longopts[] = {
		{ "batch",	 no_argument,	    NULL, 'b' },
		{ "json",	 no_argument,	    NULL, OPT_JSON },
		{ "iterations",	 required_argument, NULL, 'n' },
		{ "delay",	 required_argument, NULL, 'd' },
		{ "sort",	 required_argument, NULL, OPT_SORT },
		{ "cgroup-root", required_argument, NULL, OPT_CGROOT },
		{ "pss-max-age", required_argument, NULL, OPT_PSSAGE },
		{ "pss-budget",	 required_argument, NULL, OPT_PSSBUDGET },
		{ "log",	 required_argument, NULL, OPT_LOG },
		{ "kernel-threads", no_argument,    NULL, OPT_KTHREADS },
		{ "host-root",	 required_argument, NULL, OPT_HOSTROOT },
		{ "group-by",	 required_argument, NULL, OPT_GROUPBY },
		{ "history",	 required_argument, NULL, OPT_HISTORY },
		{ "window",	 required_argument, NULL, OPT_WINDOW },
		{ "theme",	 required_argument, NULL, OPT_THEME },
		{ "yes",	 no_argument,	    NULL, OPT_YES },
		{ "serve",	 required_argument, NULL, OPT_SERVE },
		{ "textfile",	 required_argument, NULL, OPT_TEXTFILE },
		{ "metrics-processes", no_argument, NULL, OPT_METRICS_PROCS },
		{ "list-metrics", no_argument,	    NULL, OPT_LIST_METRICS },
		{ "help",	 no_argument,	    NULL, 'h' },
		{ "version",	 no_argument,	    NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	c;
	double	d;
	long	n;

	while ((c = getopt_long(argc, argv, "bn:d:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->batch = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'n':
			if (parse_count("-n", optarg, 1, LONG_MAX,
			    &o->iterations) != 0)
				return -1;
			break;
		case 'd':
			if (parse_number("-d", optarg, DELAY_MIN, DELAY_MAX,
			    "seconds", &o->delay) != 0)
				return -1;
			o->delay_set = true;
			break;
		case OPT_SORT:
			if (sort_key_parse(optarg, &o->sort) != 0) {
				fprintf(stderr, "memtop: --sort: unknown key "
				    "%s\n", optarg);
				return -1;
			}
			break;
		case OPT_CGROOT:
			o->cgroup_root = optarg;
			break;
		case OPT_PSSAGE:
			if (parse_number("--pss-max-age", optarg, 0, DELAY_MAX,
			    "seconds", &o->pss_max_age) != 0)
				return -1;
			o->pss_max_age_set = true;
			break;
		case OPT_PSSBUDGET:
			if (parse_number("--pss-budget", optarg, 0, 60000,
			    "milliseconds", &o->pss_budget_ms) != 0)
				return -1;
			break;
		case OPT_HOSTROOT:
			o->host_root = optarg;
			break;
		case OPT_GROUPBY:
			o->group_by = tree_group_by_parse(optarg);
			if (o->group_by < 0) {
				fprintf(stderr, "memtop: --group-by: pod, "
				    "container, namespace or cgroup, not %s\n",
				    optarg);
				return -1;
			}
			break;
		case OPT_HISTORY:
			if (parse_count("--history", optarg, 2, 1000000, &n) != 0)
				return -1;
			o->history = (uint32_t)n;
			break;
		case OPT_WINDOW:
			if (parse_number("--window", optarg, 0.01, 10080,
			    "minutes", &d) != 0)
				return -1;
			o->window = d * 60;
			break;
		case OPT_YES:
			o->yes = true;
			break;
		case OPT_SERVE:
			o->serve = optarg;
			break;
		case OPT_TEXTFILE:
			o->textfile = optarg;
			break;
		case OPT_METRICS_PROCS:
			o->metrics_processes = true;
			break;
		case OPT_LIST_METRICS:
			prom_list_families(stdout);
			exit(0);
		case OPT_THEME:
			o->theme = optarg;
			break;
		case OPT_KTHREADS:
			o->kthreads = true;
			break;
		case OPT_LOG:
			o->log_path = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("memtop %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "memtop: unexpected argument: %s\n",
		    argv[optind]);
		return -1;
	}
	if ((o->serve != NULL || o->textfile != NULL) && (o->batch ||
	    o->json)) {
		fprintf(stderr, "memtop: --serve and --textfile do not go "
		    "with -b or --json\n");
		return -1;
	}
	if (o->json && !o->batch && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "memtop: --json goes with -b (the dashboard "
		    "has no JSON form): memtop -b --json\n");
		return -1;
	}
	/*
	 * Scraped every 15-60 s, not watched: refresh less often, and re-read
	 * an unchanged process's smaps_rollup less often (a changed one is
	 * re-read at the next refresh anyway).
	 */
	if ((o->serve != NULL || o->textfile != NULL) && !o->delay_set)
		o->delay = 5;
	if ((o->serve != NULL || o->textfile != NULL) && !o->pss_max_age_set)
		o->pss_max_age = 30;
	return 0;
}

/*
 * What can be checked before the first refresh, with a one-line message:
 * 0, or -1 (exit 1).
 */
static int
start_checks(const struct options *o)
{
	static const char *const state[] = { "run/containerd",
	    "run/k3s/containerd", "run/containers/storage",
	    "var/lib/containers/storage", "var/lib/docker/containers",
	    "var/log/pods", "var/log/containers" };
	const char	*cols = getenv("COLUMNS");
	char		 why[512], path[4096];
	struct stat	 st;
	size_t		 i;
	long		 w;

	if (o->textfile != NULL && textfile_check(o->textfile, why,
	    sizeof why) != 0) {
		fprintf(stderr, "memtop: %s\n", why);
		return -1;
	}
	/* names need the host's runtime state or kubelet logs: say if none */
	if (strcmp(o->host_root, "/") != 0) {
		if (stat(o->host_root, &st) == -1 || !S_ISDIR(st.st_mode))
			fprintf(stderr, "memtop: --host-root %s: %s: pods and "
			    "containers will have no names\n", o->host_root,
			    errno != 0 ? strerror(errno) : "not a directory");
		else {
			for (i = 0; i < sizeof state / sizeof state[0]; i++) {
				snprintf(path, sizeof path, "%s/%s",
				    o->host_root, state[i]);
				if (stat(path, &st) == 0)
					break;
			}
			if (i == sizeof state / sizeof state[0])
				fprintf(stderr, "memtop: --host-root %s: no "
				    "runtime state (run/containerd, "
				    "run/containers, var/lib/docker) and no "
				    "kubelet logs (var/log/pods) under it: "
				    "pods and containers will have no names\n",
				    o->host_root);
		}
	}
	/* -b's width, as top -b takes it */
	if (cols != NULL && *cols != '\0') {
		char	*end;

		errno = 0;
		w = strtol(cols, &end, 10);
		if (*end != '\0' || errno != 0 || w < 1 || w > 1000)
			fprintf(stderr, "memtop: COLUMNS=%s: not a width (1 "
			    "to 1000): -b keeps its default width\n", cols);
		else
			batch_set_width((unsigned)w);
	}
	return 0;
}

static void
sleep_seconds(double s)
{
	struct timespec	ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (!main_stop && nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* The refresh driver of -b and the exporter (the dashboard makes its own). */
static struct refresh *
loop_refresh(const struct options *o, struct sampler *s, struct tree_opts topts,
    const struct sort_key *sort)
{
	struct refresh_opts	ro = {
		.max_age = o->pss_max_age,
		.budget_ms = o->pss_budget_ms,
		.interval = o->delay,
		.history = o->history,
		.window = o->window,
		.topts = topts,
		.sort = sort,
	};

	return refresh_create(s, &ro);
}

/*
 * Waits the interval (not before the first), then one refresh into *t.
 * 1: a tree (tree_done it); 0: stop (a signal, or -n reached); -1: the
 * sampler failed (said on stderr).
 */
static int
loop_next(const struct options *o, struct refresh *r,
    const struct snapshot **sn, struct tree *t)
{
	const char	*cause;

	if (o->iterations != 0 && refresh_count(r) >= o->iterations)
		return 0;
	if (refresh_count(r) > 0)
		sleep_seconds(o->delay);
	if (main_stop)
		return 0;
	if (refresh_next(r, NULL, t, sn, &cause) != 0) {
		fprintf(stderr, "memtop: %s\n", cause);
		return -1;
	}
	return 1;
}

static int
run_batch(const struct options *o, struct sampler *s)
{
	struct refresh		*r;
	const struct snapshot	*sn;
	struct tree		 t;
	int			 rc, wrc;

	r = loop_refresh(o, s, (struct tree_opts){
	    (enum tree_group_by)o->group_by, o->kthreads }, &o->sort);
	while ((rc = loop_next(o, r, &sn, &t)) == 1) {
		if (o->json)
			wrc = json_write_snapshot(stdout, sn, &t);
		else
			wrc = batch_write_snapshot(stdout, sn, &t);
		tree_done(&t);
		if (wrc != 0)
			break;	/* reader went away: not an error */
	}
	refresh_free(r);
	return rc < 0 ? 1 : 0;
}

/*
 * The exporter: refresh on the interval, render the exposition once, hand it
 * to the HTTP thread and/or the textfile. Scrapes never trigger a refresh.
 */
static int
run_export(const struct options *o, struct sampler *s)
{
	struct refresh		*r;
	struct prom_opts	 popts = { o->metrics_processes };
	struct prom_self	 self = { .interval = o->delay };
	struct serve		*srv = NULL;
	const struct snapshot	*sn;
	char			 why[256], *buf;
	size_t			 len;
	struct tree		 t;
	struct textfile_state	 tfs = { 0 };
	FILE			*mf;
	int			 rc, wrc;

	if (o->serve != NULL) {
		srv = serve_start(o->serve, why, sizeof why);
		if (srv == NULL) {
			fprintf(stderr, "memtop: %s\n", why);
			return 1;
		}
		fprintf(stderr, "memtop: serving http://%s/metrics\n",
		    serve_address(srv));
	}
	/*
	 * Big buffers (expositions, per-process arrays) from mmap, always:
	 * glibc's threshold would otherwise grow to their size and put them
	 * on the heap, where a burst's worth stays fragmented.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	/* by pod, no kernel threads: the series do not depend on options */
	r = loop_refresh(o, s, (struct tree_opts){ TREE_BY_POD, false }, NULL);
	while ((rc = loop_next(o, r, &sn, &t)) == 1) {
		self.refreshes = (uint64_t)refresh_count(r);
		self.pss_reads += sn->rollup_read;
		self.refresh_seconds = refresh_seconds(r);
		buf = NULL;
		len = 0;
		mf = open_memstream(&buf, &len);
		wrc = mf == NULL ? -1 : prom_write(mf, sn, &t, &popts, &self);
		if (mf != NULL)
			fclose(mf);
		tree_done(&t);
		if (wrc != 0) {
			fprintf(stderr, "memtop: out of memory rendering "
			    "metrics\n");
			free(buf);
			rc = -1;
			break;
		}
		if (o->textfile != NULL && textfile_update(&tfs, o->textfile,
		    buf, len, why, sizeof why) != 0)
			fprintf(stderr, "memtop: %s\n", why);
		if (srv != NULL)
			serve_publish(srv, buf, len);	/* taken over */
		else
			free(buf);
		/*
		 * A burst (1500 pods that come and go) leaves most of the
		 * heap free but mapped: give it back (issue 14).
		 */
		malloc_trim(0);
	}
	serve_stop(srv);
	refresh_free(r);
	return rc < 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct options	 o = {
		.delay = 1.0,
		.pss_max_age = 10.0,
		.pss_budget_ms = 50.0,
		.sort = { SORT_FIG, FIG_RSS, false },
		.history = 600,
		.window = 300,
		.host_root = "/",
	};
	struct cg_roots	 roots;
	struct sampler	*s;
	const char	*cause;
	struct sigaction sa;
	int		 rc;

	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && strcmp(argv[1], "maps") == 0)
		return cmd_maps(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "diff") == 0)
		return cmd_diff(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "gc") == 0)
		return cmd_gc(argc - 1, argv + 1);
	if (parse_args(argc, argv, &o) != 0)
		return 2;
	if (start_checks(&o) != 0)
		return 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (o.log_path != NULL && log_open(o.log_path) != 0) {
		fprintf(stderr, "memtop: cannot open log %s: %s\n", o.log_path,
		    strerror(errno));
		return 2;
	}
	if (o.cgroup_root != NULL) {
		if (cgroup_roots_probe(o.cgroup_root, &roots) != 0) {
			fprintf(stderr, "memtop: %s: no cgroup hierarchy "
			    "found (no cgroup.controllers, memory/ or "
			    "unified/)\n", o.cgroup_root);
			return 2;
		}
	} else if (cgroup_roots_default(&roots) != 0)
		memset(&roots, 0, sizeof roots);

	s = sampler_create(&roots, "/proc", o.host_root, &cause);
	if (s == NULL) {
		fprintf(stderr, "memtop: %s\n", cause);
		return 1;
	}
	sampler_set_maps_hook(s, marks_from_maps, NULL);
	rc = -1;
	if (o.serve != NULL || o.textfile != NULL)
		rc = run_export(&o, s);
	else if (!o.batch && isatty(STDOUT_FILENO)) {
		struct ui_config	uc = {
			.sampler = s,
			.topts = { (enum tree_group_by)o.group_by, o.kthreads },
			.sort = o.sort,
			.delay = o.delay,
			.history = o.history,
			.window = o.window,
			.pss_max_age = o.pss_max_age,
			.pss_budget_ms = o.pss_budget_ms,
			.theme = o.theme,
			.gc_yes = o.yes,
		};

		rc = ui_run(&uc);
	}
	if (rc < 0)
		rc = run_batch(&o, s);
	sampler_free(s);
	log_close();
	return rc;
}
