#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analyse/histogram.h"
#include "util/xmalloc.h"

#define KiB	1024ULL
#define MiB	(1024 * KiB)

static void
add(struct hist_bin *b, const struct mapping *mp)
{
	b->count++;
	b->size += mapping_size(mp);
	if (mp->rss != UINT64_MAX && b->rss != UINT64_MAX)
		b->rss += mp->rss;
	else
		b->rss = UINT64_MAX;
}

static int
bin_of(uint64_t size)
{
	int	i;

	for (i = 0; i < HIST_BINS - 1; i++) {
		if (size < (4 * KiB) << (i + 1))
			return i;
	}
	return HIST_BINS - 1;
}

struct size_rss {
	uint64_t	size;
	uint64_t	rss;
};

static int
size_cmp(const void *a, const void *b)
{
	const struct size_rss	*x = a, *y = b;

	return (x->size > y->size) - (x->size < y->size);
}

/* Clusters ordered by total size, largest first. */
static int
cluster_cmp(const void *a, const void *b)
{
	const struct hist_cluster	*x = a, *y = b;
	uint64_t			 tx = x->size * x->count;
	uint64_t			 ty = y->size * y->count;

	if (tx != ty)
		return tx > ty ? -1 : 1;
	return (x->size > y->size) - (x->size < y->size);
}

/* Sorting (size, rss) pairs: O(n log n) even for 200 000 mappings. */
static void
build_clusters(struct maps_hist *h, const struct maps *m)
{
	struct size_rss		*v;
	struct hist_cluster	*all;
	size_t			 n = 0, nall = 0, i, j;

	if (h->anon == 0)
		return;
	v = xcalloc(h->anon, sizeof *v);
	for (i = 0; i < m->n; i++) {
		if (m->v[i].anon) {
			v[n].size = mapping_size(&m->v[i]);
			v[n++].rss = m->v[i].rss;
		}
	}
	qsort(v, n, sizeof *v, size_cmp);
	all = xcalloc(n, sizeof *all);
	for (i = 0; i < n; i = j) {
		uint64_t	rss = m->have_rss ? 0 : UINT64_MAX;

		for (j = i; j < n && v[j].size == v[i].size; j++) {
			if (rss != UINT64_MAX && v[j].rss != UINT64_MAX)
				rss += v[j].rss;
		}
		if (j - i >= 2) {
			all[nall].size = v[i].size;
			all[nall].count = j - i;
			all[nall].rss = rss;
			nall++;
		}
	}
	qsort(all, nall, sizeof *all, cluster_cmp);
	h->nclusters = nall < HIST_CLUSTERS ? nall : HIST_CLUSTERS;
	memcpy(h->cluster, all, h->nclusters * sizeof *all);
	free(all);
	free(v);
}

void
histogram_build(struct maps_hist *h, const struct maps *m)
{
	size_t	i;
	int	b;

	memset(h, 0, sizeof *h);
	for (b = 0; b < HIST_BINS; b++) {
		h->bin[b].min = b == 0 ? 0 : (4 * KiB) << b;
		h->bin[b].max = b == HIST_BINS - 1 ? UINT64_MAX :
		    (4 * KiB) << (b + 1);
		h->bin[b].rss = m->have_rss ? 0 : UINT64_MAX;
	}
	h->coarse[0] = (struct hist_bin){ 0, 64 * KiB, 0, 0, 0 };
	h->coarse[1] = (struct hist_bin){ 64 * KiB, MiB + 1, 0, 0, 0 };
	h->coarse[2] = (struct hist_bin){ MiB + 1, UINT64_MAX, 0, 0, 0 };
	for (b = 0; b < HIST_COARSE; b++)
		h->coarse[b].rss = m->have_rss ? 0 : UINT64_MAX;
	h->anon_rss = m->have_rss ? 0 : UINT64_MAX;
	h->mappings = m->n;
	for (i = 0; i < m->n; i++) {
		const struct mapping	*mp = &m->v[i];
		uint64_t		 sz = mapping_size(mp);

		if (!mp->anon)
			continue;
		h->anon++;
		h->anon_size += sz;
		if (h->anon_rss != UINT64_MAX && mp->rss != UINT64_MAX)
			h->anon_rss += mp->rss;
		add(&h->bin[bin_of(sz)], mp);
		add(&h->coarse[sz < 64 * KiB ? 0 : sz <= MiB ? 1 : 2], mp);
	}
	build_clusters(h, m);
}
