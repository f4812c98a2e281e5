/*
 * Test helper: glibc arena fragmentation, the native half of the field
 * case. N threads (default 8) run at once, each mallocs MIB MiB in small
 * blocks (so each gets an arena of its own), waits for the others, frees
 * all but every 32nd block, and stays alive: the arenas keep most of their pages resident
 * (freed chunks between live ones cannot be trimmed). Prints "ready" when
 * every thread is done, then waits to be killed.
 *
 * usage: arenas [THREADS [MIB]]
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK	4000		/* below the mmap threshold */

static size_t			 per_thread;
static pthread_barrier_t	 start, filled, done;

static void *
worker(void *arg)
{
	size_t	 n = per_thread / BLOCK, i;
	char	**v = calloc(n, sizeof *v);

	(void)arg;
	if (v == NULL)
		return NULL;
	pthread_barrier_wait(&start);	/* all at once: one arena each */
	for (i = 0; i < n; i++) {
		v[i] = malloc(BLOCK);
		if (v[i] != NULL)
			memset(v[i], 0x5a, BLOCK);
	}
	/*
	 * Nobody frees before everybody has allocated: threads that share an
	 * arena (MALLOC_ARENA_MAX below the thread count) would otherwise
	 * reuse each other's freed chunks, and the resident size would depend
	 * on the scheduler (96-162 MiB for 8 x 24 MiB with 2 arenas).
	 */
	pthread_barrier_wait(&filled);
	for (i = 0; i < n; i++) {
		if (i % 32 != 0)
			free(v[i]);
	}
	pthread_barrier_wait(&done);
	for (;;)
		pause();
	return NULL;
}

int
main(int argc, char **argv)
{
	int		 threads = argc > 1 ? atoi(argv[1]) : 8, i;
	size_t		 mib = argc > 2 ? (size_t)atol(argv[2]) : 24;
	pthread_t	 t;

	if (threads < 1 || threads > 64 || mib < 1) {
		fprintf(stderr, "usage: arenas [THREADS [MIB]]\n");
		return 2;
	}
	per_thread = mib << 20;
	pthread_barrier_init(&start, NULL, (unsigned)threads);
	pthread_barrier_init(&filled, NULL, (unsigned)threads);
	pthread_barrier_init(&done, NULL, (unsigned)threads + 1);
	for (i = 0; i < threads; i++) {
		if (pthread_create(&t, NULL, worker, NULL) != 0) {
			perror("pthread_create");
			return 1;
		}
	}
	pthread_barrier_wait(&done);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
