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
#define SQ_SYM(f)	{ #f, (void **)&store_sq.p_##f }
static const struct lazylib_sym sq_syms[] = {
	SQ_SYM(sqlite3_bind_double),
	SQ_SYM(sqlite3_bind_int),
	SQ_SYM(sqlite3_bind_int64),
	SQ_SYM(sqlite3_bind_null),
	SQ_SYM(sqlite3_bind_text),
	SQ_SYM(sqlite3_busy_timeout),
	SQ_SYM(sqlite3_clear_bindings),
	SQ_SYM(sqlite3_close),
	SQ_SYM(sqlite3_column_double),
	SQ_SYM(sqlite3_column_int64),
	SQ_SYM(sqlite3_column_text),
	SQ_SYM(sqlite3_column_type),
	SQ_SYM(sqlite3_errmsg),
	SQ_SYM(sqlite3_exec),
	SQ_SYM(sqlite3_finalize),
	SQ_SYM(sqlite3_free),
	SQ_SYM(sqlite3_last_insert_rowid),
	SQ_SYM(sqlite3_open_v2),
	SQ_SYM(sqlite3_prepare_v2),
	SQ_SYM(sqlite3_prepare_v3),
	SQ_SYM(sqlite3_reset),
	SQ_SYM(sqlite3_step),
};

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
