#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/diagnosis.h"
#include "analyse/marks.h"
#include "collect/procscan.h"
#include "output/json.h"
#include "output/jsonw.h"
#include "util/xmalloc.h"

/*
 * A figure's history (first, min, max: live, from the store, from
 * Prometheus), null where there is none.
 */
static void
json_hist(struct buf *b, const struct hist_ent *e, int k)
{
	if (e == NULL || e->first[k] == FIG_NA) {
		jsonw_null(b);
		return;
	}
	jsonw_open(b, '{');
	jsonw_key(b, "first");
	jsonw_u64(b, e->first[k]);
	jsonw_key(b, "min");
	jsonw_u64(b, e->min[k]);
	jsonw_key(b, "max");
	jsonw_u64(b, e->max[k]);
	jsonw_close(b, '}');
}

/* The cgroup's accounting, with the model's working set (st->wset). */
static void
json_mem(struct buf *b, const struct cg_mem *m, const struct tree_stats *st)
{
	static const char	*unread[] = { "current", "limit", "unlimited",
				    "anon", "file" };
	size_t			 i;

	jsonw_open(b, '{');
	jsonw_key(b, "working_set");
	jsonw_u64(b, st->wset);
	jsonw_key(b, "working_set_history");
	json_hist(b, st->hist, HF_WSET);
	if (m == NULL || !m->read) {
		for (i = 0; i < sizeof unread / sizeof unread[0]; i++) {
			jsonw_key(b, unread[i]);
			jsonw_null(b);
		}
		jsonw_close(b, '}');
		return;
	}
	jsonw_key(b, "current");
	jsonw_u64(b, m->current);
	jsonw_key(b, "limit");
	jsonw_u64(b, m->limit);
	jsonw_key(b, "unlimited");
	jsonw_bool(b, m->unlimited);
	jsonw_key(b, "anon");
	jsonw_u64(b, m->anon);
	jsonw_key(b, "file");
	jsonw_u64(b, m->file);
	jsonw_key(b, "shmem");
	jsonw_u64(b, m->shmem);
	jsonw_key(b, "kernel");
	jsonw_u64(b, m->kernel);
	jsonw_key(b, "oom_kill");
	jsonw_u64(b, m->oom_kill);
	jsonw_key(b, "failcnt");
	jsonw_u64(b, m->failcnt);
	jsonw_key(b, "inactive_file");
	jsonw_u64(b, m->inactive_file);
	jsonw_close(b, '}');
}

/* From the history store: null where it cannot tell (docs/json.md). */
static void
json_restarts(struct buf *b, const struct hist_ent *e)
{
	bool	known = e != NULL && e->restarts >= 0;
	bool	any = known && e->restarts > 0 && e->restart_from != NULL;

	jsonw_key(b, "restarts");
	if (known)
		jsonw_int(b, e->restarts);
	else
		jsonw_null(b);
	jsonw_key(b, "restarted_at");
	if (any)
		jsonw_real(b, e->restarted_at);
	else
		jsonw_null(b);
	jsonw_key(b, "restarted_from");
	jsonw_str(b, any ? e->restart_from : NULL);
}

static void
json_stats(struct buf *b, const struct tree_stats *st)
{
	jsonw_key(b, "anon_growth");
	jsonw_int(b, st->growth);
	jsonw_key(b, "anon_growth_window");
	jsonw_int(b, st->growth_win);
	json_restarts(b, st->hist);
}

static void
json_diagnosis(struct buf *b, const struct diag_set *ds)
{
	size_t	i;

	jsonw_key(b, "diagnosis");
	jsonw_open(b, '[');
	for (i = 0; i < ds->n; i++) {
		jsonw_open(b, '{');
		jsonw_key(b, "rule");
		jsonw_str(b, ds->d[i].rule);
		jsonw_key(b, "bytes");
		jsonw_u64(b, ds->d[i].bytes);
		jsonw_key(b, "explains");
		jsonw_bool(b, ds->d[i].explains);
		jsonw_key(b, "text");
		jsonw_str(b, ds->d[i].text);
		jsonw_key(b, "advice");
		jsonw_str(b, ds->d[i].advice);
		jsonw_close(b, '}');
	}
	jsonw_close(b, ']');
}

/*
 * What the replica figures compare with: the cluster's replicas
 * (Prometheus) or the node's, how many, their median and spread.
 */
static void
json_baseline(struct buf *b, const struct tree_replicas *r)
{
	bool	prom = r->source == REP_PROMETHEUS;

	jsonw_key(b, "baseline");
	jsonw_open(b, '{');
	jsonw_key(b, "source");
	jsonw_str(b, prom ? "prometheus" : "node");
	jsonw_key(b, "replicas");
	jsonw_int(b, prom ? r->replicas : r->siblings);
	jsonw_key(b, "median");
	jsonw_u64(b, r->median);
	jsonw_key(b, "p25");
	jsonw_u64(b, prom ? r->spread_lo : FIG_NA);
	jsonw_key(b, "p75");
	jsonw_u64(b, prom ? r->spread_hi : FIG_NA);
	jsonw_close(b, '}');
}

/* A pod's or container's standing against its replicas. */
static void
json_replicas(struct buf *b, const struct tree_replicas *r)
{
	jsonw_key(b, "replicas");
	if (r->kind == WL_NONE) {
		jsonw_null(b);
		return;
	}
	jsonw_open(b, '{');
	jsonw_key(b, "workload");
	jsonw_str(b, workload_kind_name(r->kind));
	jsonw_key(b, "workload_from");
	jsonw_str(b, r->by_labels ? "labels" : "name");
	jsonw_key(b, "source");
	jsonw_str(b, r->source == REP_PROMETHEUS ? "prometheus" : "node");
	jsonw_key(b, "siblings");
	jsonw_int(b, r->siblings);
	jsonw_key(b, "anon");
	jsonw_u64(b, r->anon);
	jsonw_key(b, "median");
	jsonw_u64(b, r->median);
	jsonw_key(b, "excess");
	if (r->median == FIG_NA)
		jsonw_null(b);
	else
		jsonw_int(b, r->excess);
	jsonw_key(b, "ratio");
	if (r->median == FIG_NA || r->median == 0)
		jsonw_null(b);
	else
		jsonw_real(b, (double)r->anon / (double)r->median);
	jsonw_key(b, "outlier");
	jsonw_bool(b, r->outlier);
	jsonw_close(b, '}');
	json_baseline(b, r);
}

/*
 * A process's object, but pss_age (it moves every refresh: added on
 * output) and the closing brace.
 */
static void
json_proc(struct buf *b, const struct tree_proc *tp, const struct diag_set *ds)
{
	const struct snap_proc	*p = tp->sp;
	char			 names[128];
	char			*tok, *save = NULL;
	int			 k;

	jsonw_open(b, '{');
	jsonw_key(b, "entity");
	jsonw_str(b, tp->ident);
	jsonw_key(b, "pid");
	jsonw_int(b, p->pid);
	jsonw_key(b, "ppid");
	jsonw_int(b, p->ppid);
	jsonw_key(b, "uid");
	jsonw_int(b, p->uid);
	jsonw_key(b, "comm");
	jsonw_str(b, p->comm);
	jsonw_key(b, "cmdline");
	jsonw_str(b, p->cmdline);
	jsonw_key(b, "start_time");
	jsonw_int(b, (long long)p->start);
	jsonw_key(b, "state");
	jsonw_strn(b, &p->state, 1);
	jsonw_key(b, "kthread");
	jsonw_bool(b, p->kthread);
	for (k = 0; k < FIG__COUNT; k++) {
		jsonw_key(b, fig_table[k].key);
		jsonw_u64(b, p->fig[k]);
	}
	jsonw_key(b, "mappings");
	if (p->nmaps < 0)
		jsonw_null(b);
	else
		jsonw_int(b, p->nmaps);
	jsonw_key(b, "findings");
	jsonw_open(b, '[');
	marks_names(p->marks, names, sizeof names);
	for (tok = strtok_r(names, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		jsonw_str(b, tok);
	jsonw_close(b, ']');
	json_stats(b, &tp->st);
	json_diagnosis(b, ds);
}

/*
 * A sum's figures: null when no member's is known; the known part when some
 * are unknown, with the keys listed in "partial" next to "totals".
 */
static void
json_totals(struct buf *b, const struct fig_sum *s)
{
	bool	partial[FIG__COUNT];
	int	k;

	jsonw_key(b, "totals");
	jsonw_open(b, '{');
	for (k = 0; k < FIG__COUNT; k++) {
		struct fig_val	fv = fig_sum_get(s, k);

		jsonw_key(b, fig_table[k].key);
		jsonw_u64(b, fv.v);
		partial[k] = fv.state == FIG_PARTIAL;
	}
	jsonw_close(b, '}');
	jsonw_key(b, "partial");
	jsonw_open(b, '[');
	for (k = 0; k < FIG__COUNT; k++) {
		if (partial[k])
			jsonw_str(b, fig_table[k].key);
	}
	jsonw_close(b, ']');
	jsonw_key(b, "members");
	jsonw_int(b, (long long)s->n);
}

/* A container's object but its processes and closing brace. */
static void
json_ctr(struct buf *b, const struct tree_ctr *c)
{
	jsonw_open(b, '{');
	jsonw_key(b, "entity");
	jsonw_str(b, c->ident);
	jsonw_key(b, "id");
	jsonw_str_or_null(b, c->ctr_id);
	jsonw_key(b, "name");
	jsonw_str_or_null(b, c->name);
	jsonw_key(b, "sandbox");
	jsonw_bool(b, c->sandbox);
	if (c->pod != NULL) {
		jsonw_key(b, "pod");
		jsonw_str(b, c->pod);
	}
	jsonw_key(b, "runtime");
	jsonw_str_or_null(b, k8s_runtime_name(c->runtime));
	jsonw_key(b, "cgroup");
	jsonw_str_or_null(b, c->cgroup);
	jsonw_key(b, "memory");
	json_mem(b, c->mem, &c->st);
	json_totals(b, &c->sum);
	json_stats(b, &c->st);
	json_replicas(b, &c->st.rep);
}

/* A group's object but its containers and closing brace. */
static void
json_group(struct buf *b, const struct tree_group *g,
    const struct diag_set *ds)
{
	/* the names: null when unknown or empty */
	const char	*names[][2] = {
		{ "namespace", g->namespace },
		{ "pod", g->pod },
		{ "name_source", runtime_source_name(g->name_source) },
		{ "cgroup", g->cgroup },
		{ "pod_uid", g->pod_uid },
		{ "qos", k8s_qos_name(g->qos) },
		{ "hierarchy", g->hier == CG_HIER_V1 ? "v1" :
		    g->hier == CG_HIER_V2 ? "v2" : NULL },
	};
	size_t		 i;

	jsonw_open(b, '{');
	jsonw_key(b, "kind");
	jsonw_str(b, ent_kind_name(g->kind));
	jsonw_key(b, "entity");
	jsonw_str(b, g->ident);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		jsonw_key(b, names[i][0]);
		jsonw_str_or_null(b, names[i][1]);
	}
	jsonw_key(b, "memory");
	json_mem(b, g->mem, &g->st);
	json_totals(b, &g->sum);
	json_stats(b, &g->st);
	if (g->st.rep.kind != WL_NONE && g->pod != NULL) {
		jsonw_key(b, "workload");
		jsonw_strn(b, g->pod, g->st.rep.stem_len);
	}
	json_replicas(b, &g->st.rep);
	json_diagnosis(b, ds);
}

/*
 * The render cache: each group's, container's and process's object as text
 * (without the closing brace; a process's also without pss_age), kept by
 * kind and identity with a fingerprint of everything in it. An object
 * whose fingerprint did not change since the last document is written
 * from its text; only the others are written again. Entries not
 * written in a document are dropped after it.
 */
struct jproc {
	char		 kind;		/* 'g'roup, 'c'ontainer, 'p'rocess */
	const char	*ident;		/* in text's allocation */
	uint64_t	 fp;
	char		*text;
	size_t		 len;
};
static struct jcache {
	struct jproc	*v;		/* the last document's, by ident */
	size_t		 n;
	struct jproc	*next;		/* this document's */
	size_t		 nnext, cap;
	size_t		 renders;
	bool		 last;		/* this document is not kept */
	struct buf	 out;		/* the object being written */
} jc;

#define FNV_BASIS	14695981039346656037ULL

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char	*b = p;

	while (n-- > 0)
		h = (h ^ *b++) * 1099511628211ULL;
	return h;
}

static uint64_t
fnv_str(uint64_t h, const char *s)
{
	return s == NULL ? fnv(h, "\1", 1) : fnv(h, s, strlen(s) + 1);
}

static uint64_t
fp_diag(uint64_t h, const struct diag_set *ds)
{
	size_t	i;

	for (i = 0; i < ds->n; i++) {
		h = fnv_str(h, ds->d[i].rule);
		h = fnv(h, &ds->d[i].bytes, sizeof ds->d[i].bytes);
		h = fnv(h, &ds->d[i].explains, sizeof ds->d[i].explains);
		h = fnv_str(h, ds->d[i].text);
		h = fnv_str(h, ds->d[i].advice);
	}
	return fnv(h, &ds->n, sizeof ds->n);
}

/* What json_stats writes. */
static uint64_t
fp_stats(uint64_t h, const struct tree_stats *st)
{
	const struct hist_ent	*e = st->hist;
	int			 r = e != NULL ? e->restarts : -2;

	h = fnv(h, &st->growth, sizeof st->growth);
	h = fnv(h, &st->growth_win, sizeof st->growth_win);
	h = fnv(h, &r, sizeof r);
	if (e != NULL) {
		h = fnv(h, &e->restarted_at, sizeof e->restarted_at);
		h = fnv_str(h, e->restart_from);
	}
	return h;
}

/* What json_mem, json_totals and json_replicas write. */
static uint64_t
fp_figures(uint64_t h, const struct cg_mem *m, const struct tree_stats *st,
    const struct fig_sum *sum)
{
	const struct tree_replicas	*r = &st->rep;
	bool				 read = m != NULL && m->read;

	h = fnv(h, &st->wset, sizeof st->wset);
	h = fnv(h, &read, sizeof read);
	if (read) {
		h = fnv(h, &m->current, sizeof m->current);
		h = fnv(h, &m->limit, sizeof m->limit);
		h = fnv(h, &m->unlimited, sizeof m->unlimited);
		h = fnv(h, &m->anon, sizeof m->anon);
		h = fnv(h, &m->file, sizeof m->file);
		h = fnv(h, &m->shmem, sizeof m->shmem);
		h = fnv(h, &m->kernel, sizeof m->kernel);
		h = fnv(h, &m->oom_kill, sizeof m->oom_kill);
		h = fnv(h, &m->failcnt, sizeof m->failcnt);
		h = fnv(h, &m->inactive_file, sizeof m->inactive_file);
	}
	h = fnv(h, sum->v, sizeof sum->v);
	h = fnv(h, sum->na, sizeof sum->na);
	h = fnv(h, &sum->n, sizeof sum->n);
	h = fp_stats(h, st);
	h = fnv(h, &r->kind, sizeof r->kind);
	if (r->kind == WL_NONE)
		return h;
	h = fnv(h, &r->by_labels, sizeof r->by_labels);
	h = fnv(h, &r->source, sizeof r->source);
	h = fnv(h, &r->siblings, sizeof r->siblings);
	h = fnv(h, &r->anon, sizeof r->anon);
	h = fnv(h, &r->median, sizeof r->median);
	h = fnv(h, &r->excess, sizeof r->excess);
	h = fnv(h, &r->outlier, sizeof r->outlier);
	h = fnv(h, &r->replicas, sizeof r->replicas);
	h = fnv(h, &r->spread_lo, sizeof r->spread_lo);
	return fnv(h, &r->spread_hi, sizeof r->spread_hi);
}

static uint64_t
json_ctr_fp(const struct tree_ctr *c)
{
	uint64_t	h = FNV_BASIS;

	h = fnv_str(h, c->ident);
	h = fnv_str(h, c->ctr_id);
	h = fnv_str(h, c->name);
	h = fnv(h, &c->sandbox, sizeof c->sandbox);
	h = fnv_str(h, c->pod);
	h = fnv(h, &c->runtime, sizeof c->runtime);
	h = fnv_str(h, c->cgroup);
	return fp_figures(h, c->mem, &c->st, &c->sum);
}

static uint64_t
json_group_fp(const struct tree_group *g, const struct diag_set *ds)
{
	uint64_t	h = FNV_BASIS;

	h = fnv(h, &g->kind, sizeof g->kind);
	h = fnv_str(h, g->ident);
	h = fnv_str(h, g->namespace);
	h = fnv_str(h, g->pod);
	h = fnv(h, &g->name_source, sizeof g->name_source);
	h = fnv_str(h, g->cgroup);
	h = fnv_str(h, g->pod_uid);
	h = fnv(h, &g->qos, sizeof g->qos);
	h = fnv(h, &g->hier, sizeof g->hier);
	h = fnv(h, &g->st.rep.stem_len, sizeof g->st.rep.stem_len);
	h = fp_figures(h, g->mem, &g->st, &g->sum);
	return fp_diag(h, ds);
}

static uint64_t
json_proc_fp(const struct tree_proc *tp, const struct diag_set *ds)
{
	const struct snap_proc	*p = tp->sp;
	uint64_t		 h = FNV_BASIS;

	h = fnv(h, &p->pid, sizeof p->pid);
	h = fnv(h, &p->ppid, sizeof p->ppid);
	h = fnv(h, &p->uid, sizeof p->uid);
	h = fnv(h, &p->start, sizeof p->start);
	h = fnv(h, &p->state, sizeof p->state);
	h = fnv(h, &p->kthread, sizeof p->kthread);
	h = fnv(h, p->fig, sizeof p->fig);
	h = fnv(h, &p->nmaps, sizeof p->nmaps);
	h = fnv(h, &p->marks, sizeof p->marks);
	h = fnv(h, &tp->st.growth, sizeof tp->st.growth);
	h = fnv(h, &tp->st.growth_win, sizeof tp->st.growth_win);
	h = fnv_str(h, p->comm);
	h = fnv_str(h, p->cmdline);
	return fp_diag(h, ds);
}

static int
jproc_cmp(const void *a, const void *b)
{
	const struct jproc	*x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind - y->kind;
	return strcmp(x->ident, y->ident);
}

/*
 * This document's entry for (kind, ident): the last document's text moved
 * over if its fingerprint is fp, else NULL (the caller renders).
 */
static struct jproc *
jcache_find(char kind, const char *ident, uint64_t fp)
{
	struct jproc	key, *old, *e;

	key.kind = kind;
	key.ident = ident;
	old = jc.n == 0 ? NULL : bsearch(&key, jc.v, jc.n, sizeof *jc.v,
	    jproc_cmp);
	if (old == NULL || old->text == NULL || old->fp != fp)
		return NULL;
	if (jc.nnext == jc.cap) {
		jc.cap = jc.cap * 2 + 64;
		jc.next = xreallocarray(jc.next, jc.cap, sizeof *jc.next);
	}
	e = &jc.next[jc.nnext++];
	*e = *old;
	old->text = NULL;	/* moved */
	return e;
}

/*
 * This document's entry for (kind, ident): jc.out's object (written by the
 * caller, its closing brace left out) moved into the cache.
 */
static struct jproc *
jcache_store(char kind, const char *ident, uint64_t fp)
{
	struct jproc	*e;
	size_t		 il = strlen(ident) + 1;

	if (jc.nnext == jc.cap) {
		jc.cap = jc.cap * 2 + 64;
		jc.next = xreallocarray(jc.next, jc.cap, sizeof *jc.next);
	}
	e = &jc.next[jc.nnext++];
	e->kind = kind;
	e->len = jc.out.len;
	e->text = xmalloc(e->len + il);
	memcpy(e->text, jc.out.data, e->len);
	memcpy(e->text + e->len, ident, il);
	e->ident = e->text + e->len;
	e->fp = fp;
	buf_reset(&jc.out);
	jc.renders++;
	return e;
}

/*
 * Writes the object the caller rendered into jc.out (its closing brace left
 * out): kept for the next document unless this one is the last.
 */
static void
jcache_emit(FILE *f, char kind, const char *ident, uint64_t fp)
{
	const struct jproc	*e;

	if (jc.last) {
		fwrite(jc.out.data, 1, jc.out.len, f);
		buf_reset(&jc.out);
		jc.renders++;
		return;
	}
	e = jcache_store(kind, ident, fp);
	fwrite(e->text, 1, e->len, f);
}

static void
json_put_proc(FILE *f, const struct tree_proc *tp)
{
	struct diag_set	 ds;
	struct jproc	*e;
	uint64_t	 fp;

	diagnose_proc(tp, &ds);
	fp = json_proc_fp(tp, &ds);
	e = jcache_find('p', tp->ident, fp);
	if (e == NULL) {
		json_proc(&jc.out, tp, &ds);
		jcache_emit(f, 'p', tp->ident, fp);
	} else
		fwrite(e->text, 1, e->len, f);
	/* jc.out is empty: the key gets its comma from the text before */
	fputc(',', f);
	jsonw_key(&jc.out, "pss_age");
	if (tp->sp->rollup_age < 0)
		jsonw_null(&jc.out);
	else
		jsonw_real(&jc.out, tp->sp->rollup_age);
	jsonw_close(&jc.out, '}');
	fwrite(jc.out.data, 1, jc.out.len, f);
	buf_reset(&jc.out);
}

/* A group's object but its closing brace and containers, from the cache. */
static void
json_put_group(FILE *f, const struct tree *t, const struct tree_group *g)
{
	struct diag_set	 ds;
	struct jproc	*e;
	uint64_t	 fp;

	diagnose_group(t, g, &ds);
	fp = json_group_fp(g, &ds);
	e = jcache_find('g', g->ident, fp);
	if (e == NULL) {
		json_group(&jc.out, g, &ds);
		jcache_emit(f, 'g', g->ident, fp);
	} else
		fwrite(e->text, 1, e->len, f);
}

/* A container's object but its closing brace and processes. */
static void
json_put_ctr(FILE *f, const struct tree_ctr *c)
{
	struct jproc	*e;
	uint64_t	 fp = json_ctr_fp(c);

	e = jcache_find('c', c->ident, fp);
	if (e == NULL) {
		json_ctr(&jc.out, c);
		jcache_emit(f, 'c', c->ident, fp);
	} else
		fwrite(e->text, 1, e->len, f);
}

/* After a document: what it did not write goes; its entries become the cache. */
static void
jcache_turn(void)
{
	struct jproc	*t;
	size_t		 i;

	if (jc.last) {		/* what it moved over is not kept either */
		for (i = 0; i < jc.nnext; i++)
			free(jc.next[i].text);
		jc.nnext = 0;
	}
	for (i = 0; i < jc.n; i++)
		free(jc.v[i].text);
	t = jc.v;
	jc.v = jc.next;
	jc.n = jc.nnext;
	jc.next = t;
	jc.nnext = 0;
	if (jc.n > 1)
		qsort(jc.v, jc.n, sizeof *jc.v, jproc_cmp);
	/* the spare array follows the size of what is on the node now */
	jc.next = xreallocarray(jc.next, jc.n + 64, sizeof *jc.next);
	jc.cap = jc.n + 64;
}

size_t
json_render_count(void)
{
	return jc.renders;
}

void
json_cache_last(void)
{
	jc.last = true;
}

void
json_cache_free(void)
{
	size_t	i;

	for (i = 0; i < jc.n; i++)
		free(jc.v[i].text);
	free(jc.v);
	free(jc.next);
	buf_done(&jc.out);
	memset(&jc, 0, sizeof jc);
}

int
json_write_snapshot(FILE *f, const struct snapshot *sn, const struct tree *t)
{
	struct buf	*b = &jc.out;
	size_t		 gi, ci, pi;
	int		 rc = 0;

	jsonw_open(b, '{');
	jsonw_key(b, "time");
	jsonw_real(b, sn->time);
	jsonw_key(b, "node");
	jsonw_open(b, '{');
	jsonw_key(b, "mem_total");
	jsonw_u64(b, sn->mem_total);
	jsonw_key(b, "mem_available");
	jsonw_u64(b, sn->mem_available);
	jsonw_key(b, "processes");
	jsonw_int(b, (long long)sn->nprocs);
	jsonw_key(b, "pss_read");
	jsonw_int(b, (long long)sn->rollup_read);
	jsonw_key(b, "pss_due");
	jsonw_int(b, (long long)sn->rollup_wanted);
	jsonw_key(b, "pss_ms");
	jsonw_real(b, sn->rollup_ms);
	jsonw_close(b, '}');
	fwrite(b->data, 1, b->len, f);
	buf_reset(b);
	/* streamed: groups and containers built one at a time, processes cached */
	fputs(",\"groups\":[", f);
	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		if (gi > 0)
			fputc(',', f);
		json_put_group(f, t, g);
		fputs(",\"containers\":[", f);
		for (ci = 0; ci < g->nctrs; ci++) {
			const struct tree_ctr	*c = &g->ctrs[ci];
			bool			 first = true;

			if (ci > 0)
				fputc(',', f);
			json_put_ctr(f, c);
			fputs(",\"processes\":[", f);
			for (pi = 0; pi < c->nprocs; pi++) {
				if (c->procs[pi].gone)
					continue;
				if (!first)
					fputc(',', f);
				first = false;
				json_put_proc(f, &c->procs[pi]);
			}
			fputs("]}", f);
		}
		fputs("]}", f);
	}
	fputs("]}\n", f);
	jcache_turn();
	jc.last = false;
	if (ferror(f) || fflush(f) == EOF)
		rc = -1;
	return rc;
}
