/*
 * Detail of one process, container or pod: every figure with its value, its
 * change since memtop first saw it, min/max and a sparkline of the whole
 * history; the cgroup's own accounting for pods and containers.
 */
#include "config.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/gc_format.h"
#include "analyse/diagnosis.h"
#include "analyse/marks.h"
#include "analyse/report.h"
#include "util/fmt.h"
#include "ui/ui_state.h"

/* The detail is drawn on a page this tall, then scrolled (draw_scroll). */
#define DETAIL_ROWS	1000

static void
subject_maps(struct ui_subject *s)
{
	size_t	ci, pi, nc;

	if (s->p != NULL) {
		s->nmaps = s->p->sp->nmaps;
		s->marks = s->p->sp->marks;
		return;
	}
	/* a pod or container: the sum over its processes, if all known */
	s->nmaps = 0;
	nc = s->c != NULL ? 1 : s->g->nctrs;
	for (ci = 0; ci < nc; ci++) {
		const struct tree_ctr *c = s->c != NULL ? s->c : &s->g->ctrs[ci];

		for (pi = 0; pi < c->nprocs; pi++) {
			if (c->procs[pi].gone)
				continue;
			s->marks |= c->procs[pi].sp->marks;
			if (c->procs[pi].sp->nmaps < 0 || s->nmaps < 0)
				s->nmaps = -1;
			else
				s->nmaps += c->procs[pi].sp->nmaps;
		}
	}
}

bool
ui_find_subject(struct ui *u, const char *want, struct ui_subject *s)
{
	size_t	gi, ci, pi;

	memset(s, 0, sizeof *s);
	for (gi = 0; gi < u->tree.ngroups; gi++) {
		struct tree_group	*g = &u->tree.groups[gi];

		if (strcmp(g->ident, want) == 0) {
			*s = (struct ui_subject){ g, NULL, NULL, &g->st,
			    &g->sum, NULL, g->mem, -1, 0 };
			subject_maps(s);
			return true;
		}
		for (ci = 0; ci < g->nctrs; ci++) {
			struct tree_ctr	*c = &g->ctrs[ci];

			if (strcmp(c->ident, want) == 0) {
				*s = (struct ui_subject){ g, c, NULL, &c->st,
				    &c->sum, NULL, c->mem, -1, 0 };
				subject_maps(s);
				return true;
			}
			for (pi = 0; pi < c->nprocs; pi++) {
				struct tree_proc *p = &c->procs[pi];

				if (strcmp(p->ident, want) == 0) {
					*s = (struct ui_subject){ g, c, p,
					    &p->st, NULL, p->sp->fig, NULL, -1,
					    0 };
					subject_maps(s);
					return true;
				}
			}
		}
	}
	return false;
}

/*
 * The process whose mappings stand for the subject: a process row's own, or
 * the only live process of a pod or container; NULL otherwise.
 */
const struct tree_proc *
ui_subject_proc(const struct ui_subject *s)
{
	const struct tree_proc	*only = NULL;
	size_t			 ci, pi, nc;

	if (s->p != NULL)
		return s->p->gone ? NULL : s->p;
	nc = s->c != NULL ? 1 : s->g->nctrs;
	for (ci = 0; ci < nc; ci++) {
		const struct tree_ctr *c = s->c != NULL ? s->c : &s->g->ctrs[ci];

		for (pi = 0; pi < c->nprocs; pi++) {
			if (c->procs[pi].gone)
				continue;
			if (only != NULL)
				return NULL;
			only = &c->procs[pi];
		}
	}
	return only;
}

/* Adds the process a key stands for (ui_subject_proc), if any. */
static size_t
want_key(struct ui *u, const char *key, struct proc_ref *out, size_t n,
    size_t max)
{
	struct ui_subject	 s;
	const struct tree_proc	*p;

	if (n < max && ui_find_subject(u, key, &s) &&
	    (p = ui_subject_proc(&s)) != NULL)
		out[n++] = (struct proc_ref){ p->sp->pid, p->sp->start };
	return n;
}

size_t
ui_smaps_wanted(struct ui *u, struct proc_ref *out, size_t max)
{
	size_t	n = 0;

	if (u->view == UI_VIEW_DETAIL)
		n = want_key(u, u->detail.key, out, n, max);
	else if (u->view == UI_VIEW_COMPARE) {
		n = want_key(u, u->cmp.mark[0], out, n, max);
		n = want_key(u, u->cmp.mark[1], out, n, max);
	}
	return n;
}

/* The whole ring squeezed into w columns (the max of each bucket). */
static void
history_spark(const struct ui *u, const struct hist_ent *e,
    const struct ring *r, int w, char *buf, size_t len)
{
	uint64_t	v[128];
	uint32_t	i, n = r->n;
	long		rb = history_restart_back(e);	/* a restart: '|' */
	int		b, cols = w < 128 ? w : 128;

	if (n == 0 || cols <= 0) {
		buf[0] = '\0';
		return;
	}
	if ((uint32_t)cols > n)
		cols = (int)n;
	for (b = 0; b < cols; b++) {
		uint32_t	from = (uint32_t)((uint64_t)b * n / (uint32_t)cols);
		uint32_t	to = (uint32_t)((uint64_t)(b + 1) * n /
				    (uint32_t)cols);
		uint64_t	m = UINT64_MAX;

		for (i = from; i < to; i++) {
			uint64_t	x = ring_get(r, n - 1 - i);

			if (x != UINT64_MAX && (m == UINT64_MAX || x > m))
				m = x;
		}
		v[b] = rb >= 0 && (uint32_t)rb <= n - 1 - from &&
		    (uint32_t)rb > n - 1 - to ? FMT_SPARK_MARK : m;
	}
	fmt_sparkline(buf, len, v, (size_t)cols, u->utf8);
}

static int
line_kv(int y, const char *k, const char *v)
{
	draw_role(THEME_HELP_KEY);
	draw_text(y, 1, 14, k);
	draw_role(THEME_DEFAULT);
	draw_text(y, 16, COLS - 16, v);
	return y + 1;
}

/* The GC result's lines (gc_format_lines), one row each. */
struct gc_lines {
	int	y;
};

static void
gc_line(void *arg, const char *label, const char *text)
{
	struct gc_lines	*gl = arg;

	gl->y = line_kv(gl->y, label, text);
}

static int
draw_info(struct ui *u, const struct ui_subject *s, int y)
{
	char	b[600], a[32];

	(void)u;
	if (s->p != NULL) {
		const struct snap_proc	*sp = s->p->sp;

		snprintf(b, sizeof b, "%d (ppid %d, uid %u, state %c)%s",
		    sp->pid, sp->ppid, sp->uid, sp->state, s->p->gone ?
		    "  exited" : "");
		y = line_kv(y, "process", b);
		y = line_kv(y, "command", sp->cmdline != NULL ? sp->cmdline :
		    sp->comm);
		if (sp->rollup_age < 0)
			snprintf(b, sizeof b, "never read (unreadable?)");
		else
			snprintf(b, sizeof b, "%.1f s old", sp->rollup_age);
		y = line_kv(y, "smaps_rollup", b);
		if (sp->place != NULL)
			y = line_kv(y, "cgroup", sp->place->path);
	}
	if (s->g->pod != NULL || s->g->kind == ENT_POD) {
		snprintf(b, sizeof b, "%s/%s  uid %s  %s%s",
		    s->g->namespace ? s->g->namespace : "?",
		    s->g->pod ? s->g->pod : "?", s->g->pod_uid,
		    k8s_qos_name(s->g->qos) ? k8s_qos_name(s->g->qos) : "",
		    s->g->name_source == NAME_SRC_ENVIRON ? "  (name guessed "
		    "from HOSTNAME)" : "");
		y = line_kv(y, "pod", b);
	} else
		y = line_kv(y, "group", s->g->cgroup ? s->g->cgroup : "?");
	if (s->c != NULL && (s->c->ctr_id[0] != '\0' || s->c->name != NULL)) {
		snprintf(b, sizeof b, "%s  %s %s", s->c->name ? s->c->name :
		    s->c->sandbox ? "(sandbox)" : "(unnamed)",
		    k8s_runtime_name(s->c->runtime) ?
		    k8s_runtime_name(s->c->runtime) : "", s->c->ctr_id);
		y = line_kv(y, "container", b);
	}
	if (s->p != NULL) {
		const struct gc_result	*gr = ui_gc_result(u, s->p->sp->pid,
					    s->p->sp->start);
		struct gc_lines		 gl = { y };

		if (gr != NULL) {
			gc_format_lines(gr, ui_gc_arena(s->marks), gc_line, &gl);
			y = gl.y;
		}
	}
	if (s->nmaps >= 0 || s->marks != 0) {
		char	names[128];

		snprintf(a, sizeof a, "%lld", (long long)s->nmaps);
		snprintf(b, sizeof b, "%s%s%s", s->nmaps < 0 ? "-" : a,
		    s->marks ? "  findings (the '!'): " : "",
		    marks_names(s->marks, names, sizeof names));
		y = line_kv(y, "mappings", b);
	}
	if (s->p == NULL) {
		const char *cg = s->c != NULL ? s->c->cgroup : s->g->cgroup;

		y = line_kv(y, "cgroup", cg ? cg : "?");
	}
	if (s->mem != NULL && s->mem->read) {
		const struct cg_mem	*m = s->mem;
		char			 c1[32], c2[32], c3[32], c4[32];

		snprintf(b, sizeof b, "current %s  limit %s%s  anon %s  file %s"
		    "  shmem %s", fmt_bytes(a, sizeof a, m->current),
		    m->unlimited ? "none" : fmt_bytes(c1, sizeof c1, m->limit),
		    "", fmt_bytes(c2, sizeof c2, m->anon),
		    fmt_bytes(c3, sizeof c3, m->file),
		    fmt_bytes(c4, sizeof c4, m->shmem));
		y = line_kv(y, "cgroup memory", b);
		snprintf(b, sizeof b, "kernel %s  oom_kill %s  failcnt %s",
		    fmt_bytes(c1, sizeof c1, m->kernel),
		    m->oom_kill == CG_NA ? "-" : (snprintf(c2, sizeof c2,
		    "%llu", (unsigned long long)m->oom_kill), c2),
		    m->failcnt == CG_NA ? "-" : (snprintf(c3, sizeof c3,
		    "%llu", (unsigned long long)m->failcnt), c3));
		if (!m->unlimited && m->limit != CG_NA && m->limit > 0)
			snprintf(b + strlen(b), sizeof b - strlen(b),
			    "  %.0f%% of limit", 100.0 * (double)m->current /
			    (double)m->limit);
		y = line_kv(y, "", b);
	} else if (s->p == NULL)
		y = line_kv(y, "cgroup memory", "- (not readable here)");
	return y;
}

static int
draw_figures(struct ui *u, const struct ui_subject *s, int y)
{
	const struct hist_ent	*h = s->st->hist;
	int			 k, sw = COLS - 56;
	char			 now[32], chg[32], mn[32], mx[32], line[128];
	char			 spark[128 * 3 + 1];
	int			 partial = -1;

	draw_fill(y, THEME_COLHEAD);
	snprintf(line, sizeof line, " %-12s %8s %9s %8s %8s  %s", "FIGURE",
	    "NOW", "SINCE", "MIN", "MAX", "HISTORY");
	draw_text(y++, 0, COLS, line);
	for (k = 0; k < HF__COUNT && y < DETAIL_ROWS - 1; k++) {
		uint64_t	v;
		const char	*name;
		struct fig_val	fv = { FIG_NA, FIG_UNKNOWN };
		char		nb[40];

		if (k == HF_CHARGE || k == HF_WSET) {
			if (s->p != NULL)
				continue;
			v = k == HF_CHARGE ? s->st->charge : s->st->wset;
			name = k == HF_CHARGE ? "Charge" : "Working set";
		} else {
			fv = fig_get(s->sum, s->fig, k);
			v = fv.v;
			name = fig_table[k].title;
			if (fv.state == FIG_PARTIAL)
				partial = k;
		}
		if (h != NULL && v != FIG_NA && h->first[k] != FIG_NA)
			fmt_delta(chg, sizeof chg, (int64_t)(v - h->first[k]));
		else
			snprintf(chg, sizeof chg, "-");
		snprintf(nb, sizeof nb, "%s%s", fv.state == FIG_PARTIAL ? ">=" :
		    "", fmt_bytes(now, sizeof now, v));
		snprintf(line, sizeof line, " %-12s %8s %9s %8s %8s  ", name,
		    nb, chg,
		    fmt_bytes(mn, sizeof mn, h ? h->min[k] : FIG_NA),
		    fmt_bytes(mx, sizeof mx, h && h->first[k] != FIG_NA ?
		    h->max[k] : FIG_NA));
		draw_role(v == FIG_NA ? THEME_UNKNOWN : fv.state ==
		    FIG_PARTIAL ? THEME_DIM : THEME_DEFAULT);
		draw_text(y, 0, COLS, line);
		if (h != NULL && sw > 4) {
			history_spark(u, h, &h->ring[k], sw, spark,
			    sizeof spark);
			draw_role(THEME_SPARK);
			draw_text(y, 55, sw, spark);
		}
		y++;
	}
	if (partial >= 0 && y < DETAIL_ROWS - 1) {
		snprintf(line, sizeof line, " >= : %u of %u processes could "
		    "not be read (%s): the sum is a lower bound",
		    s->sum->na[partial], s->sum->n, geteuid() != 0 ?
		    "not root" : "exited or unreadable");
		draw_role(THEME_DIM);
		draw_text(y++, 0, COLS, line);
	}
	if (h != NULL && y < DETAIL_ROWS - 1) {
		char	g1[32], g2[32];

		snprintf(line, sizeof line, " anon growth %s since first seen, "
		    "%s over the window; %u samples kept",
		    fmt_delta(g1, sizeof g1, s->st->growth),
		    fmt_delta(g2, sizeof g2, s->st->growth_win),
		    h->ring[FIG_RSS_ANON].n);
		draw_role(s->st->growth >= (64LL << 20) ? THEME_GROWTH :
		    THEME_DIM);
		draw_text(y++, 0, COLS, line);
		/* from the store: "restarted at 20:01 (container a -> b)" */
		history_restart_text(h, u->utf8 ? "\xe2\x86\x92" : "->", line,
		    sizeof line);
		if (line[0] != '\0' && y < LINES - 1) {
			draw_role(THEME_GROWTH);
			draw_text(y++, 1, COLS - 1, line);
		}
	}
	return y;
}

/*
 * The pod-spec env: lines the field case ended with, for the rules that
 * fired, with values from what was measured: clearly a suggestion.
 */
static int
draw_suggestion(struct ui *u, const struct ui_subject *s, int y, bool v8,
    bool arenas)
{
	const struct gc_result	*gr = NULL;
	const struct tree_proc	*p = ui_subject_proc(s);
	uint64_t		 mib;
	char			 b[160], lim[32];

	if (p != NULL)
		gr = ui_gc_result(u, p->sp->pid, p->sp->start);
	/* a GC that freed memory proved V8 garbage even once it is gone */
	if (gr != NULL && gr->ok && gr->runtime != GC_RT_HOTSPOT &&
	    gr->rss_before != FIG_NA &&
	    gr->rss_after != FIG_NA && gr->rss_after < gr->rss_before)
		v8 = true;
	if ((!v8 && !arenas) || y >= DETAIL_ROWS - 6)
		return y;
	y = line_kv(y, "suggestion", "env: for the pod spec, from what "
	    "memtop measured (check before applying)");
	if (arenas) {
		y = line_kv(y, "", "  - name: MALLOC_ARENA_MAX");
		y = line_kv(y, "", "    value: \"2\"");
	}
	if (v8 && y < DETAIL_ROWS - 3) {
		mib = diagnose_old_space_mib(&s->g->st.rep, gr != NULL &&
		    gr->ok && gr->v8_after.ok ? gr->v8_after.heap_used : FIG_NA);
		y = line_kv(y, "", "  - name: NODE_OPTIONS");
		if (mib > 0 && gr != NULL && gr->ok &&
		    gr->v8_after.heap_limit != UINT64_MAX)
			snprintf(b, sizeof b, "    value: \"--max-old-space-size="
			    "%llu\"   (twice the heap in use after the GC; "
			    "V8's limit now %s)", (unsigned long long)mib,
			    fmt_bytes(lim, sizeof lim,
			    gr->v8_after.heap_limit));
		else if (mib > 0)
			snprintf(b, sizeof b, "    value: \"--max-old-space-size="
			    "%llu\"   (%s)", (unsigned long long)mib,
			    gr != NULL && gr->ok ? "twice the heap in use after "
			    "the GC" : "its replicas' median memory; press g "
			    "for a measured one");
		else
			snprintf(b, sizeof b, "    value: \"--max-old-space-size="
			    "<MiB>\"   (press g: twice the heap in use after a GC)");
		y = line_kv(y, "", b);
	}
	return y;
}

/*
 * Why: the subject's diagnosis (a process's own, else its pod's), each
 * verdict with its bytes and advice, and where it stands against its
 * replicas. Returns the next free line.
 */
static int
draw_diagnosis(struct ui *u, const struct ui_subject *s, int y)
{
	struct diag_set			 ds;
	const struct tree_replicas	*r = s->c != NULL && s->p == NULL ?
					    &s->c->st.rep : &s->g->st.rep;
	char				 b[400], a[32], rb[48];
	size_t				 i;
	bool				 v8 = false, arenas = false;

	if (ui_gc_proved(u, s->g, s->p, b, sizeof b) && y < DETAIL_ROWS - 2)
		y = line_kv(y, "GC proved", b);
	if (s->p != NULL)
		diagnose_proc(s->p, &ds);
	if (s->p == NULL || ds.n == 0)
		diagnose_group(&u->tree, s->g, &ds);
	if (r->kind != WL_NONE && y < DETAIL_ROWS - 2) {
		if (r->median == FIG_NA && r->siblings == 0)
			snprintf(b, sizeof b, "%s, no other replica on this "
			    "node: no baseline", workload_kind_name(r->kind));
		else if (r->median == FIG_NA)
			snprintf(b, sizeof b, "%s with %u other replica%s here, "
			    "but %s: no baseline", workload_kind_name(r->kind),
			    r->siblings, r->siblings == 1 ? "" : "s",
			    r->anon == FIG_NA ? "its own anonymous memory is "
			    "unknown" : "theirs is unknown");
		else
			snprintf(b, sizeof b, "%s over the median of %u other "
			    "replica%s %s(%s, %s)%s", tree_replicas_fmt(r,
			    u->utf8, rb, sizeof rb), r->source == REP_PROMETHEUS ?
			    r->replicas : r->siblings, (r->source ==
			    REP_PROMETHEUS ? r->replicas : r->siblings) == 1 ?
			    "" : "s", r->source == REP_PROMETHEUS ?
			    "cluster-wide, from Prometheus " : "on this node ",
			    fmt_bytes(a, sizeof a, r->median),
			    workload_kind_name(r->kind), r->outlier ?
			    ": an outlier" : "");
		y = line_kv(y, "replicas", b);
	}
	for (i = 0; i < ds.n && y < DETAIL_ROWS - 3; i++) {
		snprintf(b, sizeof b, "%s  [%s, %s%s]", ds.d[i].text,
		    ds.d[i].rule, fmt_bytes(a, sizeof a, ds.d[i].bytes),
		    ds.d[i].explains ? " explained" : "");
		draw_role(THEME_GROWTH);
		y = line_kv(y, i == 0 ? "why" : "", b);
		y = line_kv(y, "", ds.d[i].advice);
		if (strcmp(ds.d[i].rule, "v8-garbage") == 0)
			v8 = true;
		else if (strcmp(ds.d[i].rule, "glibc-arenas") == 0)
			arenas = true;
	}
	return draw_suggestion(u, s, y, v8, arenas);
}

/* The mapping page: histogram bars, clusters and findings (from smaps). */
static int
draw_mappings(struct ui *u, const struct ui_subject *s, int y)
{
	const struct snap_smaps	*f;
	struct maps_report	 r;
	struct detect_ctx	 c;
	char			 a[32], b[32], d[32], line[256], argv0[64];
	uint64_t		 maxc = 0;
	int			 i, barw = COLS - 48;
	const struct tree_proc	*p = ui_subject_proc(s);

	if (p == NULL) {
		draw_role(THEME_DIM);
		draw_text(y, 1, COLS - 1, "the mapping histogram is per process "
		    "and this has several: open a process row");
		return y + 1;
	}
	if (s->p == NULL) {
		char	lb[300];

		snprintf(line, sizeof line, "its only process: %s",
		    tree_proc_label(p, lb, sizeof lb));
		draw_role(THEME_DIM);
		draw_text(y++, 1, COLS - 1, line);
	}
	f = snapshot_smaps(u->sn, p->sp->pid, p->sp->start);
	if (f == NULL || f->maps == NULL) {
		draw_role(THEME_DIM);
		draw_text(y, 1, COLS - 1, "reading /proc/PID/smaps ...");
		return y + 1;
	}
	c.comm = p->sp->comm;
	c.exe = marks_argv0(p->sp->cmdline, argv0, sizeof argv0);
	c.stack_limit = 0;
	report_build(&r, f->maps, &c, f->pid);
	snprintf(line, sizeof line, "%llu mappings, %llu anonymous = %s (%s "
	    "resident); smaps read %.0f s ago in %.0f ms",
	    (unsigned long long)r.hist.mappings, (unsigned long long)r.hist.anon,
	    fmt_bytes(a, sizeof a, r.hist.anon_size),
	    fmt_bytes(b, sizeof b, r.hist.anon_rss), f->age, f->cost_ms);
	draw_role(THEME_DEFAULT);
	draw_text(y++, 1, COLS - 1, line);
	for (i = 0; i < HIST_BINS; i++)
		if (r.hist.bin[i].count > maxc)
			maxc = r.hist.bin[i].count;
	draw_fill(y, THEME_COLHEAD);
	draw_text(y++, 0, COLS, " anon size          count    mapped  resident");
	for (i = 0; i < HIST_BINS && y < DETAIL_ROWS - 8; i++) {
		const struct hist_bin	*bn = &r.hist.bin[i];
		int			 w;
		char			 rg[40];

		if (bn->count == 0)
			continue;
		if (bn->max == UINT64_MAX)
			snprintf(rg, sizeof rg, ">= %s", fmt_bytes(a, sizeof a,
			    bn->min));
		else
			snprintf(rg, sizeof rg, "%s-%s", fmt_bytes(a, sizeof a,
			    bn->min), fmt_bytes(b, sizeof b, bn->max));
		snprintf(line, sizeof line, " %-16s %7llu %9s %9s ", rg,
		    (unsigned long long)bn->count, fmt_bytes(a, sizeof a,
		    bn->size), fmt_bytes(b, sizeof b, bn->rss));
		draw_role(THEME_DEFAULT);
		draw_text(y, 0, COLS, line);
		w = maxc > 0 && barw > 0 ? (int)((double)bn->count * barw /
		    (double)maxc + 0.5) : 0;
		if (w == 0 && bn->count > 0 && barw > 0)
			w = 1;
		draw_role(THEME_BAR);
		draw_bar(y, 47, u->utf8, w);
		y++;
	}
	snprintf(line, sizeof line, " < 64K: %llu   64K-1M: %llu   > 1M: %llu",
	    (unsigned long long)r.hist.coarse[0].count,
	    (unsigned long long)r.hist.coarse[1].count,
	    (unsigned long long)r.hist.coarse[2].count);
	draw_role(THEME_DEFAULT);
	draw_text(y++, 0, COLS, line);
	for (i = 0; i < (int)r.hist.nclusters && i < 3 && y < DETAIL_ROWS - 4; i++) {
		snprintf(line, sizeof line, " cluster %llu x %s = %s (%s "
		    "resident)", (unsigned long long)r.hist.cluster[i].count,
		    fmt_bytes(a, sizeof a, r.hist.cluster[i].size),
		    fmt_bytes(b, sizeof b, r.hist.cluster[i].size *
		    r.hist.cluster[i].count), fmt_bytes(d, sizeof d,
		    r.hist.cluster[i].rss));
		draw_text(y++, 0, COLS, line);
	}
	for (i = 0; i < (int)r.nfindings && y < DETAIL_ROWS - 1; i++) {
		snprintf(line, sizeof line, " [%s] %s", r.findings[i].rule,
		    r.findings[i].text);
		draw_role(THEME_GROWTH);
		draw_text(y++, 0, COLS, line);
	}
	if (r.nfindings == 0 && y < DETAIL_ROWS - 1) {
		draw_role(THEME_DIM);
		draw_text(y++, 0, COLS, " no findings");
	}
	return y;
}

void
screen_detail_draw(struct ui *u)
{
	struct ui_subject	s;
	int			y, body = LINES - 3, max, pass;

	for (pass = 0; pass < 2; pass++) {
		erase();
		draw_fill(0, THEME_HEADER);
		draw_text(0, 0, COLS, u->detail.page == 0 ?
		    "memtop detail: figures  (Tab: mappings, Esc back, q quit)" :
		    "memtop detail: mappings  (Tab: figures, Esc back, q quit)");
		if (!ui_find_subject(u, u->detail.key, &s)) {
			draw_role(THEME_DIM);
			draw_text(2, 1, COLS - 1, "it is gone: the process exited "
			    "or the pod was removed (Esc goes back)");
			return;
		}
		/* page lines 2.. on screen lines 2 .. LINES - 2 */
		draw_scroll(u->detail.top, 2, LINES - 2);
		y = draw_info(u, &s, 2);
		if (u->detail.page == 0) {
			y = draw_diagnosis(u, &s, y);
			y = draw_figures(u, &s, y + 1);
		} else
			y = draw_mappings(u, &s, y + 1);
		draw_scroll(0, 0, INT_MAX);	/* the whole screen again */
		max = y - 2 > body ? y - 2 - body : 0;
		if (u->detail.top <= max && u->detail.top >= 0)
			break;
		u->detail.top = u->detail.top < 0 ? 0 : max;
	}
	u->detail.more = u->detail.top < max;
	draw_fill(LINES - 1, u->status_error ? THEME_ERROR : THEME_STATUS);
	if (u->status[0] != '\0')
		draw_text(LINES - 1, 0, COLS, u->status);
	else if (max > 0) {
		char	b[96];

		snprintf(b, sizeof b, "Esc back  q quit  Up Down PgUp PgDn Home "
		    "End scroll  (%s)", u->detail.more ? "more below" : "end");
		draw_text(LINES - 1, 0, COLS, b);
	} else
		draw_text(LINES - 1, 0, COLS, "Esc back  q quit  r redraw");
}
