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

/* Builds the report from parsed mappings. */
void	report_build(struct maps_report *, const struct maps *,
	    const struct detect_ctx *, int pid);

#endif
