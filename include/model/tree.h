#ifndef MEMTOP_MODEL_TREE_H
#define MEMTOP_MODEL_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/sample.h"
#include "model/entity.h"
#include "model/history.h"
#include "model/workload.h"

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

/*
 * Sums over processes. Only the model decides what a sum means: a figure no
 * member could be read for is unknown (never 0), and one that some members
 * lack is a lower bound ("partial"). Views ask fig_sum_get.
 */
struct fig_sum {
	uint64_t	v[FIG__COUNT];	/* over the members whose figure is known */
	unsigned	na[FIG__COUNT];	/* members whose figure is unknown */
	unsigned	n;		/* members */
};

enum fig_state {
	FIG_KNOWN,
	FIG_PARTIAL,	/* some members unknown: v is the known part */
	FIG_UNKNOWN	/* v is FIG_NA */
};

struct fig_val {
	uint64_t	v;
	enum fig_state	state;
};

/* Figure k of a sum, or of one process's figures (known or unknown). */
struct fig_val	 fig_sum_get(const struct fig_sum *, int k);
struct fig_val	 fig_proc_get(const uint64_t *fig, int k);
/* The one the row has: the sum if not NULL, else the process's figures. */
struct fig_val	 fig_get(const struct fig_sum *, const uint64_t *fig, int k);

/*
 * A pod (or a container) against its replicas on this node: pods of the
 * same workload (model/workload.h: namespace, kind, name stem, and the same
 * container names), for a container the same-named container of those
 * pods. The figure is anonymous memory (RssAnon). No sibling whose figure
 * is known: no baseline, never an invented one. A pod's baselines for the
 * diagnosis are the same kind of median over its siblings, of its shared
 * memory and of its maps tally (per tally slot, and of anon minus it); a
 * sibling whose figure is unknown is left out of each.
 */
/* Where a replica baseline comes from. */
enum rep_source {
	REP_NODE,		/* the other pods of the workload on this node */
	REP_PROMETHEUS		/* all its other replicas, cluster-wide */
};

struct tree_replicas {
	enum wl_kind	 kind;		/* WL_NONE: not a workload's pod */
	enum rep_source	 source;	/* of median */
	unsigned	 replicas;	/* REP_PROMETHEUS: the others counted */
	uint64_t	 spread_lo;	/* REP_PROMETHEUS: their 25th and 75th */
	uint64_t	 spread_hi;	/* percentiles; FIG_NA if none */
	bool		 by_labels;	/* kind from the pod's labels */
	size_t		 stem_len;	/* of the pod's name */
	unsigned	 bucket;	/* its workload on this node; 0 none */
	unsigned	 siblings;	/* the other pods of its workload here */
	uint64_t	 anon;		/* its own; FIG_NA if unknown */
	uint64_t	 median;	/* the siblings'; FIG_NA if none known
					   (or its own anon is unknown) */
	int64_t		 excess;	/* anon - median (0 without one) */
	bool		 outlier;	/* excess > max(64 MiB, 50 % of median) */
	/* pods only: the siblings' medians the diagnosis compares with */
	uint64_t	 base_shmem;
	uint64_t	 base_tally[MAPS_TALLY_RULES];	/* bytes per rule */
	uint64_t	 base_anon_less[MAPS_TALLY_RULES]; /* anon - those */
};

/* Clearly above its siblings: more than this and 50 % over their median. */
#define REPLICA_OUTLIER_MIN	(64ULL << 20)

/* What every level of the tree carries for the views. */
struct tree_stats {
	struct hist_ent	*hist;		/* NULL before history_update */
	int64_t		 growth;	/* anon now - min since first seen */
	int64_t		 growth_win;	/* anon now - min over the window */
	uint64_t	 charge;	/* cgroup current, FIG_NA if unknown */
	uint64_t	 limit;		/* FIG_NA if none or unknown */
	uint64_t	 wset;		/* working set: charge - inactive file
					   (floored at 0), as kubelet and
					   kubectl top count; FIG_NA unknown */
	struct tree_replicas rep;	/* pods and containers */
};

struct tree_proc {
	const struct snap_proc	*sp;
	char			 ident[ENT_PROC_ID_MAX];
	bool			 gone;	/* exited: shown dimmed for a while */
	struct tree_stats	 st;
};

struct tree_ctr {
	char			*ident;		/* entity identity */
	char			 ctr_id[K8S_ID_MAX];	/* runtime's; "" if none */
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
};

struct tree_group {
	enum ent_kind		 kind;
	char			*ident;		/* entity identity */
	const char		*namespace;	/* NULL if unknown */
	const char		*pod;		/* NULL if unknown */
	enum name_source	 name_source;	/* of pod/namespace */
	enum rt_owner		 owner;		/* from its sandbox's labels */
	const char		*owner_hint;	/* "" none */
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

/*
 * Builds the tree of snapshot sn and the ghosts (unsorted). Every group,
 * container and process gets its entity identity (model/entity.h).
 */
void	tree_build(struct tree *, const struct snapshot *sn,
	    const struct tree_opts *, const struct hist_ghost *ghosts,
	    size_t nghosts);
void	tree_done(struct tree *);

void	fig_sum_add(struct fig_sum *, const uint64_t *fig);

/*
 * Labels, the same in every view (batch, the dashboard, the compare screen,
 * the GC prompt): a group "namespace/pod" (" (guess)" when from HOSTNAME),
 * "pod UID8 (qos)" without names ("pod UID" in full), a namespace's name, else the cgroup path;
 * a container its name ("pod/name" under a namespace group), "(sandbox ID)",
 * "RUNTIME ID" without a name, "(pod cgroup)" or "(no container)" for
 * processes outside any; a process "PID comm". full: the whole pod UID and
 * a named container's short id too (text output); else the short form
 * (the dashboard's narrow name column). Returns buf.
 */
const char	*tree_group_label(const struct tree_group *, bool full,
		    char *buf, size_t len);
const char	*tree_ctr_label(const struct tree_group *,
		    const struct tree_ctr *, bool full, char *buf, size_t len);
const char	*tree_proc_label(const struct tree_proc *, char *buf,
		    size_t len);
/*
 * Fills every pod's and container's rep (tree_build calls it; node is this
 * node's name for static pods, or NULL).
 */
void		 tree_replicas(struct tree *, const char *node);
/*
 * Judges r (its anon known or not) against the cluster's other replicas:
 * their anonymous memory v[0..n), sorted (REP_PROMETHEUS).
 */
void		 tree_replicas_cluster(struct tree_replicas *r,
		    const uint64_t *v, size_t n);
/* "vs 61 replicas (prometheus)", "vs 2 on this node", "" without any. */
const char	*tree_replicas_against(const struct tree_replicas *,
		    char *buf, size_t len);
/* g's sibling with the least anonymous memory, or NULL if none. */
const struct tree_group *tree_healthiest_sibling(const struct tree *,
		    const struct tree_group *g);
/* Whether b is another pod of a's workload (after tree_replicas). */
bool		 tree_is_sibling(const struct tree_group *a,
		    const struct tree_group *b);
/*
 * "+552M x6.6" (excess over the siblings' median, and the ratio; a '×' with
 * utf8), "-" for a workload's pod with no sibling here (no baseline), ""
 * for what is no workload's pod. Returns buf.
 */
const char	*tree_replicas_fmt(const struct tree_replicas *, bool utf8,
		    char *buf, size_t len);

/* Whether the group is a pod or a namespace (listed first, open at start). */
bool		 tree_group_is_k8s(const struct tree_group *);

/* Sort keys: a figure, anon growth, windowed growth, charge, or name. */
enum sort_kind {
	SORT_FIG,
	SORT_GROWTH,
	SORT_GROWTH_WIN,
	SORT_CHARGE,
	SORT_WSET,		/* working set */
	SORT_REPLICAS,		/* excess over the replicas' median */
	SORT_NAME
};

struct sort_key {
	enum sort_kind	kind;
	int		fig;		/* SORT_FIG */
	bool		reverse;	/* smallest (or Z) first */
};

/*
 * Sort keys are the keys of the column table (model/column.h): "rss",
 * "pss_anon", "anon-growth", ... Parses one; -1 if unknown.
 */
int		 sort_key_parse(const char *, struct sort_key *);
const char	*sort_key_name(const struct sort_key *);
/* The column (index into col_table) the key sorts by. */
int		 sort_key_col(const struct sort_key *);
/* The next (dir 1) or previous (dir -1) key of the '<' '>' cycle. */
void		 sort_key_step(struct sort_key *, int dir);

/*
 * Two processes in the order tree_sort puts them (the dashboard's flat list
 * sorts all of them with it): <0, 0 or >0.
 */
int		 tree_proc_cmp(const struct tree_proc *,
		    const struct tree_proc *, const struct sort_key *);

/*
 * Sorts groups (pods first), containers and processes: largest first, or
 * smallest with reverse; unknown figures last either way.
 */
void		 tree_sort(struct tree *, const struct sort_key *);

/* The figure a node shows for key k (for sparklines and columns). */
int64_t		 tree_stat_value(const struct tree_stats *, const struct fig_sum *,
		    const uint64_t *fig, const struct sort_key *k);

#endif
