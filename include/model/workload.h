#ifndef MEMTOP_MODEL_WORKLOAD_H
#define MEMTOP_MODEL_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "collect/runtime.h"

/*
 * Which workload a pod belongs to, from its name alone (no API server on a
 * node): the controllers name their pods
 *   Deployment   NAME-<pod-template-hash>-<5>   hash: 6-10 of the alphabet
 *   StatefulSet  NAME-<ordinal>
 *   DaemonSet, Job  NAME-<5>
 *   CronJob      NAME-<scheduled minute since the epoch>-<5>
 *   static pod   NAME-<node name>
 * where <5> is five characters of Kubernetes' random alphabet
 * "bcdfghjklmnpqrstvwxz2456789". Pods of one workload share a namespace,
 * the kind, the stem NAME and their container names; the last two checks
 * are the caller's.
 */
enum wl_kind {
	WL_NONE,		/* no pattern matched: a pod of its own */
	WL_DEPLOYMENT,
	WL_STATEFULSET,
	WL_DAEMONSET_JOB,	/* the names cannot tell these apart */
	WL_CRONJOB,
	WL_STATIC,
	WL_DAEMONSET,		/* the pod's labels told them apart */
	WL_JOB
};

struct wl_name {
	enum wl_kind	kind;
	size_t		stem_len;	/* NAME is pod[0..stem_len) */
	long		ordinal;	/* StatefulSet; else -1 */
	bool		by_labels;	/* the owner hint decided, not the name */
};

/* Parses a pod name; node is this node's name (for static pods) or NULL. */
void		 workload_parse(const char *pod, const char *node,
		    struct wl_name *out);

/*
 * The same, where the runtime's state on the node named the pod's owner
 * (collect/runtime.h: the pod's labels): the owner decides the kind, and
 * the hint (a Deployment's pod-template-hash, a Job's name) the stem,
 * exactly; the name rules stay the fallback when the name does not fit
 * what the labels say. owner RT_OWNER_NONE is workload_parse.
 */
void		 workload_parse_owner(const char *pod, const char *node,
		    enum rt_owner owner, const char *hint, struct wl_name *out);

/* "deployment", "statefulset", "daemonset/job", "cronjob", "static", "" */
const char	*workload_kind_name(enum wl_kind);

/*
 * A regex (RE2, as PromQL's =~ anchors it) matching the names of the pods
 * of workload kind with stem[0..stem_len): NAME-<ordinal> and so on, as
 * above. Its length, or 0 for a kind without one (none, static) or if it
 * does not fit. A match still needs workload_parse's kind and stem.
 */
size_t		 workload_regex(enum wl_kind, const char *stem,
		    size_t stem_len, char *buf, size_t len);

/* Whether s[0..n) are all of Kubernetes' random-string alphabet. */
bool		 workload_is_rand(const char *s, size_t n);

#endif
