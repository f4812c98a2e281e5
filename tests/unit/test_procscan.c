/*
 * The libproc2 collector on real processes: a child with a known amount of
 * anonymous memory, compared with its /proc/PID/smaps_rollup; a vanished
 * process; a pid whose start time does not match; name sanitising.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "collect/procscan.h"
#include "util/clock.h"
#include "util/readfile.h"
#include "child.h"

#define CHILD_MIB	32


static void
reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The kernel's own figure, for comparison. */
static uint64_t
rollup_field(pid_t pid, const char *key)
{
	struct buf	 b;
	char		 path[64];
	char		*p;
	uint64_t	 v = 0;

	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
	buf_init(&b);
	if (read_file(path, &b, 0) == 0 && (p = strstr(b.data, key)) != NULL)
		v = strtoull(p + strlen(key), NULL, 10) * 1024;
	buf_done(&b);
	return v;
}

static struct proc_sample *
find(struct proc_sample *v, size_t n, pid_t pid)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i].pid == pid)
			return &v[i];
	}
	return NULL;
}

static void
test_child_figures(void **state)
{
	const char		*cause = NULL;
	struct procscan		*ps = procscan_create(&cause);
	struct proc_sample	*v, *p, *sel[1];
	size_t			 n;
	pid_t			 pid = spawn_child(CHILD_MIB);
	uint64_t		 want;

	(void)state;
	assert_non_null(ps);
	assert_int_equal(procscan_cheap(ps, &v, &n, &cause), 0);
	assert_true(n > 1);
	p = find(v, n, pid);
	assert_non_null(p);
	assert_int_equal(p->ppid, getpid());
	assert_string_equal(p->comm, "test_procscan");
	assert_true(p->fig[FIG_RSS_ANON] >= (uint64_t)CHILD_MIB << 20);
	/* rollup figures are not read by the cheap tier */
	assert_int_equal(p->fig[FIG_PSS], FIG_NA);
	assert_null(p->cmdline);

	sel[0] = p;
	assert_int_equal(procscan_ident(ps, sel, 1), 1);
	assert_non_null(p->cmdline);
	assert_non_null(strstr(p->cmdline, "test_procscan"));
	assert_int_equal(procscan_rollup(ps, sel, 1), 1);
	assert_true(p->rollup_read);
	want = rollup_field(pid, "Pss_Anon:");
	assert_true(want >= (uint64_t)CHILD_MIB << 20);
	/* same memory, read a moment apart: within 2 % */
	assert_true(p->fig[FIG_PSS_ANON] >= want - want / 50 &&
	    p->fig[FIG_PSS_ANON] <= want + want / 50);
	assert_true(p->fig[FIG_PRIVATE_DIRTY] >= (uint64_t)CHILD_MIB << 20);

	/* threads are not listed: only our own pid, once */
	{
		size_t	i, self = 0;

		for (i = 0; i < n; i++)
			self += v[i].pid == getpid();
		assert_int_equal(self, 1);
	}

	/* the child vanishes between the tiers: unknown, never 0 */
	reap(pid);
	p->rollup_read = false;
	p->fig[FIG_PSS] = FIG_NA;
	assert_int_equal(procscan_rollup(ps, sel, 1), 0);
	assert_false(p->rollup_read);
	assert_int_equal(p->fig[FIG_PSS], FIG_NA);
	procscan_free(ps);
}

static void
test_start_time_mismatch(void **state)
{
	const char		*cause = NULL;
	struct procscan		*ps = procscan_create(&cause);
	struct proc_sample	*v, *p, *sel[1];
	size_t			 n;
	pid_t			 pid = spawn_child(CHILD_MIB);

	(void)state;
	assert_int_equal(procscan_cheap(ps, &v, &n, &cause), 0);
	p = find(v, n, pid);
	assert_non_null(p);
	/* as if the pid now belonged to another process */
	p->start += 12345;
	sel[0] = p;
	assert_int_equal(procscan_rollup(ps, sel, 1), 0);
	assert_int_equal(procscan_ident(ps, sel, 1), 0);
	assert_int_equal(p->fig[FIG_PSS_ANON], FIG_NA);
	reap(pid);
	procscan_free(ps);
}

/*
 * A child that touches 8 MiB, says so, and touches 8 more when told: status
 * is read again when its statm moves, not while it is still.
 */
static pid_t
spawn_grower(int *go)
{
	int	 ready[2], cmd[2];
	pid_t	 pid;
	char	 c;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(cmd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		size_t	 len = 8u << 20;
		char	*a = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		/* gone with the test, even one that failed half-way */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* a uid of its own (as root): the kept uid is its, not 0 */
		if (a == MAP_FAILED || (getuid() == 0 && setuid(65534) != 0))
			_exit(1);
		memset(a, 1, len);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		/* g: touch 8 MiB more (once); m: map 64 MiB, touch none */
		while (read(cmd[0], &c, 1) == 1) {
			if (c == 'g')
				memset(a + len, 1, len);
			else if (mmap(NULL, 64u << 20, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
				_exit(1);
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(ready[1]);
	close(cmd[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	go[0] = ready[0];
	go[1] = cmd[1];
	return pid;
}

/* How many of this process's open files are /proc/PID/FILE. */
static int
open_on(pid_t pid, const char *file)
{
	DIR		*d = opendir("/proc/self/fd");
	struct dirent	*e;
	char		 want[64], path[300], got[64];
	ssize_t		 n;
	int		 count = 0;

	assert_non_null(d);
	snprintf(want, sizeof want, "/proc/%d/%s", (int)pid, file);
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
		n = readlink(path, got, sizeof got - 1);
		if (n > 0) {
			got[n] = '\0';
			count += strcmp(got, want) == 0;
		}
	}
	closedir(d);
	return count;
}

static void
test_status_behind_statm(void **state)
{
	const char		*cause = NULL;
	struct procscan		*ps = procscan_create(&cause);
	struct proc_sample	*p, first;
	int			 go[2];
	pid_t			 pid = spawn_grower(go);
	uint64_t		 anon;
	size_t			 r;
	double			 t0;
	char			 c;

	(void)state;
	assert_non_null(ps);
	/* long enough whatever point of it a first read counts as */
	procscan_set_status_age(ps, 1e9);
	r = procscan_status_reads(ps);
	assert_int_equal(procscan_one(ps, pid, &p), 0);
	assert_int_equal(procscan_status_reads(ps), r + 1);	/* new */
	/* a new process: status read, statm not even opened */
	assert_int_equal(open_on(pid, "status"), 1);
	assert_int_equal(open_on(pid, "statm"), 0);
	first = *p;
	anon = p->fig[FIG_RSS_ANON];
	assert_true(anon >= 8u << 20);
	assert_int_equal(p->fig[FIG_VM_SWAP], 0);	/* else read every time */
	assert_int_equal(p->uid, getuid() == 0 ? 65534 : getuid());
	/* nothing moved: the figures kept, status not read */
	assert_int_equal(procscan_one(ps, pid, &p), 0);
	assert_int_equal(procscan_status_reads(ps), r + 1);
	assert_int_equal(open_on(pid, "statm"), 1);
	assert_int_equal(p->uid, first.uid);
	assert_memory_equal(p->fig, first.fig, sizeof first.fig);
	/* 64 MiB mapped, none touched: statm's size moved, resident not */
	assert_int_equal(write(go[1], "m", 1), 1);
	assert_int_equal(read(go[0], &c, 1), 1);
	assert_int_equal(procscan_one(ps, pid, &p), 0);
	assert_int_equal(procscan_status_reads(ps), r + 1);
	assert_memory_equal(p->fig, first.fig, sizeof first.fig);
	/* it grows: statm moved, status read */
	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(read(go[0], &c, 1), 1);
	assert_int_equal(procscan_one(ps, pid, &p), 0);
	assert_int_equal(procscan_status_reads(ps), r + 2);
	assert_true(p->fig[FIG_RSS_ANON] >= anon + (8u << 20));
	/* still again, but what was read gets too old */
	procscan_set_status_age(ps, 0.002);
	t0 = clock_mono();
	while (clock_mono() - t0 < 0.004)
		;
	assert_int_equal(procscan_one(ps, pid, &p), 0);
	assert_int_equal(procscan_status_reads(ps), r + 3);
	/* 0: every time */
	procscan_set_status_age(ps, 0);
	assert_int_equal(procscan_one(ps, pid, &p), 0);
	assert_int_equal(procscan_one(ps, pid, &p), 0);
	assert_int_equal(procscan_status_reads(ps), r + 5);
	close(go[0]);
	close(go[1]);
	reap(pid);
	procscan_free(ps);
}

/* 3 000 supplementary groups: a Groups: line longer than the buffer. */
static bool
many_groups(void *arg)
{
	static gid_t	g[3000];
	size_t		i;

	(void)arg;
	for (i = 0; i < 3000; i++)
		g[i] = (gid_t)(1000000 + i);
	return setgroups(3000, g) == 0;
}

/*
 * A status longer than the buffer (a Groups: line of 3 000 gids) loses its
 * memory lines: those figures are unknown, not 0. Needs root (setgroups).
 */
static void
test_status_cut_short(void **state)
{
	const char		*cause = NULL;
	struct procscan		*ps;
	struct proc_sample	*p;
	pid_t			 pid;

	(void)state;
	if (getuid() != 0)
		skip();
	pid = spawn_ready(many_groups, NULL);
	ps = procscan_create(&cause);
	assert_non_null(ps);
	assert_int_equal(procscan_one(ps, pid, &p), 0);
	assert_int_equal(p->fig[FIG_RSS], FIG_NA);
	assert_int_equal(p->fig[FIG_RSS_ANON], FIG_NA);
	assert_int_equal(p->fig[FIG_VM_SWAP], FIG_NA);
	assert_int_equal(p->pid, pid);		/* stat was read */
	procscan_free(ps);
	reap(pid);
}

static void
test_sanitize(void **state)
{
	char	a[] = "worker ) (job)";
	char	b[] = "a\nb\tc\x7f";
	char	c[] = "caf\xc3\xa9 \xff\xfe ok \xe2\x82";
	char	d[] = "\xe2\x96\x81\xe2\x96\x88";

	(void)state;
	procscan_sanitize(a);
	assert_string_equal(a, "worker ) (job)");
	procscan_sanitize(b);
	assert_string_equal(b, "a?b?c?");
	procscan_sanitize(c);
	assert_string_equal(c, "caf\xc3\xa9 ?? ok ??");
	procscan_sanitize(d);
	assert_string_equal(d, "\xe2\x96\x81\xe2\x96\x88");
}

/* The stat and status lines the cheap tier parses, as the kernel writes them. */
static void
test_parse(void **state)
{
	struct proc_sample	p;
	const char		*st = "4242 (a) b) (c) R 17 4242 4242 0 -1 "
	    "4194560 100 0 0 0 5 6 0 0 20 0 3 0 987654 123456 789\n";
	const char		*kst = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 "
	    "0 0 0 0 20 0 1 0 9 0 0\n";
	const char		*status = "Name:\ta) b\nUmask:\t0022\n"
	    "State:\tR (running)\nUid:\t1000\t2000\t2000\t2000\n"
	    "Gid:\t0\t0\t0\t0\nVmRSS:\t    2048 kB\nRssAnon:\t    1024 kB\n"
	    "RssFile:\t     512 kB\nRssShmem:\t       0 kB\n"
	    "VmSwap:\t      64 kB\nThreads:\t3\n";

	(void)state;
	memset(&p, 0, sizeof p);
	assert_int_equal(procscan_parse_stat(st, &p), 0);
	assert_int_equal(p.pid, 4242);
	assert_string_equal(p.comm, "a) b) (c");	/* up to the last ')' */
	assert_int_equal(p.state, 'R');
	assert_int_equal(p.ppid, 17);
	assert_int_equal(p.start, 987654);
	assert_false(p.kthread);
	procscan_parse_status(status, &p);
	assert_int_equal(p.uid, 2000);			/* effective, not real */
	assert_int_equal(p.fig[FIG_RSS], 2048 * 1024);
	assert_int_equal(p.fig[FIG_RSS_ANON], 1024 * 1024);
	assert_int_equal(p.fig[FIG_RSS_FILE], 512 * 1024);
	assert_int_equal(p.fig[FIG_RSS_SHMEM], 0);
	assert_int_equal(p.fig[FIG_VM_SWAP], 64 * 1024);
	/* the memory lines are there: 1; none (a zombie, or cut short): 0 */
	assert_int_equal(procscan_parse_status(status, &p), 1);
	assert_int_equal(procscan_parse_status("Name:\tz\nUid:\t0\t0\t0\t0\n"
	    "Gid:\t0\t0\t0\t0\nGroups:\t1 2 3", &p), 0);
	assert_int_equal(p.fig[FIG_RSS], 0);
	memset(&p, 0, sizeof p);
	assert_int_equal(procscan_parse_stat(kst, &p), 0);
	assert_true(p.kthread);				/* PF_KTHREAD */
	assert_int_equal(procscan_parse_stat("12 (no end S 1 2 3", &p), -1);
	assert_int_equal(procscan_parse_stat("", &p), -1);
}

/*
 * read_proc_record takes a read that leaves room as the last: a process's
 * command line of 10 000 bytes (three pages, handed out across reads that
 * fill the buffer) and environment, and its cgroup file, come out whole,
 * as reading on until a read returns 0 gives them; a regular file larger
 * than the first read too.
 */
static void
test_proc_record(void **state)
{
	char		 arg[3][3400], env[6000], path[64], file[] =
	    "/tmp/memtop-test-record-XXXXXX";
	const char	*names[] = { "cmdline", "environ", "cgroup" };
	struct buf	 a, b;
	size_t		 i;
	pid_t		 pid;
	int		 fds[2], fd, tries;
	char		 c;

	(void)state;
	for (i = 0; i < 3; i++) {
		memset(arg[i], 'a' + (int)i, sizeof arg[i] - 1);
		arg[i][sizeof arg[i] - 1] = '\0';
	}
	memcpy(env, "BIG=", 4);
	memset(env + 4, 'e', sizeof env - 5);
	env[sizeof env - 1] = '\0';
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* cat of files that do not exist, then of the pipe: waits */
		char	*argv[] = { "/bin/cat", arg[0], arg[1], arg[2], "-",
		    NULL };
		char	*envp[] = { env, NULL };

		int	 null = open("/dev/null", O_WRONLY);

		dup2(fds[0], 0);
		dup2(null, 1);
		dup2(null, 2);
		close(fds[1]);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(fds[0]);
	buf_init(&a);
	buf_init(&b);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, names[i]);
		/* the exec done (within 10 s): the command line is cat's */
		for (tries = 0; tries < 10000; tries++) {
			assert_int_equal(read_file(path, &b, 0), 0);
			if (i > 0 || b.len >= 3 * sizeof arg[0])
				break;
			usleep(1000);
		}
		assert_true(i > 0 || b.len >= 3 * sizeof arg[0]);
		assert_int_equal(read_proc_record(path, &a, 0, i == 1), 0);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, b.len);
		if (i == 0)
			assert_true(a.len > 10000);
		if (i == 1)
			assert_int_equal(a.len, sizeof env);
	}
	c = '\n';
	assert_int_equal(write(fds[1], &c, 1), 1);
	close(fds[1]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	fd = mkstemp(file);
	assert_true(fd >= 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(write(fd, env, sizeof env - 1), sizeof env - 1);
	close(fd);
	assert_int_equal(read_proc_record(file, &a, 0, false), 0);
	assert_int_equal(a.len, 5 * (sizeof env - 1));
	unlink(file);
	buf_done(&a);
	buf_done(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_child_figures),
		cmocka_unit_test(test_start_time_mismatch),
		cmocka_unit_test(test_status_behind_statm),
		cmocka_unit_test(test_status_cut_short),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_proc_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
