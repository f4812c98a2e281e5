#ifndef MEMTOP_UTIL_ARGNUM_H
#define MEMTOP_UTIL_ARGNUM_H

/*
 * Numbers given as command-line options: a finite number in [min, max]
 * (the unit names it in messages), a whole count (digits only) in
 * [min, max]. 0, or -1 after a one-line message on stderr naming opt.
 */
int	argnum_number(const char *opt, const char *s, double min, double max,
	    const char *unit, double *out);
int	argnum_count(const char *opt, const char *s, long min, long max,
	    long *out);

#endif
