#ifndef MEMTOP_COLLECT_K8S_NAMES_H
#define MEMTOP_COLLECT_K8S_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Pure classification of a cgroup path into Kubernetes pod, container,
 * systemd unit or other, following the rules R1-R13 of
 * tests/fixtures/k8s-cgroups/README.md. No file is read here.
 */

enum cg_kind {
	CG_KIND_OTHER,
	CG_KIND_POD,		/* a Kubernetes pod (pod uid known) */
	CG_KIND_CONTAINER,	/* a container outside Kubernetes */
	CG_KIND_SERVICE,
	CG_KIND_SCOPE,
	CG_KIND_SLICE,
	CG_KIND__COUNT
};

enum cg_qos {
	CG_QOS_NONE,
	CG_QOS_GUARANTEED,
	CG_QOS_BURSTABLE,
	CG_QOS_BESTEFFORT
};

enum cg_runtime {
	CG_RT_NONE,
	CG_RT_UNKNOWN,		/* a bare id: containerd or docker (cgroupfs) */
	CG_RT_CONTAINERD,
	CG_RT_CRIO,
	CG_RT_DOCKER,
	CG_RT_PODMAN,
	CG_RT_RUNC,
	CG_RT__COUNT
};

#define K8S_ID_MAX	80

struct cg_class {
	enum cg_kind	kind;
	enum cg_qos	qos;
	enum cg_runtime	runtime;
	char		pod_uid[K8S_ID_MAX];	/* canonical, "" if none */
	char		ctr_id[K8S_ID_MAX];	/* "" if none */
	char		conmon_of[K8S_ID_MAX];	/* container a conmon watches */
	size_t		pod_end;	/* path[0..pod_end) is the pod cgroup */
	size_t		ctr_end;	/* path[0..ctr_end) is the container's */
	size_t		unit_end;	/* path[0..unit_end) is the unit/group */
};

/*
 * Classifies a normalised cgroup path (starting with '/', no "/.." prefix;
 * see k8s_normalize). Always fills *out.
 */
void		 k8s_classify(const char *path, struct cg_class *out);

/*
 * Normalises a cgroup path in place: strips the leading "/.." segments of a
 * private cgroup namespace and a trailing '/'. Returns path.
 */
char		*k8s_normalize(char *path);

const char	*k8s_kind_name(enum cg_kind);
const char	*k8s_qos_name(enum cg_qos);	/* NULL for none */
const char	*k8s_runtime_name(enum cg_runtime); /* NULL for none */

/* Whether s[0..n) is exactly 64 lowercase hex digits. */
bool		 k8s_is_hex64(const char *s, size_t n);

#endif
