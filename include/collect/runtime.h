#ifndef MEMTOP_COLLECT_RUNTIME_H
#define MEMTOP_COLLECT_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Pure parsers of container runtime state and kubelet log names: buffers in,
 * names out. No file is read here (see names.h).
 */

/* Where a name came from, weakest last. */
enum name_source {
	NAME_SRC_NONE,
	NAME_SRC_CONTAINERD,	/* task bundle config.json annotations */
	NAME_SRC_CRIO,		/* userdata/config.json annotations */
	NAME_SRC_DOCKER,	/* config.v2.json Name / labels */
	NAME_SRC_PODMAN,	/* podman's container state */
	NAME_SRC_LOGS,		/* /var/log/pods, /var/log/containers */
	NAME_SRC_ENVIRON,	/* HOSTNAME of a process: a guess */
	NAME_SRC__COUNT
};

/*
 * Name sizes, with their NUL: Kubernetes' own limits (a namespace is a DNS
 * label, 63; a pod name a DNS subdomain, 253); a container name gets a
 * subdomain's room too (Kubernetes allows 63, docker and podman names are
 * longer); a pod's UID (a UUID, or a static pod's 32-hex hash) the room a
 * cgroup path's pod id has (K8S_ID_MAX), which it is compared with. A
 * longer name is cut. Every container and pod has a struct rt_names in the
 * names cache: with four 256-byte names it took 1 100 bytes each.
 */
#define RT_NAME_MAX	254	/* a pod's, a container's */
#define RT_NS_MAX	64
#define RT_UID_MAX	80	/* = K8S_ID_MAX (collect/k8s_names.h) */

/*
 * Who owns the pod, as its labels and annotations say. Only a sandbox's
 * runtime state carries the pod's own labels (docker's podsandbox labels,
 * CRI-O's io.kubernetes.cri-o.Labels; containerd keeps them in its database,
 * not on disk): the controllers set
 *   pod-template-hash                                  Deployment (ReplicaSet)
 *   statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index
 *                                                      StatefulSet
 *   controller-revision-hash + pod-template-generation  DaemonSet
 *   batch.kubernetes.io/job-name, job-name             Job
 * and kubelet annotates a static pod kubernetes.io/config.source "file" or
 * "http" (docker stores annotations as labels "annotation.<key>").
 */
enum rt_owner {
	RT_OWNER_NONE,
	RT_OWNER_DEPLOYMENT,	/* hint: the pod-template-hash */
	RT_OWNER_STATEFULSET,
	RT_OWNER_DAEMONSET,
	RT_OWNER_JOB,		/* hint: the job's name */
	RT_OWNER_STATIC
};

struct rt_names {
	char			namespace[RT_NS_MAX];	/* "" if unknown */
	char			pod[RT_NAME_MAX];
	char			pod_uid[RT_UID_MAX];
	char			container[RT_NAME_MAX];
	bool			sandbox;	/* the pause/infra container */
	enum name_source	source;
	enum rt_owner		owner;
	char			owner_hint[64];	/* "" none */
};

const char	*runtime_source_name(enum name_source);

/*
 * Parses an OCI config.json (containerd's bundle or CRI-O's userdata) and
 * fills names from its annotations. Returns 0, or -1 with *cause (static
 * string) when the buffer is not a JSON object; an object without the
 * annotations gives 0 with empty names.
 */
int	runtime_parse_oci(const char *buf, size_t len, struct rt_names *,
	    const char **cause);

/*
 * Parses docker's config.v2.json: the kubelet labels if present, else the
 * container's own .Name (without the leading '/').
 */
int	runtime_parse_docker(const char *buf, size_t len, struct rt_names *,
	    const char **cause);

/*
 * Parses podman's containers.json (an array of {id, names}) and fills the
 * name of container id. Returns 0 if found, -1 otherwise.
 */
int	runtime_parse_podman(const char *buf, size_t len, const char *id,
	    struct rt_names *, const char **cause);

/* "<namespace>_<pod>_<uid>" (a /var/log/pods entry). 0 or -1. */
int	logs_parse_pod_dir(const char *name, struct rt_names *);

/*
 * "<pod>_<namespace>_<container>-<id>.log" (a /var/log/containers entry).
 * id gets the part after the last '-' (may be a prefix: names are cut at 255
 * bytes). 0 or -1.
 */
int	logs_parse_container_link(const char *name, struct rt_names *,
	    char *id, size_t idlen);

/* The value of HOSTNAME in a NUL-separated environ buffer, or -1. */
/*
 * The only settings memtop reads from a process's environment (which holds
 * secrets: nothing else is kept, shown or stored, and the buffer it was
 * read into is wiped): the malloc arena cap (MALLOC_ARENA_MAX, or
 * glibc.malloc.arena_max in GLIBC_TUNABLES) and --max-old-space-size in
 * NODE_OPTIONS; read once, for processes whose mappings fired a rule. Only
 * digits are kept.
 */
struct proc_env {
	bool	read;			/* environ was readable */
	bool	has_arena_max;
	char	arena_max[16];		/* digits */
	char	old_space[16];		/* MiB from NODE_OPTIONS, "" none */
};

/* Picks struct proc_env's settings out of an environ buffer (sets read). */
void	environ_settings(const char *buf, size_t len, struct proc_env *);

int	environ_hostname(const char *buf, size_t len, char *out, size_t outlen);
/*
 * The value of variable name in an environ buffer (NUL-separated NAME=value
 * entries) into out, cut to outlen; 0, or -1 if it is not there.
 */
int	environ_get(const char *buf, size_t len, const char *name, char *out,
	    size_t outlen);

#endif
