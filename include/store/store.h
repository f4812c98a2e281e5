#ifndef MEMTOP_STORE_STORE_H
#define MEMTOP_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/sample.h"
#include "model/tree.h"

/*
 * The node-local history store: an SQLite file (WAL mode, so one recorder
 * writes while any number of dashboards read) holding, per entity identity
 * (model/entity.h), the figures the dashboard shows. Written change-driven:
 * an entity's sample is written when a figure moved by more than a small
 * threshold, else every heartbeat. The schema is in docs/store.md.
 */

#define STORE_DEFAULT_PATH	"/var/lib/memtop/history.db"
#define STORE_SCHEMA_VERSION	1

struct store_opts {
	const char	*path;
	bool		 reset;		/* replace what is there (--store-reset) */
	double		 interval;	/* seconds between refreshes */
	double		 heartbeat;	/* write an unchanged entity this often */
	double		 full_res;	/* keep every sample this long (s) */
	double		 keep;		/* keep 1-minute min/max this long (s) */
	uint64_t	 max_bytes;	/* size cap; oldest samples go first */
};

/* Defaults: heartbeat 600 s, full resolution 6 h, 7 days, 256 MiB. */
void		 store_opts_default(struct store_opts *, const char *path);

struct store;

/*
 * Opens (creating it and its directory if needed) for writing and takes the
 * writer's lock (PATH.lock holds the writer's pid). NULL with the reason in
 * why: another recorder holds it (its pid), not a memtop store, a newer
 * schema, cannot create. A file that is not a store is never overwritten
 * unless o->reset.
 */
struct store	*store_open_writer(const struct store_opts *, char *why,
		    size_t len);

/*
 * Opens read-only. NULL with why "" if there is no file at path (no
 * history, not an error), else with the reason.
 */
struct store	*store_open_reader(const char *path, char *why, size_t len);

void		 store_close(struct store *);
const char	*store_path(const struct store *);

/*
 * Records one refresh: one transaction, a sample for every entity whose
 * figures moved (or whose heartbeat is due), and marks entities that went.
 * The tree must be built from sn. On a write error (disk full, read-only,
 * I/O) it says so once on stderr, writes nothing, and tries again at the
 * next refresh (saying when it works again). 0 if written, -1 if not.
 */
int		 store_record(struct store *, const struct snapshot *sn,
		    const struct tree *);

/*
 * Thinning and the size cap, as of now (epoch seconds): samples older than
 * full_res become one row per entity and minute (with RssAnon min/max),
 * rows older than keep go, then the oldest until the file is under
 * max_bytes. store_record calls it every few minutes of recorded time.
 * 0 or -1 (said on stderr like store_record).
 */
int		 store_maintain(struct store *, double now);

/* Epoch seconds of the oldest recorded moment, or -1 if none. */
double		 store_first_time(struct store *);

/* What this writer did: refreshes recorded, sample rows written, CPU
   seconds spent in store_record (the first refresh's apart). */
struct store_stats {
	unsigned long	refreshes;
	unsigned long	rows;
	double		cpu;
	double		cpu_first;
};
void		 store_get_stats(const struct store *, struct store_stats *);

/* Rows in the sample table (for tests and the benchmark); -1 on error. */
long long	 store_count_samples(struct store *);

/* For the reading side (src/store/seed.c): the database handle. */
struct sqlite3	*store_db(struct store *);

#endif
