/*
 * Prometheus's answers mapped onto the model (model/promhist.h): series by
 * (namespace, pod, container) onto this node's pods and containers, and
 * the cluster's replicas onto each workload's baseline.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collect/promapi_bg.h"
#include "model/promhist.h"
#include "model/workload.h"
#include "util/clock.h"
#include "util/xmalloc.h"

/* One (namespace, pod, container) of an answer, memtop's family first. */
struct pkey {
	const char			*ns, *pod, *ctr;
	bool				 memtop;
	const struct promapi_series	*s;
	enum wl_kind			 kind;	/* of pod */
	size_t				 stem_len;
};

struct promhist {
	struct promapi_bg	*bg;
	double			 window;
	bool			 wait_first;
	unsigned long		 refreshes;
	struct promq_out	*last;		/* the newest round */
	struct promq_out	*rep_round;	/* the newest with replicas */
	struct pkey		*rep;		/* its series, sorted */
	size_t			 nrep;
	/* what the status says */
	size_t			 filled;	/* entities given a past, ever */
	double			 since;		/* oldest sample put in */
	size_t			 from_memtop, from_cadvisor;
	size_t			 wset_filled;	/* entities, ever */
	size_t			 wset_memtop, wset_cadvisor;
	unsigned		 replicas, workloads;
	char			 said[640];
};

static int
pkey_cmp(const void *a, const void *b)
{
	const struct pkey	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->ns, y->ns)) != 0 ||
	    (c = strcmp(x->pod, y->pod)) != 0 ||
	    (c = strcmp(x->ctr, y->ctr)) != 0)
		return c;
	return (int)y->memtop - (int)x->memtop;
}

/*
 * The series of r as keys, sorted, one per (namespace, pod, container):
 * memtop's family where it has one, else cAdvisor's. *nfrom counts each.
 */
static struct pkey *
index_series(const struct promapi_result *r, size_t *n, size_t *nmemtop,
    size_t *ncadvisor)
{
	struct pkey	*k = xcalloc(r->n + 1, sizeof *k);
	size_t		 i, m = 0, o = 0;

	for (i = 0; i < r->n; i++) {
		const struct promapi_series	*s = &r->s[i];
		const char			*name;
		struct wl_name			 w;

		name = promapi_label(s, "__name__");
		k[m].ns = promapi_label(s, "namespace");
		k[m].pod = promapi_label(s, "pod");
		k[m].ctr = promapi_label(s, "container");
		if (name == NULL || k[m].ns == NULL || k[m].pod == NULL ||
		    k[m].ctr == NULL || s->n == 0)
			continue;
		k[m].memtop = strncmp(name, "memtop_", 7) == 0;
		k[m].s = s;
		workload_parse(k[m].pod, NULL, &w);
		k[m].kind = w.kind;
		k[m].stem_len = w.stem_len;
		m++;
	}
	qsort(k, m, sizeof *k, pkey_cmp);
	for (i = 0; i < m; i++) {
		if (o > 0 && strcmp(k[o - 1].ns, k[i].ns) == 0 &&
		    strcmp(k[o - 1].pod, k[i].pod) == 0 &&
		    strcmp(k[o - 1].ctr, k[i].ctr) == 0)
			continue;	/* cAdvisor's, after memtop's */
		k[o++] = k[i];
		if (nmemtop != NULL)
			(*(k[i].memtop ? nmemtop : ncadvisor))++;
	}
	*n = o;
	return k;
}

static const struct pkey *
find(const struct pkey *k, size_t n, const char *ns, const char *pod,
    const char *ctr)
{
	struct pkey	key = { .ns = ns, .pod = pod, .ctr = ctr, .memtop = 1 };
	size_t		lo = 0, hi = n;

	while (lo < hi) {	/* the first not below key */
		size_t	m = lo + (hi - lo) / 2;

		if (pkey_cmp(&k[m], &key) < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < n && strcmp(k[lo].ns, ns) == 0 &&
	    strcmp(k[lo].pod, pod) == 0 && strcmp(k[lo].ctr, ctr) == 0 ?
	    &k[lo] : NULL;
}

/* A byte figure from a sample, FIG_NA if none. */
static uint64_t
bytes_of(double v)
{
	return isnan(v) || v < 0 || v >= 1.8e19 ? FIG_NA : (uint64_t)v;
}

/* A series onto the slots t0 + i * step, i < n (FIG_NA where none). */
static void
slot_series(const struct promapi_series *s, double t0, double step,
    uint64_t *v, size_t n)
{
	size_t	i;
	double	x;

	for (i = 0; i < n; i++)
		v[i] = FIG_NA;
	for (i = 0; i < s->n; i++) {
		x = (s->t[i] - t0) / step + 0.5;	/* >= 0: truncation is floor */
		if (x >= 0 && x < (double)n)
			v[(size_t)x] = bytes_of(s->v[i]);
	}
}

static bool
ctr_named(const struct tree_ctr *c)
{
	return c->name != NULL && !c->sandbox;
}

static void
backfill(struct promhist *ph, struct history *h, const char *ident, int fig,
    const uint64_t *v, size_t n, const struct promq_out *o)
{
	struct hist_past	p = { fig, v, n, o->start, o->step,
				    o->at - ph->window };

	if (history_backfill(h, ident, &p) == 0)
		return;
	if (fig == HF_WSET) {
		ph->wset_filled++;
		return;
	}
	ph->filled++;
	if (ph->since == 0 || history_since(h, ident) < ph->since)
		ph->since = history_since(h, ident);
}

/*
 * A new round's history of figure fig (RssAnon or the working set, from r)
 * onto this node's pods and containers.
 */
static void
apply_history(struct promhist *ph, struct tree *t, struct history *h,
    const struct promq_out *o, const struct promapi_result *r, int fig)
{
	struct pkey	*k;
	uint64_t	*v, *sum;
	size_t		 nk, n, gi, ci, i;

	if (fig == HF_WSET) {
		ph->wset_memtop = ph->wset_cadvisor = 0;
		k = index_series(r, &nk, &ph->wset_memtop,
		    &ph->wset_cadvisor);
	} else {
		ph->from_memtop = ph->from_cadvisor = 0;
		k = index_series(r, &nk, &ph->from_memtop,
		    &ph->from_cadvisor);
	}
	n = (size_t)((o->at - o->start) / o->step) + 1;
	v = xcalloc(n, sizeof *v);
	sum = xcalloc(n, sizeof *sum);
	for (gi = 0; gi < t->ngroups; gi++) {
		struct tree_group	*g = &t->groups[gi];
		size_t			 named = 0;

		if (g->kind != ENT_POD || g->pod == NULL || g->namespace == NULL)
			continue;
		for (i = 0; i < n; i++)
			sum[i] = 0;
		for (ci = 0; ci < g->nctrs; ci++) {
			struct tree_ctr		*c = &g->ctrs[ci];
			const struct pkey	*s;

			if (!ctr_named(c))
				continue;
			named++;
			s = find(k, nk, g->namespace, g->pod, c->name);
			if (s == NULL) {
				named = SIZE_MAX / 2;	/* no pod sum */
				continue;
			}
			slot_series(s->s, o->start, o->step, v, n);
			for (i = 0; i < n; i++)
				sum[i] = v[i] == FIG_NA || sum[i] == FIG_NA ?
				    FIG_NA : sum[i] + v[i];
			if (strcmp(c->ident, g->ident) != 0)
				backfill(ph, h, c->ident, fig, v, n, o);
		}
		if (named > 0 && named < SIZE_MAX / 2)
			backfill(ph, h, g->ident, fig, sum, n, o);
	}
	free(v);
	free(sum);
	free(k);
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The kind a pod's name alone tells (labels can tell more: workload.h). */
static enum wl_kind
name_kind(enum wl_kind k)
{
	return k == WL_DAEMONSET || k == WL_JOB ? WL_DAEMONSET_JOB : k;
}

/* Whether key k is another pod of g's workload (namespace, kind, stem). */
static bool
same_workload(const struct pkey *k, const struct tree_group *g)
{
	return k->kind == name_kind(g->st.rep.kind) &&
	    k->stem_len == g->st.rep.stem_len &&
	    strcmp(k->ns, g->namespace) == 0 &&
	    strncmp(k->pod, g->pod, k->stem_len) == 0 &&
	    strcmp(k->pod, g->pod) != 0;
}

/*
 * g's containers and g itself against the cluster's other replicas: each
 * named container against the same-named ones, the pod against the others'
 * sums over those names (a replica missing one is left out).
 */
static unsigned
apply_replicas(struct promhist *ph, struct tree_group *g, uint64_t *v,
    uint64_t *pv)
{
	size_t		 ci, i, n, np = 0, j;
	const char	*pod = NULL;
	uint64_t	 acc = 0;
	size_t		 have = 0, named = 0;

	for (ci = 0; ci < g->nctrs; ci++)
		named += ctr_named(&g->ctrs[ci]);
	if (named == 0)
		return 0;
	for (ci = 0; ci < g->nctrs; ci++) {
		struct tree_ctr	*c = &g->ctrs[ci];

		if (!ctr_named(c))
			continue;
		for (i = 0, n = 0; i < ph->nrep; i++) {
			if (same_workload(&ph->rep[i], g) &&
			    strcmp(ph->rep[i].ctr, c->name) == 0 &&
			    bytes_of(ph->rep[i].s->v[0]) != FIG_NA)
				v[n++] = bytes_of(ph->rep[i].s->v[0]);
		}
		if (n == 0)
			continue;
		qsort(v, n, sizeof *v, u64_cmp);
		tree_replicas_cluster(&c->st.rep, v, n);
	}
	/* the keys are sorted by pod: one sum per other pod */
	for (i = 0; i <= ph->nrep; i++) {
		const struct pkey *k = i < ph->nrep ? &ph->rep[i] : NULL;

		if (pod != NULL && (k == NULL || strcmp(k->pod, pod) != 0 ||
		    strcmp(k->ns, ph->rep[i - 1].ns) != 0)) {
			if (have == named)
				pv[np++] = acc;
			pod = NULL;
		}
		if (k == NULL || !same_workload(k, g))
			continue;
		if (pod == NULL) {
			pod = k->pod;
			acc = 0;
			have = 0;
		}
		for (j = 0; j < g->nctrs; j++) {
			if (ctr_named(&g->ctrs[j]) &&
			    strcmp(g->ctrs[j].name, k->ctr) == 0 &&
			    bytes_of(k->s->v[0]) != FIG_NA) {
				acc += bytes_of(k->s->v[0]);
				have++;
				break;
			}
		}
	}
	if (np == 0)
		return 0;
	qsort(pv, np, sizeof *pv, u64_cmp);
	tree_replicas_cluster(&g->st.rep, pv, np);
	return (unsigned)np;
}

/* What the next round asks: this node and its workloads' name patterns. */
static struct promq_req *
make_req(const struct tree *t, const char *node)
{
	struct promq_req	*r = xcalloc(1, sizeof *r);
	char			 re[600];
	size_t			 gi, i;
	bool			 dup;

	r->node = node != NULL ? xstrdup(node) : NULL;
	r->span = PROMHIST_SPAN;
	r->step = PROMHIST_SPAN / PROMHIST_SLOTS;
	r->wl = xcalloc(t->ngroups + 1, sizeof *r->wl);
	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		if (g->kind != ENT_POD || g->pod == NULL ||
		    g->namespace == NULL || workload_regex(g->st.rep.kind,
		    g->pod, g->st.rep.stem_len, re, sizeof re) == 0)
			continue;
		for (i = 0, dup = false; i < r->nwl && !dup; i++)
			dup = strcmp(r->wl[i].ns, g->namespace) == 0 &&
			    strcmp(r->wl[i].pod_re, re) == 0;
		if (dup)
			continue;
		r->wl[r->nwl].ns = xstrdup(g->namespace);
		r->wl[r->nwl++].pod_re = xstrdup(re);
	}
	return r;
}

static void
take(struct promhist *ph, struct tree *t, struct history *h)
{
	struct promq_out	*o;

	if ((o = promapi_bg_take(ph->bg)) == NULL)
		return;
	/* what they add, if anything; the working set first: RssAnon's
	   samples before an entity's own move its first back */
	if (o->have_wset)
		apply_history(ph, t, h, o, &o->wset, HF_WSET);
	if (o->have_anon)
		apply_history(ph, t, h, o, &o->anon, FIG_RSS_ANON);
	if (o->have_rep) {
		if (ph->rep_round != NULL && ph->rep_round != ph->last)
			promq_out_free(ph->rep_round);
		free(ph->rep);
		ph->rep_round = o;
		ph->rep = index_series(&o->rep, &ph->nrep, NULL, NULL);
	}
	if (ph->last != ph->rep_round)
		promq_out_free(ph->last);
	ph->last = o;
}

void
promhist_refresh(void *arg, const struct snapshot *sn, struct tree *t,
    struct history *h)
{
	struct promhist	*ph = arg;
	uint64_t	*v, *pv;
	size_t		 gi, k;
	double		 until;
	unsigned	 n;
	bool		 seen;

	if (ph->refreshes++ == 0) {
		promapi_bg_want(ph->bg, make_req(t, sn->node_name[0] != '\0' ? sn->node_name : NULL));
		/* -b: its first output should have the cluster in it */
		until = clock_mono() + 30;
		while (ph->wait_first && clock_mono() < until &&
		    ph->last == NULL) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };

			nanosleep(&ts, NULL);
			take(ph, t, h);
		}
	} else
		promapi_bg_want(ph->bg, make_req(t, sn->node_name[0] != '\0' ? sn->node_name : NULL));
	take(ph, t, h);
	ph->replicas = ph->workloads = 0;
	if (ph->nrep == 0)
		return;
	v = xcalloc(ph->nrep + 1, sizeof *v);
	pv = xcalloc(ph->nrep + 1, sizeof *pv);
	for (gi = 0; gi < t->ngroups; gi++) {
		struct tree_group	*g = &t->groups[gi];

		if (g->kind != ENT_POD || g->pod == NULL ||
		    g->namespace == NULL || g->st.rep.kind == WL_NONE ||
		    g->st.rep.kind == WL_STATIC)
			continue;
		if ((n = apply_replicas(ph, g, v, pv)) == 0)
			continue;
		for (k = 0, seen = false; k < gi && !seen; k++)
			seen = t->groups[k].st.rep.source == REP_PROMETHEUS &&
			    t->groups[k].st.rep.kind == g->st.rep.kind &&
			    t->groups[k].st.rep.stem_len == g->st.rep.stem_len &&
			    strcmp(t->groups[k].namespace, g->namespace) == 0 &&
			    strncmp(t->groups[k].pod, g->pod,
			    g->st.rep.stem_len) == 0;
		ph->workloads += !seen;
		if (n + 1 > ph->replicas)
			ph->replicas = n + 1;	/* with itself */
	}
	free(v);
	free(pv);
}

struct promhist *
promhist_create(const struct promhist_conf *c, char *why, size_t len)
{
	struct promhist	*ph;
	struct promapi_bg *bg;

	bg = promapi_bg_start(&c->api, c->node_sel, c->interval, why, len);
	if (bg == NULL)
		return NULL;
	ph = xcalloc(1, sizeof *ph);
	ph->bg = bg;
	ph->window = c->window;
	ph->wait_first = c->wait_first;
	return ph;
}

void
promhist_free(struct promhist *ph)
{
	if (ph == NULL)
		return;
	promapi_bg_stop(ph->bg);
	if (ph->rep_round != ph->last)
		promq_out_free(ph->rep_round);
	promq_out_free(ph->last);
	free(ph->rep);
	free(ph);
}

/* "18:02", or "Nov 29 18:02" when not today. */
static void
hhmm(double t, char *buf, size_t len)
{
	time_t		tt = (time_t)t, tn = time(NULL);
	struct tm	a, b;

	localtime_r(&tt, &a);
	localtime_r(&tn, &b);
	strftime(buf, len, a.tm_yday == b.tm_yday && a.tm_year == b.tm_year ?
	    "%H:%M" : "%b %d %H:%M", &a);
}

/* "a", "b" or "a, b": the families that had series (na, nb of them). */
static const char *
fams_used(char *buf, size_t len, size_t na, const char *a, size_t nb,
    const char *b)
{
	snprintf(buf, len, "%s%s%s", na ? a : "", na && nb ? ", " : "",
	    nb ? b : "");
	return buf;
}

const char *
promhist_status(const struct promhist *ph, char *buf, size_t len)
{
	const struct promq_out	*o = ph->last;
	char			 when[32], fam[96];
	size_t			 l;

	if (o == NULL) {
		snprintf(buf, len, "prometheus: asking %s",
		    promapi_bg_url(ph->bg));
		return buf;
	}
	if (o->msg[0] != '\0') {
		l = (size_t)snprintf(buf, len, "prometheus: %s", o->msg);
		if (ph->rep_round != NULL && ph->rep_round != o && l < len) {
			hhmm(ph->rep_round->at, when, sizeof when);
			snprintf(buf + l, len - l, "; replicas as of %s", when);
		}
		return buf;
	}
	l = (size_t)snprintf(buf, len, "prometheus: ");
	if (ph->workloads > 0 && l < len)
		l += ph->workloads > 1 ? (size_t)snprintf(buf + l, len - l,
		    "%u workloads (up to %u replicas), ", ph->workloads,
		    ph->replicas) : (size_t)snprintf(buf + l, len - l,
		    "%u replicas, ", ph->replicas);
	else if (l < len)
		l += (size_t)snprintf(buf + l, len - l, "no replicas found, ");
	if (ph->filled > 0 && l < len) {
		hhmm(ph->since, when, sizeof when);
		l += (size_t)snprintf(buf + l, len - l, "history since %s (%s)",
		    when, fams_used(fam, sizeof fam, ph->from_memtop,
		    PROMQ_ANON_MEMTOP, ph->from_cadvisor, PROMQ_ANON_CADVISOR));
		if (ph->wset_filled > 0 && l < len)
			snprintf(buf + l, len - l, ", working set from %s",
			    fams_used(fam, sizeof fam, ph->wset_memtop,
			    PROMQ_WSET_MEMTOP, ph->wset_cadvisor,
			    PROMQ_WSET_CADVISOR));
	} else if (l < len)
		snprintf(buf + l, len - l, "no history for this node's pods");
	return buf;
}

bool
promhist_status_changed(struct promhist *ph)
{
	char	now[640];

	promhist_status(ph, now, sizeof now);
	if (strcmp(now, ph->said) == 0)
		return false;
	snprintf(ph->said, sizeof ph->said, "%s", now);
	return true;
}
