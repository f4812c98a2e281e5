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
static int	timing_errno;	/* why it is off, when it was asked for */

int
timing_open(char *why, size_t len)
{
	const char	*path;

	if (timing_fd == -2) {
		path = getenv("MEMTOP_TIMING");
		timing_fd = -1;
		if (path != NULL && path[0] != '\0') {
			timing_fd = open(path, O_WRONLY | O_CREAT | O_APPEND |
			    O_CLOEXEC, 0644);
			if (timing_fd == -1)
				timing_errno = errno;
		}
	}
	if (timing_fd >= 0 || timing_errno == 0)
		return 0;
	snprintf(why, len, "MEMTOP_TIMING %s: %s; no timing lines",
	    getenv("MEMTOP_TIMING"), strerror(timing_errno));
	return -1;
}

int
timing_on(void)
{
	char	why[8];

	(void)timing_open(why, sizeof why);
	return timing_fd >= 0;
}

/* One line, one write (O_APPEND: whole lines, even when shared). */
static void
timing_put(const char *line, int len)
{
	if (len > 0 && write(timing_fd, line, (size_t)len) < 0)
		return;	/* a diagnostic file: nothing else to do */
}

void
timing_note(const char *what, size_t unread)
{
	struct rusage	ru;
	char		line[128];

	if (!timing_on() || getrusage(RUSAGE_SELF, &ru) != 0)
		return;
	timing_put(line, snprintf(line, sizeof line,
	    "%s cpu_ms %.1f unread %zu\n", what,
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3, unread));
}

void
timing_begin(struct timing_mark *m)
{
	if (!timing_on())
		return;
	m->cpu = clock_thread_cpu();
	m->mono = clock_mono();
}

void
timing_refresh(const struct timing_mark *m, size_t nprocs)
{
	char	line[128];

	if (!timing_on())
		return;
	timing_put(line, snprintf(line, sizeof line,
	    "refresh cpu_ms %.3f wall_ms %.3f procs %zu\n",
	    (clock_thread_cpu() - m->cpu) * 1e3,
	    (clock_mono() - m->mono) * 1e3, nprocs));
}
