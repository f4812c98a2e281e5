#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "collect/fdcache.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

#define NIL		UINT32_MAX
#define RLIMIT_WANT	65536

static const char *const fdc_names[FDC__COUNT] = {
	[FDC_STAT] = "stat", [FDC_STATUS] = "status", [FDC_STATM] = "statm",
	[FDC_ROLLUP] = "smaps_rollup",
};

struct fdc_entry {
	int			 pid;		/* 0: free */
	unsigned long long	 start;		/* 0: not said yet */
	int			 fd[FDC__COUNT];
	struct fdc_memo		 memo;
	unsigned		 round;		/* last read in */
	uint32_t		 prev, next;	/* LRU list, most recent first */
	uint32_t		 hnext;		/* hash chain, or the free list */
};

struct fdcache {
	int			 dirfd;
	size_t			 limit;
	struct fdc_entry	*e;
	uint32_t		 cap;
	uint32_t		 freelist;
	uint32_t		*bucket;
	uint32_t		 nbucket;	/* a power of two */
	uint32_t		 head, tail;
	unsigned		 round;
	struct fdcache_stats	 st;
	bool			 leave_open;	/* fdcache_leave_open */
};

size_t
fdcache_default_limit(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 256;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < RLIMIT_WANT) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > RLIMIT_WANT ? RLIMIT_WANT : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > RLIMIT_WANT)
		return RLIMIT_WANT / 4;
	return (size_t)rl.rlim_cur / 4;
}

struct fdcache *
fdcache_create(const char *proc_root, size_t limit)
{
	struct fdcache	*fc;
	int		 fd;
	uint32_t	 i;

	fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return NULL;
	fc = xcalloc(1, sizeof *fc);
	fc->dirfd = fd;
	fc->limit = limit != 0 ? limit : fdcache_default_limit();
	if (fc->limit < FDC__COUNT)
		fc->limit = FDC__COUNT;
	fc->nbucket = 1024;
	fc->bucket = xreallocarray(NULL, fc->nbucket, sizeof *fc->bucket);
	for (i = 0; i < fc->nbucket; i++)
		fc->bucket[i] = NIL;
	fc->freelist = fc->head = fc->tail = NIL;
	return fc;
}

static uint32_t
fdc_hash(const struct fdcache *fc, int pid)
{
	return ((uint32_t)pid * 2654435761u) & (fc->nbucket - 1);
}

static void
fdc_close_files(struct fdcache *fc, struct fdc_entry *e)
{
	int	i;

	e->memo.key = 0;
	for (i = 0; i < FDC__COUNT; i++) {
		if (e->fd[i] != -1) {
			close(e->fd[i]);
			e->fd[i] = -1;
			fc->st.open_fds--;
		}
	}
}

static void
fdc_unlink_lru(struct fdcache *fc, uint32_t i)
{
	struct fdc_entry	*e = &fc->e[i];

	if (e->prev != NIL)
		fc->e[e->prev].next = e->next;
	else
		fc->head = e->next;
	if (e->next != NIL)
		fc->e[e->next].prev = e->prev;
	else
		fc->tail = e->prev;
	e->prev = e->next = NIL;
}

static void
fdc_push_front(struct fdcache *fc, uint32_t i)
{
	struct fdc_entry	*e = &fc->e[i];

	e->prev = NIL;
	e->next = fc->head;
	if (fc->head != NIL)
		fc->e[fc->head].prev = i;
	fc->head = i;
	if (fc->tail == NIL)
		fc->tail = i;
}

static uint32_t
fdc_find(const struct fdcache *fc, int pid)
{
	uint32_t	i;

	for (i = fc->bucket[fdc_hash(fc, pid)]; i != NIL; i = fc->e[i].hnext)
		if (fc->e[i].pid == pid)
			return i;
	return NIL;
}

static void
fdc_remove(struct fdcache *fc, uint32_t i)
{
	struct fdc_entry	*e = &fc->e[i];
	uint32_t		*pp = &fc->bucket[fdc_hash(fc, e->pid)];

	fdc_close_files(fc, e);
	fdc_unlink_lru(fc, i);
	while (*pp != i)
		pp = &fc->e[*pp].hnext;
	*pp = e->hnext;
	e->pid = 0;
	e->hnext = fc->freelist;
	fc->freelist = i;
	fc->st.entries--;
}

static void
fdc_rehash(struct fdcache *fc)
{
	uint32_t	i;

	fc->nbucket *= 2;
	fc->bucket = xreallocarray(fc->bucket, fc->nbucket,
	    sizeof *fc->bucket);
	for (i = 0; i < fc->nbucket; i++)
		fc->bucket[i] = NIL;
	for (i = 0; i < fc->cap; i++) {
		uint32_t	h;

		if (fc->e[i].pid == 0)
			continue;
		h = fdc_hash(fc, fc->e[i].pid);
		fc->e[i].hnext = fc->bucket[h];
		fc->bucket[h] = i;
	}
}

/* The entry of pid, made if missing; most recently used now. */
static uint32_t
fdc_get(struct fdcache *fc, int pid)
{
	struct fdc_entry	*e;
	uint32_t		 i = fdc_find(fc, pid), h;
	int			 k;

	if (i != NIL) {
		fdc_unlink_lru(fc, i);
		fdc_push_front(fc, i);
		fc->e[i].round = fc->round;
		return i;
	}
	if (fc->freelist == NIL) {
		uint32_t	ncap = fc->cap == 0 ? 256 : fc->cap * 2;

		fc->e = xreallocarray(fc->e, ncap, sizeof *fc->e);
		for (i = ncap; i > fc->cap; i--) {
			fc->e[i - 1].pid = 0;
			fc->e[i - 1].hnext = fc->freelist;
			fc->freelist = i - 1;
		}
		fc->cap = ncap;
	}
	if (fc->st.entries + 1 > (size_t)fc->nbucket)
		fdc_rehash(fc);
	i = fc->freelist;
	e = &fc->e[i];
	fc->freelist = e->hnext;
	e->pid = pid;
	e->start = 0;
	e->memo.key = 0;
	for (k = 0; k < FDC__COUNT; k++)
		e->fd[k] = -1;
	e->round = fc->round;
	h = fdc_hash(fc, pid);
	e->hnext = fc->bucket[h];
	fc->bucket[h] = i;
	e->prev = e->next = NIL;
	fdc_push_front(fc, i);
	fc->st.entries++;
	return i;
}

/* Opens file f of entry i, closing least recently used entries for room. */
static int
fdc_open(struct fdcache *fc, uint32_t i, enum fdc_file f)
{
	char	path[32];
	int	fd;

	while (fc->st.open_fds + 1 > fc->limit && fc->tail != NIL &&
	    fc->tail != i) {
		fc->st.evictions++;
		fdc_remove(fc, fc->tail);
	}
	snprintf(path, sizeof path, "%d/%s", fc->e[i].pid, fdc_names[f]);
	fc->st.opens++;
	fd = openat(fc->dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -errno;
	if (fc->st.open_fds + 1 > fc->limit) {
		/* even this entry's other files count: read once, close */
		fc->st.open_fds++;
		return fd;
	}
	fc->e[i].fd[f] = fd;
	fc->st.open_fds++;
	return fd;
}

ssize_t
fdcache_read(struct fdcache *fc, int pid, enum fdc_file f, char *buf,
    size_t len)
{
	uint32_t	i;
	ssize_t		n;
	int		fd, tries;

	if (len == 0 || pid <= 0 || f >= FDC__COUNT)
		return -EINVAL;
	i = fdc_get(fc, pid);
	for (tries = 0; tries < 2; tries++) {
		fd = fc->e[i].fd[f];
		if (fd == -1) {
			fd = fdc_open(fc, i, f);
			if (fd < 0) {
				fdc_remove(fc, i);
				return fd;
			}
		}
		n = pread_record(fd, buf, len);
		if (fc->e[i].fd[f] != fd) {	/* opened over the limit */
			close(fd);
			fc->st.open_fds--;
		}
		if (n != -ESRCH || tries == 1)
			break;
		/* the process this file was opened for is gone */
		fdc_close_files(fc, &fc->e[i]);
		fc->e[i].start = 0;
	}
	if (n < 0)
		fdc_remove(fc, i);
	return n;
}

int
fdcache_set_start(struct fdcache *fc, int pid, unsigned long long start)
{
	uint32_t	i = fdc_find(fc, pid);
	int		reused = 0;

	if (i == NIL)
		return 0;
	if (fc->e[i].start != 0 && fc->e[i].start != start) {
		fdc_close_files(fc, &fc->e[i]);
		reused = 1;
	}
	fc->e[i].start = start;
	return reused;
}

unsigned long long
fdcache_start(const struct fdcache *fc, int pid)
{
	uint32_t	i = fdc_find(fc, pid);

	return i == NIL ? 0 : fc->e[i].start;
}

struct fdc_memo *
fdcache_memo(struct fdcache *fc, int pid)
{
	uint32_t	i = fdc_find(fc, pid);

	return i == NIL ? NULL : &fc->e[i].memo;
}

void
fdcache_forget(struct fdcache *fc, int pid)
{
	uint32_t	i = fdc_find(fc, pid);

	if (i != NIL)
		fdc_remove(fc, i);
}

void
fdcache_begin(struct fdcache *fc)
{
	fc->round++;
}

void
fdcache_end(struct fdcache *fc)
{
	uint32_t	i = fc->tail;

	/* read this round: at the front; the rest are behind them */
	while (i != NIL && fc->e[i].round != fc->round) {
		uint32_t	prev = fc->e[i].prev;

		fdc_remove(fc, i);
		i = prev;
	}
}

void
fdcache_get_stats(const struct fdcache *fc, struct fdcache_stats *st)
{
	*st = fc->st;
}

void
fdcache_free(struct fdcache *fc)
{
	uint32_t	i;

	if (fc == NULL)
		return;
	for (i = 0; i < fc->cap && !fc->leave_open; i++)
		if (fc->e[i].pid != 0)
			fdc_close_files(fc, &fc->e[i]);
	if (!fc->leave_open)
		close(fc->dirfd);
	free(fc->e);
	free(fc->bucket);
	free(fc);
}

void
fdcache_leave_open(struct fdcache *fc)
{
	if (fc != NULL)
		fc->leave_open = true;
}
