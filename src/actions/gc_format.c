#include "config.h"

#include <stdio.h>
#include <string.h>

#include "actions/gc_format.h"
#include "util/fmt.h"

static bool
known(uint64_t v)
{
	return v != UINT64_MAX;
}

/* Share of a in b, in percent (b > 0). */
static double
pct(uint64_t a, uint64_t b)
{
	return b > 0 ? 100.0 * (double)a / (double)b : 0;
}

static bool
jvm(const struct gc_result *r)
{
	return r->runtime == GC_RT_HOTSPOT;
}

/* What lies outside the runtime's heap, in its words. */
static const char *
outside_what(const struct gc_result *r)
{
	return jvm(r) ? "outside the Java heap" : "outside V8";
}

void
gc_format_verdict(const struct gc_result *r, bool arena, char *buf,
    size_t len)
{
	char		a[32], b[32], c[32];
	int64_t		out = gc_outside_heap(r, true);
	uint64_t	freed;
	double		share;
	size_t		l;

	buf[0] = '\0';
	if (!r->ok || !known(r->rss_before) || !known(r->rss_after) ||
	    r->rss_before == 0) {
		return;
	}
	freed = r->rss_after < r->rss_before ? r->rss_before - r->rss_after :
	    0;
	share = pct(freed, r->rss_before);
	if (share >= 50)
		snprintf(buf, len, "the GC freed %s, %.0f%% of RSS: most of it "
		    "was %s", fmt_bytes(a, sizeof a, freed), share, jvm(r) ?
		    "Java heap garbage HotSpot had not given back yet" :
		    "garbage V8 had not collected yet");
	else
		snprintf(buf, len, "the GC freed %s, only %.0f%% of RSS",
		    fmt_bytes(a, sizeof a, freed), share);
	l = strlen(buf);
	if (out < 0)
		return;
	if ((uint64_t)out >= GC_OUTSIDE_LARGE && arena)
		snprintf(buf + l, len - l, "; %s of the %s left is %s "
		    "and the glibc-arenas finding fired: native allocations "
		    "spread over malloc arenas (see the mapping page; "
		    "MALLOC_ARENA_MAX=2 limits them)",
		    fmt_bytes(b, sizeof b, (uint64_t)out),
		    fmt_bytes(c, sizeof c, r->rss_after), outside_what(r));
	else if ((uint64_t)out >= GC_OUTSIDE_LARGE)
		snprintf(buf + l, len - l, "; %s of the %s left is %s "
		    "(native memory: %s): a GC cannot free it",
		    fmt_bytes(b, sizeof b, (uint64_t)out),
		    fmt_bytes(c, sizeof c, r->rss_after), outside_what(r),
		    jvm(r) ? "thread stacks, code cache, Metaspace, GC "
		    "structures, direct buffers" : "Buffers, addons, code");
	else if (jvm(r))
		snprintf(buf + l, len - l, "; %s is left outside the Java "
		    "heap, the rest is the heap (%s in use of %s committed)",
		    fmt_bytes(b, sizeof b, (uint64_t)out),
		    fmt_bytes(a, sizeof a, r->heap_after.used),
		    fmt_bytes(c, sizeof c, r->heap_after.committed));
	else
		snprintf(buf + l, len - l, "; %s is left outside V8, the rest "
		    "is V8's heap (%s in use of %s)",
		    fmt_bytes(b, sizeof b, (uint64_t)out),
		    fmt_bytes(a, sizeof a, r->v8_after.heap_used),
		    fmt_bytes(c, sizeof c, r->v8_after.heap_total));
}

/* What happened to a JVM's attach socket. */
static void
attach_text(const struct gc_result *r, char *buf, size_t len)
{
	const char	*where = r->addr[0] ? r->addr : "its attach socket";

	if (r->inspector_was_open)
		snprintf(buf, len, "attached through %s, which was there (no "
		    "signal sent)", where);
	else if (!r->signalled)
		snprintf(buf, len, "no signal sent");
	else
		snprintf(buf, len, "SIGQUIT started HotSpot's attach listener "
		    "on %s; it stays, as after jcmd", where);
}

void
gc_format_inspector(const struct gc_result *r, char *buf, size_t len)
{
	const char	*where = r->addr[0] ? r->addr : "?";

	if (jvm(r))
		attach_text(r, buf, len);
	else if (r->inspector_was_open)
		snprintf(buf, len, "already open on %s: used and left open",
		    where);
	else if (!r->signalled)
		snprintf(buf, len, "none opened (no SIGUSR1 sent)");
	else if (r->watching)
		snprintf(buf, len, "SIGUSR1 sent; memtop is still watching "
		    "netns %s to close the inspector when it opens", r->netns);
	else if (r->closer[0] != '\0')
		snprintf(buf, len, "%s", r->closer);
	else if (r->inspector_closed)
		snprintf(buf, len, "opened on %s, closed again", where);
	else
		snprintf(buf, len, "opened on %s, STILL OPEN", where);
}

void
gc_format_summary(const struct gc_result *r, bool arena, char *buf,
    size_t len)
{
	char		 a[32], b[32], c[32], d[32], e[32], v[400], in[400];
	char		 heap[48];
	int64_t		 oa = gc_outside_heap(r, true);
	uint64_t	 hb, ha;

	if (!r->ok && r->watching) {
		/* the part the user must not miss first */
		snprintf(buf, len, "GC pid %d: still watching to close its "
		    "inspector (SIGUSR1 sent): %s", r->pid, r->error);
		return;
	}
	if (!r->ok) {
		gc_format_inspector(r, in, sizeof in);
		snprintf(buf, len, "GC pid %d failed: %s%s%s", r->pid, r->error,
		    r->signalled ? jvm(r) ? "; attach: " : "; inspector: " :
		    "", r->signalled ? in : "");
		return;
	}
	gc_format_verdict(r, arena, v, sizeof v);
	if (jvm(r)) {
		snprintf(heap, sizeof heap, "Java heap%s%s%s",
		    r->heap_before.collector[0] ? " (" : "",
		    r->heap_before.collector, r->heap_before.collector[0] ?
		    ")" : "");
		hb = r->heap_before.ok ? r->heap_before.committed : UINT64_MAX;
		ha = r->heap_after.ok ? r->heap_after.committed : UINT64_MAX;
	} else {
		snprintf(heap, sizeof heap, "V8 heap");
		hb = r->v8_before.heap_total;
		ha = r->v8_after.heap_total;
	}
	snprintf(buf, len, "GC pid %d: RSS %s -> %s, %s %s -> %s, %s %s "
	    "(%.1f s); %s", r->pid, fmt_bytes(a, sizeof a, r->rss_before),
	    fmt_bytes(b, sizeof b, r->rss_after), heap,
	    known(hb) ? fmt_bytes(c, sizeof c, hb) : "-",
	    known(ha) ? fmt_bytes(d, sizeof d, ha) : "-", outside_what(r),
	    oa < 0 ? "-" : fmt_bytes(e, sizeof e, (uint64_t)oa),
	    r->duration_ms / 1000, v);
}

/* A size or "-" when unknown. */
static const char *
sz(char *b, size_t len, uint64_t v)
{
	return known(v) ? fmt_bytes(b, len, v) : "-";
}

/* The JVM's heap lines, and NMT's largest categories. */
static void
jvm_lines(const struct gc_result *r,
    void (*line)(void *, const char *, const char *), void *arg)
{
	const struct hs_heap	*hb = &r->heap_before, *ha = &r->heap_after;
	char			 t[640], a[32], b[32], c[32], d[32], e[32];
	char			 f[32];
	size_t			 i, l, used[HS_NMT_MAX] = { 0 }, k, best;

	snprintf(t, sizeof t, "Java heap%s%s%s committed %s -> %s, used %s -> "
	    "%s; Metaspace committed %s -> %s", hb->collector[0] ? " (" : "",
	    hb->collector, hb->collector[0] ? ")" : "",
	    sz(a, sizeof a, hb->ok ? hb->committed : UINT64_MAX),
	    sz(b, sizeof b, ha->ok ? ha->committed : UINT64_MAX),
	    sz(c, sizeof c, hb->ok ? hb->used : UINT64_MAX),
	    sz(d, sizeof d, ha->ok ? ha->used : UINT64_MAX),
	    sz(e, sizeof e, hb->meta_committed),
	    sz(f, sizeof f, ha->meta_committed));
	line(arg, "", t);
	if (r->nmt.n == 0) {
		line(arg, "NMT", "off (start the JVM with "
		    "-XX:NativeMemoryTracking=summary to see its native memory "
		    "by category)");
		return;
	}
	l = (size_t)snprintf(t, sizeof t, "committed %s:", sz(a, sizeof a,
	    r->nmt.committed));
	/* the categories, largest first, while the line has room */
	for (k = 0; k < r->nmt.n && l + 40 < sizeof t; k++) {
		best = r->nmt.n;
		for (i = 0; i < r->nmt.n; i++) {
			if (!used[i] && (best == r->nmt.n ||
			    (known(r->nmt.cat[i].committed) &&
			    r->nmt.cat[i].committed >
			    r->nmt.cat[best].committed)))
				best = i;
		}
		if (best == r->nmt.n || !known(r->nmt.cat[best].committed) ||
		    r->nmt.cat[best].committed < (1ULL << 20))
			break;
		used[best] = 1;
		l += (size_t)snprintf(t + l, sizeof t - l, "%s %s %s",
		    k ? "," : "", r->nmt.cat[best].name, fmt_bytes(a, sizeof a,
		    r->nmt.cat[best].committed));
	}
	line(arg, "NMT", t);
}

static void
v8_line(const struct gc_result *r,
    void (*line)(void *, const char *, const char *), void *arg)
{
	char	t[640], a[32], b[32], c[32], d[32], e[32], f[32], g[32], h[32];

	snprintf(t, sizeof t, "V8 heapTotal %s -> %s, heapUsed %s -> %s, "
	    "external %s -> %s, arrayBuffers %s -> %s",
	    fmt_bytes(a, sizeof a, r->v8_before.heap_total),
	    fmt_bytes(b, sizeof b, r->v8_after.heap_total),
	    fmt_bytes(c, sizeof c, r->v8_before.heap_used),
	    fmt_bytes(d, sizeof d, r->v8_after.heap_used),
	    fmt_bytes(e, sizeof e, r->v8_before.external),
	    fmt_bytes(f, sizeof f, r->v8_after.external),
	    fmt_bytes(g, sizeof g, r->v8_before.array_buffers),
	    fmt_bytes(h, sizeof h, r->v8_after.array_buffers));
	line(arg, "", t);
	if (r->v8_after.heap_limit != UINT64_MAX) {
		snprintf(t, sizeof t, "V8 heap limit %s (heap_size_limit: V8 "
		    "grows its heap up to it before it collects hard)",
		    fmt_bytes(a, sizeof a, r->v8_after.heap_limit));
		line(arg, "", t);
	}
}

void
gc_format_lines(const struct gc_result *r, bool arena,
    void (*line)(void *, const char *, const char *), void *arg)
{
	char	t[640], a[32], b[32], c[32], d[32];
	int64_t	ob = gc_outside_heap(r, false);
	int64_t	oa = gc_outside_heap(r, true);

	if (!r->ok) {
		snprintf(t, sizeof t, "pid %d: GC failed: %s", r->pid,
		    r->error);
		line(arg, "last GC", t);
	} else {
		snprintf(t, sizeof t, "pid %d: RSS %s -> %s, Pss_Anon %s -> %s "
		    "(%.1f s)", r->pid, fmt_bytes(a, sizeof a, r->rss_before),
		    fmt_bytes(b, sizeof b, r->rss_after),
		    fmt_bytes(c, sizeof c, r->pss_anon_before),
		    fmt_bytes(d, sizeof d, r->pss_anon_after),
		    r->duration_ms / 1000);
		line(arg, "last GC", t);
		if (jvm(r))
			jvm_lines(r, line, arg);
		else
			v8_line(r, line, arg);
		snprintf(t, sizeof t, "%s (%s): %s -> %s", outside_what(r),
		    jvm(r) ? "RSS - committed heap" : "RSS - heapTotal - "
		    "external - arrayBuffers", ob < 0 ? "-" :
		    fmt_bytes(a, sizeof a, (uint64_t)ob), oa < 0 ? "-" :
		    fmt_bytes(b, sizeof b, (uint64_t)oa));
		line(arg, "", t);
		gc_format_verdict(r, arena, t, sizeof t);
		line(arg, "verdict", t);
	}
	gc_format_inspector(r, t, sizeof t);
	line(arg, jvm(r) ? "attach" : "inspector", t);
	if (r->note[0] != '\0')
		line(arg, "note", r->note);
}
