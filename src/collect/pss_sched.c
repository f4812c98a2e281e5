#include "config.h"

#include <stdlib.h>

#include "collect/figure.h"
#include "collect/pss_sched.h"
#include "collect/read_plan.h"

bool
pss_sched_moved(const uint64_t *then, const uint64_t *now)
{
	int		k;
	uint64_t	a, b, d, tol;

	for (k = 0; k < FIG__COUNT; k++) {
		if (fig_table[k].tier != FIG_TIER_CHEAP)
			continue;
		a = then[k];
		b = now[k];
		if (a == b)
			continue;
		if (a == FIG_NA || b == FIG_NA)
			return true;
		d = a > b ? a - b : b - a;
		tol = a / 100 > (1 << 20) ? a / 100 : (1 << 20);
		if (d > tol)
			return true;
	}
	return false;
}

double
pss_sched_stagger(int pid, double max_age)
{
	/* Fibonacci hashing: consecutive pids land far apart */
	uint32_t	h = (uint32_t)pid * 2654435769u;

	return max_age / 4 * ((double)(h >> 8) / (double)(1u << 24));
}

double
pss_sched_taken(double mono, bool first, int pid, double max_age)
{
	return first ? mono - pss_sched_stagger(pid, max_age) : mono;
}

static enum pss_class
classify(const struct pss_cand *c, const struct pss_sched_opts *o)
{
	enum pss_class	cls = PSS_NOT_DUE;
	bool		big = c->rss != FIG_NA && c->rss > PSS_SCHED_BIG_RSS;

	if (o->all)
		return PSS_NEVER;
	if (c->want_now)
		return PSS_NOW;
	if (o->plan_only)
		return PSS_NOT_DUE;
	if (!c->read)
		return PSS_NEVER;
	/* big ones (long page walks) that moved: at most every max_age/2 */
	if (c->changed && !(big && c->age < o->max_age / 2))
		cls = PSS_CHANGED;
	else if (c->due_age >= o->max_age)
		cls = PSS_OLD;
	/* the plan's go first among those due */
	if (cls != PSS_NOT_DUE && c->want != READ_PLAN_NONE)
		cls = PSS_WANTED;
	return cls;
}

static int
due_cmp(const void *a, const void *b)
{
	const struct pss_cand	*x = a, *y = b;

	if (x->cls != y->cls)
		return (int)x->cls - (int)y->cls;
	if ((x->cls == PSS_NOW || x->cls == PSS_WANTED) && x->want != y->want)
		return (x->want > y->want) - (x->want < y->want);
	if (x->cls == PSS_NEVER && x->start != y->start)	/* oldest first */
		return (x->start > y->start) - (x->start < y->start);
	if (x->cls == PSS_CHANGED || x->cls == PSS_OLD) {
		if (x->due_age != y->due_age)	/* stalest first */
			return (x->due_age < y->due_age) -
			    (x->due_age > y->due_age);
	}
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static void
reverse(struct pss_cand *c, size_t a, size_t b)
{
	struct pss_cand	t;

	while (a + 1 < b) {
		t = c[a];
		c[a++] = c[--b];
		c[b] = t;
	}
}

/*
 * Past max_never never-read ones (sorted: they follow PSS_NOW), the rest of
 * them wait: rotated behind the due ones, which keep their order.
 */
static size_t
cap_never(struct pss_cand *c, size_t nd, const struct pss_sched_opts *o)
{
	size_t	a = 0, b, cut, i;

	if (o->all || o->max_never == 0)
		return nd;
	while (a < nd && c[a].cls == PSS_NOW)
		a++;
	for (b = a; b < nd && c[b].cls == PSS_NEVER; b++)
		;
	if (b - a <= o->max_never)
		return nd;
	cut = a + o->max_never;
	for (i = cut; i < b; i++)
		c[i].cls = PSS_NOT_DUE;
	/* rotate [cut, nd) left by b - cut: three reversals */
	reverse(c, cut, b);
	reverse(c, b, nd);
	reverse(c, cut, nd);
	return nd - (b - cut);
}

size_t
pss_sched_order(struct pss_cand *c, size_t n, const struct pss_sched_opts *o)
{
	struct pss_cand	t;
	size_t		i, nd = 0;

	for (i = 0; i < n; i++) {
		c[i].cls = classify(&c[i], o);
		if (c[i].cls == PSS_NOT_DUE)
			continue;
		if (i != nd) {
			t = c[nd];
			c[nd] = c[i];
			c[i] = t;
		}
		nd++;
	}
	qsort(c, nd, sizeof *c, due_cmp);
	return cap_never(c, nd, o);
}

size_t
pss_sched_max_never(size_t nprocs)
{
	return nprocs / 8 > PSS_SCHED_NEVER_MIN ? nprocs / 8 :
	    PSS_SCHED_NEVER_MIN;
}

bool
pss_sched_more(const struct pss_cand *due, size_t off, double spent_ms,
    const struct pss_sched_opts *o)
{
	if (o->all || off == 0 || due[off].cls == PSS_NOW)
		return true;
	return spent_ms < o->budget_ms;
}
