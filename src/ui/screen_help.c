/*
 * The help screen: the keys, generated from the key table (one line per
 * action with every key bound to it), then what each marker and column
 * means. Lines wrap at the terminal's width; the screen scrolls.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/column.h"
#include "util/fmt.h"
#include "util/xmalloc.h"
#include "ui/ui_state.h"

#define HELP_KEYW	16	/* the key column */

/* What the columns mean, by title (col_table); the help lists every one. */
static const struct {
	const char	*title;
	const char	*text;
} help_cols[] = {
	{ "RSS", "resident memory (VmRSS): anonymous, file and shared pages "
	  "in RAM" },
	{ "RssAnon", "resident anonymous memory (heap, stacks): what Growth "
	  "follows" },
	{ "RssFile", "resident file pages (code, mapped files)" },
	{ "RssShm", "resident shared memory (shmem, tmpfs, SysV)" },
	{ "VmSwap", "anonymous memory swapped out" },
	{ "PSS", "proportional set size: RSS with each shared page split "
	  "among the processes that map it, so sums add up" },
	{ "PssAnon", "the anonymous part of PSS" },
	{ "PssFile", "the file-backed part of PSS" },
	{ "PssShm", "the shared-memory part of PSS" },
	{ "ShrClean", "shared clean pages (libraries, files others map too): "
	  "the kernel drops them cheaply" },
	{ "ShrDirty", "shared pages that were written to" },
	{ "PrvClean", "private clean pages (file pages only this process "
	  "maps)" },
	{ "PrvDirty", "private pages written to (heap): only this process "
	  "can give them back" },
	{ "Swap", "swapped out (smaps_rollup)" },
	{ "SwapPss", "swap, proportional like PSS" },
	{ "SmRss", "RSS as smaps_rollup counts it" },
	{ "Charge", "the cgroup's charge (memory.current or usage_in_bytes), "
	  "page cache included: what the limit is checked against" },
	{ "Limit", "the cgroup's memory limit" },
	{ "WSet", "working set: the charge minus inactive file pages; "
	  "kubelet evicts by it, kubectl top shows it" },
	{ "%Lim", "the charge as a percentage of the limit (coloured from "
	  "90 %)" },
	{ "Growth", "anonymous memory now minus its minimum since memtop "
	  "started (or since the store's first sample)" },
	{ "GrowWin", "anonymous growth over the window (--window)" },
	{ "vsReplicas", "anonymous memory over the median of the pod's other "
	  "replicas on this node, and the ratio" },
	{ "Maps", "how many mappings the process has (/proc/PID/maps)" },
	{ "History", "a sparkline of the sort column, oldest left" },
	{ "Name", "the name column: sorts by name" },
};

/* The markers on the tree, in the order they appear on a row. */
static const char *const help_marks[][2] = {
	{ "\xe2\x96\xbe \xe2\x96\xb8",
	  "an open / folded pod or group (- + without UTF-8); Space folds" },
	{ "*", "before a name: marked for comparison (m marks, c compares)" },
	{ "!", "after a process: its mappings fired a finding (V8 heap pages, "
	  "glibc arenas, ...); Enter, then Tab, says which" },
	{ "dimmed row", "a process that exited, kept for a few refreshes" },
	{ "dimmed figure", "a PSS figure older than 1.5 x --pss-max-age, or a "
	  "sum some of whose members are unknown" },
	{ "\xe2\x89\xa5", "before a sum: some members could not be read; the "
	  "known part, a lower bound (> without UTF-8)" },
	{ "-", "unknown (unreadable or not read yet), never 0" },
	{ "v ^", "after a column title: the sort column, largest first / "
	  "smallest first (R reverses)" },
	{ "(pss 12s old)", "a big process's PSS is read less often: its age" },
	{ "line 3", "the selected row in full: pod, container, command line, "
	  "cgroup" },
};

/* The lines of the help, built at each draw (the width decides wraps). */
struct help_text {
	struct help_line {
		char		*key;
		char		*text;
		enum theme_role	 role;
	}	*l;
	size_t	 n, cap;
};

static void
add_line(struct help_text *h, const char *key, const char *text,
    enum theme_role role)
{
	if (h->n == h->cap) {
		h->cap = h->cap * 2 + 64;
		h->l = xreallocarray(h->l, h->cap, sizeof *h->l);
	}
	h->l[h->n++] = (struct help_line){ xstrdup(key), xstrdup(text), role };
}

/* Adds text as lines of at most w columns, broken at spaces. */
static void
add_wrapped(struct help_text *h, const char *key, const char *text, int w,
    enum theme_role role)
{
	char		 line[1024];
	const char	*p = text, *brk;
	size_t		 n;

	if (w < 10)
		w = 10;
	while (*p != '\0') {
		fmt_clip(line, sizeof line, p, (size_t)w);
		n = strlen(line);
		if (p[n] != '\0') {
			/* break at the last space that fits */
			for (brk = p + n; brk > p && *brk != ' '; brk--)
				;
			if (brk > p)
				n = (size_t)(brk - p);
			line[n] = '\0';
		}
		add_line(h, key, line, role);
		key = "";
		p += n;
		while (*p == ' ')
			p++;
	}
}

static void
add_keys(struct help_text *h, int w)
{
	char	keys[64];
	size_t	i, j;

	for (i = 0; i < ui_nkeys; i++) {
		bool	seen = false;

		for (j = 0; j < i; j++) {
			if (strcmp(ui_keys[j].action, ui_keys[i].action) == 0)
				seen = true;
		}
		if (seen)
			continue;
		keys[0] = '\0';
		for (j = i; j < ui_nkeys; j++) {
			if (strcmp(ui_keys[j].action, ui_keys[i].action) != 0 ||
			    strstr(keys, ui_keys[j].keyname) != NULL)
				continue;
			if (keys[0] != '\0')
				strncat(keys, " ", sizeof keys - strlen(keys) - 1);
			strncat(keys, ui_keys[j].keyname,
			    sizeof keys - strlen(keys) - 1);
		}
		add_wrapped(h, keys, ui_keys[i].help, w, THEME_DEFAULT);
	}
}

static const char *
col_text(const char *title)
{
	size_t	i;

	for (i = 0; i < sizeof help_cols / sizeof help_cols[0]; i++) {
		if (strcmp(help_cols[i].title, title) == 0)
			return help_cols[i].text;
	}
	return "(not described)";
}

static void
build(struct help_text *h, const struct ui *u)
{
	int	w = COLS - HELP_KEYW - 2;
	size_t	i;

	add_line(h, "", "Keys", THEME_COLHEAD);
	add_keys(h, w);
	add_line(h, "", "", THEME_DEFAULT);
	add_line(h, "", "Markers", THEME_COLHEAD);
	for (i = 0; i < sizeof help_marks / sizeof help_marks[0]; i++)
		add_wrapped(h, u->utf8 || i != 0 ? help_marks[i][0] : "- +",
		    help_marks[i][1], w, THEME_DEFAULT);
	add_line(h, "", "", THEME_DEFAULT);
	add_line(h, "", "Columns (F2 chooses which are shown)", THEME_COLHEAD);
	for (i = 0; i < col_count; i++)
		add_wrapped(h, col_table[i].title, col_text(col_table[i].title),
		    w, THEME_DEFAULT);
	add_line(h, "", "", THEME_DEFAULT);
	add_line(h, "", "Settings", THEME_COLHEAD);
	add_wrapped(h, "memtoprc", "W writes the sort and its direction, the "
	    "view, the columns, the theme, the refresh interval, the grouping "
	    "and read-only to $XDG_CONFIG_HOME/memtop/memtoprc "
	    "(~/.config/memtop/memtoprc; $MEMTOPRC instead if set, empty: "
	    "none). memtop reads it at start; options on the command line "
	    "win. Quitting never writes it.", w, THEME_DEFAULT);
	if (u->sn != NULL) {
		char	b[160];

		add_line(h, "", "", THEME_DEFAULT);
		snprintf(b, sizeof b, "smaps_rollup read for %zu of the %zu "
		    "processes due, in %.0f ms (--pss-budget); %zu processes",
		    u->sn->rollup_read, u->sn->rollup_wanted, u->sn->rollup_ms,
		    u->sn->nprocs);
		add_wrapped(h, "last refresh", b, w, THEME_DIM);
	}
	add_line(h, "", "", THEME_DEFAULT);
	add_wrapped(h, "", "'-' is unknown, never 0. Figures are bytes (K M G: "
	    "powers of 1024).", w, THEME_DIM);
}

void
screen_help_draw(struct ui *u)
{
	struct help_text	h = { NULL, 0, 0 };
	int			body = LINES - 2, y, max;
	size_t			i;

	erase();
	build(&h, u);
	max = (int)h.n > body ? (int)h.n - body : 0;
	if (u->help_top > max)
		u->help_top = max;
	if (u->help_top < 0)
		u->help_top = 0;
	draw_fill(0, THEME_HEADER);
	draw_text(0, 0, COLS, max > 0 ? "memtop help  (? or Esc: back; "
	    "Up Down PgUp PgDn Home End scroll)" : "memtop help  (? or Esc: "
	    "back)");
	for (y = 1, i = (size_t)u->help_top; i < h.n && y <= body; i++, y++) {
		if (h.l[i].role == THEME_COLHEAD) {
			draw_role(THEME_COLHEAD);
			draw_text(y, 0, COLS, h.l[i].text);
			continue;
		}
		draw_role(THEME_HELP_KEY);
		draw_text(y, 1, HELP_KEYW, h.l[i].key);
		draw_role(h.l[i].role);
		draw_text(y, HELP_KEYW + 2, COLS - HELP_KEYW - 2, h.l[i].text);
	}
	draw_fill(LINES - 1, THEME_STATUS);
	if (max > 0) {
		char	b[64];

		snprintf(b, sizeof b, "lines %d-%d of %zu", u->help_top + 1,
		    u->help_top + body < (int)h.n ? u->help_top + body :
		    (int)h.n, h.n);
		draw_text(LINES - 1, 0, COLS, b);
	}
	for (i = 0; i < h.n; i++) {
		free(h.l[i].key);
		free(h.l[i].text);
	}
	free(h.l);
}
