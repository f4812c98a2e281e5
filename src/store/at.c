#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/at.h"
#include "store_int.h"
#include "util/xmalloc.h"

/*
 * A recorded moment: one query gives every entity alive at t with its last
 * sample (and its anon minimums for growth), then the tree is put together
 * from the identities and names: containers under their pod (by namespace
 * and pod name, or "<group>/-" under its group), processes under the
 * container of their names.
 */

/* One entity at t. */
struct row {
	enum ent_kind	 kind;
	const char	*ident, *ns, *pod, *ctr, *cmd;	/* at_moment's strs */
	uint64_t	 v[STORE_NCOL];
	unsigned	 partial;
	int64_t		 growth, growth_win;
	size_t		 placed;	/* processes under it */
	long		 group;		/* its tree group; -1 none */
};

static const char *
keep(struct at_moment *m, const unsigned char *s)
{
	if (s == NULL)
		return NULL;
	if (m->nstrs == m->strcap) {
		m->strcap = m->strcap * 2 + 64;
		m->strs = xreallocarray(m->strs, m->strcap, sizeof *m->strs);
	}
	return m->strs[m->nstrs++] = xstrdup((const char *)s);
}

static enum ent_kind
kind_of(const char *name)
{
	int	k;

	for (k = 0; k < ENT__COUNT; k++)
		if (name != NULL && strcmp(ent_kind_name(k), name) == 0)
			return k;
	return ENT_OTHER;
}

static uint64_t
col_u64(sqlite3_stmt *s, int c)
{
	return sqlite3_column_type(s, c) == SQLITE_NULL ? FIG_NA :
	    (uint64_t)sqlite3_column_int64(s, c);
}

static char *
moment_sql(void)
{
	char	*cols = store_cols_sql(STORE_NCOL), *sql;

	/* ?1 the moment, ?2 its run's start, ?3 the window's start */
	sql = xasprintf("SELECT e.ident, e.kind, e.namespace, e.pod, "
	    "e.container, e.command, s.partial, "
	    "(SELECT min(coalesce(x.anon_min, x.rss_anon)) FROM sample x "
	    "WHERE x.entity = e.id AND x.t <= ?1), "
	    "(SELECT min(coalesce(x.anon_min, x.rss_anon)) FROM sample x "
	    "WHERE x.entity = e.id AND x.t <= ?1 AND x.t >= ?3), "
	    "(SELECT x.rss_anon FROM sample x WHERE x.entity = e.id AND "
	    "x.t < ?3 AND x.t >= ?2 ORDER BY x.t DESC LIMIT 1)%s "
	    "FROM entity e JOIN sample s ON s.entity = e.id AND s.t = "
	    "(SELECT max(t) FROM sample WHERE entity = e.id AND t <= ?1) "
	    "WHERE s.t >= ?2 AND (e.gone IS NULL OR e.gone > ?1) "
	    "ORDER BY e.id", cols);
	free(cols);
	return sql;
}

static void
row_get(struct at_moment *m, sqlite3_stmt *s, struct row *r)
{
	uint64_t	amin, wmin, before;
	int		c;

	memset(r, 0, sizeof *r);
	r->group = -1;
	r->ident = keep(m, sqlite3_column_text(s, 0));
	r->kind = kind_of((const char *)sqlite3_column_text(s, 1));
	r->ns = keep(m, sqlite3_column_text(s, 2));
	r->pod = keep(m, sqlite3_column_text(s, 3));
	r->ctr = keep(m, sqlite3_column_text(s, 4));
	r->cmd = keep(m, sqlite3_column_text(s, 5));
	r->partial = (unsigned)sqlite3_column_int64(s, 6);
	amin = col_u64(s, 7);
	wmin = col_u64(s, 8);
	before = col_u64(s, 9);
	for (c = 0; c < STORE_NCOL; c++)
		r->v[c] = col_u64(s, 10 + c);
	/* growth as the live history has it (model/history.c) */
	if (before != FIG_NA && (wmin == FIG_NA || before < wmin))
		wmin = before;
	if (r->v[FIG_RSS_ANON] != FIG_NA) {
		if (amin != FIG_NA && amin <= r->v[FIG_RSS_ANON])
			r->growth = (int64_t)(r->v[FIG_RSS_ANON] - amin);
		if (wmin != FIG_NA && wmin <= r->v[FIG_RSS_ANON])
			r->growth_win = (int64_t)(r->v[FIG_RSS_ANON] - wmin);
	}
}

/* The recorder run covering t: its start, or -1 (why says when they ran). */
static double
covering_run(struct store *st, double t, char *why, size_t len)
{
	sqlite3_stmt	*s;
	double		 start = -1, lo = -1, hi = -1;
	char		 a[32], b[32], w[32];
	time_t		 tt;
	struct tm	 tm;

	/* (a millisecond of slack: a moment printed to the second's
	   fraction may round its run's first refresh down) */
	if (sqlite3_prepare_v2(store_db(st), "SELECT started FROM run WHERE "
	    "started <= ?1 + 0.001 AND ?1 <= last + 1.5 * interval ORDER BY "
	    "started DESC LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		return -2;
	sqlite3_bind_double(s, 1, t);
	if (sqlite3_step(s) == SQLITE_ROW)
		start = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	if (start >= 0)
		return start;
	if (sqlite3_prepare_v2(store_db(st), "SELECT min(started), max(last) "
	    "FROM run", -1, &s, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL) {
		lo = sqlite3_column_double(s, 0);
		hi = sqlite3_column_double(s, 1);
	}
	sqlite3_finalize(s);
	tt = (time_t)t;
	localtime_r(&tt, &tm);
	strftime(w, sizeof w, "%Y-%m-%d %H:%M:%S", &tm);
	if (lo < 0) {
		snprintf(why, len, "nothing recorded at %s: %s holds no "
		    "recording", w, store_path(st));
		return -1;
	}
	tt = (time_t)lo;
	localtime_r(&tt, &tm);
	strftime(a, sizeof a, "%Y-%m-%d %H:%M:%S", &tm);
	tt = (time_t)hi;
	localtime_r(&tt, &tm);
	strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(why, len, "nothing recorded at %s: no recorder ran then "
	    "(%s holds %s to %s, with gaps where none ran)", w,
	    store_path(st), a, b);
	return -1;
}

static void
sum_from(struct fig_sum *sum, const struct row *r, size_t members)
{
	unsigned	n = members > 0 ? (unsigned)members : 1;
	int		k;

	memset(sum, 0, sizeof *sum);
	sum->n = n;
	for (k = 0; k < FIG__COUNT; k++) {
		sum->v[k] = r->v[k] == FIG_NA ? FIG_NA : r->v[k];
		/* unknown: no member known; partial: some not */
		sum->na[k] = r->v[k] == FIG_NA ? n :
		    (r->partial & (1U << k)) && n > 1 ? 1 : 0;
	}
}

static void
stats_from(struct at_moment *m, struct tree_stats *st, const struct row *r,
    size_t i)
{
	struct cg_mem	*mem = &m->mems[i];

	memset(st, 0, sizeof *st);
	st->growth = r->growth;
	st->growth_win = r->growth_win;
	st->charge = r->v[STORE_C_CHARGE];
	st->limit = r->v[STORE_C_LIMIT];
	st->wset = r->v[STORE_C_WSET];
	st->rep.kind = WL_NONE;
	st->rep.anon = st->rep.median = FIG_NA;
	cgroup_mem_init(mem);
	mem->current = st->charge;
	mem->limit = st->limit;
	mem->read = st->charge != FIG_NA;
}

/* The tree group a container row belongs to, or -1: a group of its own. */
static long
group_of(const struct row *rows, size_t n, const struct row *c)
{
	size_t	i, l = strlen(c->ident);

	for (i = 0; i < n; i++) {
		const struct row	*g = &rows[i];
		size_t			 gl = strlen(g->ident);

		if (g->group < 0 || g->kind == ENT_CONTAINER)
			continue;
		/* "<group>/-": the group's processes outside containers */
		if (l == gl + 2 && strncmp(c->ident, g->ident, gl) == 0 &&
		    strcmp(c->ident + gl, "/-") == 0)
			return g->group;
		if (g->kind == ENT_POD && c->ns != NULL && c->pod != NULL &&
		    g->ns != NULL && g->pod != NULL &&
		    strcmp(c->ns, g->ns) == 0 && strcmp(c->pod, g->pod) == 0)
			return g->group;
	}
	return -1;
}

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The container row a process goes under, or NULL. */
static struct row *
ctr_of(struct row *rows, size_t n, const struct row *p)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		struct row	*c = &rows[i];

		if (c->kind != ENT_CONTAINER || c->group < 0)
			continue;
		/* outside pods: a container of that name (docker's) */
		if (p->ns == NULL) {
			if (p->pod == NULL && same(p->ctr, c->ctr))
				return c;
			continue;
		}
		/* in a pod: its container, or the pod's "/-" if none */
		if (same(p->ns, c->ns) && same(p->pod, c->pod) &&
		    (p->ctr != NULL ? same(p->ctr, c->ctr) :
		    strstr(c->ident, "/-") != NULL))
			return c;
	}
	return NULL;
}

/* "pod:<uid>" -> uid, "ctr:<id>" -> id, else "". */
static void
id_part(const char *ident, const char *pfx, char *buf, size_t len)
{
	size_t	l = strlen(pfx);

	buf[0] = '\0';
	if (strncmp(ident, pfx, l) == 0)
		snprintf(buf, len, "%s", ident + l);
}

static void
proc_from(struct snap_proc *sp, const struct row *r)
{
	const char	*c;
	int		 i;

	memset(sp, 0, sizeof *sp);
	/* proc:<boot id>:<pid>:<start> */
	c = strrchr(r->ident, ':');
	if (c != NULL) {
		sp->start = strtoull(c + 1, NULL, 10);
		while (--c > r->ident && *c != ':')
			;
		sp->pid = atoi(c + 1);
	}
	sp->ppid = -1;
	sp->state = '?';
	sp->rollup_age = -1;
	sp->cmdline = r->cmd;
	if (r->cmd != NULL) {
		const char	*b = r->cmd, *e = strchr(b, ' ');
		const char	*sl;

		if (e == NULL)
			e = b + strlen(b);
		for (sl = b; sl < e; sl++)
			if (*sl == '/')
				b = sl + 1;
		snprintf(sp->comm, sizeof sp->comm, "%.*s", (int)(e - b), b);
	}
	for (i = 0; i < FIG__COUNT; i++)
		sp->fig[i] = r->v[i];
	sp->nmaps = r->v[STORE_C_NMAPS] == FIG_NA ? -1 :
	    (int64_t)r->v[STORE_C_NMAPS];
	sp->nanon = r->v[STORE_C_NANON] == FIG_NA ? -1 :
	    (int64_t)r->v[STORE_C_NANON];
	for (i = 0; i < MAPS_TALLY_RULES; i++) {
		uint64_t	cn = r->v[STORE_C_TCOUNT + i];
		uint64_t	by = r->v[STORE_C_TBYTES + i];

		sp->tally.count[i] = cn == FIG_NA ? 0 : (unsigned)cn;
		sp->tally.bytes[i] = by == FIG_NA ? 0 : by;
	}
}

/* A group's or container's own row into the tree. */
static void
group_fill(struct at_moment *m, struct tree_group *g, const struct row *r,
    size_t i)
{
	g->kind = r->kind;
	g->ident = xstrdup(r->ident);
	g->namespace = r->ns;
	g->pod = r->pod;
	g->name_source = NAME_SRC_NONE;
	id_part(r->ident, "pod:", g->pod_uid, sizeof g->pod_uid);
	/* a unit's identity is its cgroup: "cg:v1:<path>" */
	if (strncmp(r->ident, "cg:v1:", 6) == 0 ||
	    strncmp(r->ident, "cg:v2:", 6) == 0) {
		g->hier = r->ident[4] == '1' ? CG_HIER_V1 : CG_HIER_V2;
		g->cgroup = xstrdup(r->ident + 6);
	}
	g->mem = &m->mems[i];
	stats_from(m, &g->st, r, i);
}

static void
ctr_fill(struct at_moment *m, struct tree_ctr *c, const struct row *r,
    size_t i)
{
	c->ident = xstrdup(r->ident);
	c->name = r->ctr;
	c->pod = r->pod;
	id_part(r->ident, "ctr:", c->ctr_id, sizeof c->ctr_id);
	c->mem = &m->mems[i];
	stats_from(m, &c->st, r, i);
	c->procs = xcalloc(r->placed + 1, sizeof *c->procs);
}

static void
proc_fill(struct tree_proc *tp, const struct snap_proc *sp,
    const struct row *r)
{
	tp->sp = sp;
	snprintf(tp->ident, sizeof tp->ident, "%s", r->ident);
	tp->st.charge = tp->st.limit = tp->st.wset = FIG_NA;
	tp->st.growth = r->growth;
	tp->st.growth_win = r->growth_win;
	tp->st.rep.kind = WL_NONE;
	tp->st.rep.anon = tp->st.rep.median = FIG_NA;
}

/*
 * Puts rows (entities at t) together into m's tree: groups (pods, units,
 * a container outside any pod on its own), their containers, and the
 * processes under the container of their names.
 */
static void
assemble(struct at_moment *m, struct row *rows, size_t n)
{
	struct tree	*t = &m->tree;
	struct row	*c;
	size_t		 i, np = 0, *ci = xcalloc(n + 1, sizeof *ci);
	long		 gi;

	m->mems = xcalloc(n + 1, sizeof *m->mems);
	m->procs = xcalloc(n + 1, sizeof *m->procs);
	t->groups = xcalloc(n + 1, sizeof *t->groups);
	for (i = 0; i < n; i++)
		if (rows[i].kind != ENT_PROCESS && rows[i].kind !=
		    ENT_CONTAINER)
			rows[i].group = (long)t->ngroups++;
	for (i = 0; i < n; i++) {
		if (rows[i].kind != ENT_CONTAINER)
			continue;
		gi = group_of(rows, n, &rows[i]);
		if (gi < 0 && strstr(rows[i].ident, "/-") == NULL) {
			gi = (long)t->ngroups++;
			group_fill(m, &t->groups[gi], &rows[i], i);
		}
		rows[i].group = gi;	/* -1: its group is not recorded */
		if (gi >= 0)
			ci[i] = t->groups[gi].nctrs++;
	}
	for (i = 0; i < n; i++) {
		if (rows[i].kind != ENT_PROCESS)
			continue;
		c = ctr_of(rows, n, &rows[i]);
		if (c == NULL) {
			m->unplaced++;
			continue;
		}
		rows[i].group = c - rows;	/* its container's row */
		c->placed++;
	}
	for (i = 0; i < t->ngroups; i++)
		t->groups[i].ctrs = xcalloc(t->groups[i].nctrs + 1,
		    sizeof *t->groups[i].ctrs);
	for (i = 0; i < n; i++) {
		struct tree_group	*g;

		if (rows[i].group < 0 || rows[i].kind == ENT_PROCESS)
			continue;
		g = &t->groups[rows[i].group];
		if (rows[i].kind == ENT_CONTAINER)
			ctr_fill(m, &g->ctrs[ci[i]], &rows[i], i);
		else
			group_fill(m, g, &rows[i], i);
	}
	for (i = 0; i < n; i++) {
		struct tree_ctr	*tc;

		if (rows[i].kind != ENT_PROCESS || rows[i].group < 0)
			continue;
		c = &rows[rows[i].group];
		tc = &t->groups[c->group].ctrs[ci[c - rows]];
		proc_from(&m->procs[np], &rows[i]);
		proc_fill(&tc->procs[tc->nprocs++], &m->procs[np++], &rows[i]);
		t->groups[c->group].nprocs++;
	}
	m->sn.procs = m->procs;
	m->sn.nprocs = np;
	/* the sums as recorded, over the processes placed */
	for (i = 0; i < n; i++) {
		struct tree_group	*g;

		if (rows[i].group < 0 || rows[i].kind == ENT_PROCESS)
			continue;
		g = &t->groups[rows[i].group];
		if (strcmp(g->ident, rows[i].ident) == 0)
			sum_from(&g->sum, &rows[i], g->nprocs);
		if (rows[i].kind == ENT_CONTAINER)
			sum_from(&g->ctrs[ci[i]].sum, &rows[i],
			    g->ctrs[ci[i]].nprocs);
	}
	free(ci);
}

int
at_build(struct store *st, double t, double window, struct at_moment *m,
    char *why, size_t len)
{
	sqlite3_stmt	*s = NULL;
	struct row	*rows = NULL;
	size_t		 n = 0, cap = 0;
	char		*sql;
	int		 rc = -1, src;

	memset(m, 0, sizeof *m);
	m->t = t;
	m->sn.time = t;
	m->sn.mem_total = m->sn.mem_available = FIG_NA;
	m->run_start = covering_run(st, t, why, len);
	if (m->run_start == -1)
		return 1;
	if (m->run_start < 0)
		goto out;
	sql = moment_sql();
	src = sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL);
	free(sql);
	if (src != SQLITE_OK)
		goto out;
	sqlite3_bind_double(s, 1, t);
	sqlite3_bind_double(s, 2, m->run_start);
	sqlite3_bind_double(s, 3, t - window);
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap * 2 + 64;
			rows = xreallocarray(rows, cap, sizeof *rows);
		}
		row_get(m, s, &rows[n++]);
	}
	if (src != SQLITE_DONE)
		goto out;
	assemble(m, rows, n);
	tree_replicas(&m->tree, NULL);
	rc = 0;
out:
	if (rc < 0)
		snprintf(why, len, "cannot read %s: %s", store_path(st),
		    sqlite3_errmsg(store_db(st)));
	sqlite3_finalize(s);
	free(rows);
	return rc;
}

void
at_attach(struct at_moment *m, struct history *h)
{
	size_t	gi, ci, pi;

	for (gi = 0; gi < m->tree.ngroups; gi++) {
		struct tree_group	*g = &m->tree.groups[gi];

		g->st.hist = history_find(h, g->ident);
		for (ci = 0; ci < g->nctrs; ci++) {
			struct tree_ctr	*c = &g->ctrs[ci];

			c->st.hist = history_find(h, c->ident);
			for (pi = 0; pi < c->nprocs; pi++)
				c->procs[pi].st.hist = history_find(h,
				    c->procs[pi].ident);
		}
	}
}

void
at_free(struct at_moment *m)
{
	size_t	i;

	tree_done(&m->tree);
	for (i = 0; i < m->nstrs; i++)
		free(m->strs[i]);
	free(m->strs);
	free(m->procs);
	free(m->mems);
	memset(m, 0, sizeof *m);
}

double
at_step(struct store *st, double t, int dir, double step)
{
	sqlite3_stmt	*s;
	double		 to = t;

	if (sqlite3_prepare_v2(store_db(st), dir < 0 ?
	    "SELECT max(t) FROM sample WHERE t <= ?1" :
	    "SELECT min(t) FROM sample WHERE t >= ?1", -1, &s, NULL) !=
	    SQLITE_OK)
		return t;
	sqlite3_bind_double(s, 1, dir < 0 ? t - step : t + step);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) !=
	    SQLITE_NULL)
		to = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	return to;
}
