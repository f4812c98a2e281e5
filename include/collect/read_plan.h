#ifndef MEMTOP_COLLECT_READ_PLAN_H
#define MEMTOP_COLLECT_READ_PLAN_H

#include <stddef.h>
#include <stdint.h>

/*
 * A process as the sampler tells them apart: a pid is reused, the pair of
 * pid and start time is not. A plan entry whose start differs from the
 * running process's is not the process wanted.
 */
struct proc_ref {
	int			 pid;
	unsigned long long	 start;		/* clock ticks since boot */
};

/*
 * What the caller wants read, handed to the refresh driver each refresh.
 * Collect reads what it says and never knows why. Arrays are borrowed for
 * the call.
 */
struct read_plan {
	const struct proc_ref	*fresh;		/* smaps_rollup (PSS) wanted
						   fresh, in priority order */
	size_t			 nfresh;
	size_t			 nnow;		/* the first nnow of fresh: read
						   every refresh, beyond the
						   budget */
	const struct proc_ref	*smaps;		/* full smaps (every mapping
						   with its RSS) wanted */
	size_t			 nsmaps;
};

#define READ_PLAN_NONE	SIZE_MAX

/* Where (pid, start) is in plan->fresh, or READ_PLAN_NONE (plan may be NULL). */
size_t	read_plan_fresh(const struct read_plan *, int pid,
	    unsigned long long start);

#endif
