#ifndef MEMTOP_MODEL_HISTORY_H
#define MEMTOP_MODEL_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/sample.h"
#include "model/entity.h"
#include "model/ring.h"

struct tree;

/*
 * Every process figure, plus the cgroup charge and the working set (charge
 * minus inactive file, as kubelet counts it) of groups and containers.
 */
#define HF_CHARGE	FIG__COUNT
#define HF_WSET		(FIG__COUNT + 1)
#define HF__COUNT	(FIG__COUNT + 2)

/* How many refreshes an exited process stays (dimmed) before it goes. */
#define HISTORY_GHOST_TICKS	3

/*
 * One entity's history: a process, a container or a group, keyed by its
 * entity identity (model/entity.h). Owned by the history; valid until the
 * next history_begin.
 */
struct hist_ghostd;

struct hist_ent {
	char		*key;		/* the entity identity */
	bool		 is_proc;
	struct ring	 ring[HF__COUNT];
	uint64_t	 first[HF__COUNT];	/* first known value */
	uint64_t	 min[HF__COUNT];	/* smallest since first seen */
	uint64_t	 max[HF__COUNT];
	unsigned long	 seen;		/* last tick it was seen */
	double		 born;		/* monotonic time first seen */
	unsigned long	 born_tick;	/* the refresh it was first seen in
					   (0: seeded before the first) */
	double		 born_real;	/* and that refresh's epoch time */
	/* from history_seed: RssAnon's minimum over the window before
	   memtop started, counted for seed_left more refreshes */
	uint64_t	 seed_win_min;
	uint32_t	 seed_left;
	/* from history_seed (a restart the store holds) or
	   history_restart (one seen live): a pod's own replacement or its
	   containers', restarts < 0: unknown */
	int		 restarts;
	double		 restarted_at;	/* epoch seconds of the latest */
	char		*restart_from, *restart_to;	/* identities */
	unsigned long	 pushes;	/* samples ever pushed */
	long		 restart_push;	/* the restart's sample; -1: none */
	/* epoch seconds of the oldest known RssAnon sample in the ring (live,
	   seeded or filled in); 0 before the first */
	double		 since;
	/* from history_seed: sample i of the store's slots was at epoch
	   seed_t0 + i * seed_step and is push seed_push0 + i (pushes below
	   0 were not kept); seed_n of them, 0: none */
	double		 seed_t0, seed_step;
	long		 seed_push0;
	size_t		 seed_n;
	/* for exited processes: what the tree shows while they fade (NULL
	   where no view shows ghosts: -b, the exporter) */
	struct hist_ghostd	*ghost;
	char			*ghost_gid;	/* its group's identity */
	enum ent_kind		 ghost_gkind;
	char			*ghost_ctr;	/* its container id, or "" */
	struct hist_ent		*next;
};

/* An exited process still shown, with where it was. */
struct hist_ghost {
	const struct snap_proc	*sp;
	const char		*gid;
	enum ent_kind		 gkind;
	const char		*ctr_id;
};

struct history;

/* cap samples per figure; window = samples the windowed growth looks at. */
struct history	*history_create(uint32_t cap, uint32_t window);
/*
 * How many refreshes an exited process stays as a ghost (default
 * HISTORY_GHOST_TICKS; 0 where nothing shows ghosts: -b, the exporter, so
 * a burst's records go at the next refresh).
 */
void		 history_set_ghost_ticks(struct history *, unsigned ticks);
void		 history_free(struct history *);

/*
 * Starts a refresh: processes of sn are alive; the others become ghosts for
 * HISTORY_GHOST_TICKS refreshes, then are freed (with groups and containers
 * not seen for as long). Returns the ghosts (borrowed until the next call).
 */
const struct hist_ghost	*history_begin(struct history *,
			    const struct snapshot *sn, size_t *nghosts);

/*
 * Pushes the tree's figures into the rings and fills every node's hist
 * pointer and anon growth (since start and over the window).
 */
void		 history_update(struct history *, struct tree *);
/*
 * As history_update, but an entity with samples has its newest replaced,
 * not a new one added: the dashboard's catch-up (model/refresh.h) completes
 * its first refresh's sample as the figures are read.
 */
void		 history_amend(struct history *, struct tree *);

/*
 * What a history store knows of one entity from before memtop started:
 * first/min/max of every figure since the entity's first recorded sample
 * (FIG_NA: never known), RssAnon's minimum over the window before now, and
 * samples for the rings: ring codes (model/ring.h; RING_NA is a gap or
 * unknown), HF__COUNT runs of nsamples, one per figure, each oldest first.
 */
struct hist_seed {
	uint64_t	  first[HF__COUNT];
	uint64_t	  min[HF__COUNT];
	uint64_t	  max[HF__COUNT];
	uint64_t	  win_min;
	const uint16_t	 *codes;
	size_t		  nsamples;
	/* how many earlier instances the store holds (a container: of its
	   name in a pod of its namespace/name; a pod: of its namespace/name,
	   or the most any of its containers had), the latest one's moment
	   (epoch seconds), identities before and after it, and the sample
	   it falls in (nsamples if none); restarts -1: cannot tell (a
	   process, or no names to match) */
	int		  restarts;
	double		  restarted_at;
	const char	 *restart_from, *restart_to;
	size_t		  restart_sample;
	double		  t0, step;	/* epoch of samples[0], spacing */
	uint32_t	  figs;		/* the figures it holds (bit k: HF
					   figure k, which must include
					   RssAnon); 0: all */
};

/*
 * Before the first refresh: gives entity ident a past. Its growth is then
 * measured from the seeded minimum, its windowed growth from the seeded
 * window minimum until the window has passed live, and the rings start with
 * the samples (the newest cap of them). An entity already known is left
 * alone.
 */
void		 history_seed(struct history *, const char *ident,
		    const struct hist_seed *);

/*
 * The rest of a seed given with history_seed (figs: the figures it left
 * out; same t0, step and nsamples), once refreshes have pushed live
 * samples: each figure's ring becomes the seeded samples followed by the
 * live ones, and its first, min and max take the seeded ones in. An
 * entity that is gone by now is left out.
 */
void		 history_seed_more(struct history *, const char *ident,
		    const struct hist_seed *);

/* The entity ident, or NULL if the history has none. */
struct hist_ent	*history_find(struct history *, const char *ident);

/*
 * How many samples back from the newest (0 = newest) a seeded restart is
 * in e's rings, or -1 if none is in them.
 */
long		 history_restart_back(const struct hist_ent *e);

/*
 * A restart seen live (model/restart.h): entity e (a container, or the
 * pod it is in) now has instance `to` (a new container or pod, first seen
 * this refresh or shortly before) where identity from was; n restarts in
 * all (e keeps the most it had). The moment is to's first refresh, and e's
 * rings are marked at the sample of that refresh; an earlier restart
 * already held stays if it is the later one.
 */
void		 history_restart(struct history *, struct hist_ent *e,
		    const char *from, const struct hist_ent *to, int n);

/*
 * "restarted at 20:01 (container 0123456789ab -> 0123456789ab)" (arrow
 * between), or "" if e has no restart.
 */
void		 history_restart_text(const struct hist_ent *e,
		    const char *arrow, char *buf, size_t len);
/*
 * Another source's past of one figure of entity ident (Prometheus):
 * samples v[0..n) (FIG_NA: a gap), v[i] at epoch t0 + i * step. Only
 * what the entity's own history lacks goes in: the time before it
 * (history_seed's, or live; its ring's unknown leading samples are dropped
 * and the older samples put before the rest), and the gaps inside what
 * history_seed gave (slots the store had no recorder or no value for after
 * the entity's first RssAnon sample: each takes the sample nearest its
 * moment). The figure's first, min and max take them in, and for RssAnon
 * so does the window's minimum (samples at or after win_from) until the
 * window has passed live. Fill the other figures before RssAnon: its
 * samples before the entity's first move that first (since) back. The
 * entity is made if it is new. Returns how many samples went in.
 */
struct hist_past {
	int		 fig;
	const uint64_t	*v;
	size_t		 n;
	double		 t0, step;
	double		 win_from;
};
size_t		 history_backfill(struct history *, const char *ident,
		    const struct hist_past *);

/* Entity ident's since (struct hist_ent), 0 if none or unknown. */
double		 history_since(const struct history *, const char *ident);

/* Memory held by all rings, in bytes, and how many entities. */
size_t		 history_heap(const struct history *, size_t *nents);
/* Worst case per entity: 2 bytes x cap x HF__COUNT. */
size_t		 history_entity_max(uint32_t cap);

#endif
