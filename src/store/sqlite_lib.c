/*
 * libsqlite3, opened by the first store that is opened (util/lazylib.h),
 * not at program start: linked, it cost every run ~0.9 ms of CPU, 28 page
 * faults and ~0.9 MiB of peak RSS on the bench's machine (an empty program
 * linked with it against one without), paid by `memtop maps`, -b and
 * --version, which never open a store. The store's files call SQLite
 * under its own names: store_int.h makes those names these pointers.
 */
#include "config.h"

#include <stdio.h>

#include "store_int.h"
#include "util/lazylib.h"

struct store_sqlite	store_sq;

/* (## and #: f is not expanded to the macro store_int.h makes of it) */
#define SQ_SYM(f)	{ #f, (void **)&store_sq.p_##f },
static const struct lazylib_sym sq_syms[] = { SQ_FUNCS(SQ_SYM) };

int
store_sqlite_load(char *why, size_t len)
{
	char	cause[512];

	if (lazylib_open(SQLITE_SONAME, sq_syms, sizeof sq_syms /
	    sizeof sq_syms[0], cause, sizeof cause) == 0)
		return 0;
	snprintf(why, len, "the history store needs SQLite (Debian: "
	    "libsqlite3-0): %s", cause);
	return -1;
}
