#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/detectors.h"
#include "analyse/diagnosis.h"
#include "output/prom.h"
#include "output/promcache.h"
#include "output/promtext.h"
#include "util/xmalloc.h"

/*
 * Every family is a row built from three tables: the figure table (one
 * family per smaps_rollup/status figure), the detector table (a count and a
 * bytes family per rule) and the fixed rows below. Container families sum
 * their live processes; a sum nobody could read is left out, never 0.
 */
enum prom_src {
	SRC_FIG,		/* arg: the figure */
	SRC_PROCS,
	SRC_PSS_NA,
	SRC_CHARGE,
	SRC_WSET,
	SRC_LIMIT,
	SRC_OOM_KILLS,
	SRC_MAPS,
	SRC_ANON_MAPS,
	SRC_RULE_COUNT,		/* arg: the detector */
	SRC_RULE_BYTES,
	SRC_GROWTH,
	SRC_GROWTH_WIN
};

struct family {
	char		 name[64];	/* after memtop_container_ */
	const char	*type;
	char		 help[320];
	const char	*source;
	enum prom_src	 src;
	int		 arg;
	bool		 per_process;	/* a memtop_process_ family too */
};

static const struct family fixed_families[] = {
	{ "processes", "gauge", "Processes in the container (kernel threads "
	  "not counted).", "/proc/PID/stat", SRC_PROCS, 0, false },
	{ "pss_unknown_processes", "gauge", "Processes whose smaps_rollup "
	  "could not be read (left out of the PSS sums).",
	  "/proc/PID/smaps_rollup", SRC_PSS_NA, 0, false },
	{ "memory_charge_bytes", "gauge", "Memory charged to the container's "
	  "cgroup.", "memory.current (v2), memory.usage_in_bytes (v1)",
	  SRC_CHARGE, 0, false },
	{ "memory_working_set_bytes", "gauge", "The container's working set: "
	  "its charge minus inactive file pages, floored at 0 (what kubelet "
	  "evicts by and kubectl top shows; cAdvisor's "
	  "container_memory_working_set_bytes).", "memory.current - "
	  "memory.stat inactive_file (v2), memory.usage_in_bytes - "
	  "total_inactive_file (v1)", SRC_WSET, 0, false },
	{ "memory_limit_bytes", "gauge", "The cgroup's memory limit; absent "
	  "when unlimited.", "memory.max (v2), memory.limit_in_bytes (v1)",
	  SRC_LIMIT, 0, false },
	{ "oom_kills_total", "counter", "Processes the OOM killer killed in "
	  "the cgroup.", "memory.events oom_kill (v2), memory.oom_control "
	  "(v1)", SRC_OOM_KILLS, 0, false },
	{ "mappings", "gauge", "Memory mappings (VMAs).", "/proc/PID/maps",
	  SRC_MAPS, 0, true },
	{ "anon_mappings", "gauge", "Anonymous memory mappings (no file "
	  "behind them).", "/proc/PID/maps", SRC_ANON_MAPS, 0, true },
	{ "anon_growth_bytes", "gauge", "RssAnon now minus its minimum since "
	  "memtop started.", "/proc/PID/status", SRC_GROWTH, 0, true },
	{ "anon_growth_window_bytes", "gauge", "RssAnon now minus its minimum "
	  "over the last --window minutes.", "/proc/PID/status",
	  SRC_GROWTH_WIN, 0, true },
};

struct famlist {
	struct family	*v;
	size_t		 n;
};

static void
famlist_build(struct famlist *fl)
{
	size_t	nfix = sizeof fixed_families / sizeof fixed_families[0];
	size_t	k, j, n = 0;

	fl->v = xcalloc(FIG__COUNT + 2 * detector_count + nfix, sizeof *fl->v);
	for (k = 0; k < FIG__COUNT; k++) {
		struct family	*f = &fl->v[n++];

		snprintf(f->name, sizeof f->name, "%s_bytes", fig_table[k].key);
		f->type = "gauge";
		f->source = fig_table[k].tier == FIG_TIER_CHEAP ?
		    "/proc/PID/status" : "/proc/PID/smaps_rollup";
		snprintf(f->help, sizeof f->help, "%s from %s, in bytes; a "
		    "container's is the sum over its processes.",
		    fig_table[k].title, f->source);
		f->src = SRC_FIG;
		f->arg = (int)k;
		f->per_process = true;
	}
	for (j = 0; j < detector_count; j++) {
		struct family	*fc = &fl->v[n++], *fb = &fl->v[n++];
		char		 base[48], *p;

		snprintf(base, sizeof base, "%s", detector_table[j].rule);
		for (p = base; *p != '\0'; p++) {
			if (*p == '-')
				*p = '_';
		}
		snprintf(fc->name, sizeof fc->name, "%s", base);
		snprintf(fb->name, sizeof fb->name, "%s_bytes", base);
		fc->type = fb->type = "gauge";
		snprintf(fc->help, sizeof fc->help, "Rule %s, how many: %s.",
		    detector_table[j].rule, detector_table[j].explain);
		snprintf(fb->help, sizeof fb->help, "Rule %s, bytes mapped: %s.",
		    detector_table[j].rule, detector_table[j].explain);
		fc->source = fb->source = "/proc/PID/maps";
		fc->src = SRC_RULE_COUNT;
		fb->src = SRC_RULE_BYTES;
		fc->arg = fb->arg = (int)j;
		fc->per_process = fb->per_process = true;
	}
	for (j = 0; j < nfix; j++)
		fl->v[n++] = fixed_families[j];
	fl->n = n;
}

/* A process's own value for f; false if unknown. */
static bool
proc_value(const struct family *f, const struct tree_proc *tp, int64_t *out)
{
	const struct snap_proc	*p = tp->sp;

	switch (f->src) {
	case SRC_FIG:
		if (p->fig[f->arg] == FIG_NA)
			return false;
		*out = (int64_t)p->fig[f->arg];
		return true;
	case SRC_MAPS:
		*out = p->nmaps;
		return p->nmaps >= 0;
	case SRC_ANON_MAPS:
		*out = p->nanon;
		return p->nanon >= 0;
	case SRC_RULE_COUNT:
		*out = (int64_t)p->tally.count[f->arg];
		return p->nmaps >= 0;
	case SRC_RULE_BYTES:
		*out = (int64_t)p->tally.bytes[f->arg];
		return p->nmaps >= 0;
	case SRC_GROWTH:
		*out = tp->st.growth;
		return true;
	case SRC_GROWTH_WIN:
		*out = tp->st.growth_win;
		return true;
	default:
		return false;
	}
}

/*
 * A container's value for f: its cgroup's, or the sum over its live
 * processes (nlive of them).
 */
static bool
ctr_value(const struct family *f, const struct tree_ctr *c, size_t nlive,
    int64_t *out)
{
	const struct cg_mem	*m = c->mem != NULL && c->mem->read ? c->mem :
				    NULL;
	size_t			 i, known = 0;
	int64_t			 v, sum = 0;

	switch (f->src) {
	case SRC_FIG: {
		/* unknown: no sample; partial: the known part (and the
		   unknown-PSS count family says how many are missing) */
		struct fig_val	fv = fig_sum_get(&c->sum, f->arg);

		*out = (int64_t)fv.v;
		return fv.state != FIG_UNKNOWN;
	}
	case SRC_PROCS:
		*out = (int64_t)nlive;
		return true;
	case SRC_PSS_NA:
		*out = c->sum.na[FIG_PSS];
		return true;
	case SRC_CHARGE:
		*out = m != NULL ? (int64_t)m->current : 0;
		return m != NULL && m->current != CG_NA;
	case SRC_WSET:
		*out = (int64_t)c->st.wset;
		return c->st.wset != FIG_NA;
	case SRC_LIMIT:
		*out = m != NULL ? (int64_t)m->limit : 0;
		return m != NULL && !m->unlimited && m->limit != CG_NA;
	case SRC_OOM_KILLS:
		*out = m != NULL ? (int64_t)m->oom_kill : 0;
		return m != NULL && m->oom_kill != CG_NA;
	case SRC_GROWTH:
		*out = c->st.growth;
		return true;
	case SRC_GROWTH_WIN:
		*out = c->st.growth_win;
		return true;
	default:
		break;
	}
	for (i = 0; i < c->nprocs; i++) {
		if (!c->procs[i].gone && proc_value(f, &c->procs[i], &v)) {
			sum += v;
			known++;
		}
	}
	*out = sum;
	return known > 0;
}

/*
 * A container's labels. The cgroup path only when there is no container ID:
 * the ID names a container uniquely, and the path would double every
 * series' size; a systemd service or other group is known by its path.
 */
static void
put_ctr_labels(struct promtext *b, const struct tree_group *g,
    const struct tree_ctr *c, bool *first)
{
	promtext_label(b, "namespace", g->namespace, first);
	promtext_label(b, "pod", g->pod, first);
	promtext_label(b, "pod_uid", g->pod_uid, first);
	promtext_label(b, "container", c->name, first);
	promtext_label(b, "container_id", c->ctr_id, first);
	if (c->ctr_id[0] == '\0')
		promtext_label(b, "cgroup", c->cgroup != NULL ? c->cgroup :
		    g->cgroup != NULL ? g->cgroup : "/", first);
}

/* A container with live processes and its label text, rendered once. */
struct series {
	const struct tree_group	*g;
	const struct tree_ctr	*c;
	size_t			 nlive;		/* processes not gone */
	char			*labels;	/* without braces */
	size_t			 len;
	bool			 own;		/* labels not in the shared text */
};

/* By labels, then v1 first, then tree order: the same input, the same names. */
static int
series_cmp(const void *a, const void *b)
{
	const struct series	*x = a, *y = b;
	int			 c = strcmp(x->labels, y->labels);

	if (c != 0)
		return c;
	if (x->g->hier != y->g->hier)
		return x->g->hier < y->g->hier ? -1 : 1;
	return x->c < y->c ? -1 : x->c > y->c;
}

static void
series_label(struct series *sr, const char *name, const char *value)
{
	struct promtext	 b = { 0 };
	bool		 first = sr->len == 0;

	promtext_put(&b, sr->labels, sr->len);
	promtext_label(&b, name, value, &first);
	promtext_putc(&b, '\0');
	free(sr->labels);
	sr->labels = promtext_take(&b, &sr->len);
	sr->len--;
}

/*
 * Every container's labels, each label set unique: two groups can only
 * share one when a unit's path is the same in the v1 and the v2 hierarchy
 * (a hybrid host), and Prometheus would refuse the whole scrape over a
 * duplicate series, so the hierarchy (then a number) tells them apart.
 * The labels are in one text (*all, the caller frees it), not one each.
 */
static struct series *
series_build(const struct tree *t, size_t *n, char **all)
{
	struct series	*v = NULL;
	struct promtext	 b = { 0 };
	size_t		 gi, ci, i, a, e, k, cap = 0, alen;
	char		 nb[24];

	*n = 0;
	for (gi = 0; gi < t->ngroups; gi++) {
		for (ci = 0; ci < t->groups[gi].nctrs; ci++) {
			struct series	*sr;
			bool		 first = true;
			size_t		 nlive;

			nlive = t->groups[gi].ctrs[ci].sum.n;
			if (nlive == 0)
				continue;
			if (*n == cap) {
				cap = cap * 2 + 16;
				v = xreallocarray(v, cap, sizeof *v);
			}
			sr = &v[(*n)++];
			sr->g = &t->groups[gi];
			sr->c = &t->groups[gi].ctrs[ci];
			sr->nlive = nlive;
			sr->own = false;
			sr->labels = (char *)(uintptr_t)b.len;	/* for now */
			put_ctr_labels(&b, sr->g, sr->c, &first);
			sr->len = b.len - (size_t)(uintptr_t)sr->labels;
			promtext_putc(&b, '\0');
		}
	}
	*all = promtext_take(&b, &alen);
	for (i = 0; i < *n; i++)
		v[i].labels = *all + (size_t)(uintptr_t)v[i].labels;
	if (*n < 2)
		return v;
	qsort(v, *n, sizeof *v, series_cmp);
	for (a = 0; a < *n; a = e) {
		for (e = a + 1; e < *n && strcmp(v[e].labels, v[a].labels) == 0;
		    e++)
			;
		/* v[a + 1 .. e) repeat v[a]'s labels: given their own */
		for (k = a + 1; k < e; k++) {
			bool	unique = v[k].g->hier != v[a].g->hier;

			for (i = a + 1; i < k; i++)
				unique = unique && v[i].g->hier != v[k].g->hier;
			v[k].labels = xstrdup(v[k].labels);
			v[k].own = true;
			series_label(&v[k], "hierarchy", v[k].g->hier ==
			    CG_HIER_V1 ? "v1" : "v2");
			if (unique)
				continue;
			snprintf(nb, sizeof nb, "%zu", k - a);
			series_label(&v[k], "series", nb);
		}
	}
	return v;
}

/* Frees what series_build made. */
static void
series_free(struct series *v, size_t n, char *all)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i].own)
			free(v[i].labels);
	}
	free(v);
	free(all);
}

/* The render caches: a block per container series, one per process series. */
static struct promcache	ctr_cache, proc_cache;

/* Every container family, its series written from the cache. */
static void
put_ctr_families(struct promtext *b, const struct famlist *fl,
    const char *const *names, const struct series *sv, size_t nsv)
{
	size_t	*bi = xreallocarray(NULL, nsv + 1, sizeof *bi);
	int64_t	*val = xreallocarray(NULL, fl->n, sizeof *val);
	bool	*known = xreallocarray(NULL, fl->n, sizeof *known);
	char	 name[96];
	size_t	 i, k;

	for (i = 0; i < nsv; i++) {
		for (k = 0; k < fl->n; k++)
			known[k] = ctr_value(&fl->v[k], sv[i].c, sv[i].nlive,
			    &val[k]);
		bi[i] = promcache_get(&ctr_cache, "memtop_container_", names,
		    fl->n, sv[i].labels, val, known);
	}
	for (k = 0; k < fl->n; k++) {
		snprintf(name, sizeof name, "memtop_container_%s",
		    fl->v[k].name);
		promtext_head(b, name, fl->v[k].type, fl->v[k].help);
		for (i = 0; i < nsv; i++)
			promcache_put(b, &ctr_cache, bi[i], k);
	}
	promcache_end(&ctr_cache);
	free(bi);
	free(val);
	free(known);
}

/*
 * The memtop_process_ families: a series per live process of each
 * container, its labels the container's plus pid and comm. Each process's
 * lines come from the cache, rendered again only when a value moved.
 */
static void
put_proc_families(struct promtext *b, const struct famlist *fl,
    const char *const *names, const struct series *sv, size_t nsv)
{
	struct promtext	 key = { 0 };
	const char	**pnames = xreallocarray(NULL, fl->n, sizeof *pnames);
	size_t		*pf = xreallocarray(NULL, fl->n, sizeof *pf);
	int64_t		*val = xreallocarray(NULL, fl->n, sizeof *val);
	bool		*known = xreallocarray(NULL, fl->n, sizeof *known);
	size_t		*bi = NULL, nb = 0, cap = 0, npf = 0, i, j, pi;
	char		 name[96];

	for (j = 0; j < fl->n; j++) {
		if (fl->v[j].per_process) {
			pf[npf] = j;
			pnames[npf++] = names[j];
		}
	}
	for (i = 0; i < nsv; i++) {
		const struct tree_ctr	*c = sv[i].c;

		for (pi = 0; pi < c->nprocs; pi++) {
			const struct tree_proc	*tp = &c->procs[pi];
			bool			 first = sv[i].len == 0;

			if (tp->gone)
				continue;
			key.len = 0;
			promtext_put(&key, sv[i].labels, sv[i].len);
			/* a pid is digits: nothing to escape */
			if (!first)
				promtext_putc(&key, ',');
			promtext_put(&key, "pid=\"", 5);
			promtext_i64(&key, tp->sp->pid);
			promtext_putc(&key, '"');
			first = false;
			promtext_label(&key, "comm", tp->sp->comm, &first);
			promtext_putc(&key, '\0');
			for (j = 0; j < npf; j++)
				known[j] = proc_value(&fl->v[pf[j]], tp, &val[j]);
			if (nb == cap) {
				cap = cap * 2 + 64;
				bi = xreallocarray(bi, cap, sizeof *bi);
			}
			bi[nb++] = promcache_get(&proc_cache, "memtop_process_",
			    pnames, npf, key.p, val, known);
		}
	}
	for (j = 0; j < npf; j++) {
		snprintf(name, sizeof name, "memtop_process_%s",
		    fl->v[pf[j]].name);
		promtext_head(b, name, fl->v[pf[j]].type, fl->v[pf[j]].help);
		for (i = 0; i < nb; i++)
			promcache_put(b, &proc_cache, bi[i], j);
	}
	promcache_end(&proc_cache);
	promtext_done(&key);
	free(bi);
	free(pnames);
	free(pf);
	free(val);
	free(known);
}

size_t
prom_render_count(void)
{
	return ctr_cache.renders + proc_cache.renders;
}

void
prom_cache_free(void)
{
	promcache_free(&ctr_cache);
	promcache_free(&proc_cache);
}

/* The node-level families: name, type, source, meaning (for the docs). */
enum {
	NF_BUILD,
	NF_MEM_TOTAL,
	NF_MEM_AVAILABLE,
	NF_PROCESSES,
	NF_PSS_UNKNOWN,
	NF_REFRESHES,
	NF_PSS_READS,
	NF_DURATION,
	NF_INTERVAL,
	NF_TIMESTAMP,
	NF__COUNT
};
static const struct node_family {
	const char	*name;
	const char	*type;
	const char	*source;
	const char	*help;
} node_families[NF__COUNT] = {
	[NF_BUILD] = { "memtop_build_info", "gauge", "-",
	  "Always 1; label version." },
	[NF_MEM_TOTAL] = { "memtop_node_memory_total_bytes", "gauge",
	  "/proc/meminfo MemTotal", "The node's memory." },
	[NF_MEM_AVAILABLE] = { "memtop_node_memory_available_bytes", "gauge",
	  "/proc/meminfo MemAvailable", "Memory available without swapping." },
	[NF_PROCESSES] = { "memtop_processes", "gauge", "/proc",
	  "Processes seen in the last refresh." },
	[NF_PSS_UNKNOWN] = { "memtop_pss_unknown_processes", "gauge",
	  "/proc/PID/smaps_rollup",
	  "Processes whose smaps_rollup could not be read." },
	[NF_REFRESHES] = { "memtop_refreshes_total", "counter", "-",
	  "Refreshes since memtop started." },
	[NF_PSS_READS] = { "memtop_pss_reads_total", "counter",
	  "/proc/PID/smaps_rollup", "smaps_rollup reads since memtop started "
	  "(each walks page tables)." },
	[NF_DURATION] = { "memtop_refresh_duration_seconds", "gauge", "-",
	  "Wall time the last refresh took." },
	[NF_INTERVAL] = { "memtop_refresh_interval_seconds", "gauge", "-",
	  "Seconds between refreshes (-d)." },
	[NF_TIMESTAMP] = { "memtop_last_refresh_timestamp_seconds", "gauge",
	  "-", "When the served figures were read (Unix time): alert on "
	  "staleness." },
};

static void
put_node_u64(struct promtext *b, int which, uint64_t v)
{
	const struct node_family	*nf = &node_families[which];

	promtext_head(b, nf->name, nf->type, nf->help);
	if (v == FIG_NA)
		return;
	promtext_puts(b, nf->name);
	promtext_putc(b, ' ');
	promtext_u64(b, v);
	promtext_putc(b, '\n');
}

static void
put_node_real(struct promtext *b, int which, double v)
{
	const struct node_family	*nf = &node_families[which];
	char				 num[64];

	promtext_head(b, nf->name, nf->type, nf->help);
	snprintf(num, sizeof num, " %.6f\n", v);
	promtext_puts(b, nf->name);
	promtext_puts(b, num);
}

/* Pod-level families: a pod against its replicas, and its diagnosis. */
static const struct pod_family {
	const char	*name;
	const char	*source;
	const char	*help;
} pod_families[] = {
	{ "memtop_pod_replicas_excess_bytes", "/proc/PID/status (RssAnon)",
	  "The pod's anonymous memory minus the median of its replicas on the "
	  "node (pods of the same workload by name, namespace and containers); "
	  "absent without a sibling." },
	{ "memtop_pod_diagnosis_bytes", "src/analyse/diagnosis.c rules",
	  "Bytes a diagnosis rule explains (label rule; explains=\"true\" "
	  "when counted against the excess over the replicas)." },
};

/* "NAME{namespace=..,pod=..,pod_uid=.." of pod g, the brace left open. */
static void
put_pod_labels(struct promtext *b, const char *name,
    const struct tree_group *g, bool *first)
{
	promtext_puts(b, name);
	promtext_putc(b, '{');
	promtext_label(b, "namespace", g->namespace, first);
	promtext_label(b, "pod", g->pod, first);
	promtext_label(b, "pod_uid", g->pod_uid, first);
}

static void
put_pod_families(struct promtext *b, const struct tree *t)
{
	struct diag_set	ds;
	size_t		gi, i;
	bool		first;

	promtext_head(b, pod_families[0].name, "gauge", pod_families[0].help);
	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		if (g->kind != ENT_POD || g->st.rep.median == FIG_NA)
			continue;
		first = true;
		put_pod_labels(b, pod_families[0].name, g, &first);
		promtext_put(b, "} ", 2);
		promtext_i64(b, g->st.rep.excess);
		promtext_putc(b, '\n');
	}
	promtext_head(b, pod_families[1].name, "gauge", pod_families[1].help);
	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		if (g->kind != ENT_POD)
			continue;
		diagnose_group(t, g, &ds);
		for (i = 0; i < ds.n; i++) {
			first = true;
			put_pod_labels(b, pod_families[1].name, g, &first);
			promtext_label(b, "rule", ds.d[i].rule, &first);
			promtext_label(b, "explains", ds.d[i].explains ?
			    "true" : "false", &first);
			promtext_put(b, "} ", 2);
			promtext_u64(b, ds.d[i].bytes);
			promtext_putc(b, '\n');
		}
	}
}

void
prom_render(struct promtext *b, const struct snapshot *sn,
    const struct tree *t, const struct prom_opts *o,
    const struct prom_self *self)
{
	struct famlist	 fl;
	struct series	*sv;
	const char	**names;
	char		*all;
	size_t		 i, nsv;

	b->len = 0;
	promtext_head(b, node_families[NF_BUILD].name,
	    node_families[NF_BUILD].type, node_families[NF_BUILD].help);
	promtext_puts(b, node_families[NF_BUILD].name);
	promtext_puts(b, "{version=\"" PACKAGE_VERSION "\"} 1\n");
	put_node_u64(b, NF_MEM_TOTAL, sn->mem_total);
	put_node_u64(b, NF_MEM_AVAILABLE, sn->mem_available);
	put_node_u64(b, NF_PROCESSES, sn->nprocs);
	put_node_u64(b, NF_PSS_UNKNOWN, sn->rollup_unknown);
	put_node_u64(b, NF_REFRESHES, self->refreshes);
	put_node_u64(b, NF_PSS_READS, self->pss_reads);
	put_node_real(b, NF_DURATION, self->refresh_seconds);
	put_node_real(b, NF_INTERVAL, self->interval);
	famlist_build(&fl);
	names = xreallocarray(NULL, fl.n, sizeof *names);
	for (i = 0; i < fl.n; i++)
		names[i] = fl.v[i].name;
	sv = series_build(t, &nsv, &all);
	put_ctr_families(b, &fl, names, sv, nsv);
	if (o->processes)
		put_proc_families(b, &fl, names, sv, nsv);
	series_free(sv, nsv, all);
	free(names);
	free(fl.v);
	put_pod_families(b, t);
	/* last, so a reader can tell a whole exposition from a cut one */
	put_node_real(b, NF_TIMESTAMP, sn->time);
	promtext_trim(b);	/* a burst's size is not kept */
}

int
prom_write(FILE *f, const struct snapshot *sn, const struct tree *t,
    const struct prom_opts *o, const struct prom_self *self)
{
	struct promtext	b = { 0 };
	bool		n;

	prom_render(&b, sn, t, o, self);
	n = fwrite(b.p, 1, b.len, f) == b.len;
	promtext_done(&b);
	return !n || fflush(f) == EOF || ferror(f) ? -1 : 0;
}

void
prom_list_families(FILE *f)
{
	struct famlist	fl;
	size_t		i;

	for (i = 0; i < NF__COUNT; i++)
		fprintf(f, "%s\t%s\tnode\t%s\t%s\n", node_families[i].name,
		    node_families[i].type, node_families[i].source,
		    node_families[i].help);
	for (i = 0; i < sizeof pod_families / sizeof pod_families[0]; i++)
		fprintf(f, "%s\tgauge\tpod\t%s\t%s\n", pod_families[i].name,
		    pod_families[i].source, pod_families[i].help);
	famlist_build(&fl);
	for (i = 0; i < fl.n; i++)
		fprintf(f, "memtop_container_%s\t%s\tcontainer\t%s\t%s\n",
		    fl.v[i].name, fl.v[i].type, fl.v[i].source, fl.v[i].help);
	for (i = 0; i < fl.n; i++) {
		if (fl.v[i].per_process)
			fprintf(f, "memtop_process_%s\t%s\tprocess\t%s\t%s\n",
			    fl.v[i].name, fl.v[i].type, fl.v[i].source,
			    fl.v[i].help);
	}
	free(fl.v);
}
