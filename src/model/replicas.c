/*
 * Pods against their replicas on this node: the baseline the field case's
 * engineer made by hand ("I ran the same commands on a healthy pod").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/tree.h"
#include "util/fmt.h"
#include "util/xmalloc.h"

/* The pod's anonymous memory (RssAnon sum): FIG_NA unless all known. */
static uint64_t
anon_of(const struct fig_sum *s)
{
	struct fig_val	v = fig_sum_get(s, FIG_RSS_ANON);

	return v.state == FIG_KNOWN ? v.v : FIG_NA;
}

/* A pod's maps tally summed over its live processes; false if any unknown. */
static bool
tally_of(const struct tree_group *g, struct maps_tally *t)
{
	size_t	ci, pi;
	int	k;

	memset(t, 0, sizeof *t);
	for (ci = 0; ci < g->nctrs; ci++) {
		for (pi = 0; pi < g->ctrs[ci].nprocs; pi++) {
			const struct tree_proc *p = &g->ctrs[ci].procs[pi];

			if (p->gone)
				continue;
			if (p->sp->nmaps < 0)
				return false;
			for (k = 0; k < MAPS_TALLY_RULES; k++) {
				t->count[k] += p->sp->tally.count[k];
				t->bytes[k] += p->sp->tally.bytes[k];
			}
		}
	}
	return true;
}

bool
tree_is_sibling(const struct tree_group *a, const struct tree_group *b)
{
	return a != b && a->st.rep.bucket != 0 &&
	    a->st.rep.bucket == b->st.rep.bucket;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The workload key of a pod: namespace, kind, stem and its (named, not
 * sandbox) container names sorted, as one string; NULL for what is no
 * workload's pod.
 */
static char *
workload_key(const struct tree_group *g)
{
	const char	**names = xcalloc(g->nctrs + 1, sizeof *names);
	size_t		  i, n = 0, len;
	char		 *key, *p;

	for (i = 0; i < g->nctrs; i++) {
		if (g->ctrs[i].name != NULL && !g->ctrs[i].sandbox)
			names[n++] = g->ctrs[i].name;
	}
	qsort(names, n, sizeof *names, str_cmp);
	len = strlen(g->namespace) + g->st.rep.stem_len + 16;
	for (i = 0; i < n; i++)
		len += strlen(names[i]) + 1;
	key = p = xcalloc(1, len);
	p += snprintf(p, len, "%s\x1f%d\x1f%.*s", g->namespace,
	    (int)g->st.rep.kind, (int)g->st.rep.stem_len, g->pod);
	for (i = 0; i < n; i++)
		p += snprintf(p, len - (size_t)(p - key), "\x1f%s", names[i]);
	free(names);
	return key;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* (a + b) / 2 without overflow or a lost byte. */
static uint64_t
mid(uint64_t a, uint64_t b)
{
	return a / 2 + b / 2 + (a & b & 1);
}

/*
 * The median of sorted v[0..n) without one element equal to self (self
 * FIG_NA: without none); FIG_NA if nothing is left.
 */
static uint64_t
median_without(const uint64_t *v, size_t n, uint64_t self)
{
	size_t	skip = SIZE_MAX, m, lo = 0, hi = n;

	if (self != FIG_NA) {
		while (lo < hi) {	/* lower bound of self */
			size_t	c = lo + (hi - lo) / 2;

			if (v[c] < self)
				lo = c + 1;
			else
				hi = c;
		}
		if (lo < n && v[lo] == self)
			skip = lo;
	}
	m = skip == SIZE_MAX ? n : n - 1;
	if (m == 0)
		return FIG_NA;
#define AT(j)	v[(j) < skip ? (j) : (j) + 1]
	return m % 2 ? AT(m / 2) : mid(AT(m / 2 - 1), AT(m / 2));
#undef AT
}

static void
judge(struct tree_replicas *r, uint64_t median)
{
	uint64_t	bar;

	if (r->anon == FIG_NA || median == FIG_NA)
		return;
	r->median = median;
	r->excess = (int64_t)(r->anon - r->median);
	bar = r->median / 2 > REPLICA_OUTLIER_MIN ? r->median / 2 :
	    REPLICA_OUTLIER_MIN;
	r->outlier = r->anon > r->median && r->anon - r->median > bar;
}

/* One figure of a bucket's members: known values, sorted. */
struct figv {
	uint64_t	*v;
	size_t		 n;
};

static void
figv_add(struct figv *f, uint64_t x)
{
	if (x != FIG_NA)
		f->v[f->n++] = x;
}

/* The pods of one workload, m of them: their baselines. */
static void
bucket_judge(struct tree_group **g, size_t m, unsigned id, uint64_t *scratch)
{
	struct maps_tally	*tl = xcalloc(m, sizeof *tl);
	bool			*tk = xcalloc(m, sizeof *tk);
	struct figv		 f = { scratch, 0 };
	size_t			 i, j, ci, k;

	for (i = 0; i < m; i++) {
		g[i]->st.rep.bucket = id;
		g[i]->st.rep.siblings = (unsigned)(m - 1);
		tk[i] = tally_of(g[i], &tl[i]);
	}
	/* anon */
	for (i = 0, f.n = 0; i < m; i++)
		figv_add(&f, g[i]->st.rep.anon);
	qsort(f.v, f.n, sizeof *f.v, u64_cmp);
	for (i = 0; i < m; i++)
		judge(&g[i]->st.rep, median_without(f.v, f.n,
		    g[i]->st.rep.anon));
	/* shared memory */
	for (i = 0, f.n = 0; i < m; i++) {
		struct fig_val	v = fig_sum_get(&g[i]->sum, FIG_RSS_SHMEM);

		figv_add(&f, v.state == FIG_KNOWN ? v.v : FIG_NA);
	}
	qsort(f.v, f.n, sizeof *f.v, u64_cmp);
	for (i = 0; i < m; i++) {
		struct fig_val	v = fig_sum_get(&g[i]->sum, FIG_RSS_SHMEM);

		g[i]->st.rep.base_shmem = median_without(f.v, f.n,
		    v.state == FIG_KNOWN ? v.v : FIG_NA);
	}
	/* the maps tally, and anon outside it */
	for (k = 0; k < MAPS_TALLY_RULES; k++) {
		for (i = 0, f.n = 0; i < m; i++)
			figv_add(&f, tk[i] ? tl[i].bytes[k] : FIG_NA);
		qsort(f.v, f.n, sizeof *f.v, u64_cmp);
		for (i = 0; i < m; i++)
			g[i]->st.rep.base_tally[k] = median_without(f.v, f.n,
			    tk[i] ? tl[i].bytes[k] : FIG_NA);
		for (i = 0, f.n = 0; i < m; i++)
			figv_add(&f, tk[i] && g[i]->st.rep.anon != FIG_NA &&
			    g[i]->st.rep.anon >= tl[i].bytes[k] ?
			    g[i]->st.rep.anon - tl[i].bytes[k] : FIG_NA);
		qsort(f.v, f.n, sizeof *f.v, u64_cmp);
		for (i = 0; i < m; i++)
			g[i]->st.rep.base_anon_less[k] = median_without(f.v,
			    f.n, tk[i] && g[i]->st.rep.anon != FIG_NA &&
			    g[i]->st.rep.anon >= tl[i].bytes[k] ?
			    g[i]->st.rep.anon - tl[i].bytes[k] : FIG_NA);
	}
	/*
	 * each named container against the same-named ones of the others:
	 * the members share their names (the bucket's key), so one pass per
	 * name of the first member collects them all
	 */
	for (ci = 0; ci < g[0]->nctrs; ci++) {
		const char	*name = g[0]->ctrs[ci].name;
		bool		 seen = false;

		if (name == NULL || g[0]->ctrs[ci].sandbox)
			continue;
		for (j = 0; j < ci && !seen; j++)
			seen = g[0]->ctrs[j].name != NULL &&
			    strcmp(g[0]->ctrs[j].name, name) == 0;
		if (seen)
			continue;	/* a name twice: done with the first */
		f.n = 0;
		for (i = 0; i < m; i++) {
			for (j = 0; j < g[i]->nctrs; j++) {
				const struct tree_ctr *o = &g[i]->ctrs[j];

				if (o->name != NULL && !o->sandbox &&
				    strcmp(o->name, name) == 0)
					figv_add(&f, o->st.rep.anon);
			}
		}
		qsort(f.v, f.n, sizeof *f.v, u64_cmp);
		for (i = 0; i < m; i++) {
			for (j = 0; j < g[i]->nctrs; j++) {
				struct tree_ctr	*c = &g[i]->ctrs[j];

				if (c->name == NULL || c->sandbox ||
				    strcmp(c->name, name) != 0)
					continue;
				c->st.rep.bucket = id;
				c->st.rep.siblings = (unsigned)(m - 1);
				judge(&c->st.rep, median_without(f.v, f.n,
				    c->st.rep.anon));
			}
		}
	}
	free(tl);
	free(tk);
}

struct keyed {
	char			*key;
	struct tree_group	*g;
};

static int
keyed_cmp(const void *a, const void *b)
{
	const struct keyed	*x = a, *y = b;

	return strcmp(x->key, y->key);
}

void
tree_replicas(struct tree *t, const char *node)
{
	struct keyed		*kv = xcalloc(t->ngroups + 1, sizeof *kv);
	struct tree_group	**members;
	uint64_t		*scratch;
	size_t			 gi, ci, k, nk = 0, nctr = 0, a, b;
	unsigned		 id = 0;

	for (gi = 0; gi < t->ngroups; gi++) {
		struct tree_group	*g = &t->groups[gi];
		struct wl_name		 w;

		memset(&g->st.rep, 0, sizeof g->st.rep);
		g->st.rep.anon = anon_of(&g->sum);
		g->st.rep.median = g->st.rep.base_shmem = FIG_NA;
		g->st.rep.spread_lo = g->st.rep.spread_hi = FIG_NA;
		for (k = 0; k < MAPS_TALLY_RULES; k++)
			g->st.rep.base_tally[k] = g->st.rep.base_anon_less[k] =
			    FIG_NA;
		nctr += g->nctrs;
		for (ci = 0; ci < g->nctrs; ci++) {
			struct tree_replicas *r = &g->ctrs[ci].st.rep;

			memset(r, 0, sizeof *r);
			r->anon = anon_of(&g->ctrs[ci].sum);
			r->median = r->base_shmem = FIG_NA;
			r->spread_lo = r->spread_hi = FIG_NA;
		}
		if (g->kind != ENT_POD || g->pod == NULL ||
		    g->namespace == NULL)
			continue;
		workload_parse_owner(g->pod, node, g->owner, g->owner_hint !=
		    NULL ? g->owner_hint : "", &w);
		if (w.kind == WL_NONE)
			continue;
		g->st.rep.kind = w.kind;
		g->st.rep.by_labels = w.by_labels;
		g->st.rep.stem_len = w.stem_len;
		for (ci = 0; ci < g->nctrs; ci++) {
			g->ctrs[ci].st.rep.kind = w.kind;
			g->ctrs[ci].st.rep.stem_len = w.stem_len;
		}
		kv[nk].key = workload_key(g);
		kv[nk++].g = g;
	}
	qsort(kv, nk, sizeof *kv, keyed_cmp);
	members = xcalloc(nk + 1, sizeof *members);
	scratch = xcalloc(nk + nctr + 1, sizeof *scratch);
	for (a = 0; a < nk; a = b) {
		for (b = a; b < nk && strcmp(kv[b].key, kv[a].key) == 0; b++)
			members[b - a] = kv[b].g;
		bucket_judge(members, b - a, ++id, scratch);
	}
	for (a = 0; a < nk; a++)
		free(kv[a].key);
	free(kv);
	free(members);
	free(scratch);
}

const struct tree_group *
tree_healthiest_sibling(const struct tree *t, const struct tree_group *g)
{
	const struct tree_group	*best = NULL;
	size_t			 i;

	for (i = 0; i < t->ngroups; i++) {
		const struct tree_group	*o = &t->groups[i];

		if (!tree_is_sibling(g, o) || o->st.rep.anon == FIG_NA)
			continue;
		if (best == NULL || o->st.rep.anon < best->st.rep.anon)
			best = o;
	}
	return best;
}

const char *
tree_replicas_fmt(const struct tree_replicas *r, bool utf8, char *buf,
    size_t len)
{
	char	d[32];

	if (r->kind == WL_NONE && r->median == FIG_NA)
		snprintf(buf, len, "%s", "");
	else if (r->median == FIG_NA)
		snprintf(buf, len, "-");
	else if (r->median == 0)
		snprintf(buf, len, "%s", fmt_delta(d, sizeof d, r->excess));
	else
		snprintf(buf, len, "%s %s%.1f", fmt_delta(d, sizeof d,
		    r->excess), utf8 ? "\xc3\x97" : "x",
		    (double)r->anon / (double)r->median);
	return buf;
}


void
tree_replicas_cluster(struct tree_replicas *r, const uint64_t *v, size_t n)
{
	r->source = REP_PROMETHEUS;
	r->replicas = (unsigned)n;
	r->median = r->spread_lo = r->spread_hi = FIG_NA;
	r->excess = 0;
	r->outlier = false;
	if (n == 0)
		return;
	r->spread_lo = v[n / 4];
	r->spread_hi = v[(3 * n) / 4 < n ? (3 * n) / 4 : n - 1];
	judge(r, median_without(v, n, FIG_NA));
}

const char *
tree_replicas_against(const struct tree_replicas *r, char *buf, size_t len)
{
	if (r->kind == WL_NONE || r->median == FIG_NA)
		snprintf(buf, len, "%s", "");
	else if (r->source == REP_PROMETHEUS)
		snprintf(buf, len, "vs %u replica%s (prometheus)", r->replicas,
		    r->replicas == 1 ? "" : "s");
	else
		snprintf(buf, len, "vs %u on this node", r->siblings);
	return buf;
}
