#ifndef MEMTOP_OUTPUT_PROM_H
#define MEMTOP_OUTPUT_PROM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/tree.h"
#include "output/promtext.h"

/*
 * The Prometheus text exposition format (version 0.0.4) of one refresh: a
 * series per container (labels namespace, pod, pod_uid, container,
 * container_id, cgroup), per process too if asked (plus pid and comm), and
 * memtop's own figures. docs/metrics.md lists every family.
 */
struct prom_opts {
	bool		 processes;	/* memtop_process_* series too */
};

/* What the exporter knows of itself, beyond the snapshot. */
struct prom_self {
	uint64_t	 refreshes;	/* since start */
	uint64_t	 pss_reads;	/* smaps_rollup reads since start */
	double		 refresh_seconds; /* wall time of the last refresh */
	double		 interval;	/* seconds between refreshes */
};

/*
 * Renders the exposition into b, from its start (b's memory is reused from
 * one exposition to the next; it does not come back without memory).
 */
void	prom_render(struct promtext *b, const struct snapshot *,
	    const struct tree *, const struct prom_opts *,
	    const struct prom_self *);

/* Writes the exposition to a stream. 0, or -1 if writing failed. */
int	prom_write(FILE *, const struct snapshot *, const struct tree *,
	    const struct prom_opts *, const struct prom_self *);

/*
 * Container and process series are rendered again only when their labels
 * or values changed (a cache of each series' lines, kept from one
 * exposition to the next; output/promcache.h). How many series were
 * rendered since start (or prom_cache_free).
 */
size_t	prom_render_count(void);

/* Frees the render cache (the next exposition renders every series). */
void	prom_cache_free(void);

/*
 * One line per family for the documentation check and --help: name, type,
 * level ("node", "container", "process"), source, meaning; tab-separated.
 */
void	prom_list_families(FILE *);

#endif
