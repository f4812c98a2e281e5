/*
 * execmark FILE COMMAND [ARG...]: appends "exec cpu_ms X" to FILE, X being
 * the CPU (user + system, ms) this process has used so far, then execs
 * COMMAND in its place. CPU time survives exec, so a figure the command
 * later reads with getrusage(RUSAGE_SELF) (memtop's MEMTOP_TIMING lines)
 * counts everything before it too: in a tmux pane, the server's forked
 * child, the shell, env and taskset. Subtracting X leaves the command's own
 * CPU from its exec on (its loading and start-up included).
 */
#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage	ru;
	FILE		*f;

	if (argc < 3)
		return 2;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 99;
	f = fopen(argv[1], "a");
	if (f == NULL)
		return 99;
	fprintf(f, "exec cpu_ms %.3f\n", (double)(ru.ru_utime.tv_sec +
	    ru.ru_stime.tv_sec) * 1000 + (double)(ru.ru_utime.tv_usec +
	    ru.ru_stime.tv_usec) / 1000);
	if (fclose(f) != 0)
		return 99;
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
