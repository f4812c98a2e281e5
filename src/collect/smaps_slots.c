#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collect/smaps_slots.h"
#include "util/clock.h"
#include "util/xmalloc.h"

/* Reads (again) a slot's smaps if due: every 5 s, or 20x the last read. */
static void
slot_refresh(const char *proc_root, struct smaps_slot *f, double mono)
{
	double	every = f->cost_ms * 20 / 1000, t0;

	if (every < 5)
		every = 5;
	if (f->have && mono - f->mono < every)
		return;
	maps_done(&f->maps);	/* slots start zeroed: safe */
	t0 = clock_mono();
	f->have = maps_read(&f->maps, proc_root, f->id.pid, true) == 0;
	if (!f->have)
		maps_done(&f->maps);	/* what a failed read left */
	f->cost_ms = (clock_mono() - t0) * 1000;
	f->mono = mono;
}

/* The slot kept for process id, or NULL. */
static struct smaps_slot *
slot_find(struct smaps_slots *ss, const struct proc_ref *id)
{
	size_t	i;

	for (i = 0; i < ss->n; i++) {
		if (ss->v[i].id.pid == id->pid &&
		    ss->v[i].id.start == id->start)
			return &ss->v[i];
	}
	return NULL;
}

/*
 * Full smaps of the processes the plan asks for: it walks page tables, so
 * a slot is kept across ticks while asked for and re-read adaptively. A
 * process that is not there with the plan's start time is not read.
 */
void
smaps_slots_tick(struct smaps_slots *ss, const char *proc_root,
    const struct read_plan *plan, struct snapshot *sn, double mono)
{
	size_t			 nwant = plan != NULL ? plan->nsmaps : 0, i, j;
	struct smaps_slot	*f;

	/* forget the slots no longer asked for, make the new ones */
	for (i = 0, j = 0; i < ss->n; i++) {
		struct smaps_slot	*x = &ss->v[i];
		size_t			 k;

		for (k = 0; k < nwant; k++) {
			if (plan->smaps[k].pid == x->id.pid &&
			    plan->smaps[k].start == x->id.start)
				break;
		}
		if (k == nwant) {
			maps_done(&x->maps);
			continue;
		}
		ss->v[j++] = *x;
	}
	ss->n = j;
	for (j = 0; j < nwant; j++) {
		if (slot_find(ss, &plan->smaps[j]) != NULL)
			continue;
		ss->v = xreallocarray(ss->v, ss->n + 1, sizeof *ss->v);
		f = &ss->v[ss->n++];
		memset(f, 0, sizeof *f);
		f->id = plan->smaps[j];
	}
	sn->smaps = xreallocarray(sn->smaps, ss->n + 1, sizeof *sn->smaps);
	sn->nsmaps = 0;
	for (j = 0; j < nwant; j++) {
		struct snap_smaps	*out;

		if (snapshot_smaps(sn, plan->smaps[j].pid,
		    plan->smaps[j].start) != NULL)
			continue;	/* asked twice */
		f = slot_find(ss, &plan->smaps[j]);
		out = &sn->smaps[sn->nsmaps++];
		memset(out, 0, sizeof *out);
		out->pid = f->id.pid;
		out->start = f->id.start;
		if (snapshot_proc(sn, &f->id) == NULL) {
			maps_done(&f->maps);
			f->have = false;
			continue;
		}
		slot_refresh(proc_root, f, mono);
		out->maps = f->have ? &f->maps : NULL;
		out->age = mono - f->mono;
		out->cost_ms = f->cost_ms;
	}
}

void
smaps_slots_free(struct smaps_slots *ss)
{
	size_t	i;

	for (i = 0; i < ss->n; i++)
		maps_done(&ss->v[i].maps);
	free(ss->v);
	ss->v = NULL;
	ss->n = 0;
}
