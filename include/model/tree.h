#ifndef MEMTOP_MODEL_TREE_H
#define MEMTOP_MODEL_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/sample.h"

/*
 * The node as a tree: group (a pod, or a non-Kubernetes unit) -> container ->
 * process, built from one snapshot. Pointers into the snapshot are borrowed
 * and live until the next tick.
 */

enum tree_group_by {
	TREE_BY_POD,
	TREE_BY_CONTAINER,
	TREE_BY_NAMESPACE,
	TREE_BY_CGROUP
};

/* "pod", "container", "namespace", "cgroup"; -1 if unknown. */
int		 tree_group_by_parse(const char *);

/* Sums over processes: known values only, with a count of unknown ones. */
struct fig_sum {
	uint64_t	v[FIG__COUNT];
	unsigned	na[FIG__COUNT];	/* processes whose figure is unknown */
};

struct tree_ctr {
	char			 id[K8S_ID_MAX];	/* "" if none */
	const char		*name;		/* NULL if unknown */
	const char		*pod;		/* its pod's name (namespace view) */
	bool			 sandbox;	/* the pause/infra container */
	enum cg_runtime		 runtime;
	char			*cgroup;	/* path; NULL if unknown */
	const struct cg_mem	*mem;		/* NULL if not read */
	const struct snap_proc	**procs;
	size_t			 nprocs;
	struct fig_sum		 sum;
};

struct tree_group {
	enum cg_kind		 kind;
	const char		*kind_name;	/* JSON "kind" */
	const char		*namespace;	/* NULL if unknown */
	const char		*pod;		/* NULL if unknown */
	enum name_source	 name_source;	/* of pod/namespace */
	char			*key;
	char			*cgroup;	/* path; NULL if unknown */
	enum cg_hier		 hier;
	bool			 in_pod_cgroup;	/* cgroup is the pod's own */
	enum cg_qos		 qos;
	char			 pod_uid[K8S_ID_MAX];
	const struct cg_mem	*mem;
	struct tree_ctr		*ctrs;
	size_t			 nctrs;
	size_t			 nprocs;
	struct fig_sum		 sum;
};

struct tree {
	struct tree_group	*groups;
	size_t			 ngroups;
};

struct tree_opts {
	enum tree_group_by	 group_by;
	int			 sort_fig;	/* enum fig, descending */
	bool			 kthreads;	/* include kernel threads */
};

/* Builds the tree of snapshot sn. */
void	tree_build(struct tree *, const struct snapshot *sn,
	    const struct tree_opts *);
void	tree_done(struct tree *);

void	fig_sum_add(struct fig_sum *, const uint64_t *fig);

#endif
