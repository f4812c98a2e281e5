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

/* [4 KiB << i, 4 KiB << (i + 1)) is bin i (below 8 KiB: 0; the last: the rest) */
static int
bin_of(uint64_t size)
{
	uint64_t	pages = size >> 12;
	int		i;

	if (pages < 2)
		return 0;
	i = 63 - __builtin_clzll(pages);
	return i < HIST_BINS - 1 ? i : HIST_BINS - 1;
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

static void
cluster_grow(struct hist_run *hr)
{
	struct hist_cluster	*old = hr->tab;
	size_t			 ocap = hr->cap, i, j, mask;

	hr->cap = ocap == 0 ? 64 : ocap * 2;
	hr->tab = xcalloc(hr->cap, sizeof *hr->tab);
	mask = hr->cap - 1;
	for (i = 0; i < ocap; i++) {
		if (old[i].count == 0)
			continue;
		j = (size_t)((old[i].size >> 12) * 0x9e3779b97f4a7c15ULL) & mask;
		while (hr->tab[j].count != 0)
			j = (j + 1) & mask;
		hr->tab[j] = old[i];
	}
	free(old);
}

/*
 * Exact sizes counted in an open-addressing table, grown at half full: O(n)
 * even for 200 000 mappings (a sort was a third of `memtop maps`).
 */
static void
cluster_add(struct hist_run *hr, const struct mapping *mp)
{
	uint64_t	sz = mapping_size(mp);
	size_t		j, mask;

	if (2 * (hr->used + 1) > hr->cap)
		cluster_grow(hr);
	mask = hr->cap - 1;
	j = (size_t)((sz >> 12) * 0x9e3779b97f4a7c15ULL) & mask;
	while (hr->tab[j].count != 0 && hr->tab[j].size != sz)
		j = (j + 1) & mask;
	if (hr->tab[j].count++ == 0) {
		hr->tab[j].size = sz;
		hr->used++;
	}
	/* a mapping without a figure is left out of its cluster's */
	if (mp->rss != UINT64_MAX)
		hr->tab[j].rss += mp->rss;
}

/* The clusters of two or more mappings, the largest first. */
static void
cluster_end(struct hist_run *hr, bool have_rss)
{
	struct maps_hist	*h = hr->h;
	struct hist_cluster	*all = hr->tab;
	size_t			 i, nall = 0;

	for (i = 0; i < hr->cap; i++) {
		if (hr->tab[i].count >= 2)
			all[nall++] = hr->tab[i];
	}
	qsort(all, nall, sizeof *all, cluster_cmp);
	h->nclusters = nall < HIST_CLUSTERS ? nall : HIST_CLUSTERS;
	memcpy(h->cluster, all, h->nclusters * sizeof *all);
	for (i = 0; !have_rss && i < h->nclusters; i++)
		h->cluster[i].rss = UINT64_MAX;
	free(hr->tab);
	hr->tab = NULL;
	hr->cap = hr->used = 0;
}

void
histogram_begin(struct hist_run *hr, struct maps_hist *h)
{
	int	b;

	memset(hr, 0, sizeof *hr);
	hr->h = h;
	memset(h, 0, sizeof *h);
	for (b = 0; b < HIST_BINS; b++) {
		h->bin[b].min = b == 0 ? 0 : (4 * KiB) << b;
		h->bin[b].max = b == HIST_BINS - 1 ? UINT64_MAX :
		    (4 * KiB) << (b + 1);
	}
	h->coarse[0] = (struct hist_bin){ 0, 64 * KiB, 0, 0, 0 };
	h->coarse[1] = (struct hist_bin){ 64 * KiB, MiB + 1, 0, 0, 0 };
	h->coarse[2] = (struct hist_bin){ MiB + 1, UINT64_MAX, 0, 0, 0 };
}

void
histogram_add(struct hist_run *hr, const struct mapping *mp)
{
	struct maps_hist	*h = hr->h;
	uint64_t		 sz = mapping_size(mp);

	h->mappings++;
	if (!mp->anon)
		return;
	h->anon++;
	h->anon_size += sz;
	if (h->anon_rss != UINT64_MAX && mp->rss != UINT64_MAX)
		h->anon_rss += mp->rss;
	add(&h->bin[bin_of(sz)], mp);
	add(&h->coarse[sz < 64 * KiB ? 0 : sz <= MiB ? 1 : 2], mp);
	cluster_add(hr, mp);
}

void
histogram_end(struct hist_run *hr, bool have_rss)
{
	struct maps_hist	*h = hr->h;
	int			 b;

	if (!have_rss) {	/* maps text: resident figures not known */
		h->anon_rss = UINT64_MAX;
		for (b = 0; b < HIST_BINS; b++)
			h->bin[b].rss = UINT64_MAX;
		for (b = 0; b < HIST_COARSE; b++)
			h->coarse[b].rss = UINT64_MAX;
	}
	cluster_end(hr, have_rss);
}

void
histogram_build(struct maps_hist *h, const struct maps *m)
{
	struct hist_run	hr;
	size_t		i;

	histogram_begin(&hr, h);
	for (i = 0; i < m->n; i++)
		histogram_add(&hr, &m->v[i]);
	histogram_end(&hr, m->have_rss);
}
