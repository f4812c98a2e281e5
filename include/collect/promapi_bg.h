#ifndef MEMTOP_COLLECT_PROMAPI_BG_H
#define MEMTOP_COLLECT_PROMAPI_BG_H

#include <stdbool.h>
#include <stddef.h>

#include "collect/promapi.h"

/*
 * The Prometheus queries of a node's dashboard, on a thread of their own
 * (its own curl handle): at start and then every interval seconds, a round
 * of at most five queries (two node matchers tried first), whatever the
 * number of pods:
 *   1. which families exist for this node (an instant count by __name__),
 *      trying the node matchers in turn: node="N", then instance=~"N(:port)"
 *      (or the one --prometheus-node gives);
 *   2. one range query for anonymous memory, max by (__name__, namespace,
 *      pod, container) of memtop_container_rss_anon_bytes and cAdvisor's
 *      container_memory_rss on this node;
 *   3. one range query for the working set, the same way, of
 *      memtop_container_memory_working_set_bytes and cAdvisor's
 *      container_memory_working_set_bytes;
 *   4. one instant query for the replicas of this node's workloads, all
 *      namespaces and pod-name patterns in one selector.
 * The caller never waits: it hands over what it wants (promapi_bg_want)
 * and takes finished rounds (promapi_bg_take), both under a mutex.
 */

/* A workload of this node: its namespace and its pods' name regex. */
struct promq_workload {
	char	*ns;
	char	*pod_re;
};

/* What a round asks; built by the model from the tree. */
struct promq_req {
	char			*node;		/* this node's name */
	struct promq_workload	*wl;
	size_t			 nwl;
	double			 span;		/* seconds of history */
	double			 step;		/* seconds between samples */
};

#define PROMQ_ADDR_LEN	64	/* an address as text */
#define PROMQ_ADDRS	8	/* this node's addresses tried, at most */
#define PROMQ_MATCH_LEN	1024

/* A finished round. */
struct promq_out {
	unsigned long		 round;		/* 1, 2, ... */
	double			 at;		/* epoch seconds it ran */
	double			 took;		/* seconds it took */
	bool			 ok;		/* every query answered */
	char			 msg[512];	/* what went wrong, "" if not */
	char			 match[PROMQ_MATCH_LEN];	/* the node
					   matcher that found series (as
					   promq_matcher.q); "" none */
	bool			 have_anon;	/* the range query ran */
	double			 start, step;	/* of the range answers */
	struct promapi_result	 anon;		/* by __name__, namespace,
						   pod, container */
	bool			 have_wset;	/* its range query ran */
	struct promapi_result	 wset;		/* the same, working set */
	bool			 have_rep;
	struct promapi_result	 rep;		/* instant, same labels */
};

/* The anonymous-memory families, preferred first. */
#define PROMQ_ANON_MEMTOP	"memtop_container_rss_anon_bytes"
#define PROMQ_ANON_CADVISOR	"container_memory_rss"
/* The working-set families, preferred first. */
#define PROMQ_WSET_MEMTOP	"memtop_container_memory_working_set_bytes"
#define PROMQ_WSET_CADVISOR	"container_memory_working_set_bytes"

struct promapi_bg;

/*
 * Checks the configuration (promapi_create) and starts the thread; node_sel
 * is --prometheus-node (NAME, or LABEL=VALUE; NULL: this node's name).
 * Rounds run every interval seconds, sooner (15 s) after a failed one. NULL
 * with why.
 */
struct promapi_bg	*promapi_bg_start(const struct promapi_conf *,
			    const char *node_sel, double interval, char *why,
			    size_t len);
/* Stops the thread (an answer in flight is abandoned) and frees it all. */
void			 promapi_bg_stop(struct promapi_bg *);
/* What the next rounds ask (taken over); the first one waits for it. */
void			 promapi_bg_want(struct promapi_bg *,
			    struct promq_req *);
/* The newest finished round not taken yet, or NULL; promq_out_free it. */
struct promq_out	*promapi_bg_take(struct promapi_bg *);
/* Whether a round is running now, and since when (epoch seconds). */
bool			 promapi_bg_busy(struct promapi_bg *, double *since);
const char		*promapi_bg_url(const struct promapi_bg *);

void	promq_req_free(struct promq_req *);
void	promq_out_free(struct promq_out *);

/* A node matcher: PromQL, and what it means for messages. */
struct promq_matcher {
	char	q[PROMQ_MATCH_LEN];	/* node="n1" */
	char	what[300];		/* "node=n1" */
};

/*
 * This node's addresses (getifaddrs: up, not loopback, not IPv6
 * link-local), at most max; how many.
 */
size_t	promq_node_addrs(char out[][PROMQ_ADDR_LEN], size_t max);
/*
 * The node matchers a round tries in turn: node_sel LABEL=VALUE alone; a
 * node_sel NAME, or else node: node="NAME", then instance matching NAME
 * or (without node_sel) one of addrs, with or without a port. How many.
 */
size_t	promq_node_matchers(const char *node_sel, const char *node,
	    const char (*addrs)[PROMQ_ADDR_LEN], size_t naddrs,
	    struct promq_matcher *out, size_t max);
/* s with the regex metacharacters escaped, into buf. */
const char	*promq_re_escape(const char *s, char *buf, size_t len);

#endif
