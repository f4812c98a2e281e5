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
#include "prom_opts.h"
#include "store/seed.h"
#include "store/store.h"
#include "ui/ui.h"
#include "util/argnum.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/timing.h"

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
	bool		 read_only;	/* --read-only: no g */
	unsigned	 cli_set;	/* SET_*: memtoprc does not change */
	int		 group_by;
	const char	*serve;		/* --serve ADDR:PORT */
	const char	*textfile;	/* --textfile DIR */
	bool		 metrics_processes;
	bool		 delay_set;
	bool		 pss_max_age_set;
	const char	*store;		/* NULL: --store none */
	bool		 store_reset;
	bool		 store_set;	/* --store given */
	const char	*at;		/* --at TIME: a recorded moment */
	bool		 record;	/* --record, or memtop record */
	bool		 record_cmd;	/* memtop record */
	struct store_opts store_o;	/* retention (path set at use) */
	struct prom_opts_cli prom;	/* history, replicas (issue 18) */
};

/* -d: below 0.05 s a refresh costs more than the interval; a day at most */
#define DELAY_MIN	0.05
#define DELAY_MAX	86400.0

static volatile sig_atomic_t	main_stop;


static void
on_signal(int sig)
{
	(void)sig;
	main_stop = 1;
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_JSON = 256, OPT_CGROOT, OPT_LOG, OPT_SORT, OPT_PSSAGE,
	    OPT_PSSBUDGET, OPT_KTHREADS, OPT_HOSTROOT, OPT_GROUPBY, OPT_HISTORY,
	    OPT_WINDOW, OPT_THEME, OPT_YES, OPT_READ_ONLY, OPT_SERVE, OPT_TEXTFILE,
	    OPT_METRICS_PROCS, OPT_LIST_METRICS, OPT_STORE, OPT_RECORD,
	    OPT_STORE_RESET, OPT_STORE_FULL, OPT_STORE_KEEP, OPT_STORE_MAX,
	    OPT_STORE_BEAT, OPT_AT, OPT_PROM, OPT_PROM_NODE, OPT_PROM_TOKEN,
	    OPT_PROM_CA, OPT_PROM_INTERVAL, OPT_PROM_TIMEOUT };
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
		{ "read-only",	 no_argument,	    NULL, OPT_READ_ONLY },
		{ "serve",	 required_argument, NULL, OPT_SERVE },
		{ "textfile",	 required_argument, NULL, OPT_TEXTFILE },
		{ "metrics-processes", no_argument, NULL, OPT_METRICS_PROCS },
		{ "list-metrics", no_argument,	    NULL, OPT_LIST_METRICS },
		{ "store",	 required_argument, NULL, OPT_STORE },
		{ "record",	 no_argument,	    NULL, OPT_RECORD },
		{ "store-reset", no_argument,	    NULL, OPT_STORE_RESET },
		{ "store-full",	 required_argument, NULL, OPT_STORE_FULL },
		{ "store-keep",	 required_argument, NULL, OPT_STORE_KEEP },
		{ "store-max",	 required_argument, NULL, OPT_STORE_MAX },
		{ "store-heartbeat", required_argument, NULL, OPT_STORE_BEAT },
		{ "at",		 required_argument, NULL, OPT_AT },
		{ "prometheus",	 required_argument, NULL, OPT_PROM },
		{ "prometheus-node", required_argument, NULL, OPT_PROM_NODE },
		{ "prometheus-token-file", required_argument, NULL,
		    OPT_PROM_TOKEN },
		{ "prometheus-ca-file", required_argument, NULL, OPT_PROM_CA },
		{ "prometheus-interval", required_argument, NULL,
		    OPT_PROM_INTERVAL },
		{ "prometheus-timeout", required_argument, NULL,
		    OPT_PROM_TIMEOUT },
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
			if (argnum_count("-n", optarg, 1, LONG_MAX,
			    &o->iterations) != 0)
				return -1;
			break;
		case 'd':
			if (argnum_number("-d", optarg, DELAY_MIN, DELAY_MAX,
			    "seconds", &o->delay) != 0)
				return -1;
			o->delay_set = true;
			o->cli_set |= SET_DELAY;
			break;
		case OPT_SORT:
			if (sort_key_parse(optarg, &o->sort) != 0) {
				fprintf(stderr, "memtop: --sort: unknown key "
				    "%s\n", optarg);
				return -1;
			}
			o->cli_set |= SET_SORT;
			break;
		case OPT_CGROOT:
			o->cgroup_root = optarg;
			break;
		case OPT_PSSAGE:
			if (argnum_number("--pss-max-age", optarg, 0, DELAY_MAX,
			    "seconds", &o->pss_max_age) != 0)
				return -1;
			o->pss_max_age_set = true;
			break;
		case OPT_PSSBUDGET:
			if (argnum_number("--pss-budget", optarg, 0, 60000,
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
			o->cli_set |= SET_GROUP_BY;
			break;
		case OPT_HISTORY:
			if (argnum_count("--history", optarg, 2, 1000000, &n) != 0)
				return -1;
			o->history = (uint32_t)n;
			break;
		case OPT_WINDOW:
			if (argnum_number("--window", optarg, 0.01, 10080,
			    "minutes", &d) != 0)
				return -1;
			o->window = d * 60;
			break;
		case OPT_READ_ONLY:
			o->read_only = true;
			o->cli_set |= SET_READ_ONLY;
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
		case OPT_STORE:
			o->store = strcmp(optarg, "none") == 0 ? NULL : optarg;
			o->store_set = true;
			break;
		case OPT_RECORD:
			o->record = true;
			break;
		case OPT_STORE_RESET:
			o->store_reset = true;
			break;
		case OPT_STORE_FULL:
		case OPT_STORE_KEEP:
		case OPT_STORE_MAX:
		case OPT_STORE_BEAT:
			if (argnum_number(c == OPT_STORE_FULL ? "--store-full" :
			    c == OPT_STORE_KEEP ? "--store-keep" :
			    c == OPT_STORE_MAX ? "--store-max" :
			    "--store-heartbeat", optarg, 0.001, 1e9, c ==
			    OPT_STORE_FULL ? "hours" : c == OPT_STORE_KEEP ?
			    "days" : c == OPT_STORE_MAX ? "MiB" : "seconds",
			    &d) != 0)
				return -1;
			if (c == OPT_STORE_FULL)
				o->store_o.full_res = d * 3600;
			else if (c == OPT_STORE_KEEP)
				o->store_o.keep = d * 86400;
			else if (c == OPT_STORE_MAX)
				o->store_o.max_bytes = (uint64_t)(d * 1048576);
			else
				o->store_o.heartbeat = d;
			break;
		case OPT_AT:
			o->at = optarg;
			break;
		case OPT_PROM:
			o->prom.url = *optarg != '\0' ? optarg : NULL;
			break;
		case OPT_PROM_NODE:
		case OPT_PROM_TOKEN:
		case OPT_PROM_CA:
			*(c == OPT_PROM_NODE ? &o->prom.node : c ==
			    OPT_PROM_TOKEN ? &o->prom.token : &o->prom.ca) =
			    optarg;
			break;
		case OPT_PROM_INTERVAL:
		case OPT_PROM_TIMEOUT:
			if (argnum_number(c == OPT_PROM_INTERVAL ?
			    "--prometheus-interval" : "--prometheus-timeout",
			    optarg, 0.1, DELAY_MAX, "seconds", c ==
			    OPT_PROM_INTERVAL ? &o->prom.interval :
			    &o->prom.timeout) != 0)
				return -1;
			break;
		case OPT_LIST_METRICS:
			prom_list_families(stdout);
			exit(0);
		case OPT_THEME:
			o->theme = optarg;
			o->cli_set |= SET_THEME;
			break;
		case OPT_KTHREADS:
			o->kthreads = true;
			break;
		case OPT_LOG:
			o->log_path = optarg;
			break;
		case 'h':
			memtop_usage(stdout);
			exit(0);
		case 'V':
			printf("memtop %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			memtop_usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "memtop: unexpected argument: %s\n",
		    argv[optind]);
		return -1;
	}
	if (prom_opts_check(&o->prom) != 0)
		return -1;
	if (o->record_cmd && (o->batch || o->json)) {
		fprintf(stderr, "memtop: record does not go with -b or "
		    "--json\n");
		return -1;
	}
	if (o->record && !o->record_cmd && o->serve == NULL &&
	    o->textfile == NULL) {
		fprintf(stderr, "memtop: --record goes with --serve or "
		    "--textfile (or run memtop record)\n");
		return -1;
	}
	if (o->at != NULL && (o->record || o->serve != NULL ||
	    o->textfile != NULL)) {
		fprintf(stderr, "memtop: --at shows a recorded moment: it does "
		    "not go with recording or exporting\n");
		return -1;
	}
	if (o->record && o->store == NULL) {
		fprintf(stderr, "memtop: recording needs a store, not --store "
		    "none\n");
		return -1;
	}
	/* in a debug pod: the node's store, under the host's root */
	if (!o->store_set && !o->record && !o->record_cmd &&
	    strcmp(o->host_root, "/") != 0) {
		static char	hs[4096];

		snprintf(hs, sizeof hs, "%s/%s", o->host_root,
		    &STORE_DEFAULT_PATH[1]);
		o->store = hs;
	}
	if (o->record_cmd) {
		o->record = true;
		if (!o->delay_set)
			o->delay = 10;
		if (!o->pss_max_age_set)
			o->pss_max_age = 30;
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

/*
 * The refresh driver of -b and the exporter (the dashboard makes its own);
 * says once what the dashboard's status line would: no node memory.
 */
static struct refresh *
loop_refresh(const struct options *o, struct sampler *s, struct tree_opts topts,
    const struct sort_key *sort, struct promhist *ph)
{
	struct refresh_opts	ro = {
		.max_age = o->pss_max_age,
		.budget_ms = o->pss_budget_ms,
		.interval = o->delay,
		.history = o->history,
		.window = o->window,
		.topts = topts,
		.no_ghosts = true,	/* -b, JSON and metrics skip them */
		.sort = sort,
		.hook = ph != NULL ? promhist_refresh : NULL,
		.hook_ctx = ph,
	};

	if (sampler_node_why(s) != NULL)
		fprintf(stderr, "memtop: %s\n", sampler_node_why(s));
	return refresh_create(s, &ro);
}

/* A refresh's MEMTOP_TIMING line; a write that failed said once, on stderr. */
static void
loop_timed(const struct timing_mark *tm, const struct snapshot *sn)
{
	char	why[512];

	timing_refresh(tm, sn->nprocs);
	if (timing_write_failed(why, sizeof why))
		fprintf(stderr, "memtop: %s\n", why);
}

/*
 * Waits the interval (not before the first), then one refresh into *t.
 * 1: a tree (tree_done it); 0: stop (a signal, or -n reached); -1: the
 * sampler failed (said on stderr).
 */
static int
loop_next(const struct options *o, struct refresh *r,
    const struct snapshot **sn, struct tree *t, struct timing_mark *tm)
{
	const char	*cause;

	if (o->iterations != 0 && refresh_count(r) >= o->iterations)
		return 0;
	if (refresh_count(r) > 0)
		sleep_seconds(o->delay);
	if (main_stop)
		return 0;
	timing_begin(tm);
	if (refresh_next(r, NULL, t, sn, &cause) != 0) {
		fprintf(stderr, "memtop: %s\n", cause);
		return -1;
	}
	return 1;
}

/*
 * The history store read at start (the dashboard, -b): the figures of the
 * first screen first (what -b and --json print), the rest for the
 * dashboard's detail view once its first screen is drawn.
 */
struct seed_ctx {
	const struct options	*o;
	bool			 say;		/* errors on stderr (not curses) */
	char			 note[640];
	double			 now;		/* the start's moment */
	bool			 seeded;	/* the start read a history */
};

static void
seed_from_store(void *arg, struct history *h)
{
	struct seed_ctx	*c = arg;
	int		 rc;

	c->note[0] = '\0';
	c->seeded = false;
	if (c->o->store == NULL)
		return;
	c->now = clock_real();
	rc = seed_load(c->o->store, h, &(struct seed_req){ .now = c->now,
	    .delay = c->o->delay, .window = c->o->window,
	    .cap = c->o->history, .figs = SEED_FIGS_START }, c->note,
	    sizeof c->note);
	if (rc < 0 && c->say)
		fprintf(stderr, "memtop: %s\n", c->note);
	c->seeded = rc > 0;
}

static void
seed_rest(void *arg, struct history *h)
{
	struct seed_ctx	*c = arg;

	if (!c->seeded)
		return;
	(void)seed_load(c->o->store, h, &(struct seed_req){ .now = c->now,
	    .delay = c->o->delay, .window = c->o->window,
	    .cap = c->o->history, .figs = SEED_FIGS_ALL & ~SEED_FIGS_START,
	    .more = true }, c->note, sizeof c->note);
}

/* The recorder's store (--record, memtop record); NULL if none. */
static struct store *
open_recording(const struct options *o)
{
	struct store_opts	 so = o->store_o;
	struct store		*st;
	char			 why[640];

	if (!o->record)
		return NULL;
	so.path = o->store;
	so.reset = o->store_reset;
	so.interval = o->delay;
	st = store_open_writer(&so, why, sizeof why);
	if (st == NULL)
		fprintf(stderr, "memtop: %s%s\n", why, o->record_cmd ? "" :
		    "; exporting without recording");
	else
		fprintf(stderr, "memtop: recording %s every %gs\n",
		    store_path(st), o->delay);
	return st;
}

static int
run_batch(const struct options *o, struct sampler *s)
{
	struct refresh		*r;
	const struct snapshot	*sn;
	struct tree		 t;
	struct timing_mark	 tm;
	int			 rc, wrc;

	struct seed_ctx		 sc = { .o = o, .say = true };
	struct promhist		*ph = prom_opts_start(&o->prom, o->window, true);

	r = loop_refresh(o, s, (struct tree_opts){
	    (enum tree_group_by)o->group_by, o->kthreads }, &o->sort, ph);
	seed_from_store(&sc, refresh_history(r));
	while ((rc = loop_next(o, r, &sn, &t, &tm)) == 1) {
		prom_opts_say(ph);
		if (o->json && o->iterations != 0 &&
		    refresh_count(r) >= o->iterations)
			json_cache_last();
		if (o->json)
			wrc = json_write_snapshot(stdout, sn, &t);
		else
			wrc = batch_write_snapshot(stdout, sn, &t);
		tree_done(&t);
		loop_timed(&tm, sn);
		if (wrc != 0)
			break;	/* reader went away: not an error */
	}
	refresh_free(r);
	promhist_free(ph);
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
	struct store		*st;
	const struct snapshot	*sn;
	char			 why[256], *buf;
	size_t			 len;
	struct tree		 t;
	struct textfile_state	 tfs = { 0 };
	struct promtext		 pt = { 0 };
	struct timing_mark	 tm;
	int			 rc;

	if (o->serve != NULL) {
		srv = serve_start(o->serve, why, sizeof why);
		if (srv == NULL) {
			fprintf(stderr, "memtop: %s\n", why);
			return 1;
		}
		fprintf(stderr, "memtop: serving http://%s/metrics%s\n",
		    serve_address(srv), why);
	}
	st = open_recording(o);
	if (st == NULL && o->record_cmd)
		return 1;
	/*
	 * Big buffers (expositions, per-process arrays) from mmap, always:
	 * glibc's threshold would otherwise grow to their size and put them
	 * on the heap, where a burst's worth stays fragmented.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	/* by pod, no kernel threads: the series do not depend on options */
	r = loop_refresh(o, s, (struct tree_opts){ TREE_BY_POD, false }, NULL,
	    NULL);
	while ((rc = loop_next(o, r, &sn, &t, &tm)) == 1) {
		if (st != NULL)
			store_record(st, sn, &t);	/* says if it cannot */
		if (srv == NULL && o->textfile == NULL) {
			tree_done(&t);	/* memtop record: nothing to export */
			loop_timed(&tm, sn);
			continue;
		}
		self.refreshes = (uint64_t)refresh_count(r);
		self.pss_reads += sn->rollup_read;
		self.refresh_seconds = refresh_seconds(r);
		/* into the same buffer each refresh: no regrowth, no copy */
		prom_render(&pt, sn, &t, &popts, &self);
		tree_done(&t);
		if (o->textfile != NULL && textfile_update(&tfs, o->textfile,
		    pt.p, pt.len, why, sizeof why) != 0)
			fprintf(stderr, "memtop: %s\n", why);
		if (srv != NULL) {
			buf = promtext_take(&pt, &len);
			serve_publish(srv, buf, len);	/* taken over */
			/*
			 * The server's connection threads allocate from
			 * their own arenas, which the driver's check
			 * (mallinfo2: the main arena) does not see: all of
			 * them trimmed after every refresh (issue 14).
			 */
			malloc_trim(0);
		}
		loop_timed(&tm, sn);
	}
	serve_stop(srv);
	promtext_done(&pt);
	if (st != NULL) {
		struct store_stats	ss;

		store_get_stats(st, &ss);
		fprintf(stderr, "memtop: store %s: %lu rows in %lu refreshes, "
		    "%.1f ms CPU writing (%.1f ms of it the first refresh)\n",
		    store_path(st), ss.rows, ss.refreshes,
		    (ss.cpu + ss.cpu_first) * 1e3, ss.cpu_first * 1e3);
	}
	store_close(st);
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
	char		 why[512];
	struct sigaction sa;
	struct seed_ctx	 sc = { .o = &o };
	int		 rc;

	signal(SIGPIPE, SIG_IGN);
	store_opts_default(&o.store_o, NULL);
	o.store = STORE_DEFAULT_PATH;
	if (argc > 1 && strcmp(argv[1], "record") == 0) {
		o.record_cmd = true;
		argc--;
		argv++;
	}
	if (argc > 1 && strcmp(argv[1], "maps") == 0)
		return cmd_maps(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "diff") == 0)
		return cmd_diff(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "gc") == 0)
		return cmd_gc(argc - 1, argv + 1);
	if (parse_args(argc, argv, &o) != 0)
		return 2;
	/* said here for every mode; the dashboard's status line says it too */
	if (timing_open(why, sizeof why) != 0)
		fprintf(stderr, "memtop: %s\n", why);
	if (o.at != NULL)	/* a recorded moment: no /proc, no sampler */
		return cmd_at(o.store, o.at, o.json ? AT_JSON : o.batch ||
		    !isatty(STDOUT_FILENO) ? AT_TEXT : AT_DASHBOARD, o.window,
		    &o.sort);
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
	sampler_set_maps_hook(s, &marks_hook, NULL);
	rc = -1;
	if (o.serve != NULL || o.textfile != NULL || o.record_cmd)
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
			.read_only = o.read_only,
			.cli_set = o.cli_set,
			.seed = seed_from_store,
			.seed_more = seed_rest,
			.seed_ctx = &sc,
			.history_note = sc.note,
			.hook = promhist_refresh,
			.status = prom_opts_status,
		};

		uc.hook_ctx = prom_opts_start(&o.prom, o.window, false);
		if (uc.hook_ctx == NULL)
			uc.hook = NULL, uc.status = NULL;
		rc = ui_run(&uc);
		promhist_free(uc.hook_ctx);
	}
	if (rc < 0)
		rc = run_batch(&o, s);
	sampler_free_at_exit(s);	/* its files: closed by the exit */
	log_close();
	return rc;
}
