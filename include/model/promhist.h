#ifndef MEMTOP_MODEL_PROMHIST_H
#define MEMTOP_MODEL_PROMHIST_H

#include <stdbool.h>
#include <stddef.h>

#include "collect/promapi.h"
#include "collect/sample.h"
#include "model/history.h"
#include "model/tree.h"

/*
 * The cluster's memory in a node's views, from Prometheus (issue 18): the
 * past of this node's pods and containers before memtop's own (the local
 * store first; Prometheus fills what lies before it) and the median of all
 * replicas of each workload, cluster-wide. The queries run on a thread
 * (collect/promapi_bg.h); each refresh hands it what to ask and applies
 * what came back, at the start of the refresh, so a slow or dead
 * Prometheus costs a refresh nothing.
 */

#define PROMHIST_SPAN	(6 * 3600.0)	/* seconds of history asked */
#define PROMHIST_SLOTS	72		/* samples over it (5 min apart) */

struct promhist_conf {
	struct promapi_conf	 api;
	const char		*node_sel;	/* --prometheus-node */
	double			 interval;	/* seconds between rounds */
	double			 window;	/* the windowed growth's, s */
	bool			 wait_first;	/* -b: the first refresh waits
						   for the first round */
};

struct promhist;

/* Starts the queries' thread; NULL with why (a bad URL, token file...). */
struct promhist	*promhist_create(const struct promhist_conf *, char *why,
		    size_t len);
void		 promhist_free(struct promhist *);

/*
 * The refresh hook (refresh_opts.hook): takes a finished round, if any,
 * fills the history of the tree's pods and containers from it, sets the
 * replica baselines of the tree's workloads from the cluster where it has
 * them, and hands the thread what the next round asks.
 */
void		 promhist_refresh(void *promhist, const struct snapshot *,
		    struct tree *, struct history *);

/*
 * One line for the status bar: "prometheus: 60 replicas of 1 workload,
 * history since 18:02 (container_memory_rss)", or what went wrong:
 * "prometheus: timeout after 5 s (http://...)". Returns buf.
 */
const char	*promhist_status(const struct promhist *, char *buf,
		    size_t len);
/* Whether the status changed since the last call (-b says it once). */
bool		 promhist_status_changed(struct promhist *);

#endif
