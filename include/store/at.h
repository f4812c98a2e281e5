#ifndef MEMTOP_STORE_AT_H
#define MEMTOP_STORE_AT_H

#include <stddef.h>

#include "collect/sample.h"
#include "model/tree.h"
#include "store/store.h"

/*
 * A recorded moment (memtop --at): the tree the views show, filled from
 * the store's rows at time t instead of from /proc. Each entity alive at t
 * has its last sample at or before t, written by the recorder run that
 * covers t (a recorder writes every entity when it starts, and marks the
 * ones that go); groups and containers carry their recorded sums, charge
 * and limit; processes are placed under the container of their recorded
 * names. What the store does not hold is unknown (FIG_NA, NULL), never 0.
 * docs/store.md says what is and is not recorded.
 */
struct at_moment {
	double		 t;		/* the moment shown (epoch seconds) */
	double		 run_start;	/* the recorder run that covers it */
	struct snapshot	 sn;		/* time t; the placed processes */
	struct tree	 tree;
	size_t		 unplaced;	/* processes with no names to place */
	/* owned storage the tree and sn point into */
	struct snap_proc *procs;
	struct cg_mem	*mems;
	char		**strs;
	size_t		 nstrs, strcap;
};

/*
 * Builds the moment t (growth since each entity's first sample, and over
 * window seconds before t). 0; 1 if no recorder ran at t (why says when
 * they did); -1 on a read error (why).
 */
int	at_build(struct store *, double t, double window, struct at_moment *,
	    char *why, size_t len);
void	at_free(struct at_moment *);

/*
 * Gives the moment's groups, containers and processes their history in h
 * (seeded as of m->t: sparklines of the 24 h before it, restarts), where h
 * has one. h must outlive the tree.
 */
void	at_attach(struct at_moment *, struct history *h);

/*
 * The recorded moment before or after t (dir -1 / +1) at least step
 * seconds away: the time of the nearest sample of any entity; t itself if
 * none.
 */
double	at_step(struct store *, double t, int dir, double step);

#endif
