#ifndef MEMTOP_MODEL_RESTART_H
#define MEMTOP_MODEL_RESTART_H

#include "model/history.h"
#include "model/tree.h"

/*
 * Restarts seen by a running memtop (the store shows the ones before it
 * started: src/store/seed.c). The kubelet restarts a container as a new
 * container ID with the same name in the same pod, and replaces a pod
 * (a StatefulSet's) as a new UID with the same namespace and name. The
 * watch remembers, by names, the instance last seen of every named pod and
 * container; when another instance of the same names is there and the one
 * remembered is not (a container whose processes all exited counts as
 * gone), that is a restart: history_restart records it on the new
 * instance and, for a container, on its pod. Instances without names
 * cannot be matched (as in the store). Names not seen for RESTART_KEEP
 * seconds are forgotten (longer than the kubelet's longest back-off).
 */
#define RESTART_KEEP	900.0

struct restart_watch;

struct restart_watch	*restart_create(void);
void			 restart_free(struct restart_watch *);

/*
 * After history_update (every node's hist set) of the refresh at epoch
 * now: notes the pods and containers of t, records the restarts.
 */
void			 restart_update(struct restart_watch *,
			    struct history *, struct tree *t, double now);

#endif
