#ifndef MEMTOP_OUTPUT_REPORT_H
#define MEMTOP_OUTPUT_REPORT_H

#include <stdio.h>

#include "analyse/report.h"

/* `memtop maps PID`: histogram, clusters and findings as text or JSON. */
void	report_text(FILE *, const struct maps_report *);
int	report_json(FILE *, const struct maps_report *);

/* `memtop diff A B`: side by side with the difference (B - A). */
void	report_diff_text(FILE *, const struct maps_report *,
	    const struct maps_report *);
int	report_diff_json(FILE *, const struct maps_report *,
	    const struct maps_report *);

#endif
