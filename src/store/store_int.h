/* What the store's files share (not for users of the store). */
#ifndef MEMTOP_STORE_STORE_INT_H
#define MEMTOP_STORE_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/figure.h"
#include "store/store.h"

/*
 * The SQLite functions the store calls (one list: the table here and
 * sqlite_lib.c's symbols), filled by store_sqlite_load when a store is
 * first opened; the macros below call them under their own names.
 */
#define SQ_FUNCS(X) \
	X(sqlite3_bind_double) \
	X(sqlite3_bind_int) \
	X(sqlite3_bind_int64) \
	X(sqlite3_bind_null) \
	X(sqlite3_bind_text) \
	X(sqlite3_busy_timeout) \
	X(sqlite3_clear_bindings) \
	X(sqlite3_close) \
	X(sqlite3_column_double) \
	X(sqlite3_column_int64) \
	X(sqlite3_column_text) \
	X(sqlite3_column_type) \
	X(sqlite3_errmsg) \
	X(sqlite3_exec) \
	X(sqlite3_finalize) \
	X(sqlite3_free) \
	X(sqlite3_last_insert_rowid) \
	X(sqlite3_open_v2) \
	X(sqlite3_prepare_v2) \
	X(sqlite3_prepare_v3) \
	X(sqlite3_reset) \
	X(sqlite3_step)
#define SQ_FN(f)	__typeof__(f) *p_##f;
struct store_sqlite {
	SQ_FUNCS(SQ_FN)
};
#undef SQ_FN
extern struct store_sqlite	store_sq;

/* 0, or -1 with why ("the history store needs SQLite ...: cause"). */
int	store_sqlite_load(char *why, size_t len);

#define sqlite3_bind_double	(*store_sq.p_sqlite3_bind_double)
#define sqlite3_bind_int	(*store_sq.p_sqlite3_bind_int)
#define sqlite3_bind_int64	(*store_sq.p_sqlite3_bind_int64)
#define sqlite3_bind_null	(*store_sq.p_sqlite3_bind_null)
#define sqlite3_bind_text	(*store_sq.p_sqlite3_bind_text)
#define sqlite3_busy_timeout	(*store_sq.p_sqlite3_busy_timeout)
#define sqlite3_clear_bindings	(*store_sq.p_sqlite3_clear_bindings)
#define sqlite3_close		(*store_sq.p_sqlite3_close)
#define sqlite3_column_double	(*store_sq.p_sqlite3_column_double)
#define sqlite3_column_int64	(*store_sq.p_sqlite3_column_int64)
#define sqlite3_column_text	(*store_sq.p_sqlite3_column_text)
#define sqlite3_column_type	(*store_sq.p_sqlite3_column_type)
#define sqlite3_errmsg		(*store_sq.p_sqlite3_errmsg)
#define sqlite3_exec		(*store_sq.p_sqlite3_exec)
#define sqlite3_finalize	(*store_sq.p_sqlite3_finalize)
#define sqlite3_free		(*store_sq.p_sqlite3_free)
#define sqlite3_last_insert_rowid (*store_sq.p_sqlite3_last_insert_rowid)
#define sqlite3_open_v2		(*store_sq.p_sqlite3_open_v2)
#define sqlite3_prepare_v2	(*store_sq.p_sqlite3_prepare_v2)
#define sqlite3_prepare_v3	(*store_sq.p_sqlite3_prepare_v3)
#define sqlite3_reset		(*store_sq.p_sqlite3_reset)
#define sqlite3_step		(*store_sq.p_sqlite3_step)

/* 'memt': PRAGMA application_id of a memtop store */
#define STORE_APP_ID	0x6d656d74

/*
 * The value columns of a sample, in order: every figure (FIGURES order),
 * then charge, mem_limit, nmaps, nanon, tally0..3_count, tally0..3_bytes,
 * working_set (added to a store made without it when a recorder opens it;
 * a reader of such a store sees it NULL: store_compat).
 */
#define STORE_C_CHARGE	FIG__COUNT
#define STORE_C_LIMIT	(FIG__COUNT + 1)
#define STORE_C_NMAPS	(FIG__COUNT + 2)
#define STORE_C_NANON	(FIG__COUNT + 3)
#define STORE_C_TCOUNT	(FIG__COUNT + 4)
#define STORE_C_TBYTES	(FIG__COUNT + 8)
#define STORE_C_WSET	(FIG__COUNT + 12)
#define STORE_NCOL	(FIG__COUNT + 13)

struct store_ent;

struct store {
	char			*path;
	struct sqlite3		*db;
	int			 lock_fd;
	bool			 readonly;
	struct store_opts	 o;
	/* the recorder (record.c) */
	struct sqlite3_stmt	*st_upsert, *st_sample, *st_gone, *st_run_new,
				*st_run_last;
	struct store_ent	**bucket;
	size_t			 nbucket, nent;
	unsigned long		 tick;
	long long		 run_id;	/* 0: start a new run */
	bool			 failing;	/* said so; not written since */
	double			 last_maint;
	double			 thin_from;	/* older rows are thinned */
	struct store_stats	 stats;
};

const char	*store_col_name(int c);
/* ", s.rss, s.rss_anon, ...": the first n value columns, for a SELECT of
   table sample as s (the caller frees it). */
char		*store_cols_sql(int n);
/* The value column of the history's figure k (HF order, model/history.h). */
int		 store_hf_col(int k);
/* Says "memtop: store PATH: what: sqlite's error" on stderr. */
void		 store_say(struct store *, const char *what);
int		 store_exec(struct store *, const char *sql);
int		 store_record_init(struct store *);
void		 store_record_done(struct store *);

#endif
