#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analyse/report.h"

void
report_begin(struct report_run *rr, struct maps_report *r,
    const struct detect_ctx *c, int pid)
{
	int	k;

	memset(r, 0, sizeof *r);
	rr->r = r;
	r->pid = pid;
	snprintf(r->comm, sizeof r->comm, "%s", c->comm != NULL ? c->comm : "");
	histogram_begin(&rr->h, &r->hist);
	detect_begin(&rr->d, c);
	for (k = 0; k < FIG__COUNT; k++)
		r->rollup[k] = FIG_NA;
}

void
report_add(void *run, const struct mapping *mp)
{
	struct report_run	*rr = run;

	histogram_add(&rr->h, mp);
	detect_feed(&rr->d, mp);
}

void
report_end(struct report_run *rr, bool have_rss)
{
	struct maps_report	*r = rr->r;
	unsigned		 fired;
	size_t			 i, max = sizeof r->findings /
				    sizeof r->findings[0];

	histogram_end(&rr->h, have_rss);
	fired = detect_end(&rr->d, have_rss);
	for (i = 0; i < detector_count && r->nfindings < max; i++) {
		if (fired & (1u << i))
			r->findings[r->nfindings++] = rr->d.f[i];
	}
}

void
report_build(struct maps_report *r, const struct maps *m,
    const struct detect_ctx *c, int pid)
{
	struct report_run	rr;
	size_t			i;

	report_begin(&rr, r, c, pid);
	for (i = 0; i < m->n; i++)
		report_add(&rr, &m->v[i]);
	report_end(&rr, m->have_rss);
}

static uint64_t
cluster_count(const struct maps_report *r, uint64_t size)
{
	size_t	i;

	for (i = 0; i < r->hist.nclusters; i++) {
		if (r->hist.cluster[i].size == size)
			return r->hist.cluster[i].count;
	}
	return 0;
}

size_t
report_cluster_pairs(const struct maps_report *a, const struct maps_report *b,
    struct cluster_pair *out, size_t max)
{
	const struct maps_report	*r[2] = { a, b };
	size_t				 n = 0, k, i, j;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < r[k]->hist.nclusters && n < max; i++) {
			uint64_t	sz = r[k]->hist.cluster[i].size;

			for (j = 0; j < n && out[j].size != sz; j++)
				;
			if (j < n)
				continue;	/* a's already */
			out[n].size = sz;
			out[n].a = cluster_count(a, sz);
			out[n].b = cluster_count(b, sz);
			n++;
		}
	}
	return n;
}
