/*
 * Test helper: maps and touches a known amount of anonymous memory, says
 * "ready" on stdout, then waits to be killed. Optionally grows in steps.
 *
 * usage: alloc_anon MIB [STEP_MIB STEP_SECONDS STEPS]
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void
touch(size_t mib)
{
	size_t	 len = mib << 20;
	char	*p;

	if (len == 0)
		return;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	memset(p, 0x5a, len);
}

int
main(int argc, char **argv)
{
	long	steps = 0, i;
	size_t	step = 0;
	double	secs = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: alloc_anon MIB [STEP_MIB SECONDS STEPS]\n");
		return 2;
	}
	touch((size_t)strtoul(argv[1], NULL, 10));
	if (argc >= 5) {
		step = (size_t)strtoul(argv[2], NULL, 10);
		secs = strtod(argv[3], NULL);
		steps = strtol(argv[4], NULL, 10);
	}
	printf("ready\n");
	fflush(stdout);
	for (i = 0; i < steps; i++) {
		usleep((useconds_t)(secs * 1e6));
		touch(step);
		printf("step %ld\n", i + 1);
		fflush(stdout);
	}
	for (;;)
		pause();
}
