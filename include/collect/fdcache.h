#ifndef MEMTOP_COLLECT_FDCACHE_H
#define MEMTOP_COLLECT_FDCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Open /proc/PID files kept across refreshes, so a refresh costs one pread
 * per file instead of a path lookup, an open and a close. Entries are keyed
 * by pid; the caller says the start time it read (fdcache_set_start), and a
 * different one (pid reuse) closes the entry's files. A read on a file of a
 * process that is gone fails with ESRCH: the entry's files are closed and
 * the file is opened again once by path (a new process with that pid), else
 * the read fails. At most `limit` files are open: the least recently used
 * entry is closed to make room. Entries not read in a round (fdcache_begin
 * .. fdcache_end) are closed at its end.
 */

enum fdc_file { FDC_STAT, FDC_STATUS, FDC_STATM, FDC_ROLLUP, FDC__COUNT };

struct fdcache;

/*
 * What the caller derived from an entry's files, kept with them and cleared
 * whenever they are closed (pid reuse, the process gone, eviction): the
 * figures of a costly file kept while a cheap one says nothing changed
 * (collect/procscan.c: status behind statm). key 0: empty; the rest is the
 * caller's.
 */
#define FDC_MEMO_N	6
struct fdc_memo {
	uint64_t	key;
	double		when;
	uint64_t	v[FDC_MEMO_N];
};

struct fdcache_stats {
	size_t	open_fds;	/* files open now */
	size_t	entries;	/* processes with an entry */
	size_t	opens;		/* openat calls so far */
	size_t	evictions;	/* entries closed to stay within the limit */
};

/*
 * A cache of files under proc_root ("/proc"). limit: most files open at once;
 * 0 = fdcache_default_limit(). NULL (errno set) if proc_root cannot be opened.
 */
struct fdcache	*fdcache_create(const char *proc_root, size_t limit);
void		 fdcache_free(struct fdcache *);
/*
 * Its files are left open when it is freed (its memory is not): for a
 * process about to exit, whose exit closes them, where a close() each
 * costs a system call (~1.5 us each here: memtop keeps ~2 700 open on a
 * node of 370 processes).
 */
void		 fdcache_leave_open(struct fdcache *);

/*
 * A quarter of the descriptor limit, once the soft limit has been raised
 * towards the hard one (at most 65536): one quarter for the /proc files, one
 * for the cgroup files (collect/cgfiles.h), half for everything else.
 */
size_t		 fdcache_default_limit(void);

/* Starts and ends a round: entries not read in between are closed. */
void		 fdcache_begin(struct fdcache *);
void		 fdcache_end(struct fdcache *);

/*
 * Reads file f of pid from its start into buf (at most len - 1 bytes, then a
 * NUL). Returns the length, or -errno (-ESRCH or -ENOENT: no such process).
 */
ssize_t		 fdcache_read(struct fdcache *, int pid, enum fdc_file f,
		    char *buf, size_t len);

/*
 * Records the start time read for pid. Returns 1 if the entry had another
 * (pid reuse: its files were closed, read again), else 0.
 */
int		 fdcache_set_start(struct fdcache *, int pid,
		    unsigned long long start);

/* The start time recorded for pid (0: none, or its files were reopened). */
unsigned long long fdcache_start(const struct fdcache *, int pid);

/* pid's memo (NULL: no entry); valid until the next call on the cache. */
struct fdc_memo	*fdcache_memo(struct fdcache *, int pid);

/* Drops pid's entry (its files closed). */
void		 fdcache_forget(struct fdcache *, int pid);

void		 fdcache_get_stats(const struct fdcache *,
		    struct fdcache_stats *);

#endif
