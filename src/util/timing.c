#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/timing.h"

static int	timing_fd = -2;	/* -2: not looked at yet; -1: off */
static int	timing_errno;	/* why it could not be opened */
static int	write_errno;	/* why a write failed, until said */

/* The phases of the refresh under way (timing_phase), in order met. */
#define TIMING_PHASES	16
static struct {
	const char	*name;
	double		 cpu, wall;	/* seconds */
}		phase[TIMING_PHASES];
static size_t	nphase;
static double	phase_cpu, phase_mono;	/* the last stamp */

/* Opens the file the first time it is asked about. */
static void
timing_init(void)
{
	const char	*path;

	if (timing_fd != -2)
		return;
	path = getenv("MEMTOP_TIMING");
	timing_fd = -1;
	if (path != NULL && path[0] != '\0') {
		timing_fd = open(path, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0644);
		if (timing_fd == -1)
			timing_errno = errno;
	}
}

int
timing_open(char *why, size_t len)
{
	timing_init();
	if (timing_fd >= 0 || timing_errno == 0)
		return 0;
	snprintf(why, len, "MEMTOP_TIMING %s: %s; no timing lines",
	    getenv("MEMTOP_TIMING"), strerror(timing_errno));
	return -1;
}

int
timing_on(void)
{
	timing_init();
	return timing_fd >= 0;
}

int
timing_write_failed(char *why, size_t len)
{
	if (write_errno == 0)
		return 0;
	snprintf(why, len, "MEMTOP_TIMING %s: cannot write: %s; no more "
	    "timing lines", getenv("MEMTOP_TIMING"), strerror(write_errno));
	write_errno = 0;
	return 1;
}

/*
 * One line, one write (O_APPEND: whole lines, even when shared). A failed
 * or short write closes the file, for timing_write_failed to say.
 */
static void
timing_put(const char *line, int len)
{
	ssize_t	n;

	if (len <= 0)
		return;
	n = write(timing_fd, line, (size_t)len);
	if (n == len)
		return;
	write_errno = n < 0 ? errno : ENOSPC;
	close(timing_fd);
	timing_fd = -1;
}

/* ms with three decimals and a '.' whatever LC_NUMERIC says (the UI's). */
static const char *
ms3(double ms, char *buf, size_t len)
{
	long long	us = ms > 0 ? (long long)(ms * 1000 + 0.5) : 0;

	snprintf(buf, len, "%lld.%03lld", us / 1000, us % 1000);
	return buf;
}

void
timing_note(const char *what, size_t unread)
{
	struct rusage	ru;
	char		line[128], a[32];

	if (!timing_on() || getrusage(RUSAGE_SELF, &ru) != 0)
		return;
	timing_put(line, snprintf(line, sizeof line,
	    "%s cpu_ms %s unread %zu\n", what, ms3(
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3, a,
	    sizeof a), unread));
}

/* The calling thread's minor faults and preemptions so far (0 if unknown). */
static void
thread_counts(long *minflt, long *nivcsw)
{
	struct rusage	ru;

	if (getrusage(RUSAGE_THREAD, &ru) != 0) {
		*minflt = *nivcsw = 0;
		return;
	}
	*minflt = ru.ru_minflt;
	*nivcsw = ru.ru_nivcsw;
}

void
timing_begin(struct timing_mark *m)
{
	if (!timing_on())
		return;
	thread_counts(&m->minflt, &m->nivcsw);
	m->cpu = phase_cpu = clock_thread_cpu();
	m->mono = phase_mono = clock_mono();
	nphase = 0;
}

void
timing_phase(const char *name)
{
	double	cpu, mono;
	size_t	i;

	if (timing_fd < 0)	/* off, or not looked at: no mark begun */
		return;
	cpu = clock_thread_cpu();
	mono = clock_mono();
	for (i = 0; i < nphase && strcmp(phase[i].name, name) != 0; i++)
		;
	if (i == nphase) {
		if (nphase == TIMING_PHASES)
			return;		/* the next stamp counts it */
		phase[nphase].name = name;
		phase[nphase].cpu = phase[nphase].wall = 0;
		nphase++;
	}
	phase[i].cpu += cpu - phase_cpu;
	phase[i].wall += mono - phase_mono;
	phase_cpu = cpu;
	phase_mono = mono;
}

/* " phases NAME CPU/WALL ... rest CPU/WALL" (ms) into buf; its length. */
static int
phases_put(char *buf, size_t len, double cpu, double mono)
{
	char	a[32], b[32];
	size_t	i, off;
	int	n;

	n = snprintf(buf, len, " phases");
	if (nphase == 0 || n < 0 || (size_t)n >= len)
		return 0;
	off = (size_t)n;
	for (i = 0; i <= nphase; i++) {
		const char	*name = i < nphase ? phase[i].name : "rest";
		double		 c = i < nphase ? phase[i].cpu : cpu - phase_cpu;
		double		 w = i < nphase ? phase[i].wall :
				    mono - phase_mono;

		n = snprintf(buf + off, len - off, " %s %s/%s", name,
		    ms3(c * 1e3, a, sizeof a), ms3(w * 1e3, b, sizeof b));
		if (n < 0 || (size_t)n >= len - off)
			break;		/* the line ends whole, without it */
		off += (size_t)n;
	}
	return (int)off;
}

void
timing_refresh(const struct timing_mark *m, size_t nprocs)
{
	char	line[224 + TIMING_PHASES * 40], a[32], b[32], c[32];
	double	cpu, mono;
	long	minflt, nivcsw;
	int	n;

	if (!timing_on())
		return;
	cpu = clock_thread_cpu();
	mono = clock_mono();
	thread_counts(&minflt, &nivcsw);
	n = snprintf(line, sizeof line,
	    "refresh cpu_ms %s wall_ms %s procs %zu minflt %ld nivcsw %ld "
	    "at %s", ms3((cpu - m->cpu) * 1e3, a, sizeof a),
	    ms3((mono - m->mono) * 1e3, b, sizeof b), nprocs,
	    minflt - m->minflt, nivcsw - m->nivcsw, ms3(mono, c, sizeof c));
	if (n < 0 || (size_t)n >= sizeof line - 1)
		return;
	n += phases_put(line + n, sizeof line - 1 - (size_t)n, cpu, mono);
	line[n++] = '\n';
	timing_put(line, n);
}
