#ifndef MEMTOP_COLLECT_PSS_SCHED_H
#define MEMTOP_COLLECT_PSS_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Which processes' smaps_rollup (PSS and the other rollup figures) a refresh
 * reads, and in what order. Reading it makes the kernel walk page tables
 * (~14 us per MiB resident), so it is rationed; pure, no I/O:
 *
 * - the first refresh (opts.all) reads every process, beyond the budget;
 *   the dashboard's first refreshes (opts.plan_only) read only the plan's
 *   nnow (what its first screen shows), the rest right after it;
 * - a process the plan wants now is read every refresh, beyond the budget;
 * - one never read (new, or its pid reused) is read next, oldest process
 *   first; after the first refresh at most max_never of them per refresh
 *   (pss_sched_max_never): a burst of new pods is read over a few
 *   refreshes, so the refresh it arrives in does not cost 3-5 of the
 *   others (the rest show unknown until then, and the snapshot counts them);
 * - then, among the due ones, those the plan wants (in plan order);
 * - due: the cheap counters moved beyond jitter since the last read
 *   (pss_sched_moved), stalest first, or the reading is max_age old;
 *   a process's first reading counts as older than it is by up to a
 *   quarter of max_age (pss_sched_taken), so readings taken together
 *   (the first refresh's, a burst of new pods') fall due over the
 *   refreshes of that quarter (several when -d is shorter than it), not
 *   on one, and stay spread; a reading never gets older than max_age;
 * - a process over PSS_SCHED_BIG_RSS (a walk of ~14 ms or more) that moved
 *   is re-read at most every max_age / 2;
 * - the budget: after the first chunk, no new chunk of PSS_SCHED_CHUNK
 *   reads starts once budget_ms of wall time is spent (pss_sched_more).
 */

#define PSS_SCHED_BIG_RSS	(1ULL << 30)
#define PSS_SCHED_CHUNK		32

/* Why a candidate is read, in reading order. */
enum pss_class {
	PSS_NOW,	/* the plan wants it every refresh */
	PSS_NEVER,	/* no reading yet (or opts.all) */
	PSS_WANTED,	/* due, and in the plan */
	PSS_CHANGED,	/* moved since the last reading */
	PSS_OLD,	/* reading max_age old */
	PSS_NOT_DUE
};

struct pss_cand {
	size_t		 idx;		/* the caller's, carried along */
	bool		 read;		/* this process was read before */
	double		 age;		/* seconds since (if read) */
	double		 due_age;	/* the same from pss_sched_taken's
					   time: what max_age and the
					   stalest-first order look at */
	bool		 changed;	/* pss_sched_moved since (if read) */
	uint64_t	 rss;		/* bytes now, FIG_NA if unknown */
	size_t		 want;		/* place in the plan's fresh list, or
					   READ_PLAN_NONE */
	bool		 want_now;	/* among the plan's nnow */
	unsigned long long start;	/* the process's start time (ticks):
					   never-read ones go oldest first */
	enum pss_class	 cls;		/* out: set by pss_sched_order */
};

struct pss_sched_opts {
	bool		 all;		/* the first refresh: read everything */
	double		 max_age;	/* seconds */
	double		 budget_ms;	/* wall time per refresh */
	bool		 plan_only;	/* only the plan's nnow (PSS_NOW);
					   ignored with all */
	size_t		 max_never;	/* PSS_NEVER ones due per refresh;
					   0: no limit; ignored with all */
};

#define PSS_SCHED_NEVER_MIN	8

/*
 * How many never-read processes a refresh reads when nprocs are on the
 * node: an eighth of them, at least PSS_SCHED_NEVER_MIN. A first reading
 * (rollup and maps, two opens) costs about what the cheap tier costs for
 * eight processes (with the same cap on new cgroups, a 40-pod arrival's
 * refresh went from 2-3x a steady refresh's CPU to 1.5-2x).
 */
size_t	pss_sched_max_never(size_t nprocs);

/*
 * Classifies every candidate and moves the due ones to the front of c, in
 * reading order; returns how many are due. The rest follow, unordered.
 */
size_t	pss_sched_order(struct pss_cand *c, size_t n,
	    const struct pss_sched_opts *);

/*
 * Whether to start reading the chunk at due[off] (off a multiple of
 * PSS_SCHED_CHUNK, below the count pss_sched_order returned) when spent_ms
 * of wall time went to the chunks before it.
 */
bool	pss_sched_more(const struct pss_cand *due, size_t off, double spent_ms,
	    const struct pss_sched_opts *);

/*
 * How much older than it is a process's first reading counts, in
 * [0, max_age / 4): spread by pid, the same for a pid every time.
 */
double	pss_sched_stagger(int pid, double max_age);

/*
 * When a reading of pid taken at mono counts as taken, for due_age: mono,
 * less pss_sched_stagger if it is the process's first reading.
 */
double	pss_sched_taken(double mono, bool first, int pid, double max_age);

/*
 * Whether the cheap figures (FIG_TIER_CHEAP; arrays of FIG__COUNT) moved
 * from then to now by more than jitter: 1 MiB or 1 %, whichever is more, or
 * became known or unknown. A busy process whose RSS wobbles by a few pages
 * is re-read when its reading is max_age old, not every refresh.
 */
bool	pss_sched_moved(const uint64_t *then, const uint64_t *now);

#endif
