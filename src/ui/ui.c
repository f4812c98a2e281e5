/*
 * The dashboard: curses set-up and the main loop, one poll() over the
 * terminal and a timerfd; nothing else blocks it.
 */
#include "config.h"

#include <curses.h>
#include <term.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "ui/ui_state.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define UI_GC_POLL	16	/* GC jobs' pipes polled at once */

void
ui_status(struct ui *u, bool error, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(u->status, sizeof u->status, fmt, ap);
	va_end(ap);
	u->status_error = error;
	u->status_until = clock_mono() + 5;
}

const struct ui_row *
ui_selected(const struct ui *u)
{
	return u->tr.sel < u->tr.nrows ? &u->tr.rows[u->tr.sel] : NULL;
}

static void
set_timer(int tfd, double secs)
{
	struct itimerspec	its;

	its.it_value.tv_sec = (time_t)secs;
	its.it_value.tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9);
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	its.it_interval = its.it_value;
	timerfd_settime(tfd, 0, &its, NULL);
}

/*
 * What the next refresh should read for this view: PSS of the selected
 * process every refresh, then of the visible rows first among those due;
 * full smaps of the processes the detail or compare screen shows.
 */
static void
read_plan_of(struct ui *u, struct read_plan *plan, struct proc_ref *fresh,
    size_t max, struct proc_ref *smaps, size_t smax)
{
	const struct ui_row	*sel = ui_selected(u);
	size_t			 i, n = 0, end = u->tr.top + (size_t)(LINES > 0 ?
				    LINES : 0);

	memset(plan, 0, sizeof *plan);
	if (!u->have_tree)
		return;
	if (sel != NULL && sel->p != NULL && !sel->p->gone) {
		fresh[n++] = (struct proc_ref){ sel->p->sp->pid,
		    sel->p->sp->start };
		plan->nnow = 1;
	}
	for (i = u->tr.top; i < u->tr.nrows && i < end && n < max; i++) {
		if (u->tr.rows[i].p != NULL && !u->tr.rows[i].p->gone)
			fresh[n++] = (struct proc_ref){ u->tr.rows[i].p->sp->pid,
			    u->tr.rows[i].p->sp->start };
	}
	plan->fresh = fresh;
	plan->nfresh = n;
	plan->smaps = smaps;
	plan->nsmaps = ui_smaps_wanted(u, smaps, smax);
}

static void
tick(struct ui *u)
{
	struct proc_ref		 fresh[256], smaps[UI_SMAPS_MAX];
	struct read_plan	 plan;
	struct tree		 t;
	const char		*cause;
	int			 r;

	if (u->tmark_open)	/* the last tick's screen was not drawn */
		timing_refresh(&u->tmark, u->sn != NULL ? u->sn->nprocs : 0);
	/* a refresh's line; a recorded moment (--at) is not one */
	u->tmark_open = u->cfg.moment == NULL;
	timing_begin(&u->tmark);
	if (u->cfg.moment != NULL) {	/* a recorded moment (--at) */
		r = u->cfg.moment(u->cfg.moment_ctx, u->time_seconds,
		    u->time_samples, &t, &u->sn);
		u->time_seconds = 0;
		u->time_samples = 0;
		if (r != 0) {
			ui_status(u, true, "%s", u->cfg.history_note);
			return;
		}
	} else {
		read_plan_of(u, &plan, fresh, 256, smaps, UI_SMAPS_MAX);
		if (refresh_next(u->refresh, &plan, &t, &u->sn, &cause) != 0) {
			u->tmark_open = false;	/* no refresh, no line */
			ui_status(u, true, "%s", cause);
			return;
		}
	}
	if (u->have_tree)
		tree_done(&u->tree);
	u->tree = t;
	u->have_tree = true;
	ui_rebuild_rows(u);
}

/* refresh_first's want: the rows tree t would show, on this screen. */
static size_t
first_want(void *ctx, struct tree *t, struct proc_ref **out)
{
	struct ui	*u = ctx;
	size_t		 n;

	u->tree = *t;
	u->have_tree = true;
	ui_rebuild_rows(u);
	n = screen_tree_first_plan(u, out);
	u->have_tree = false;
	ui_rebuild_rows(u);	/* its rows go with that tree */
	/* the first screen selects its first row, as of the final tree */
	u->tr.sel_key[0] = '\0';
	u->tr.sel = u->tr.top = 0;
	return n;
}

/*
 * The first screen (refresh_opts.visible_first): the cheap tier of every
 * process makes the rows, then PSS and maps are read for the processes
 * those rows and line 2 show, in the same refresh; the rest is read after
 * the first screen is drawn. A recorded moment (--at) has no refresh.
 */
static void
first_screen(struct ui *u)
{
	struct tree	 t;
	const char	*cause;

	if (u->cfg.moment != NULL) {
		tick(u);
		return;
	}
	timing_begin(&u->tmark);	/* its line: up to the screen drawn */
	u->tmark_open = true;
	if (refresh_first(u->refresh, first_want, u, &t, &u->sn,
	    &cause) != 0) {
		u->tmark_open = false;
		ui_status(u, true, "%s", cause);
		return;
	}
	u->tree = t;
	u->have_tree = true;
	ui_rebuild_rows(u);
}

/*
 * Whether the first processes are left for the catch-up (not paused): the
 * refresh's own state, not rollup_unread, which a burst of new processes
 * sets too (they are read at the refresh's pace).
 */
static bool
catching_up(const struct ui *u)
{
	return u->cfg.moment == NULL && !u->paused && u->sn != NULL &&
	    refresh_catching_up(u->refresh);
}

static void
draw_too_small(void)
{
	erase();
	attrset(A_NORMAL);
	mvaddnstr(0, 0, "terminal too small", COLS);
}

static void
draw(struct ui *u)
{
	if (COLS < 40 || LINES < 10) {
		draw_too_small();
		return;
	}
	switch (u->view) {
	case UI_VIEW_DETAIL:
		screen_detail_draw(u);
		break;
	case UI_VIEW_HELP:
		screen_help_draw(u);
		break;
	case UI_VIEW_COMPARE:
		screen_compare_draw(u);
		break;
	default:
		screen_tree_draw(u);
		break;
	}
}

/* Typing a filter on the bottom line. Returns reactions. */
static int
filter_key(struct ui *u, int ch)
{
	size_t	l = strlen(u->tr.filter);

	if (ch == 27) {
		u->tr.filter[0] = '\0';
		u->tr.filter_edit = false;
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		u->tr.filter_edit = false;
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (l > 0)
			u->tr.filter[l - 1] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f && l + 1 < sizeof u->tr.filter) {
		u->tr.filter[l] = (char)ch;
		u->tr.filter[l + 1] = '\0';
	} else
		return 0;
	ui_rebuild_rows(u);
	return UI_REDRAW;
}

static void
load_theme(struct ui *u)
{
	char		 err[256];
	const char	*dirs[] = { getenv("MEMTOP_THEMES"), MEMTOP_SRC_THEMES,
	    MEMTOP_DATA_THEMES };
	const char	*name = u->cfg.theme != NULL ? u->cfg.theme : "default";
	const char	*nc = getenv("NO_COLOR");
	size_t		 i;
	int		 ok = 0;

	theme_defaults(&u->theme);
	for (i = 0; i < sizeof dirs / sizeof dirs[0] && !ok; i++) {
		if (dirs[i] != NULL &&
		    theme_load(&u->theme, dirs[i], name, err, sizeof err) == 0)
			ok = 1;
	}
	if (!ok) {
		theme_defaults(&u->theme);
		if (u->cfg.theme != NULL)
			ui_status(u, true, "theme %s: %s", name, err);
	}
	if ((nc != NULL && nc[0] != '\0') || !has_colors())
		theme_mono(&u->theme);
}

static void
ui_free(struct ui *u)
{
	size_t	i;

	if (u->have_tree)
		tree_done(&u->tree);
	refresh_free(u->refresh);
	free(u->tr.rows);
	for (i = 0; i < u->tr.ncollapsed; i++)
		free(u->tr.collapsed[i]);
	free(u->tr.collapsed);
	for (i = 0; i < u->tr.nexpanded; i++)
		free(u->tr.expanded[i]);
	free(u->tr.expanded);
}

int
ui_run(const struct ui_config *cfg)
{
	struct ui	 u;
	SCREEN		*scr;
	struct pollfd	 pfd[2 + UI_GC_POLL];
	size_t		 npfd, i;
	int		 tfd, ch, r, dirty = UI_REDRAW;
	const char	*cup;
	char		 why[512];
	uint64_t	 expirations;
	bool		 seed_more, first_drawn = false, caught_up = false;

	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	memset(&u, 0, sizeof u);
	u.cfg = *cfg;
	ui_settings_start(&u, cfg->cli_set);
	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		fprintf(stderr, "memtop: terminal '%s' is unknown (no terminfo "
		    "entry); printing refreshes as text (as -b)\n",
		    getenv("TERM") ? getenv("TERM") : "?");
		return -1;
	}
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1) {
		endwin();
		delscreen(scr);
		fprintf(stderr, "memtop: terminal '%s' cannot move the cursor; "
		    "printing refreshes as text (as -b)\n", getenv("TERM") ?
		    getenv("TERM") : "?");
		return -1;
	}
	u.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	u.refresh = refresh_create(cfg->sampler, &(struct refresh_opts){
		.max_age = cfg->pss_max_age,
		.budget_ms = cfg->pss_budget_ms,
		.interval = u.cfg.delay,
		.history = cfg->history,
		.window = cfg->window,
		.topts = u.cfg.topts,
		.sort = &u.cfg.sort,
		.visible_first = true,
		.hook = cfg->hook,
		.hook_ctx = cfg->hook_ctx,
	});
	if (cfg->seed != NULL)
		cfg->seed(cfg->seed_ctx, refresh_history(u.refresh));
	seed_more = cfg->seed_more != NULL;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	/* presses, not clicks: a click would wait for the release */
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	load_theme(&u);
	draw_theme_apply(&u.theme);

	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	set_timer(tfd, u.cfg.delay);
	first_screen(&u);
	ui_settings_status(&u);
	/* said on stderr before curses hid it; memtoprc's error first */
	if (u.status[0] == '\0' && timing_open(why, sizeof why) != 0)
		ui_status(&u, true, "%s", why);
	pfd[0].fd = STDIN_FILENO;
	pfd[0].events = POLLIN;
	pfd[1].fd = tfd;
	pfd[1].events = POLLIN;
	ui_gc_init(&u);
	for (;;) {
		if (dirty & UI_CLEAR)
			clearok(curscr, TRUE);
		if (dirty & (UI_REDRAW | UI_CLEAR)) {
			draw(&u);
			refresh();
		}
		if (u.tmark_open) {	/* a tick and its screen */
			timing_refresh(&u.tmark, u.sn != NULL ?
			    u.sn->nprocs : 0);
			u.tmark_open = false;
			if (timing_write_failed(why, sizeof why))
				ui_status(&u, true, "%s", why);
		}
		if (!first_drawn) {
			/* the first screen is up: read the rest now */
			first_drawn = true;
			timing_note("first-screen", u.sn != NULL ?
			    u.sn->rollup_unread : 0);
			refresh_catch_up(u.refresh);
		}
		if (!caught_up && !catching_up(&u) && !u.paused) {
			caught_up = true;
			timing_note("all-read", 0);
		}
		dirty = 0;
		if (seed_more) {
			/* the first screen is up: the rest of the past */
			cfg->seed_more(cfg->seed_ctx,
			    refresh_history(u.refresh));
			seed_more = false;
			dirty |= UI_REDRAW;
		}
		npfd = 2 + ui_gc_pollfds(&u, pfd + 2, UI_GC_POLL);
		/* catching up: keys first, then the next chunk */
		r = poll(pfd, npfd, catching_up(&u) ? 0 :
		    u.status[0] != '\0' ? 1000 : -1);
		if (r == -1 && errno != EINTR)
			break;
		if (u.status[0] != '\0' && clock_mono() > u.status_until) {
			u.status[0] = '\0';
			dirty |= UI_REDRAW;
		}
		if (r > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;	/* the terminal went away */
		for (i = 2; r > 0 && i < npfd; i++) {
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				dirty |= ui_gc_input(&u, pfd[i].fd);
		}
		if (r > 0 && (pfd[1].revents & POLLIN)) {
			if (read(tfd, &expirations, sizeof expirations) < 0)
				expirations = 0;
			if (!u.paused && u.cfg.moment == NULL) {
				tick(&u);
				dirty |= UI_REDRAW;
			}
		} else if (r == 0 && catching_up(&u)) {
			tick(&u);
			dirty |= UI_REDRAW;
		}
		while ((ch = getch()) != ERR) {
			if (ch == KEY_RESIZE) {
				dirty |= UI_REDRAW | UI_CLEAR;
				continue;
			}
			if (u.gc.confirm)
				r = ui_gc_confirm_key(&u, ch);
			else if (ch == 27 && ui_gc_running(&u))
				r = ui_gc_cancel(&u);
			else if (u.tr.filter_edit)
				r = filter_key(&u, ch);
			else
				r = ui_key_dispatch(&u, ch);
			dirty |= r;
		}
		if (dirty & UI_QUIT)
			break;
		if (dirty & UI_RETIMER)
			set_timer(tfd, u.cfg.delay);
		if (dirty & UI_REFRESH) {
			tick(&u);
			dirty |= UI_REDRAW;
		}
	}
	close(tfd);
	endwin();
	delscreen(scr);
	ui_gc_free(&u);
	ui_free(&u);
	return 0;
}
