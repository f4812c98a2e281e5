#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/readfile.h"
#include "util/xmalloc.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_done(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/*
 * Grows b for extra more bytes. wipe: through a new allocation, the old
 * one zeroed before it is freed (no copy of a secret stays behind in freed
 * memory, as realloc may leave one).
 */
static void
buf_grow(struct buf *b, size_t extra, bool wipe)
{
	size_t	need = b->len + extra + 1, cap = b->cap;
	char	*n;

	if (need <= b->cap)
		return;
	if (cap == 0)
		cap = 4096;
	while (cap < need)
		cap *= 2;
	if (!wipe || b->data == NULL) {
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
		return;
	}
	n = xmalloc(cap);
	memcpy(n, b->data, b->len + 1);
	explicit_bzero(b->data, b->cap);
	free(b->data);
	b->data = n;
	b->cap = cap;
}

static void
buf_reserve(struct buf *b, size_t extra)
{
	buf_grow(b, extra, false);
}

void
buf_append(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* read_into's flags */
#define RD_WIPE		0x1	/* read_file_secret */
#define RD_RECORD	0x2	/* read_proc_record */

static int
read_into(int dirfd, const char *name, struct buf *b, size_t limit,
    unsigned flags)
{
	bool	wipe = (flags & RD_WIPE) != 0;
	ssize_t	n;
	int	fd, err = 0;

	buf_reset(b);
	buf_grow(b, 0, wipe);
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return -errno;
	for (;;) {
		size_t	want;

		buf_grow(b, 4096, wipe);
		want = b->cap - b->len - 1;
		if (limit != 0 && b->len + want > limit)
			want = limit - b->len;
		if (want == 0)
			break;
		n = read(fd, b->data + b->len, want);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		if ((flags & RD_RECORD) && (size_t)n < want)
			break;	/* it left room: the last (read_proc_record) */
	}
	b->data[b->len] = '\0';
	close(fd);
	return err;
}

int
read_file_at(int dirfd, const char *name, struct buf *b, size_t limit)
{
	return read_into(dirfd, name, b, limit, 0);
}

int
read_file(const char *path, struct buf *b, size_t limit)
{
	return read_into(AT_FDCWD, path, b, limit, 0);
}

int
read_file_secret(const char *path, struct buf *b, size_t limit)
{
	return read_into(AT_FDCWD, path, b, limit, RD_WIPE);
}

int
read_proc_record(const char *path, struct buf *b, size_t limit, bool secret)
{
	return read_into(AT_FDCWD, path, b, limit, RD_RECORD |
	    (secret ? RD_WIPE : 0));
}

ssize_t
pread_record(int fd, char *buf, size_t len)
{
	size_t	got = 0;
	ssize_t	n;

	while (got < len - 1) {
		n = pread(fd, buf + got, len - 1 - got, (off_t)got);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		/* it left room and ended a line: the record's end */
		if (got < len - 1 && buf[got - 1] == '\n')
			break;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}
