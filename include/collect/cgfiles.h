#ifndef MEMTOP_COLLECT_CGFILES_H
#define MEMTOP_COLLECT_CGFILES_H

#include <stddef.h>

#include "collect/cgroup.h"

/*
 * The memory files of the cgroups a refresh reads, kept open between
 * refreshes (as collect/fdcache.h does for /proc/PID files): a refresh costs
 * a pread per file instead of a path lookup, an open and a close. A removed
 * cgroup's file fails (ENODEV): it is closed and opened again once by path.
 * At most `limit` files stay open; over it a file is read and closed. The
 * files of a cgroup not read in a round (cgfiles_begin .. cgfiles_end) are
 * closed over the next rounds (at least 64 and an eighth of those waiting
 * a round: a burst of pods leaving costs no one refresh), and count against
 * the limit until then.
 *
 * Each round reads every cgroup's usage (memory.current, v1
 * usage_in_bytes). The rest (memory.stat, the limit, failcnt, events or
 * oom_control) is read again only when the usage moved by more than 1 MiB
 * or 1 % since they were, when the usage is within 10 % of the limit (OOM
 * counters move there), or when they are detail_age seconds old (<= 0:
 * every round); otherwise those figures are the last read's.
 *
 * A round reads the rest of at most max_new cgroups it never read in full
 * (0: no limit): a burst of new pods has their 4 more files each read over
 * a few rounds. Until then such a cgroup has its usage and the rest unknown
 * (CG_NA), and cgfiles_deferred says how many.
 */
struct cgfiles;

struct cgfiles	*cgfiles_create(size_t limit);
void		 cgfiles_free(struct cgfiles *);
/* Its files are left open when it is freed: as fdcache_leave_open. */
void		 cgfiles_leave_open(struct cgfiles *);
void		 cgfiles_begin(struct cgfiles *, double detail_age,
		    size_t max_new);
void		 cgfiles_end(struct cgfiles *);

/*
 * cgroup_read_mem through the open files: the same figures, missing files
 * unknown. 0 if current was read, else -errno of that read. A usage that
 * is missing (ENOENT: gone, or no memory controller) or whose cgroup was
 * removed (ENODEV) leaves the other files unread: all unknown.
 */
int		 cgfiles_read_mem(struct cgfiles *, const struct cg_roots *,
		    enum cg_hier, const char *path, struct cg_mem *m);

/* Cgroups of this round whose detail was left for a later one. */
size_t		 cgfiles_deferred(const struct cgfiles *);

/* Files open now, openat calls so far, reads whose detail was kept. */
void		 cgfiles_counts(const struct cgfiles *, size_t *open_fds,
		    size_t *opens, size_t *kept);

#endif
