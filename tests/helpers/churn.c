/*
 * Test helper: forks N short-lived children, reusing pids fast by setting
 * /proc/sys/kernel/ns_last_pid to cycle through a small range (root), each
 * child logging "pid start_time" (start time from its own /proc/self/stat)
 * to LOG before it lives 0-20 ms and exits.
 *
 * usage: churn N LOG [CYCLE]
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long
own_start(void)
{
	char	 b[1024], *p;
	int	 fd = open("/proc/self/stat", O_RDONLY), i;
	ssize_t	 n;

	if (fd == -1)
		return 0;
	n = read(fd, b, sizeof b - 1);
	close(fd);
	if (n <= 0)
		return 0;
	b[n] = '\0';
	p = strrchr(b, ')');
	for (i = 0; p != NULL && i < 20; i++)
		p = strchr(p + 1, ' ');
	return p != NULL ? strtoull(p + 1, NULL, 10) : 0;
}

int
main(int argc, char **argv)
{
	long	n, i, cycle = 0, base = 0;
	int	log, fd;

	if (argc < 3)
		return 2;
	n = strtol(argv[1], NULL, 10);
	if (argc > 3)
		cycle = strtol(argv[3], NULL, 10);
	log = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (log == -1)
		return 1;
	base = getpid() + 1000;
	for (i = 0; i < n; i++) {
		pid_t	pid;

		if (cycle > 0 && (fd = open("/proc/sys/kernel/ns_last_pid",
		    O_WRONLY)) != -1) {
			char	s[32];
			int	l = snprintf(s, sizeof s, "%ld", base + i % cycle);

			if (write(fd, s, (size_t)l) < 0)
				cycle = 0;
			close(fd);
		}
		pid = fork();
		if (pid == 0) {
			char	line[64], name[16];
			int	l;

			snprintf(name, sizeof name, "churn-%ld", i % 100);
			prctl(PR_SET_NAME, name);
			l = snprintf(line, sizeof line, "%d %llu\n", getpid(),
			    own_start());
			if (write(log, line, (size_t)l) < 0)
				_exit(1);
			usleep((useconds_t)(rand() % 20000));
			_exit(0);
		}
		/* keep up to ~20 alive at a time */
		if (i % 20 == 19)
			while (waitpid(-1, NULL, 0) > 0)
				;
	}
	while (waitpid(-1, NULL, 0) > 0)
		;
	return 0;
}
