#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analyse/detectors.h"
#include "analyse/diagnosis.h"
#include "output/prom.h"
#include "util/fmt.h"
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
 * A label, its value with backslash, double quote and newline escaped. An
 * empty value is the same as no label to Prometheus: it is left out (labels
 * are a large part of every scrape).
 */
static void
put_label(FILE *f, const char *name, const char *v, bool *first)
{
	size_t	n;

	if (v == NULL || *v == '\0')
		return;
	if (!*first)
		fputc(',', f);
	fputs(name, f);
	fputs("=\"", f);
	*first = false;
	/*
	 * Whole runs of plain ASCII at once (labels are most bytes); invalid
	 * UTF-8 (a cgroup directory may be named anything) becomes '?', since
	 * Prometheus refuses a whole scrape over one bad label value.
	 */
	while (*v != '\0') {
		const unsigned char	*u = (const unsigned char *)v;

		for (n = 0; u[n] >= 0x20 && u[n] < 0x80 && u[n] != '\\' &&
		    u[n] != '"'; n++)
			;
		fwrite(v, 1, n, f);
		v += n;
		if (*v == '\0')
			break;
		if (*v == '\\' || *v == '"' || *v == '\n') {
			fputs(*v == '\n' ? "\\n" : *v == '"' ? "\\\"" : "\\\\", f);
			v++;
		} else if ((n = fmt_utf8_len((const unsigned char *)v)) > 0) {
			fwrite(v, 1, n, f);
			v += n;
		} else {
			fputc('?', f);
			v++;
		}
	}
	fputc('"', f);
}

/*
 * A container's labels. The cgroup path only when there is no container ID:
 * the ID names a container uniquely, and the path would double every
 * series' size; a systemd service or other group is known by its path.
 */
static void
put_ctr_labels(FILE *f, const struct tree_group *g, const struct tree_ctr *c,
    bool *first)
{
	put_label(f, "namespace", g->namespace, first);
	put_label(f, "pod", g->pod, first);
	put_label(f, "pod_uid", g->pod_uid, first);
	put_label(f, "container", c->name, first);
	put_label(f, "container_id", c->ctr_id, first);
	if (c->ctr_id[0] == '\0')
		put_label(f, "cgroup", c->cgroup != NULL ? c->cgroup :
		    g->cgroup != NULL ? g->cgroup : "/", first);
}

static void
put_head(FILE *f, const char *name, const char *type, const char *help)
{
	size_t	n;

	fputs("# HELP ", f);
	fputs(name, f);
	fputc(' ', f);
	while (*help != '\0') {	/* runs between the escaped characters */
		n = strcspn(help, "\\\n");
		fwrite(help, 1, n, f);
		help += n;
		if (*help != '\0')
			fputs(*help++ == '\\' ? "\\\\" : "\\n", f);
	}
	fputs("\n# TYPE ", f);
	fputs(name, f);
	fputc(' ', f);
	fputs(type, f);
	fputc('\n', f);
}

/* A container with live processes and its label text, rendered once. */
struct series {
	const struct tree_group	*g;
	const struct tree_ctr	*c;
	size_t			 nlive;		/* processes not gone */
	char			*labels;	/* without braces */
	size_t			 len;
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

/* A string stream; like xmalloc, it does not come back without memory. */
static FILE *
xmemstream(char **buf, size_t *len)
{
	FILE	*f;

	*buf = NULL;
	*len = 0;
	f = open_memstream(buf, len);
	if (f == NULL) {
		fprintf(stderr, "memtop: out of memory rendering metrics\n");
		abort();
	}
	return f;
}

static void
series_label(struct series *sr, const char *name, const char *value)
{
	char	*buf;
	size_t	 len;
	bool	 first = sr->len == 0;
	FILE	*f = xmemstream(&buf, &len);

	fputs(sr->labels, f);
	put_label(f, name, value, &first);
	fclose(f);
	free(sr->labels);
	sr->labels = buf;
	sr->len = len;
}

/*
 * Every container's labels, each label set unique: two groups can only
 * share one when a unit's path is the same in the v1 and the v2 hierarchy
 * (a hybrid host), and Prometheus would refuse the whole scrape over a
 * duplicate series, so the hierarchy (then a number) tells them apart.
 */
static struct series *
series_build(const struct tree *t, size_t *n)
{
	struct series	*v = NULL;
	size_t		 gi, ci, i, a, b, k, cap = 0, alen;
	char		 nb[24], *all;
	FILE		*f = xmemstream(&all, &alen);

	/* every series' labels into one stream (one buffer, not one each) */
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
			sr->len = (size_t)ftello(f);	/* its start, for now */
			put_ctr_labels(f, sr->g, sr->c, &first);
			fputc('\0', f);
		}
	}
	fclose(f);
	for (i = 0; i < *n; i++) {
		v[i].labels = xstrdup(all + v[i].len);
		v[i].len = strlen(v[i].labels);
	}
	free(all);
	if (*n < 2)
		return v;
	qsort(v, *n, sizeof *v, series_cmp);
	for (a = 0; a < *n; a = b) {
		for (b = a + 1; b < *n && strcmp(v[b].labels, v[a].labels) == 0;
		    b++)
			;
		/* v[a + 1 .. b) repeat v[a]'s labels */
		for (k = a + 1; k < b; k++) {
			bool	unique = v[k].g->hier != v[a].g->hier;

			for (i = a + 1; i < k; i++)
				unique = unique && v[i].g->hier != v[k].g->hier;
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

/* A memtop_process_ family: a series per live process of each container. */
static void
put_proc_family(FILE *f, const struct family *fam, const struct series *sv,
    size_t nsv)
{
	char	name[96];
	size_t	i, pi;
	int64_t	v;
	bool	first;

	snprintf(name, sizeof name, "memtop_process_%s", fam->name);
	put_head(f, name, fam->type, fam->help);
	for (i = 0; i < nsv; i++) {
		const struct tree_ctr	*c = sv[i].c;

		for (pi = 0; pi < c->nprocs; pi++) {
			const struct tree_proc	*tp = &c->procs[pi];
			char			 pid[16];

			if (tp->gone || !proc_value(fam, tp, &v))
				continue;
			snprintf(pid, sizeof pid, "%d", tp->sp->pid);
			first = sv[i].len == 0;
			fprintf(f, "%s{%s", name, sv[i].labels);
			put_label(f, "pid", pid, &first);
			put_label(f, "comm", tp->sp->comm, &first);
			fprintf(f, "} %lld\n", (long long)v);
		}
	}
}

/*
 * The render cache: each series' lines of every container family as one
 * text, with where each family's line starts (none when the value is
 * unknown), kept by its labels with a fingerprint of the values it was
 * rendered from, and written from it while they are the same. What an
 * exposition did not use is dropped after it.
 */
struct pblock {
	char		*labels;	/* the key */
	uint64_t	 fp;
	char		*text;
	size_t		*off;		/* per family, then the end */
};
static struct pcache {
	struct pblock	*v;		/* the last exposition's, by labels */
	size_t		 n;
	struct pblock	*next;
	size_t		 nnext, cap;
	size_t		 renders;
} pc;

static int
pblock_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pblock *)a)->labels,
	    ((const struct pblock *)b)->labels);
}

static void
pblock_free(struct pblock *b)
{
	if (b->text == NULL)
		return;		/* moved to the next exposition's */
	free(b->labels);
	free(b->text);
	free(b->off);
}

/* The index in pc.next of series sr's block, rendered if its values moved. */
static size_t
pblock_get(const struct famlist *fl, const struct series *sr, int64_t *val,
    bool *known)
{
	struct pblock	 key, *old, *e;
	uint64_t	 h = 14695981039346656037ULL;
	size_t		 k;
	FILE		*f;

	for (k = 0; k < fl->n; k++) {
		known[k] = ctr_value(&fl->v[k], sr->c, sr->nlive, &val[k]);
		h = (h ^ (uint64_t)(known[k] ? val[k] : 0)) * 1099511628211ULL;
		h = (h ^ known[k]) * 1099511628211ULL;
	}
	key.labels = sr->labels;
	old = pc.n == 0 ? NULL : bsearch(&key, pc.v, pc.n, sizeof *pc.v,
	    pblock_cmp);
	if (pc.nnext == pc.cap) {
		pc.cap = pc.cap * 2 + 64;
		pc.next = xreallocarray(pc.next, pc.cap, sizeof *pc.next);
	}
	e = &pc.next[pc.nnext];
	if (old != NULL && old->text != NULL && old->fp == h) {
		*e = *old;
		old->text = NULL;	/* moved; its labels stay for bsearch */
		return pc.nnext++;
	}
	e->labels = xstrdup(sr->labels);
	e->fp = h;
	e->off = xreallocarray(NULL, fl->n + 1, sizeof *e->off);
	f = xmemstream(&e->text, &k);
	for (k = 0; k < fl->n; k++) {
		e->off[k] = (size_t)ftell(f);
		if (known[k])
			fprintf(f, "memtop_container_%s{%s} %lld\n",
			    fl->v[k].name, sr->labels, (long long)val[k]);
	}
	e->off[k] = (size_t)ftell(f);
	fclose(f);
	pc.renders++;
	return pc.nnext++;
}

/* Every container family, its series written from the cache. */
static void
put_ctr_families(FILE *f, const struct famlist *fl, const struct series *sv,
    size_t nsv)
{
	size_t		*bi = xreallocarray(NULL, nsv + 1, sizeof *bi);
	int64_t		*val = xreallocarray(NULL, fl->n, sizeof *val);
	bool		*known = xreallocarray(NULL, fl->n, sizeof *known);
	struct pblock	*t;
	char		 name[96];
	size_t		 i, k;

	for (i = 0; i < nsv; i++)
		bi[i] = pblock_get(fl, &sv[i], val, known);
	for (k = 0; k < fl->n; k++) {
		snprintf(name, sizeof name, "memtop_container_%s",
		    fl->v[k].name);
		put_head(f, name, fl->v[k].type, fl->v[k].help);
		for (i = 0; i < nsv; i++) {
			const struct pblock	*b = &pc.next[bi[i]];

			fwrite(b->text + b->off[k], 1, b->off[k + 1] -
			    b->off[k], f);
		}
	}
	/* this exposition's blocks become the cache; the rest go */
	for (i = 0; i < pc.n; i++)
		pblock_free(&pc.v[i]);
	t = pc.v;
	pc.v = pc.next;
	pc.n = pc.nnext;
	pc.next = xreallocarray(t, pc.n + 64, sizeof *pc.next);
	pc.cap = pc.n + 64;
	pc.nnext = 0;
	if (pc.n > 1)
		qsort(pc.v, pc.n, sizeof *pc.v, pblock_cmp);
	free(bi);
	free(val);
	free(known);
}

size_t
prom_render_count(void)
{
	return pc.renders;
}

void
prom_cache_free(void)
{
	size_t	i;

	for (i = 0; i < pc.n; i++)
		pblock_free(&pc.v[i]);
	free(pc.v);
	free(pc.next);
	memset(&pc, 0, sizeof pc);
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
put_node_u64(FILE *f, int which, uint64_t v)
{
	const struct node_family	*nf = &node_families[which];

	put_head(f, nf->name, nf->type, nf->help);
	if (v != FIG_NA)
		fprintf(f, "%s %llu\n", nf->name, (unsigned long long)v);
}

static void
put_node_real(FILE *f, int which, double v)
{
	const struct node_family	*nf = &node_families[which];

	put_head(f, nf->name, nf->type, nf->help);
	fprintf(f, "%s %.6f\n", nf->name, v);
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

static void
put_pod_labels(FILE *f, const struct tree_group *g, bool *first)
{
	put_label(f, "namespace", g->namespace, first);
	put_label(f, "pod", g->pod, first);
	put_label(f, "pod_uid", g->pod_uid, first);
}

static void
put_pod_families(FILE *f, const struct tree *t)
{
	struct diag_set	ds;
	size_t		gi, i;
	bool		first;

	put_head(f, pod_families[0].name, "gauge", pod_families[0].help);
	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		if (g->kind != ENT_POD || g->st.rep.median == FIG_NA)
			continue;
		first = true;
		fprintf(f, "%s{", pod_families[0].name);
		put_pod_labels(f, g, &first);
		fprintf(f, "} %lld\n", (long long)g->st.rep.excess);
	}
	put_head(f, pod_families[1].name, "gauge", pod_families[1].help);
	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		if (g->kind != ENT_POD)
			continue;
		diagnose_group(t, g, &ds);
		for (i = 0; i < ds.n; i++) {
			first = true;
			fprintf(f, "%s{", pod_families[1].name);
			put_pod_labels(f, g, &first);
			put_label(f, "rule", ds.d[i].rule, &first);
			put_label(f, "explains", ds.d[i].explains ? "true" :
			    "false", &first);
			fprintf(f, "} %llu\n", (unsigned long long)ds.d[i].bytes);
		}
	}
}

int
prom_write(FILE *f, const struct snapshot *sn, const struct tree *t,
    const struct prom_opts *o, const struct prom_self *self)
{
	struct famlist		 fl;
	struct series		*sv;
	size_t			 i, nsv;

	put_head(f, node_families[NF_BUILD].name, node_families[NF_BUILD].type,
	    node_families[NF_BUILD].help);
	fprintf(f, "%s{version=\"%s\"} 1\n", node_families[NF_BUILD].name,
	    PACKAGE_VERSION);
	put_node_u64(f, NF_MEM_TOTAL, sn->mem_total);
	put_node_u64(f, NF_MEM_AVAILABLE, sn->mem_available);
	put_node_u64(f, NF_PROCESSES, sn->nprocs);
	put_node_u64(f, NF_PSS_UNKNOWN, sn->rollup_unknown);
	put_node_u64(f, NF_REFRESHES, self->refreshes);
	put_node_u64(f, NF_PSS_READS, self->pss_reads);
	put_node_real(f, NF_DURATION, self->refresh_seconds);
	put_node_real(f, NF_INTERVAL, self->interval);
	famlist_build(&fl);
	sv = series_build(t, &nsv);
	put_ctr_families(f, &fl, sv, nsv);
	for (i = 0; o->processes && i < fl.n; i++) {
		if (fl.v[i].per_process)
			put_proc_family(f, &fl.v[i], sv, nsv);
	}
	for (i = 0; i < nsv; i++)
		free(sv[i].labels);
	free(sv);
	free(fl.v);
	put_pod_families(f, t);
	/* last, so a reader can tell a whole exposition from a cut one */
	put_node_real(f, NF_TIMESTAMP, sn->time);
	return fflush(f) == EOF || ferror(f) ? -1 : 0;
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
