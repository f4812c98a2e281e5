/*
 * Test helper: a known mapping layout. N256 anonymous rw mappings of exactly
 * 256 KiB (touched), N4K of 4 KiB, N8M of 8 MiB, each separated by a hole so
 * the kernel cannot merge them; then THREADS threads that malloc at the same
 * moment (extra glibc arenas) and keep their memory. Says "ready" and waits.
 *
 * usage: maps_layout N256 N4K N8M THREADS
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define KiB	1024UL
#define MiB	(1024 * KiB)
#define HOLE	(4 * KiB)

static pthread_barrier_t	start_line;
static pthread_barrier_t	done_line;

static char *
region(size_t total)
{
	char	*p = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		    MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	munmap(p, total);	/* keep the address range, free it */
	return p;
}

static void
place(char **cursor, size_t size, size_t n, int touch)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		char	*p = mmap(*cursor, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			    -1, 0);

		if (p == MAP_FAILED || p != *cursor) {
			perror("mmap fixed");
			exit(1);
		}
		if (touch)
			memset(p, 0x11, size);
		*cursor += size + HOLE;
	}
}

static void *
worker(void *arg)
{
	void	*keep[200];
	int	 i;

	(void)arg;
	pthread_barrier_wait(&start_line);
	for (i = 0; i < 200; i++) {
		keep[i] = malloc(20000);
		memset(keep[i], 1, 20000);
	}
	pthread_barrier_wait(&done_line);
	for (;;)
		pause();
	return keep[0];
}

int
main(int argc, char **argv)
{
	size_t		 n256, n4k, n8m, total;
	long		 nthreads, i;
	char		*cur;
	pthread_t	 t;

	if (argc != 5) {
		fprintf(stderr, "usage: maps_layout N256 N4K N8M THREADS\n");
		return 2;
	}
	n256 = strtoul(argv[1], NULL, 10);
	n4k = strtoul(argv[2], NULL, 10);
	n8m = strtoul(argv[3], NULL, 10);
	nthreads = strtol(argv[4], NULL, 10);
	total = n256 * (256 * KiB + HOLE) + n4k * (4 * KiB + HOLE) +
	    n8m * (8 * MiB + HOLE) + HOLE;
	cur = region(total);
	place(&cur, 256 * KiB, n256, 1);
	place(&cur, 4 * KiB, n4k, 1);
	place(&cur, 8 * MiB, n8m, 0);
	pthread_barrier_init(&start_line, NULL, (unsigned)nthreads + 1);
	pthread_barrier_init(&done_line, NULL, (unsigned)nthreads + 1);
	for (i = 0; i < nthreads; i++)
		pthread_create(&t, NULL, worker, NULL);
	pthread_barrier_wait(&start_line);
	pthread_barrier_wait(&done_line);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
