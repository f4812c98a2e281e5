#ifndef MEMTOP_COLLECT_NAMES_H
#define MEMTOP_COLLECT_NAMES_H

#include "collect/k8s_names.h"
#include "collect/runtime.h"

/*
 * Human names of containers and pods from local files only: runtime state
 * under --host-root (containerd, CRI-O, docker, podman), kubelet's log
 * directories, and as a last resort a process's HOSTNAME. Read once per new
 * container id and cached; an id that is not found is retried now and then.
 *
 * Entries are owned by the cache; they stay valid while names_touch is called
 * for them every tick (names_sweep frees the others).
 */

struct names;

struct names	*names_create(const char *host_root, const char *proc_root);
void		 names_free(struct names *);

/* Looks a container up (cached). Never NULL; source NONE if unknown. */
const struct rt_names *names_container(struct names *, const char *id,
		    enum cg_runtime);

/*
 * Looks a pod up by uid in the kubelet log directories, else guesses from
 * the HOSTNAME of process pid (source ENVIRON). Never NULL.
 */
const struct rt_names *names_pod(struct names *, const char *uid, int pid);

/* Marks an entry used this tick. */
void		 names_touch(struct names *, const struct rt_names *);
/*
 * Starts a tick at monotonic time mono (seconds): frees the entries not
 * touched since the previous call.
 */
void		 names_sweep(struct names *, double mono);

#endif
