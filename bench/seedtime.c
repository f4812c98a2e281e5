/*
 * The two parts of a start with history, timed on a store (bench/run.sh
 * section f): "start_ms rest_ms entities rows", the CPU (this process's
 * clock) of seed_load with the first screen's figures, and of the rest
 * the dashboard reads once its first screen is drawn. Usage: seedtime
 * STORE [NOW] (NOW: epoch seconds, default now).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model/history.h"
#include "store/seed.h"

static double
cpu_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	struct seed_req	 q = { .delay = 3, .window = 300, .cap = 600 };
	struct history	*h;
	char		 note[640];
	double		 t0, t1, t2;
	size_t		 n;

	if (argc < 2)
		return 2;
	q.now = argc > 2 ? atof(argv[2]) : (double)time(NULL);
	h = history_create(q.cap, 100);
	q.figs = SEED_FIGS_START;
	t0 = cpu_ms();
	if (seed_load(argv[1], h, &q, note, sizeof note) != 1) {
		fprintf(stderr, "seedtime: %s\n", note);
		return 1;
	}
	t1 = cpu_ms();
	q.figs = SEED_FIGS_ALL & ~SEED_FIGS_START;
	q.more = true;
	(void)seed_load(argv[1], h, &q, note, sizeof note);
	t2 = cpu_ms();
	history_heap(h, &n);
	printf("%.1f %.1f %zu\n", t1 - t0, t2 - t1, n);
	history_free(h);
	return 0;
}
