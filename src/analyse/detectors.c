#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analyse/detectors.h"
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

static bool
is_libjvm(const char *name)
{
	size_t	l = strlen(name);

	return l >= 10 && strcmp(name + l - 10, "/libjvm.so") == 0;
}

bool
detect_is_jvm(const struct maps *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		if (is_libjvm(m->v[i].name))
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

static bool
rw(const struct mapping *mp)
{
	return mp->perms[0] == 'r' && mp->perms[1] == 'w';
}

static bool
none(const struct mapping *mp)
{
	return mp->perms[0] == '-' && mp->perms[1] == '-' &&
	    mp->perms[2] == '-';
}

/* V8 heap pages: many anonymous rw mappings of exactly 256 KiB in Node. */
static void
v8_feed(struct detect_run *d, struct finding *f, const struct mapping *mp)
{
	if (!d->node || !mp->anon || mapping_size(mp) != V8_PAGE || !rw(mp))
		return;
	f->count++;
	f->size += V8_PAGE;
	add_rss(&f->rss, mp);
}

static bool
v8_end(struct detect_run *d, struct finding *f)
{
	char	a[32], r[64];

	(void)d;
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
 * 64 MiB, a rw part (in use) and a ---p remainder right after it. A
 * candidate waits for the mapping after it.
 */
static void
arena_settle(struct detect_run *d, struct finding *f, const struct mapping *nx)
{
	const struct mapping	*mp = &d->prev;
	uint64_t		 total;

	if (!d->arena_wait)
		return;
	d->arena_wait = false;
	total = mapping_size(mp);
	if (nx != NULL && nx->anon && nx->start == mp->end && none(nx))
		total += mapping_size(nx);
	if (total != ARENA_SIZE)
		return;
	f->count++;
	f->size += mapping_size(mp);
	add_rss(&f->rss, mp);
}

static void
arena_feed(struct detect_run *d, struct finding *f, const struct mapping *mp)
{
	arena_settle(d, f, mp);
	d->arena_wait = mp->anon && mp->start % ARENA_SIZE == 0 && rw(mp);
}

static bool
arena_end(struct detect_run *d, struct finding *f)
{
	char	a[32], r[64];

	arena_settle(d, f, NULL);
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
 * in a JVM also HotSpot's 1 MiB ones (its guard zones included), counted
 * apart until the end says whether libjvm.so was mapped.
 */
static void
stack_feed(struct detect_run *d, struct finding *f, const struct mapping *mp)
{
	const struct mapping	*g = &d->prev;
	uint64_t		 sz = mapping_size(mp), gs;

	if (!d->have_prev || !mp->anon || !rw(mp) || !g->anon || !none(g) ||
	    g->end != mp->start || (gs = mapping_size(g)) > 64 * KiB)
		return;
	if (sz == d->stack_limit || sz + gs == d->stack_limit) {
		f->count++;
		f->size += sz;
		add_rss(&f->rss, mp);
	} else if (sz == JVM_STACK || sz + gs == JVM_STACK) {
		d->jvm_stacks.count++;
		d->jvm_stacks.size += sz;
		add_rss(&d->jvm_stacks.rss, mp);
	}
}

static bool
stack_end(struct detect_run *d, struct finding *f)
{
	char	a[32], b[32], r[64];

	if (d->jvm) {
		f->count += d->jvm_stacks.count;
		f->size += d->jvm_stacks.size;
		if (f->rss != UINT64_MAX && d->jvm_stacks.rss != UINT64_MAX)
			f->rss += d->jvm_stacks.rss;
		else
			f->rss = UINT64_MAX;
	}
	if (f->count == 0)
		return false;
	snprintf(f->text, sizeof f->text, "%llu thread stacks of %s%s with a "
	    "guard page (%s mapped, %s)", (unsigned long long)f->count,
	    fmt_bytes(a, sizeof a, d->stack_limit),
	    d->jvm ? " or 1M (JVM threads)" : "",
	    fmt_bytes(b, sizeof b, f->size), rss_text(r, sizeof r, f->rss));
	return true;
}

/*
 * A JVM's Java heap reservation: with compressed oops (heaps up to 32 GiB,
 * the default) HotSpot reserves it below 32 GiB, rw where committed and
 * ---p the rest; nothing else anonymous lives there but, at times, the
 * compressed class space. The CodeHeap (rwx, in its ---p reservation) is
 * said in the text. Counted for every process; fires in a JVM only.
 */
static void
jheap_feed(struct detect_run *d, struct finding *f, const struct mapping *mp)
{
	if (!mp->anon || mp->name[0] != '\0') {
		d->in_code = false;
		return;
	}
	/* the CodeHeap: rwx segments and the ---p right after each */
	if (rw(mp) && mp->perms[2] == 'x') {
		d->code += mapping_size(mp);
		d->code_res += mapping_size(mp);
		d->in_code = true;
	} else if (d->in_code && none(mp) && mp->start == d->prev.end)
		d->code_res += mapping_size(mp);
	else
		d->in_code = false;
	if (mp->end > JVM_OOPS_TOP)
		return;
	f->count++;
	f->size += mapping_size(mp);
	if (rw(mp)) {
		d->heap_rw += mapping_size(mp);
		add_rss(&f->rss, mp);
	}
}

static bool
jheap_end(struct detect_run *d, struct finding *f)
{
	char	a[32], b[32], c[32], e[32], r[64];

	if (!d->jvm) {
		memset(f, 0, sizeof *f);	/* what a non-JVM counts */
		return false;
	}
	if (f->count == 0)
		return false;
	snprintf(f->text, sizeof f->text, "Java heap: %s reserved below 32 "
	    "GiB, %s committed (%s); CodeHeap %s reserved, %s committed: g "
	    "collects it (GC.run), -Xmx caps it", fmt_bytes(a, sizeof a,
	    f->size), fmt_bytes(b, sizeof b, d->heap_rw), rss_text(r, sizeof r,
	    f->rss), fmt_bytes(c, sizeof c, d->code_res), fmt_bytes(e,
	    sizeof e, d->code));
	return true;
}

/* In enum detect_rule's order (detect_feed calls the feeds by name). */
const struct detector detector_table[] = {
	{ "v8-pages", "many anonymous rw mappings of exactly 256 KiB in a Node "
	  "process: V8 heap pages, often garbage a full GC gives back",
	  v8_end },
	{ "glibc-arenas", "64 MiB-aligned heap reservations of glibc's non-main "
	  "malloc arenas (one per thread that mallocs, up to 8 x cores)",
	  arena_end },
	{ "thread-stacks", "stack-sized mappings above a guard page: one per "
	  "thread (in a JVM also HotSpot's 1 MiB ones)", stack_end },
	{ "java-heap", "a JVM's Java heap reservation: anonymous mappings "
	  "below 32 GiB (compressed oops), rw where committed",
	  jheap_end },
};
const size_t detector_count = sizeof detector_table /
    sizeof detector_table[0];
_Static_assert(sizeof detector_table / sizeof detector_table[0] ==
    DETECT_RULES, "a row per rule, a finding per rule in a run");

void
detect_begin(struct detect_run *d, const struct detect_ctx *c)
{
	memset(d, 0, sizeof *d);
	d->node = detect_is_node(c);
	d->stack_limit = c->stack_limit ? c->stack_limit : 8 * MiB;
}

void
detect_feed(struct detect_run *d, const struct mapping *mp)
{
	/* a file's path: most mappings are anonymous, no strlen for them */
	if (!d->jvm && !mp->anon && mp->name[0] == '/' && is_libjvm(mp->name))
		d->jvm = true;
	/* called directly (per mapping: 100 000 in some processes) */
	v8_feed(d, &d->f[DETECT_V8], mp);
	arena_feed(d, &d->f[DETECT_ARENAS], mp);
	stack_feed(d, &d->f[DETECT_STACKS], mp);
	jheap_feed(d, &d->f[DETECT_JHEAP], mp);
	d->prev = *mp;
	d->prev.name = NULL;	/* the scan's; gone after this call */
	d->have_prev = true;
}

unsigned
detect_end(struct detect_run *d, bool have_rss)
{
	unsigned	fired = 0;
	size_t		i;

	for (i = 0; i < detector_count; i++) {
		struct finding	*f = &d->f[i];

		if (!have_rss)
			f->rss = UINT64_MAX;	/* maps text: not known */
		if (detector_table[i].end(d, f)) {
			f->rule = detector_table[i].rule;
			fired |= 1u << i;
		}
	}
	return fired;
}

size_t
detect_all(const struct maps *m, const struct detect_ctx *c,
    struct finding *out, size_t max)
{
	struct detect_run	d;
	unsigned		fired;
	size_t			i, n = 0;

	detect_begin(&d, c);
	for (i = 0; i < m->n; i++)
		detect_feed(&d, &m->v[i]);
	fired = detect_end(&d, m->have_rss);
	for (i = 0; i < detector_count && n < max; i++) {
		if (fired & (1u << i))
			out[n++] = d.f[i];
	}
	return n;
}
