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

static bool
has_ctr(const struct tree_group *g, const char *name)
{
	size_t	i;

	for (i = 0; i < g->nctrs; i++) {
		if (g->ctrs[i].name != NULL && !g->ctrs[i].sandbox &&
		    strcmp(g->ctrs[i].name, name) == 0)
			return true;
	}
	return false;
}

/* The same named (non-sandbox) containers, in any order. */
static bool
same_ctrs(const struct tree_group *a, const struct tree_group *b)
{
	size_t	i, na = 0, nb = 0;

	for (i = 0; i < a->nctrs; i++) {
		if (a->ctrs[i].name == NULL || a->ctrs[i].sandbox)
			continue;
		na++;
		if (!has_ctr(b, a->ctrs[i].name))
			return false;
	}
	for (i = 0; i < b->nctrs; i++)
		nb += b->ctrs[i].name != NULL && !b->ctrs[i].sandbox;
	return na == nb;
}

bool
tree_is_sibling(const struct tree_group *a, const struct tree_group *b)
{
	const struct tree_replicas	*x = &a->st.rep, *y = &b->st.rep;

	return a != b && x->kind != WL_NONE && x->kind == y->kind &&
	    x->stem_len == y->stem_len &&
	    strncmp(a->pod, b->pod, x->stem_len) == 0 &&
	    strcmp(a->namespace, b->namespace) == 0 && same_ctrs(a, b);
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts it); the mean of the middle two for even n. */
static uint64_t
median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof *v, u64_cmp);
	return n % 2 ? v[n / 2] : v[n / 2 - 1] / 2 + v[n / 2] / 2;
}

static void
judge(struct tree_replicas *r, uint64_t *v, size_t n)
{
	uint64_t	bar;

	r->siblings = (unsigned)n;
	if (n == 0 || r->anon == FIG_NA)
		return;
	r->median = median(v, n);
	r->excess = (int64_t)(r->anon - r->median);
	bar = r->median / 2 > REPLICA_OUTLIER_MIN ? r->median / 2 :
	    REPLICA_OUTLIER_MIN;
	r->outlier = r->anon > r->median && r->anon - r->median > bar;
}

void
tree_replicas(struct tree *t, const char *node)
{
	uint64_t	*v = xcalloc(t->ngroups ? t->ngroups : 1, sizeof *v);
	size_t		 gi, oi, ci, n;

	for (gi = 0; gi < t->ngroups; gi++) {
		struct tree_group	*g = &t->groups[gi];
		struct wl_name		 w;

		memset(&g->st.rep, 0, sizeof g->st.rep);
		g->st.rep.anon = anon_of(&g->sum);
		g->st.rep.median = FIG_NA;
		for (ci = 0; ci < g->nctrs; ci++) {
			struct tree_replicas *r = &g->ctrs[ci].st.rep;

			memset(r, 0, sizeof *r);
			r->anon = anon_of(&g->ctrs[ci].sum);
			r->median = FIG_NA;
		}
		if (g->kind != ENT_POD || g->pod == NULL ||
		    g->namespace == NULL)
			continue;
		workload_parse(g->pod, node, &w);
		g->st.rep.kind = w.kind;
		g->st.rep.stem_len = w.stem_len;
		for (ci = 0; ci < g->nctrs; ci++) {
			g->ctrs[ci].st.rep.kind = w.kind;
			g->ctrs[ci].st.rep.stem_len = w.stem_len;
		}
	}
	for (gi = 0; gi < t->ngroups; gi++) {
		struct tree_group	*g = &t->groups[gi];

		if (g->st.rep.kind == WL_NONE)
			continue;
		n = 0;
		for (oi = 0; oi < t->ngroups; oi++) {
			const struct tree_group	*o = &t->groups[oi];

			if (tree_is_sibling(g, o) && o->st.rep.anon != FIG_NA)
				v[n++] = o->st.rep.anon;
		}
		judge(&g->st.rep, v, n);
		/* each named container against the same one in the siblings */
		for (ci = 0; ci < g->nctrs; ci++) {
			struct tree_ctr	*c = &g->ctrs[ci];

			if (c->name == NULL || c->sandbox)
				continue;
			n = 0;
			for (oi = 0; oi < t->ngroups; oi++) {
				const struct tree_group	*o = &t->groups[oi];
				size_t			 k;

				if (!tree_is_sibling(g, o))
					continue;
				for (k = 0; k < o->nctrs; k++) {
					struct tree_replicas *r =
					    &o->ctrs[k].st.rep;

					if (o->ctrs[k].name != NULL &&
					    !o->ctrs[k].sandbox &&
					    strcmp(o->ctrs[k].name,
					    c->name) == 0 && r->anon != FIG_NA)
						v[n++] = r->anon;
				}
			}
			judge(&c->st.rep, v, n);
		}
	}
	free(v);
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
