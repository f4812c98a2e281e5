/*
 * Lookups in a snapshot (struct snapshot, collect/sample.h): its cgroups by
 * hierarchy and path, its processes by identity, its smaps.
 */
#include "config.h"

#include <string.h>

#include "collect/sample.h"
#include "collect/snapshot.h"

static int
key_cmp(enum cg_hier h1, const char *p1, size_t l1, enum cg_hier h2,
    const char *p2)
{
	size_t	l2 = strlen(p2);
	int	c;

	if (h1 != h2)
		return (int)h1 - (int)h2;
	c = memcmp(p1, p2, l1 < l2 ? l1 : l2);
	if (c != 0)
		return c;
	return (l1 > l2) - (l1 < l2);
}

int
snapshot_cg_cmp(const void *a, const void *b)
{
	const struct snap_cgroup	*x = a, *y = b;

	return key_cmp(x->hier, x->path, strlen(x->path), y->hier, y->path);
}

const struct cg_mem *
snapshot_cgroup(const struct snapshot *sn, enum cg_hier hier, const char *path,
    size_t len)
{
	size_t	lo = 0, hi = sn->ncgroups;

	while (lo < hi) {
		size_t	mid = (lo + hi) / 2;
		int	c = key_cmp(hier, path, len, sn->cgroups[mid].hier,
		    sn->cgroups[mid].path);

		if (c == 0)
			return &sn->cgroups[mid].mem;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The snapshot's process (pid, start), or NULL. procs are sorted by pid. */
const struct snap_proc *
snapshot_proc(const struct snapshot *sn, const struct proc_ref *id)
{
	size_t	lo = 0, hi = sn->nprocs;

	while (lo < hi) {
		size_t	mid = (lo + hi) / 2;

		if (sn->procs[mid].pid == id->pid)
			return sn->procs[mid].start == id->start ?
			    &sn->procs[mid] : NULL;
		if (sn->procs[mid].pid < id->pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct snap_smaps *
snapshot_smaps(const struct snapshot *sn, int pid, unsigned long long start)
{
	size_t	i;

	for (i = 0; i < sn->nsmaps; i++) {
		if (sn->smaps[i].pid == pid && sn->smaps[i].start == start)
			return &sn->smaps[i];
	}
	return NULL;
}
