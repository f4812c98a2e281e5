/*
 * A child process that maps and touches mib MiB of anonymous memory, then
 * waits to be killed: a subject for the tests that read real /proc. Include
 * after <cmocka.h>.
 */
#ifndef MEMTOP_TESTS_UNIT_CHILD_H
#define MEMTOP_TESTS_UNIT_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

/*
 * A child that runs setup(arg), says it is ready and waits to be killed (or
 * dies with the test, even one that failed half-way); setup false: it
 * exits without saying so and the test fails on the read.
 */
static inline pid_t
spawn_ready(bool (*setup)(void *), void *arg)
{
	int	 fds[2];
	pid_t	 pid;
	char	 c;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (!setup(arg) || write(fds[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

static inline bool
touch_mib(void *arg)
{
	size_t	 len = *(size_t *)arg << 20;
	char	*p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return false;
	memset(p, 1, len);
	return true;
}

static inline pid_t
spawn_child(size_t mib)
{
	return spawn_ready(touch_mib, &mib);
}

#endif
