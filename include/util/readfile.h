#ifndef MEMTOP_UTIL_READFILE_H
#define MEMTOP_UTIL_READFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A growable, NUL-terminated byte buffer. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	buf_init(struct buf *);
void	buf_done(struct buf *);
void	buf_reset(struct buf *);
void	buf_append(struct buf *, const void *, size_t);

/*
 * Reads the whole file name (relative to dirfd, or absolute) into b, replacing
 * its content, reading at most limit bytes (0: no limit). Returns 0, or -errno.
 * The one read loop of memtop: /proc and cgroupfs files report size 0.
 */
int	read_file_at(int dirfd, const char *name, struct buf *b, size_t limit);
int	read_file(const char *path, struct buf *b, size_t limit);
/*
 * read_file for a file holding secrets (a process's environment): the
 * buffer grows through fresh allocations, the old ones zeroed before they
 * are freed. The caller wipes b when done (explicit_bzero(b->data, b->cap)).
 */
int	read_file_secret(const char *path, struct buf *b, size_t limit);
/*
 * read_file (read_file_secret if secret) for a /proc file the kernel hands
 * out whole in one read when the buffer holds it: one seq_file record
 * (/proc/PID/cgroup), or a read that loops over the process's pages itself
 * (cmdline, environ). A read that leaves room is taken as the last, where
 * the read returning 0 would cost a system call (one per file; ~800 in a
 * full refresh of the bench's node). Not for files of many records (maps,
 * mountinfo): the kernel hands those out a page at a time.
 */
int	read_proc_record(const char *path, struct buf *b, size_t limit,
	    bool secret);
/*
 * A file kept open, read again from its start into buf (len bytes with
 * the NUL that ends it): one seq_file record (stat, status, statm,
 * smaps_rollup, a cgroup's memory files), which the kernel hands out whole
 * when it fits, so a read that leaves room and ends a line is the last
 * (the read that would return 0 costs a system call, ~1.5 us here).
 * Length, or -errno. Not for files of many records (maps, mountinfo).
 */
ssize_t	pread_record(int fd, char *buf, size_t len);

#endif
