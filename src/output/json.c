#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/diagnosis.h"
#include "analyse/marks.h"
#include "collect/procscan.h"
#include "output/json.h"
#include "util/jsonu.h"
#include "util/xmalloc.h"

static json_t *
json_str_or_null(const char *s)
{
	if (s == NULL || *s == '\0')
		return json_null();
	return json_string(s);
}

/*
 * A figure's history (first, min, max: live, from the store, from
 * Prometheus), null where there is none.
 */
static json_t *
json_hist(const struct hist_ent *e, int k)
{
	json_t	*o;

	if (e == NULL || e->first[k] == FIG_NA)
		return json_null();
	o = json_object();
	json_object_set_new_nocheck(o, "first", json_u64(e->first[k]));
	json_object_set_new_nocheck(o, "min", json_u64(e->min[k]));
	json_object_set_new_nocheck(o, "max", json_u64(e->max[k]));
	return o;
}

/* The cgroup's accounting, with the model's working set (st->wset). */
static json_t *
json_mem(const struct cg_mem *m, const struct tree_stats *st)
{
	json_t	*o = json_object();

	json_object_set_new_nocheck(o, "working_set", json_u64(st->wset));
	json_object_set_new_nocheck(o, "working_set_history",
	    json_hist(st->hist, HF_WSET));

	if (m == NULL || !m->read) {
		json_object_set_new_nocheck(o, "current", json_null());
		json_object_set_new_nocheck(o, "limit", json_null());
		json_object_set_new_nocheck(o, "unlimited", json_null());
		json_object_set_new_nocheck(o, "anon", json_null());
		json_object_set_new_nocheck(o, "file", json_null());
		return o;
	}
	json_object_set_new_nocheck(o, "current", json_u64(m->current));
	json_object_set_new_nocheck(o, "limit", json_u64(m->limit));
	json_object_set_new_nocheck(o, "unlimited", json_boolean(m->unlimited));
	json_object_set_new_nocheck(o, "anon", json_u64(m->anon));
	json_object_set_new_nocheck(o, "file", json_u64(m->file));
	json_object_set_new_nocheck(o, "shmem", json_u64(m->shmem));
	json_object_set_new_nocheck(o, "kernel", json_u64(m->kernel));
	json_object_set_new_nocheck(o, "oom_kill", json_u64(m->oom_kill));
	json_object_set_new_nocheck(o, "failcnt", json_u64(m->failcnt));
	json_object_set_new_nocheck(o, "inactive_file",
	    json_u64(m->inactive_file));

	return o;
}

/* From the history store: null where it cannot tell (docs/json.md). */
static void
json_restarts(json_t *o, const struct hist_ent *e)
{
	bool	known = e != NULL && e->restarts >= 0;
	bool	any = known && e->restarts > 0 && e->restart_from != NULL;

	json_object_set_new_nocheck(o, "restarts", known ?
	    json_integer(e->restarts) : json_null());
	json_object_set_new_nocheck(o, "restarted_at", any ?
	    json_real(e->restarted_at) : json_null());
	json_object_set_new_nocheck(o, "restarted_from", any ?
	    json_string(e->restart_from) : json_null());
}

static void
json_stats(json_t *o, const struct tree_stats *st)
{
	json_object_set_new_nocheck(o, "anon_growth", json_integer(st->growth));
	json_object_set_new_nocheck(o, "anon_growth_window",
	    json_integer(st->growth_win));
	json_restarts(o, st->hist);
}

static json_t *
json_diagnosis(const struct diag_set *ds)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < ds->n; i++) {
		json_t	*o = json_object();

		json_object_set_new_nocheck(o, "rule", json_string(ds->d[i].rule));
		json_object_set_new_nocheck(o, "bytes", json_u64(ds->d[i].bytes));
		json_object_set_new_nocheck(o, "explains",
		    json_boolean(ds->d[i].explains));
		json_object_set_new_nocheck(o, "text", json_string(ds->d[i].text));
		json_object_set_new_nocheck(o, "advice",
		    json_string(ds->d[i].advice));
		json_array_append_new(a, o);
	}
	return a;
}

/*
 * What the replica figures compare with: the cluster's replicas
 * (Prometheus) or the node's, how many, their median and spread.
 */
static void
json_baseline(json_t *o, const struct tree_replicas *r)
{
	json_t	*j = json_object();
	bool	 prom = r->source == REP_PROMETHEUS;

	json_object_set_new_nocheck(j, "source", json_string(prom ?
	    "prometheus" : "node"));
	json_object_set_new_nocheck(j, "replicas", json_integer(prom ?
	    r->replicas : r->siblings));
	json_object_set_new_nocheck(j, "median", json_u64(r->median));
	json_object_set_new_nocheck(j, "p25", json_u64(prom ? r->spread_lo :
	    FIG_NA));
	json_object_set_new_nocheck(j, "p75", json_u64(prom ? r->spread_hi :
	    FIG_NA));
	json_object_set_new_nocheck(o, "baseline", j);
}

/* A pod's or container's standing against its replicas. */
static void
json_replicas(json_t *o, const struct tree_replicas *r)
{
	json_t	*j;

	if (r->kind == WL_NONE) {
		json_object_set_new_nocheck(o, "replicas", json_null());
		return;
	}
	j = json_object();
	json_object_set_new_nocheck(j, "workload", json_string(
	    workload_kind_name(r->kind)));
	json_object_set_new_nocheck(j, "workload_from", json_string(
	    r->by_labels ? "labels" : "name"));
	json_object_set_new_nocheck(j, "source", json_string(
	    r->source == REP_PROMETHEUS ? "prometheus" : "node"));
	json_object_set_new_nocheck(j, "siblings", json_integer(r->siblings));
	json_object_set_new_nocheck(j, "anon", json_u64(r->anon));
	json_object_set_new_nocheck(j, "median", json_u64(r->median));
	json_object_set_new_nocheck(j, "excess", r->median == FIG_NA ?
	    json_null() : json_integer(r->excess));
	json_object_set_new_nocheck(j, "ratio", r->median == FIG_NA ||
	    r->median == 0 ? json_null() : json_real((double)r->anon /
	    (double)r->median));
	json_object_set_new_nocheck(j, "outlier", json_boolean(r->outlier));
	json_object_set_new_nocheck(o, "replicas", j);
	json_baseline(o, r);
}

/* A process's object, but pss_age (it moves every refresh: added on output). */
static json_t *
json_proc(const struct tree_proc *tp, const struct diag_set *ds)
{
	const struct snap_proc	*p = tp->sp;
	json_t			*o = json_object();
	int			 k;

	json_object_set_new_nocheck(o, "entity", json_string(tp->ident));
	json_object_set_new_nocheck(o, "pid", json_integer(p->pid));
	json_object_set_new_nocheck(o, "ppid", json_integer(p->ppid));
	json_object_set_new_nocheck(o, "uid", json_integer(p->uid));
	json_object_set_new_nocheck(o, "comm", json_string(p->comm));
	json_object_set_new_nocheck(o, "cmdline", p->cmdline != NULL ?
	    json_string(p->cmdline) : json_null());
	json_object_set_new_nocheck(o, "start_time", json_integer(
	    (json_int_t)p->start));
	json_object_set_new_nocheck(o, "state", json_stringn(&p->state, 1));
	json_object_set_new_nocheck(o, "kthread", json_boolean(p->kthread));
	for (k = 0; k < FIG__COUNT; k++)
		json_object_set_new(o, fig_table[k].key, json_u64(p->fig[k]));
	json_object_set_new_nocheck(o, "mappings", p->nmaps < 0 ? json_null() :
	    json_integer(p->nmaps));
	{
		char	 names[128];
		json_t	*a = json_array();
		char	*tok, *save = NULL;

		marks_names(p->marks, names, sizeof names);
		for (tok = strtok_r(names, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			json_array_append_new(a, json_string(tok));
		json_object_set_new_nocheck(o, "findings", a);
	}
	json_stats(o, &tp->st);
	json_object_set_new_nocheck(o, "diagnosis", json_diagnosis(ds));
	return o;
}

/*
 * A sum's figures: null when no member's is known; the known part when some
 * are unknown, with the keys listed in "partial" next to "totals".
 */
static void
json_totals(json_t *parent, const struct fig_sum *s)
{
	json_t		*o = json_object(), *partial = json_array();
	int		 k;

	for (k = 0; k < FIG__COUNT; k++) {
		struct fig_val	fv = fig_sum_get(s, k);

		json_object_set_new(o, fig_table[k].key, json_u64(fv.v));
		if (fv.state == FIG_PARTIAL)
			json_array_append_new(partial,
			    json_string(fig_table[k].key));
	}
	json_object_set_new_nocheck(parent, "totals", o);
	json_object_set_new_nocheck(parent, "partial", partial);
	json_object_set_new_nocheck(parent, "members", json_integer(s->n));
}

/* A container's object but its processes (written after it, streamed). */
static json_t *
json_ctr(const struct tree_ctr *c)
{
	json_t	*o = json_object();

	json_object_set_new_nocheck(o, "entity", json_string(c->ident));
	json_object_set_new_nocheck(o, "id", json_str_or_null(c->ctr_id));
	json_object_set_new_nocheck(o, "name", json_str_or_null(c->name));
	json_object_set_new_nocheck(o, "sandbox", json_boolean(c->sandbox));
	if (c->pod != NULL)
		json_object_set_new_nocheck(o, "pod", json_string(c->pod));
	json_object_set_new_nocheck(o, "runtime",
	    json_str_or_null(k8s_runtime_name(c->runtime)));
	json_object_set_new_nocheck(o, "cgroup", json_str_or_null(c->cgroup));
	json_object_set_new_nocheck(o, "memory", json_mem(c->mem, &c->st));
	json_totals(o, &c->sum);
	json_stats(o, &c->st);
	json_replicas(o, &c->st.rep);
	return o;
}

/* A group's object but its containers (written after it, streamed). */
static json_t *
json_group(const struct tree *t, const struct tree_group *g)
{
	struct diag_set	 ds;
	json_t	*o = json_object();

	json_object_set_new_nocheck(o, "kind", json_string(
	    ent_kind_name(g->kind)));
	json_object_set_new_nocheck(o, "entity", json_string(g->ident));
	json_object_set_new_nocheck(o, "namespace", json_str_or_null(g->namespace));
	json_object_set_new_nocheck(o, "pod", json_str_or_null(g->pod));
	json_object_set_new_nocheck(o, "name_source",
	    json_str_or_null(runtime_source_name(g->name_source)));
	json_object_set_new_nocheck(o, "cgroup", json_str_or_null(g->cgroup));
	json_object_set_new_nocheck(o, "pod_uid", json_str_or_null(g->pod_uid));
	json_object_set_new_nocheck(o, "qos", json_str_or_null(k8s_qos_name(g->qos)));
	json_object_set_new_nocheck(o, "hierarchy", g->hier == CG_HIER_V1 ?
	    json_string("v1") : g->hier == CG_HIER_V2 ? json_string("v2") :
	    json_null());
	json_object_set_new_nocheck(o, "memory", json_mem(g->mem, &g->st));
	json_totals(o, &g->sum);
	json_stats(o, &g->st);
	if (g->st.rep.kind != WL_NONE) {
		json_object_set_new_nocheck(o, "workload", json_stringn(g->pod,
		    g->st.rep.stem_len));
	}
	json_replicas(o, &g->st.rep);
	diagnose_group(t, g, &ds);
	json_object_set_new_nocheck(o, "diagnosis", json_diagnosis(&ds));
	return o;
}

/*
 * The render cache: each process's object as text (without pss_age and the
 * closing brace), kept by identity with a fingerprint of everything in it.
 * A process whose fingerprint did not change since the last document is
 * written from its text; only the others are built and encoded again.
 * Entries not written in a document are dropped after it.
 */
struct jproc {
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
json_proc_fp(const struct tree_proc *tp, const struct diag_set *ds)
{
	const struct snap_proc	*p = tp->sp;
	uint64_t		 h = FNV_BASIS;
	size_t			 i;

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
	for (i = 0; i < ds->n; i++) {
		h = fnv_str(h, ds->d[i].rule);
		h = fnv(h, &ds->d[i].bytes, sizeof ds->d[i].bytes);
		h = fnv(h, &ds->d[i].explains, sizeof ds->d[i].explains);
		h = fnv_str(h, ds->d[i].text);
		h = fnv_str(h, ds->d[i].advice);
	}
	return fnv(h, &ds->n, sizeof ds->n);
}

static int
jproc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct jproc *)a)->ident,
	    ((const struct jproc *)b)->ident);
}

/* Writes v as JSON (a number or null) the way jansson does. */
static void
json_put(FILE *f, json_t *v)
{
	json_dumpf(v, f, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
	json_decref(v);
}

/* Writes json_dumps(o) but its closing brace, then frees o. */
static void
json_put_open(FILE *f, json_t *o)
{
	char	*s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

	if (s != NULL) {
		fwrite(s, 1, strlen(s) - 1, f);
		free(s);
	}
	json_decref(o);
}

static void
json_put_proc(FILE *f, const struct tree_proc *tp)
{
	struct diag_set	 ds;
	struct jproc	 key, *old, *e;
	uint64_t	 fp;

	diagnose_proc(tp, &ds);
	fp = json_proc_fp(tp, &ds);
	key.ident = tp->ident;
	old = jc.n == 0 ? NULL : bsearch(&key, jc.v, jc.n, sizeof *jc.v,
	    jproc_cmp);
	if (jc.nnext == jc.cap) {
		jc.cap = jc.cap * 2 + 64;
		jc.next = xreallocarray(jc.next, jc.cap, sizeof *jc.next);
	}
	e = &jc.next[jc.nnext];
	if (old != NULL && old->text != NULL && old->fp == fp) {
		*e = *old;
		old->text = NULL;	/* moved */
	} else {
		json_t	*o = json_proc(tp, &ds);
		size_t	 il = strlen(tp->ident) + 1;
		char	*s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

		json_decref(o);
		if (s == NULL)
			return;
		e->len = strlen(s) - 1;		/* no closing brace */
		e->text = xmalloc(e->len + il);
		memcpy(e->text, s, e->len);
		memcpy(e->text + e->len, tp->ident, il);
		e->ident = e->text + e->len;
		e->fp = fp;
		free(s);
		jc.renders++;
	}
	jc.nnext++;
	fwrite(e->text, 1, e->len, f);
	fputs(",\"pss_age\":", f);
	json_put(f, tp->sp->rollup_age < 0 ? json_null() :
	    json_real(tp->sp->rollup_age));
	fputc('}', f);
}

/* After a document: what it did not write goes; its entries become the cache. */
static void
jcache_turn(void)
{
	struct jproc	*t;
	size_t		 i;

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
json_cache_free(void)
{
	size_t	i;

	for (i = 0; i < jc.n; i++)
		free(jc.v[i].text);
	free(jc.v);
	free(jc.next);
	memset(&jc, 0, sizeof jc);
}

int
json_write_snapshot(FILE *f, const struct snapshot *sn, const struct tree *t)
{
	json_t	*node;
	size_t	 gi, ci, pi;
	int	 rc = 0;

	fputs("{\"time\":", f);
	json_put(f, json_real(sn->time));
	node = json_object();
	json_object_set_new_nocheck(node, "mem_total", json_u64(sn->mem_total));
	json_object_set_new_nocheck(node, "mem_available", json_u64(sn->mem_available));
	json_object_set_new_nocheck(node, "processes", json_integer(
	    (json_int_t)sn->nprocs));
	json_object_set_new_nocheck(node, "pss_read", json_integer(
	    (json_int_t)sn->rollup_read));
	json_object_set_new_nocheck(node, "pss_due", json_integer(
	    (json_int_t)sn->rollup_wanted));
	json_object_set_new_nocheck(node, "pss_ms", json_real(sn->rollup_ms));
	fputs(",\"node\":", f);
	json_put(f, node);
	/* streamed: groups and containers built one at a time, processes cached */
	fputs(",\"groups\":[", f);
	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		if (gi > 0)
			fputc(',', f);
		json_put_open(f, json_group(t, g));
		fputs(",\"containers\":[", f);
		for (ci = 0; ci < g->nctrs; ci++) {
			const struct tree_ctr	*c = &g->ctrs[ci];
			bool			 first = true;

			if (ci > 0)
				fputc(',', f);
			json_put_open(f, json_ctr(c));
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
	if (ferror(f) || fflush(f) == EOF)
		rc = -1;
	return rc;
}
