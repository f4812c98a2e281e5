/* Where the unit tests find tests/fixtures ($FIXTURES, set by make check). */
#ifndef MEMTOP_TESTS_UNIT_FIXTURE_H
#define MEMTOP_TESTS_UNIT_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/xmalloc.h"

/* FIXTURES/ followed by the formatted path, malloc'd. */
static inline char * __attribute__((format(printf, 1, 2)))
fixture(const char *fmt, ...)
{
	const char	*f = getenv("FIXTURES");
	char		*rel, *p;
	va_list		 ap;

	va_start(ap, fmt);
	if (vasprintf(&rel, fmt, ap) == -1)
		abort();
	va_end(ap);
	p = xasprintf("%s/%s", f != NULL ? f : "tests/fixtures", rel);
	free(rel);
	return p;
}

#endif
