/*
 * Two marked rows side by side, like the sick-vs-healthy tables of the field
 * case: every smaps_rollup figure, the mapping counts, and for processes the
 * coarse size bins and the exact-size clusters, with the difference.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "analyse/marks.h"
#include "analyse/report.h"
#include "util/fmt.h"
#include "ui/ui_state.h"

static void
label(const struct ui_subject *s, char *buf, size_t len)
{
	if (s->p != NULL)
		tree_proc_label(s->p, buf, len);
	else if (s->c != NULL)
		tree_ctr_label(s->g, s->c, false, buf, len);
	else
		tree_group_label(s->g, false, buf, len);
}

/* The mapping report of a marked process, from the sampler's smaps. */
static bool
report_of(const struct ui *u, const struct ui_subject *s,
    struct maps_report *r)
{
	const struct snap_smaps	*f;
	struct detect_ctx	 c;
	char			 argv0[64];

	if (s->p == NULL)
		return false;
	f = snapshot_smaps(u->sn, s->p->sp->pid, s->p->sp->start);
	if (f == NULL || f->maps == NULL)
		return false;
	c.comm = s->p->sp->comm;
	c.exe = marks_argv0(s->p->sp->cmdline, argv0, sizeof argv0);
	c.stack_limit = 0;
	report_build(r, f->maps, &c, f->pid);
	return true;
}

static void
row(int y, const char *name, uint64_t a, uint64_t b, bool bytes)
{
	char	sa[32], sb[32], sd[32], line[160];

	if (bytes) {
		fmt_bytes(sa, sizeof sa, a);
		fmt_bytes(sb, sizeof sb, b);
	} else {
		snprintf(sa, sizeof sa, a == UINT64_MAX ? "-" : "%llu",
		    (unsigned long long)a);
		snprintf(sb, sizeof sb, b == UINT64_MAX ? "-" : "%llu",
		    (unsigned long long)b);
	}
	if (a == UINT64_MAX || b == UINT64_MAX)
		snprintf(sd, sizeof sd, "-");
	else if (bytes)
		fmt_delta(sd, sizeof sd, (int64_t)(b - a));
	else
		snprintf(sd, sizeof sd, "%+lld", (long long)(b - a));
	snprintf(line, sizeof line, " %-18s %14s %14s %12s", name, sa, sb, sd);
	draw_role(THEME_DEFAULT);
	draw_text(y, 0, COLS, line);
}

static uint64_t
figure(const struct ui_subject *s, int k)
{
	return fig_get(s->sum, s->fig, k).v;
}

void
screen_compare_draw(struct ui *u)
{
	struct ui_subject	a, b;
	struct maps_report	ra, rb;
	bool			have_a, have_b;
	char			la[128], lb[128], line[160];
	int			y = 2, k;
	size_t			i, np;
	struct cluster_pair	pairs[HIST_CLUSTERS * 2];

	erase();
	draw_fill(0, THEME_HEADER);
	draw_text(0, 0, COLS, "memtop compare  (Esc back, q quit)");
	if (!ui_find_subject(u, u->cmp.mark[0], &a) ||
	    !ui_find_subject(u, u->cmp.mark[1], &b)) {
		draw_role(THEME_DIM);
		draw_text(2, 1, COLS - 1, "mark two rows with m first (one of "
		    "them is gone, or not marked)");
		return;
	}
	label(&a, la, sizeof la);
	label(&b, lb, sizeof lb);
	draw_fill(y, THEME_COLHEAD);
	snprintf(line, sizeof line, " %-18s %14.14s %14.14s %12s", "", la, lb,
	    "B - A");
	draw_text(y++, 0, COLS, line);
	for (k = 0; k < FIG__COUNT && y < LINES - 2; k++)
		row(y++, fig_table[k].title, figure(&a, k), figure(&b, k), true);
	row(y++, "mappings", a.nmaps < 0 ? FIG_NA : (uint64_t)a.nmaps,
	    b.nmaps < 0 ? FIG_NA : (uint64_t)b.nmaps, false);
	have_a = report_of(u, &a, &ra);
	have_b = report_of(u, &b, &rb);
	if (have_a && have_b) {
		static const char *const names[] = { "anon < 64K",
		    "anon 64K-1M", "anon > 1M" };

		row(y++, "anon mappings", ra.hist.anon, rb.hist.anon, false);
		for (i = 0; i < HIST_COARSE && y < LINES - 2; i++)
			row(y++, names[i], ra.hist.coarse[i].count,
			    rb.hist.coarse[i].count, false);
		np = report_cluster_pairs(&ra, &rb, pairs, HIST_CLUSTERS * 2);
		for (i = 0; i < np && y < LINES - 2; i++) {
			char	t[32], nm[40];

			snprintf(nm, sizeof nm, "x %s", fmt_bytes(t, sizeof t,
			    pairs[i].size));
			row(y++, nm, pairs[i].a, pairs[i].b, false);
		}
	} else if (a.p != NULL && b.p != NULL) {
		draw_role(THEME_DIM);
		draw_text(y++, 1, COLS - 1, "reading both processes' smaps ...");
	} else {
		draw_role(THEME_DIM);
		draw_text(y++, 1, COLS - 1, "size bins and clusters compare "
		    "processes, not groups");
	}
	draw_fill(LINES - 1, THEME_STATUS);
	draw_text(LINES - 1, 0, COLS, "Esc back  q quit  m marks rows  c "
	    "compares");
}
