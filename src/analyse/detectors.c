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
#define JVM_STACK	(1 * MiB)	/* HotSpot's thread stacks (x86_64) */
#define JVM_OOPS_TOP	(32ULL << 30)	/* compressed oops: heap below it */

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

bool
detect_is_jvm(const struct maps *m)
{
	size_t	i, l;

	for (i = 0; i < m->n; i++) {
		l = strlen(m->v[i].name);
		if (l >= 10 && strcmp(m->v[i].name + l - 10, "/libjvm.so") == 0)
			return true;
	}
	return false;
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

/*
 * Thread stacks: a stack-sized rw mapping right above a ---p guard page;
 * in a JVM also HotSpot's 1 MiB ones (its guard zones included).
 */
static bool
detect_stacks(const struct maps *m, const struct detect_ctx *c,
    struct finding *f)
{
	uint64_t	limit = c->stack_limit ? c->stack_limit : 8 * MiB;
	uint64_t	jvm = detect_is_jvm(m) ? JVM_STACK : 0;
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
		if (sz != limit && sz + mapping_size(g) != limit &&
		    (jvm == 0 || (sz != jvm && sz + mapping_size(g) != jvm)))
			continue;
		f->count++;
		f->size += sz;
		add_rss(&f->rss, mp);
	}
	if (f->count == 0)
		return false;
	snprintf(f->text, sizeof f->text, "%llu thread stacks of %s%s with a "
	    "guard page (%s mapped, %s)", (unsigned long long)f->count,
	    fmt_bytes(a, sizeof a, limit), jvm ? " or 1M (JVM threads)" : "",
	    fmt_bytes(b, sizeof b, f->size), rss_text(r, sizeof r, f->rss));
	return true;
}

/*
 * A JVM's Java heap reservation: with compressed oops (heaps up to 32 GiB,
 * the default) HotSpot reserves it below 32 GiB, rw where committed and
 * ---p the rest; nothing else anonymous lives there but, at times, the
 * compressed class space. The CodeHeap (rwx, in its ---p reservation) is
 * said in the text.
 */
static bool
detect_java_heap(const struct maps *m, const struct detect_ctx *c,
    struct finding *f)
{
	uint64_t	rw = 0, code = 0, code_res = 0;
	size_t		i;
	char		a[32], b[32], d[32], e[32], r[64];
	bool		in_code = false;

	(void)c;
	if (!detect_is_jvm(m))
		return false;
	f->rss = m->have_rss ? 0 : UINT64_MAX;
	for (i = 0; i < m->n; i++) {
		const struct mapping	*mp = &m->v[i];

		if (!mp->anon || mp->name[0] != '\0') {
			in_code = false;
			continue;
		}
		/* the CodeHeap: rwx segments and the ---p right after each */
		if (strncmp(mp->perms, "rwx", 3) == 0) {
			code += mapping_size(mp);
			code_res += mapping_size(mp);
			in_code = true;
		} else if (in_code && strncmp(mp->perms, "---", 3) == 0 &&
		    mp->start == m->v[i - 1].end)
			code_res += mapping_size(mp);
		else
			in_code = false;
		if (mp->end > JVM_OOPS_TOP)
			continue;
		f->count++;
		f->size += mapping_size(mp);
		if (strncmp(mp->perms, "rw", 2) == 0) {
			rw += mapping_size(mp);
			add_rss(&f->rss, mp);
		}
	}
	if (f->count == 0)
		return false;
	snprintf(f->text, sizeof f->text, "Java heap: %s reserved below 32 "
	    "GiB, %s committed (%s); CodeHeap %s reserved, %s committed: g "
	    "collects it (GC.run), -Xmx caps it", fmt_bytes(a, sizeof a,
	    f->size), fmt_bytes(b, sizeof b, rw), rss_text(r, sizeof r,
	    f->rss), fmt_bytes(d, sizeof d, code_res), fmt_bytes(e, sizeof e,
	    code));
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
	  "thread (in a JVM also HotSpot's 1 MiB ones)", detect_stacks },
	{ "java-heap", "a JVM's Java heap reservation: anonymous mappings "
	  "below 32 GiB (compressed oops), rw where committed",
	  detect_java_heap },
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
