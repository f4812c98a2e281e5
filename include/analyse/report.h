#ifndef MEMTOP_ANALYSE_REPORT_H
#define MEMTOP_ANALYSE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyse/detectors.h"
#include "analyse/histogram.h"
#include "collect/figure.h"

/* One process's mapping analysis, as `memtop maps PID` and the TUI show it. */
struct maps_report {
	int			 pid;
	char			 comm[64];
	struct maps_hist	 hist;
	struct finding		 findings[8];
	size_t			 nfindings;
	uint64_t		 rollup[FIG__COUNT];	/* FIG_NA if not read */
};

/* One exact size and how many mappings of it each of two processes has. */
struct cluster_pair {
	uint64_t	size;
	uint64_t	a;
	uint64_t	b;
};

/*
 * The exact-size clusters of either report, each size once (a's first),
 * with both counts; at most max. Returns how many.
 */
size_t	report_cluster_pairs(const struct maps_report *a,
	    const struct maps_report *b, struct cluster_pair *out, size_t max);

/* Builds the report from parsed mappings. */
void	report_build(struct maps_report *, const struct maps *,
	    const struct detect_ctx *, int pid);

/*
 * The same as the mappings are read (no array): report_begin, report_add
 * for each (a maps_fn: run is the struct report_run), report_end
 * (have_rss: they came with smaps figures).
 */
struct report_run {
	struct maps_report	*r;
	struct hist_run		 h;
	struct detect_run	 d;
};
void	report_begin(struct report_run *, struct maps_report *,
	    const struct detect_ctx *, int pid);
void	report_add(void *run, const struct mapping *);
void	report_end(struct report_run *, bool have_rss);

#endif
