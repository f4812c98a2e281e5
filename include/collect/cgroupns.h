#ifndef MEMTOP_COLLECT_CGROUPNS_H
#define MEMTOP_COLLECT_CGROUPNS_H

#include <stddef.h>

/*
 * memtop in a private cgroup namespace (a container that is not privileged,
 * on cgroup v2: a DaemonSet pod) sees other processes' cgroups relative to
 * its own namespace root: "0::/../../kubepods-besteffort-pod<uid>.slice/...".
 * To read their memory files it needs the root's absolute path in the host's
 * v2 tree (mounted e.g. at /host/sys/fs/cgroup).
 */

/*
 * Finds it: how many levels PID 1's path climbs ("/.." segments) is the
 * depth of memtop's namespace root; the directory at that depth (plus memtop's
 * own path below the root) whose cgroup.procs lists memtop is it.
 * Returns 1 with the path in base, 0 if memtop sees absolute paths (no
 * private namespace, or no host PID 1 in sight), -1 with a reason in why.
 */
int	cgroupns_find_base(const char *v2root, const char *proc_root, int pid,
	    char *base, size_t baselen, char *why, size_t whylen);

/*
 * Resolves a path relative to the namespace root against base, in place:
 * "/a/b/c" + "/../../x" = "/a/x". Climbing above "/" stops at "/". Returns
 * 0, or -1 if the result does not fit (path unchanged).
 */
int	cgroupns_resolve(char *path, size_t len, const char *base);

/* The path of the "0::" line of /proc/PID/cgroup text into out; 0 or -1. */
int	cgroupns_v2_path(const char *buf, size_t len, char *out, size_t outlen);

#endif
