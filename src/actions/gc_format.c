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

void
gc_format_verdict(const struct gc_result *r, bool arena, char *buf,
    size_t len)
{
	char		a[32], b[32], c[32];
	int64_t		out = gc_outside_v8(&r->v8_after);
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
		    "was garbage V8 had not collected yet",
		    fmt_bytes(a, sizeof a, freed), share);
	else
		snprintf(buf, len, "the GC freed %s, only %.0f%% of RSS",
		    fmt_bytes(a, sizeof a, freed), share);
	l = strlen(buf);
	if (out < 0)
		return;
	if ((uint64_t)out >= GC_OUTSIDE_LARGE && arena)
		snprintf(buf + l, len - l, "; %s of the %s left is outside V8 "
		    "and the glibc-arenas finding fired: native allocations "
		    "spread over malloc arenas (see the mapping page; "
		    "MALLOC_ARENA_MAX=2 limits them)",
		    fmt_bytes(b, sizeof b, (uint64_t)out),
		    fmt_bytes(c, sizeof c, r->rss_after));
	else if ((uint64_t)out >= GC_OUTSIDE_LARGE)
		snprintf(buf + l, len - l, "; %s of the %s left is outside V8 "
		    "(native memory: Buffers, addons, code): a GC cannot free "
		    "it", fmt_bytes(b, sizeof b, (uint64_t)out),
		    fmt_bytes(c, sizeof c, r->rss_after));
	else
		snprintf(buf + l, len - l, "; %s is left outside V8, the rest "
		    "is V8's heap (%s in use of %s)",
		    fmt_bytes(b, sizeof b, (uint64_t)out),
		    fmt_bytes(a, sizeof a, r->v8_after.heap_used),
		    fmt_bytes(c, sizeof c, r->v8_after.heap_total));
}

void
gc_format_inspector(const struct gc_result *r, char *buf, size_t len)
{
	const char	*where = r->addr[0] ? r->addr : "?";

	if (r->inspector_was_open)
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
	char	a[32], b[32], c[32], d[32], e[32], v[400], in[400];
	int64_t	oa = gc_outside_v8(&r->v8_after);

	if (!r->ok && r->watching) {
		/* the part the user must not miss first */
		snprintf(buf, len, "GC pid %d: still watching to close its "
		    "inspector (SIGUSR1 sent): %s", r->pid, r->error);
		return;
	}
	if (!r->ok) {
		gc_format_inspector(r, in, sizeof in);
		snprintf(buf, len, "GC pid %d failed: %s%s%s", r->pid, r->error,
		    r->signalled ? "; inspector: " : "", r->signalled ? in :
		    "");
		return;
	}
	gc_format_verdict(r, arena, v, sizeof v);
	snprintf(buf, len, "GC pid %d: RSS %s -> %s, V8 heap %s -> %s, outside "
	    "V8 %s (%.1f s); %s", r->pid, fmt_bytes(a, sizeof a, r->rss_before),
	    fmt_bytes(b, sizeof b, r->rss_after),
	    fmt_bytes(c, sizeof c, r->v8_before.heap_total),
	    fmt_bytes(d, sizeof d, r->v8_after.heap_total),
	    oa < 0 ? "-" : fmt_bytes(e, sizeof e, (uint64_t)oa),
	    r->duration_ms / 1000, v);
}

void
gc_format_lines(const struct gc_result *r, bool arena,
    void (*line)(void *, const char *, const char *), void *arg)
{
	char	t[640], a[32], b[32], c[32], d[32], e[32], f[32], g[32], h[32];
	int64_t	ob = gc_outside_v8(&r->v8_before);
	int64_t	oa = gc_outside_v8(&r->v8_after);

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
		snprintf(t, sizeof t, "V8 heapTotal %s -> %s, heapUsed %s -> "
		    "%s, external %s -> %s, arrayBuffers %s -> %s",
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
			snprintf(t, sizeof t, "V8 heap limit %s "
			    "(heap_size_limit: V8 grows its heap up to it "
			    "before it collects hard)", fmt_bytes(a, sizeof a,
			    r->v8_after.heap_limit));
			line(arg, "", t);
		}
		snprintf(t, sizeof t, "outside V8 (RSS - heapTotal - external "
		    "- arrayBuffers): %s -> %s", ob < 0 ? "-" :
		    fmt_bytes(a, sizeof a, (uint64_t)ob), oa < 0 ? "-" :
		    fmt_bytes(b, sizeof b, (uint64_t)oa));
		line(arg, "", t);
		gc_format_verdict(r, arena, t, sizeof t);
		line(arg, "verdict", t);
	}
	gc_format_inspector(r, t, sizeof t);
	line(arg, "inspector", t);
	if (r->note[0] != '\0')
		line(arg, "note", r->note);
}
