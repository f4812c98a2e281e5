/*
 * The open-file cache of /proc/PID files: a file is opened once and re-read
 * with fresh content; a process that vanished closes its entry; pid reuse
 * (a real one through ns_last_pid, and a start time that changed) reopens;
 * the limit closes the least recently used entry; a round closes what it
 * did not read; nothing stays open after fdcache_free.
 */
#include "config.h"

#include <errno.h>
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "collect/fdcache.h"
#include "collect/procscan.h"
#include "util/readfile.h"
#include "child.h"
#include "openfds.h"

static void
reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static struct fdcache_stats
stats(const struct fdcache *fc)
{
	struct fdcache_stats	st;

	fdcache_get_stats(fc, &st);
	return st;
}

static uint64_t
vmrss(struct fdcache *fc, int pid)
{
	char			buf[8192];
	struct proc_sample	p;

	memset(&p, 0, sizeof p);
	assert_true(fdcache_read(fc, pid, FDC_STATUS, buf, sizeof buf) > 0);
	procscan_parse_status(buf, &p);
	return p.fig[FIG_RSS];
}

/* One open per file; each read sees the kernel's figures of that moment. */
static void
test_reuse(void **state)
{
	struct fdcache		*fc = fdcache_create("/proc", 64);
	char			 buf[1024];
	struct proc_sample	 p;
	uint64_t		 before, after;
	size_t			 len = 16 << 20;
	char			*m;

	(void)state;
	assert_non_null(fc);
	fdcache_begin(fc);
	assert_true(fdcache_read(fc, getpid(), FDC_STAT, buf, sizeof buf) > 0);
	memset(&p, 0, sizeof p);
	assert_int_equal(procscan_parse_stat(buf, &p), 0);
	assert_int_equal(p.pid, getpid());
	assert_string_equal(p.comm, "test_fdcache");
	assert_int_equal(p.ppid, getppid());
	before = vmrss(fc, getpid());
	fdcache_end(fc);

	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	assert_true(m != MAP_FAILED);
	memset(m, 1, len);
	fdcache_begin(fc);
	assert_true(fdcache_read(fc, getpid(), FDC_STAT, buf, sizeof buf) > 0);
	after = vmrss(fc, getpid());
	fdcache_end(fc);
	assert_true(after >= before + len - (1 << 20));
	/* stat and status opened once each over two rounds */
	assert_int_equal(stats(fc).opens, 2);
	assert_int_equal(stats(fc).open_fds, 2);
	assert_int_equal(stats(fc).entries, 1);
	munmap(m, len);
	fdcache_free(fc);
}

/* A process that is gone: the read fails, its files are closed. */
static void
test_vanished(void **state)
{
	struct fdcache	*fc = fdcache_create("/proc", 64);
	pid_t		 pid = spawn_child(1);
	char		 buf[8192];
	ssize_t		 n;

	(void)state;
	fdcache_begin(fc);
	assert_true(fdcache_read(fc, pid, FDC_STAT, buf, sizeof buf) > 0);
	assert_true(fdcache_read(fc, pid, FDC_STATUS, buf, sizeof buf) > 0);
	assert_int_equal(stats(fc).open_fds, 2);
	reap(pid);
	n = fdcache_read(fc, pid, FDC_STATUS, buf, sizeof buf);
	assert_true(n == -ESRCH || n == -ENOENT);
	assert_int_equal(stats(fc).open_fds, 0);
	assert_int_equal(stats(fc).entries, 0);
	fdcache_end(fc);
	fdcache_free(fc);
}

/* Writes the fake /proc's DIR/PID/stat with start time start. */
static void
fake_stat(const char *dir, int pid, unsigned long long start)
{
	char	path[256], tmp[256];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%d", dir, pid);
	mkdir(path, 0700);
	snprintf(tmp, sizeof tmp, "%s/%d/stat.new", dir, pid);
	snprintf(path, sizeof path, "%s/%d/stat", dir, pid);
	f = fopen(tmp, "w");
	assert_non_null(f);
	fprintf(f, "%d (p%d) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 "
	    "%llu 1 1\n", pid, pid, start);
	fclose(f);
	/* a new file in its place: an fd open on the old one still reads it */
	assert_int_equal(rename(tmp, path), 0);
}

static unsigned long long
read_start(struct fdcache *fc, int pid)
{
	char			buf[1024];
	struct proc_sample	p;

	memset(&p, 0, sizeof p);
	if (fdcache_read(fc, pid, FDC_STAT, buf, sizeof buf) <= 0 ||
	    procscan_parse_stat(buf, &p) != 0)
		return 0;
	return p.start;
}

/* The start time read differs from the one recorded: closed and reopened. */
static void
test_start_changed(void **state)
{
	char		 dir[] = "/tmp/memtop-fdc.XXXXXX";
	char		 cmd[64];
	struct fdcache	*fc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	fake_stat(dir, 4242, 100);
	fc = fdcache_create(dir, 64);
	assert_non_null(fc);
	assert_int_equal(read_start(fc, 4242), 100);
	assert_int_equal(fdcache_set_start(fc, 4242, 100), 0);
	/* what the caller keeps with the files: kept while they are */
	assert_null(fdcache_memo(fc, 4243));
	assert_non_null(fdcache_memo(fc, 4242));
	assert_int_equal(fdcache_memo(fc, 4242)->key, 0);
	fdcache_memo(fc, 4242)->key = 77;
	assert_int_equal(fdcache_set_start(fc, 4242, 100), 0);
	assert_int_equal(fdcache_memo(fc, 4242)->key, 77);
	fake_stat(dir, 4242, 200);
	/* the open file is the old process's */
	assert_int_equal(read_start(fc, 4242), 100);
	assert_int_equal(stats(fc).opens, 1);
	/* the caller learns the new start elsewhere: the entry is reopened */
	assert_int_equal(fdcache_set_start(fc, 4242, 200), 1);
	assert_int_equal(stats(fc).open_fds, 0);
	assert_int_equal(fdcache_memo(fc, 4242)->key, 0);	/* not its */
	assert_int_equal(read_start(fc, 4242), 200);
	assert_int_equal(stats(fc).opens, 2);
	assert_int_equal(fdcache_start(fc, 4242), 200);
	fdcache_free(fc);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* A real pid reuse: the old file says ESRCH, the new process is read. */
static void
test_pid_reuse(void **state)
{
	struct fdcache		*fc = fdcache_create("/proc", 64);
	unsigned long long	 a_start = 0;
	pid_t			 a = -1, b = -1;
	int			 tries;

	(void)state;
	for (tries = 0; tries < 50; tries++) {
		FILE	*f;

		a = spawn_child(1);
		a_start = read_start(fc, a);
		assert_true(a_start > 0);
		fdcache_set_start(fc, a, a_start);
		fdcache_memo(fc, a)->key = 77;
		reap(a);
		f = fopen("/proc/sys/kernel/ns_last_pid", "w");
		if (f == NULL)
			break;
		fprintf(f, "%d", (int)a - 1);
		if (fclose(f) != 0)
			break;
		b = spawn_child(1);
		if (b == a)
			break;		/* nobody else forked in between */
		reap(b);
		fdcache_forget(fc, a);
		b = -1;
	}
	if (b != a) {
		fdcache_free(fc);
		skip();		/* no ns_last_pid (not root), or too busy */
	}
	/* b started after a: the cache must not hand back a's start */
	assert_true(read_start(fc, a) > a_start ||
	    fdcache_start(fc, a) == 0);
	/* nor what the caller kept for a (the ESRCH reopen cleared it) */
	assert_int_equal(fdcache_memo(fc, a)->key, 0);
	assert_int_equal(fdcache_set_start(fc, a, read_start(fc, a)), 0);
	assert_int_equal(stats(fc).entries, 1);
	assert_int_equal(stats(fc).open_fds, 1);
	reap(b);
	fdcache_free(fc);
}

/* Over the limit the least recently used entry goes. */
static void
test_limit_lru(void **state)
{
	char		 dir[] = "/tmp/memtop-fdc.XXXXXX";
	char		 cmd[64];
	struct fdcache	*fc;
	int		 pid;
	size_t		 fds0 = open_fds();

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (pid = 1; pid <= 6; pid++)
		fake_stat(dir, pid, (unsigned long long)pid * 10);
	fc = fdcache_create(dir, 4);
	fdcache_begin(fc);
	for (pid = 1; pid <= 4; pid++)
		assert_int_equal(read_start(fc, pid), pid * 10);
	assert_int_equal(stats(fc).open_fds, 4);
	assert_int_equal(open_fds(), fds0 + 5);	/* + the directory */
	fdcache_memo(fc, 2)->key = 77;
	assert_int_equal(read_start(fc, 1), 10);	/* 1 used again: 2 is oldest */
	assert_int_equal(read_start(fc, 5), 50);
	assert_int_equal(stats(fc).evictions, 1);
	assert_null(fdcache_memo(fc, 2));		/* gone with its files */
	assert_int_equal(stats(fc).open_fds, 4);
	assert_int_equal(stats(fc).opens, 5);
	assert_int_equal(read_start(fc, 1), 10);	/* still open */
	assert_int_equal(stats(fc).opens, 5);
	assert_int_equal(read_start(fc, 2), 20);	/* evicted: opened again */
	assert_int_equal(stats(fc).opens, 6);
	assert_int_equal(fdcache_memo(fc, 2)->key, 0);	/* nothing kept */
	assert_int_equal(stats(fc).evictions, 2);	/* 3 went for it */
	assert_int_equal(open_fds(), fds0 + 5);
	fdcache_end(fc);

	/* a round that reads only 6 closes the rest */
	fdcache_begin(fc);
	assert_int_equal(read_start(fc, 6), 60);
	fdcache_end(fc);
	assert_int_equal(stats(fc).entries, 1);
	assert_int_equal(stats(fc).open_fds, 1);
	/* a missing pid: an error, no entry left */
	assert_int_equal(read_start(fc, 77), 0);
	assert_int_equal(stats(fc).entries, 1);
	fdcache_free(fc);
	assert_int_equal(open_fds(), fds0);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/*
 * A read that leaves room and ends a line is taken as the end of the file
 * (stat, status and smaps_rollup are one seq_file record each): what it
 * reads of a stopped process (nothing moves) is the whole file, byte for
 * byte, as reading on to the end gives it.
 */
static pid_t	stopped_child;

/* the stopped child goes, also when a check failed */
static int
reap_stopped(void **state)
{
	(void)state;
	if (stopped_child > 0)
		reap(stopped_child);
	stopped_child = 0;
	return 0;
}

static void
test_whole_proc_files(void **state)
{
	const char	*names[] = { "stat", "status", "statm", "smaps_rollup" };
	enum fdc_file	 files[] = { FDC_STAT, FDC_STATUS, FDC_STATM,
	    FDC_ROLLUP };
	char		 path[64], buf[16384], st[8192];
	struct fdcache	*fc;
	struct buf	 b;
	pid_t		 pid = spawn_child(8);
	ssize_t		 n;
	size_t		 i;
	int		 status;

	(void)state;
	stopped_child = pid;
	assert_int_equal(kill(pid, SIGSTOP), 0);
	/* stopped (its parent is told): nothing in its files moves */
	assert_int_equal(waitpid(pid, &status, WUNTRACED), pid);
	assert_true(WIFSTOPPED(status));
	buf_init(&b);
	fc = fdcache_create("/proc", 0);
	assert_non_null(fc);
	fdcache_begin(fc);
	for (i = 0; i < sizeof files / sizeof *files; i++) {
		int	try;

		snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, names[i]);
		/*
		 * Reclaim can still take a stopped process's file pages (its
		 * RSS moves under memory pressure, as in a CI's ASan pass):
		 * a few tries for a round in which nothing moved.
		 */
		for (try = 0; try < 5; try++) {
			n = fdcache_read(fc, (int)pid, files[i], buf,
			    sizeof buf);
			assert_true(n > 0);
			assert_int_equal(read_file(path, &b, 0), 0);
			/* and a second read of the kept file, from its start */
			if (fdcache_read(fc, (int)pid, files[i], st,
			    sizeof st) == n && (size_t)n == b.len &&
			    memcmp(buf, b.data, b.len) == 0 &&
			    memcmp(st, b.data, b.len) == 0)
				break;
		}
		assert_int_equal((size_t)n, b.len);
		assert_memory_equal(buf, b.data, b.len);
		assert_memory_equal(st, b.data, b.len);
	}
	fdcache_end(fc);
	fdcache_free(fc);
	buf_done(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_vanished),
		cmocka_unit_test(test_start_changed),
		cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_limit_lru),
		cmocka_unit_test_teardown(test_whole_proc_files, reap_stopped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
