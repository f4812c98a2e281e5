#ifndef MEMTOP_UTIL_TIMING_H
#define MEMTOP_UTIL_TIMING_H

#include <stddef.h>

/*
 * MEMTOP_TIMING=FILE (memtop.1, ENVIRONMENT): lines that make bench and
 * make soak read. Unset or empty: nothing is written and nothing is
 * measured. The file is opened once, for appending; a line is written
 * whole (one write) so two memtops can share a file. Figures have a '.'
 * whatever the locale.
 */

/* The start of one refresh, up to its output drawn or written. */
struct timing_mark {
	double	cpu;	/* CPU of the calling thread, seconds */
	double	mono;	/* monotonic, seconds */
	long	minflt;	/* the thread's minor page faults so far */
	long	nivcsw;	/* ... and times it was preempted */
};

/*
 * Opens the file if MEMTOP_TIMING is set (once; later calls say the same).
 * -1: it is set but cannot be opened, why says so; 0 otherwise.
 */
int	timing_open(char *why, size_t len);
/* Whether the file is open (opened on first use). */
int	timing_on(void);
/*
 * 1, once, after a write failed (the file is closed then, no more lines):
 * why says so, for the caller to say where its user looks.
 */
int	timing_write_failed(char *why, size_t len);
/* "WHAT cpu_ms MS unread N": the process's CPU since start. */
void	timing_note(const char *what, size_t unread);
void	timing_begin(struct timing_mark *);
/*
 * Charges the thread CPU and wall time since the mark or the last stamp
 * to phase name (a string that lives as long as the program; the same name
 * again adds to it). Nothing when timing is off. Up to 16 names a refresh.
 */
void	timing_phase(const char *name);
/*
 * "refresh cpu_ms MS wall_ms MS procs N minflt F nivcsw C at S": the
 * calling thread's CPU and the wall time since the mark (the refresh's own
 * work, the machine's load left out of the first figure), the thread's
 * minor page faults (memory given back and touched again) and preemptions
 * in between: what a slow refresh did beyond its reads; and the monotonic
 * clock at the end, in seconds (make soak lines it up with its canary's);
 * then, if stamps were taken, " phases NAME CPU/WALL ... rest CPU/WALL":
 * each phase's thread CPU and wall ms, rest the time after the last stamp.
 */
void	timing_refresh(const struct timing_mark *, size_t nprocs);

#endif
