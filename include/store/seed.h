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

/* Which of the history's figures to read (bit k: HF figure k). */
#define SEED_FIG(k)		(1u << (k))
#define SEED_FIGS_ALL		((1u << HF__COUNT) - 1)
/*
 * What a start needs on its first screen (and all -b and --json print):
 * RssAnon (growth, and the default sparklines), RSS, the charge and the
 * working set (their sorts' sparklines, JSON's working_set_history). The
 * rest, for the detail view, can follow with more (seed_load_more).
 */
#define SEED_FIGS_START		(SEED_FIG(FIG_RSS) | SEED_FIG(FIG_RSS_ANON) | \
				    SEED_FIG(HF_CHARGE) | SEED_FIG(HF_WSET))

struct seed_req {
	const char	*boot_id;	/* processes of another boot skipped */
	bool		 live;		/* now is now: skip dead processes */
	double		 now;		/* epoch seconds */
	double		 delay;		/* a slot's least width, seconds */
	double		 window;	/* seconds of the windowed growth */
	uint32_t	 cap;		/* slots */
	uint32_t	 figs;		/* SEED_FIG bits; 0: all */
	bool		 more;		/* the rest of an earlier seed with
					   the same now, delay and cap: only
					   figs, after the live samples
					   pushed since (history_seed_more) */
};

/*
 * Gives the history (before its first refresh) the past the store holds of
 * every entity alive at q->now (the store's rows up to then, so it may be a
 * past moment: --at), written by the run covering it: growth baselines
 * since the entity's first sample and over the window before now, and the
 * rings filled with up to cap samples of the last 24 hours (one per delay
 * seconds, or coarser so that they fit; a moment no recorder covered is a
 * gap), for the figures q->figs. Processes of another boot are skipped;
 * with live, so are processes not alive now (their pid with that start
 * time), which a store whose recorder stopped holds as not gone. 0, or -1
 * with why.
 */
int	seed_history(struct store *, struct history *,
	    const struct seed_req *q, struct seed_info *, char *why,
	    size_t len);

/*
 * What the dashboard and -b do at start: if there is a store at path, seed
 * h from it (as seed_history, live, this boot's processes) and write into
 * note where the history starts ("history since 18:02 from PATH"). 1:
 * seeded; 0: no store or nothing in it (note: "no history before HH:MM:
 * start `memtop record`, see README"); -1: the store cannot be read (note
 * says why). With q->more, the rest of a seed (note untouched unless -1).
 */
int	seed_load(const char *path, struct history *h,
	    const struct seed_req *q, char *note, size_t len);

#endif
