#ifndef MEMTOP_STORE_SEED_H
#define MEMTOP_STORE_SEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/history.h"
#include "store/store.h"

/* What seed_history found. */
struct seed_info {
	double		since;		/* oldest recorded moment; -1: none */
	size_t		entities;	/* entities given a past */
	size_t		rows;		/* samples read */
};

/*
 * Gives the history (before its first refresh) the past the store holds of
 * every entity alive at now (the store's rows up to now, so now may be a
 * past moment: --at), written by the run covering now: growth baselines
 * since the entity's first sample and over the window before now (epoch
 * seconds), and the rings filled with up to cap samples of the last 24
 * hours (one per delay seconds, or coarser so that they fit; a moment no
 * recorder covered is a gap). Processes of another boot are skipped;
 * with live (now is now), so are processes not alive now (their pid with
 * that start time), which a store whose recorder stopped holds as not
 * gone. 0, or -1 with why.
 */
int	seed_history(struct store *, struct history *, const char *boot_id,
	    bool live, double now, double delay, double window, uint32_t cap,
	    struct seed_info *, char *why, size_t len);

/*
 * What the dashboard and -b do at start: if there is a store at path, seed
 * h from it (as seed_history, as of now) and write into note where the
 * history starts ("history since 18:02 from PATH"). 1: seeded; 0: no store
 * or nothing in it (note: "no history before HH:MM: start `memtop record`,
 * see README"); -1: the store cannot be read (note says why).
 */
int	seed_load(const char *path, struct history *h, double now,
	    double delay, double window, uint32_t cap, char *note,
	    size_t len);

#endif
