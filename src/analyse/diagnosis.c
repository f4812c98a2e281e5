#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/detectors.h"
#include "analyse/diagnosis.h"
#include "util/fmt.h"

#define MiB		(1ULL << 20)
#define DIAG_MIN	(64 * MiB)	/* less than this explains nothing */

const struct diag_rule diag_rule_table[] = {
	{ "v8-garbage", "V8 heap pages (256 KiB mappings) far above the "
	  "replicas' or large on their own: usually garbage a full GC gives "
	  "back (g)" },
	{ "glibc-arenas", "anonymous memory outside V8 in a process with many "
	  "glibc malloc arenas: fragmentation MALLOC_ARENA_MAX bounds" },
	{ "shmem", "shared memory (tmpfs, /dev/shm, shmget) rather than heap" },
	{ "near-limit", "the cgroup's charge is at 90 % of its limit or more: "
	  "the next allocations may reclaim hard or OOM-kill" },
	{ "swap", "part of the memory is swapped out: RSS understates it" },
};
const size_t diag_rule_count = sizeof diag_rule_table /
    sizeof diag_rule_table[0];

/* What a pod's (or a process's) figures are for the rules. */
struct facts {
	uint64_t	anon;		/* RssAnon, FIG_NA if unknown */
	uint64_t	v8;		/* bytes in 256 KiB V8 pages */
	uint64_t	arenas;		/* glibc arena reservations */
	uint64_t	native;		/* anon outside V8's pages */
	uint64_t	shmem;
	uint64_t	swap;
	bool		maps_known;
	const struct snap_proc *v8_proc;	/* the one with most V8 pages */
	const struct snap_proc *arena_proc;	/* the one with most arenas */
};

static void
facts_done(struct facts *f)
{
	f->native = f->anon == FIG_NA || f->anon < f->v8 ? 0 : f->anon - f->v8;
}

static int
rule_index(const char *rule)
{
	size_t	i;

	for (i = 0; i < detector_count; i++) {
		if (strcmp(detector_table[i].rule, rule) == 0)
			return (int)i;
	}
	return -1;
}

/* The tally slots of the two rules the diagnosis reads (looked up once). */
static int	slot_v8 = -2, slot_arenas = -2;

static void
slots(void)
{
	if (slot_v8 == -2) {
		slot_v8 = rule_index("v8-pages");
		slot_arenas = rule_index("glibc-arenas");
	}
}

static void
facts_add_proc(struct facts *f, const struct snap_proc *sp)
{
	int	v8, ar;

	slots();
	v8 = slot_v8;
	ar = slot_arenas;
	if (sp->nmaps < 0) {
		f->maps_known = false;
		return;
	}
	if (v8 >= 0) {
		f->v8 += sp->tally.bytes[v8];
		if (sp->tally.bytes[v8] > 0 && (f->v8_proc == NULL ||
		    sp->tally.bytes[v8] > f->v8_proc->tally.bytes[v8]))
			f->v8_proc = sp;
	}
	if (ar >= 0) {
		f->arenas += sp->tally.count[ar];
		if (sp->tally.count[ar] > 0 && (f->arena_proc == NULL ||
		    sp->tally.count[ar] > f->arena_proc->tally.count[ar]))
			f->arena_proc = sp;
	}
}

/*
 * --max-old-space-size from the command line (libproc2 joins argv with
 * spaces) or from NODE_OPTIONS (collect kept its digits): into buf, or "".
 */
static const char *
old_space(const struct snap_proc *sp, char *buf, size_t len)
{
	const char	*p;
	size_t		 n;

	buf[0] = '\0';
	if (sp->cmdline != NULL &&
	    (p = strstr(sp->cmdline, "--max-old-space-size=")) != NULL) {
		p += strlen("--max-old-space-size=");
		n = strspn(p, "0123456789");
		snprintf(buf, len, "%.*s", (int)n, p);
	} else if (sp->env != NULL && sp->env->old_space[0] != '\0')
		snprintf(buf, len, "%s", sp->env->old_space);
	return buf;
}

static void
facts_of_group(const struct tree_group *g, struct facts *f)
{
	size_t		ci, pi;
	struct fig_val	v;

	memset(f, 0, sizeof *f);
	f->maps_known = true;
	v = fig_sum_get(&g->sum, FIG_RSS_ANON);
	f->anon = v.state == FIG_KNOWN ? v.v : FIG_NA;
	v = fig_sum_get(&g->sum, FIG_RSS_SHMEM);
	f->shmem = v.state == FIG_UNKNOWN ? 0 : v.v;
	v = fig_sum_get(&g->sum, FIG_VM_SWAP);
	f->swap = v.state == FIG_UNKNOWN ? 0 : v.v;
	for (ci = 0; ci < g->nctrs; ci++) {
		for (pi = 0; pi < g->ctrs[ci].nprocs; pi++) {
			if (!g->ctrs[ci].procs[pi].gone)
				facts_add_proc(f, g->ctrs[ci].procs[pi].sp);
		}
	}
	facts_done(f);
}

static struct diag *
add(struct diag_set *s, const char *rule, uint64_t bytes, bool explains)
{
	struct diag	*d;

	if (s->n == DIAG_MAX)
		return NULL;
	d = &s->d[s->n++];
	memset(d, 0, sizeof *d);
	d->rule = rule;
	d->bytes = bytes;
	d->explains = explains;
	return d;
}

/* Takes up to want bytes of the budget; what it got. */
static uint64_t
take(struct diag_set *s, uint64_t want)
{
	uint64_t	got = want < s->budget ? want : s->budget;

	s->budget -= got;
	return got;
}

/*
 * How much of figure own is above its replicas' base (FIG_NA: no base):
 * *rel says whether the answer is relative to replicas.
 */
static uint64_t
above(uint64_t own, uint64_t base, bool *rel)
{
	*rel = base != FIG_NA;
	if (base == FIG_NA)
		return own;
	return own > base ? own - base : 0;
}

/*
 * Adds an explaining verdict: against the replicas when rel, from the
 * shared budget; a pod whose replicas hold as much (nothing above them)
 * still gets it when its own figure is large, as a verdict that explains
 * no excess ("like its replicas"). Returns the verdict or NULL.
 */
static struct diag *
explain(struct diag_set *s, const char *rule, uint64_t x, bool rel,
    uint64_t own, uint64_t absolute_min, bool *like_replicas)
{
	uint64_t	got;

	*like_replicas = false;
	if (x >= (rel ? DIAG_MIN : absolute_min) &&
	    (got = take(s, x)) >= DIAG_MIN)
		return add(s, rule, got, true);
	if (rel && own >= absolute_min) {
		*like_replicas = true;
		return add(s, rule, own, false);
	}
	return NULL;
}

static void
v8_advice(struct diag *d, const struct snap_proc *sp)
{
	char	a[32];

	old_space(sp, a, sizeof a);
	if (a[0] != '\0')
		snprintf(d->advice, sizeof d->advice, "force a full GC (g) to "
		    "see how much is garbage; --max-old-space-size=%s is set: "
		    "V8 may grow its old space to %s MiB before it collects "
		    "hard", a, a);
	else
		snprintf(d->advice, sizeof d->advice, "force a full GC (g) to "
		    "see how much is garbage; --max-old-space-size is not set "
		    "(not in its command line%s): V8 sizes its heap from the "
		    "machine, not the pod's limit; set it in NODE_OPTIONS",
		    sp->env == NULL ? "; NODE_OPTIONS not read" :
		    !sp->env->read ? "; NODE_OPTIONS unreadable" :
		    " nor NODE_OPTIONS");
}

static void
arena_advice(struct diag *d, const struct facts *own)
{
	const struct proc_env	*env = own->arena_proc != NULL ?
				    own->arena_proc->env : NULL;

	if (env == NULL || !env->read)
		snprintf(d->advice, sizeof d->advice, "cap the arenas: env "
		    "MALLOC_ARENA_MAX=2 in the pod spec (glibc allows 8 per "
		    "core; its environment was %s)", env == NULL ? "not read" :
		    "unreadable");
	else if (!env->has_arena_max)
		snprintf(d->advice, sizeof d->advice, "MALLOC_ARENA_MAX unset: 8 "
		    "arenas per core allowed, %llu in use; set env "
		    "MALLOC_ARENA_MAX=2 in the pod spec",
		    (unsigned long long)own->arenas);
	else
		snprintf(d->advice, sizeof d->advice, "MALLOC_ARENA_MAX=%s is "
		    "set, %llu arenas in use: %s", env->arena_max,
		    (unsigned long long)own->arenas, atoi(env->arena_max) > 2 ?
		    "lower it to 2" : "the arenas are capped; what is left is "
		    "live or fragmented native memory");
}

/*
 * The rules, in order. own: the facts of the subject; base: the same
 * figures' medians over its siblings (FIG_NA: no baseline for that one).
 */
static void
rules(struct diag_set *s, const struct facts *own, const struct facts *base,
    const struct tree_stats *st)
{
	char			 a[32], b[32];
	uint64_t		 x;
	struct diag		*d;
	const struct proc_env	*env;
	bool			 rel, like;

	/* the mapping rules need the mappings: unknown is no verdict */
	if (own->maps_known && own->v8 > 0) {
		x = above(own->v8, base->v8, &rel);
		if ((d = explain(s, "v8-garbage", x, rel, own->v8,
		    4 * DIAG_MIN, &like)) != NULL) {
			if (like)
				snprintf(d->text, sizeof d->text, "V8 heap pages "
				    "%s, as many as its replicas': likely "
				    "uncollected garbage in all: press g",
				    fmt_bytes(a, sizeof a, own->v8));
			else if (rel)
				snprintf(d->text, sizeof d->text, "V8 heap pages "
				    "%s (%s over its replicas), likely "
				    "uncollected garbage: press g",
				    fmt_bytes(a, sizeof a, own->v8),
				    fmt_bytes(b, sizeof b, x));
			else
				snprintf(d->text, sizeof d->text, "V8 heap pages "
				    "%s, likely uncollected garbage: press g",
				    fmt_bytes(a, sizeof a, own->v8));
			v8_advice(d, own->v8_proc);
		}
	}
	env = own->arena_proc != NULL ? own->arena_proc->env : NULL;
	if (own->maps_known && (own->arenas >= 4 || (env != NULL &&
	    env->has_arena_max))) {
		x = above(own->native, base->native, &rel);
		if ((d = explain(s, "glibc-arenas", x, rel, own->native,
		    DIAG_MIN, &like)) != NULL) {
			snprintf(d->text, sizeof d->text, "native allocations in "
			    "%llu glibc arenas: %s outside V8%s",
			    (unsigned long long)own->arenas,
			    fmt_bytes(a, sizeof a, own->native), like ?
			    ", as much as its replicas'" : rel ?
			    " above its replicas'" : "");
			arena_advice(d, own);
		}
	}
	x = above(own->shmem, base->shmem, &rel);
	if ((d = explain(s, "shmem", x, rel, own->shmem, DIAG_MIN,
	    &like)) != NULL) {
		snprintf(d->text, sizeof d->text, "shared memory %s (tmpfs, "
		    "/dev/shm or shmget), not heap%s",
		    fmt_bytes(a, sizeof a, own->shmem), like ?
		    ", as much as its replicas'" : "");
		snprintf(d->advice, sizeof d->advice, "look for files in "
		    "/dev/shm or an emptyDir with medium: Memory; they count "
		    "against the limit until deleted");
	}
	/* state: near the limit, swapping */
	if (st != NULL && st->charge != FIG_NA && st->limit != FIG_NA &&
	    st->limit > 0 && st->charge >= st->limit / 10 * 9 &&
	    (d = add(s, "near-limit", st->charge, false)) != NULL) {
		snprintf(d->text, sizeof d->text, "at %.0f%% of its %s limit "
		    "(%s charged): near an OOM kill", 100.0 *
		    (double)st->charge / (double)st->limit,
		    fmt_bytes(a, sizeof a, st->limit),
		    fmt_bytes(b, sizeof b, st->charge));
		snprintf(d->advice, sizeof d->advice, "raise the limit or "
		    "find the growth above; page cache in the charge is "
		    "reclaimed first");
	}
	if (own->swap >= 16 * MiB && (d = add(s, "swap", own->swap,
	    false)) != NULL) {
		snprintf(d->text, sizeof d->text, "%s swapped out: RSS "
		    "understates its memory", fmt_bytes(a, sizeof a,
		    own->swap));
		snprintf(d->advice, sizeof d->advice, "count VmSwap with RSS; "
		    "swap-in stalls show as latency");
	}
}

void
diagnose_group(const struct tree *t, const struct tree_group *g,
    struct diag_set *out)
{
	const struct tree_replicas	*r = &g->st.rep;
	struct facts			 own, base;
	uint64_t			 sx;
	bool				 rel;

	(void)t;	/* the baselines are the model's (tree_replicas) */
	memset(out, 0, sizeof *out);
	facts_of_group(g, &own);
	if (own.anon == FIG_NA)
		return;
	slots();
	memset(&base, 0, sizeof base);
	base.v8 = base.native = base.shmem = FIG_NA;
	out->vs_replicas = r->median != FIG_NA;
	if (out->vs_replicas) {
		base.shmem = r->base_shmem;
		if (slot_v8 >= 0) {
			base.v8 = r->base_tally[slot_v8];
			base.native = r->base_anon_less[slot_v8];
		}
		sx = above(own.shmem, base.shmem, &rel);
		out->budget = (r->excess > 0 ? (uint64_t)r->excess : 0) +
		    (rel ? sx : 0);
	} else
		out->budget = own.anon + own.shmem;
	rules(out, &own, &base, &g->st);
}

void
diagnose_proc(const struct tree_proc *p, struct diag_set *out)
{
	struct facts	own, base;

	memset(out, 0, sizeof *out);
	memset(&own, 0, sizeof own);
	memset(&base, 0, sizeof base);
	base.v8 = base.native = base.shmem = FIG_NA;
	own.maps_known = p->sp->nmaps >= 0;
	own.anon = p->sp->fig[FIG_RSS_ANON];
	if (own.anon == FIG_NA || p->gone)
		return;
	own.shmem = p->sp->fig[FIG_RSS_SHMEM] == FIG_NA ? 0 :
	    p->sp->fig[FIG_RSS_SHMEM];
	own.swap = p->sp->fig[FIG_VM_SWAP] == FIG_NA ? 0 :
	    p->sp->fig[FIG_VM_SWAP];
	facts_add_proc(&own, p->sp);
	facts_done(&own);
	out->budget = own.anon + own.shmem;
	rules(out, &own, &base, NULL);
}

bool
diagnose_gc(const struct tree *t, const struct tree_group *g,
    const struct diag_gc *gc, char *buf, size_t len)
{
	char		a[32], b[32], c[32], d[32];
	uint64_t	freed;
	double		share;
	size_t		n, i;
	struct diag_set	ds;

	if (gc->rss_before == FIG_NA || gc->rss_after == FIG_NA ||
	    gc->rss_before == 0)
		return false;
	freed = gc->rss_before > gc->rss_after ? gc->rss_before -
	    gc->rss_after : 0;
	share = 100.0 * (double)freed / (double)gc->rss_before;
	n = (size_t)snprintf(buf, len, "GC freed %s of %s RSS (%.0f %%): %s",
	    fmt_bytes(a, sizeof a, freed), fmt_bytes(b, sizeof b,
	    gc->rss_before), share, share >= 50 ? gc->jvm ?
	    "it was Java heap garbage" : "it was V8 garbage" :
	    freed >= DIAG_MIN ? gc->jvm ? "part of it was Java heap garbage" :
	    "part of it was V8 garbage" : "little of it was garbage");
	if (n >= len || g == NULL || g->st.rep.median == FIG_NA)
		return true;
	n += (size_t)snprintf(buf + n, len - n, "; the pod is now %s over its "
	    "replicas", fmt_delta(c, sizeof c, g->st.rep.excess));
	if (n < len && gc->outside_heap_after >= 0 && g->st.rep.excess > 0)
		n += (size_t)snprintf(buf + n, len - n, ", of which %s is "
		    "outside %s", fmt_bytes(d, sizeof d,
		    (uint64_t)gc->outside_heap_after <
		    (uint64_t)g->st.rep.excess ?
		    (uint64_t)gc->outside_heap_after :
		    (uint64_t)g->st.rep.excess), gc->jvm ? "the Java heap" :
		    "V8");
	if (n >= len || g->st.rep.excess < (int64_t)DIAG_MIN)
		return true;
	diagnose_group(t, g, &ds);
	for (i = 0; i < ds.n; i++) {
		if (strcmp(ds.d[i].rule, "glibc-arenas") == 0) {
			snprintf(buf + n, len - n, "; the rest: %s",
			    ds.d[i].text);
			break;
		}
	}
	return true;
}

uint64_t
diagnose_old_space_mib(const struct tree_replicas *r, uint64_t heap_used_after)
{
	uint64_t	b;

	if (heap_used_after != FIG_NA && heap_used_after > 0)
		b = heap_used_after * 2;
	else if (r != NULL && r->median != FIG_NA && r->median > 0)
		b = r->median;
	else
		return 0;
	b = (b + 64 * MiB - 1) / (64 * MiB) * 64;
	return b < 128 ? 128 : b;
}
