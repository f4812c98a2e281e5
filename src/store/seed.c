#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/seed.h"
#include "store_int.h"
#include "util/xmalloc.h"

/*
 * Reading the store at start. The recorder writes an entity only when it
 * moved, so the value at a moment is the entity's last sample before it,
 * provided a recorder was running then (the run table) and that sample was
 * written by that same run (a recorder writes every entity when it starts).
 */

#define SEED_SPAN	86400.0		/* the rings reach back at most 24 h */

struct run {
	double	start, end;
};

struct acc {
	long long	 id;
	char		*ident;
	struct hist_seed sd;
	uint64_t	(*slot)[HF__COUNT];
	uint64_t	 cur[HF__COUNT];
	double		 cur_t;		/* < 0: no row yet */
	uint64_t	 before_win;	/* RssAnon just before the window */
	size_t		 j;		/* next slot to fill */
	bool		 skip;
};

struct seeder {
	struct history	*h;
	struct run	*runs;
	size_t		 nruns;
	double		 now, win_start, last_start;
	double		*slot_t;	/* each slot's moment */
	long		*slot_run;	/* its run, or -1: a gap */
	size_t		 nslots;
	const char	*boot_id;
	size_t		 seeded;
	uint64_t	(*slot)[HF__COUNT];	/* one entity's, reused */
};

static int
load_runs(struct store *st, struct seeder *sd)
{
	sqlite3_stmt	*s;
	size_t		 cap = 0;
	int		 rc;

	if (sqlite3_prepare_v2(store_db(st), "SELECT started, last, interval "
	    "FROM run ORDER BY started", -1, &s, NULL) != SQLITE_OK)
		return -1;
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
	for (i = 0; i < sd->nslots; i++) {
		sd->slot_t[i] = sd->now - (double)(sd->nslots - i) * w;
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
	for (k = 0; k < HF__COUNT; k++)
		a->sd.first[k] = a->sd.min[k] = a->sd.max[k] = a->cur[k] =
		    FIG_NA;
	a->slot = sd->slot;
	/* a process of another boot cannot be alive now */
	a->skip = strncmp(ident, "proc:", 5) == 0 && blen > 0 &&
	    (strncmp(ident + 5, sd->boot_id, blen) != 0 ||
	    ident[5 + blen] != ':');
}

/* Fills the slots up to moment t (exclusive) with the current value. */
static void
acc_fill(struct seeder *sd, struct acc *a, double t)
{
	long	r;
	int	k;

	for (; a->j < sd->nslots && sd->slot_t[a->j] < t; a->j++) {
		r = sd->slot_run[a->j];
		for (k = 0; k < HF__COUNT; k++)
			a->slot[a->j][k] = a->cur_t >= 0 && r >= 0 &&
			    a->cur_t >= sd->runs[r].start ? a->cur[k] : FIG_NA;
	}
}

static void
acc_row(struct seeder *sd, struct acc *a, sqlite3_stmt *s)
{
	double		t = sqlite3_column_double(s, 2);
	uint64_t	v, lo;
	int		k;

	acc_fill(sd, a, t);
	if (t < sd->win_start)
		a->before_win = FIG_NA;
	for (k = 0; k < HF__COUNT; k++) {
		v = sqlite3_column_type(s, 3 + k) == SQLITE_NULL ? FIG_NA :
		    (uint64_t)sqlite3_column_int64(s, 3 + k);
		a->cur[k] = v;
		if (v == FIG_NA)
			continue;
		lo = v;
		if (k == FIG_RSS_ANON && sqlite3_column_type(s,
		    3 + HF__COUNT) != SQLITE_NULL)
			lo = (uint64_t)sqlite3_column_int64(s, 3 + HF__COUNT);
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
		a->before_win = a->cur[FIG_RSS_ANON];
	a->cur_t = t;
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
		a->sd.samples = (const uint64_t (*)[HF__COUNT])a->slot;
		a->sd.nsamples = sd->nslots;
		a->sd.t0 = sd->nslots > 0 ? sd->slot_t[0] : sd->now;
		a->sd.step = sd->nslots > 1 ? sd->slot_t[1] - sd->slot_t[0] :
		    0;
		history_seed(sd->h, a->ident, &a->sd);
		sd->seeded++;
	}
	free(a->ident);
	a->ident = NULL;
}

static char *
select_sql(void)
{
	char	*cols = xstrdup(""), *t, *sql;
	int	 c;

	for (c = 0; c < HF__COUNT; c++) {
		t = xasprintf("%s, s.%s", cols, store_col_name(c));
		free(cols);
		cols = t;
	}
	sql = xasprintf("SELECT s.entity, e.ident, s.t%s, s.anon_min "
	    "FROM sample s JOIN entity e ON e.id = s.entity "
	    "WHERE e.gone IS NULL ORDER BY s.entity, s.t", cols);
	free(cols);
	return sql;
}

int
seed_history(struct store *st, struct history *h, const char *boot_id,
    double now, double delay, double window, uint32_t cap,
    struct seed_info *info, char *why, size_t len)
{
	struct seeder	 sd;
	struct acc	 a;
	sqlite3_stmt	*s = NULL;
	char		*sql;
	int		 rc = -1, src;

	memset(&sd, 0, sizeof sd);
	memset(&a, 0, sizeof a);
	memset(info, 0, sizeof *info);
	info->since = -1;
	sd.h = h;
	sd.now = now;
	sd.win_start = now - window;
	sd.boot_id = boot_id != NULL ? boot_id : "";
	if (load_runs(st, &sd) != 0)
		goto out;
	if (sd.nruns == 0) {
		rc = 0;
		goto out;
	}
	info->since = sd.runs[0].start;
	sd.last_start = sd.runs[sd.nruns - 1].start;
	make_slots(&sd, delay, cap ? cap : 1);
	sd.slot = xcalloc(sd.nslots + 1, sizeof *sd.slot);
	sql = select_sql();
	src = sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL);
	free(sql);
	if (src != SQLITE_OK)
		goto out;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		long long	id = sqlite3_column_int64(s, 0);

		if (a.ident == NULL || a.id != id) {
			if (a.ident != NULL)
				acc_finish(&sd, &a);
			acc_start(&sd, &a, id,
			    (const char *)sqlite3_column_text(s, 1));
		}
		acc_row(&sd, &a, s);
		info->rows++;
	}
	if (a.ident != NULL)
		acc_finish(&sd, &a);
	if (src == SQLITE_DONE)
		rc = 0;
out:
	if (rc != 0)
		snprintf(why, len, "cannot read %s: %s", store_path(st),
		    sqlite3_errmsg(store_db(st)));
	free(a.ident);
	free(sd.slot);
	sqlite3_finalize(s);
	info->entities = sd.seeded;
	free(sd.runs);
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
seed_load(const char *path, struct history *h, double now, double delay,
    double window, uint32_t cap, char *note, size_t len)
{
	struct store		*st;
	struct seed_info	 info;
	char			 why[512], when[32];
	bool			 have;
	int			 rc;

	st = store_open_reader(path, why, sizeof why);
	have = st != NULL;
	if (st == NULL && why[0] != '\0') {
		snprintf(note, len, "no history: %s", why);
		return -1;
	}
	rc = !have ? 0 : seed_history(st, h, NULL, now, delay, window,
	    cap, &info, why, sizeof why);
	store_close(st);
	if (rc != 0) {
		snprintf(note, len, "no history: %s", why);
		return -1;
	}
	if (!have || info.since < 0) {
		hhmm(now, now, when, sizeof when);
		snprintf(note, len, "no history before %s: start `memtop "
		    "record`, see README", when);
		return 0;
	}
	hhmm(info.since, now, when, sizeof when);
	snprintf(note, len, "history since %s from %s", when, path);
	return 1;
}
