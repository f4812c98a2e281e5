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

/*
 * Exact sizes counted in an open-addressing table: O(n) even for 200 000
 * mappings (a sort was a third of `memtop maps`).
 */
static void
build_clusters(struct maps_hist *h, const struct maps *m)
{
	struct hist_cluster	*tab, *all;
	size_t			 cap = 64, mask, i, nall = 0;

	if (h->anon == 0)
		return;
	while (cap < h->anon * 2)
		cap *= 2;
	mask = cap - 1;
	tab = xcalloc(cap, sizeof *tab);
	for (i = 0; i < m->n; i++) {
		const struct mapping	*mp = &m->v[i];
		uint64_t		 sz;
		size_t			 j;

		if (!mp->anon)
			continue;
		sz = mapping_size(mp);
		j = (size_t)((sz >> 12) * 0x9e3779b97f4a7c15ULL) & mask;
		while (tab[j].count != 0 && tab[j].size != sz)
			j = (j + 1) & mask;
		if (tab[j].count++ == 0) {
			tab[j].size = sz;
			tab[j].rss = m->have_rss ? 0 : UINT64_MAX;
		}
		if (tab[j].rss != UINT64_MAX && mp->rss != UINT64_MAX)
			tab[j].rss += mp->rss;
	}
	all = tab;
	for (i = 0; i < cap; i++) {
		if (tab[i].count >= 2)
			all[nall++] = tab[i];
	}
	qsort(all, nall, sizeof *all, cluster_cmp);
	h->nclusters = nall < HIST_CLUSTERS ? nall : HIST_CLUSTERS;
	memcpy(h->cluster, all, h->nclusters * sizeof *all);
	free(tab);
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
