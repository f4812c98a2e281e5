#ifndef MEMTOP_MODEL_ENTITY_H
#define MEMTOP_MODEL_ENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "collect/cgroup.h"

/*
 * What memtop shows a row for, and who it is. Every consumer (the history,
 * the views, the GC, the outputs, the history store) names an entity by the
 * identity string made here, never by a string of its own. An identity is
 * stable across refreshes and across memtop runs on the same boot:
 *
 *   pod        "pod:<pod uid>"
 *   container  "ctr:<container id>"
 *   namespace  "ns:<namespace>"
 *   unit, container outside Kubernetes without an id, other cgroup
 *              "cg:v1:<path>" or "cg:v2:<path>"
 *   process    "proc:<boot id>:<pid>:<start time in clock ticks>"
 *   the processes of a group outside any container
 *              "<group identity>/-"
 */

enum ent_kind {
	ENT_POD,
	ENT_CONTAINER,		/* in a pod, or outside Kubernetes */
	ENT_NAMESPACE,
	ENT_SERVICE,		/* systemd units */
	ENT_SCOPE,
	ENT_SLICE,
	ENT_OTHER,		/* any other cgroup */
	ENT_PROCESS,
	ENT__COUNT
};

/* "pod", "container", "namespace", "service", "scope", "slice", "other",
   "process": the JSON "kind" and the batch KIND column. */
const char	*ent_kind_name(enum ent_kind);

/* The kind of a group of processes that share a cgroup of this kind. */
enum ent_kind	 ent_kind_of_cgroup(enum cg_kind);

/* Whether the kind is a Kubernetes one (pods and namespaces list first). */
bool		 ent_kind_is_k8s(enum ent_kind);

/* Longest process identity, with its NUL. */
#define ENT_PROC_ID_MAX	96

/*
 * Identities. The _dup functions return a string the caller frees; the
 * process one writes into buf (ENT_PROC_ID_MAX bytes are always enough) and
 * returns it. boot_id may be "" (then the identity holds for this boot only,
 * which is all a pid + start time can say).
 */
char		*ent_id_pod_dup(const char *pod_uid);
char		*ent_id_container_dup(const char *ctr_id);
char		*ent_id_namespace_dup(const char *ns);
char		*ent_id_cgroup_dup(enum cg_hier, const char *path, size_t len);
char		*ent_id_loose_dup(const char *group_id);
const char	*ent_id_process(char *buf, size_t len, const char *boot_id,
		    int pid, unsigned long long start);

/*
 * The kind an identity string names (from its prefix), or -1. A "/-" one
 * (processes outside any container) is ENT_CONTAINER; any "cg:" one is
 * ENT_OTHER (the identity does not say which kind of unit).
 */
int		 ent_id_kind(const char *id);

/* A process identity's pid and start time; 0 or -1 if not a process id. */
int		 ent_id_process_parse(const char *id, int *pid,
		    unsigned long long *start);

#endif
