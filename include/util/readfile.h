#ifndef MEMTOP_UTIL_READFILE_H
#define MEMTOP_UTIL_READFILE_H

#include <stddef.h>

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

#endif
