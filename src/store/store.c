#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store_int.h"
#include "util/xmalloc.h"

/*
 * The store's schema, writer lock and error handling. The recording itself
 * is in record.c, thinning and the size cap in retain.c, the reading side
 * in seed.c.
 */

void
store_opts_default(struct store_opts *o, const char *path)
{
	memset(o, 0, sizeof *o);
	o->path = path;
	o->interval = 10;
	o->heartbeat = 600;
	o->full_res = 6 * 3600;
	o->keep = 7 * 86400;
	o->max_bytes = 256ULL << 20;
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

struct sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

/* The CREATE statements; the sample columns come from the figure table. */
static char *
schema_sql(void)
{
	char	*cols, *t, *sql;
	int	 c;

	cols = xstrdup("");
	for (c = 0; c < STORE_NCOL; c++) {
		t = xasprintf("%s  %s INTEGER,\n", cols, store_col_name(c));
		free(cols);
		cols = t;
	}
	sql = xasprintf(
	    "CREATE TABLE entity (\n"
	    "  id INTEGER PRIMARY KEY,\n"
	    "  ident TEXT NOT NULL UNIQUE,\n"
	    "  kind TEXT NOT NULL,\n"
	    "  namespace TEXT, pod TEXT, container TEXT, command TEXT,\n"
	    "  first_seen REAL NOT NULL,\n"
	    "  gone REAL);\n"
	    "CREATE TABLE run (\n"
	    "  id INTEGER PRIMARY KEY,\n"
	    "  pid INTEGER NOT NULL,\n"
	    "  boot_id TEXT,\n"
	    "  started REAL NOT NULL,\n"
	    "  last REAL NOT NULL,\n"
	    "  interval REAL NOT NULL);\n"
	    "CREATE TABLE sample (\n"
	    "  entity INTEGER NOT NULL,\n"
	    "  t REAL NOT NULL,\n"
	    "  res INTEGER NOT NULL DEFAULT 0,\n"
	    "  partial INTEGER NOT NULL DEFAULT 0,\n"
	    "%s"
	    "  anon_min INTEGER,\n"
	    "  anon_max INTEGER,\n"
	    "  PRIMARY KEY (entity, t)) WITHOUT ROWID;\n"
	    "CREATE INDEX sample_t ON sample (t);\n"
	    "PRAGMA application_id = %d;\n"
	    "PRAGMA user_version = %d;\n", cols, STORE_APP_ID,
	    STORE_SCHEMA_VERSION);
	free(cols);
	return sql;
}

const char *
store_col_name(int c)
{
	static const char *const extra[] = {
		"charge", "mem_limit", "nmaps", "nanon",
		"tally0_count", "tally1_count", "tally2_count", "tally3_count",
		"tally0_bytes", "tally1_bytes", "tally2_bytes", "tally3_bytes",
		"working_set"
	};

	if (c < FIG__COUNT)
		return fig_table[c].key;
	return extra[c - FIG__COUNT];
}

char *
store_cols_sql(int n)
{
	char	*cols = xstrdup(""), *t;
	int	 c;

	for (c = 0; c < n; c++) {
		t = xasprintf("%s, s.%s", cols, store_col_name(c));
		free(cols);
		cols = t;
	}
	return cols;
}

int
store_hf_col(int k)
{
	return k == HF_CHARGE ? STORE_C_CHARGE : k == HF_WSET ? STORE_C_WSET :
	    k;
}

/*
 * A store made before the working_set column: a recorder adds the column
 * (its old rows NULL: unknown); a reader gets a temporary view of the
 * same name with the column NULL (SQLite looks in temp before main). 0,
 * or -1 with the error in the handle.
 */
static int
store_compat(struct store *st)
{
	sqlite3_stmt	*s;
	bool		 have = false;
	const char	*name;

	if (sqlite3_prepare_v2(st->db, "PRAGMA main.table_info(sample)", -1,
	    &s, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(s) == SQLITE_ROW)
		if ((name = (const char *)sqlite3_column_text(s, 1)) != NULL &&
		    strcmp(name, store_col_name(STORE_C_WSET)) == 0)
			have = true;
	sqlite3_finalize(s);
	if (have)
		return 0;
	return store_exec(st, st->readonly ?
	    "CREATE TEMP VIEW sample AS SELECT *, NULL AS working_set FROM "
	    "main.sample" : "ALTER TABLE sample ADD COLUMN working_set INTEGER");
}

void
store_say(struct store *st, const char *what)
{
	fprintf(stderr, "memtop: store %s: %s: %s\n", st->path, what,
	    sqlite3_errmsg(st->db));
}

int
store_exec(struct store *st, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* One integer from a one-row query; -1 with the error in the handle. */
static int
query_int(sqlite3 *db, const char *sql, long long *out)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * Whether the open file is a memtop store this memtop can read: 1 yes, 0
 * empty (a new store may be made), -1 no (why says so).
 */
static int
check_file(struct store *st, char *why, size_t len)
{
	long long	app, ver, ntab;

	if (query_int(st->db, "PRAGMA application_id", &app) != 0 ||
	    query_int(st->db, "PRAGMA user_version", &ver) != 0 ||
	    query_int(st->db, "SELECT count(*) FROM sqlite_master",
	    &ntab) != 0) {
		snprintf(why, len, "%s is not a memtop history store (%s): "
		    "refusing to touch it; move it away, or pass "
		    "--store-reset to replace it", st->path,
		    sqlite3_errmsg(st->db));
		return -1;
	}
	if (app == 0 && ntab == 0)
		return 0;
	if (app != STORE_APP_ID) {
		snprintf(why, len, "%s is an SQLite database but not a memtop "
		    "history store: refusing to touch it; move it away, or "
		    "pass --store-reset to replace it", st->path);
		return -1;
	}
	if (ver > STORE_SCHEMA_VERSION) {
		snprintf(why, len, "%s has schema version %lld, newer than "
		    "this memtop reads (%d): use a newer memtop, or pass "
		    "--store-reset to start a new store", st->path, ver,
		    STORE_SCHEMA_VERSION);
		return -1;
	}
	return 1;
}

static struct store *
store_new(const char *path)
{
	struct store	*st = xcalloc(1, sizeof *st);

	st->path = xstrdup(path);
	st->lock_fd = -1;
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	store_record_done(st);
	if (st->db != NULL)
		sqlite3_close(st->db);
	if (st->lock_fd != -1)
		close(st->lock_fd);	/* releases the lock */
	free(st->path);
	free(st);
}

/* mkdir -p of path's directory. */
static void
make_dir(const char *path)
{
	char	*d = xstrdup(path), *p;

	for (p = d + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(d, 0755);
		*p = '/';
	}
	free(d);
}

/* Takes PATH.lock; on failure says who holds it. */
static int
take_lock(struct store *st, char *why, size_t len)
{
	char	*lp = xasprintf("%s.lock", st->path), buf[32];
	ssize_t	 n;

	st->lock_fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (st->lock_fd == -1) {
		snprintf(why, len, "cannot open %s: %s", lp, strerror(errno));
		free(lp);
		return -1;
	}
	if (flock(st->lock_fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK) {
			snprintf(why, len, "cannot lock %s: %s", lp,
			    strerror(errno));
			free(lp);
			return -1;
		}
		n = pread(st->lock_fd, buf, sizeof buf - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(why, len, "%s is being recorded by another memtop "
		    "(pid %s, holding %s): one recorder per store", st->path,
		    buf[0] != '\0' ? buf : "?", lp);
		free(lp);
		return -1;
	}
	free(lp);
	snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	/* the lock holds without the pid, should writing it fail */
	if (ftruncate(st->lock_fd, 0) == 0)
		n = pwrite(st->lock_fd, buf, strlen(buf), 0);
	(void)n;
	return 0;
}

static void
remove_files(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	size_t	i;

	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char	*p = xasprintf("%s%s", path, sfx[i]);

		unlink(p);
		free(p);
	}
}

static int
create_schema(struct store *st)
{
	char	*sql = schema_sql();
	int	 rc;

	/* auto_vacuum must precede the first table: the cap shrinks the file */
	rc = store_exec(st, "PRAGMA auto_vacuum = INCREMENTAL") == 0 &&
	    store_exec(st, "PRAGMA journal_mode = WAL") == 0 &&
	    store_exec(st, "BEGIN") == 0 && store_exec(st, sql) == 0 &&
	    store_exec(st, "COMMIT") == 0 ? 0 : -1;
	free(sql);
	return rc;
}

struct store *
store_open_writer(const struct store_opts *o, char *why, size_t len)
{
	struct store	*st = store_new(o->path);
	long long	 ok = 0;
	const char	*r;
	int		 c;

	st->o = *o;
	st->o.path = st->path;
	/* first: nothing is made, locked or reset (removed) without SQLite */
	if (store_sqlite_load(why, len) != 0)
		goto fail;
	make_dir(st->path);
	if (take_lock(st, why, len) != 0)
		goto fail;
	if (o->reset)
		remove_files(st->path);
	if (sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(why, len, "cannot open %s: %s", st->path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 2000);
	c = check_file(st, why, len);
	if (c < 0)
		goto fail;
	if (c == 0 && create_schema(st) != 0) {
		snprintf(why, len, "cannot create %s: %s", st->path,
		    sqlite3_errmsg(st->db));
		goto fail;
	}
	if (c == 1) {
		sqlite3_stmt	*s;

		if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check(1)", -1, &s,
		    NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
		    (r = (const char *)sqlite3_column_text(s, 0)) != NULL &&
		    strcmp(r, "ok") == 0)
			ok = 1;
		sqlite3_finalize(s);
		if (!ok) {
			snprintf(why, len, "%s is damaged (%s): refusing to "
			    "write to it; move it away, or pass --store-reset "
			    "to replace it", st->path, sqlite3_errmsg(st->db));
			goto fail;
		}
	}
	if (c == 1 && store_compat(st) != 0) {
		snprintf(why, len, "%s: cannot add the working_set column: %s",
		    st->path, sqlite3_errmsg(st->db));
		goto fail;
	}
	if (store_exec(st, "PRAGMA journal_mode = WAL") != 0 ||
	    store_exec(st, "PRAGMA synchronous = NORMAL") != 0) {
		snprintf(why, len, "%s: cannot switch to WAL mode: %s",
		    st->path, sqlite3_errmsg(st->db));
		goto fail;
	}
	if (store_record_init(st) != 0) {
		snprintf(why, len, "%s: %s", st->path, sqlite3_errmsg(st->db));
		goto fail;
	}
	return st;
fail:
	store_close(st);
	return NULL;
}

struct store *
store_open_reader(const char *path, char *why, size_t len)
{
	struct store	*st;
	struct stat	 sb;

	if (stat(path, &sb) == -1 && errno == ENOENT) {
		if (len > 0)
			why[0] = '\0';
		return NULL;
	}
	st = store_new(path);
	st->readonly = true;
	if (store_sqlite_load(why, len) != 0)
		goto fail;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(why, len, "cannot open %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 2000);
	/*
	 * The seeding reads the whole file once: mapped, its pages are not
	 * copied into SQLite's cache (a WAL reader maps what the WAL has not
	 * got; the rest still goes through the cache).
	 */
	(void)store_exec(st, "PRAGMA mmap_size = 1073741824");
	switch (check_file(st, why, len)) {
	case 0:
		snprintf(why, len, "%s is empty", path);
		/* FALLTHROUGH */
	case -1:
		goto fail;
	}
	if (store_compat(st) != 0) {
		snprintf(why, len, "%s: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}
	return st;
fail:
	store_close(st);
	return NULL;
}

double
store_first_time(struct store *st)
{
	sqlite3_stmt	*s;
	double		 t = -1;

	if (sqlite3_prepare_v2(st->db, "SELECT min(started) FROM run", -1, &s,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		t = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	return t;
}

long long
store_count_samples(struct store *st)
{
	long long	n;

	return query_int(st->db, "SELECT count(*) FROM sample", &n) == 0 ? n :
	    -1;
}
