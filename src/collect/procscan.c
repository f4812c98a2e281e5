#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/fdcache.h"
#include "collect/procscan.h"
#include "util/clock.h"
#include "util/fmt.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

#define PF_KTHREAD	0x00200000UL

/*
 * Every tier reads its files directly: stat, statm, status and smaps_rollup
 * through files kept open between refreshes (collect/fdcache.h), cmdline
 * (new processes only) opened and closed. libproc2 stat()s every /proc/PID,
 * parses stat with sscanf and re-reads stat (and status) for the start time
 * in every select: most of what memtop cost over a raw reader.
 */
#define STAT_BUF	1024
#define STATUS_BUF	8192
#define CMDLINE_MAX	(128 * 1024)	/* as libproc2 and ps cut it */
/*
 * status costs ~2.5 us a process here, statm ~0.25 (docs/bench-history.md,
 * issue 19 session 11). What status said is kept, and used while statm's
 * resident and shared totals are what it said (VmRSS, RssFile + RssShmem;
 * RssAnon is their difference) and it is younger than this: the age bounds what
 * statm does not show, the uid (setuid leaves the memory alone) and the
 * file/shmem split of an unchanged shared total. A process with swap has its
 * status read every time: its swap entries can go (MADV_DONTNEED, MADV_FREE on
 * swapped pages) with statm unchanged. A new process's status is read without
 * statm (a first refresh opens no statm). The first reads of a process are
 * spread over the interval so that they do not fall due together.
 */
#define STATUS_MAX_AGE	10.0		/* seconds */

static const struct {
	const char	*key;
	enum fig	 fig;
} rollup_map[] = {
	{ "Rss:",		FIG_ROLLUP_RSS },
	{ "Pss:",		FIG_PSS },
	{ "Pss_Anon:",		FIG_PSS_ANON },
	{ "Pss_File:",		FIG_PSS_FILE },
	{ "Pss_Shmem:",		FIG_PSS_SHMEM },
	{ "Shared_Clean:",	FIG_SHARED_CLEAN },
	{ "Shared_Dirty:",	FIG_SHARED_DIRTY },
	{ "Private_Clean:",	FIG_PRIVATE_CLEAN },
	{ "Private_Dirty:",	FIG_PRIVATE_DIRTY },
	{ "Swap:",		FIG_SWAP },
	{ "SwapPss:",		FIG_SWAP_PSS },
};
#define ROLLUP_N	(sizeof rollup_map / sizeof rollup_map[0])

struct procscan {
	struct fdcache		*fc;
	DIR			*proc;
	char			*rbuf;		/* STATUS_BUF bytes */
	struct proc_sample	*procs;
	size_t			 nprocs;
	size_t			 cap;
	struct buf		 cmd;
	double			 status_age;	/* seconds; 0: every read */
	uint64_t		 page;		/* bytes, statm's unit */
	double			 now;		/* monotonic, this scan */
	size_t			 status_reads;
};

void
procscan_sanitize(char *s)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 n;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f) {
			*p++ = '?';
			continue;
		}
		n = fmt_utf8_len(p);
		if (n == 0) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}

static void
procscan_clear(struct procscan *ps)
{
	size_t	i;

	for (i = 0; i < ps->nprocs; i++)
		free(ps->procs[i].cmdline);
	/* the array follows the processes on the node now (after a spike) */
	if (ps->cap > 1024 && ps->nprocs < ps->cap / 2) {
		ps->cap = ps->nprocs + ps->nprocs / 4 + 64;
		ps->procs = xreallocarray(ps->procs, ps->cap,
		    sizeof *ps->procs);
	}
	ps->nprocs = 0;
}

struct procscan *
procscan_create(const char **cause)
{
	struct procscan	*ps = xcalloc(1, sizeof *ps);

	buf_init(&ps->cmd);
	ps->fc = fdcache_create("/proc", 0);
	ps->proc = opendir("/proc");
	if (ps->fc == NULL || ps->proc == NULL) {
		*cause = "cannot open /proc (is it mounted?)";
		procscan_free(ps);
		return NULL;
	}
	ps->rbuf = xmalloc(STATUS_BUF);
	ps->status_age = STATUS_MAX_AGE;
	ps->page = (uint64_t)sysconf(_SC_PAGESIZE);
	return ps;
}

void
procscan_free(struct procscan *ps)
{
	if (ps == NULL)
		return;
	procscan_clear(ps);
	fdcache_free(ps->fc);
	if (ps->proc != NULL)
		closedir(ps->proc);
	free(ps->procs);
	free(ps->rbuf);
	buf_done(&ps->cmd);
	free(ps);
}

void
procscan_leave_open(struct procscan *ps)
{
	if (ps != NULL)
		fdcache_leave_open(ps->fc);
}

/* The next space-separated field at *p (advanced past it), as a number. */
static unsigned long long
stat_field(const char **p)
{
	const char		*q = *p;
	unsigned long long	 v = 0;

	while (*q == ' ')
		q++;
	if (*q == '-')
		q++;
	for (; *q >= '0' && *q <= '9'; q++)
		v = v * 10 + (unsigned long long)(*q - '0');
	while (*q != ' ' && *q != '\0')
		q++;
	*p = q;
	return v;
}

/*
 * Parses /proc/PID/stat: pid, comm (between the first '(' and the last ')'),
 * state, ppid, flags, start time. -1 if malformed.
 */
int
procscan_parse_stat(const char *buf, struct proc_sample *p)
{
	const char		*l = strchr(buf, '('), *r = strrchr(buf, ')');
	const char		*q;
	unsigned long long	 flags;
	size_t			 len;
	int			 i;

	if (l == NULL || r == NULL || r < l || r[1] != ' ' || r[2] == '\0')
		return -1;
	p->pid = atoi(buf);
	len = (size_t)(r - l - 1);
	if (len >= sizeof p->comm)
		len = sizeof p->comm - 1;
	memcpy(p->comm, l + 1, len);
	p->comm[len] = '\0';
	procscan_sanitize(p->comm);
	p->state = r[2];
	q = r + 3;
	p->ppid = (int)stat_field(&q);		/* 4 */
	for (i = 5; i < 9; i++)
		stat_field(&q);
	flags = stat_field(&q);			/* 9 */
	for (i = 10; i < 22; i++)
		stat_field(&q);
	p->start = stat_field(&q);		/* 22 */
	p->kthread = (flags & PF_KTHREAD) != 0 || p->pid == 2 || p->ppid == 2;
	return p->pid > 0 ? 0 : -1;
}

/* A "N kB" value after a status or smaps_rollup key, in bytes. */
static uint64_t
kb_after(const char *v)
{
	uint64_t	x = 0;

	while (*v == ' ' || *v == '\t')
		v++;
	for (; *v >= '0' && *v <= '9'; v++)
		x = x * 10 + (uint64_t)(*v - '0');
	return x * 1024;
}

/*
 * Parses the lines of /proc/PID/status the cheap tier uses: the effective
 * uid and the resident and swap figures. A line that is missing (a zombie has
 * no memory lines) leaves the figure 0. 1 if the last of them (VmSwap) was
 * there.
 */
int
procscan_parse_status(const char *buf, struct proc_sample *p)
{
	static const struct {
		const char	*key;
		size_t		 len;
		enum fig	 fig;
	} keys[] = {
		{ "VmRSS:", 6, FIG_RSS },	{ "RssAnon:", 8, FIG_RSS_ANON },
		{ "RssFile:", 8, FIG_RSS_FILE },
		{ "RssShmem:", 9, FIG_RSS_SHMEM },
		{ "VmSwap:", 7, FIG_VM_SWAP },
	};
	const char	*l = buf;
	size_t		 k;

	for (k = 0; k < sizeof keys / sizeof keys[0]; k++)
		p->fig[keys[k].fig] = 0;
	for (; l != NULL && *l != '\0'; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		if (l[0] == 'U' && strncmp(l, "Uid:", 4) == 0) {
			char	*q = (char *)(uintptr_t)(l + 4);

			strtoul(q, &q, 10);		/* real, then effective */
			p->uid = (unsigned)strtoul(q, NULL, 10);
			continue;
		}
		if (l[0] != 'V' && l[0] != 'R')
			continue;
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			if (strncmp(l, keys[k].key, keys[k].len) == 0) {
				p->fig[keys[k].fig] = kb_after(l + keys[k].len);
				break;
			}
		}
		if (k == 4)		/* VmSwap: the last one used */
			return 1;
	}
	return 0;
}

/* The status figures procscan_parse_status sets, in memo order. */
static const enum fig status_figs[FDC_MEMO_N - 1] = {
	FIG_RSS, FIG_RSS_ANON, FIG_RSS_FILE, FIG_RSS_SHMEM, FIG_VM_SWAP,
};

/*
 * The status figures of p: those kept with its files while statm says the
 * same resident and shared totals and they are not too old, else status
 * read (and kept). 0, or -1 if the process is gone.
 */
static int
procscan_status(struct procscan *ps, int pid, struct proc_sample *p)
{
	struct fdc_memo		*m = fdcache_memo(ps->fc, pid);
	unsigned long long	 resident, shared;
	const char		*q;
	ssize_t			 n;
	size_t			 k;
	bool			 whole;

	if (m != NULL && m->key != 0 && ps->now - m->when < ps->status_age) {
		if (fdcache_read(ps->fc, pid, FDC_STATM, ps->rbuf,
		    STAT_BUF) <= 0)
			return -1;
		q = ps->rbuf;
		stat_field(&q);				/* size */
		resident = stat_field(&q);
		shared = stat_field(&q);
		m = fdcache_memo(ps->fc, pid);	/* after the read: a new entry? */
		if (m != NULL && m->key != 0 &&
		    resident * ps->page == m->v[1] &&
		    shared * ps->page == m->v[3] + m->v[4]) {
			p->uid = (unsigned)m->v[0];
			for (k = 0; k < FDC_MEMO_N - 1; k++)
				p->fig[status_figs[k]] = m->v[k + 1];
			return 0;
		}
	}
	n = fdcache_read(ps->fc, pid, FDC_STATUS, ps->rbuf, STATUS_BUF);
	if (n <= 0)
		return -1;
	ps->status_reads++;
	whole = procscan_parse_status(ps->rbuf, p) == 1 ||
	    (size_t)n < STATUS_BUF - 1;
	if (!whole) {
		/* cut short (a long Groups: line): what was cut is unknown */
		for (k = 0; k < FDC_MEMO_N - 1; k++)
			p->fig[status_figs[k]] = FIG_NA;
	}
	if ((m = fdcache_memo(ps->fc, pid)) == NULL)
		return 0;
	if (!whole || ps->status_age <= 0 || p->fig[FIG_VM_SWAP] != 0) {
		m->key = 0;
		return 0;
	}
	/* a first read: as if read at a point of the last interval */
	m->when = m->key != 0 ? ps->now : ps->now - ps->status_age *
	    (double)((uint32_t)pid * 2654435761u % 1024) / 1024;
	m->key = 1;
	m->v[0] = p->uid;
	for (k = 0; k < FDC_MEMO_N - 1; k++)
		m->v[k + 1] = p->fig[status_figs[k]];
	return 0;
}

/* The cheap tier of one process into p. 0, or -1 if it is gone. */
static int
procscan_read_cheap(struct procscan *ps, int pid, struct proc_sample *p)
{
	int	k;

	memset(p, 0, sizeof *p);
	if (fdcache_read(ps->fc, pid, FDC_STAT, ps->rbuf, STAT_BUF) <= 0 ||
	    procscan_parse_stat(ps->rbuf, p) != 0)
		return -1;
	fdcache_set_start(ps->fc, pid, p->start);
	for (k = 0; k < FIG__COUNT; k++)
		p->fig[k] = FIG_NA;
	if (procscan_status(ps, pid, p) != 0)
		return -1;
	if (p->kthread) {
		for (k = 0; k < FIG__COUNT; k++)
			p->fig[k] = FIG_NA;
	}
	return 0;
}

int
procscan_one(struct procscan *ps, int pid, struct proc_sample **out)
{
	procscan_clear(ps);
	ps->now = clock_mono();
	if (ps->cap == 0) {
		ps->cap = 16;
		ps->procs = xreallocarray(NULL, ps->cap, sizeof *ps->procs);
	}
	if (procscan_read_cheap(ps, pid, &ps->procs[0]) != 0)
		return -1;
	ps->nprocs = 1;
	*out = &ps->procs[0];
	return 0;
}

int
procscan_cheap(struct procscan *ps, struct proc_sample **out, size_t *n,
    const char **cause)
{
	struct dirent	*d;

	procscan_clear(ps);
	ps->now = clock_mono();
	rewinddir(ps->proc);
	fdcache_begin(ps->fc);
	for (;;) {
		struct proc_sample	*p;
		int			 pid;

		errno = 0;
		if ((d = readdir(ps->proc)) == NULL)
			break;
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		pid = atoi(d->d_name);
		if (ps->nprocs == ps->cap) {
			ps->cap = ps->cap == 0 ? 512 : ps->cap * 2;
			ps->procs = xreallocarray(ps->procs, ps->cap,
			    sizeof *ps->procs);
		}
		p = &ps->procs[ps->nprocs];
		if (procscan_read_cheap(ps, pid, p) != 0)
			continue;	/* gone since the directory was read */
		ps->nprocs++;
	}
	if (errno != 0 && ps->nprocs == 0) {
		*cause = "reading /proc failed";
		return -1;
	}
	fdcache_end(ps->fc);
	*out = ps->procs;
	*n = ps->nprocs;
	return 0;
}

/* Whether p's pid is still the process p: the cache says so, or its stat. */
static bool
procscan_same(struct procscan *ps, const struct proc_sample *p)
{
	struct proc_sample	t;

	if (fdcache_start(ps->fc, p->pid) == p->start)
		return true;
	if (fdcache_read(ps->fc, p->pid, FDC_STAT, ps->rbuf, STAT_BUF) <= 0 ||
	    procscan_parse_stat(ps->rbuf, &t) != 0 || t.start != p->start)
		return false;
	fdcache_set_start(ps->fc, p->pid, t.start);
	return true;
}

/*
 * cmdline of each process, its arguments joined by spaces; "[comm]" when it
 * has none (kernel threads, zombies: " <defunct>" added), as ps shows them.
 */
size_t
procscan_ident(struct procscan *ps, struct proc_sample **sel, size_t n)
{
	char	path[64];
	size_t	i, k, done = 0;

	for (i = 0; i < n; i++) {
		struct proc_sample	*p = sel[i];
		struct buf		*b = &ps->cmd;

		if (!procscan_same(ps, p))
			continue;
		snprintf(path, sizeof path, "/proc/%d/cmdline", p->pid);
		buf_reset(b);
		if (read_proc_record(path, b, CMDLINE_MAX, false) != 0)
			continue;
		while (b->len > 0 && (b->data[b->len - 1] == '\0' ||
		    b->data[b->len - 1] == ' '))
			b->len--;
		for (k = 0; k < b->len; k++) {
			if (b->data[k] == '\0')
				b->data[k] = ' ';
		}
		free(p->cmdline);
		if (b->len == 0)
			p->cmdline = xasprintf("[%s]%s", p->comm,
			    p->state == 'Z' ? " <defunct>" : "");
		else
			p->cmdline = xstrndup(b->data, b->len);
		procscan_sanitize(p->cmdline);
		p->ident_read = true;
		done++;
	}
	return done;
}

/*
 * Reads the smaps_rollup of the given processes through the open files of the
 * cheap tier; a process whose entry has another start time (gone, pid
 * reused) or whose file cannot be read keeps its figures unknown.
 */
size_t
procscan_rollup(struct procscan *ps, struct proc_sample **sel, size_t n)
{
	size_t	i, k, done = 0;

	for (i = 0; i < n; i++) {
		struct proc_sample	*p = sel[i];
		uint64_t		 v[ROLLUP_N];
		const char		*l;

		if (p->kthread || !procscan_same(ps, p) ||
		    fdcache_read(ps->fc, p->pid, FDC_ROLLUP, ps->rbuf,
		    STATUS_BUF) <= 0 ||
		    fdcache_start(ps->fc, p->pid) != p->start)
			continue;
		for (k = 0; k < ROLLUP_N; k++)
			v[k] = FIG_NA;
		for (l = ps->rbuf; l != NULL && *l != '\0';
		    l = strchr(l, '\n'), l = l ? l + 1 : l) {
			for (k = 0; k < ROLLUP_N; k++) {
				size_t	kl = strlen(rollup_map[k].key);

				if (strncmp(l, rollup_map[k].key, kl) == 0) {
					v[k] = kb_after(l + kl);
					break;
				}
			}
		}
		if (v[0] == FIG_NA || v[1] == FIG_NA)
			continue;
		/* no rollup Rss while status says resident: unknown */
		if (v[0] == 0 && p->fig[FIG_RSS] != 0 &&
		    p->fig[FIG_RSS] != FIG_NA)
			continue;
		for (k = 0; k < ROLLUP_N; k++)
			p->fig[rollup_map[k].fig] = v[k];
		p->rollup_read = true;
		done++;
	}
	return done;
}

void
procscan_set_status_age(struct procscan *ps, double seconds)
{
	ps->status_age = seconds;
}

size_t
procscan_status_reads(const struct procscan *ps)
{
	return ps->status_reads;
}
