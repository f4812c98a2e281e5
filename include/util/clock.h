#ifndef MEMTOP_UTIL_CLOCK_H
#define MEMTOP_UTIL_CLOCK_H

/*
 * The two clocks memtop reads, as seconds in a double: monotonic for ages,
 * intervals and deadlines (never jumps); real time for what is printed or
 * exported as a date (epoch seconds).
 */
double	clock_mono(void);
double	clock_real(void);
/* Seconds since boot, suspend included: what /proc's start times count. */
double	clock_boot(void);
/* CPU time of the calling thread (what a piece of work cost). */
double	clock_thread_cpu(void);

#endif
