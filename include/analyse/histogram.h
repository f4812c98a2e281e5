#ifndef MEMTOP_ANALYSE_HISTOGRAM_H
#define MEMTOP_ANALYSE_HISTOGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/maps.h"

/*
 * The size distribution of a process's anonymous mappings: power-of-two bins
 * from 4 KiB to >= 1 GiB, the three coarse bins of the field case, and the
 * exact sizes that many mappings share.
 */

#define HIST_BINS	19	/* [4K,8K) ... [512M,1G), >= 1G */
#define HIST_COARSE	3	/* < 64K, 64K..1M, > 1M */
#define HIST_CLUSTERS	8	/* top exact-size clusters kept */

struct hist_bin {
	uint64_t	min;		/* bytes, inclusive */
	uint64_t	max;		/* exclusive; UINT64_MAX for the last */
	uint64_t	count;
	uint64_t	size;
	uint64_t	rss;		/* UINT64_MAX without smaps */
};

struct hist_cluster {
	uint64_t	size;		/* every mapping's exact size */
	uint64_t	count;
	uint64_t	rss;		/* UINT64_MAX without smaps */
};

struct maps_hist {
	uint64_t		mappings;	/* all mappings */
	uint64_t		anon;		/* anonymous ones */
	uint64_t		anon_size;
	uint64_t		anon_rss;	/* UINT64_MAX without smaps */
	struct hist_bin		bin[HIST_BINS];
	struct hist_bin		coarse[HIST_COARSE];
	struct hist_cluster	cluster[HIST_CLUSTERS];
	size_t			nclusters;
};

/* Fills h from the mappings (anonymous ones only in the bins). */
void	histogram_build(struct maps_hist *h, const struct maps *m);

/*
 * The same a mapping at a time: begin, add each in address order, end
 * (have_rss: the mappings came with smaps figures). The run holds the
 * exact-size table until end.
 */
struct hist_run {
	struct maps_hist	*h;
	struct hist_cluster	*tab;
	size_t			 cap;
	size_t			 used;
};
void	histogram_begin(struct hist_run *, struct maps_hist *h);
void	histogram_add(struct hist_run *, const struct mapping *);
void	histogram_end(struct hist_run *, bool have_rss);

#endif
