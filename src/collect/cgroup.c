#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/cgroup.h"
#include "collect/cgroupns.h"
#include "util/fmt.h"
#include "util/readfile.h"

size_t
cg_place_size(const struct cg_place *pl)
{
	return offsetof(struct cg_place, path) + strlen(pl->path) + 1;
}

void
cg_place_copy(struct cg_place *dst, const struct cg_place *src)
{
	memcpy(dst, src, cg_place_size(src));
}

/* v1 limits at or above this are "no limit" (PAGE_COUNTER_MAX pages). */
#define V1_UNLIMITED	(1ULL << 62)

/* Rank of a line's controllers on ties: lower is better. */
static int
line_rank(const char *ctrl, size_t n, bool v2)
{
	static const char *const order[] = { "memory", "", "pids", "cpu" };
	size_t		 i;
	const char	*p = ctrl, *end = ctrl + n;

	if (v2)
		return 1;
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		size_t	wl = strlen(order[i]);

		if (wl == 0)
			continue;
		for (p = ctrl; p < end;) {
			const char	*q = memchr(p, ',', (size_t)(end - p));
			size_t		 l;

			if (q == NULL)
				q = end;
			l = (size_t)(q - p);
			if (l == wl && memcmp(p, order[i], l) == 0)
				return (int)i;
			p = q + 1;
		}
	}
	return 4;
}

/* How much a classification tells: container > pod > unit > nothing. */
static int
class_score(const struct cg_class *c)
{
	if (c->pod_uid[0] != '\0' && (c->ctr_id[0] != '\0' ||
	    c->conmon_of[0] != '\0'))
		return 5;
	if (c->pod_uid[0] != '\0')
		return 4;
	if (c->ctr_id[0] != '\0')
		return 3;
	if (c->kind != CG_KIND_OTHER)
		return 2;
	return 1;
}

static bool
line_has_memory(const char *ctrl, size_t n)
{
	return line_rank(ctrl, n, false) == 0;
}

int
cgroup_parse_proc(const char *buf, size_t len, struct cg_place *out)
{
	return cgroup_parse_proc_ns(buf, len, NULL, out);
}

int
cgroup_parse_proc_ns(const char *buf, size_t len, const char *ns_base,
    struct cg_place *out)
{
	const char	*p = buf, *end = buf + len;
	int		 best_score = -1, best_rank = 99, found = 0;
	struct cg_place	 cand;
	char		 mem_path[sizeof out->path];
	bool		 have_mem = false;

	memset(out, 0, sizeof *out);
	mem_path[0] = '\0';
	while (p < end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		const char	*c1, *c2, *line = p;
		size_t		 ll, pl;
		bool		 v2;
		int		 score, rank;

		if (nl == NULL)
			nl = end;
		ll = (size_t)(nl - line);
		p = nl + 1;
		/* R1: split on the first two ':' only */
		c1 = memchr(line, ':', ll);
		if (c1 == NULL)
			continue;
		c2 = memchr(c1 + 1, ':', ll - (size_t)(c1 + 1 - line));
		if (c2 == NULL)
			continue;
		pl = ll - (size_t)(c2 + 1 - line);
		if (pl == 0 || c2[1] != '/' || pl >= sizeof cand.path)
			continue;
		v2 = (c1 - line == 1 && line[0] == '0' && c2 == c1 + 1);
		memset(&cand, 0, sizeof cand);
		memcpy(cand.path, c2 + 1, pl);
		cand.path[pl] = '\0';
		if (v2 && ns_base != NULL && ns_base[0] != '\0')
			cgroupns_resolve(cand.path, sizeof cand.path, ns_base);
		k8s_normalize(cand.path);
		k8s_classify(cand.path, &cand.cls);
		rank = line_rank(c1 + 1, (size_t)(c2 - c1 - 1), v2);
		if (line_has_memory(c1 + 1, (size_t)(c2 - c1 - 1))) {
			have_mem = true;
			memcpy(mem_path, cand.path, sizeof mem_path);
			cand.hier = CG_HIER_V1;
		} else if (v2)
			cand.hier = CG_HIER_V2;
		else
			cand.hier = CG_HIER_NONE;
		score = class_score(&cand.cls);
		found++;
		if (score > best_score ||
		    (score == best_score && rank < best_rank)) {
			*out = cand;
			best_score = score;
			best_rank = rank;
		}
	}
	if (found == 0)
		return -1;
	/* a winning non-memory v1 line: use the memory line if it agrees */
	if (out->hier == CG_HIER_NONE && have_mem &&
	    strcmp(mem_path, out->path) == 0)
		out->hier = CG_HIER_V1;
	return 0;
}

/* Splits the next space-separated field of [*p, end). */
static bool
next_field(const char **p, const char *end, const char **f, size_t *fl)
{
	while (*p < end && **p == ' ')
		(*p)++;
	if (*p >= end)
		return false;
	*f = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	*fl = (size_t)(*p - *f);
	return true;
}

int
cgroup_parse_mountinfo(const char *buf, size_t len, struct cg_roots *r)
{
	const char	*p = buf, *end = buf + len;

	memset(r, 0, sizeof *r);
	while (p < end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		const char	*q, *f[64];
		size_t		 fl[64], nf = 0, sep = 0, i;

		if (nl == NULL)
			nl = end;
		q = p;
		p = nl + 1;
		/* id parent maj:min root mountpoint opts [optional...] - fstype src superopts */
		while (nf < 64 && next_field(&q, nl, &f[nf], &fl[nf])) {
			if (sep == 0 && nf >= 6 && fl[nf] == 1 && *f[nf] == '-')
				sep = nf;
			nf++;
		}
		if (sep == 0 || nf < sep + 4)
			continue;
		if (fl[sep + 1] == 7 && memcmp(f[sep + 1], "cgroup2", 7) == 0) {
			if (r->v2[0] == '\0')
				fmt_copy(r->v2, sizeof r->v2, f[4], fl[4]);
			continue;
		}
		if (!(fl[sep + 1] == 6 && memcmp(f[sep + 1], "cgroup", 6) == 0))
			continue;
		for (i = 0; i + 6 <= fl[sep + 3]; i++) {
			const char	*o = f[sep + 3] + i;

			if (memcmp(o, "memory", 6) == 0 &&
			    (i == 0 || o[-1] == ',') &&
			    (i + 6 == fl[sep + 3] || o[6] == ',')) {
				if (r->v1_memory[0] == '\0')
					fmt_copy(r->v1_memory,
					    sizeof r->v1_memory, f[4], fl[4]);
				break;
			}
		}
	}
	return (r->v1_memory[0] != '\0' || r->v2[0] != '\0') ? 0 : -1;
}

static bool
path_exists(const char *dir, const char *name)
{
	char	p[4200];

	snprintf(p, sizeof p, "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

static void
v2_memory_check(struct cg_roots *r)
{
	struct buf	b;
	char		p[4200];

	r->v2_has_memory = false;
	if (r->v2[0] == '\0')
		return;
	buf_init(&b);
	snprintf(p, sizeof p, "%s/cgroup.controllers", r->v2);
	if (read_file(p, &b, 4096) == 0 && b.data != NULL) {
		const char	*m = strstr(b.data, "memory");

		r->v2_has_memory = m != NULL &&
		    (m[6] == '\0' || m[6] == ' ' || m[6] == '\n');
	}
	buf_done(&b);
}

/* dst = dir + suffix, if it fits. */
static void
join_root(char *dst, size_t dstsz, const char *dir, const char *suffix)
{
	size_t	dl = strlen(dir), sl = strlen(suffix);

	if (dl + sl + 1 > dstsz)
		return;
	memcpy(dst, dir, dl);
	memcpy(dst + dl, suffix, sl + 1);
}

int
cgroup_roots_probe(const char *dir, struct cg_roots *r)
{
	memset(r, 0, sizeof *r);
	if (path_exists(dir, "cgroup.controllers"))
		join_root(r->v2, sizeof r->v2, dir, "");
	else if (path_exists(dir, "unified/cgroup.controllers"))
		join_root(r->v2, sizeof r->v2, dir, "/unified");
	if (path_exists(dir, "memory/memory.usage_in_bytes") ||
	    path_exists(dir, "memory/memory.stat"))
		join_root(r->v1_memory, sizeof r->v1_memory, dir, "/memory");
	v2_memory_check(r);
	return (r->v1_memory[0] != '\0' || r->v2[0] != '\0') ? 0 : -1;
}

int
cgroup_roots_default(struct cg_roots *r)
{
	struct buf	b;
	int		rc = -1;

	buf_init(&b);
	if (read_file("/proc/self/mountinfo", &b, 0) == 0)
		rc = cgroup_parse_mountinfo(b.data, b.len, r);
	buf_done(&b);
	if (rc != 0)
		return cgroup_roots_probe("/sys/fs/cgroup", r);
	v2_memory_check(r);
	return 0;
}

void
cgroup_mem_init(struct cg_mem *m)
{
	m->current = m->limit = m->anon = m->file = m->shmem = CG_NA;
	m->inactive_file = CG_NA;
	m->kernel = m->sock = m->oom = m->oom_kill = m->failcnt = CG_NA;
	m->unlimited = false;
	m->read = false;
}

/* Parses an unsigned decimal; false on anything else. */
static bool
parse_u64(const char *s, size_t n, uint64_t *v)
{
	uint64_t	x = 0;
	size_t		i;

	if (n == 0 || n > 20)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (x > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return true;
}

/* Calls fn for every "key value" line. */
static int
kv_lines(const char *buf, size_t len,
    int (*fn)(const char *, size_t, uint64_t, void *), void *arg)
{
	const char	*p = buf, *end = buf + len;
	int		 used = 0;

	while (p < end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		const char	*sp, *v;
		uint64_t	 val;
		size_t		 vl;

		if (nl == NULL)
			nl = end;
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (sp != NULL) {
			v = sp + 1;
			vl = (size_t)(nl - v);
			if (parse_u64(v, vl, &val))
				used += fn(p, (size_t)(sp - p), val, arg);
		}
		p = nl + 1;
	}
	return used;
}

struct memstat_ctx {
	struct cg_mem	*m;
	enum cg_hier	 hier;
	uint64_t	 slab, stack;
	uint64_t	 v1_rss, v1_cache, v1_shmem;	/* non-hierarchical */
	uint64_t	 v1_inactive_file;
};

static bool
key_is(const char *k, size_t kl, const char *want)
{
	return kl == strlen(want) && memcmp(k, want, kl) == 0;
}

static int
memstat_kv(const char *k, size_t kl, uint64_t v, void *arg)
{
	struct memstat_ctx	*c = arg;
	struct cg_mem		*m = c->m;

	if (c->hier == CG_HIER_V1) {
		if (key_is(k, kl, "total_rss"))
			m->anon = v;
		else if (key_is(k, kl, "total_cache"))
			m->file = v;
		else if (key_is(k, kl, "total_shmem"))
			m->shmem = v;
		else if (key_is(k, kl, "total_inactive_file"))
			m->inactive_file = v;
		else if (key_is(k, kl, "inactive_file"))
			c->v1_inactive_file = v;
		else if (key_is(k, kl, "rss"))
			c->v1_rss = v;
		else if (key_is(k, kl, "cache"))
			c->v1_cache = v;
		else if (key_is(k, kl, "shmem"))
			c->v1_shmem = v;
		else
			return 0;
		return 1;
	}
	if (key_is(k, kl, "anon"))
		m->anon = v;
	else if (key_is(k, kl, "file"))
		m->file = v;
	else if (key_is(k, kl, "shmem"))
		m->shmem = v;
	else if (key_is(k, kl, "inactive_file"))
		m->inactive_file = v;
	else if (key_is(k, kl, "kernel"))
		m->kernel = v;
	else if (key_is(k, kl, "sock"))
		m->sock = v;
	else if (key_is(k, kl, "slab"))
		c->slab = v;
	else if (key_is(k, kl, "kernel_stack"))
		c->stack = v;
	else
		return 0;
	return 1;
}

int
cgroup_parse_memstat(const char *buf, size_t len, enum cg_hier hier,
    struct cg_mem *m)
{
	struct memstat_ctx	c = { .m = m, .hier = hier, .slab = CG_NA,
	    .stack = CG_NA, .v1_rss = CG_NA, .v1_cache = CG_NA,
	    .v1_shmem = CG_NA, .v1_inactive_file = CG_NA };
	int			used;

	used = kv_lines(buf, len, memstat_kv, &c);
	if (hier == CG_HIER_V1) {
		/* without hierarchical totals, the cgroup's own figures */
		if (m->anon == CG_NA)
			m->anon = c.v1_rss;
		if (m->file == CG_NA)
			m->file = c.v1_cache;
		if (m->shmem == CG_NA)
			m->shmem = c.v1_shmem;
		if (m->inactive_file == CG_NA)
			m->inactive_file = c.v1_inactive_file;
	} else if (m->kernel == CG_NA && c.slab != CG_NA && c.stack != CG_NA)
		m->kernel = c.slab + c.stack;
	return used;
}

static int
events_kv(const char *k, size_t kl, uint64_t v, void *arg)
{
	struct cg_mem	*m = arg;

	if (key_is(k, kl, "oom"))
		m->oom = v;
	else if (key_is(k, kl, "oom_kill"))
		m->oom_kill = v;
	else
		return 0;
	return 1;
}

int
cgroup_parse_events(const char *buf, size_t len, struct cg_mem *m)
{
	return kv_lines(buf, len, events_kv, m);
}

/* Reads a single-number file; "max" sets *max. */
static int
read_number(int dirfd, const char *name, struct buf *b, uint64_t *v,
    bool *max)
{
	int	rc;
	size_t	n;

	rc = read_file_at(dirfd, name, b, 256);
	if (rc != 0)
		return rc;
	n = b->len;
	while (n > 0 && (b->data[n - 1] == '\n' || b->data[n - 1] == ' '))
		n--;
	if (max != NULL && n == 3 && memcmp(b->data, "max", 3) == 0) {
		*max = true;
		return 0;
	}
	if (!parse_u64(b->data, n, v))
		return -EINVAL;
	return 0;
}

int
cgroup_read_mem(const struct cg_roots *r, enum cg_hier hier, const char *path,
    struct cg_mem *m)
{
	char		 dir[5200];
	const char	*root;
	struct buf	 b;
	int		 fd, rc;
	bool		 max = false;
	uint64_t	 v;

	cgroup_mem_init(m);
	root = hier == CG_HIER_V1 ? r->v1_memory :
	    hier == CG_HIER_V2 ? r->v2 : "";
	if (root[0] == '\0')
		return -ENOENT;
	snprintf(dir, sizeof dir, "%s%s", root, path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return -errno;
	buf_init(&b);
	if (hier == CG_HIER_V2) {
		rc = read_number(fd, "memory.current", &b, &m->current, NULL);
		if (read_number(fd, "memory.max", &b, &v, &max) == 0) {
			if (max)
				m->unlimited = true;
			else
				m->limit = v;
		}
		if (read_file_at(fd, "memory.events", &b, 65536) == 0)
			cgroup_parse_events(b.data, b.len, m);
	} else {
		rc = read_number(fd, "memory.usage_in_bytes", &b, &m->current,
		    NULL);
		if (read_number(fd, "memory.limit_in_bytes", &b, &v, NULL) ==
		    0) {
			if (v >= V1_UNLIMITED)
				m->unlimited = true;
			else
				m->limit = v;
		}
		if (read_number(fd, "memory.failcnt", &b, &v, NULL) == 0)
			m->failcnt = v;
		if (read_file_at(fd, "memory.oom_control", &b, 65536) == 0)
			cgroup_parse_events(b.data, b.len, m);
	}
	if (read_file_at(fd, "memory.stat", &b, 1 << 20) == 0)
		cgroup_parse_memstat(b.data, b.len, hier, m);
	m->read = rc == 0;
	buf_done(&b);
	close(fd);
	return rc;
}
