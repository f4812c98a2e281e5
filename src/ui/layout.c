/*
 * The tree's columns: which fit, how wide the name is, and the cells of one
 * row. The name column comes first (a share of the width), then the figure
 * columns by the column table's priority; the sorted column is always shown.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "model/column.h"
#include "util/fmt.h"
#include "ui/ui_state.h"

#define NAME_MIN	14	/* the narrowest name column */
#define NAME_SHARE	40	/* percent of the width the name gets first */
#define NAME_WANT	40	/* wider than this, slack goes to the sparkline */
#define SPARK_MAX	40
#define PRIO_SHOWN	2	/* an extra column the chooser turned on */
#define PRIO_LAST	11	/* the column table's lowest */
#define GROWTH_WARN	(64ULL << 20)

static bool	visible[UI_COL_MAX];
static int	col_x[UI_COL_MAX];	/* screen column of each visible one */
static int	spark_w;
static int	name_w;

bool
layout_col_wanted(const struct ui *u, size_t i)
{
	if (i >= UI_COL_MAX || col_table[i].kind == COL_KIND_NAME)
		return false;
	if (u->col_show[i] != 0)
		return u->col_show[i] > 0;
	return col_table[i].prio >= 0;
}

static int
col_prio(const struct ui *u, size_t i)
{
	if ((int)i == sort_key_col(&u->cfg.sort))
		return -1;		/* the sorted column first */
	if (!layout_col_wanted(u, i))
		return -2;
	return col_table[i].prio >= 0 ? col_table[i].prio : PRIO_SHOWN;
}

void
layout_compute(const struct ui *u)
{
	int	want = COLS * NAME_SHARE / 100, used, prio, x;
	size_t	i, spark = col_count;

	if (want < NAME_MIN)
		want = NAME_MIN;
	if (want > NAME_WANT)
		want = NAME_WANT;
	used = want;
	memset(visible, 0, sizeof visible);
	for (prio = -1; prio <= PRIO_LAST; prio++) {
		for (i = 0; i < col_count && i < UI_COL_MAX; i++) {
			if (col_prio(u, i) != prio ||
			    col_table[i].kind == COL_KIND_NAME)
				continue;
			if (used + col_table[i].width + 1 <= COLS) {
				visible[i] = true;
				used += col_table[i].width + 1;
			}
		}
	}
	for (i = 0; i < col_count; i++) {
		if (col_table[i].kind == COL_KIND_HISTORY)
			spark = i;
	}
	name_w = COLS - used + want;
	spark_w = spark < col_count && visible[spark] ?
	    col_table[spark].width : 0;
	/* give slack beyond a NAME_WANT-column name to the sparkline */
	if (spark_w > 0 && name_w > NAME_WANT) {
		int	extra = name_w - NAME_WANT;

		if (extra > SPARK_MAX - spark_w)
			extra = SPARK_MAX - spark_w;
		spark_w += extra;
		name_w -= extra;
	}
	x = name_w + 1;
	for (i = 0; i < col_count && i < UI_COL_MAX; i++) {
		col_x[i] = -1;
		if (!visible[i])
			continue;
		col_x[i] = x;
		x += (col_table[i].kind == COL_KIND_HISTORY ? spark_w :
		    col_table[i].width) + 1;
	}
}

bool
layout_col_visible(size_t i)
{
	return i < UI_COL_MAX && visible[i];
}

int
layout_name_w(void)
{
	return name_w;
}

int
layout_col_at(int x)
{
	size_t	i;

	if (x < name_w)
		return col_by_key("name");
	for (i = 0; i < col_count && i < UI_COL_MAX; i++) {
		int	w = col_table[i].kind == COL_KIND_HISTORY ? spark_w :
			    col_table[i].width;

		if (visible[i] && x >= col_x[i] && x < col_x[i] + w)
			return (int)i;
	}
	return -1;
}

/*
 * Cuts s to w display columns, keeping its end when it does not fit
 * ("shop/checkout-5f…x2x7q": replicas differ at the end).
 */
static void
clip_middle(char *buf, size_t len, const char *s, int w, bool utf8)
{
	char		 head[512];
	const char	*p, *tail = s + strlen(s);
	int		 keep;

	if (w <= 0) {
		buf[0] = '\0';
		return;
	}
	if ((int)fmt_width(s) <= w || w < 12) {
		fmt_clip(buf, len, s, (size_t)w);
		return;
	}
	keep = (w - 1) / 3 > 6 ? (w - 1) / 3 : 6;
	for (p = s; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 &&
		    (int)fmt_width(p) <= keep) {
			tail = p;
			break;
		}
	}
	fmt_clip(head, sizeof head, s, (size_t)(w - 1 - (int)fmt_width(tail)));
	snprintf(buf, len, "%s%s%s", head, utf8 ? "\xe2\x80\xa6" : "~", tail);
}

void
layout_name(const struct ui *u, int y, const char *body, const char *mark,
    bool middle)
{
	char	b[1024];
	int	mw = (int)fmt_width(mark);

	if (middle)
		clip_middle(b, sizeof b, body, name_w - mw, u->utf8);
	else
		fmt_clip(b, sizeof b, body, (size_t)(name_w > mw ? name_w - mw :
		    0));
	draw_text(y, 0, name_w, b);
	/* the marker right after the name, never cut */
	if (mw > 0)
		draw_text(y, (int)fmt_width(b), mw, mark);
}

/* The history ring that backs the sort column's sparkline. */
static const struct ring *
spark_ring(const struct ui *u, const struct tree_stats *st)
{
	const struct sort_key	*k = &u->cfg.sort;
	int			 f = FIG_RSS;

	if (st->hist == NULL)
		return NULL;
	if (k->kind == SORT_FIG)
		f = k->fig;
	else if (k->kind == SORT_GROWTH || k->kind == SORT_GROWTH_WIN)
		f = FIG_RSS_ANON;
	else if (k->kind == SORT_CHARGE)
		f = HF_CHARGE;
	else if (k->kind == SORT_WSET)
		f = HF_WSET;
	return &st->hist->ring[f];
}

static void
put_cell(int y, int *x, int w, const char *s, enum theme_role role)
{
	char		 b[64];
	const char	*q;
	int		 pad = w;

	/* right-aligned by cells: a UTF-8 continuation byte takes none */
	for (q = s; *q != '\0'; q++)
		pad -= ((unsigned char)*q & 0xc0) != 0x80;
	draw_role(role);
	snprintf(b, sizeof b, "%*s%s", pad > 0 ? pad : 0, "", s);
	draw_text(y, *x, w, b);
	*x += w + 1;
}

static void
draw_spark(const struct ui *u, int y, int x, const struct tree_stats *st,
    enum theme_role base)
{
	const struct ring	*r = spark_ring(u, st);
	uint64_t		 v[SPARK_MAX];
	char			 b[SPARK_MAX * 3 + 1];
	int			 i, n;

	if (r == NULL || spark_w <= 0)
		return;
	n = (int)r->n < spark_w ? (int)r->n : spark_w;
	for (i = 0; i < n; i++)
		v[i] = ring_get(r, (uint32_t)(n - 1 - i));
	i = (int)history_restart_back(st->hist);	/* a restart: '|' */
	if (i >= 0 && i < n)
		v[n - 1 - i] = FMT_SPARK_MARK;
	fmt_sparkline(b, sizeof b, v, (size_t)n, u->utf8);
	draw_role(base == THEME_SELECTED ? base : THEME_SPARK);
	draw_text(y, x + spark_w - n, n, b);
}

/* A cgroup figure of a pod or container row (nothing on a process's). */
static void
put_cg(int y, int *x, int w, bool is_proc, uint64_t v, enum theme_role role,
    enum theme_role base)
{
	char	b[32];

	put_cell(y, x, w, is_proc ? "" : fmt_bytes(b, sizeof b, v),
	    v == FIG_NA && base != THEME_SELECTED ? THEME_UNKNOWN : role);
}

/*
 * The columns of one row: a sum's (sum) or a process's (fig). An unknown
 * figure is '-'; a sum some of whose members are unknown is the known part,
 * dimmed, after a '>=' sign (the detail view says why).
 */
static void
draw_cells(const struct ui *u, int y, int x, const struct fig_sum *sum,
    const uint64_t *fig, const struct tree_stats *st, double pss_age,
    bool is_proc, int64_t nmaps, enum theme_role base)
{
	char	b[32], c[40];
	size_t	i;

	for (i = 0; i < col_count && i < UI_COL_MAX; i++) {
		const struct col_info	*ci = &col_table[i];
		enum theme_role		 role = base;
		struct fig_val		 fv;

		if (!visible[i])
			continue;
		switch (ci->kind) {
		case COL_KIND_FIG:
			fv = fig_get(sum, fig, ci->fig);
			if (fv.state == FIG_UNKNOWN && base != THEME_SELECTED)
				role = THEME_UNKNOWN;
			else if (base != THEME_SELECTED && (fv.state ==
			    FIG_PARTIAL || (fig_table[ci->fig].tier ==
			    FIG_TIER_ROLLUP && pss_age > u->cfg.pss_max_age *
			    1.5)))
				role = THEME_DIM;	/* partial or stale */
			snprintf(c, sizeof c, "%s%s", fv.state == FIG_PARTIAL ?
			    (u->utf8 ? "\xe2\x89\xa5" : ">") : "",
			    fmt_bytes(b, sizeof b, fv.v));
			put_cell(y, &x, ci->width, c, role);
			break;
		case COL_KIND_CHARGE:
			put_cg(y, &x, ci->width, is_proc, st->charge, role, base);
			break;
		case COL_KIND_LIMIT:
			put_cg(y, &x, ci->width, is_proc, st->limit, role, base);
			break;
		case COL_KIND_WSET:
			put_cg(y, &x, ci->width, is_proc, st->wset, role, base);
			break;
		case COL_KIND_PCT_LIMIT:
			if (is_proc || st->charge == FIG_NA ||
			    st->limit == FIG_NA || st->limit == 0)
				snprintf(b, sizeof b, "%s", is_proc ? "" : "-");
			else {
				double	pct = 100.0 * (double)st->charge /
				    (double)st->limit;

				snprintf(b, sizeof b, "%.0f%%", pct);
				if (pct >= 90 && base != THEME_SELECTED)
					role = THEME_LIMIT;
			}
			put_cell(y, &x, ci->width, b, role);
			break;
		case COL_KIND_GROWTH:
			if (st->growth >= (int64_t)GROWTH_WARN &&
			    base != THEME_SELECTED)
				role = THEME_GROWTH;
			put_cell(y, &x, ci->width,
			    fmt_delta(b, sizeof b, st->growth), role);
			break;
		case COL_KIND_GROWTH_WIN:
			put_cell(y, &x, ci->width,
			    fmt_delta(b, sizeof b, st->growth_win), role);
			break;
		case COL_KIND_REPLICAS:
			if (st->rep.outlier && base != THEME_SELECTED)
				role = THEME_GROWTH;
			put_cell(y, &x, ci->width, is_proc ? "" :
			    tree_replicas_fmt(&st->rep, u->utf8, c, sizeof c),
			    role);
			break;
		case COL_KIND_HISTORY:
			draw_spark(u, y, x, st, base);
			x += spark_w + 1;
			break;
		case COL_KIND_MAPS:
			if (nmaps < 0)
				snprintf(b, sizeof b, "-");
			else
				snprintf(b, sizeof b, "%lld", (long long)nmaps);
			put_cell(y, &x, ci->width, b, nmaps < 0 &&
			    base != THEME_SELECTED ? THEME_UNKNOWN : role);
			break;
		default:
			put_cell(y, &x, ci->width, "", role);
			break;
		}
	}
}

void
layout_cells(const struct ui *u, int y, const struct ui_row *r,
    enum theme_role base)
{
	if (r->kind == UI_ROW_PROC)
		draw_cells(u, y, name_w + 1, NULL, r->p->sp->fig, &r->p->st,
		    r->p->sp->rollup_age, true, r->p->sp->nmaps, base);
	else if (r->kind == UI_ROW_CTR)
		draw_cells(u, y, name_w + 1, &r->c->sum, NULL, &r->c->st, 0,
		    false, -1, base);
	else
		draw_cells(u, y, name_w + 1, &r->g->sum, NULL, &r->g->st, 0,
		    false, -1, base);
}

void
layout_colheads(const struct ui *u, int y)
{
	char		 b[64];
	int		 x = name_w + 1, sorted_col = sort_key_col(&u->cfg.sort);
	const char	*arrow = u->cfg.sort.reverse ? "^" : "v";
	size_t		 i;

	draw_fill(y, THEME_COLHEAD);
	snprintf(b, sizeof b, "NAME%s", col_table[sorted_col].kind ==
	    COL_KIND_NAME ? arrow : "");
	draw_text(y, 0, name_w, b);
	for (i = 0; i < col_count && i < UI_COL_MAX; i++) {
		int	w = col_table[i].kind == COL_KIND_HISTORY ? spark_w :
			    col_table[i].width;
		bool	sorted = (int)i == sorted_col;

		if (!visible[i])
			continue;
		/* the arrow is never cut: the title gives way */
		snprintf(b, sizeof b, "%*.*s%s", w - (sorted ? 1 : 0),
		    w - (sorted ? 1 : 0), col_table[i].title, sorted ? arrow :
		    "");
		draw_text(y, x, w, b);
		x += w + 1;
	}
}
