#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collect/procscan.h"
#include "model/entity.h"
#include "model/ring.h"
#include "store/seed.h"
#include "store_int.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

/*
 * Reading the store at start. The recorder writes an entity only when it
 * moved, so the value at a moment is the entity's last sample before it,
 * provided a recorder was running then (the run table) and that sample was
 * written by that same run (a recorder writes every entity when it starts).
 */

#define SEED_SPAN	86400.0		/* the rings reach back at most 24 h */

/* The sample statement's columns: t, the figures read, anon_min. */
#define COL_T		0

struct run {
	double	start, end;
};

struct acc {
	long long	 id;
	char		*ident;
	struct hist_seed sd;
	uint64_t	 curv[HF__COUNT];	/* the last row's figures */
	uint16_t	 cur[HF__COUNT];	/* and their ring codes */
	double		 cur_t;		/* < 0: no row yet */
	uint64_t	 before_win;	/* RssAnon just before the window */
	size_t		 j;		/* next slot to fill */
	bool		 skip;
};

/* A live pod's or container's latest restart (load_restarts). */
struct restart {
	long long	 id;
	unsigned	 n;
	double		 at;
	char		*from, *to;
};

struct seeder {
	struct history	*h;
	struct restart	*rs;		/* by id */
	size_t		 nrs;
	struct run	*runs;
	size_t		 nruns;
	double		 now, win_start, last_start;
	double		*slot_t;	/* each slot's moment */
	long		*slot_run;	/* its run, or -1: a gap */
	size_t		 nslots;
	const char	*boot_id;
	size_t		 seeded;
	uint16_t	*codes;	/* one entity's slots, figure-major, reused */
	uint32_t	 figs;	/* the figures read (bit k: HF figure k) */
	bool		 more;	/* history_seed_more: the rest of a seed */
	int		 col[HF__COUNT];	/* figure k's column, if read */
	int		 col_anon_min;
};

#define HAS(sd, k)	(((sd)->figs >> (k)) & 1u)

static int
load_runs(struct store *st, struct seeder *sd)
{
	sqlite3_stmt	*s;
	size_t		 cap = 0;
	int		 rc;

	if (sqlite3_prepare_v2(store_db(st), "SELECT started, last, interval "
	    "FROM run WHERE started <= ?1 ORDER BY started", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_double(s, 1, sd->now);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sd->nruns == cap) {
			cap = cap * 2 + 16;
			sd->runs = xreallocarray(sd->runs, cap,
			    sizeof *sd->runs);
		}
		sd->runs[sd->nruns].start = sqlite3_column_double(s, 0);
		/* a run covers its last refresh and the interval after it */
		sd->runs[sd->nruns].end = sqlite3_column_double(s, 1) +
		    1.5 * sqlite3_column_double(s, 2);
		sd->nruns++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The run covering moment t, or -1. */
static long
run_at(const struct seeder *sd, double t)
{
	size_t	i;

	for (i = sd->nruns; i-- > 0;)
		if (sd->runs[i].start <= t && t <= sd->runs[i].end)
			return (long)i;
	return -1;
}

static void
make_slots(struct seeder *sd, double delay, uint32_t cap)
{
	double	from = sd->now - SEED_SPAN, w;
	size_t	i;

	if (sd->runs[0].start > from)
		from = sd->runs[0].start;
	w = (sd->now - from) / cap;
	if (w < delay)
		w = delay;
	sd->nslots = sd->now - from < w ? 0 : (size_t)((sd->now - from) / w);
	if (sd->nslots > cap)
		sd->nslots = cap;
	sd->slot_t = xcalloc(sd->nslots + 1, sizeof *sd->slot_t);
	sd->slot_run = xcalloc(sd->nslots + 1, sizeof *sd->slot_run);
	/* the newest slot is now itself: a recorded moment (--at) has no
	   live sample after it, and what was recorded just before now
	   belongs in the ring */
	for (i = 0; i < sd->nslots; i++) {
		sd->slot_t[i] = sd->now - (double)(sd->nslots - 1 - i) * w;
		sd->slot_run[i] = run_at(sd, sd->slot_t[i]);
	}
}

static void
acc_start(struct seeder *sd, struct acc *a, long long id, const char *ident)
{
	size_t	blen = strlen(sd->boot_id);
	int	k;

	memset(a, 0, sizeof *a);
	a->id = id;
	a->ident = xstrdup(ident);
	a->cur_t = -1;
	a->before_win = FIG_NA;
	a->sd.win_min = FIG_NA;
	for (k = 0; k < HF__COUNT; k++) {
		a->sd.first[k] = a->sd.min[k] = a->sd.max[k] = FIG_NA;
		a->curv[k] = FIG_NA;
		a->cur[k] = RING_NA;
	}
	/* a process of another boot cannot be alive now */
	a->skip = strncmp(ident, "proc:", 5) == 0 && blen > 0 &&
	    (strncmp(ident + 5, sd->boot_id, blen) != 0 ||
	    ident[5 + blen] != ':');
}

/*
 * Fills the slots up to moment t (exclusive) with the current value: the
 * ring codes, encoded once per row, copied into each figure's run.
 */
static void
acc_fill(struct seeder *sd, struct acc *a, double t)
{
	size_t	j, n = sd->nslots;
	long	r;
	bool	ok;
	int	k;

	for (; a->j < n && sd->slot_t[a->j] < t; a->j = j) {
		/* a stretch of slots all covered by one run, or all not */
		r = sd->slot_run[a->j];
		ok = a->cur_t >= 0 && r >= 0 && a->cur_t >= sd->runs[r].start;
		for (j = a->j + 1; j < n && sd->slot_t[j] < t &&
		    sd->slot_run[j] == r; j++)
			;
		for (k = 0; k < HF__COUNT; k++) {
			uint16_t	 c = ok ? a->cur[k] : RING_NA;
			uint16_t	*p = sd->codes + (size_t)k * n;
			size_t		 i;

			if (!HAS(sd, k))
				continue;
			for (i = a->j; i < j; i++)
				p[i] = c;
		}
	}
}

/* A figure column: NULL (unknown) is selected as -1 (select_sql), FIG_NA. */
static uint64_t
col_value(sqlite3_stmt *s, int c)
{
	sqlite3_int64	v = sqlite3_column_int64(s, c);

	return v < 0 ? FIG_NA : (uint64_t)v;
}

static void
acc_row(struct seeder *sd, struct acc *a, sqlite3_stmt *s)
{
	double		t = sqlite3_column_double(s, COL_T);
	uint64_t	v, lo;
	int		k;

	acc_fill(sd, a, t);
	if (t < sd->win_start)
		a->before_win = FIG_NA;
	for (k = 0; k < HF__COUNT; k++) {
		if (!HAS(sd, k))
			continue;
		v = col_value(s, sd->col[k]);
		if (v != a->curv[k]) {
			a->curv[k] = v;
			a->cur[k] = ring_encode(v);
		}
		if (v == FIG_NA)
			continue;
		lo = v;
		if (k == FIG_RSS_ANON && col_value(s, sd->col_anon_min) !=
		    FIG_NA)
			lo = col_value(s, sd->col_anon_min);
		if (a->sd.first[k] == FIG_NA)
			a->sd.first[k] = v;
		if (a->sd.min[k] == FIG_NA || lo < a->sd.min[k])
			a->sd.min[k] = lo;
		if (a->sd.max[k] == FIG_NA || v > a->sd.max[k])
			a->sd.max[k] = v;
		if (k == FIG_RSS_ANON && t >= sd->win_start &&
		    (a->sd.win_min == FIG_NA || lo < a->sd.win_min))
			a->sd.win_min = lo;
	}
	if (t < sd->win_start)
		a->before_win = a->curv[FIG_RSS_ANON];
	a->cur_t = t;
}

/* One row of load_restarts' query, borrowed from the statement. */
struct inst {
	long long	 id;
	const char	*ident, *ns, *pod, *ctr;
	double		 first;
	bool		 live;
};

static void
inst_get(sqlite3_stmt *s, struct inst *in, double now)
{
	in->id = sqlite3_column_int64(s, 0);
	in->ident = (const char *)sqlite3_column_text(s, 1);
	in->ns = (const char *)sqlite3_column_text(s, 2);
	in->pod = (const char *)sqlite3_column_text(s, 3);
	in->ctr = (const char *)sqlite3_column_text(s, 4);
	in->first = sqlite3_column_double(s, 5);
	in->live = sqlite3_column_type(s, 6) == SQLITE_NULL ||
	    sqlite3_column_double(s, 6) > now;
}

static bool
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
restart_cmp(const void *a, const void *b)
{
	const struct restart	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * The restarts the store holds: the pods and containers of one namespace,
 * pod name (and container name), oldest first; each live one has as many
 * restarts as instances before it, the latest at its first sample. A pod
 * also gets its live containers' latest restart, and the most restarts any
 * of them had (a replaced pod's container restarted too: not added up).
 * Without names an instance cannot be matched: none.
 */
/*
 * Records live instance cur, n instances after the first (the one before
 * it: from). *pod is the record of its pod (a pod sorts before its
 * containers: NULL first), or SIZE_MAX.
 */
static void
restart_add(struct seeder *sd, const struct inst *cur, unsigned n,
    const char *from, size_t *pod)
{
	struct restart	*r = &sd->rs[sd->nrs], *p;

	memset(r, 0, sizeof *r);
	r->id = cur->id;
	r->n = n;
	if (n > 0) {
		r->at = cur->first;
		r->from = xstrdup(from);
		r->to = xstrdup(cur->ident);
	}
	if (cur->ctr == NULL)
		*pod = sd->nrs;
	else if (*pod != SIZE_MAX && n > 0) {
		p = &sd->rs[*pod];
		if (n > p->n)
			p->n = n;
		if (p->from == NULL || r->at > p->at) {
			free(p->from);
			free(p->to);
			p->at = r->at;
			p->from = xstrdup(r->from);
			p->to = xstrdup(r->to);
		}
	}
	sd->nrs++;
}

static int
load_restarts(struct store *st, struct seeder *sd)
{
	sqlite3_stmt	*s;
	struct inst	 cur;
	char		*prev[4] = { NULL };	/* ident, ns, pod, ctr */
	size_t		 cap = 0, pod = SIZE_MAX;
	unsigned	 n = 0;
	int		 rc, k;

	if (sqlite3_prepare_v2(store_db(st), "SELECT id, ident, namespace, "
	    "pod, container, first_seen, gone FROM entity WHERE (kind = 'pod' "
	    "OR (kind = 'container' AND container IS NOT NULL)) AND namespace "
	    "IS NOT NULL AND pod IS NOT NULL ORDER BY namespace, pod, "
	    "container, first_seen, id", -1, &s, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		inst_get(s, &cur, sd->now);
		if (cur.first > sd->now)
			continue;	/* not there yet */
		if (prev[0] == NULL || !same_str(cur.ns, prev[1]) ||
		    !same_str(cur.pod, prev[2]))
			pod = SIZE_MAX;
		if (prev[0] != NULL && same_str(cur.ns, prev[1]) &&
		    same_str(cur.pod, prev[2]) && same_str(cur.ctr, prev[3]))
			n++;
		else
			n = 0;
		if (cur.live) {
			if (sd->nrs == cap) {
				cap = cap * 2 + 16;
				sd->rs = xreallocarray(sd->rs, cap,
				    sizeof *sd->rs);
			}
			restart_add(sd, &cur, n, prev[0], &pod);
		}
		for (k = 0; k < 4; k++)
			free(prev[k]);
		prev[0] = xstrdup(cur.ident);
		prev[1] = xstrdup(cur.ns);
		prev[2] = xstrdup(cur.pod);
		prev[3] = cur.ctr != NULL ? xstrdup(cur.ctr) : NULL;
	}
	for (k = 0; k < 4; k++)
		free(prev[k]);
	sqlite3_finalize(s);
	if (sd->nrs > 1)
		qsort(sd->rs, sd->nrs, sizeof *sd->rs, restart_cmp);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The restart of entity id into a's seed, and the slot it falls in. */
static void
acc_restart(struct seeder *sd, struct acc *a)
{
	struct restart	 key = { .id = a->id }, *r;
	size_t		 j;

	a->sd.restart_sample = sd->nslots;
	a->sd.restarts = -1;
	r = sd->nrs == 0 ? NULL : bsearch(&key, sd->rs, sd->nrs,
	    sizeof *sd->rs, restart_cmp);
	if (r == NULL)
		return;
	a->sd.restarts = (int)r->n;
	a->sd.restarted_at = r->at;
	a->sd.restart_from = r->from;
	a->sd.restart_to = r->to;
	if (r->from == NULL)
		return;
	for (j = 0; j < sd->nslots && sd->slot_t[j] < r->at; j++)
		;
	if (j < sd->nslots)
		a->sd.restart_sample = j;
}

static void
acc_finish(struct seeder *sd, struct acc *a)
{
	/* alive at the last recorded moment: written by the latest run */
	if (!a->skip && a->cur_t >= sd->last_start) {
		acc_fill(sd, a, sd->now + 1);
		/* the value carried into the window counts for its minimum */
		if (a->before_win != FIG_NA && run_at(sd, sd->win_start) >= 0 &&
		    (a->sd.win_min == FIG_NA || a->before_win < a->sd.win_min))
			a->sd.win_min = a->before_win;
		a->sd.codes = sd->codes;
		a->sd.nsamples = sd->nslots;
		a->sd.figs = sd->figs;
		acc_restart(sd, a);
		a->sd.t0 = sd->nslots > 0 ? sd->slot_t[0] : sd->now;
		a->sd.step = sd->nslots > 1 ? sd->slot_t[1] - sd->slot_t[0] :
		    0;
		if (sd->more)
			history_seed_more(sd->h, a->ident, &a->sd);
		else
			history_seed(sd->h, a->ident, &a->sd);
		sd->seeded++;
	}
	free(a->ident);
	a->ident = NULL;
}

/*
 * One entity's samples up to a moment, in time order (the sample table's
 * primary key): prepared once, bound per entity. NULL is selected as -1
 * (no figure is negative), so a column is one call.
 */
static char *
select_sql(struct seeder *sd)
{
	char	*cols = xstrdup(""), *t, *sql;
	int	 k, c = COL_T + 1;

	for (k = 0; k < HF__COUNT; k++) {
		sd->col[k] = -1;
		if (!HAS(sd, k))
			continue;
		t = xasprintf("%s, ifnull(%s, -1)", cols, store_col_name(
		    store_hf_col(k)));
		free(cols);
		cols = t;
		sd->col[k] = c++;
	}
	sd->col_anon_min = c;
	sql = xasprintf("SELECT t%s, ifnull(anon_min, -1) FROM sample WHERE "
	    "entity = ?1 AND t <= ?2 ORDER BY t", cols);
	free(cols);
	return sql;
}

/*
 * Whether process identity ident names a process alive now: this boot's,
 * its pid there with the same start time.
 */
static bool
proc_alive(const char *ident, const char *boot_id)
{
	struct proc_sample	 ps;
	struct buf		 b = { 0 };
	unsigned long long	 start;
	size_t			 blen = strlen(boot_id);
	char			 path[64];
	int			 pid;
	bool			 alive;

	if (ent_id_process_parse(ident, &pid, &start) != 0)
		return true;	/* not a process */
	if (blen > 0 && (strncmp(ident + 5, boot_id, blen) != 0 ||
	    ident[5 + blen] != ':'))
		return false;
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	memset(&ps, 0, sizeof ps);
	alive = read_file(path, &b, 4096) == 0 &&
	    procscan_parse_stat(b.data, &ps) == 0 && ps.start == start;
	free(b.data);
	return alive;
}

/* This kernel's boot id, "" if unreadable. */
static void
boot_id_read(char *buf, size_t len)
{
	struct buf	b = { 0 };

	buf[0] = '\0';
	if (read_file("/proc/sys/kernel/random/boot_id", &b, 64) == 0)
		snprintf(buf, len, "%.*s", (int)strcspn(b.data, "\n"), b.data);
	free(b.data);
}

/*
 * The entities not gone at now, by id; with live, only the processes
 * alive now (a store whose recorder stopped still has the processes that
 * exited since as not gone).
 */
static int
seed_entities(struct store *st, struct seeder *sd, bool live,
    sqlite3_stmt *samples, struct seed_info *info)
{
	sqlite3_stmt	*e;
	struct acc	 a;
	int		 rc, src = SQLITE_DONE;

	if (sqlite3_prepare_v2(store_db(st), "SELECT id, ident FROM entity "
	    "WHERE gone IS NULL OR gone > ?1 ORDER BY id", -1, &e, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_double(e, 1, sd->now);
	sqlite3_bind_double(samples, 2, sd->now);
	while ((rc = sqlite3_step(e)) == SQLITE_ROW) {
		const char	*ident = (const char *)sqlite3_column_text(e, 1);

		acc_start(sd, &a, sqlite3_column_int64(e, 0), ident);
		if (!a.skip && live && !proc_alive(ident, sd->boot_id))
			a.skip = true;
		if (!a.skip) {
			sqlite3_bind_int64(samples, 1, a.id);
			while ((src = sqlite3_step(samples)) == SQLITE_ROW) {
				acc_row(sd, &a, samples);
				info->rows++;
			}
			sqlite3_reset(samples);
			if (src != SQLITE_DONE) {
				free(a.ident);
				break;
			}
		}
		acc_finish(sd, &a);
	}
	sqlite3_finalize(e);
	return rc == SQLITE_DONE && src == SQLITE_DONE ? 0 : -1;
}

int
seed_history(struct store *st, struct history *h, const struct seed_req *q,
    struct seed_info *info, char *why, size_t len)
{
	struct seeder	 sd;
	sqlite3_stmt	*s = NULL;
	char		*sql;
	size_t		 i;
	int		 rc = -1;

	memset(&sd, 0, sizeof sd);
	memset(info, 0, sizeof *info);
	info->since = -1;
	sd.h = h;
	sd.now = q->now;
	sd.win_start = q->now - q->window;
	sd.boot_id = q->boot_id != NULL ? q->boot_id : "";
	sd.figs = q->figs != 0 ? q->figs : SEED_FIGS_ALL;
	sd.more = q->more;
	if (load_runs(st, &sd) != 0 || (!q->more &&
	    load_restarts(st, &sd) != 0))
		goto out;
	if (sd.nruns == 0) {
		rc = 0;
		goto out;
	}
	info->since = sd.runs[0].start;
	sd.last_start = sd.runs[sd.nruns - 1].start;
	make_slots(&sd, q->delay, q->cap ? q->cap : 1);
	sd.codes = xcalloc((sd.nslots + 1) * HF__COUNT, sizeof *sd.codes);
	sql = select_sql(&sd);
	rc = sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK ?
	    seed_entities(st, &sd, q->live, s, info) : -1;
	free(sql);
out:
	if (rc != 0)
		snprintf(why, len, "cannot read %s: %s", store_path(st),
		    sqlite3_errmsg(store_db(st)));
	free(sd.codes);
	sqlite3_finalize(s);
	info->entities = sd.seeded;
	free(sd.runs);
	for (i = 0; i < sd.nrs; i++) {
		free(sd.rs[i].from);
		free(sd.rs[i].to);
	}
	free(sd.rs);
	free(sd.slot_t);
	free(sd.slot_run);
	return rc;
}

/* "18:02", or "Nov 29 18:02" when not today. */
static void
hhmm(double t, double now, char *buf, size_t len)
{
	time_t		tt = (time_t)t, tn = (time_t)now;
	struct tm	a, b;

	localtime_r(&tt, &a);
	localtime_r(&tn, &b);
	strftime(buf, len, a.tm_yday == b.tm_yday && a.tm_year == b.tm_year ?
	    "%H:%M" : "%b %d %H:%M", &a);
}

int
seed_load(const char *path, struct history *h, const struct seed_req *rq,
    char *note, size_t len)
{
	struct seed_req		 q = *rq;
	struct store		*st;
	struct seed_info	 info;
	char			 why[512], when[32], boot[40];
	bool			 have;
	int			 rc;

	st = store_open_reader(path, why, sizeof why);
	have = st != NULL;
	if (st == NULL && why[0] != '\0') {
		snprintf(note, len, "no history: %s", why);
		return -1;
	}
	boot_id_read(boot, sizeof boot);
	q.boot_id = boot;
	q.live = true;
	rc = !have ? 0 : seed_history(st, h, &q, &info, why, sizeof why);
	store_close(st);
	if (rc != 0) {
		snprintf(note, len, "no history: %s", why);
		return -1;
	}
	if (q.more)
		return have && info.since >= 0;
	if (!have || info.since < 0) {
		hhmm(q.now, q.now, when, sizeof when);
		snprintf(note, len, "no history before %s: start `memtop "
		    "record`, see README", when);
		return 0;
	}
	hhmm(info.since, q.now, when, sizeof when);
	snprintf(note, len, "history since %s from %s", when, path);
	return 1;
}
