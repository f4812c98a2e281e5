#include "config.h"

#include <errno.h>
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

static void
buf_reserve(struct buf *b, size_t extra)
{
	size_t	need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 4096;
	while (b->cap < need)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

void
buf_append(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

int
read_file_at(int dirfd, const char *name, struct buf *b, size_t limit)
{
	ssize_t	n;
	int	fd, err = 0;

	buf_reset(b);
	buf_reserve(b, 0);
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return -errno;
	for (;;) {
		size_t	want;

		buf_reserve(b, 4096);
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
	}
	b->data[b->len] = '\0';
	close(fd);
	return err;
}

int
read_file(const char *path, struct buf *b, size_t limit)
{
	return read_file_at(AT_FDCWD, path, b, limit);
}
