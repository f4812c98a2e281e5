#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"
#include "store_int.h"
#include "util/xmalloc.h"

/*
 * Retention: full resolution for full_res, then one row per entity and
 * minute (the minute's last sample, with RssAnon's min and max in it), gone
 * after keep; and a size cap that deletes the oldest samples first.
 */

static int
exec_d(struct store *st, const char *fmt, double a)
{
	char	*sql = xasprintf(fmt, a);
	int	 rc = store_exec(st, sql);

	free(sql);
	return rc;
}

static int
exec_d2(struct store *st, const char *fmt, double a, double b)
{
	char	*sql = xasprintf(fmt, a, b);
	int	 rc = store_exec(st, sql);

	free(sql);
	return rc;
}

static int
query_i64(struct store *st, const char *sql, long long *out)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Bytes in use (the file minus its free pages). */
static long long
used_bytes(struct store *st)
{
	long long	pages, freep, psize;

	if (query_i64(st, "PRAGMA page_count", &pages) != 0 ||
	    query_i64(st, "PRAGMA freelist_count", &freep) != 0 ||
	    query_i64(st, "PRAGMA page_size", &psize) != 0)
		return -1;
	return (pages - freep) * psize;
}

/* Thins [from, cut): the rows before were thinned by an earlier pass. */
static int
thin(struct store *st, double from, double cut)
{
	/* the minute's last row stays, holding the minute's anon min/max */
	return exec_d2(st, "CREATE TEMP TABLE thin AS SELECT entity, "
	    "max(t) AS t, min(coalesce(anon_min, rss_anon)) AS amin, "
	    "max(coalesce(anon_max, rss_anon)) AS amax FROM sample "
	    "WHERE t >= %.3f AND t < %.3f AND res = 0 GROUP BY entity, "
	    "CAST(t / 60 AS INTEGER)", from, cut) == 0 &&
	    store_exec(st, "UPDATE sample SET res = 60, anon_min = thin.amin, "
	    "anon_max = thin.amax FROM thin WHERE sample.entity = thin.entity "
	    "AND sample.t = thin.t") == 0 &&
	    exec_d2(st, "DELETE FROM sample WHERE t >= %.3f AND t < %.3f AND "
	    "res = 0", from, cut) == 0 &&
	    store_exec(st, "DROP TABLE temp.thin") == 0 ? 0 : -1;
}

static int
drop_before(struct store *st, double cut)
{
	return exec_d(st, "DELETE FROM sample WHERE t < %.3f", cut) == 0 &&
	    exec_d(st, "DELETE FROM run WHERE last < %.3f", cut) == 0 &&
	    exec_d(st, "DELETE FROM entity WHERE gone < %.3f AND NOT EXISTS "
	    "(SELECT 1 FROM sample WHERE sample.entity = entity.id)",
	    cut) == 0 ? 0 : -1;
}

/* Deletes the oldest tenth of the samples until under the cap. */
static int
cap(struct store *st)
{
	sqlite3_stmt	*s;
	long long	 used, n;
	double		 t;
	int		 i, rc;

	for (i = 0; i < 40; i++) {
		used = used_bytes(st);
		if (used < 0)
			return -1;
		if ((unsigned long long)used <= st->o.max_bytes)
			return 0;
		if (query_i64(st, "SELECT count(*) FROM sample", &n) != 0)
			return -1;
		if (n == 0)
			return 0;
		if (sqlite3_prepare_v2(st->db, "SELECT t FROM sample ORDER BY t "
		    "LIMIT 1 OFFSET ?1", -1, &s, NULL) != SQLITE_OK)
			return -1;
		sqlite3_bind_int64(s, 1, n / 10);
		rc = sqlite3_step(s);
		t = sqlite3_column_double(s, 0);
		sqlite3_finalize(s);
		if (rc != SQLITE_ROW || drop_before(st, t + 1e-3) != 0)
			return -1;
	}
	return 0;
}

int
store_maintain(struct store *st, double now)
{
	double	cut = (double)((long long)((now - st->o.full_res) / 60) * 60);

	if (st->readonly)
		return -1;
	if (store_exec(st, "BEGIN IMMEDIATE") != 0 ||
	    thin(st, st->thin_from, cut) != 0 ||
	    drop_before(st, now - st->o.keep) != 0 || cap(st) != 0 ||
	    store_exec(st, "COMMIT") != 0) {
		if (!st->failing)
			store_say(st, "cannot thin or cap the history");
		store_exec(st, "ROLLBACK");
		return -1;
	}
	st->thin_from = cut;
	/* give the freed pages back to the file system */
	store_exec(st, "PRAGMA incremental_vacuum");
	store_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)");
	return 0;
}
