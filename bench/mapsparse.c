/*
 * memtop maps' own work on a maps text, without the kernel's: the text is
 * a copy in a regular file (ROOT/PID/maps), read through maps_scan as
 * memtop maps reads /proc/PID/maps (bench/run.sh, section c). Prints
 * "read_ms scan_ms report_ms", CPU per pass (median of PASSES): the file
 * read to its end and nothing else, maps_scan with a callback that does
 * nothing, and maps_scan into the report (histogram, clusters,
 * detectors) as `memtop maps` does. Usage: mapsparse ROOT PID [PASSES].
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "analyse/report.h"
#include "collect/maps.h"

#define MAX_PASSES	99

static double
cpu_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
count(void *arg, const struct mapping *mp)
{
	(void)mp;
	(*(size_t *)arg)++;
}

static int
fail(const char *path, const char *why)
{
	fprintf(stderr, "mapsparse: %s: %s\n", path, why);
	return 1;
}

static size_t
read_only(const char *path)
{
	static char	buf[64 * 1024];
	size_t		total = 0;
	ssize_t		n;
	int		fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return 0;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		total += (size_t)n;
	close(fd);
	return total;
}

int
main(int argc, char **argv)
{
	static struct maps_report	r;
	struct detect_ctx		c = { "maps_layout", NULL, 0 };
	struct report_run		rr;
	struct maps_stats		st;
	double				t[3][MAX_PASSES], t0;
	char				path[4200];
	size_t				n = 0;
	int				pid, passes, i;

	if (argc < 3)
		return 2;
	pid = atoi(argv[2]);
	passes = argc > 3 ? atoi(argv[3]) : 15;
	if (passes < 1 || passes > MAX_PASSES)
		return 2;
	snprintf(path, sizeof path, "%s/%d/maps", argv[1], pid);
	for (i = 0; i < passes; i++) {
		t0 = cpu_ms();
		if (read_only(path) == 0)
			return fail(path, "cannot read it, or it is empty");
		t[0][i] = cpu_ms() - t0;
		n = 0;
		t0 = cpu_ms();
		if (maps_scan(argv[1], pid, false, count, &n, &st) != 0)
			return fail(path, "maps_scan failed");
		t[1][i] = cpu_ms() - t0;
		/* a parse that refused lines would only look faster */
		if (n == 0 || n != st.n || st.bad_lines != 0)
			return fail(path, "lines refused or none parsed");
		t0 = cpu_ms();
		report_begin(&rr, &r, &c, pid);
		if (maps_scan(argv[1], pid, false, report_add, &rr, &st) != 0)
			return fail(path, "maps_scan failed");
		report_end(&rr, st.have_rss);
		t[2][i] = cpu_ms() - t0;
		if (st.n != n || r.hist.mappings != n)
			return fail(path, "the report saw other mappings");
	}
	for (i = 0; i < 3; i++)
		qsort(t[i], (size_t)passes, sizeof t[i][0], cmp_double);
	printf("%.3f %.3f %.3f\n", t[0][passes / 2], t[1][passes / 2],
	    t[2][passes / 2]);
	return 0;
}
