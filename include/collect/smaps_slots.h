#ifndef MEMTOP_COLLECT_SMAPS_SLOTS_H
#define MEMTOP_COLLECT_SMAPS_SLOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "collect/maps.h"
#include "collect/read_plan.h"
#include "collect/snapshot.h"

/*
 * Full smaps (per-mapping figures: a page-table walk) of the processes a
 * read plan asks for, kept across ticks while asked for and re-read
 * adaptively. The sampler's (collect/sample.c); apart for its size.
 */

/* One process's slot. */
struct smaps_slot {
	struct proc_ref		 id;
	struct maps		 maps;
	bool			 have;
	double			 mono;		/* when read */
	double			 cost_ms;
};

struct smaps_slots {
	struct smaps_slot	*v;
	size_t			 n;
};

/*
 * Forgets the slots plan no longer asks for, reads the asked ones that are
 * due under proc_root, and lists them in sn->smaps (sn->procs filled: a
 * process not there with the plan's start time is not read). plan NULL:
 * none asked.
 */
void	smaps_slots_tick(struct smaps_slots *, const char *proc_root,
	    const struct read_plan *plan, struct snapshot *sn, double mono);
void	smaps_slots_free(struct smaps_slots *);

#endif
