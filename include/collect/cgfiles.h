#ifndef MEMTOP_COLLECT_CGFILES_H
#define MEMTOP_COLLECT_CGFILES_H

#include <stddef.h>

#include "collect/cgroup.h"

/*
 * The memory files of the cgroups a refresh reads, kept open between
 * refreshes (as collect/fdcache.h does for /proc/PID files): a refresh costs
 * a pread per file instead of a path lookup, an open and a close. A removed
 * cgroup's file fails (ENODEV): it is closed and opened again once by path.
 * At most `limit` files stay open; over it a file is read and closed. A
 * cgroup not read in a round (cgfiles_begin .. cgfiles_end) is closed.
 */
struct cgfiles;

struct cgfiles	*cgfiles_create(size_t limit);
void		 cgfiles_free(struct cgfiles *);
void		 cgfiles_begin(struct cgfiles *);
void		 cgfiles_end(struct cgfiles *);

/*
 * cgroup_read_mem through the open files: the same figures, missing files
 * unknown. 0 if current was read, else -errno of that read.
 */
int		 cgfiles_read_mem(struct cgfiles *, const struct cg_roots *,
		    enum cg_hier, const char *path, struct cg_mem *m);

/* Files open now, and openat calls so far. */
void		 cgfiles_counts(const struct cgfiles *, size_t *open_fds,
		    size_t *opens);

#endif
