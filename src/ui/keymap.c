/*
 * Key bindings as data: each has the help text the help screen shows
 * (tmux's bind -N), and a handler returning UI_* reactions (htop).
 */
#include "config.h"

#include <curses.h>
#include <string.h>

#include "model/column.h"
#include "ui/ui_state.h"

#define CTRL(c)	((c) & 0x1f)
#define UI_SCROLL_MAX	(1L << 24)	/* Home, End: past either end */

static int
key_quit(struct ui *u)
{
	(void)u;
	return UI_QUIT;
}

static int
key_help(struct ui *u)
{
	u->view = u->view == UI_VIEW_HELP ? UI_VIEW_TREE : UI_VIEW_HELP;
	u->help_top = 0;
	return UI_REDRAW;
}

static int
key_back(struct ui *u)
{
	if (u->view == UI_VIEW_TREE && u->tr.filter[0] != '\0') {
		u->tr.filter[0] = '\0';
		ui_rebuild_rows(u);
		ui_status(u, false, "filter cleared");
	}
	u->view = UI_VIEW_TREE;
	return UI_REDRAW;
}

static int
key_filter(struct ui *u)
{
	u->view = UI_VIEW_TREE;
	u->tr.filter_edit = true;
	u->tr.filter[0] = '\0';
	ui_rebuild_rows(u);
	return UI_REDRAW;
}

/* Sorts the tree again by u->cfg.sort and says so. */
static int
resort(struct ui *u)
{
	if (u->have_tree) {
		tree_sort(&u->tree, &u->cfg.sort);
		ui_rebuild_rows(u);
	}
	ui_status(u, false, "sorted by %s%s", sort_key_name(&u->cfg.sort),
	    u->cfg.sort.reverse ? ", smallest first" : "");
	return UI_REDRAW;
}

static int
sort_step(struct ui *u, int dir)
{
	sort_key_step(&u->cfg.sort, dir);
	return resort(u);
}

static int
sort_by(struct ui *u, const char *key)
{
	if (sort_key_parse(key, &u->cfg.sort) != 0)
		return 0;
	return resort(u);
}

static int key_sort_rss(struct ui *u) { return sort_by(u, "rss"); }
static int key_sort_pss(struct ui *u) { return sort_by(u, "pss"); }
static int key_sort_growth(struct ui *u) { return sort_by(u, "anon-growth"); }
static int key_sort_replicas(struct ui *u) { return sort_by(u, "vs-replicas"); }

static int
key_reverse(struct ui *u)
{
	u->cfg.sort.reverse = !u->cfg.sort.reverse;
	return resort(u);
}

/* Letters people expect first; the rest get their key's first free one. */
static const struct {
	const char	*key;
	char		 letter;
} menu_letters[] = {
	{ "rss", 'r' }, { "pss", 'p' }, { "anon-growth", 'g' },
	{ "vs-replicas", 'x' }, { "working-set", 'w' }, { "charge", 'c' },
	{ "name", 'n' }, { "anon-growth-window", 'G' }, { "rss_anon", 'a' },
};

size_t
ui_sort_menu(int *cols, char *letters, size_t max)
{
	size_t	i, j, n = 0;
	bool	used[128] = { false };

	for (i = 0; i < col_count && n < max; i++) {
		if (!col_table[i].cycle)
			continue;
		cols[n] = (int)i;
		letters[n] = '\0';
		for (j = 0; j < sizeof menu_letters / sizeof menu_letters[0];
		    j++) {
			if (strcmp(menu_letters[j].key, col_table[i].key) == 0)
				letters[n] = menu_letters[j].letter;
		}
		if (letters[n] != '\0')
			used[(unsigned char)letters[n]] = true;
		n++;
	}
	for (i = 0; i < n; i++) {
		const char	*k = col_table[cols[i]].key;

		for (j = 0; letters[i] == '\0' && k[j] != '\0'; j++) {
			unsigned char	c = (unsigned char)k[j];

			if (c >= 'a' && c <= 'z' && !used[c]) {
				letters[i] = (char)c;
				used[c] = true;
			}
		}
	}
	return n;
}

/* s or F6: a menu of the sort keys; a letter or Enter picks, Esc closes. */
static int
key_sort_menu(struct ui *u)
{
	int	cols[64];
	char	letters[64];
	size_t	i, n = ui_sort_menu(cols, letters, 64);

	if (u->view != UI_VIEW_TREE)
		return 0;
	u->menu.open = true;
	u->menu.sel = 0;
	for (i = 0; i < n; i++) {
		if (cols[i] == sort_key_col(&u->cfg.sort))
			u->menu.sel = (int)i;
	}
	return UI_REDRAW;
}

static int
sort_menu_key(struct ui *u, int ch)
{
	int	cols[64];
	char	letters[64];
	size_t	i, n = ui_sort_menu(cols, letters, 64);

	switch (ch) {
	case 27:
	case 'q':
		u->menu.open = false;
		return UI_REDRAW;
	case KEY_UP:
	case 'k':
		u->menu.sel = u->menu.sel > 0 ? u->menu.sel - 1 : (int)n - 1;
		return UI_REDRAW;
	case KEY_DOWN:
	case 'j':
		u->menu.sel = (u->menu.sel + 1) % (int)n;
		return UI_REDRAW;
	case '\n':
	case KEY_ENTER:
		u->menu.open = false;
		return sort_by(u, col_table[cols[u->menu.sel]].key) | UI_REDRAW;
	default:
		for (i = 0; i < n; i++) {
			if (letters[i] == ch) {
				u->menu.open = false;
				return sort_by(u, col_table[cols[i]].key) |
				    UI_REDRAW;
			}
		}
		return 0;
	}
}

/* F5 or t: the tree, or every process of the node in one list (htop's). */
static int
key_flat(struct ui *u)
{
	if (u->view != UI_VIEW_TREE)
		return 0;
	u->tr.flat = !u->tr.flat;
	ui_rebuild_rows(u);
	ui_status(u, false, "%s", u->tr.flat ? "all processes, node-wide (F5 or t: "
	    "the tree)" : "pods, containers, processes");
	return UI_REDRAW;
}

static int
key_columns(struct ui *u)
{
	return chooser_open(u);
}

static int
key_write(struct ui *u)
{
	return ui_settings_write(u);
}

static int
key_sort_next(struct ui *u)
{
	return sort_step(u, 1);
}

static int
key_sort_prev(struct ui *u)
{
	return sort_step(u, -1);
}

static int
key_detail(struct ui *u)
{
	const struct ui_row	*r = ui_selected(u);

	if (u->view != UI_VIEW_TREE || r == NULL)
		return 0;
	ui_row_key(r, u->detail.key, sizeof u->detail.key);
	u->view = UI_VIEW_DETAIL;
	u->detail.top = 0;
	return UI_REDRAW | UI_REFRESH;
}

static int
key_tab(struct ui *u)
{
	if (u->view != UI_VIEW_DETAIL)
		return 0;
	u->detail.page = !u->detail.page;
	u->detail.top = 0;
	return UI_REDRAW | UI_REFRESH;
}

static int
key_mark(struct ui *u)
{
	const struct ui_row	*r = ui_selected(u);
	char			 key[UI_KEY_MAX];

	if (u->view != UI_VIEW_TREE || r == NULL)
		return 0;
	ui_row_key(r, key, sizeof key);
	if (strcmp(u->cmp.mark[1], key) == 0) {
		u->cmp.mark[1][0] = '\0';
	} else if (strcmp(u->cmp.mark[0], key) == 0) {
		memcpy(u->cmp.mark[0], u->cmp.mark[1], sizeof u->cmp.mark[0]);
		u->cmp.mark[1][0] = '\0';
	} else {
		/* the newest two marks are kept */
		if (u->cmp.mark[0][0] != '\0')
			memcpy(u->cmp.mark[1], u->cmp.mark[0], sizeof u->cmp.mark[0]);
		snprintf(u->cmp.mark[0], sizeof u->cmp.mark[0], "%s", key);
		if (u->cmp.mark[1][0] != '\0') {
			char	t[UI_KEY_MAX];

			/* keep A the older, B the newer */
			memcpy(t, u->cmp.mark[0], sizeof t);
			memcpy(u->cmp.mark[0], u->cmp.mark[1], sizeof t);
			memcpy(u->cmp.mark[1], t, sizeof t);
		}
	}
	ui_status(u, false, "%d marked (c compares)", (u->cmp.mark[0][0] != '\0') +
	    (u->cmp.mark[1][0] != '\0'));
	return UI_REDRAW;
}

/*
 * v: the selected row's pod side by side with its healthiest replica on the
 * node (the one with the least anonymous memory): A the healthy one, B the
 * selected, so B - A is the excess ("the same commands on a healthy pod").
 */
static int
key_versus(struct ui *u)
{
	const struct ui_row	*r = ui_selected(u);
	const struct tree_group	*h;
	char			 name[300];

	if (u->view != UI_VIEW_TREE || r == NULL)
		return 0;
	if (r->g->st.rep.kind == WL_NONE) {
		ui_status(u, true, "%s is no workload's pod: no replicas to "
		    "compare with", tree_group_label(r->g, false, name,
		    sizeof name));
		return UI_REDRAW;
	}
	h = tree_healthiest_sibling(&u->tree, r->g);
	if (h == NULL) {
		ui_status(u, true, "%s has no other replica on this node",
		    tree_group_label(r->g, false, name, sizeof name));
		return UI_REDRAW;
	}
	snprintf(u->cmp.mark[0], sizeof u->cmp.mark[0], "%s", h->ident);
	snprintf(u->cmp.mark[1], sizeof u->cmp.mark[1], "%s", r->g->ident);
	u->view = UI_VIEW_COMPARE;
	return UI_REDRAW | UI_REFRESH;
}

static int
key_compare(struct ui *u)
{
	if (u->cmp.mark[0][0] == '\0' || u->cmp.mark[1][0] == '\0') {
		ui_status(u, true, "mark two rows with m, then c compares them");
		return UI_REDRAW;
	}
	u->view = UI_VIEW_COMPARE;
	return UI_REDRAW | UI_REFRESH;
}

static int
key_gc(struct ui *u)
{
	return ui_gc_key(u);
}

static int
key_toggle(struct ui *u)
{
	return u->view == UI_VIEW_TREE ? screen_tree_toggle(u) : 0;
}

static int
key_open(struct ui *u)
{
	return u->view == UI_VIEW_TREE ? screen_tree_expand(u, true) : 0;
}

static int
key_close(struct ui *u)
{
	return u->view == UI_VIEW_TREE ? screen_tree_expand(u, false) :
	    key_back(u);
}

static int
key_redraw(struct ui *u)
{
	(void)u;
	return UI_CLEAR | UI_REDRAW;
}

static int
key_faster(struct ui *u)
{
	u->cfg.delay = u->cfg.delay > 0.2 ? u->cfg.delay / 2 : 0.1;
	ui_status(u, false, "refresh every %.2g s", u->cfg.delay);
	return UI_RETIMER | UI_REDRAW;
}

static int
key_slower(struct ui *u)
{
	u->cfg.delay = u->cfg.delay < 60 ? u->cfg.delay * 2 : 120;
	ui_status(u, false, "refresh every %.2g s", u->cfg.delay);
	return UI_RETIMER | UI_REDRAW;
}

static int
key_pause(struct ui *u)
{
	u->paused = !u->paused;
	ui_status(u, false, u->paused ? "paused (p resumes)" : "resumed");
	return UI_REDRAW | (u->paused ? 0 : UI_REFRESH);
}

/* [ ] { }: through a recorded moment's samples (memtop --at); keys
   typed ahead add up */
static int
key_time(struct ui *u, int samples, double seconds)
{
	if (u->cfg.moment == NULL) {
		ui_status(u, false, "[ ] { } step through recorded time: start "
		    "memtop --at TIME");
		return UI_REDRAW;
	}
	u->time_samples += samples;
	u->time_seconds += seconds;
	return UI_REFRESH | UI_REDRAW;
}

static int
key_sample_prev(struct ui *u)
{
	return key_time(u, -1, 0);
}

static int
key_sample_next(struct ui *u)
{
	return key_time(u, 1, 0);
}

static int
key_10min_prev(struct ui *u)
{
	return key_time(u, 0, -600);
}

static int
key_10min_next(struct ui *u)
{
	return key_time(u, 0, 600);
}

static int
move_sel(struct ui *u, long delta)
{
	long	n = (long)u->tr.nrows, s = (long)u->tr.sel + delta;

	/* help and detail scroll (their draw clamps to the end) */
	if (u->view == UI_VIEW_HELP || u->view == UI_VIEW_DETAIL) {
		int	*top = u->view == UI_VIEW_HELP ? &u->help_top :
			    &u->detail.top;

		delta = delta > UI_SCROLL_MAX ? UI_SCROLL_MAX : delta <
		    -UI_SCROLL_MAX ? -UI_SCROLL_MAX : delta;
		*top = *top + (int)delta < 0 ? 0 : *top + (int)delta;
		return UI_REDRAW;
	}
	if (u->view != UI_VIEW_TREE || n == 0)
		return 0;
	if (s < 0)
		s = 0;
	if (s >= n)
		s = n - 1;
	u->tr.sel = (size_t)s;
	u->tr.sel_moved = true;
	ui_row_key(&u->tr.rows[u->tr.sel], u->tr.sel_key, sizeof u->tr.sel_key);
	return UI_REDRAW;
}

static int
key_down(struct ui *u)
{
	return move_sel(u, 1);
}

static int
key_up(struct ui *u)
{
	return move_sel(u, -1);
}

static int
key_pgdown(struct ui *u)
{
	return move_sel(u, LINES > 6 ? LINES - 5 : 1);
}

static int
key_pgup(struct ui *u)
{
	return move_sel(u, -(LINES > 6 ? LINES - 5 : 1));
}

static int
key_home(struct ui *u)
{
	return move_sel(u, -UI_SCROLL_MAX);
}

static int
key_end(struct ui *u)
{
	return move_sel(u, UI_SCROLL_MAX);
}

/* A click on a column head: sort by it (the sorted one: reverse). */
static int
click_head(struct ui *u, int x)
{
	int	c = layout_col_at(x);

	if (c < 0)
		return 0;
	if (col_table[c].key[0] == '\0') {
		ui_status(u, true, "%s is not a sort key", col_table[c].title);
		return UI_REDRAW;
	}
	if (c == sort_key_col(&u->cfg.sort))
		return key_reverse(u);
	u->cfg.sort.reverse = false;
	return sort_by(u, col_table[c].key);
}

/*
 * The mouse: a click on a column head sorts, on a row selects it; the
 * wheel moves the selection (scrolls help and detail).
 */
static int
key_mouse(struct ui *u)
{
	MEVENT	ev;
	long	row;

	if (getmouse(&ev) != OK)
		return 0;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))
		return move_sel(u, ev.bstate & BUTTON4_PRESSED ? -3 : 3);
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) ||
	    u->view != UI_VIEW_TREE)
		return 0;
	if (ev.y == UI_TREE_TOP - 1)
		return click_head(u, ev.x);
	row = (long)u->tr.top + ev.y - UI_TREE_TOP;
	if (ev.y < UI_TREE_TOP || ev.y >= LINES - 1 || row >= (long)u->tr.nrows)
		return 0;
	return move_sel(u, row - (long)u->tr.sel);
}

const struct ui_key ui_keys[] = {
	{ 'q',		"q",	   "quit",	"quit memtop", key_quit },
	{ KEY_F(10),	"F10",	   "quit",	"quit memtop", key_quit },
	{ '?',		"?",	   "help",	"this help (again: back)", key_help },
	{ KEY_F(1),	"F1",	   "help",	"this help", key_help },
	{ KEY_F(5),	"F5",	   "flat",	"the tree, or all processes of the "
	  "node in one sorted list", key_flat },
	{ 't',		"t",	   "flat",	"tree / flat list", key_flat },
	{ 'h',		"h",	   "help",	"this help", key_help },
	{ 27,		"Esc",	   "back",	"back to the tree; clear the filter",
	  key_back },
	{ KEY_BACKSPACE, "BkSp",   "back",	"back to the tree", key_back },
	{ '/',		"/",	   "filter",	"filter by pod, namespace, container, "
	  "command (Enter keeps, Esc clears)", key_filter },
	{ 's',		"s",	   "sort-menu",	"choose the sort column from a menu "
	  "(its letter or Enter picks)", key_sort_menu },
	{ KEY_F(6),	"F6",	   "sort-menu",	"choose the sort column", key_sort_menu },
	{ KEY_F(2),	"F2",	   "columns",	"choose the columns shown (Space "
	  "shows/hides; W keeps the choice)", key_columns },
	{ 'f',		"f",	   "columns",	"choose the columns", key_columns },
	{ 'W',		"W",	   "write",	"write the settings (sort, view, "
	  "columns, theme, interval, grouping, read-only) to memtoprc; "
	  "quitting does not", key_write },
	{ 'M',		"M",	   "sort-rss",	"sort by RSS", key_sort_rss },
	{ 'P',		"P",	   "sort-pss",	"sort by PSS", key_sort_pss },
	{ 'G',		"G",	   "sort-growth", "sort by anon growth", key_sort_growth },
	{ 'X',		"X",	   "sort-replicas", "sort by excess over the "
	  "replicas", key_sort_replicas },
	{ 'R',		"R",	   "reverse",	"reverse the sort (smallest first)",
	  key_reverse },
	{ 'I',		"I",	   "reverse",	"reverse the sort", key_reverse },
	{ '>',		">",	   "sort-next",	"sort by the next column", key_sort_next },
	{ '.',		".",	   "sort-next",	"sort by the next column", key_sort_next },
	{ '<',		"<",	   "sort-prev",	"sort by the previous column",
	  key_sort_prev },
	{ ',',		",",	   "sort-prev",	"sort by the previous column",
	  key_sort_prev },
	{ '\n',		"Enter",   "detail",	"details of the selected row: every "
	  "figure, its change and history", key_detail },
	{ KEY_ENTER,	"Enter",   "detail",	"details of the selected row", key_detail },
	{ '\t',		"Tab",	   "page",	"in the detail view: figures / "
	  "mapping histogram and findings", key_tab },
	{ 'm',		"m",	   "mark",	"mark (or unmark) a row for comparison",
	  key_mark },
	{ 'c',		"c",	   "compare",	"compare the two marked rows side by "
	  "side", key_compare },
	{ 'v',		"v",	   "versus",	"compare the selected pod with its "
	  "healthiest replica on the node (B - A: what the sick one has more)",
	  key_versus },
	{ 'g',		"g",	   "gc",	"force a garbage collection in the "
	  "selected Node process or HotSpot JVM, or in every Node and Java "
	  "process of a pod/container (asks first; Esc cancels)", key_gc },
	{ ' ',		"Space",   "toggle",	"expand or collapse a pod/group",
	  key_toggle },
	{ KEY_RIGHT,	"Right",   "expand",	"expand", key_open },
	{ KEY_LEFT,	"Left",	   "collapse",	"collapse (in a sub-view: back)",
	  key_close },
	{ 'r',		"r",	   "redraw",	"clear and redraw the screen", key_redraw },
	{ CTRL('l'),	"C-l",	   "redraw",	"clear and redraw the screen", key_redraw },
	{ '+',		"+",	   "faster",	"refresh twice as often", key_faster },
	{ '-',		"-",	   "slower",	"refresh half as often", key_slower },
	{ 'p',		"p",	   "pause",	"pause or resume refreshing", key_pause },
	{ '[',		"[",	   "time-back",	"--at: the recorded sample before",
	  key_sample_prev },
	{ ']',		"]",	   "time-on",	"--at: the recorded sample after",
	  key_sample_next },
	{ '{',		"{",	   "time-back-10m", "--at: ten minutes back",
	  key_10min_prev },
	{ '}',		"}",	   "time-on-10m", "--at: ten minutes on",
	  key_10min_next },
	{ KEY_DOWN,	"Down",	   "down",	"next row", key_down },
	{ 'j',		"j",	   "down",	"next row", key_down },
	{ KEY_UP,	"Up",	   "up",	"previous row", key_up },
	{ 'k',		"k",	   "up",	"previous row", key_up },
	{ KEY_NPAGE,	"PgDn",	   "page-down",	"next page", key_pgdown },
	{ KEY_PPAGE,	"PgUp",	   "page-up",	"previous page", key_pgup },
	{ KEY_HOME,	"Home",	   "top",	"first row", key_home },
	{ KEY_END,	"End",	   "bottom",	"last row", key_end },
	{ KEY_MOUSE,	"click",   "mouse",	"on a column head: sort by it "
	  "(again: reverse); on a row: select it; the wheel scrolls",
	  key_mouse },
};
const size_t ui_nkeys = sizeof ui_keys / sizeof ui_keys[0];

int
ui_key_dispatch(struct ui *u, int key)
{
	size_t	i;

	if (key == '\r')
		key = '\n';
	if (u->menu.open)
		return sort_menu_key(u, key);
	if (u->chooser.open)
		return chooser_key(u, key);
	for (i = 0; i < ui_nkeys; i++) {
		if (ui_keys[i].key == key)
			return ui_keys[i].fn(u);
	}
	return 0;
}
