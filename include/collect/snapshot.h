#ifndef MEMTOP_COLLECT_SNAPSHOT_H
#define MEMTOP_COLLECT_SNAPSHOT_H

#include "collect/read_plan.h"
#include "collect/sample.h"

/*
 * For the sampler, which builds snapshots (the lookups callers use are in
 * collect/sample.h: snapshot_cgroup, snapshot_smaps).
 */

/* qsort order of struct snap_cgroup: hierarchy, then path. */
int	snapshot_cg_cmp(const void *, const void *);

/* The snapshot's process (pid, start), or NULL. procs are sorted by pid. */
const struct snap_proc *snapshot_proc(const struct snapshot *,
	    const struct proc_ref *);

#endif
