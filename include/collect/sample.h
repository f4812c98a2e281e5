#ifndef MEMTOP_COLLECT_SAMPLE_H
#define MEMTOP_COLLECT_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/cgroup.h"
#include "collect/figure.h"
#include "collect/maps.h"
#include "collect/read_plan.h"
#include "collect/runtime.h"

/*
 * What the maps hook counted for each of the caller's rules (index = rule
 * number), whether the rule fired or not: e.g. how many 256 KiB mappings a
 * Node process has even below the threshold that makes it a finding.
 */
#define MAPS_TALLY_RULES	4
struct maps_tally {
	uint64_t	count[MAPS_TALLY_RULES];
	uint64_t	bytes[MAPS_TALLY_RULES];
};

/*
 * One refresh of the whole machine, immutable once taken. Strings and
 * placements are borrowed from the sampler and live until the next
 * sampler_tick.
 */
struct snap_proc {
	int			 pid;
	int			 ppid;
	unsigned long long	 start;		/* clock ticks since boot */
	unsigned		 uid;
	char			 state;
	bool			 kthread;
	bool			 is_new;	/* first seen this tick */
	char			 comm[64];
	const char		*cmdline;	/* NULL if unreadable */
	const struct cg_place	*place;		/* NULL if unreadable */
	const struct rt_names	*ctr_names;	/* NULL if not a container */
	const struct rt_names	*pod_names;	/* NULL if not in a pod */
	uint64_t		 fig[FIG__COUNT];	/* bytes or FIG_NA */
	double			 rollup_age;	/* seconds; < 0: never read */
	int64_t			 nmaps;		/* mappings; -1 unknown */
	int64_t			 nanon;		/* anonymous ones; -1 unknown */
	unsigned		 marks;		/* what the maps hook said */
	struct maps_tally	 tally;		/* and counted (if nmaps >= 0) */
	const struct proc_env	*env;		/* NULL: not read (no rule
						   fired); !env->read:
						   unreadable */
};

/* A process whose full smaps the read plan asked for, with its mappings. */
struct snap_smaps {
	int			 pid;
	unsigned long long	 start;
	const struct maps	*maps;		/* NULL: not read (yet), or no
						   such process (pid + start) */
	double			 age;		/* seconds since read */
	double			 cost_ms;	/* what the read took */
};

struct snap_cgroup {
	enum cg_hier	 hier;
	char		*path;
	struct cg_mem	 mem;
};

struct snapshot {
	char			 boot_id[40];	/* "" if unreadable */
	char			 node_name[256]; /* host's hostname; "" unknown */
	double			 time;		/* epoch seconds */
	double			 mono;		/* monotonic seconds */
	struct snap_proc	*procs;
	size_t			 nprocs;
	struct snap_cgroup	*cgroups;	/* sorted by (hier, path) */
	size_t			 ncgroups;
	uint64_t		 mem_total;	/* bytes, FIG_NA if unknown */
	uint64_t		 mem_available;
	size_t			 rollup_read;	/* smaps_rollup reads this tick */
	size_t			 rollup_wanted;	/* and how many were due */
	size_t			 rollup_unknown; /* processes with no PSS */
	size_t			 rollup_unread;	/* of them, never tried: left
						   by the policy (plan_only,
						   cap_new) or the budget for
						   a later tick */
	size_t			 cg_unread;	/* new cgroups with only their
						   usage read (cap_new) */
	double			 rollup_ms;	/* wall time spent on them */
	struct snap_smaps	*smaps;		/* the plan's smaps, its order */
	size_t			 nsmaps;
};

/*
 * How the next tick reads (the refresh driver's policy; which processes a
 * caller wants comes in a struct read_plan).
 */
struct tick_policy {
	bool		 rollup_all;	/* every smaps_rollup (first refresh) */
	double		 max_age;	/* re-read PSS older than this (s); and
					   a cgroup's memory.stat, limit and
					   events (collect/cgfiles.h) */
	double		 budget_ms;	/* wall-time budget for rollups */
	bool		 read_maps;	/* maps too, with each rollup read */
	bool		 plan_only;	/* only the plan's nnow (the
					   dashboard's first screen) */
	bool		 cap_new;	/* at most pss_sched_max_never never
					   read ones: processes that arrived
					   since the first refresh (or the
					   dashboard's catch-up) */
};

struct sampler;

/*
 * Called for every process whose maps are read this tick, as they are read
 * (in chunks, never the whole list in memory): begin, then each mapping
 * with its name valid for the call only, then end, which returns marks
 * (bits the caller defines, e.g. which rules fired) and fills a tally, both
 * kept with the process until its maps are read again. run is the
 * sampler's run_size bytes for the hook's state. This is how the analyse
 * layer sees mappings without collect knowing it.
 */
struct maps_hook {
	size_t		 run_size;
	/* the process's comm and cmdline (NULL if unknown) */
	void		 (*begin)(void *run, void *ctx, const char *comm,
			    const char *cmdline);
	void		 (*mapping)(void *run, const struct mapping *);
	unsigned	 (*end)(void *run, struct maps_tally *);
};
void		 sampler_set_maps_hook(struct sampler *,
		    const struct maps_hook *, void *ctx);

/*
 * proc_root is where memtop reads /proc/PID/cgroup and environ itself
 * ("/proc"); host_root is where runtime state and kubelet logs are looked up
 * ("/", or "/host" in a debug pod).
 */
struct sampler	*sampler_create(const struct cg_roots *, const char *proc_root,
		    const char *host_root, const char **cause);
void		 sampler_free(struct sampler *);
/*
 * sampler_free for a process about to exit: the files kept open between
 * refreshes are left to the exit, which closes them without a system call
 * each (fdcache_leave_open); the memory is freed (leak checkers see none).
 */
void		 sampler_free_at_exit(struct sampler *);
/*
 * Why the node's memory is unknown for the whole run (libproc2 could not
 * be opened or read /proc/meminfo), or NULL: -b and the exporter say it on
 * stderr, the dashboard in its status line (log_warn).
 */
const char	*sampler_node_why(const struct sampler *);

/*
 * Takes one snapshot into *out (borrowed until the next tick), reading what
 * the policy and the plan (NULL: none) say. 0 or -1.
 */
int		 sampler_tick(struct sampler *, const struct tick_policy *,
		    const struct read_plan *, const struct snapshot **out,
		    const char **cause);

/*
 * Right after sampler_tick, before anything else uses the sampler: reads
 * what plan wants now that the tick left (a plan chosen from the tick's
 * own snapshot: the dashboard's first screen) and completes that snapshot
 * in place (rollup figures, maps, their counts). 0, or -1 if no tick was
 * taken.
 */
int		 sampler_tick_more(struct sampler *, const struct tick_policy *,
		    const struct read_plan *);

/* The smaps the plan asked for of process (pid, start), or NULL. */
const struct snap_smaps *snapshot_smaps(const struct snapshot *, int pid,
		    unsigned long long start);

/* Finds a cgroup's accounting in a snapshot by its path prefix. */
const struct cg_mem *snapshot_cgroup(const struct snapshot *, enum cg_hier,
		    const char *path, size_t len);

#endif
