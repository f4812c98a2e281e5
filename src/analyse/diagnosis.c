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

static void
facts_add_proc(struct facts *f, const struct snap_proc *sp)
{
	int	v8 = rule_index("v8-pages"), ar = rule_index("glibc-arenas");

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
 * --max-old-space-size from the command line (argv is NUL-separated in
 * libproc2's cmdline as spaces) or from NODE_OPTIONS: into buf, or "".
 */
static const char *
old_space(const struct snap_proc *sp, char *buf, size_t len)
{
	const char	*srcs[2], *p;
	size_t		 i, n;

	buf[0] = '\0';
	srcs[0] = sp->cmdline;
	srcs[1] = sp->env != NULL && sp->env->has_node_options ?
	    sp->env->node_options : NULL;
	for (i = 0; i < 2; i++) {
		if (srcs[i] == NULL ||
		    (p = strstr(srcs[i], "--max-old-space-size=")) == NULL)
			continue;
		p += strlen("--max-old-space-size=");
		n = strspn(p, "0123456789");
		snprintf(buf, len, "%.*s", (int)n, p);
		return buf;
	}
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

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The median over g's siblings of what pick takes from their facts. */
static uint64_t
sibling_median(const struct tree *t, const struct tree_group *g,
    uint64_t (*pick)(const struct facts *))
{
	uint64_t	*v = calloc(t->ngroups ? t->ngroups : 1, sizeof *v);
	uint64_t	 m;
	size_t		 i, n = 0;
	struct facts	 f;

	if (v == NULL)
		return 0;
	for (i = 0; i < t->ngroups; i++) {
		if (!tree_is_sibling(g, &t->groups[i]))
			continue;
		facts_of_group(&t->groups[i], &f);
		v[n++] = pick(&f);
	}
	if (n == 0) {
		free(v);
		return 0;
	}
	qsort(v, n, sizeof *v, u64_cmp);
	m = n % 2 ? v[n / 2] : v[n / 2 - 1] / 2 + v[n / 2] / 2;
	free(v);
	return m;
}

static uint64_t pick_v8(const struct facts *f) { return f->v8; }
static uint64_t pick_shmem(const struct facts *f) { return f->shmem; }
static uint64_t pick_native(const struct facts *f) { return f->native; }

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
 * The rules, in order. own: the facts of the subject; base: the same
 * figures' medians over its siblings (zero without siblings).
 */
static void
rules(struct diag_set *s, const struct facts *own, const struct facts *base,
    const struct tree_stats *st)
{
	char		a[32], b[32], c[32];
	uint64_t		 v8x, natx, shmx, got;
	struct diag		*d;
	const struct proc_env	*env;

	/* V8 heap pages */
	v8x = own->v8 > base->v8 ? own->v8 - base->v8 : 0;
	if (v8x >= (s->vs_replicas ? DIAG_MIN : 4 * DIAG_MIN) &&
	    (got = take(s, v8x)) >= DIAG_MIN && (d = add(s, "v8-garbage", got,
	    true)) != NULL) {
		if (s->vs_replicas)
			snprintf(d->text, sizeof d->text, "V8 heap pages %s "
			    "(%s over its replicas), likely uncollected "
			    "garbage: press g", fmt_bytes(a, sizeof a, own->v8),
			    fmt_bytes(b, sizeof b, v8x));
		else
			snprintf(d->text, sizeof d->text, "V8 heap pages %s, "
			    "likely uncollected garbage: press g",
			    fmt_bytes(a, sizeof a, own->v8));
		old_space(own->v8_proc, a, sizeof a);
		if (a[0] != '\0')
			snprintf(d->advice, sizeof d->advice, "force a full GC "
			    "(g) to see how much is garbage; "
			    "--max-old-space-size=%s is set: V8 may grow its "
			    "old space to %s MiB before it collects hard", a, a);
		else
			snprintf(d->advice, sizeof d->advice, "force a full GC "
			    "(g) to see how much is garbage; "
			    "--max-old-space-size is not set (not in its "
			    "command line%s): V8 sizes its heap from the "
			    "machine, not the pod's limit; set it in "
			    "NODE_OPTIONS", own->v8_proc->env == NULL ?
			    "; NODE_OPTIONS unreadable" : " nor NODE_OPTIONS");
	}
	/* native memory outside V8 with many arenas */
	natx = own->native > base->native ? own->native - base->native : 0;
	env = own->arena_proc != NULL ? own->arena_proc->env : NULL;
	if ((own->arenas >= 4 || (env != NULL && env->has_arena_max)) &&
	    natx >= DIAG_MIN &&
	    (got = take(s, natx)) >= DIAG_MIN && (d = add(s, "glibc-arenas",
	    got, true)) != NULL) {
		snprintf(d->text, sizeof d->text, "native allocations in %llu "
		    "glibc arenas: %s outside V8%s",
		    (unsigned long long)own->arenas,
		    fmt_bytes(a, sizeof a, own->native), s->vs_replicas ?
		    " above its replicas'" : "");
		if (env == NULL)
			snprintf(d->advice, sizeof d->advice, "cap the arenas: "
			    "env MALLOC_ARENA_MAX=2 in the pod spec (glibc "
			    "allows 8 per core; its environment was not "
			    "readable)");
		else if (!env->has_arena_max)
			snprintf(d->advice, sizeof d->advice, "MALLOC_ARENA_MAX "
			    "unset: 8 arenas per core allowed, %llu in use; set "
			    "env MALLOC_ARENA_MAX=2 in the pod spec",
			    (unsigned long long)own->arenas);
		else
			snprintf(d->advice, sizeof d->advice, "MALLOC_ARENA_MAX="
			    "%s is set, %llu arenas in use: %s", env->arena_max,
			    (unsigned long long)own->arenas,
			    atoi(env->arena_max) > 2 ? "lower it to 2" :
			    "the arenas are capped; what is left is live or "
			    "fragmented native memory");
	}
	/* shared memory */
	shmx = own->shmem > base->shmem ? own->shmem - base->shmem : 0;
	if (shmx >= DIAG_MIN && (got = take(s, shmx)) >= DIAG_MIN &&
	    (d = add(s, "shmem", got, true)) != NULL) {
		snprintf(d->text, sizeof d->text, "shared memory %s (tmpfs, "
		    "/dev/shm or shmget), not heap",
		    fmt_bytes(a, sizeof a, own->shmem));
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
		    "understates its memory", fmt_bytes(c, sizeof c,
		    own->swap));
		snprintf(d->advice, sizeof d->advice, "count VmSwap with RSS; "
		    "swap-in stalls show as latency");
	}
}

void
diagnose_group(const struct tree *t, const struct tree_group *g,
    struct diag_set *out)
{
	struct facts	own, base;

	memset(out, 0, sizeof *out);
	memset(&base, 0, sizeof base);
	facts_of_group(g, &own);
	if (own.anon == FIG_NA)
		return;
	out->vs_replicas = g->st.rep.median != FIG_NA;
	if (out->vs_replicas) {
		out->budget = g->st.rep.excess > 0 ?
		    (uint64_t)g->st.rep.excess : 0;
		base.v8 = sibling_median(t, g, pick_v8);
		base.shmem = sibling_median(t, g, pick_shmem);
		base.native = sibling_median(t, g, pick_native);
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
	own.maps_known = true;
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
