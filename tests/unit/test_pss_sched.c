/*
 * The PSS scheduler (src/collect/pss_sched.c) and the read plan it is
 * handed: due order, budget, max age, big processes, plan priority, pid
 * reuse. Pure functions: no /proc.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "collect/figure.h"
#include "collect/pss_sched.h"
#include "collect/read_plan.h"

#define MIB	(1ULL << 20)

static const struct pss_sched_opts steady = { false, 10, 50, false, 0 };

/* A process read age seconds ago, with rss bytes, not in the plan. */
static struct pss_cand
cand(size_t idx, double age, bool changed, uint64_t rss)
{
	struct pss_cand	c = { .idx = idx, .read = true, .age = age,
	    .due_age = age, .changed = changed, .rss = rss,
	    .want = READ_PLAN_NONE };

	return c;
}

static struct pss_cand
never(size_t idx)
{
	struct pss_cand	c = cand(idx, 0, false, 10 * MIB);

	c.read = false;
	return c;
}

/* The idx of the first n due candidates, as a string "3 1 2". */
static const char *
order(struct pss_cand *c, size_t n, const struct pss_sched_opts *o,
    size_t *ndue)
{
	static char	buf[256];
	size_t		i, nd, len = 0;

	nd = pss_sched_order(c, n, o);
	buf[0] = '\0';
	for (i = 0; i < nd && len + 8 < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%zu",
		    i ? " " : "", c[i].idx);
	if (ndue != NULL)
		*ndue = nd;
	return buf;
}

static void
test_due_order(void **state)
{
	struct pss_cand	c[6];
	size_t		nd;

	(void)state;
	c[0] = cand(0, 1, false, 10 * MIB);	/* fresh, unchanged */
	c[1] = cand(1, 12, false, 10 * MIB);	/* old */
	c[2] = cand(2, 2, true, 10 * MIB);	/* changed, read 2 s ago */
	c[3] = never(3);
	c[4] = cand(4, 5, true, 10 * MIB);	/* changed, read 5 s ago */
	c[5] = cand(5, 30, false, 10 * MIB);	/* older */
	/* never read, then changed (stalest first), then old (stalest) */
	assert_string_equal(order(c, 6, &steady, &nd), "3 4 2 5 1");
	assert_int_equal(nd, 5);
	assert_int_equal(c[0].cls, PSS_NEVER);
	assert_int_equal(c[1].cls, PSS_CHANGED);
	assert_int_equal(c[3].cls, PSS_OLD);
	assert_int_equal(c[5].idx, 0);
	assert_int_equal(c[5].cls, PSS_NOT_DUE);
}

static void
test_first_refresh_reads_all(void **state)
{
	struct pss_sched_opts	all = { true, 10, 50, false, 0 };
	struct pss_cand		c[3];
	size_t			nd;

	(void)state;
	c[0] = cand(0, 0.5, false, 10 * MIB);
	c[1] = cand(1, 0.1, false, 4ULL << 30);
	c[2] = never(2);
	c[2].want_now = true;
	c[2].want = 0;
	assert_string_equal(order(c, 3, &all, &nd), "0 1 2");
	assert_int_equal(nd, 3);
	/* and no budget: every chunk, however long they took */
	assert_true(pss_sched_more(c, PSS_SCHED_CHUNK, 1e6, &all));
}

/*
 * The dashboard's first screen (plan_only): only what the plan wants now
 * is read, never-read processes included; nothing else, not even a process
 * never read, and not a due one the plan only wants (not now). With all
 * set too, all wins.
 */
static void
test_plan_only(void **state)
{
	struct pss_sched_opts	first = { false, 10, 50, true, 0 };
	struct pss_sched_opts	both = { true, 10, 50, true, 0 };
	struct pss_cand		c[5];
	size_t			i, nd;

	(void)state;
	c[0] = never(0);
	c[1] = never(1);
	c[1].want = 1;
	c[1].want_now = true;
	c[2] = cand(2, 30, true, 10 * MIB);	/* due, not wanted */
	c[3] = never(3);
	c[3].want = 0;
	c[3].want_now = true;
	c[4] = cand(4, 30, true, 10 * MIB);	/* due, wanted, not now */
	c[4].want = 2;
	assert_string_equal(order(c, 5, &first, &nd), "3 1");
	assert_int_equal(nd, 2);
	assert_int_equal(c[0].cls, PSS_NOW);
	for (i = 2; i < 5; i++)
		assert_int_equal(c[i].cls, PSS_NOT_DUE);
	/* the plan's now are read whatever the time spent */
	assert_true(pss_sched_more(c, 0, 1e6, &first));
	/* no plan: nothing */
	for (i = 0; i < 5; i++)
		c[i].want_now = false;
	assert_string_equal(order(c, 5, &first, &nd), "");
	assert_int_equal(nd, 0);
	assert_string_equal(order(c, 5, &both, &nd), "0 1 2 3 4");
}

static void
test_max_age(void **state)
{
	struct pss_cand	c[3];

	(void)state;
	c[0] = cand(0, 9.9, false, 10 * MIB);
	c[1] = cand(1, 10, false, 10 * MIB);
	c[2] = cand(2, 0, false, 10 * MIB);
	assert_string_equal(order(c, 3, &steady, NULL), "1");
	assert_int_equal(c[0].cls, PSS_OLD);
}

static void
test_big_process(void **state)
{
	uint64_t	big = 2ULL << 30;
	struct pss_cand	c[4];

	(void)state;
	/* over 1 GiB and moved: not before max_age / 2 */
	c[0] = cand(0, 4.9, true, big);
	c[1] = cand(1, 5, true, big);
	c[2] = cand(2, 0.5, true, 10 * MIB);	/* small: every refresh */
	c[3] = cand(3, 0.5, true, PSS_SCHED_BIG_RSS);	/* not over */
	assert_string_equal(order(c, 4, &steady, NULL), "1 2 3");
	/* an unknown RSS is not big */
	c[0] = cand(0, 0.5, true, FIG_NA);
	assert_string_equal(order(c, 1, &steady, NULL), "0");
	/* and a big one that did not move still waits for max_age */
	c[0] = cand(0, 9, false, big);
	c[1] = cand(1, 10, false, big);
	assert_string_equal(order(c, 2, &steady, NULL), "1");
}

static void
test_plan_priority(void **state)
{
	struct pss_cand	c[6];

	(void)state;
	c[0] = cand(0, 20, false, 10 * MIB);	/* old, not wanted */
	c[1] = cand(1, 11, false, 10 * MIB);	/* old, wanted 2nd */
	c[1].want = 2;
	c[2] = cand(2, 3, true, 10 * MIB);	/* changed, wanted 1st */
	c[2].want = 1;
	c[3] = cand(3, 0.1, false, 10 * MIB);	/* wanted, not due */
	c[3].want = 3;
	c[4] = cand(4, 0.1, false, 10 * MIB);	/* wanted now: read anyway */
	c[4].want = 0;
	c[4].want_now = true;
	c[5] = never(5);
	assert_string_equal(order(c, 6, &steady, NULL), "4 5 2 1 0");
	assert_int_equal(c[0].cls, PSS_NOW);
	assert_int_equal(c[2].cls, PSS_WANTED);
	assert_int_equal(c[3].cls, PSS_WANTED);
	assert_int_equal(c[4].cls, PSS_OLD);
}

static void
test_budget(void **state)
{
	struct pss_cand	c[3 * PSS_SCHED_CHUNK];
	size_t		i, nd;

	(void)state;
	for (i = 0; i < 3 * PSS_SCHED_CHUNK; i++)
		c[i] = cand(i, 20 + (double)i, false, 10 * MIB);
	/* the first chunk of the plan's "now" ones, then others */
	for (i = 0; i < PSS_SCHED_CHUNK + 1; i++) {
		c[i].want = i;
		c[i].want_now = true;
	}
	(void)order(c, 3 * PSS_SCHED_CHUNK, &steady, &nd);
	assert_int_equal(nd, 3 * PSS_SCHED_CHUNK);
	/* the first chunk always starts, whatever was spent */
	assert_true(pss_sched_more(c, 0, 1e6, &steady));
	/* a chunk that starts with a "now" one goes beyond the budget */
	assert_int_equal(c[PSS_SCHED_CHUNK].cls, PSS_NOW);
	assert_true(pss_sched_more(c, PSS_SCHED_CHUNK, 1e6, &steady));
	/* others: only while the budget lasts */
	assert_int_equal(c[2 * PSS_SCHED_CHUNK].cls, PSS_OLD);
	assert_true(pss_sched_more(c, 2 * PSS_SCHED_CHUNK, 49.9, &steady));
	assert_false(pss_sched_more(c, 2 * PSS_SCHED_CHUNK, 50, &steady));
}

/*
 * A burst of new processes after the first refresh: at most max_never of
 * them are due, oldest process first; the ones due for other reasons keep
 * their order behind them; the rest wait, and no cap on the first refresh.
 */
static void
test_never_cap(void **state)
{
	struct pss_sched_opts	capped = steady, first = { true, 10, 50, false,
	    3 };
	struct pss_cand		c[9];
	size_t			i, nd;

	(void)state;
	capped.max_never = 3;
	for (i = 0; i < 6; i++) {
		c[i] = never(i);
		c[i].start = 1000 - i;		/* the last is the oldest */
	}
	c[6] = cand(6, 20, false, 10 * MIB);		/* old */
	c[7] = cand(7, 2, true, 10 * MIB);		/* changed */
	c[8] = cand(8, 1, false, 10 * MIB);		/* not due */
	c[8].want = 0;
	c[8].want_now = true;				/* the plan's */
	assert_string_equal(order(c, 9, &capped, &nd), "8 5 4 3 7 6");
	assert_int_equal(nd, 6);
	/* the three left wait, classed not due, behind the due ones */
	for (i = nd; i < 9; i++) {
		assert_int_equal(c[i].cls, PSS_NOT_DUE);
		assert_false(c[i].read);
		assert_true(c[i].idx <= 2);
	}
	/* the next refresh: three read, the other three now */
	for (i = 0; i < 9; i++)
		if (c[i].idx == 3 || c[i].idx == 4 || c[i].idx == 5)
			c[i] = cand(c[i].idx, 0.05, false, 10 * MIB);
	assert_string_equal(order(c, 9, &capped, &nd), "8 2 1 0 7 6");
	/* at the cap or under it: all of them */
	capped.max_never = 6;
	for (i = 0; i < 6; i++) {
		c[i] = never(i);
		c[i].start = 1000 - i;
	}
	assert_string_equal(order(c, 6, &capped, &nd), "5 4 3 2 1 0");
	/* the first refresh reads everything, whatever the cap */
	for (i = 0; i < 6; i++) {
		c[i] = never(i);
		c[i].start = 1000 - i;
	}
	(void)order(c, 6, &first, &nd);
	assert_int_equal(nd, 6);
	/* an eighth of the node, at least PSS_SCHED_NEVER_MIN */
	assert_int_equal(pss_sched_max_never(0), PSS_SCHED_NEVER_MIN);
	assert_int_equal(pss_sched_max_never(70), PSS_SCHED_NEVER_MIN);
	assert_int_equal(pss_sched_max_never(1000), 125);
}

static void
test_moved(void **state)
{
	uint64_t	a[FIG__COUNT], b[FIG__COUNT];
	int		k;

	(void)state;
	for (k = 0; k < FIG__COUNT; k++)
		a[k] = b[k] = 100 * MIB;
	assert_false(pss_sched_moved(a, b));
	/* rollup figures are not the cheap ones: ignored */
	b[FIG_PSS] = 0;
	assert_false(pss_sched_moved(a, b));
	/* 1 MiB on 100 MiB: jitter (1 MiB is more than 1 %) */
	b[FIG_RSS] = 101 * MIB;
	assert_false(pss_sched_moved(a, b));
	b[FIG_RSS] = 101 * MIB + 4096;
	assert_true(pss_sched_moved(a, b));
	/* on 1 GiB the tolerance is 1 %: ~10.2 MiB */
	a[FIG_RSS] = 1024 * MIB;
	b[FIG_RSS] = 1034 * MIB;
	assert_false(pss_sched_moved(a, b));
	b[FIG_RSS] = 1035 * MIB;
	assert_true(pss_sched_moved(a, b));
	/* becoming unknown, or known, is a move */
	b[FIG_RSS] = a[FIG_RSS];
	b[FIG_VM_SWAP] = FIG_NA;
	assert_true(pss_sched_moved(a, b));
	assert_true(pss_sched_moved(b, a));
}

static void
test_pid_reuse(void **state)
{
	struct proc_ref		want[] = { { 100, 5000 }, { 200, 7000 } };
	struct read_plan	plan = { want, 2, 1, NULL, 0 };
	struct pss_cand		c[1];

	(void)state;
	assert_int_equal(read_plan_fresh(&plan, 100, 5000), 0);
	assert_int_equal(read_plan_fresh(&plan, 200, 7000), 1);
	/* the same pid with another start time is another process */
	assert_true(read_plan_fresh(&plan, 100, 5001) == READ_PLAN_NONE);
	assert_true(read_plan_fresh(&plan, 300, 5000) == READ_PLAN_NONE);
	assert_true(read_plan_fresh(NULL, 100, 5000) == READ_PLAN_NONE);
	/*
	 * Pid 100 reused: the sampler keeps no reading for it (read false)
	 * and the plan does not want it, so it is read as a new process, not
	 * every refresh as the one the view selected.
	 */
	c[0] = never(0);
	c[0].want = read_plan_fresh(&plan, 100, 5001);
	c[0].want_now = c[0].want < plan.nnow;
	assert_string_equal(order(c, 1, &steady, NULL), "0");
	assert_int_equal(c[0].cls, PSS_NEVER);
	c[0] = cand(0, 0.1, false, 10 * MIB);
	c[0].want = read_plan_fresh(&plan, 100, 5001);
	c[0].want_now = c[0].want < plan.nnow;
	assert_string_equal(order(c, 1, &steady, NULL), "");
	/* the one wanted, with its start time: every refresh */
	c[0] = cand(0, 0.1, false, 10 * MIB);
	c[0].want = read_plan_fresh(&plan, 100, 5000);
	c[0].want_now = c[0].want < plan.nnow;
	assert_string_equal(order(c, 1, &steady, NULL), "0");
	assert_int_equal(c[0].cls, PSS_NOW);
}

/*
 * pss_sched_stagger: in [0, max_age / 4), the same for a pid, spread over
 * the window for consecutive pids.
 */
static void
test_stagger_values(void **state)
{
	int	bins[10] = { 0 }, pid, k;
	double	x;

	(void)state;
	for (pid = 1; pid <= 4000; pid++) {
		x = pss_sched_stagger(pid, 10);
		assert_true(x >= 0 && x < 2.5);
		assert_true(x == pss_sched_stagger(pid, 10));
		bins[(int)(x / 0.25)]++;
	}
	for (k = 0; k < 10; k++)
		assert_in_range(bins[k], 300, 500);
	assert_true(pss_sched_stagger(77, 4) < 1);
}

/*
 * 200 processes read together on the first refresh, then refreshes every
 * 0.05 s for 60 s, reading what pss_sched_order says is due: with the
 * first reading staggered, no refresh reads more than a few of them, and
 * no reading gets older than max_age and one refresh. Without it (shift
 * 0), every one falls due on the same refresh, every max_age.
 */
static size_t
simulate(bool stagger, double *oldest)
{
	enum { N = 200 };
	struct pss_cand	c[N];
	double		sched[N], real[N], t;
	size_t		i, nd, most = 0;
	int		tick;

	for (i = 0; i < N; i++) {
		real[i] = 0;
		sched[i] = pss_sched_taken(0, stagger, 1000 + (int)i, 10);
	}
	*oldest = 0;
	for (tick = 1; tick <= 1200; tick++) {
		t = tick * 0.05;
		for (i = 0; i < N; i++) {
			c[i] = cand(i, t - real[i], false, 10 * MIB);
			c[i].due_age = t - sched[i];
			if (t - real[i] > *oldest)
				*oldest = t - real[i];
		}
		nd = pss_sched_order(c, N, &steady);
		for (i = 0; i < nd; i++) {
			real[c[i].idx] = t;
			sched[c[i].idx] = pss_sched_taken(t, false,
			    1000 + (int)c[i].idx, 10);
		}
		if (nd > most)
			most = nd;
	}
	return most;
}

static void
test_stagger_spreads(void **state)
{
	double	oldest;

	(void)state;
	assert_in_range(simulate(true, &oldest), 1, 16);
	assert_true(oldest <= 10 + 0.05 + 1e-9);
	assert_int_equal(simulate(false, &oldest), 200);
	/* a first reading counts as older by the stagger, a later one not */
	assert_true(pss_sched_taken(100, true, 1234, 10) ==
	    100 - pss_sched_stagger(1234, 10));
	assert_true(pss_sched_taken(100, false, 1234, 10) == 100);
}

/*
 * The stagger moves when a reading falls due as old, not the limit on a
 * big process that moved: its real age counts there (max_age / 2).
 */
static void
test_stagger_big(void **state)
{
	struct pss_cand	c[1];

	(void)state;
	c[0] = cand(0, 2.6, true, 2048 * MIB);
	c[0].due_age = 2.6 + 2.5;
	assert_string_equal(order(c, 1, &steady, NULL), "");
	c[0] = cand(0, 5.1, true, 2048 * MIB);
	c[0].due_age = 5.1 + 2.5;
	assert_string_equal(order(c, 1, &steady, NULL), "0");
	assert_int_equal(c[0].cls, PSS_CHANGED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_order),
		cmocka_unit_test(test_first_refresh_reads_all),
		cmocka_unit_test(test_plan_only),
		cmocka_unit_test(test_max_age),
		cmocka_unit_test(test_never_cap),
		cmocka_unit_test(test_big_process),
		cmocka_unit_test(test_plan_priority),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_moved),
		cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_stagger_values),
		cmocka_unit_test(test_stagger_spreads),
		cmocka_unit_test(test_stagger_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
