#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/entity.h"
#include "store/store.h"
#include "store_int.h"
#include "util/clock.h"
#include "util/hash.h"
#include "util/xmalloc.h"

/*
 * The recorder: one transaction per refresh, a row only for an entity whose
 * figures moved (or whose heartbeat is due). What was last written for each
 * entity is kept in memory to decide.
 */

/* A byte figure moved when it changed by more than both of these. */
#define MOVE_BYTES	(256ULL << 10)
#define MOVE_PCT	1
/* A count (mappings, tally counts) by more than both of these. */
#define MOVE_COUNT	8
#define MOVE_COUNT_PCT	2
/* Thinning and the cap run every this many seconds of recorded time. */
#define MAINT_EVERY	600

struct store_ent {
	char			*ident;
	long long		 id;		/* 0: not upserted this run */
	uint64_t		 v[STORE_NCOL];	/* last written; FIG_NA */
	unsigned		 partial;
	double			 written;	/* when; < 0: never */
	bool			 nameless;	/* upserted without its names */
	unsigned long		 seen;		/* store tick */
	struct store_ent	*next;
};

/* What one entity is now. */
struct rec {
	const char	*ident;
	enum ent_kind	 kind;
	const char	*ns, *pod, *ctr, *cmd;
	uint64_t	 v[STORE_NCOL];
	unsigned	 partial;
};

static int
prep(struct store *st, const char *sql, sqlite3_stmt **out)
{
	return sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    out, NULL) == SQLITE_OK ? 0 : -1;
}

int
store_record_init(struct store *st)
{
	char	*cols, *qs, *t, *sql;
	int	 c, rc;

	st->nbucket = 1024;
	st->bucket = xcalloc(st->nbucket, sizeof *st->bucket);
	cols = xstrdup("");
	qs = xstrdup("");
	for (c = 0; c < STORE_NCOL; c++) {
		t = xasprintf("%s, %s", cols, store_col_name(c));
		free(cols);
		cols = t;
		t = xasprintf("%s, ?%d", qs, c + 4);
		free(qs);
		qs = t;
	}
	sql = xasprintf("INSERT OR REPLACE INTO sample (entity, t, partial%s) "
	    "VALUES (?1, ?2, ?3%s)", cols, qs);
	free(cols);
	free(qs);
	rc = prep(st, sql, &st->st_sample) == 0 &&
	    prep(st, "INSERT INTO entity (ident, kind, namespace, pod, "
	    "container, command, first_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7) ON CONFLICT (ident) DO UPDATE SET gone = NULL, "
	    "namespace = coalesce(excluded.namespace, namespace), "
	    "pod = coalesce(excluded.pod, pod), "
	    "container = coalesce(excluded.container, container), "
	    "command = coalesce(excluded.command, command) RETURNING id",
	    &st->st_upsert) == 0 &&
	    prep(st, "UPDATE entity SET gone = ?2 WHERE id = ?1",
	    &st->st_gone) == 0 &&
	    prep(st, "INSERT INTO run (pid, boot_id, started, last, interval) "
	    "VALUES (?1, ?2, ?3, ?3, ?4)", &st->st_run_new) == 0 &&
	    prep(st, "UPDATE run SET last = ?2 WHERE id = ?1",
	    &st->st_run_last) == 0 ? 0 : -1;
	free(sql);
	return rc;
}

static void
ent_free(struct store_ent *e)
{
	free(e->ident);
	free(e);
}

void
store_record_done(struct store *st)
{
	struct store_ent	*e, *next;
	size_t			 i;

	for (i = 0; i < st->nbucket; i++) {
		for (e = st->bucket[i]; e != NULL; e = next) {
			next = e->next;
			ent_free(e);
		}
	}
	free(st->bucket);
	st->bucket = NULL;
	if (st->db == NULL)
		return;	/* not opened: SQLite may not even be loaded */
	sqlite3_finalize(st->st_sample);
	sqlite3_finalize(st->st_upsert);
	sqlite3_finalize(st->st_gone);
	sqlite3_finalize(st->st_run_new);
	sqlite3_finalize(st->st_run_last);
}

static struct store_ent *
ent_get(struct store *st, const char *ident)
{
	size_t			 i = hash_str(ident) & (st->nbucket - 1);
	struct store_ent	*e;
	int			 c;

	for (e = st->bucket[i]; e != NULL; e = e->next)
		if (strcmp(e->ident, ident) == 0)
			return e;
	e = xcalloc(1, sizeof *e);
	e->ident = xstrdup(ident);
	e->written = -1;
	for (c = 0; c < STORE_NCOL; c++)
		e->v[c] = FIG_NA;
	e->next = st->bucket[i];
	st->bucket[i] = e;
	st->nent++;
	return e;
}

static bool
moved(uint64_t a, uint64_t b, bool count)
{
	uint64_t	d, big;

	if (a == b)
		return false;
	if (a == FIG_NA || b == FIG_NA)
		return true;
	d = a > b ? a - b : b - a;
	big = a > b ? a : b;
	if (count)
		return d > MOVE_COUNT && d * 100 > big * MOVE_COUNT_PCT;
	return d > MOVE_BYTES && d * 100 > big * MOVE_PCT;
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

static void
bind_u64(sqlite3_stmt *s, int i, uint64_t v)
{
	if (v == FIG_NA || v > (uint64_t)INT64_MAX)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, (sqlite3_int64)v);
}

/* Runs a bound statement to its end (or its one RETURNING row). */
static int
step(sqlite3_stmt *s, long long *id)
{
	int	rc = sqlite3_step(s);

	if (rc == SQLITE_ROW && id != NULL)
		*id = sqlite3_column_int64(s, 0);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * A pod or container whose names are not known yet (its log link came
 * after its cgroup): the entity row gets them as soon as they are, not at
 * the next heartbeat, so that a restart can be matched by name.
 */
static bool
r_nameless(const struct rec *r)
{
	return (r->kind == ENT_POD || r->kind == ENT_CONTAINER) &&
	    (r->ns == NULL || r->pod == NULL || (r->kind == ENT_CONTAINER &&
	    r->ctr == NULL));
}

static int
upsert(struct store *st, struct store_ent *e, const struct rec *r,
    double now)
{
	sqlite3_stmt	*s = st->st_upsert;

	bind_text(s, 1, r->ident);
	bind_text(s, 2, ent_kind_name(r->kind));
	bind_text(s, 3, r->ns);
	bind_text(s, 4, r->pod);
	bind_text(s, 5, r->ctr);
	bind_text(s, 6, r->cmd);
	sqlite3_bind_double(s, 7, now);
	e->nameless = r_nameless(r);
	return step(s, &e->id);
}

/* Writes r's sample if it moved or its heartbeat is due. */
static int
record_one(struct store *st, const struct rec *r, double now)
{
	struct store_ent	*e = ent_get(st, r->ident);
	sqlite3_stmt		*s = st->st_sample;
	bool			 due, beat, named;
	int			 c;

	e->seen = st->tick;
	beat = e->written < 0 || now - e->written >= st->o.heartbeat;
	named = e->nameless && !r_nameless(r);
	due = beat || named || e->partial != r->partial;
	for (c = 0; c < STORE_NCOL && !due; c++)
		due = moved(e->v[c], r->v[c], c >= STORE_C_NMAPS &&
		    c < STORE_C_TBYTES);
	if (!due)
		return 0;
	if ((e->id == 0 || beat || named) && upsert(st, e, r, now) != 0)
		return -1;
	sqlite3_bind_int64(s, 1, e->id);
	sqlite3_bind_double(s, 2, now);
	sqlite3_bind_int(s, 3, (int)r->partial);
	for (c = 0; c < STORE_NCOL; c++)
		bind_u64(s, c + 4, r->v[c]);
	if (step(s, NULL) != 0)
		return -1;
	st->stats.rows++;
	memcpy(e->v, r->v, sizeof e->v);
	e->partial = r->partial;
	e->written = now;
	return 0;
}

static void
rec_init(struct rec *r, const char *ident, enum ent_kind kind,
    const struct fig_sum *sum, const uint64_t *fig)
{
	struct fig_val	fv;
	int		c;

	memset(r, 0, sizeof *r);
	r->ident = ident;
	r->kind = kind;
	for (c = 0; c < STORE_NCOL; c++)
		r->v[c] = FIG_NA;
	for (c = 0; c < FIG__COUNT; c++) {
		fv = fig_get(sum, fig, c);
		r->v[c] = fv.state == FIG_UNKNOWN ? FIG_NA : fv.v;
		if (fv.state == FIG_PARTIAL)
			r->partial |= 1U << c;
	}
}

static int
record_proc(struct store *st, const struct tree_ctr *c, const char *ns,
    const struct tree_proc *p, double now)
{
	const struct snap_proc	*sp = p->sp;
	struct rec		 r;
	int			 i;

	rec_init(&r, p->ident, ENT_PROCESS, NULL, sp->fig);
	r.ns = ns;
	r.pod = c->pod;
	r.ctr = c->name;
	r.cmd = sp->cmdline != NULL && sp->cmdline[0] != '\0' ? sp->cmdline :
	    sp->comm;
	if (sp->nmaps >= 0) {
		r.v[STORE_C_NMAPS] = (uint64_t)sp->nmaps;
		r.v[STORE_C_NANON] = sp->nanon >= 0 ? (uint64_t)sp->nanon :
		    FIG_NA;
		for (i = 0; i < MAPS_TALLY_RULES; i++) {
			r.v[STORE_C_TCOUNT + i] = sp->tally.count[i];
			r.v[STORE_C_TBYTES + i] = sp->tally.bytes[i];
		}
	}
	return record_one(st, &r, now);
}

static int
record_tree(struct store *st, const struct tree *t, double now)
{
	struct rec	r;
	size_t		gi, ci, pi;

	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		rec_init(&r, g->ident, g->kind, &g->sum, NULL);
		r.ns = g->namespace;
		r.pod = g->pod;
		r.v[STORE_C_CHARGE] = g->st.charge;
		r.v[STORE_C_LIMIT] = g->st.limit;
		r.v[STORE_C_WSET] = g->st.wset;
		if (record_one(st, &r, now) != 0)
			return -1;
		for (ci = 0; ci < g->nctrs; ci++) {
			const struct tree_ctr	*c = &g->ctrs[ci];

			if (strcmp(c->ident, g->ident) != 0) {
				rec_init(&r, c->ident, ENT_CONTAINER, &c->sum,
				    NULL);
				r.ns = g->namespace;
				r.pod = c->pod != NULL ? c->pod : g->pod;
				r.ctr = c->name;
				r.v[STORE_C_CHARGE] = c->st.charge;
				r.v[STORE_C_LIMIT] = c->st.limit;
				r.v[STORE_C_WSET] = c->st.wset;
				if (record_one(st, &r, now) != 0)
					return -1;
			}
			for (pi = 0; pi < c->nprocs; pi++) {
				if (c->procs[pi].gone)
					continue;
				if (record_proc(st, c, g->namespace,
				    &c->procs[pi], now) != 0)
					return -1;
			}
		}
	}
	return 0;
}

/* Marks entities not seen this refresh as gone and forgets them. */
static int
sweep(struct store *st, double now)
{
	struct store_ent	**ep, *e;
	size_t			  i;
	int			  rc = 0;

	for (i = 0; i < st->nbucket; i++) {
		for (ep = &st->bucket[i]; (e = *ep) != NULL;) {
			if (e->seen == st->tick) {
				ep = &e->next;
				continue;
			}
			if (rc == 0 && e->id != 0) {
				sqlite3_bind_int64(st->st_gone, 1, e->id);
				sqlite3_bind_double(st->st_gone, 2, now);
				rc = step(st->st_gone, NULL);
			}
			*ep = e->next;
			ent_free(e);
			st->nent--;
		}
	}
	return rc;
}

static int
record_run(struct store *st, const struct snapshot *sn)
{
	sqlite3_stmt	*s;

	if (st->run_id != 0) {
		s = st->st_run_last;
		sqlite3_bind_int64(s, 1, st->run_id);
		sqlite3_bind_double(s, 2, sn->time);
		return step(s, NULL);
	}
	s = st->st_run_new;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)getpid());
	bind_text(s, 2, sn->boot_id[0] != '\0' ? sn->boot_id : NULL);
	sqlite3_bind_double(s, 3, sn->time);
	sqlite3_bind_double(s, 4, st->o.interval);
	if (step(s, NULL) != 0)
		return -1;
	st->run_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* After a failed write: forget what was written, start a new run. */
static void
forget(struct store *st)
{
	struct store_ent	*e;
	size_t			 i;

	for (i = 0; i < st->nbucket; i++) {
		for (e = st->bucket[i]; e != NULL; e = e->next) {
			e->id = 0;
			e->written = -1;
		}
	}
	st->run_id = 0;
}

void
store_get_stats(const struct store *st, struct store_stats *out)
{
	*out = st->stats;
}

static int	record(struct store *, const struct snapshot *,
		    const struct tree *);

int
store_record(struct store *st, const struct snapshot *sn,
    const struct tree *t)
{
	double	t0 = clock_thread_cpu();
	int	rc = record(st, sn, t);

	t0 = clock_thread_cpu() - t0;
	if (st->stats.refreshes++ == 0)
		st->stats.cpu_first = t0;
	else
		st->stats.cpu += t0;
	return rc;
}

static int
record(struct store *st, const struct snapshot *sn, const struct tree *t)
{
	if (st->readonly)
		return -1;
	st->tick++;
	if (store_exec(st, "BEGIN IMMEDIATE") != 0 ||
	    record_run(st, sn) != 0 || record_tree(st, t, sn->time) != 0 ||
	    sweep(st, sn->time) != 0 || store_exec(st, "COMMIT") != 0) {
		if (!st->failing)
			store_say(st, "cannot write, not recording until it "
			    "can (the rest keeps running)");
		st->failing = true;
		store_exec(st, "ROLLBACK");
		forget(st);
		return -1;
	}
	if (st->failing)
		fprintf(stderr, "memtop: store %s: recording again\n",
		    st->path);
	st->failing = false;
	if (st->last_maint == 0)
		st->last_maint = sn->time;
	else if (sn->time - st->last_maint >= MAINT_EVERY) {
		st->last_maint = sn->time;
		store_maintain(st, sn->time);
	}
	return 0;
}
