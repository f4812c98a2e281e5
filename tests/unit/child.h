/*
 * A child process that maps and touches mib MiB of anonymous memory, then
 * waits to be killed: a subject for the tests that read real /proc. Include
 * after <cmocka.h>.
 */
#ifndef MEMTOP_TESTS_UNIT_CHILD_H
#define MEMTOP_TESTS_UNIT_CHILD_H

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static inline pid_t
spawn_child(size_t mib)
{
	int	 fds[2];
	pid_t	 pid;
	char	 c;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		size_t	 len = mib << 20;
		char	*p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		memset(p, 1, len);
		if (write(fds[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

#endif
