/*
 * The refresh driver (src/model/refresh.c) on real processes: the first
 * refresh reads every smaps_rollup; later ones re-read a process the read
 * plan wants now, by pid and start time (another start time is another
 * process: not read); the plan's smaps set is read and looked up by
 * identity; the tree is built and counted. visible_first (the dashboard):
 * the first refresh reads what its caller names, the catch-up the rest.
 */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "collect/cgroup.h"
#include "collect/fdcache.h"
#include "collect/figure.h"
#include "collect/nodemem.h"
#include "collect/sample.h"
#include "model/refresh.h"
#include "util/log.h"
#include "child.h"

#define CHILD_MIB	8


static const struct snap_proc *
find(const struct snapshot *sn, int pid)
{
	size_t	i;

	for (i = 0; i < sn->nprocs; i++) {
		if (sn->procs[i].pid == pid)
			return &sn->procs[i];
	}
	return NULL;
}

static bool
in_tree(const struct tree *t, int pid)
{
	size_t	gi, ci, pi;

	for (gi = 0; gi < t->ngroups; gi++) {
		for (ci = 0; ci < t->groups[gi].nctrs; ci++) {
			const struct tree_ctr	*c = &t->groups[gi].ctrs[ci];

			for (pi = 0; pi < c->nprocs; pi++) {
				if (c->procs[pi].sp->pid == pid)
					return true;
			}
		}
	}
	return false;
}

/* Processes that are not kernel threads: all have a smaps_rollup. */
static size_t
users(const struct snapshot *sn)
{
	size_t	i, n = 0;

	for (i = 0; i < sn->nprocs; i++)
		n += !sn->procs[i].kthread;
	return n;
}

struct fix {
	struct sampler	*s;
	struct refresh	*r;
	pid_t		 child;
};

static int
setup(void **state)
{
	static struct sort_key	sort = { SORT_FIG, FIG_RSS, false };
	struct refresh_opts	o = {
		.max_age = 1e6,		/* nothing gets old in this test */
		.budget_ms = 1e6,
		.interval = 1,
		.history = 10,
		.window = 5,
		.topts = { TREE_BY_POD, false },
		.sort = &sort,
	};
	struct fix		*f = calloc(1, sizeof *f);
	struct cg_roots		 roots;
	const char		*cause;

	if (f == NULL)
		return -1;
	if (cgroup_roots_default(&roots) != 0)
		memset(&roots, 0, sizeof roots);
	f->s = sampler_create(&roots, "/proc", "/", &cause);
	if (f->s == NULL) {
		fprintf(stderr, "sampler: %s\n", cause);
		free(f);
		return -1;
	}
	f->r = refresh_create(f->s, &o);
	f->child = spawn_child(CHILD_MIB);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	kill(f->child, SIGKILL);
	waitpid(f->child, NULL, 0);
	refresh_free(f->r);
	sampler_free(f->s);
	free(f);
	return 0;
}

/* One refresh with plan; returns the child's snapshot entry. */
static const struct snap_proc *
step(struct fix *f, const struct read_plan *plan, const struct snapshot **sn)
{
	const struct snap_proc	*p;
	const char		*cause = NULL;
	struct tree		 t;

	assert_int_equal(refresh_next(f->r, plan, &t, sn, &cause), 0);
	assert_true(in_tree(&t, f->child));
	tree_done(&t);
	p = find(*sn, f->child);
	assert_non_null(p);
	return p;
}

static void
test_plan(void **state)
{
	struct fix		*f = *state;
	const struct snapshot	*sn;
	const struct snap_proc	*p;
	struct proc_ref		 me, other;
	struct read_plan	 plan = { 0 };

	/* the first refresh reads every process, beyond any budget */
	p = step(f, NULL, &sn);
	assert_int_equal(refresh_count(f->r), 1);
	assert_true(refresh_seconds(f->r) > 0);
	assert_true(p->rollup_age == 0);
	assert_true(p->fig[FIG_PSS] != FIG_NA);
	assert_true(p->fig[FIG_PSS_ANON] >= (uint64_t)CHILD_MIB << 20);
	assert_int_equal(sn->rollup_wanted, users(sn));
	me = (struct proc_ref){ p->pid, p->start };
	other = (struct proc_ref){ p->pid, p->start + 1 };

	/* unchanged and young: not read again */
	p = step(f, NULL, &sn);
	assert_true(p->rollup_age > 0);

	/* wanted now, by pid and start time: read every refresh */
	plan.fresh = &me;
	plan.nfresh = 1;
	plan.nnow = 1;
	p = step(f, &plan, &sn);
	assert_true(p->rollup_age == 0);

	/* the same pid with another start time is not the process wanted */
	plan.fresh = &other;
	p = step(f, &plan, &sn);
	assert_true(p->rollup_age > 0);

	/* wanted, but not now: first among the due ones, and it is not due */
	plan.fresh = &me;
	plan.nnow = 0;
	p = step(f, &plan, &sn);
	assert_true(p->rollup_age > 0);
	assert_int_equal(refresh_count(f->r), 5);
}

/* refresh_first's want: the child only, whatever the tree shows. */
static size_t
want_child(void *ctx, struct tree *t, struct proc_ref **out)
{
	struct fix		*f = ctx;
	size_t			 gi, ci, pi;

	for (gi = 0; gi < t->ngroups; gi++)
		for (ci = 0; ci < t->groups[gi].nctrs; ci++)
			for (pi = 0; pi < t->groups[gi].ctrs[ci].nprocs; pi++) {
				const struct snap_proc	*sp =
				    t->groups[gi].ctrs[ci].procs[pi].sp;

				if (sp->pid != f->child)
					continue;
				*out = malloc(sizeof **out);
				assert_non_null(*out);
				**out = (struct proc_ref){ sp->pid, sp->start };
				return 1;
			}
	return 0;
}

/*
 * visible_first (the dashboard): the first refresh reads the cheap tier of
 * all and smaps_rollup and maps of what want names only, the rest stays
 * unknown (not 0) and counted in rollup_unread; after refresh_catch_up the
 * next refreshes read the rest (one here: no budget) and complete the
 * first history sample instead of adding samples; then they add again.
 */
static void
test_visible_first(void **state)
{
	struct fix		*f = *state;
	struct refresh_opts	 o = {
		.max_age = 1e6, .budget_ms = 1e6, .interval = 1, .history = 10,
		.window = 5, .topts = { TREE_BY_POD, false },
		.visible_first = true,
	};
	struct refresh		*r = refresh_create(f->s, &o);
	const struct snapshot	*sn;
	const struct snap_proc	*p;
	const char		*cause = NULL;
	struct tree		 t;
	size_t			 i, other = 0;

	assert_int_equal(refresh_first(r, want_child, f, &t, &sn, &cause), 0);
	p = find(sn, f->child);
	assert_non_null(p);
	assert_true(p->fig[FIG_PSS_ANON] >= (uint64_t)CHILD_MIB << 20);
	assert_true(p->nmaps > 0);
	for (i = 0; i < sn->nprocs; i++) {
		if (sn->procs[i].kthread || sn->procs[i].pid == f->child)
			continue;
		other++;
		assert_true(sn->procs[i].fig[FIG_PSS] == FIG_NA);
		assert_true(sn->procs[i].nmaps < 0);
		assert_true(sn->procs[i].fig[FIG_RSS] != FIG_NA);
	}
	assert_true(other > 0);
	assert_int_equal(sn->rollup_unread, other);
	assert_int_equal(sn->rollup_unknown, other);
	tree_done(&t);
	/* until refresh_catch_up, refreshes read nothing more */
	assert_int_equal(refresh_next(r, NULL, &t, &sn, &cause), 0);
	tree_done(&t);
	assert_int_equal(sn->rollup_read, 0);
	assert_true(sn->rollup_unread > 0);
	refresh_catch_up(r);
	assert_int_equal(refresh_next(r, NULL, &t, &sn, &cause), 0);
	assert_int_equal(sn->rollup_unread, 0);
	assert_true(sn->rollup_read > 0);
	for (i = 0; i < t.ngroups; i++)
		assert_int_equal(t.groups[i].st.hist == NULL ||
		    t.groups[i].st.hist->pushes <= 1, 1);
	tree_done(&t);
	/* all read: a refresh adds a sample again */
	assert_int_equal(refresh_next(r, NULL, &t, &sn, &cause), 0);
	for (i = 0; i < t.ngroups; i++)
		if (t.groups[i].st.hist != NULL && t.groups[i].sum.n > 0 &&
		    t.groups[i].st.hist->born_tick == 1)
			assert_int_equal(t.groups[i].st.hist->pushes, 2);
	tree_done(&t);
	refresh_free(r);
}

/* The smaps the snapshot has of id, which must have been read. */
static const struct snap_smaps *
smaps_read(const struct snapshot *sn, const struct proc_ref *id)
{
	const struct snap_smaps	*m = snapshot_smaps(sn, id->pid, id->start);

	assert_non_null(m);
	assert_non_null(m->maps);
	return m;
}

static void
test_smaps(void **state)
{
	struct fix		*f = *state;
	const struct snapshot	*sn;
	const struct snap_proc	*p;
	const struct snap_smaps	*m;
	struct proc_ref		 want[3];
	struct read_plan	 plan = { 0 };

	p = step(f, NULL, &sn);
	assert_int_equal(sn->nsmaps, 0);
	want[0] = (struct proc_ref){ p->pid, p->start };
	want[1] = (struct proc_ref){ p->pid, p->start + 1 };
	want[2] = want[0];	/* asked twice: read once */
	plan.smaps = want;
	plan.nsmaps = 3;
	step(f, &plan, &sn);
	assert_int_equal(sn->nsmaps, 2);
	m = smaps_read(sn, &want[0]);
	assert_true(m->maps->have_rss);
	assert_true(m->maps->n > 0);
	assert_true(m->age == 0);
	/* pid reused: not read, said as no mappings */
	m = snapshot_smaps(sn, want[1].pid, want[1].start);
	assert_non_null(m);
	assert_null(m->maps);
	/* kept while asked for (re-read every 5 s at most) */
	plan.nsmaps = 1;
	step(f, &plan, &sn);
	assert_int_equal(sn->nsmaps, 1);
	(void)smaps_read(sn, &want[0]);
	/* and forgotten when not */
	step(f, NULL, &sn);
	assert_int_equal(sn->nsmaps, 0);
	assert_null(snapshot_smaps(sn, want[0].pid, want[0].start));
}

/* A /proc/meminfo field in bytes, read here without libproc2. */
static uint64_t
meminfo_field(const char *key)
{
	char			 line[256];
	unsigned long long	 v = 0;
	size_t			 kl = strlen(key);
	FILE			*f = fopen("/proc/meminfo", "r");

	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			assert_int_equal(sscanf(line + kl + 1, "%llu", &v), 1);
	}
	fclose(f);
	return (uint64_t)v * 1024;
}

/*
 * The node's memory through libproc2, opened at first use: MemTotal as
 * /proc/meminfo says; a library that cannot be opened leaves both figures
 * unknown (not 0) and says why in the log.
 */
static void
test_nodemem(void **state)
{
	struct nodemem	*nm;
	uint64_t	 total, avail;
	unsigned long	 warned = log_count();

	(void)state;
	nm = nodemem_open();
	nodemem_read(nm, &total, &avail);
	assert_true(total == meminfo_field("MemTotal"));
	assert_true(avail != FIG_NA && avail > 0 && avail <= total);
	nodemem_free(nm);
	assert_int_equal(log_count(), warned);

	nm = nodemem_open_lib("libmemtop-test-absent.so.0");
	nodemem_read(nm, &total, &avail);
	assert_true(total == FIG_NA && avail == FIG_NA);
	nodemem_free(nm);
	assert_int_equal(log_count(), warned + 1);
	assert_non_null(strstr(log_last(), "the node's memory is unknown"));
	assert_non_null(strstr(log_last(), "libmemtop-test-absent.so.0"));
}

/* The descriptors open now: open[fd] set (fd < max), their count. */
static size_t
fds_now(bool *open, size_t max)
{
	DIR		*d = opendir("/proc/self/fd");
	struct dirent	*e;
	size_t		 n = 0;
	int		 fd;

	assert_non_null(d);
	memset(open, 0, max * sizeof *open);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || (fd = atoi(e->d_name)) == dirfd(d))
			continue;
		assert_true(fd >= 0 && (size_t)fd < max);
		open[fd] = true;
		n++;
	}
	closedir(d);
	return n;
}

/*
 * Of the descriptors open now, not in was: how many are a process's file
 * (/proc/PID/...) and how many a cgroup's.
 */
static void
kept_files(const bool *was, const bool *now, size_t max, size_t *proc,
    size_t *cg)
{
	char	 link[64], target[4096];
	size_t	 fd;
	ssize_t	 len;

	*proc = *cg = 0;
	for (fd = 0; fd < max; fd++) {
		if (!now[fd] || was[fd])
			continue;
		snprintf(link, sizeof link, "/proc/self/fd/%zu", fd);
		len = readlink(link, target, sizeof target - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		/* not /proc/meminfo, which libproc2 keeps */
		*proc += strncmp(target, "/proc/", 6) == 0 &&
		    target[6] >= '1' && target[6] <= '9';
		*cg += strncmp(target, "/sys/fs/cgroup/", 15) == 0;
	}
}

/* test_free_at_exit's, for its teardown when a check failed */
static struct {
	struct sampler	*s;
	struct refresh	*r;
	bool		*was, *now;
	size_t		 max;
} fae;

static int
free_at_exit_teardown(void **state)
{
	size_t	fd;

	(void)state;
	refresh_free(fae.r);
	sampler_free(fae.s);
	if (fae.was != NULL && fae.now != NULL) {
		/* what sampler_free_at_exit left, when a check failed after */
		fds_now(fae.now, fae.max);
		for (fd = 0; fd < fae.max; fd++)
			if (fae.now[fd] && !fae.was[fd])
				close((int)fd);
	}
	free(fae.was);
	free(fae.now);
	memset(&fae, 0, sizeof fae);
	return 0;
}

/*
 * sampler_free closes every file the sampler kept open between refreshes;
 * sampler_free_at_exit (a process about to exit) leaves them to the exit
 * and frees the memory (ASan's leak check sees none).
 */
static void
test_free_at_exit(void **state)
{
	struct refresh_opts	 o = { .max_age = 1e6, .budget_ms = 1e6,
	    .interval = 1, .history = 10, .window = 5,
	    .topts = { TREE_BY_POD, false } };
	const struct snapshot	*sn;
	struct cg_roots		 roots;
	struct rlimit		 rl;
	struct tree		 t;
	const char		*cause;
	size_t			 n0, fd, kept, kept_cg, p, cg, want;
	int			 at_exit;

	(void)state;
	if (cgroup_roots_default(&roots) != 0)
		memset(&roots, 0, sizeof roots);
	/* the sampler raises the soft limit, at most to the hard one */
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	fae.max = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 1 << 20 ?
	    1 << 20 : (size_t)rl.rlim_max;
	fae.was = calloc(fae.max, sizeof *fae.was);
	fae.now = calloc(fae.max, sizeof *fae.now);
	assert_non_null(fae.was);
	assert_non_null(fae.now);
	for (at_exit = 0; at_exit <= 1; at_exit++) {
		n0 = fds_now(fae.was, fae.max);
		fae.s = sampler_create(&roots, "/proc", "/", &cause);
		assert_non_null(fae.s);
		fae.r = refresh_create(fae.s, &o);
		assert_int_equal(refresh_next(fae.r, NULL, &t, &sn, &cause), 0);
		tree_done(&t);
		assert_true(sn->nprocs > 1);
		fds_now(fae.now, fae.max);
		kept_files(fae.was, fae.now, fae.max, &kept, &kept_cg);
		/* every process's stat and status, within the cache's limit */
		want = 2 * sn->nprocs;
		if (want > fdcache_default_limit())
			want = fdcache_default_limit();
		assert_true(kept >= want);
		/* a memory controller: its cgroups' files too */
		if (roots.v1_memory[0] != '\0' || roots.v2[0] != '\0')
			assert_true(kept_cg > 0);
		refresh_free(fae.r);
		fae.r = NULL;
		if (at_exit)
			sampler_free_at_exit(fae.s);
		else
			sampler_free(fae.s);
		fae.s = NULL;
		fds_now(fae.now, fae.max);
		kept_files(fae.was, fae.now, fae.max, &p, &cg);
		if (!at_exit) {
			assert_int_equal(p, 0);
			assert_int_equal(cg, 0);
			continue;
		}
		assert_int_equal(p, kept);
		assert_int_equal(cg, kept_cg);
		for (fd = 0; fd < fae.max; fd++)	/* as this process's exit would */
			if (fae.now[fd] && !fae.was[fd])
				close((int)fd);
		assert_int_equal(fds_now(fae.now, fae.max), n0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nodemem),
		cmocka_unit_test_teardown(test_free_at_exit,
		    free_at_exit_teardown),
		cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visible_first, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
