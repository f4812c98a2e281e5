#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analyse/report.h"

void
report_build(struct maps_report *r, const struct maps *m,
    const struct detect_ctx *c, int pid)
{
	int	k;

	memset(r, 0, sizeof *r);
	r->pid = pid;
	snprintf(r->comm, sizeof r->comm, "%s", c->comm != NULL ? c->comm : "");
	histogram_build(&r->hist, m);
	r->nfindings = detect_all(m, c, r->findings,
	    sizeof r->findings / sizeof r->findings[0]);
	for (k = 0; k < FIG__COUNT; k++)
		r->rollup[k] = FIG_NA;
}
