#ifndef MEMTOP_UTIL_CLOCK_H
#define MEMTOP_UTIL_CLOCK_H

#include <time.h>

/* Seconds on a clock: CLOCK_MONOTONIC, CLOCK_REALTIME, a CPU-time clock. */
double	clock_seconds(clockid_t);

#endif
