/*
 * The column chooser (F2 or f, htop's Setup > Columns, minimal): every
 * column with a show/hide mark; Space or Enter toggles, Esc closes. W
 * writes the choice to memtoprc.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>

#include "model/column.h"
#include "ui/ui_state.h"

/* The chooser's entries: every column but the name, in col_table order. */
static int
entries(int *cols, int max)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < col_count && i < UI_COL_MAX && n < max; i++) {
		if (col_table[i].kind != COL_KIND_NAME)
			cols[n++] = (int)i;
	}
	return n;
}

int
chooser_open(struct ui *u)
{
	if (u->view != UI_VIEW_TREE)
		return 0;
	u->chooser.open = true;
	return UI_REDRAW;
}

static void
toggle(struct ui *u, int c)
{
	bool	on = !layout_col_wanted(u, (size_t)c);
	bool	dflt = col_table[c].prio >= 0;

	u->col_show[c] = on == dflt ? 0 : on ? 1 : -1;
	ui_status(u, false, "%s %s (W keeps it)", col_table[c].title, on ?
	    "shown" : "hidden");
}

int
chooser_key(struct ui *u, int ch)
{
	int	cols[UI_COL_MAX], n = entries(cols, UI_COL_MAX);

	switch (ch) {
	case 27:
	case 'q':
	case 'f':
	case KEY_F(2):
		u->chooser.open = false;
		return UI_REDRAW;
	case KEY_UP:
	case 'k':
		u->chooser.sel = u->chooser.sel > 0 ? u->chooser.sel - 1 : n - 1;
		return UI_REDRAW;
	case KEY_DOWN:
	case 'j':
		u->chooser.sel = (u->chooser.sel + 1) % n;
		return UI_REDRAW;
	case ' ':
	case '\n':
	case KEY_ENTER:
		toggle(u, cols[u->chooser.sel]);
		return UI_REDRAW;
	case 'W':
		return ui_settings_write(u);
	default:
		return 0;
	}
}

void
chooser_draw(struct ui *u)
{
	int	cols[UI_COL_MAX], n = entries(cols, UI_COL_MAX);
	int	w = 40, h = n + 2, x, y, i, first = 0;
	char	line[128];

	if (h > LINES - 2)
		h = LINES - 2;
	if (u->chooser.sel >= n)
		u->chooser.sel = 0;
	/* keep the highlighted entry in the box */
	if (u->chooser.sel >= h - 2)
		first = u->chooser.sel - (h - 3);
	x = COLS > w ? (COLS - w) / 2 : 0;
	y = (LINES - h) / 2;
	draw_role(THEME_HEADER);
	snprintf(line, sizeof line, " columns (Space shows/hides, Esc)%*s", w,
	    "");
	draw_text(y, x, w, line);
	for (i = 0; i + first < n && i < h - 2; i++) {
		int	c = cols[i + first];
		bool	on = layout_col_wanted(u, (size_t)c);

		snprintf(line, sizeof line, " [%c] %-12s %s%*s", on ? 'x' : ' ',
		    col_table[c].title, on && !layout_col_visible((size_t)c) ?
		    "(no room)" : "", w, "");
		draw_role(i + first == u->chooser.sel ? THEME_SELECTED :
		    THEME_DEFAULT);
		draw_text(y + 1 + i, x, w, line);
	}
	draw_role(THEME_HEADER);
	snprintf(line, sizeof line, " W writes memtoprc%*s", w, "");
	draw_text(y + h - 1, x, w, line);
}
