#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analyse/detectors.h"
#include "collect/sample.h"
#include "util/fmt.h"

#define KiB		1024ULL
#define MiB		(1024 * KiB)
#define V8_PAGE		(256 * KiB)
#define V8_MIN_PAGES	256	/* 64 MiB: below this, an ordinary heap */
#define ARENA_SIZE	(64 * MiB)	/* HEAP_MAX_SIZE on 64-bit glibc */
#define GUARD		(4 * KiB)

bool
detect_node_name(const char *name)
{
	return name != NULL && (strcmp(name, "node") == 0 ||
	    strcmp(name, "nodejs") == 0);
}

bool
detect_is_node(const struct detect_ctx *c)
{
	return detect_node_name(c->exe) || detect_node_name(c->comm);
}

static void
add_rss(uint64_t *acc, const struct mapping *mp)
{
	if (*acc != UINT64_MAX && mp->rss != UINT64_MAX)
		*acc += mp->rss;
	else
		*acc = UINT64_MAX;
}

static const char *
rss_text(char *b, size_t len, uint64_t rss)
{
	char	t[32];

	if (rss == UINT64_MAX)
		snprintf(b, len, "resident unknown without smaps");
	else
		snprintf(b, len, "%s resident", fmt_bytes(t, sizeof t, rss));
	return b;
}

/* V8 heap pages: many anonymous rw mappings of exactly 256 KiB in Node. */
static bool
detect_v8(const struct maps *m, const struct detect_ctx *c, struct finding *f)
{
	size_t	i;
	char	a[32], r[64];

	if (!detect_is_node(c))
		return false;
	f->rss = m->have_rss ? 0 : UINT64_MAX;
	for (i = 0; i < m->n; i++) {
		const struct mapping	*mp = &m->v[i];

		if (!mp->anon || mapping_size(mp) != V8_PAGE ||
		    strncmp(mp->perms, "rw", 2) != 0)
			continue;
		f->count++;
		f->size += V8_PAGE;
		add_rss(&f->rss, mp);
	}
	if (f->count < V8_MIN_PAGES)
		return false;
	snprintf(f->text, sizeof f->text, "%llu x 256 KiB V8 heap pages = %s "
	    "(%s): force a GC (g), or cap the heap with --max-old-space-size",
	    (unsigned long long)f->count, fmt_bytes(a, sizeof a, f->size),
	    rss_text(r, sizeof r, f->rss));
	return true;
}

/*
 * glibc malloc arenas: a non-main arena is a 64 MiB-aligned reservation of
 * 64 MiB, a rw part (in use) and a ---p remainder right after it.
 */
static bool
detect_arenas(const struct maps *m, const struct detect_ctx *c,
    struct finding *f)
{
	size_t	i;
	char	a[32], r[64];

	(void)c;
	f->rss = m->have_rss ? 0 : UINT64_MAX;
	for (i = 0; i < m->n; i++) {
		const struct mapping	*mp = &m->v[i], *nx;
		uint64_t		 total;

		if (!mp->anon || mp->start % ARENA_SIZE != 0 ||
		    strncmp(mp->perms, "rw", 2) != 0)
			continue;
		total = mapping_size(mp);
		nx = i + 1 < m->n ? &m->v[i + 1] : NULL;
		if (nx != NULL && nx->anon && nx->start == mp->end &&
		    strncmp(nx->perms, "---", 3) == 0)
			total += mapping_size(nx);
		if (total != ARENA_SIZE)
			continue;
		f->count++;
		f->size += mapping_size(mp);
		add_rss(&f->rss, mp);
	}
	if (f->count == 0)
		return false;
	snprintf(f->text, sizeof f->text, "%llu glibc malloc arenas (64 MiB "
	    "reservations, %s in use, %s): fewer with MALLOC_ARENA_MAX=2",
	    (unsigned long long)f->count, fmt_bytes(a, sizeof a, f->size),
	    rss_text(r, sizeof r, f->rss));
	return true;
}

/* Thread stacks: a stack-sized rw mapping right above a ---p guard page. */
static bool
detect_stacks(const struct maps *m, const struct detect_ctx *c,
    struct finding *f)
{
	uint64_t	limit = c->stack_limit ? c->stack_limit : 8 * MiB;
	size_t		i;
	char		a[32], b[32], r[64];

	f->rss = m->have_rss ? 0 : UINT64_MAX;
	for (i = 1; i < m->n; i++) {
		const struct mapping	*mp = &m->v[i], *g = &m->v[i - 1];
		uint64_t		 sz = mapping_size(mp);

		if (!mp->anon || strncmp(mp->perms, "rw", 2) != 0 ||
		    !g->anon || strncmp(g->perms, "---", 3) != 0 ||
		    g->end != mp->start || mapping_size(g) > 64 * KiB)
			continue;
		if (sz != limit && sz + mapping_size(g) != limit)
			continue;
		f->count++;
		f->size += sz;
		add_rss(&f->rss, mp);
	}
	if (f->count == 0)
		return false;
	snprintf(f->text, sizeof f->text, "%llu thread stacks of %s with a "
	    "guard page (%s mapped, %s)", (unsigned long long)f->count,
	    fmt_bytes(a, sizeof a, limit), fmt_bytes(b, sizeof b, f->size),
	    rss_text(r, sizeof r, f->rss));
	return true;
}

const struct detector detector_table[] = {
	{ "v8-pages", "many anonymous rw mappings of exactly 256 KiB in a Node "
	  "process: V8 heap pages, often garbage a full GC gives back",
	  detect_v8 },
	{ "glibc-arenas", "64 MiB-aligned heap reservations of glibc's non-main "
	  "malloc arenas (one per thread that mallocs, up to 8 x cores)",
	  detect_arenas },
	{ "thread-stacks", "stack-sized mappings above a guard page: one per "
	  "thread", detect_stacks },
};
const size_t detector_count = sizeof detector_table /
    sizeof detector_table[0];
_Static_assert(sizeof detector_table / sizeof detector_table[0] <=
    MAPS_TALLY_RULES, "the sampler keeps a tally per rule");

size_t
detect_all(const struct maps *m, const struct detect_ctx *c,
    struct finding *out, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < detector_count && n < max; i++) {
		memset(&out[n], 0, sizeof out[n]);
		if (detector_table[i].detect(m, c, &out[n])) {
			out[n].rule = detector_table[i].rule;
			n++;
		}
	}
	return n;
}
