#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/report.h"
#include "util/fmt.h"
#include "util/jsonu.h"

static void
bar(FILE *f, uint64_t v, uint64_t max, int width)
{
	int	n = max > 0 ? (int)((double)v * width / (double)max + 0.5) : 0;

	if (v > 0 && n == 0)
		n = 1;
	while (n-- > 0)
		fputc('#', f);
}

static const char *
range(char *buf, size_t len, const struct hist_bin *b)
{
	char	lo[32], hi[32];

	if (b->max == UINT64_MAX)
		snprintf(buf, len, ">= %s", fmt_bytes(lo, sizeof lo, b->min));
	else
		snprintf(buf, len, "%s-%s", fmt_bytes(lo, sizeof lo, b->min),
		    fmt_bytes(hi, sizeof hi, b->max));
	return buf;
}

void
report_text(FILE *f, const struct maps_report *r)
{
	const struct maps_hist	*h = &r->hist;
	char			 a[32], b[32], c[32], rg[64], cm[256];
	uint64_t		 maxc = 0;
	size_t			 i;

	fprintf(f, "pid %d (%s): %llu mappings, %llu anonymous = %s (%s "
	    "resident)\n\n", r->pid, fmt_clip(cm, sizeof cm, r->comm, SIZE_MAX), (unsigned long long)h->mappings,
	    (unsigned long long)h->anon, fmt_bytes(a, sizeof a, h->anon_size),
	    fmt_bytes(b, sizeof b, h->anon_rss));
	for (i = 0; i < HIST_BINS; i++)
		if (h->bin[i].count > maxc)
			maxc = h->bin[i].count;
	fprintf(f, "anonymous mappings by size\n  %-14s %7s %9s %9s\n", "size",
	    "count", "mapped", "resident");
	for (i = 0; i < HIST_BINS; i++) {
		const struct hist_bin	*bn = &h->bin[i];

		if (bn->count == 0)
			continue;
		fprintf(f, "  %-14s %7llu %9s %9s  ", range(rg, sizeof rg, bn),
		    (unsigned long long)bn->count, fmt_bytes(a, sizeof a,
		    bn->size), fmt_bytes(b, sizeof b, bn->rss));
		bar(f, bn->count, maxc, 30);
		fputc('\n', f);
	}
	fprintf(f, "\n  < 64K: %llu (%s)   64K-1M: %llu (%s)   > 1M: %llu (%s)\n",
	    (unsigned long long)h->coarse[0].count,
	    fmt_bytes(a, sizeof a, h->coarse[0].size),
	    (unsigned long long)h->coarse[1].count,
	    fmt_bytes(b, sizeof b, h->coarse[1].size),
	    (unsigned long long)h->coarse[2].count,
	    fmt_bytes(c, sizeof c, h->coarse[2].size));
	fprintf(f, "\nexact-size clusters\n");
	if (h->nclusters == 0)
		fprintf(f, "  none\n");
	for (i = 0; i < h->nclusters; i++) {
		const struct hist_cluster *cl = &h->cluster[i];

		fprintf(f, "  %llu x %s = %s (%s resident)\n",
		    (unsigned long long)cl->count, fmt_bytes(a, sizeof a,
		    cl->size), fmt_bytes(b, sizeof b, cl->size * cl->count),
		    fmt_bytes(c, sizeof c, cl->rss));
	}
	fprintf(f, "\nfindings\n");
	if (r->nfindings == 0)
		fprintf(f, "  none\n");
	for (i = 0; i < r->nfindings; i++)
		fprintf(f, "  [%s] %s\n", r->findings[i].rule,
		    r->findings[i].text);
}

static json_t *
bin_json(const struct hist_bin *b)
{
	json_t	*o = json_object();

	json_object_set_new(o, "min", json_u64(b->min));
	json_object_set_new(o, "max", json_u64(b->max));
	json_object_set_new(o, "count", json_u64(b->count));
	json_object_set_new(o, "size", json_u64(b->size));
	json_object_set_new(o, "rss", json_u64(b->rss));
	return o;
}

static json_t *
report_obj(const struct maps_report *r)
{
	const struct maps_hist	*h = &r->hist;
	json_t			*o = json_object(), *a;
	size_t			 i;
	int			 k;

	json_object_set_new(o, "pid", json_integer(r->pid));
	json_object_set_new(o, "comm", json_string(r->comm));
	json_object_set_new(o, "mappings", json_u64(h->mappings));
	json_object_set_new(o, "anon_mappings", json_u64(h->anon));
	json_object_set_new(o, "anon_size", json_u64(h->anon_size));
	json_object_set_new(o, "anon_rss", json_u64(h->anon_rss));
	a = json_array();
	for (i = 0; i < HIST_BINS; i++)
		json_array_append_new(a, bin_json(&h->bin[i]));
	json_object_set_new(o, "bins", a);
	a = json_array();
	for (i = 0; i < HIST_COARSE; i++)
		json_array_append_new(a, bin_json(&h->coarse[i]));
	json_object_set_new(o, "coarse_bins", a);
	a = json_array();
	for (i = 0; i < h->nclusters; i++) {
		json_t	*c = json_object();

		json_object_set_new(c, "size", json_u64(h->cluster[i].size));
		json_object_set_new(c, "count", json_u64(h->cluster[i].count));
		json_object_set_new(c, "rss", json_u64(h->cluster[i].rss));
		json_array_append_new(a, c);
	}
	json_object_set_new(o, "clusters", a);
	a = json_array();
	for (i = 0; i < r->nfindings; i++) {
		const struct finding	*fd = &r->findings[i];
		json_t			*c = json_object();

		json_object_set_new(c, "rule", json_string(fd->rule));
		json_object_set_new(c, "count", json_u64(fd->count));
		json_object_set_new(c, "size", json_u64(fd->size));
		json_object_set_new(c, "rss", json_u64(fd->rss));
		json_object_set_new(c, "text", json_string(fd->text));
		json_array_append_new(a, c);
	}
	json_object_set_new(o, "findings", a);
	a = json_object();
	for (k = 0; k < FIG__COUNT; k++)
		json_object_set_new(a, fig_table[k].key, json_u64(r->rollup[k]));
	json_object_set_new(o, "rollup", a);
	return o;
}

static int
dump(FILE *f, json_t *o)
{
	int	rc = json_dumpf(o, f, JSON_COMPACT | JSON_ENSURE_ASCII);

	json_decref(o);
	fputc('\n', f);
	return rc == 0 && fflush(f) == 0 ? 0 : -1;
}

int
report_json(FILE *f, const struct maps_report *r)
{
	return dump(f, report_obj(r));
}

/* The rows of a comparison: name and both values. */
struct diff_row {
	char		name[48];
	uint64_t	a;
	uint64_t	b;
	int		bytes;	/* a byte count, else a count */
};

static size_t
diff_rows(const struct maps_report *x, const struct maps_report *y,
    struct diff_row *rows, size_t max)
{
	size_t			n = 0, i, np;
	struct cluster_pair	pairs[HIST_CLUSTERS * 2];
	int	k;
	static const char *const coarse[] = { "anon < 64K", "anon 64K-1M",
	    "anon > 1M" };

	for (k = 0; k < FIG__COUNT && n < max; k++) {
		if (fig_table[k].tier != FIG_TIER_ROLLUP)
			continue;
		rows[n++] = (struct diff_row){ "", x->rollup[k], y->rollup[k],
		    1 };
		snprintf(rows[n - 1].name, sizeof rows[0].name, "%s",
		    fig_table[k].title);
	}
	rows[n++] = (struct diff_row){ "mappings", x->hist.mappings,
	    y->hist.mappings, 0 };
	rows[n++] = (struct diff_row){ "anon mappings", x->hist.anon,
	    y->hist.anon, 0 };
	rows[n++] = (struct diff_row){ "anon mapped", x->hist.anon_size,
	    y->hist.anon_size, 1 };
	for (i = 0; i < HIST_COARSE && n + 2 < max; i++) {
		rows[n] = (struct diff_row){ "", x->hist.coarse[i].count,
		    y->hist.coarse[i].count, 0 };
		snprintf(rows[n++].name, sizeof rows[0].name, "%s count",
		    coarse[i]);
		rows[n] = (struct diff_row){ "", x->hist.coarse[i].size,
		    y->hist.coarse[i].size, 1 };
		snprintf(rows[n++].name, sizeof rows[0].name, "%s size",
		    coarse[i]);
	}
	/* clusters of either, by size */
	np = report_cluster_pairs(x, y, pairs, HIST_CLUSTERS * 2);
	for (i = 0; i < np && n < max; i++) {
		char	t[32];

		rows[n] = (struct diff_row){ "", pairs[i].a, pairs[i].b, 0 };
		snprintf(rows[n++].name, sizeof rows[0].name, "x %s mappings",
		    fmt_bytes(t, sizeof t, pairs[i].size));
	}
	return n;
}

void
report_diff_text(FILE *f, const struct maps_report *x,
    const struct maps_report *y)
{
	struct diff_row	rows[64];
	size_t		n = diff_rows(x, y, rows, 64), i;
	char		a[32], b[32], d[32], ca[64], cb[64];

	fprintf(f, "%-20s %12s %12s %12s\n", "", "", "", "");
	fprintf(f, "%-20s %12d %12d %12s\n", "pid", x->pid, y->pid, "diff");
	fmt_clip(ca, sizeof ca, x->comm, 12);
	fmt_clip(cb, sizeof cb, y->comm, 12);
	fprintf(f, "%-20s %*s%s %*s%s\n", "comm", (int)(12 - fmt_width(ca)), "",
	    ca, (int)(12 - fmt_width(cb)), "", cb);
	for (i = 0; i < n; i++) {
		const struct diff_row	*r = &rows[i];

		if (r->bytes) {
			fmt_bytes(a, sizeof a, r->a);
			fmt_bytes(b, sizeof b, r->b);
		} else {
			snprintf(a, sizeof a, "%llu", (unsigned long long)r->a);
			snprintf(b, sizeof b, "%llu", (unsigned long long)r->b);
		}
		if (r->a == UINT64_MAX || r->b == UINT64_MAX)
			snprintf(d, sizeof d, "-");
		else if (r->bytes)
			fmt_delta(d, sizeof d, (int64_t)(r->b - r->a));
		else
			snprintf(d, sizeof d, "%+lld",
			    (long long)(r->b - r->a));
		fprintf(f, "%-20s %12s %12s %12s\n", r->name, a, b, d);
	}
	for (i = 0; i < x->nfindings; i++)
		fprintf(f, "A [%s] %s\n", x->findings[i].rule,
		    x->findings[i].text);
	for (i = 0; i < y->nfindings; i++)
		fprintf(f, "B [%s] %s\n", y->findings[i].rule,
		    y->findings[i].text);
}

int
report_diff_json(FILE *f, const struct maps_report *x,
    const struct maps_report *y)
{
	struct diff_row	 rows[64];
	size_t		 n = diff_rows(x, y, rows, 64), i;
	json_t		*o = json_object(), *a = json_array();

	json_object_set_new(o, "a", report_obj(x));
	json_object_set_new(o, "b", report_obj(y));
	for (i = 0; i < n; i++) {
		json_t	*r = json_object();

		json_object_set_new(r, "name", json_string(rows[i].name));
		json_object_set_new(r, "a", json_u64(rows[i].a));
		json_object_set_new(r, "b", json_u64(rows[i].b));
		json_object_set_new(r, "diff", rows[i].a == UINT64_MAX ||
		    rows[i].b == UINT64_MAX ? json_null() :
		    json_integer((json_int_t)(rows[i].b - rows[i].a)));
		json_array_append_new(a, r);
	}
	json_object_set_new(o, "rows", a);
	return dump(f, o);
}
