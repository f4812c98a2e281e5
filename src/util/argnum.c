#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/argnum.h"

/*
 * A finite number in [min, max] (the unit names it in messages); 0, or -1
 * after a one-line message naming the option.
 */
int
argnum_number(const char *opt, const char *s, double min, double max,
    const char *unit, double *out)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(s, &end);
	/* inf and 1e400 are above the maximum, not "no delay" */
	if (end == s || *end != '\0' || isnan(d)) {
		fprintf(stderr, "memtop: %s: not a number of %s: %s\n", opt,
		    unit, s);
		return -1;
	}
	if (d < min) {
		fprintf(stderr, "memtop: %s: %s is below the minimum, %g %s\n",
		    opt, s, min, unit);
		return -1;
	}
	if (d > max) {
		fprintf(stderr, "memtop: %s: %s is above the maximum, %g %s\n",
		    opt, s, max, unit);
		return -1;
	}
	*out = d;
	return 0;
}

/* A whole count (digits only) in [min, max]; 0, or -1 after a message. */
int
argnum_count(const char *opt, const char *s, long min, long max, long *out)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0') {
		fprintf(stderr, "memtop: %s: not a count (digits only): %s\n",
		    opt, s);
		return -1;
	}
	if (n < min) {
		fprintf(stderr, "memtop: %s: %s is below the minimum, %ld\n",
		    opt, s, min);
		return -1;
	}
	if (errno == ERANGE || n > max) {
		fprintf(stderr, "memtop: %s: %s is above the maximum, %ld\n",
		    opt, s, max);
		return -1;
	}
	*out = (long)n;
	return 0;
}
