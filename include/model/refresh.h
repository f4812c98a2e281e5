#ifndef MEMTOP_MODEL_REFRESH_H
#define MEMTOP_MODEL_REFRESH_H

#include <stdbool.h>
#include <stdint.h>

#include "collect/read_plan.h"
#include "collect/sample.h"
#include "model/history.h"
#include "model/tree.h"

/*
 * The one refresh driver, used by the dashboard, -b and the exporter. It
 * owns the sampler's read policy (the first refresh reads every process's
 * smaps_rollup and maps; later ones re-read PSS by --pss-max-age within
 * --pss-budget: src/collect/pss_sched.c), the history, the count of
 * refreshes and their timing. A view says what it wants read with a struct
 * read_plan; a loop without a view passes NULL.
 *
 * It never sleeps or waits: each caller waits in its own loop and calls
 * refresh_next when it is time. The dashboard polls the terminal and a
 * periodic timerfd (it must never block); -b and the exporter sleep -d
 * seconds, interruptibly, after writing each refresh (top's -d), so a slow
 * refresh or a slow reader never makes refreshes pile up.
 *
 * visible_first (the dashboard) changes the first refreshes: they read the
 * cheap tier of every process and smaps_rollup and maps only of the
 * processes the plan wants now (its first screen), until refresh_catch_up;
 * then processes never read go first, within the budget per refresh, and
 * the snapshot's rollup_unread says how many are left. -b, the exporter and
 * the recorder leave it off: their first output is complete.
 */

struct refresh_opts {
	double			 max_age;	/* --pss-max-age, seconds */
	double			 budget_ms;	/* --pss-budget */
	double			 interval;	/* -d, seconds (for the window) */
	uint32_t		 history;	/* samples per figure */
	double			 window;	/* seconds of the windowed growth */
	struct tree_opts	 topts;
	bool			 visible_first;	/* the dashboard: see above */
	bool			 no_ghosts;	/* nothing shows exited
						   processes: forget them at
						   once (-b, the exporter) */
	const struct sort_key	*sort;		/* borrowed, read at each
						   refresh (the dashboard's
						   changes) */
	/* after the tree is built, before its history is pushed: another
	   source's past and baselines (model/promhist.h); NULL: none */
	void			(*hook)(void *, const struct snapshot *,
				    struct tree *, struct history *);
	void			*hook_ctx;
};

struct refresh;

/* The sampler is borrowed for the driver's life. */
struct refresh	*refresh_create(struct sampler *, const struct refresh_opts *);
void		 refresh_free(struct refresh *);

/*
 * One refresh now: a snapshot (borrowed until the next call) and its tree,
 * built, given its history and sorted into *t, which the caller tree_done()s
 * (the previous one can be freed after this call). 0; or -1 with a cause (the
 * sampler failed), *t and *sn untouched.
 */
int		 refresh_next(struct refresh *, const struct read_plan *,
		    struct tree *t, const struct snapshot **sn,
		    const char **cause);

/*
 * visible_first's first refresh in one pass: the cheap tier of every
 * process, its tree built and sorted and handed to want, which says which
 * processes the first screen needs (an array the driver frees; the tree is
 * the driver's, for the call), then smaps_rollup and maps of those, and the
 * tree built again into *t as refresh_next does. 0; or -1 with a cause.
 */
typedef size_t	(*refresh_want_fn)(void *ctx, struct tree *,
		    struct proc_ref **out);
int		 refresh_first(struct refresh *, refresh_want_fn, void *ctx,
		    struct tree *t, const struct snapshot **sn,
		    const char **cause);

/*
 * visible_first: the first screen is drawn; from the next refresh on, what
 * is due is read (the processes never read first), within the budget.
 */
void		 refresh_catch_up(struct refresh *);
/*
 * Whether the first processes are still being read (visible_first): the
 * dashboard refreshes again at once until they are. Processes that
 * arrive later are read a few per refresh at the refresh's pace.
 */
bool		 refresh_catching_up(const struct refresh *);

/* Refreshes done so far; wall time the newest took (sampler to history). */
long		 refresh_count(const struct refresh *);
double		 refresh_seconds(const struct refresh *);
/* The history it keeps (for seeding it before the first refresh). */
struct history	*refresh_history(struct refresh *);

#endif
