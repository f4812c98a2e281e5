/*
 * canary: a fixed piece of work, done every PERIOD seconds and timed the way
 * memtop times its refreshes (MEMTOP_TIMING), for make soak. The work: ROUNDS
 * preads of /proc/1/stat and /proc/1/status through files kept open, the
 * kind of reads a memtop refresh is made of, always the same. A line per
 * round:
 *   canary cpu_ms MS wall_ms MS at S
 * (the thread's CPU, the wall time, the monotonic clock at the end in
 * seconds). A memtop refresh that is slow while the canary is slow too was
 * slowed by the machine (interrupts charged to whatever runs, a busy host),
 * not by its own work. Runs until killed, or its parent exits.
 *   canary PERIOD ROUNDS FILE
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"

int
main(int argc, char **argv)
{
	struct timespec	 nap;
	char		 buf[8192], line[128];
	double		 period, c0, m0, m1;
	long		 rounds, i;
	int		 stat, status, out, len;

	if (argc != 4 || (period = atof(argv[1])) <= 0 ||
	    (rounds = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: canary PERIOD ROUNDS FILE\n");
		return 2;
	}
	/* gone with make soak, even one killed */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	stat = open("/proc/1/stat", O_RDONLY);
	status = open("/proc/1/status", O_RDONLY);
	out = open(argv[3], O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (stat < 0 || status < 0 || out < 0) {
		perror("canary: open");
		return 1;
	}
	nap.tv_sec = (time_t)period;
	nap.tv_nsec = (long)((period - (double)nap.tv_sec) * 1e9);
	for (;;) {
		c0 = clock_thread_cpu();
		m0 = clock_mono();
		for (i = 0; i < rounds; i++) {
			if (pread(stat, buf, sizeof buf, 0) <= 0 ||
			    pread(status, buf, sizeof buf, 0) <= 0) {
				perror("canary: pread");
				return 1;
			}
		}
		m1 = clock_mono();
		len = snprintf(line, sizeof line,
		    "canary cpu_ms %.3f wall_ms %.3f at %.3f\n",
		    (clock_thread_cpu() - c0) * 1e3,
		    (m1 - m0) * 1e3, m1);
		if (write(out, line, (size_t)len) != len) {
			perror("canary: write");
			return 1;
		}
		nanosleep(&nap, NULL);
	}
}
