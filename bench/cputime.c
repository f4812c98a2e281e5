/*
 * Runs a command (stdout to /dev/null) and prints its CPU time (user +
 * system, ms), peak RSS (KiB) and minor page faults:
 * "cpu_ms maxrss_kib minflt".
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage	ru;
	pid_t		pid;
	int		status;

	if (argc < 2)
		return 2;
	pid = fork();
	if (pid == 0) {
		int	fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return 99;
	printf("%.3f %ld %ld\n", (double)(ru.ru_utime.tv_sec +
	    ru.ru_stime.tv_sec) * 1000 + (double)(ru.ru_utime.tv_usec +
	    ru.ru_stime.tv_usec) / 1000, ru.ru_maxrss, ru.ru_minflt);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
