/*
 * What one page fault costs on this machine: CPU time (user + system) to
 * write one byte into each of N fresh anonymous pages, per page, in
 * microseconds; the median of 9 runs. bench/run.sh prints it beside the
 * faults memtop and the raw reader take (docs/bench-history.md: on session
 * 7's VM, ~15 us a fault, where bare metal takes well under 1 us).
 *
 *   faultcost [PAGES]      (default 1024)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double
cpu_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	size_t	pages = argc > 1 ? strtoul(argv[1], NULL, 10) : 1024, i;
	size_t	pg = (size_t)sysconf(_SC_PAGESIZE);
	double	per[9];
	int	r;

	if (pages == 0)
		return 2;
	for (r = 0; r < 9; r++) {
		double	t0;
		char	*p = mmap(NULL, pages * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 1;
		/* small pages, one fault each, whatever THP's setting */
		(void)madvise(p, pages * pg, MADV_NOHUGEPAGE);
		t0 = cpu_us();
		for (i = 0; i < pages; i++)
			p[i * pg] = 1;
		per[r] = (cpu_us() - t0) / (double)pages;
		munmap(p, pages * pg);
	}
	qsort(per, 9, sizeof per[0], cmp);
	printf("%.2f\n", per[4]);
	return 0;
}
