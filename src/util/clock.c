#include "config.h"

#include <time.h>

#include "util/clock.h"

static double
clock_seconds(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
clock_mono(void)
{
	return clock_seconds(CLOCK_MONOTONIC);
}

double
clock_real(void)
{
	return clock_seconds(CLOCK_REALTIME);
}

double
clock_boot(void)
{
	return clock_seconds(CLOCK_BOOTTIME);
}

double
clock_thread_cpu(void)
{
	return clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}
