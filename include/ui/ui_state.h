#ifndef MEMTOP_UI_UI_STATE_H
#define MEMTOP_UI_UI_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "actions/gc.h"
#include "actions/job.h"
#include "model/history.h"
#include "model/refresh.h"
#include "model/settings.h"
#include "model/tree.h"
#include "ui/theme.h"
#include "ui/ui.h"
#include "util/readfile.h"
#include "util/timing.h"

/* Shared by the files of src/ui only. */

/* The tree's first row (header, line 2, the selected row, column heads). */
#define UI_TREE_TOP	4
/* At least col_count (model/column.h). */
#define UI_COL_MAX	48

/* An entity identity as the UI keeps it (cgroup paths can be long). */
#define UI_KEY_MAX	4160

enum ui_view {
	UI_VIEW_TREE,
	UI_VIEW_DETAIL,
	UI_VIEW_HELP,
	UI_VIEW_COMPARE
};

/* What a key handler asks the loop to do (htop's reactions). */
#define UI_REDRAW	0x1	/* draw the screen again */
#define UI_CLEAR	0x2	/* clear and repaint everything */
#define UI_REFRESH	0x4	/* take a new sample now */
#define UI_QUIT		0x8
#define UI_RETIMER	0x10	/* the refresh interval changed */

enum ui_row_kind {
	UI_ROW_GROUP,
	UI_ROW_CTR,
	UI_ROW_PROC
};

/* One line of the tree view. */
struct ui_row {
	enum ui_row_kind	 kind;
	struct tree_group	*g;
	struct tree_ctr		*c;	/* NULL for a group row */
	struct tree_proc	*p;	/* NULL unless a process row */
	int			 depth;
};

/* The g key: targets, confirmation, the jobs and their results. */
struct ui_gc {
	struct ui_gc_target {
		int			pid;
		unsigned long long	start;
	}			*targets;
	size_t			 ntargets;
	size_t			 next;		/* next to start */
	bool			 confirm;	/* waiting for y/n */
	char			 where[160];
	struct job		*current;	/* the one Esc cancels, or NULL */
	struct job_runner	 jobs;
};

/* The tree (and flat list) screen: its rows, selection, folds, filter. */
struct ui_tree_screen {
	struct ui_row		*rows;
	size_t			 nrows;
	size_t			 sel;		/* index into rows */
	size_t			 top;		/* first row shown */
	char			 sel_key[UI_KEY_MAX];	/* keeps the selection */
	bool			 sel_moved;	/* the user chose a row */
	char			**collapsed;	/* group keys folded */
	size_t			 ncollapsed;
	char			**expanded;	/* non-pod group keys opened */
	size_t			 nexpanded;
	char			 filter[128];
	bool			 filter_edit;
	bool			 flat;		/* processes only, node-wide */
};

/* The sort menu over the tree. */
struct ui_menu {
	bool			 open;
	int			 sel;		/* its highlighted entry */
};

/* The column chooser over the tree. */
struct ui_chooser {
	bool			 open;
	int			 sel;
};

/* The detail screen: its subject, by key, and its page. */
struct ui_detail_screen {
	char			 key[UI_KEY_MAX];
	int			 page;		/* 0 figures, 1 mappings */
	int			 top;		/* first page line shown */
	bool			 more;		/* lines below the screen */
};

/* The compare screen: the rows marked (m), by key; c compares. */
struct ui_compare_screen {
	char			 mark[2][UI_KEY_MAX];
};

struct ui {
	struct ui_config	 cfg;
	struct refresh		*refresh;	/* the sampler, history, policy */
	struct tree		 tree;
	const struct snapshot	*sn;
	bool			 have_tree;
	struct theme		 theme;
	bool			 utf8;
	bool			 paused;
	int			 time_samples;	/* --at: the next tick's steps */
	double			 time_seconds;
	enum ui_view		 view;
	char			 status[256];	/* the bottom line */
	bool			 status_error;
	double			 status_until;
	struct timing_mark	 tmark;		/* MEMTOP_TIMING: the tick's */
	bool			 tmark_open;	/* until its screen is drawn */

	/* each screen's own state */
	struct ui_tree_screen	 tr;
	struct ui_menu		 menu;
	struct ui_chooser	 chooser;
	struct ui_detail_screen	 detail;
	int			 help_top;	/* the help screen's scroll */
	struct ui_compare_screen cmp;
	struct ui_gc		 gc;		/* the g key and its jobs */
	/* the column chooser's choice per col_table entry: 0 the default,
	   1 shown, -1 hidden */
	signed char		 col_show[UI_COL_MAX];
	struct settings		 rc;		/* memtoprc as read */
	char			 rc_path[4096];	/* "" if none */
	char			 rc_err[600];	/* why it was not used */
};

/* A row's figures, whatever its kind (for detail and compare). */
struct ui_subject {
	struct tree_group	*g;
	struct tree_ctr		*c;
	struct tree_proc	*p;
	const struct tree_stats	*st;
	const struct fig_sum	*sum;	/* a pod's or container's, or NULL */
	const uint64_t		*fig;	/* a process's, or NULL */
	const struct cg_mem	*mem;
	int64_t			 nmaps;
	unsigned		 marks;
};

/* keymap.c */
struct ui_key {
	int		 key;		/* curses key code or character */
	const char	*keyname;	/* as shown in help */
	const char	*action;
	const char	*help;
	int		 (*fn)(struct ui *);
};
extern const struct ui_key ui_keys[];
extern const size_t ui_nkeys;
int	ui_key_dispatch(struct ui *, int key);

/* ui.c */
void	ui_status(struct ui *, bool error, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	ui_rebuild_rows(struct ui *);
const struct ui_row *ui_selected(const struct ui *);

/* screen_tree.c */
void	screen_tree_draw(struct ui *);
int	screen_tree_toggle(struct ui *);
int	screen_tree_expand(struct ui *, bool open);
/*
 * The processes the first screen needs read (refresh_opts.visible_first),
 * into *out (the caller frees it); how many: those of the rows it shows
 * (all of a pod's or container's for its row's sum), of the pod line 2
 * diagnoses and of a few of its replicas (the baselines of its diagnosis).
 * A sort on a figure not read yet picks the rows by RSS.
 */
size_t	screen_tree_first_plan(struct ui *, struct proc_ref **out);
/* the key a row is remembered by across refreshes */
/* The tree's row of entity key, or NULL if it is not shown. */
const struct ui_row *ui_row_of_key(const struct ui *, const char *key);
void	ui_row_key(const struct ui_row *, char *buf, size_t len);
bool	ui_row_match(const struct ui *, const struct ui_row *);

/* screen_detail.c */
void	screen_detail_draw(struct ui *);
bool	ui_find_subject(struct ui *, const char *key, struct ui_subject *);
/* A process row's process, or the only live process of a pod/container. */
const struct tree_proc *ui_subject_proc(const struct ui_subject *);
/*
 * The processes whose full smaps the current screen shows (detail: its
 * process; compare: the marked ones), at most max of them; how many.
 */
#define UI_SMAPS_MAX	2
size_t	ui_smaps_wanted(struct ui *, struct proc_ref *out, size_t max);

/*
 * The sort menu's entries (the cycled sort keys, in the column table's
 * order) and the letter that picks each: cols[i] indexes col_table. Returns
 * how many.
 */
size_t	ui_sort_menu(int *cols, char *letters, size_t max);

/* gc_ui.c */
void	ui_gc_init(struct ui *);
int	ui_gc_key(struct ui *);		/* g */
int	ui_gc_confirm_key(struct ui *, int ch);
/* the pipes of running GC jobs, for poll() */
size_t	ui_gc_pollfds(const struct ui *, struct pollfd *, size_t max);
int	ui_gc_input(struct ui *, int fd);	/* a job's pipe is readable */
int	ui_gc_cancel(struct ui *);	/* Esc while running */
bool	ui_gc_running(const struct ui *);
void	ui_gc_free(struct ui *);
const struct gc_result *ui_gc_result(const struct ui *, int pid,
	    unsigned long long start);
/*
 * What a GC of the group's biggest collected process (or of only) proved,
 * with the pod's standing against its replicas now (analyse/diagnosis.h's
 * diagnose_gc); false if none of them was collected.
 */
bool	ui_gc_proved(const struct ui *, const struct tree_group *,
	    const struct tree_proc *only, char *buf, size_t len);
/* whether the glibc-arenas finding marks the process (for the verdict) */
bool	ui_gc_arena(unsigned marks);

/* screen_compare.c */
void	screen_compare_draw(struct ui *);

/* chooser.c: the column chooser */
int	chooser_open(struct ui *);		/* F2, f */
int	chooser_key(struct ui *, int ch);	/* while it is open */
void	chooser_draw(struct ui *);

/* settings_ui.c: memtoprc */
/* Reads memtoprc into u->cfg, except what cli_set (SET_*) says was given. */
void	ui_settings_start(struct ui *, unsigned cli_set);
void	ui_settings_status(struct ui *);	/* its problem, if any */
int	ui_settings_write(struct ui *);		/* W */

/* layout.c: the tree's columns */
/* Which columns fit COLS, by priority; the name's width. Call first. */
void	layout_compute(const struct ui *);
int	layout_name_w(void);
/* Whether column i is shown when it fits (the default or the chooser). */
bool	layout_col_wanted(const struct ui *, size_t i);
/* Whether column i is on screen now (wanted and it fit). */
bool	layout_col_visible(size_t i);
/* The column (col_table index) under screen column x; -1 if none. */
int	layout_col_at(int x);
/*
 * A row's name clipped to the name column (in the middle, keeping its end,
 * if middle), then mark, never cut.
 */
void	layout_name(const struct ui *, int y, const char *body,
	    const char *mark, bool middle);
void	layout_cells(const struct ui *, int y, const struct ui_row *,
	    enum theme_role base);
void	layout_colheads(const struct ui *, int y);

/* screen_help.c */
void	screen_help_draw(struct ui *);

/* draw.c */
void	draw_theme_apply(const struct theme *);
void	draw_role(enum theme_role);
void	draw_text(int y, int x, int maxw, const char *);
void	draw_fill(int y, enum theme_role);
/*
 * Until called again, page line y is drawn on screen line y - top, and only
 * if that is within first..last (draw_scroll(0, 0, INT_MAX): the screen).
 */
void	draw_scroll(int top, int first, int last);
/* A bar of n cells (a checkerboard, or # without UTF-8) at page line y. */
void	draw_bar(int y, int x, bool utf8, int n);

#endif
