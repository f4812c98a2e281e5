/*
 * The main screen: the node header, then pods -> containers -> processes with
 * their figures, cgroup charge, anon growth and a sparkline of the sort
 * column. Columns drop from the right when the terminal is narrow.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "analyse/diagnosis.h"
#include "model/column.h"
#include "util/fmt.h"
#include "ui/ui_state.h"
#include "util/log.h"
#include "util/xmalloc.h"

const struct ui_row *
ui_row_of_key(const struct ui *u, const char *key)
{
	char	k[UI_KEY_MAX];
	size_t	i;

	for (i = 0; i < u->tr.nrows; i++) {
		ui_row_key(&u->tr.rows[i], k, sizeof k);
		if (strcmp(k, key) == 0)
			return &u->tr.rows[i];
	}
	return NULL;
}

void
ui_row_key(const struct ui_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", r->kind == UI_ROW_PROC ? r->p->ident :
	    r->kind == UI_ROW_CTR ? r->c->ident : r->g->ident);
}

static bool
list_has(char **list, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(list[i], key) == 0)
			return true;
	}
	return false;
}

static void
list_set(char ***list, size_t *n, const char *key, bool on)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*list)[i], key) == 0) {
			if (!on) {
				free((*list)[i]);
				(*list)[i] = (*list)[--*n];
			}
			return;
		}
	}
	if (on) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = xstrdup(key);
	}
}

/* Pods start open, other groups (system services) start folded. */
static bool
group_open(const struct ui *u, const struct tree_group *g)
{
	if (u->tr.filter[0] != '\0')
		return true;
	if (tree_group_is_k8s(g))
		return !list_has(u->tr.collapsed, u->tr.ncollapsed, g->ident);
	return list_has(u->tr.expanded, u->tr.nexpanded, g->ident);
}

static bool
has(const char *hay, const char *needle)
{
	return hay != NULL && strcasestr(hay, needle) != NULL;
}

static bool
group_match(const struct ui *u, const struct tree_group *g)
{
	return has(g->pod, u->tr.filter) || has(g->namespace, u->tr.filter) ||
	    has(g->cgroup, u->tr.filter) || has(g->pod_uid, u->tr.filter);
}

static bool
ctr_match(const struct ui *u, const struct tree_ctr *c)
{
	return has(c->name, u->tr.filter) || has(c->ctr_id, u->tr.filter);
}

static bool
proc_match(const struct ui *u, const struct tree_proc *p)
{
	char	pid[16];

	snprintf(pid, sizeof pid, "%d", p->sp->pid);
	return has(p->sp->comm, u->tr.filter) || has(p->sp->cmdline, u->tr.filter) ||
	    strcmp(pid, u->tr.filter) == 0;
}

bool
ui_row_match(const struct ui *u, const struct ui_row *r)
{
	if (u->tr.filter[0] == '\0')
		return true;
	switch (r->kind) {
	case UI_ROW_GROUP:
		return group_match(u, r->g);
	case UI_ROW_CTR:
		return ctr_match(u, r->c);
	default:
		return proc_match(u, r->p);
	}
}

static void
add_row(struct ui *u, size_t *cap, enum ui_row_kind k, struct tree_group *g,
    struct tree_ctr *c, struct tree_proc *p, int depth)
{
	if (u->tr.nrows == *cap) {
		*cap = *cap * 2 + 64;
		u->tr.rows = xreallocarray(u->tr.rows, *cap, sizeof *u->tr.rows);
	}
	u->tr.rows[u->tr.nrows++] = (struct ui_row){ k, g, c, p, depth };
}

/* A container row is worth showing unless it is a plain group's only one. */
static bool
show_ctr_rows(const struct tree_group *g)
{
	return g->kind == ENT_POD || g->nctrs > 1 ||
	    (g->nctrs == 1 && g->ctrs[0].ctr_id[0] != '\0' &&
	    g->kind != ENT_CONTAINER);
}

static const struct sort_key	*flat_sort;

static int
flat_cmp(const void *a, const void *b)
{
	const struct ui_row	*x = a, *y = b;

	return tree_proc_cmp(x->p, y->p, flat_sort);
}

/* Every live process of the node (that the filter keeps), sorted. */
static void
flat_rows(struct ui *u, size_t *cap)
{
	size_t	gi, ci, pi;

	for (gi = 0; gi < u->tree.ngroups; gi++) {
		struct tree_group	*g = &u->tree.groups[gi];

		for (ci = 0; ci < g->nctrs; ci++) {
			struct tree_ctr	*c = &g->ctrs[ci];

			for (pi = 0; pi < c->nprocs; pi++) {
				struct tree_proc *p = &c->procs[pi];

				if (p->gone || (u->tr.filter[0] != '\0' &&
				    !group_match(u, g) && !ctr_match(u, c) &&
				    !proc_match(u, p)))
					continue;
				add_row(u, cap, UI_ROW_PROC, g, c, p, 0);
			}
		}
	}
	flat_sort = &u->cfg.sort;
	qsort(u->tr.rows, u->tr.nrows, sizeof *u->tr.rows, flat_cmp);
}

void
ui_rebuild_rows(struct ui *u)
{
	size_t	cap = 0, gi, ci, pi, i;
	char	key[UI_KEY_MAX];

	free(u->tr.rows);
	u->tr.rows = NULL;
	u->tr.nrows = 0;
	if (!u->have_tree)
		return;
	if (u->tr.flat)
		flat_rows(u, &cap);
	for (gi = 0; !u->tr.flat && gi < u->tree.ngroups; gi++) {
		struct tree_group	*g = &u->tree.groups[gi];
		bool			 gm = u->tr.filter[0] == '\0' ||
					    group_match(u, g), any = gm;
		size_t			 first = u->tr.nrows;
		bool			 ctrs = show_ctr_rows(g);

		add_row(u, &cap, UI_ROW_GROUP, g, NULL, NULL, 0);
		if (!group_open(u, g) && gm)
			continue;
		for (ci = 0; ci < g->nctrs; ci++) {
			struct tree_ctr	*c = &g->ctrs[ci];
			bool		 cm = gm || ctr_match(u, c);
			size_t		 cfirst = u->tr.nrows;

			if (ctrs)
				add_row(u, &cap, UI_ROW_CTR, g, c, NULL, 1);
			for (pi = 0; pi < c->nprocs; pi++) {
				if (!cm && !proc_match(u, &c->procs[pi]))
					continue;
				add_row(u, &cap, UI_ROW_PROC, g, c,
				    &c->procs[pi], ctrs ? 2 : 1);
				any = true;
			}
			if (cm)
				any = true;
			else if (u->tr.nrows == cfirst + (ctrs ? 1 : 0))
				u->tr.nrows = cfirst;	/* nothing matched */
		}
		if (!any)
			u->tr.nrows = first;
		else if (!group_open(u, g))
			u->tr.nrows = first + 1;
	}
	/* keep the selection on the same entity */
	u->tr.sel = u->tr.sel < u->tr.nrows ? u->tr.sel : (u->tr.nrows ? u->tr.nrows - 1 : 0);
	for (i = 0; i < u->tr.nrows && u->tr.sel_key[0] != '\0'; i++) {
		ui_row_key(&u->tr.rows[i], key, sizeof key);
		if (strcmp(key, u->tr.sel_key) == 0) {
			u->tr.sel = i;
			return;
		}
	}
	if (u->tr.nrows > 0)
		ui_row_key(&u->tr.rows[u->tr.sel], u->tr.sel_key, sizeof u->tr.sel_key);
}

int
screen_tree_expand(struct ui *u, bool open)
{
	const struct ui_row	*r = ui_selected(u);
	struct tree_group	*g;
	bool			 pod;

	if (r == NULL)
		return 0;
	g = r->g;
	pod = tree_group_is_k8s(g);
	if (pod)
		list_set(&u->tr.collapsed, &u->tr.ncollapsed, g->ident, !open);
	else
		list_set(&u->tr.expanded, &u->tr.nexpanded, g->ident, open);
	if (!open) {
		/* fold onto the group row */
		snprintf(u->tr.sel_key, sizeof u->tr.sel_key, "%s", g->ident);
	}
	ui_rebuild_rows(u);
	return UI_REDRAW;
}

int
screen_tree_toggle(struct ui *u)
{
	const struct ui_row	*r = ui_selected(u);

	if (r == NULL)
		return 0;
	return screen_tree_expand(u, !group_open(u, r->g));
}

static bool
row_marked(const struct ui *u, const struct ui_row *r)
{
	char	key[UI_KEY_MAX];

	ui_row_key(r, key, sizeof key);
	return strcmp(key, u->cmp.mark[0]) == 0 || strcmp(key, u->cmp.mark[1]) == 0;
}

/*
 * A row's name (indent, fold marker, '*' if marked for comparison, label)
 * in body, and its finding marker ('!') in mark: the marker is drawn even
 * when the name is cut.
 */
static void
row_label(const struct ui *u, const struct ui_row *r, char *body, size_t len,
    char *mark, size_t mlen)
{
	char		 name[300];
	const char	*open = u->utf8 ? "\xe2\x96\xbe" : "-";
	const char	*shut = u->utf8 ? "\xe2\x96\xb8" : "+";
	int		 ind = r->depth * 2;

	mark[0] = '\0';
	switch (r->kind) {
	case UI_ROW_GROUP:
		snprintf(body, len, "%s %s", group_open(u, r->g) ? open : shut,
		    tree_group_label(r->g, false, name, sizeof name));
		return;
	case UI_ROW_CTR:
		tree_ctr_label(r->g, r->c, false, name, sizeof name);
		break;
	default:
		tree_proc_label(r->p, name, sizeof name);
		snprintf(mark, mlen, "%s", r->p->sp->marks ? " !" : "");
		snprintf(name + strlen(name), sizeof name - strlen(name),
		    "%s", r->p->gone ? " (exited)" : "");
		/* a big process's PSS is read less often: say how old it is */
		if (!r->p->gone && r->p->sp->fig[FIG_RSS] != FIG_NA &&
		    r->p->sp->fig[FIG_RSS] > (1ULL << 30) &&
		    r->p->sp->rollup_age >= 2) {
			size_t	l = strlen(name);

			snprintf(name + l, sizeof name - l, " (pss %.0fs old)",
			    r->p->sp->rollup_age);
		}
		break;
	}
	snprintf(body, len, "%*s%s%s", ind, "", row_marked(u, r) ? "*" : "",
	    name);
}

static const struct tree_group *worst_outlier(const struct ui *);

/* Replicas of line 2's pod read for the first screen, at most. */
#define UI_FIRST_SIBLINGS	8

static void
plan_push(struct proc_ref **v, size_t *n, size_t *cap,
    const struct tree_proc *p)
{
	if (p->gone || p->sp->kthread)
		return;
	if (*n == *cap) {
		*cap = *cap * 2 + 64;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[(*n)++] = (struct proc_ref){ p->sp->pid, p->sp->start };
}

/* Appends the live processes of g (of container only, if not NULL). */
static void
plan_add(struct proc_ref **v, size_t *n, size_t *cap,
    const struct tree_group *g, const struct tree_ctr *only)
{
	size_t	ci, pi;

	for (ci = 0; ci < g->nctrs; ci++) {
		if (only != NULL && &g->ctrs[ci] != only)
			continue;
		for (pi = 0; pi < g->ctrs[ci].nprocs; pi++)
			plan_push(v, n, cap, &g->ctrs[ci].procs[pi]);
	}
}

size_t
screen_tree_first_plan(struct ui *u, struct proc_ref **out)
{
	struct sort_key		 k = u->cfg.sort;
	const struct tree_group	*w;
	size_t			 i, n = 0, cap = 0, body, m, step;
	int			 col = sort_key_col(&k);

	*out = NULL;
	/* PSS is not read yet: the rows RSS puts first (PSS <= RSS) */
	if (col >= 0 && col_table[col].kind == COL_KIND_FIG &&
	    fig_table[col_table[col].fig].tier == FIG_TIER_ROLLUP) {
		k.kind = SORT_FIG;
		k.fig = FIG_RSS;
		tree_sort(&u->tree, &k);
		ui_rebuild_rows(u);
	}
	body = LINES > UI_TREE_TOP + 1 ? (size_t)LINES - UI_TREE_TOP - 1 : 0;
	for (i = u->tr.top; i < u->tr.nrows && i < u->tr.top + body; i++) {
		const struct ui_row	*r = &u->tr.rows[i];

		/* a pod's or container's row shows its processes' sum */
		if (r->kind == UI_ROW_PROC)
			plan_push(out, &n, &cap, r->p);
		else
			plan_add(out, &n, &cap, r->g, r->c);
	}
	/*
	 * line 2 names the worst pod and its diagnosis: its maps against the
	 * median of its replicas' (a few, spread over the sorted order)
	 */
	if ((w = worst_outlier(u)) != NULL) {
		plan_add(out, &n, &cap, w, NULL);
		for (i = 0, m = 0; i < u->tree.ngroups; i++)
			m += tree_is_sibling(w, &u->tree.groups[i]);
		step = m / UI_FIRST_SIBLINGS + 1;
		for (i = 0, m = 0; i < u->tree.ngroups; i++) {
			if (tree_is_sibling(w, &u->tree.groups[i]) &&
			    m++ % step == 0)
				plan_add(out, &n, &cap, &u->tree.groups[i],
				    NULL);
		}
	}
	return n;
}

/* The pod furthest above its replicas, or NULL if none is an outlier. */
static const struct tree_group *
worst_outlier(const struct ui *u)
{
	const struct tree_group	*best = NULL;
	size_t			 i;

	for (i = 0; i < u->tree.ngroups; i++) {
		const struct tree_group	*g = &u->tree.groups[i];

		if (g->st.rep.outlier && (best == NULL ||
		    g->st.rep.excess > best->st.rep.excess))
			best = g;
	}
	return best;
}

/*
 * Line 2's "why": until the user moves the selection, that of the pod
 * furthest above its replicas (the first screen names the sick pod and
 * why); then, or without such a pod, the selected row's first diagnosis (a
 * process's own, else its pod's). False if nothing fired.
 */
static bool
why_line(const struct ui *u, char *buf, size_t len)
{
	const struct ui_row	*r = u->tr.sel_moved || worst_outlier(u) == NULL ?
				    ui_selected(u) : NULL;
	const struct tree_group	*best;
	struct diag_set		 ds;
	char			 name[300], line[400];

	/* after g: what the GC proved comes first */
	if (r != NULL && ui_gc_proved(u, r->g, r->p, line, sizeof line)) {
		snprintf(buf, len, "%s: %s", tree_group_label(r->g, false, name,
		    sizeof name), line);
		return true;
	}
	if (r != NULL && r->p != NULL) {
		diagnose_proc(r->p, &ds);
		if (ds.n > 0) {
			snprintf(buf, len, "%s: %s", tree_proc_label(r->p,
			    name, sizeof name), ds.d[0].text);
			return true;
		}
	}
	if (r != NULL) {
		diagnose_group(&u->tree, r->g, &ds);
		if (ds.n > 0) {
			snprintf(buf, len, "%s: %s", tree_group_label(r->g,
			    false, name, sizeof name), ds.d[0].text);
			return true;
		}
	}
	if ((best = worst_outlier(u)) == NULL)
		return false;
	if (ui_gc_proved(u, best, NULL, line, sizeof line)) {
		snprintf(buf, len, "%s: %s", tree_group_label(best, false, name,
		    sizeof name), line);
		return true;
	}
	diagnose_group(&u->tree, best, &ds);
	snprintf(buf, len, "%s is %s over its replicas%s%s",
	    tree_group_label(best, false, name, sizeof name),
	    tree_replicas_fmt(&best->st.rep, u->utf8, (char[48]){ 0 }, 48),
	    ds.n > 0 ? ": " : "", ds.n > 0 ? ds.d[0].text : "");
	return true;
}

/*
 * Line 2's note: the store's, then Prometheus's status (ui_config), cut to
 * leave the left 40 columns free (a status too long is cut, never gone).
 */
static void
header_note(const struct ui *u, char *buf, size_t len)
{
	char	st[512] = "";
	size_t	max = COLS > 42 ? (size_t)COLS - 42 : 0;

	if (u->cfg.status != NULL)
		u->cfg.status(u->cfg.hook_ctx, st, sizeof st);
	snprintf(buf, len, "%s%s%s", u->cfg.history_note != NULL ?
	    u->cfg.history_note : "", u->cfg.history_note != NULL &&
	    u->cfg.history_note[0] != '\0' && st[0] != '\0' ? "  " : "", st);
	if (strlen(buf) > max)
		buf[max] = '\0';
}

static void
draw_header(struct ui *u)
{
	char		 a[32], b[32], c[32], d[32], line[512], right[96];
	char		 nb[1200];
	int		 note = 0, rw;
	uint64_t	 pods = 0;
	size_t		 i, npods = 0;
	const struct snapshot *sn = u->sn;

	for (i = 0; i < u->tree.ngroups; i++) {
		const struct tree_group	*g = &u->tree.groups[i];

		if (g->kind == ENT_POD) {
			npods++;
			if (g->st.charge != FIG_NA)
				pods += g->st.charge;
		}
	}
	draw_fill(0, THEME_HEADER);
	/* a recorded moment (--at) has no refresh interval: it says "recorded" */
	snprintf(d, sizeof d, "%.2gs", u->cfg.delay);
	snprintf(line, sizeof line, "memtop  mem %s, %s avail  %zu pods %s  "
	    "%zu procs  %s%s",
	    fmt_bytes(a, sizeof a, sn ? sn->mem_total : FIG_NA),
	    fmt_bytes(b, sizeof b, sn ? sn->mem_available : FIG_NA), npods,
	    fmt_bytes(c, sizeof c, pods), sn ? sn->nprocs : 0,
	    u->cfg.moment != NULL ? "recorded" : d, u->paused ? " PAUSED" :
	    "");
	/* line 2 may say why instead: the reason for the '-' stays here */
	/* (those the catch-up has not tried yet are not counted) */
	if (sn != NULL && sn->rollup_unknown > sn->rollup_unread &&
	    geteuid() != 0)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "  [not root: PSS of %zu unknown]", sn->rollup_unknown -
		    sn->rollup_unread);
	/* the view and the sort on the right, never cut */
	snprintf(right, sizeof right, "  %ssort %s%s", u->tr.flat ? "flat  " :
	    "", sort_key_name(&u->cfg.sort), u->cfg.sort.reverse ?
	    " (reversed)" : "");
	rw = (int)strlen(right) < COLS ? (int)strlen(right) : COLS;
	draw_text(0, 0, COLS - rw, line);
	draw_text(0, COLS - rw, rw, right);
	draw_fill(1, THEME_DEFAULT);
	/* where the history starts (the store, Prometheus), right-aligned,
	   if it fits */
	header_note(u, nb, sizeof nb);
	if (nb[0] != '\0') {
		note = (int)strlen(nb) + 2;
		if (COLS - note < 40)
			note = 0;
	}
	if (u->tr.filter[0] != '\0' || u->tr.filter_edit) {
		snprintf(line, sizeof line, "filter: %s%s", u->tr.filter,
		    u->tr.filter_edit ? "_" : "");
		draw_role(THEME_HELP_KEY);
		draw_text(1, 0, COLS - note, line);
	} else if (why_line(u, line, sizeof line)) {
		draw_role(THEME_GROWTH);
		draw_text(1, 0, COLS - note, line);
	} else if (sn != NULL && sn->rollup_unknown > sn->rollup_unread &&
	    geteuid() != 0) {
		snprintf(line, sizeof line, "not root: PSS of %zu processes of "
		    "other users unknown (-)", sn->rollup_unknown -
		    sn->rollup_unread);
		draw_role(THEME_DIM);
		draw_text(1, 0, COLS - note, line);
	} else if (sn != NULL) {
		/* the refresh's counters are in the help (?) */
		draw_role(THEME_DIM);
		draw_text(1, 0, COLS - note, "no diagnosis for the selected row, "
		    "and no pod above its replicas");
	}
	if (note > 0) {
		draw_role(THEME_DIM);
		draw_text(1, COLS - note + 2, note - 2, nb);
	}
}

/*
 * Line 3: the selected row in full (the name column may cut it): the pod,
 * the container, the process's command line, and its cgroup.
 */
static void
draw_selected(const struct ui *u, int y)
{
	const struct ui_row	*r = ui_selected(u);
	char			 g[300], c[300], line[1024];
	const char		*cg;
	int			 x;

	draw_fill(y, THEME_DEFAULT);
	if (r == NULL)
		return;
	tree_group_label(r->g, true, g, sizeof g);
	c[0] = '\0';
	if (r->c != NULL && show_ctr_rows(r->g))
		tree_ctr_label(r->g, r->c, false, c, sizeof c);
	cg = r->c != NULL ? r->c->cgroup : r->g->cgroup;
	if (r->p != NULL) {
		const struct snap_proc	*sp = r->p->sp;

		if (sp->place != NULL)
			cg = sp->place->path;
		snprintf(line, sizeof line, "%d %s  in %s%s%s", sp->pid,
		    sp->cmdline != NULL && sp->cmdline[0] != '\0' ?
		    sp->cmdline : sp->comm, g, c[0] != '\0' ? " / " : "", c);
	} else
		snprintf(line, sizeof line, "%s%s%s", g, c[0] != '\0' ?
		    " / " : "", c);
	draw_role(THEME_HELP_KEY);
	draw_text(y, 0, COLS, line);
	x = (int)fmt_width(line);
	if (cg != NULL && x + 10 < COLS) {
		draw_text(y, x, COLS - x, "  cgroup ");
		draw_text(y, x + 9, COLS - x - 9, cg);
	}
}

static void
draw_bottom(struct ui *u)
{
	int	y = LINES - 1;

	draw_fill(y, u->status[0] != '\0' && u->status_error ? THEME_ERROR :
	    THEME_STATUS);
	if (u->status[0] != '\0')
		draw_text(y, 0, COLS, u->status);
	else if (log_count() > 0)
		draw_text(y, 0, COLS, log_last());
	else if (u->cfg.moment == NULL && u->sn != NULL &&
	    (u->sn->rollup_unread > 0 || u->sn->cg_unread > 0)) {
		char	line[160];

		if (u->sn->rollup_unread > 0)
			snprintf(line, sizeof line, "reading PSS and mappings "
			    "of %zu processes%s (- until read)",
			    u->sn->rollup_unread, u->paused ? ", paused" :
			    "...");
		else
			snprintf(line, sizeof line, "reading the memory files "
			    "of %zu new cgroups%s (- until read)",
			    u->sn->cg_unread, u->paused ? ", paused" : "...");
		draw_text(y, 0, COLS, line);
	} else
		draw_text(y, 0, COLS, "q quit  ? help  / filter  s sort  "
		    "Enter detail  Space fold  p pause");
}

/* The sort menu, over the tree: a letter per key, the current one marked. */
static void
draw_sort_menu(struct ui *u)
{
	int	cols[64], w = 34, h, x, y, i;
	char	letters[64], line[128];
	int	n = (int)ui_sort_menu(cols, letters, 64);

	h = n + 2;
	if (h > LINES - 2)
		h = LINES - 2;
	x = COLS > w ? (COLS - w) / 2 : 0;
	y = (LINES - h) / 2;
	draw_role(THEME_HEADER);
	snprintf(line, sizeof line, " sort by (Esc closes)%*s", w - 21, "");
	draw_text(y, x, w, line);
	for (i = 0; i < n && i + 1 < h - 1; i++) {
		bool	cur = cols[i] == sort_key_col(&u->cfg.sort);

		snprintf(line, sizeof line, " %c  %-22s %s%*s", letters[i],
		    col_table[cols[i]].key, cur ? "<-" : "  ", w, "");
		draw_role(i == u->menu.sel ? THEME_SELECTED : THEME_DEFAULT);
		draw_text(y + 1 + i, x, w, line);
	}
	draw_role(THEME_HEADER);
	snprintf(line, sizeof line, " letter/Enter picks, R reverses%*s",
	    w, "");
	draw_text(y + h - 1, x, w, line);
}

void
screen_tree_draw(struct ui *u)
{
	int	body = LINES - UI_TREE_TOP - 1, i, y;
	char	label[512], mark[8];

	erase();
	layout_compute(u);
	draw_header(u);
	draw_selected(u, 2);
	layout_colheads(u, UI_TREE_TOP - 1);
	if (u->tr.sel >= u->tr.top + (size_t)body)
		u->tr.top = u->tr.sel - (size_t)body + 1;
	if (u->tr.sel < u->tr.top)
		u->tr.top = u->tr.sel;
	for (i = 0; i < body && u->tr.top + (size_t)i < u->tr.nrows; i++) {
		const struct ui_row	*r = &u->tr.rows[u->tr.top + (size_t)i];
		enum theme_role		 base;
		bool			 sel = u->tr.top + (size_t)i == u->tr.sel;

		y = UI_TREE_TOP + i;
		base = r->kind == UI_ROW_GROUP ? THEME_POD :
		    r->kind == UI_ROW_CTR ? THEME_CONTAINER : THEME_PROCESS;
		if (r->p != NULL && r->p->gone)
			base = THEME_DIM;
		if (sel) {
			base = THEME_SELECTED;
			draw_fill(y, THEME_SELECTED);
		}
		row_label(u, r, label, sizeof label, mark, sizeof mark);
		draw_role(base);
		layout_name(u, y, label, mark, r->kind != UI_ROW_PROC);
		layout_cells(u, y, r, base);
	}
	if (u->tr.nrows == 0) {
		draw_role(THEME_DIM);
		draw_text(UI_TREE_TOP + 1, 2, COLS - 2, u->tr.filter[0] != '\0' ?
		    "nothing matches the filter (Esc clears it)" : "no processes");
	}
	draw_bottom(u);
	if (u->menu.open)
		draw_sort_menu(u);
	if (u->chooser.open)
		chooser_draw(u);
}
