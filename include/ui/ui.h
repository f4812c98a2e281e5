#ifndef MEMTOP_UI_UI_H
#define MEMTOP_UI_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "collect/sample.h"
#include "model/settings.h"
#include "model/tree.h"
#include "ui/theme.h"

/* What main() hands the interactive dashboard. */
struct ui_config {
	struct sampler		*sampler;
	struct tree_opts	 topts;
	struct sort_key		 sort;
	double			 delay;		/* seconds */
	uint32_t		 history;
	double			 window;	/* seconds */
	double			 pss_max_age;
	double			 pss_budget_ms;
	const char		*theme;		/* name or NULL */
	bool			 gc_yes;	/* g without asking */
	bool			 read_only;	/* --read-only: g is off */
	/* before the first refresh: gives the history its past (NULL: none);
	   history_note (the header) says where it starts once it ran */
	void			(*seed)(void *, struct history *);
	/* after the first screen is drawn: the rest of that past (the
	   detail view's figures; NULL: none) */
	void			(*seed_more)(void *, struct history *);
	void			*seed_ctx;
	const char		*history_note;
	/*
	 * memtop --at (src/cmd_at.c): the trees come from this instead of
	 * refreshes (NULL: live): the moment moved by seconds, then by
	 * samples (-1 the one before, +1 the one after; 0 0: the moment
	 * itself); fills *t (the dashboard's to tree_done) and *sn (ctx's,
	 * until the next call) and writes the moment into history_note. 0,
	 * or -1 (history_note says why).
	 */
	int			(*moment)(void *, double seconds, int samples,
				    struct tree *, const struct snapshot **);
	void			*moment_ctx;
	/* each refresh, after the tree is built (refresh_opts.hook; NULL:
	   none), and the one line of status it has (Prometheus's: line 2) */
	void			(*hook)(void *, const struct snapshot *,
				    struct tree *, struct history *);
	void			*hook_ctx;
	void			(*status)(void *hook_ctx, char *, size_t);
	unsigned		 cli_set;	/* SET_* given as options:
						   memtoprc does not change
						   them */
};

/*
 * Runs the dashboard on the terminal until q. Returns the exit status; on a
 * terminal that cannot address the cursor it says so and returns -1 (the
 * caller falls back to batch output).
 */
int	ui_run(const struct ui_config *);

#endif
