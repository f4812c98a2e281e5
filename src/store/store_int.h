/* What the store's files share (not for users of the store). */
#ifndef MEMTOP_STORE_STORE_INT_H
#define MEMTOP_STORE_STORE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "collect/figure.h"
#include "store/store.h"

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
