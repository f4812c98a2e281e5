/*
 * History rings, anon growth and sorting, on hand-made snapshots: no /proc,
 * no curses.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/column.h"
#include "model/history.h"
#include "model/ring.h"
#include "model/tree.h"

#define MiB	(1ULL << 20)

static void
test_ring_codec(void **state)
{
	uint64_t	v;

	(void)state;
	assert_int_equal(ring_decode(ring_encode(0)), 0);
	assert_int_equal(ring_decode(ring_encode(4096)), 4096);
	assert_int_equal(ring_decode(ring_encode(UINT64_MAX)), UINT64_MAX);
	/* relative error below 1/1024 over the whole range */
	for (v = 4096; v < (1ULL << 51); v = v * 3 + 12345) {
		uint64_t	d = ring_decode(ring_encode(v));
		uint64_t	e = d > v ? d - v : v - d;

		assert_true(e <= v / 1024 + 1024);
	}
	assert_int_not_equal(ring_encode(1ULL << 62), RING_NA);
}

static void
test_ring_ops(void **state)
{
	struct ring	r;
	int		i;

	(void)state;
	ring_init(&r, 5);
	for (i = 0; i < 10; i++)
		ring_push(&r, 100 * MiB);
	/* constant: no buffer at all */
	assert_int_equal(ring_heap(&r), 0);
	assert_int_equal(r.n, 5);
	assert_int_equal(ring_get(&r, 4), 100 * MiB);
	assert_int_equal(ring_get(&r, 5), UINT64_MAX);
	ring_push(&r, 200 * MiB);
	assert_int_equal(ring_heap(&r), 10);
	assert_int_equal(ring_get(&r, 0), 200 * MiB);
	assert_int_equal(ring_get(&r, 1), 100 * MiB);
	ring_push(&r, UINT64_MAX);
	ring_push(&r, 50 * MiB);
	assert_int_equal(ring_get(&r, 1), UINT64_MAX);
	assert_int_equal(ring_min(&r, 5), 50 * MiB);
	assert_int_equal(ring_max(&r, 5), 200 * MiB);
	assert_int_equal(ring_min(&r, 1), 50 * MiB);
	/* wraps: the oldest samples fall out */
	for (i = 0; i < 5; i++)
		ring_push(&r, (uint64_t)(i + 1) * MiB);
	assert_int_equal(ring_max(&r, 5), 5 * MiB);
	ring_done(&r);
}

/*
 * ring_amend replaces the newest sample: an unknown first sample that
 * becomes known keeps a ring without buffer (the dashboard's catch-up); a
 * constant run that changes is materialised; a buffer is overwritten.
 */
static void
test_ring_amend(void **state)
{
	struct ring	r;

	(void)state;
	ring_init(&r, 5);
	ring_amend(&r, UINT64_MAX);		/* empty: appends */
	assert_int_equal(r.n, 1);
	ring_amend(&r, 30 * MiB);
	assert_int_equal(r.n, 1);
	assert_int_equal(ring_heap(&r), 0);
	assert_int_equal(ring_get(&r, 0), 30 * MiB);
	ring_push(&r, 30 * MiB);
	ring_amend(&r, 30 * MiB);		/* the constant: nothing */
	assert_int_equal(ring_heap(&r), 0);
	assert_int_equal(r.n, 2);
	ring_amend(&r, 40 * MiB);		/* no longer constant */
	assert_int_equal(r.n, 2);
	assert_int_equal(ring_heap(&r), 10);
	assert_int_equal(ring_get(&r, 0), 40 * MiB);
	assert_int_equal(ring_get(&r, 1), 30 * MiB);
	ring_amend(&r, 50 * MiB);		/* a buffer: overwritten */
	assert_int_equal(r.n, 2);
	assert_int_equal(ring_get(&r, 0), 50 * MiB);
	assert_int_equal(ring_get(&r, 1), 30 * MiB);
	ring_done(&r);
}

/* A small node: n processes, each in its own pod. */
struct node {
	struct snapshot		 sn;
	struct snap_proc	 p[4];
	struct cg_place		 pl[4];
};

static void
node_init(struct node *nd, int n)
{
	int	i, k;

	memset(nd, 0, sizeof *nd);
	for (i = 0; i < n; i++) {
		struct snap_proc	*p = &nd->p[i];
		struct cg_place		*pl = &nd->pl[i];

		p->pid = 100 + i;
		p->start = 1000 + (unsigned long long)i;
		snprintf(p->comm, sizeof p->comm, "proc%c", 'a' + i);
		for (k = 0; k < FIG__COUNT; k++)
			p->fig[k] = 10 * MiB;
		snprintf(pl->path, sizeof pl->path,
		    "/kubepods/burstable/pod0000000%d-0000-0000-0000-000000000000/"
		    "%064d", i, i);
		pl->hier = CG_HIER_V1;
		k8s_classify(pl->path, &pl->cls);
		p->place = pl;
	}
	nd->sn.procs = nd->p;
	nd->sn.nprocs = (size_t)n;
}

static const struct tree_group *
group_of(const struct tree *t, int pid)
{
	size_t	gi, ci, pi;

	for (gi = 0; gi < t->ngroups; gi++)
		for (ci = 0; ci < t->groups[gi].nctrs; ci++)
			for (pi = 0; pi < t->groups[gi].ctrs[ci].nprocs; pi++)
				if (t->groups[gi].ctrs[ci].procs[pi].sp->pid ==
				    pid)
					return &t->groups[gi];
	return NULL;
}

static void
refresh(struct history *h, struct node *nd, struct tree *t,
    const struct sort_key *k)
{
	const struct hist_ghost	*gh;
	size_t			 ng;
	struct tree_opts	 o = { TREE_BY_POD, false };

	gh = history_begin(h, &nd->sn, &ng);
	tree_build(t, &nd->sn, &o, gh, ng);
	history_update(h, t);
	tree_sort(t, k);
}

static void
test_growth_in_steps(void **state)
{
	/* 230 -> 400 -> 640 MiB in steps vs. a bigger but flat neighbour */
	uint64_t		 steps[] = { 230, 230, 400, 400, 310, 640, 640 };
	struct history		*h = history_create(600, 3);
	struct node		 nd;
	struct tree		 t;
	struct sort_key		 k = { 0 };
	size_t			 i;

	(void)state;
	node_init(&nd, 2);
	assert_int_equal(sort_key_parse("anon-growth", &k), 0);
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		nd.p[0].fig[FIG_RSS_ANON] = steps[i] * MiB;
		nd.p[1].fig[FIG_RSS_ANON] = 900 * MiB;
		refresh(h, &nd, &t, &k);
		if (i + 1 < sizeof steps / sizeof steps[0])
			tree_done(&t);
	}
	assert_int_equal(t.ngroups, 2);
	/* the stepping pod is on top, with 640 - 230 of growth */
	assert_int_equal(t.groups[0].ctrs[0].procs[0].sp->pid, 100);
	assert_int_equal(t.groups[0].st.growth, (int64_t)(410 * MiB));
	assert_int_equal(t.groups[0].ctrs[0].procs[0].st.growth,
	    (int64_t)(410 * MiB));
	/* over the last 3 samples the minimum was 310 */
	assert_int_equal(t.groups[0].st.growth_win, (int64_t)(330 * MiB));
	assert_int_equal(t.groups[1].st.growth, 0);
	assert_non_null(t.groups[0].st.hist);
	assert_int_equal(t.groups[0].st.hist->first[FIG_RSS_ANON], 230 * MiB);
	tree_done(&t);

	/* by rss_anon instead, the flat 900 MiB one wins */
	assert_int_equal(sort_key_parse("rss_anon", &k), 0);
	refresh(h, &nd, &t, &k);
	assert_int_equal(t.groups[0].ctrs[0].procs[0].sp->pid, 101);
	tree_done(&t);
	history_free(h);
}

/*
 * history_amend completes the newest sample: PSS unknown at the first
 * refresh, read by the catch-up, leaves one sample per entity, known, and
 * no ring buffer; the next history_update adds a sample again.
 */
static void
test_amend(void **state)
{
	struct history		*h = history_create(600, 3);
	struct node		 nd;
	struct tree		 t;
	struct sort_key		 k = { 0 };
	const struct hist_ent	*e;

	(void)state;
	node_init(&nd, 2);
	assert_int_equal(sort_key_parse("rss", &k), 0);
	nd.p[0].fig[FIG_PSS] = nd.p[1].fig[FIG_PSS] = FIG_NA;
	refresh(h, &nd, &t, &k);
	tree_done(&t);
	nd.p[0].fig[FIG_PSS] = 7 * MiB;
	history_begin(h, &nd.sn, &(size_t){ 0 });
	tree_build(&t, &nd.sn, &(struct tree_opts){ TREE_BY_POD, false },
	    NULL, 0);
	history_amend(h, &t);
	e = group_of(&t, 100)->st.hist;
	assert_non_null(e);
	assert_ptr_equal(e, history_find(h, group_of(&t, 100)->ident));
	assert_int_equal(e->pushes, 1);
	assert_int_equal(e->ring[FIG_PSS].n, 1);
	assert_int_equal(ring_heap(&e->ring[FIG_PSS]), 0);
	assert_int_equal(ring_get(&e->ring[FIG_PSS], 0), 7 * MiB);
	assert_int_equal(e->first[FIG_PSS], 7 * MiB);
	/* the other pod's PSS is still unknown: its one sample says so */
	e = group_of(&t, 101)->st.hist;
	assert_int_equal(e->ring[FIG_PSS].n, 1);
	assert_int_equal(ring_get(&e->ring[FIG_PSS], 0), UINT64_MAX);
	tree_done(&t);
	refresh(h, &nd, &t, &k);
	e = group_of(&t, 100)->st.hist;
	assert_int_equal(e->pushes, 2);
	assert_int_equal(e->ring[FIG_PSS].n, 2);
	tree_done(&t);
	history_free(h);
}

static void
test_ghosts(void **state)
{
	struct history		*h = history_create(10, 10);
	struct node		 nd;
	struct tree		 t;
	struct sort_key		 k = { SORT_FIG, FIG_RSS, false };
	const struct tree_group	*g;
	int			 i;

	(void)state;
	node_init(&nd, 2);
	refresh(h, &nd, &t, &k);
	tree_done(&t);
	nd.sn.nprocs = 1;	/* pid 101 exits */
	for (i = 0; i < HISTORY_GHOST_TICKS; i++) {
		refresh(h, &nd, &t, &k);
		g = group_of(&t, 101);
		assert_non_null(g);
		assert_true(g->ctrs[0].procs[0].gone);
		/* a ghost adds nothing to its group's sums */
		assert_int_equal(g->nprocs, 0);
		assert_int_equal(g->sum.v[FIG_RSS], 0);
		tree_done(&t);
	}
	refresh(h, &nd, &t, &k);
	assert_null(group_of(&t, 101));
	assert_non_null(group_of(&t, 100));
	tree_done(&t);
	/* the same pid with a new start time is a new process */
	nd.sn.nprocs = 2;
	nd.p[1].start += 5;
	nd.p[1].fig[FIG_RSS_ANON] = 50 * MiB;
	refresh(h, &nd, &t, &k);
	g = group_of(&t, 101);
	assert_int_equal(g->ctrs[0].procs[0].st.hist->first[FIG_RSS_ANON],
	    50 * MiB);
	tree_done(&t);
	history_free(h);
}

static void
test_sort_keys(void **state)
{
	struct sort_key	k;
	size_t		i, n = 0;

	(void)state;
	/* every sort key of the column table round-trips */
	for (i = 0; i < col_count; i++) {
		if (col_table[i].key[0] == '\0')
			continue;
		assert_int_equal(sort_key_parse(col_table[i].key, &k), 0);
		assert_string_equal(sort_key_name(&k), col_table[i].key);
		assert_int_equal(sort_key_col(&k), (int)i);
	}
	/* the cycle visits the 14 cycled keys and comes back */
	sort_key_parse("rss", &k);
	do {
		sort_key_step(&k, 1);
		n++;
	} while (strcmp(sort_key_name(&k), "rss") != 0 && n < 100);
	assert_int_equal(n, 14);
	sort_key_step(&k, -1);
	assert_string_equal(sort_key_name(&k), "name");
	assert_int_equal(sort_key_parse("growth", &k), 0);
	assert_string_equal(sort_key_name(&k), "anon-growth");
	assert_int_equal(sort_key_parse("bogus", &k), -1);
}

static void
test_unknown_sorts_last(void **state)
{
	struct history		*h = history_create(10, 10);
	struct node		 nd;
	struct tree		 t;
	struct sort_key		 k = { SORT_FIG, FIG_PSS, false };

	(void)state;
	node_init(&nd, 3);
	nd.p[0].fig[FIG_PSS] = FIG_NA;
	nd.p[1].fig[FIG_PSS] = 1 * MiB;
	nd.p[2].fig[FIG_PSS] = 2 * MiB;
	refresh(h, &nd, &t, &k);
	assert_int_equal(t.groups[0].ctrs[0].procs[0].sp->pid, 102);
	assert_int_equal(t.groups[2].ctrs[0].procs[0].sp->pid, 100);
	/* the group of an unknown figure sums to unknown, not 0 */
	assert_int_equal(t.groups[2].sum.na[FIG_PSS], 1);
	tree_done(&t);
	history_free(h);
}

static void
test_memory_bound(void **state)
{
	struct history	*h = history_create(600, 300);
	struct node	 nd;
	struct tree	 t;
	struct sort_key	 k = { SORT_FIG, FIG_RSS, false };
	size_t		 heap, n;
	int		 i;

	(void)state;
	node_init(&nd, 4);
	for (i = 0; i < 700; i++) {
		nd.p[0].fig[FIG_RSS] = (uint64_t)(i + 1) * MiB;	/* changes */
		refresh(h, &nd, &t, &k);
		tree_done(&t);
	}
	heap = history_heap(h, &n);
	/* 4 procs + 4 containers + 4 groups; only a few rings materialised */
	assert_int_equal(n, 12);
	assert_true(heap <= n * history_entity_max(600));
	assert_true(heap < 12 * sizeof(struct hist_ent) + 6 * 1200 + 2000);
	history_free(h);
}

/*
 * Regression (found by ASan in the integration tests): a group that is not a
 * pod copied 80 bytes of pod uid from a 1-byte "" literal.
 */
static void
test_regression_asan_pod_uid_copy(void **state)
{
	struct history		*h = history_create(10, 10);
	struct node		 nd;
	struct tree		 t;
	struct sort_key		 k = { SORT_FIG, FIG_RSS, false };

	(void)state;
	node_init(&nd, 2);
	snprintf(nd.pl[1].path, sizeof nd.pl[1].path, "/system.slice/sshd.service");
	k8s_classify(nd.pl[1].path, &nd.pl[1].cls);
	refresh(h, &nd, &t, &k);
	assert_int_equal(t.ngroups, 2);
	assert_string_equal(t.groups[1].pod_uid, "");
	assert_string_equal(ent_kind_name(t.groups[1].kind), "service");
	tree_done(&t);
	history_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_codec),
		cmocka_unit_test(test_ring_ops),
		cmocka_unit_test(test_ring_amend),
		cmocka_unit_test(test_amend),
		cmocka_unit_test(test_growth_in_steps),
		cmocka_unit_test(test_ghosts),
		cmocka_unit_test(test_sort_keys),
		cmocka_unit_test(test_unknown_sorts_last),
		cmocka_unit_test(test_memory_bound),
		cmocka_unit_test(test_regression_asan_pod_uid_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
