#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/cgfiles.h"
#include "util/clock.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

#define CGF_BUF		(64 * 1024)
#define V1_HUGE		(1ULL << 62)	/* v1's "no limit" is near 2^63 */
#define DETAIL_MOVE	(1ULL << 20)	/* usage moved more: read the rest */
#define CLOSE_MIN	64	/* a round closes at least this many of the
				   files of cgroups gone, and an eighth */

enum cgf_file { CGF_CURRENT, CGF_LIMIT, CGF_FAILCNT, CGF_EVENTS, CGF_STAT,
	CGF__COUNT };

static const char *const cgf_names[2][CGF__COUNT] = {
	{ "memory.usage_in_bytes", "memory.limit_in_bytes", "memory.failcnt",
	  "memory.oom_control", "memory.stat" },
	{ "memory.current", "memory.max", NULL, "memory.events",
	  "memory.stat" },
};

struct cgf_ent {
	enum cg_hier	 hier;
	char		*path;
	int		 fd[CGF__COUNT];
	unsigned	 round;
	struct cg_mem	 last;		/* the last full read */
	double		 last_mono;	/* when; < 0: none */
};

struct cgfiles {
	struct cgf_ent	*v;		/* by hier, then path */
	size_t		 n, cap;
	size_t		 limit, nopen, opens, kept;
	unsigned	 round;
	double		 detail_age;	/* <= 0: every file every round */
	size_t		 max_new;	/* first full reads per round (0: all) */
	size_t		 new_read, deferred;	/* this round's */
	double		 now;		/* this round's clock_mono() */
	char		*buf;
	int		*closing;	/* files of cgroups gone, to close */
	size_t		 nclosing, closing_cap;
	bool		 leave_open;	/* cgfiles_leave_open */
};

struct cgfiles *
cgfiles_create(size_t limit)
{
	struct cgfiles	*cf = xcalloc(1, sizeof *cf);

	cf->limit = limit;
	cf->buf = xmalloc(CGF_BUF);
	return cf;
}

static void
cgf_close(struct cgfiles *cf, struct cgf_ent *e)
{
	int	i;

	for (i = 0; i < CGF__COUNT; i++) {
		if (e->fd[i] != -1) {
			close(e->fd[i]);
			e->fd[i] = -1;
			cf->nopen--;
		}
	}
}

void
cgfiles_free(struct cgfiles *cf)
{
	size_t	i;

	if (cf == NULL)
		return;
	for (i = 0; i < cf->n; i++) {
		if (!cf->leave_open)
			cgf_close(cf, &cf->v[i]);
		free(cf->v[i].path);
	}
	for (i = 0; i < cf->nclosing && !cf->leave_open; i++)
		close(cf->closing[i]);
	free(cf->closing);
	free(cf->v);
	free(cf->buf);
	free(cf);
}

void
cgfiles_leave_open(struct cgfiles *cf)
{
	if (cf != NULL)
		cf->leave_open = true;
}

void
cgfiles_begin(struct cgfiles *cf, double detail_age, size_t max_new)
{
	cf->round++;
	cf->detail_age = detail_age;
	cf->max_new = max_new;
	cf->new_read = cf->deferred = 0;
	cf->now = clock_mono();
}

/* e's open files join those to close over the next rounds. */
static void
cgf_retire(struct cgfiles *cf, struct cgf_ent *e)
{
	int	i;

	for (i = 0; i < CGF__COUNT; i++) {
		if (e->fd[i] == -1)
			continue;
		if (cf->nclosing == cf->closing_cap) {
			cf->closing_cap = cf->closing_cap * 2 + 64;
			cf->closing = xreallocarray(cf->closing,
			    cf->closing_cap, sizeof *cf->closing);
		}
		cf->closing[cf->nclosing++] = e->fd[i];
		e->fd[i] = -1;
	}
}

/*
 * Closes some of the files of cgroups gone: at least CLOSE_MIN and an
 * eighth of them a round. Closing a removed cgroup's file frees its kernfs
 * node, ~3-5 us here: the ~200 files of 40 pods leaving at once added
 * 0.6-0.8 ms to one refresh (docs/bench-history.md, session 17). They
 * still count against the limit until closed.
 */
static void
cgf_close_some(struct cgfiles *cf)
{
	size_t	k = cf->nclosing / 8 > CLOSE_MIN ? cf->nclosing / 8 : CLOSE_MIN;

	if (k > cf->nclosing)
		k = cf->nclosing;
	while (k-- > 0) {
		close(cf->closing[--cf->nclosing]);
		cf->nopen--;
	}
	if (cf->nclosing == 0 && cf->closing_cap > 1024) {
		free(cf->closing);
		cf->closing = NULL;
		cf->closing_cap = 0;
	}
}

void
cgfiles_end(struct cgfiles *cf)
{
	size_t	i, j = 0;

	for (i = 0; i < cf->n; i++) {
		if (cf->v[i].round != cf->round) {
			cgf_retire(cf, &cf->v[i]);
			free(cf->v[i].path);
			continue;
		}
		cf->v[j++] = cf->v[i];
	}
	cf->n = j;
	cgf_close_some(cf);
	/* the array follows the number of cgroups on the node now */
	if (cf->cap > 64 && cf->n < cf->cap / 4) {
		cf->cap = cf->n + 64;
		cf->v = xreallocarray(cf->v, cf->cap, sizeof *cf->v);
	}
}

/* The entry of (hier, path), made if missing. */
static struct cgf_ent *
cgf_get(struct cgfiles *cf, enum cg_hier hier, const char *path)
{
	size_t	lo = 0, hi = cf->n, mid;
	int	c, i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cf->v[mid].hier != hier ? (cf->v[mid].hier < hier ? -1 : 1) :
		    strcmp(cf->v[mid].path, path);
		if (c == 0) {
			cf->v[mid].round = cf->round;
			return &cf->v[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (cf->n == cf->cap) {
		cf->cap = cf->cap * 2 + 64;
		cf->v = xreallocarray(cf->v, cf->cap, sizeof *cf->v);
	}
	memmove(&cf->v[lo + 1], &cf->v[lo], (cf->n - lo) * sizeof *cf->v);
	cf->n++;
	cf->v[lo].hier = hier;
	cf->v[lo].path = xstrdup(path);
	cf->v[lo].round = cf->round;
	for (i = 0; i < CGF__COUNT; i++)
		cf->v[lo].fd[i] = -1;
	cf->v[lo].last_mono = -1;
	return &cf->v[lo];
}

/*
 * Reads file f of e into cf->buf (NUL-terminated): its open file, else
 * opened (and kept if within the limit). Length, or -errno.
 */
static ssize_t
cgf_read(struct cgfiles *cf, const char *root, struct cgf_ent *e,
    enum cgf_file f)
{
	const char	*name = cgf_names[e->hier == CG_HIER_V2][f];
	char		 path[5300];
	ssize_t		 n = -EBADF;
	int		 fd, tries;

	if (name == NULL)
		return -ENOENT;
	for (tries = 0; tries < 2; tries++) {
		fd = e->fd[f];
		if (fd == -1) {
			snprintf(path, sizeof path, "%s%s/%s", root, e->path,
			    name);
			cf->opens++;
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd == -1)
				return -errno;
			if (cf->nopen < cf->limit) {
				e->fd[f] = fd;
				cf->nopen++;
			}
		}
		n = pread_record(fd, cf->buf, CGF_BUF);
		if (e->fd[f] != fd)
			close(fd);
		if (n >= 0)
			return n;
		/* a removed cgroup (ENODEV): try its path once more */
		if (e->fd[f] == fd) {
			close(fd);
			e->fd[f] = -1;
			cf->nopen--;
		}
	}
	return n;
}

/* A single-number file: a decimal, or "max" (then *max). -1 if neither. */
static int
cgf_number(const char *s, uint64_t *v, bool *max)
{
	uint64_t	x = 0;
	int		d = 0;

	if (max != NULL && strncmp(s, "max", 3) == 0 &&
	    (s[3] == '\n' || s[3] == '\0')) {
		*max = true;
		return 0;
	}
	for (; *s >= '0' && *s <= '9' && d < 20; s++, d++)
		x = x * 10 + (uint64_t)(*s - '0');
	if (d == 0 || d == 20 || (*s != '\n' && *s != '\0' && *s != ' '))
		return -1;
	*v = x;
	return 0;
}

/* Whether e's last full read still stands for a usage of current. */
static bool
detail_holds(const struct cgfiles *cf, const struct cgf_ent *e,
    uint64_t current)
{
	const struct cg_mem	*l = &e->last;
	uint64_t		 d, slack;

	if (cf->detail_age <= 0 || e->last_mono < 0 ||
	    cf->now - e->last_mono >= cf->detail_age)
		return false;
	d = current > l->current ? current - l->current : l->current - current;
	slack = l->current / 100 > DETAIL_MOVE ? l->current / 100 : DETAIL_MOVE;
	if (d > slack)
		return false;
	/* near the limit failcnt and the OOM counters move: read them */
	return l->unlimited || l->limit == CG_NA || current < l->limit / 10 * 9;
}

int
cgfiles_read_mem(struct cgfiles *cf, const struct cg_roots *r,
    enum cg_hier hier, const char *path, struct cg_mem *m)
{
	const char	*root;
	struct cgf_ent	*e;
	ssize_t		 n;
	uint64_t	 v;
	bool		 max = false;
	int		 rc;

	cgroup_mem_init(m);
	root = hier == CG_HIER_V1 ? r->v1_memory :
	    hier == CG_HIER_V2 ? r->v2 : "";
	if (root[0] == '\0')
		return -ENOENT;
	e = cgf_get(cf, hier, path);
	n = cgf_read(cf, root, e, CGF_CURRENT);
	rc = n < 0 ? (int)n : cgf_number(cf->buf, &m->current, NULL) == 0 ?
	    0 : -EINVAL;
	if (rc == -ENOENT || rc == -ENODEV) {
		/*
		 * Gone (its pod leaving while we read), or no memory
		 * controller there: its other files would fail the same way,
		 * each after a lookup; all of it unknown
		 */
		cgf_retire(cf, e);
		e->last_mono = -1;
		return rc;
	}
	if (rc == 0 && detail_holds(cf, e, m->current)) {
		v = m->current;
		*m = e->last;
		m->current = v;
		cf->kept++;
		return 0;
	}
	if (rc == 0 && e->last_mono < 0 && cf->max_new > 0 &&
	    cf->new_read++ >= cf->max_new) {
		m->read = true;		/* the usage; the rest next round */
		cf->deferred++;
		return 0;
	}
	if (cgf_read(cf, root, e, CGF_LIMIT) >= 0 &&
	    cgf_number(cf->buf, &v, hier == CG_HIER_V2 ? &max : NULL) == 0) {
		if (max || (hier == CG_HIER_V1 && v >= V1_HUGE))
			m->unlimited = true;
		else
			m->limit = v;
	}
	if (hier == CG_HIER_V1 && cgf_read(cf, root, e, CGF_FAILCNT) >= 0 &&
	    cgf_number(cf->buf, &v, NULL) == 0)
		m->failcnt = v;
	if ((n = cgf_read(cf, root, e, CGF_EVENTS)) >= 0)
		cgroup_parse_events(cf->buf, (size_t)n, m);
	if ((n = cgf_read(cf, root, e, CGF_STAT)) >= 0)
		cgroup_parse_memstat(cf->buf, (size_t)n, hier, m);
	m->read = rc == 0;
	e->last = *m;
	e->last_mono = rc == 0 ? cf->now : -1;
	return rc;
}

size_t
cgfiles_deferred(const struct cgfiles *cf)
{
	return cf->deferred;
}

void
cgfiles_counts(const struct cgfiles *cf, size_t *open_fds, size_t *opens,
    size_t *kept)
{
	*open_fds = cf->nopen;
	*opens = cf->opens;
	*kept = cf->kept;
}
