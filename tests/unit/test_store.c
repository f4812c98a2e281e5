/*
 * The history store on temp files: change-driven writes, unknowns as NULL,
 * refusals (garbage, newer schema, a second writer), seeding the history
 * (growth from before launch, gaps), and retention over a simulated week
 * (a compressed clock: the snapshots' times, not the wall clock).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "collect/k8s_names.h"
#include "collect/procscan.h"
#include "model/entity.h"
#include "model/history.h"
#include "model/ring.h"
#include "util/fmt.h"
#include "util/readfile.h"
#include "model/tree.h"
#include "store/seed.h"
#include "store/store.h"

#define MiB	(1ULL << 20)
#define T0	1800000000.0	/* epoch seconds of the first refresh */

/* A small node: n processes, each in its own pod. */
struct node {
	struct snapshot		 sn;
	struct snap_proc	 p[4];
	struct cg_place		 pl[4];
};

static char	dir[64];

static void
node_init(struct node *nd, int n)
{
	int	i, k;

	memset(nd, 0, sizeof *nd);
	snprintf(nd->sn.boot_id, sizeof nd->sn.boot_id, "boot-1");
	for (i = 0; i < n; i++) {
		struct snap_proc	*p = &nd->p[i];
		struct cg_place		*pl = &nd->pl[i];

		p->pid = 100 + i;
		p->start = 1000 + (unsigned long long)i;
		p->nmaps = -1;
		p->nanon = -1;
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

/* One refresh at time t: history (if h), tree, and the store (if st). */
static void
refresh(struct store *st, struct history *h, struct node *nd, double t,
    struct tree *tr)
{
	const struct hist_ghost	*gh = NULL;
	size_t			 ng = 0;
	struct tree_opts	 o = { TREE_BY_POD, false };

	nd->sn.time = t;
	if (h != NULL)
		gh = history_begin(h, &nd->sn, &ng);
	tree_build(tr, &nd->sn, &o, gh, ng);
	if (h != NULL)
		history_update(h, tr);
	if (st != NULL)
		assert_int_equal(store_record(st, &nd->sn, tr), 0);
}

static struct store *
writer(const char *name, struct store_opts *so)
{
	static char	 path[128];
	struct store	*st;
	char		 why[512];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	so->path = path;
	st = store_open_writer(so, why, sizeof why);
	if (st == NULL)
		fail_msg("%s", why);
	return st;
}

static long long
q(struct store *st, const char *sql)
{
	sqlite3_stmt	*s;
	long long	 v = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL),
	    SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -2 :
		    sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void
test_change_driven(void **state)
{
	struct store_opts	 so;
	struct store		*st;
	struct node		 nd;
	struct tree		 tr;
	int			 i;

	(void)state;
	store_opts_default(&so, NULL);
	so.interval = 10;
	so.heartbeat = 300;
	st = writer("cd.db", &so);
	node_init(&nd, 1);
	nd.p[0].fig[FIG_SWAP] = FIG_NA;
	/* flat for 10 minutes: the first sample and one heartbeat */
	for (i = 0; i < 59; i++) {
		refresh(st, NULL, &nd, T0 + 10 * i, &tr);
		tree_done(&tr);
	}
	/* pod, container, process: three entities */
	assert_int_equal(q(st, "SELECT count(*) FROM entity"), 3);
	assert_int_equal(q(st, "SELECT count(*) FROM sample"), 3 * 2);
	/* unknown is NULL, never 0 */
	assert_int_equal(q(st, "SELECT count(*) FROM sample WHERE swap "
	    "IS NOT NULL"), 0);
	assert_int_equal(q(st, "SELECT count(*) FROM sample WHERE nmaps "
	    "IS NOT NULL"), 0);
	/* a move below the threshold is not written, one above is */
	nd.p[0].fig[FIG_RSS_ANON] += 100 << 10;
	refresh(st, NULL, &nd, T0 + 590, &tr);
	tree_done(&tr);
	assert_int_equal(q(st, "SELECT count(*) FROM sample"), 6);
	nd.p[0].fig[FIG_RSS_ANON] += 5 * MiB;
	refresh(st, NULL, &nd, T0 + 595, &tr);
	tree_done(&tr);
	assert_int_equal(q(st, "SELECT count(*) FROM sample"), 9);
	assert_int_equal(q(st, "SELECT max(rss_anon) FROM sample s JOIN "
	    "entity e ON e.id = s.entity WHERE e.kind = 'pod'"),
	    (long long)(15 * MiB + (100 << 10)));
	/* the process went: marked gone */
	nd.sn.nprocs = 0;
	refresh(st, NULL, &nd, T0 + 599, &tr);
	tree_done(&tr);
	assert_int_equal(q(st, "SELECT count(*) FROM entity WHERE gone IS "
	    "NOT NULL"), 3);
	assert_int_equal(q(st, "SELECT count(*) FROM run"), 1);
	store_close(st);
}

static void
test_refusals(void **state)
{
	struct store_opts	 so;
	struct store		*st, *st2;
	char			 why[512], path[128];
	sqlite3			*db;
	FILE			*f;
	struct stat		 sb;

	(void)state;
	store_opts_default(&so, NULL);
	st = writer("lock.db", &so);
	/* a second writer names the first one's pid */
	st2 = store_open_writer(&so, why, sizeof why);
	assert_null(st2);
	snprintf(path, sizeof path, "pid %ld", (long)getpid());
	assert_non_null(strstr(why, path));
	store_close(st);

	/* garbage: refused, left as it was; replaced only with reset */
	snprintf(path, sizeof path, "%s/garbage.db", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 1000; i++)
		fputs("not a database at all ", f);
	fclose(f);
	so.path = path;
	assert_null(store_open_writer(&so, why, sizeof why));
	assert_non_null(strstr(why, "not a memtop history store"));
	assert_null(store_open_reader(path, why, sizeof why));
	assert_non_null(strstr(why, "--store-reset"));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 22000);
	so.reset = true;
	st = store_open_writer(&so, why, sizeof why);
	assert_non_null(st);
	store_close(st);
	so.reset = false;

	/* a newer schema */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open_writer(&so, why, sizeof why));
	assert_non_null(strstr(why, "schema version 99"));
	assert_null(store_open_reader(path, why, sizeof why));
	assert_non_null(strstr(why, "schema version 99"));

	/* someone else's database */
	snprintf(path, sizeof path, "%s/other.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	so.path = path;
	assert_null(store_open_writer(&so, why, sizeof why));
	assert_non_null(strstr(why, "not a memtop history store"));

	/* no file: no history, and not an error */
	snprintf(path, sizeof path, "%s/absent.db", dir);
	assert_null(store_open_reader(path, why, sizeof why));
	assert_string_equal(why, "");
}

/* Recorded steps, then a new history seeded at launch. */
static void
test_seed_growth(void **state)
{
	struct store_opts	 so;
	struct store		*st;
	struct history		*h;
	struct node		 nd;
	struct tree		 tr;
	struct seed_info	 info;
	char			 why[512];
	double			 t = T0;
	int			 i;

	(void)state;
	store_opts_default(&so, NULL);
	so.interval = 10;
	st = writer("seed.db", &so);
	node_init(&nd, 2);
	/* pod 0: 80 MiB, 250 after 1 h, 450 after 2 h, flat for 1 h; pod 1
	   stays at 10 MiB */
	for (i = 0; i < 4 * 360; i++, t += 10) {
		nd.p[0].fig[FIG_RSS_ANON] = i < 360 ? 80 * MiB : i < 720 ?
		    250 * MiB : 450 * MiB;
		/* the recorder was down for 10 minutes in the 4th hour */
		if (i >= 1200 && i < 1260) {
			if (i == 1200) {
				store_close(st);
				st = NULL;
			}
			continue;
		}
		if (st == NULL)
			st = writer("seed.db", &so);
		refresh(st, NULL, &nd, t, &tr);
		tree_done(&tr);
	}
	store_close(st);
	st = store_open_reader(so.path, why, sizeof why);
	assert_non_null(st);
	h = history_create(600, 30);	/* window: 30 refreshes of 10 s */
	assert_int_equal(seed_history(st, h, &(struct seed_req){ .boot_id =
	    "boot-1", .now = t, .delay = 10, .window = 300, .cap = 600 },
	    &info, why, sizeof why), 0);
	store_close(st);
	assert_true(info.since == T0);
	/* 2 pods, 2 containers, 2 processes */
	assert_int_equal(info.entities, 6);
	/* the first refresh after launch: growth since the container
	   started, not since memtop started */
	refresh(NULL, h, &nd, t, &tr);
	for (size_t gi = 0; gi < tr.ngroups; gi++) {
		const struct tree_group	*g = &tr.groups[gi];
		const struct hist_ent	*e = g->st.hist;
		bool			 big = strstr(g->ident, "pod:00000000") !=
					    NULL;
		uint32_t		 gaps = 0, j;

		assert_int_equal(g->st.growth, big ? (int64_t)(370 * MiB) : 0);
		/* flat over the last 5 minutes */
		assert_int_equal(g->st.growth_win, 0);
		/* the rings hold the 4 h past, down-sampled to 600 slots of
		   24 s, with the recorder's 10-minute gap in them */
		assert_int_equal(e->ring[FIG_RSS_ANON].n, 600);
		for (j = 0; j < 600; j++)
			gaps += ring_get(&e->ring[FIG_RSS_ANON], j) == FIG_NA;
		assert_true(gaps >= 23 && gaps <= 26);
		/* drawn, the gap is a gap (blanks between the values), not a
		   line through it */
		{
			uint64_t	v[600];
			char		sp[601], *a, *z;

			for (j = 0; j < 600; j++)
				v[j] = ring_get(&e->ring[FIG_RSS_ANON],
				    599 - j);
			fmt_sparkline(sp, sizeof sp, v, 600, 0);
			assert_int_equal(strlen(sp), 600);
			a = strchr(sp, ' ');
			assert_non_null(a);
			z = a + strspn(a, " ");
			assert_int_equal((uint32_t)(z - a), gaps);
			assert_true(a > sp && *z != '\0');
		}
		assert_int_equal(e->first[FIG_RSS_ANON], big ? 80 * MiB :
		    10 * MiB);
	}
	tree_done(&tr);
	history_free(h);
}

/*
 * Seeding at start (live) skips the processes that are not alive now: a
 * store whose recorder stopped holds the ones that exited since as not
 * gone. This test process is recorded, and a process of the same pid
 * with another start time; pods and containers are seeded either way.
 */
static void
test_seed_live(void **state)
{
	struct store_opts	 so;
	struct store		*st;
	struct history		*h;
	struct node		 nd;
	struct tree		 tr;
	struct seed_info	 info;
	struct proc_sample	 self;
	struct buf		 b = { 0 };
	char			 why[512], id[ENT_PROC_ID_MAX];
	double			 t = T0;
	int			 i;

	(void)state;
	memset(&self, 0, sizeof self);
	assert_int_equal(read_file("/proc/self/stat", &b, 4096), 0);
	assert_int_equal(procscan_parse_stat(b.data, &self), 0);
	assert_int_equal(read_file("/proc/sys/kernel/random/boot_id", &b, 64),
	    0);
	store_opts_default(&so, NULL);
	so.interval = 10;
	st = writer("live.db", &so);
	node_init(&nd, 2);
	snprintf(nd.sn.boot_id, sizeof nd.sn.boot_id, "%.36s", b.data);
	free(b.data);
	nd.p[0].pid = nd.p[1].pid = self.pid;
	nd.p[0].start = self.start;
	nd.p[1].start = self.start + 1;
	for (i = 0; i < 3; i++, t += 10) {
		refresh(st, NULL, &nd, t, &tr);
		tree_done(&tr);
	}
	store_close(st);
	st = store_open_reader(so.path, why, sizeof why);
	assert_non_null(st);
	/* not live (a recorded moment, --at): all six */
	h = history_create(600, 30);
	assert_int_equal(seed_history(st, h, &(struct seed_req){ .boot_id =
	    nd.sn.boot_id, .now = t, .delay = 10, .window = 300, .cap = 600 },
	    &info, why, sizeof why), 0);
	assert_int_equal(info.entities, 6);
	history_free(h);
	/* live: the process that is not there is left out */
	h = history_create(600, 30);
	assert_int_equal(seed_history(st, h, &(struct seed_req){ .boot_id =
	    nd.sn.boot_id, .live = true, .now = t, .delay = 10, .window = 300,
	    .cap = 600 }, &info, why, sizeof why), 0);
	assert_int_equal(info.entities, 5);
	assert_non_null(history_find(h, ent_id_process(id, sizeof id,
	    nd.sn.boot_id, self.pid, self.start)));
	assert_null(history_find(h, ent_id_process(id, sizeof id,
	    nd.sn.boot_id, self.pid, self.start + 1)));
	history_free(h);
	store_close(st);
}

/*
 * A start's seed in two parts: the first screen's figures, a refresh, then
 * the rest (the dashboard, once its first screen is up), gives the same
 * rings and first/min/max as one seed of every figure before the refresh.
 */
static void
test_seed_two_parts(void **state)
{
	struct store_opts	 so;
	struct store		*st;
	struct history		*h1, *h2;
	struct node		 nd;
	struct tree		 tr;
	struct seed_info	 info;
	struct seed_req		 q = { .boot_id = "boot-1", .delay = 10,
				    .window = 300, .cap = 600 };
	const struct hist_ent	*e1, *e2;
	char			 why[512];
	double			 t = T0;
	uint32_t		 j;
	int			 i, k;

	(void)state;
	store_opts_default(&so, NULL);
	so.interval = 10;
	st = writer("parts.db", &so);
	node_init(&nd, 2);
	for (i = 0; i < 60; i++, t += 10) {
		nd.p[0].fig[FIG_PSS] = (uint64_t)(20 + i % 7) * MiB;
		nd.p[0].fig[FIG_RSS_ANON] = (uint64_t)(30 + i / 20) * MiB;
		refresh(st, NULL, &nd, t, &tr);
		tree_done(&tr);
	}
	store_close(st);
	st = store_open_reader(so.path, why, sizeof why);
	assert_non_null(st);
	q.now = t;
	h1 = history_create(600, 30);
	assert_int_equal(seed_history(st, h1, &q, &info, why, sizeof why), 0);
	h2 = history_create(600, 30);
	q.figs = SEED_FIGS_START;
	assert_int_equal(seed_history(st, h2, &q, &info, why, sizeof why), 0);
	assert_int_equal(info.entities, 6);
	e2 = history_find(h2, "pod:00000000-0000-0000-0000-000000000000");
	assert_non_null(e2);
	assert_int_equal(e2->ring[FIG_PSS].n, 0);
	assert_true(e2->first[FIG_PSS] == FIG_NA);
	assert_true(e2->ring[FIG_RSS_ANON].n > 50);
	/* the first refresh, then the rest */
	nd.p[0].fig[FIG_PSS] = 5 * MiB;
	refresh(NULL, h1, &nd, t, &tr);
	tree_done(&tr);
	refresh(NULL, h2, &nd, t, &tr);
	tree_done(&tr);
	q.figs = SEED_FIGS_ALL & ~SEED_FIGS_START;
	q.more = true;
	assert_int_equal(seed_history(st, h2, &q, &info, why, sizeof why), 0);
	store_close(st);
	for (i = 0; i < 2; i++) {
		const char *id = i == 0 ?
		    "pod:00000000-0000-0000-0000-000000000000" :
		    "ctr:0000000000000000000000000000000000000000000000000000000000000000";

		e1 = history_find(h1, id);
		e2 = history_find(h2, id);
		assert_non_null(e1);
		assert_non_null(e2);
		for (k = 0; k < HF__COUNT; k++) {
			assert_int_equal(e2->ring[k].n, e1->ring[k].n);
			for (j = 0; j < e1->ring[k].n; j++)
				assert_true(ring_get(&e2->ring[k], j) ==
				    ring_get(&e1->ring[k], j));
			assert_true(e2->first[k] == e1->first[k]);
			assert_true(e2->min[k] == e1->min[k]);
			assert_true(e2->max[k] == e1->max[k]);
		}
	}
	/* the refresh's 5 MiB after the seeded 20..26 MiB */
	assert_true(ring_get(&e2->ring[FIG_PSS], 0) == 5 * MiB);
	assert_true(e2->min[FIG_PSS] == 5 * MiB);
	assert_true(e2->max[FIG_PSS] == 26 * MiB);
	history_free(h1);
	history_free(h2);
}

/*
 * A week, every figure moving at each refresh: each hour, a minute of
 * refreshes 10 s apart (so thinning has minutes to fold), then nothing
 * until the next hour (a recorder that ran a week would only make more of
 * the same rows, and take minutes of this test).
 */
static void
test_retention_week(void **state)
{
	struct store_opts	 so;
	struct store		*st;
	struct node		 nd;
	struct tree		 tr;
	double			 t;
	long long		 size;
	int			 i;

	(void)state;
	store_opts_default(&so, NULL);
	so.interval = 10;
	so.full_res = 6 * 3600;
	so.keep = 3 * 86400;		/* shorter, so that drops show */
	so.max_bytes = 256 << 10;
	st = writer("week.db", &so);
	node_init(&nd, 4);
	for (i = 0, t = T0; t < T0 + 7 * 86400; i++,
	    t += i % 6 == 0 ? 3600 - 50 : 10) {
		for (int p = 0; p < 4; p++)
			nd.p[p].fig[FIG_RSS_ANON] = (uint64_t)(i % 50 + p) *
			    4 * MiB;
		refresh(st, NULL, &nd, t, &tr);
		tree_done(&tr);
	}
	assert_int_equal(store_maintain(st, t), 0);
	size = q(st, "PRAGMA page_count") * q(st, "PRAGMA page_size");
	assert_true(size <= (long long)so.max_bytes);
	/* the newest 6 h at full resolution, older rows thinned */
	assert_true(q(st, "SELECT count(*) FROM sample WHERE res = 0") > 0);
	assert_int_equal(q(st, "SELECT count(*) FROM sample WHERE res = 0 "
	    "AND t < (SELECT max(t) FROM sample) - 6 * 3600 - 60"), 0);
	assert_int_equal(q(st, "SELECT count(*) FROM sample WHERE res = 60 "
	    "AND anon_min IS NULL"), 0);
	/* nothing older than keep */
	assert_int_equal(q(st, "SELECT count(*) FROM sample WHERE t < "
	    "(SELECT max(t) FROM sample) - 3 * 86400 - 60"), 0);
	store_close(st);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_store.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change_driven),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_seed_growth),
		cmocka_unit_test(test_seed_live),
		cmocka_unit_test(test_seed_two_parts),
		cmocka_unit_test(test_retention_week),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
