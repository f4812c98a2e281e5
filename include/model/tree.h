#ifndef MEMTOP_MODEL_TREE_H
#define MEMTOP_MODEL_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/sample.h"
#include "model/history.h"

/*
 * The node as a tree: group (a pod, or a non-Kubernetes unit) -> container ->
 * process, built from one snapshot (plus the ghosts of processes that just
 * exited). Pointers into the snapshot are borrowed and live until the next
 * tick.
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

/* What every level of the tree carries for the views. */
struct tree_stats {
	struct hist_ent	*hist;		/* NULL before history_update */
	int64_t		 growth;	/* anon now - min since first seen */
	int64_t		 growth_win;	/* anon now - min over the window */
	uint64_t	 charge;	/* cgroup current, FIG_NA if unknown */
	uint64_t	 limit;		/* FIG_NA if none or unknown */
};

struct tree_proc {
	const struct snap_proc	*sp;
	bool			 gone;	/* exited: shown dimmed for a while */
	struct tree_stats	 st;
};

struct tree_ctr {
	char			 id[K8S_ID_MAX];	/* "" if none */
	const char		*name;		/* NULL if unknown */
	const char		*pod;		/* its pod's name */
	bool			 sandbox;	/* the pause/infra container */
	enum cg_runtime		 runtime;
	char			*cgroup;	/* path; NULL if unknown */
	const struct cg_mem	*mem;		/* NULL if not read */
	struct tree_proc	*procs;
	size_t			 nprocs;
	struct fig_sum		 sum;
	struct tree_stats	 st;
	char			*key;		/* history key */
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
	struct tree_stats	 st;
};

struct tree {
	struct tree_group	*groups;
	size_t			 ngroups;
};

struct tree_opts {
	enum tree_group_by	 group_by;
	bool			 kthreads;	/* include kernel threads */
};

/* Builds the tree of snapshot sn and the ghosts (unsorted). */
void	tree_build(struct tree *, const struct snapshot *sn,
	    const struct tree_opts *, const struct hist_ghost *ghosts,
	    size_t nghosts);
void	tree_done(struct tree *);

void	fig_sum_add(struct fig_sum *, const uint64_t *fig);

/* Sort keys: a figure, anon growth, windowed growth, charge, or name. */
enum sort_kind {
	SORT_FIG,
	SORT_GROWTH,
	SORT_GROWTH_WIN,
	SORT_CHARGE,
	SORT_NAME
};

struct sort_key {
	enum sort_kind	kind;
	int		fig;		/* SORT_FIG */
};

/* Parses "rss", "pss_anon", "anon-growth", ...; -1 if unknown. */
int		 sort_key_parse(const char *, struct sort_key *);
const char	*sort_key_name(const struct sort_key *);
/* All the names sort_key_parse takes, in the order '<' '>' cycle them. */
extern const char *const sort_key_names[];
extern const size_t sort_key_count;

/* Sorts groups (pods first), containers and processes, descending. */
void		 tree_sort(struct tree *, const struct sort_key *);

/* The figure a node shows for key k (for sparklines and columns). */
int64_t		 tree_stat_value(const struct tree_stats *, const struct fig_sum *,
		    const uint64_t *fig, const struct sort_key *k);

#endif
