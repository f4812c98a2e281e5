#ifndef MEMTOP_COLLECT_CGROUP_H
#define MEMTOP_COLLECT_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/k8s_names.h"

/* Where a cgroup path lives: the v1 memory hierarchy or the v2 tree. */
enum cg_hier {
	CG_HIER_NONE,
	CG_HIER_V1,		/* the v1 memory controller */
	CG_HIER_V2		/* the unified hierarchy */
};

/* Mount points of the hierarchies memtop reads charges from. */
struct cg_roots {
	char	v1_memory[4096];	/* "" if none */
	char	v2[4096];		/* "" if none */
	bool	v2_has_memory;		/* memory controller enabled on v2 */
};

/*
 * A process's placement, chosen from its /proc/PID/cgroup lines (R2): the
 * line that classifies best (container > pod > unit), memory controller
 * first on ties, then the v2 line, pids, cpu, then any other.
 */
struct cg_place {
	enum cg_hier	hier;		/* where charges for path are read */
	struct cg_class	cls;
	char		path[1024];	/* normalised; last (cg_place_size) */
};

/*
 * The bytes of a place up to its path's '\0': an interned copy (places.c)
 * is only that long, so places are copied with cg_place_copy, never by
 * assignment.
 */
size_t	cg_place_size(const struct cg_place *);
void	cg_place_copy(struct cg_place *dst, const struct cg_place *src);

/*
 * Parses the text of /proc/PID/cgroup into *out. Returns 0, or -1 if no line
 * could be parsed (empty, truncated, garbage).
 */
int	cgroup_parse_proc(const char *buf, size_t len, struct cg_place *out);

/*
 * The same, for a reader in a private cgroup namespace whose root is ns_base
 * in the v2 tree (collect/cgroupns.h): v2 paths are resolved against it.
 */
int	cgroup_parse_proc_ns(const char *buf, size_t len, const char *ns_base,
	    struct cg_place *out);

/*
 * Finds the cgroup2 mount and the v1 memory controller's mount in the text of
 * /proc/self/mountinfo. Returns 0 if at least one was found, else -1.
 */
int	cgroup_parse_mountinfo(const char *buf, size_t len, struct cg_roots *);

/*
 * Detects the hierarchies under a cgroupfs root directory given by the user:
 * DIR itself as v2 (if it has cgroup.controllers), DIR/memory as v1 and
 * DIR/unified as the hybrid v2 tree. Returns 0 if one was found, else -1.
 */
int	cgroup_roots_probe(const char *dir, struct cg_roots *);

/* The default: /proc/self/mountinfo, else probing /sys/fs/cgroup. */
int	cgroup_roots_default(struct cg_roots *);

/* A cgroup's own memory accounting. FIG_NA-style UINT64_MAX = unknown. */
#define CG_NA		UINT64_MAX
struct cg_mem {
	uint64_t	current;	/* v2 memory.current, v1 usage_in_bytes */
	uint64_t	limit;		/* CG_NA if unknown or unlimited */
	bool		unlimited;	/* memory.max "max" / v1 huge limit */
	uint64_t	anon;		/* v2 anon, v1 total_rss */
	uint64_t	file;		/* v2 file, v1 total_cache */
	uint64_t	inactive_file;	/* v2 inactive_file, v1 total_inactive_file */
	uint64_t	shmem;
	uint64_t	kernel;		/* v2 kernel (or slab + stack) */
	uint64_t	sock;
	uint64_t	oom;		/* v2 events oom */
	uint64_t	oom_kill;	/* v2 events oom_kill, v1 oom_control */
	uint64_t	failcnt;	/* v1 only */
	bool		read;		/* current was read */
};

void	cgroup_mem_init(struct cg_mem *);

/*
 * Parses memory.stat text (v2 keys or v1 total_* keys, whichever are present)
 * into m. Unknown keys and malformed lines are skipped. Returns the number of
 * keys used.
 */
int	cgroup_parse_memstat(const char *buf, size_t len, enum cg_hier,
	    struct cg_mem *m);

/* Parses memory.events (v2) or memory.oom_control (v1). */
int	cgroup_parse_events(const char *buf, size_t len, struct cg_mem *m);

/*
 * Reads the accounting files of cgroup path (normalised, from a cg_place) in
 * the given hierarchy. Missing files leave figures unknown. Returns 0 if
 * current was read, else -errno of that read.
 */
int	cgroup_read_mem(const struct cg_roots *, enum cg_hier, const char *path,
	    struct cg_mem *m);

#endif
