#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/meminfo.h>

#include "collect/cgroupns.h"
#include "collect/names.h"
#include "collect/procscan.h"
#include "collect/sample.h"
#include "util/log.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

/* What the sampler remembers of a process between ticks. */
struct proc_cache {
	int			 pid;
	unsigned long long	 start;
	char			*cmdline;
	struct cg_place		*place;
	const struct rt_names	*ctr_names;
	const struct rt_names	*pod_names;
	uint64_t		 rollup[FIG__COUNT];	/* last rollup figures */
	uint64_t		 cheap_at_rollup[FIG__COUNT];
	double			 rollup_mono;		/* < 0: never */
	bool			 fresh;			/* new this tick */
	int64_t			 nmaps;
	int64_t			 nanon;
	unsigned		 marks;
	struct maps_tally	 tally;
};

/* smaps of a process a view focuses on, re-read adaptively. */
struct focus_slot {
	int			 pid;
	unsigned long long	 start;
	struct maps		 maps;
	bool			 have;
	double			 mono;		/* when read */
	double			 cost_ms;
};

struct sampler {
	struct procscan		*scan;
	struct names		*names;
	struct meminfo_info	*meminfo;
	struct cg_roots		 roots;
	char			*proc_root;
	struct proc_cache	*cache;		/* sorted by pid */
	size_t			 ncache;
	struct proc_cache	*next;		/* being built */
	size_t			 cap;
	struct snapshot		 snap;
	size_t			 snap_cap;
	size_t			 cg_cap;
	struct proc_sample	**sel;
	struct buf		 buf;
	maps_hook_fn		 hook;
	void			*hook_ctx;
	struct focus_slot	 focus[2];
	struct maps		 scratch;
	char			 ns_base[4096];	/* "" unless in a cgroupns */
};

void
sampler_set_maps_hook(struct sampler *s, maps_hook_fn fn, void *ctx)
{
	s->hook = fn;
	s->hook_ctx = ctx;
}

static double
now_clock(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The kernel's boot id (part of a process's identity across runs). */
static void
read_boot_id(const char *proc_root, struct buf *b, char *out, size_t len)
{
	char	path[4096];
	size_t	n;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/sys/kernel/random/boot_id", proc_root);
	buf_reset(b);
	if (read_file(path, b, 64) != 0)
		return;
	for (n = 0; n < b->len && n + 1 < len; n++) {
		char	c = b->data[n];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    c == '-'))
			break;
		out[n] = c;
	}
	out[n] = '\0';
}

/*
 * The node's name (static pods are named after it): the host's
 * /etc/hostname under host_root, else this UTS namespace's hostname.
 */
static void
read_node_name(const char *host_root, struct buf *b, char *out, size_t len)
{
	char	path[4096];
	size_t	n;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/etc/hostname", host_root);
	buf_reset(b);
	if (read_file(path, b, 256) == 0) {
		for (n = 0; n < b->len && n + 1 < len; n++) {
			char	c = b->data[n];

			if (c <= ' ' || c > '~')
				break;
			out[n] = c;
		}
		out[n] = '\0';
	}
	if (out[0] == '\0' && gethostname(out, len) != 0)
		out[0] = '\0';
	out[len - 1] = '\0';
}

struct sampler *
sampler_create(const struct cg_roots *roots, const char *proc_root,
    const char *host_root, const char **cause)
{
	struct sampler	*s = xcalloc(1, sizeof *s);
	char		 why[512];

	s->scan = procscan_create(cause);
	if (s->scan == NULL) {
		free(s);
		return NULL;
	}
	if (procps_meminfo_new(&s->meminfo) < 0)
		s->meminfo = NULL;
	s->roots = *roots;
	s->proc_root = xstrdup(proc_root);
	s->names = names_create(host_root, proc_root);
	buf_init(&s->buf);
	read_boot_id(proc_root, &s->buf, s->snap.boot_id,
	    sizeof s->snap.boot_id);
	read_node_name(host_root, &s->buf, s->snap.node_name,
	    sizeof s->snap.node_name);
	switch (cgroupns_find_base(roots->v2, proc_root, (int)getpid(),
	    s->ns_base, sizeof s->ns_base, why, sizeof why)) {
	case 1:
		log_warn("memtop is in a cgroup namespace rooted at %s: other "
		    "processes' cgroup paths are resolved against it",
		    s->ns_base);
		break;
	case -1:
		log_warn("%s", why);
		break;
	}
	return s;
}

static void
cache_entry_free(struct proc_cache *c)
{
	free(c->cmdline);
	free(c->place);
}

static void
snap_cgroups_clear(struct snapshot *sn)
{
	size_t	i;

	for (i = 0; i < sn->ncgroups; i++)
		free(sn->cgroups[i].path);
	sn->ncgroups = 0;
}

void
sampler_free(struct sampler *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncache; i++)
		cache_entry_free(&s->cache[i]);
	free(s->cache);
	free(s->next);
	snap_cgroups_clear(&s->snap);
	free(s->snap.cgroups);
	free(s->snap.procs);
	free(s->sel);
	free(s->proc_root);
	maps_done(&s->focus[0].maps);
	maps_done(&s->focus[1].maps);
	buf_done(&s->buf);
	procscan_free(s->scan);
	names_free(s->names);
	if (s->meminfo != NULL)
		procps_meminfo_unref(&s->meminfo);
	free(s);
}

static int
sample_cmp(const void *a, const void *b)
{
	const struct proc_sample	*x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Reads /proc/PID/cgroup ourselves: a buffer parser, testable on fixtures. */
static struct cg_place *
read_place(struct sampler *s, int pid)
{
	char		 path[4200];
	struct cg_place	*pl;
	int		 rc;

	snprintf(path, sizeof path, "%s/%d/cgroup", s->proc_root, pid);
	rc = read_file(path, &s->buf, 1 << 16);
	if (rc != 0)
		return NULL;	/* vanished: a normal result */
	pl = xmalloc(sizeof *pl);
	if (cgroup_parse_proc_ns(s->buf.data, s->buf.len, s->ns_base, pl) != 0) {
		log_warn("pid %d: cannot parse %s", pid, path);
		free(pl);
		return NULL;
	}
	return pl;
}

/*
 * Whether the cheap counters moved since the last rollup read by more than
 * jitter: 1 MiB or 1 %, whichever is more. A busy process whose RSS wobbles
 * by a few pages is re-read when its PSS is max_age old, not every tick.
 */
static bool
cheap_changed(const struct proc_cache *c, const struct proc_sample *p)
{
	int		k;
	uint64_t	a, b, d, tol;

	for (k = 0; k < FIG__COUNT; k++) {
		if (fig_table[k].tier != FIG_TIER_CHEAP)
			continue;
		a = c->cheap_at_rollup[k];
		b = p->fig[k];
		if (a == b)
			continue;
		if (a == FIG_NA || b == FIG_NA)
			return true;
		d = a > b ? a - b : b - a;
		tol = a / 100 > (1 << 20) ? a / 100 : (1 << 20);
		if (d > tol)
			return true;
	}
	return false;
}

/* -1, or where pid is in the focus list (0: the selected process). */
static int
focus_index(const struct tick_policy *pol, int pid)
{
	size_t	i;

	for (i = 0; i < pol->nfocus; i++) {
		if (pol->focus[i] == pid)
			return (int)i;
	}
	return -1;
}

/* Above this RSS a smaps_rollup walk costs ~14 ms or more. */
#define BIG_RSS		(1ULL << 30)

struct due {
	struct proc_sample	*p;
	struct proc_cache	*c;
	int			 prio;	/* 0 selected, 1 never read, then due:
					   2 visible, 3 changed, 4 old */
	double			 age;
};

static int
due_cmp(const void *a, const void *b)
{
	const struct due	*x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio - y->prio;
	return (x->age < y->age) - (x->age > y->age);	/* stalest first */
}

/* Reads smaps_rollup for the processes due, under the time budget. */
static void
tick_rollups(struct sampler *s, const struct tick_policy *pol,
    struct proc_sample *procs, size_t n, double mono)
{
	/* s->cache[i] belongs to procs[i] */
	struct due	*due = xcalloc(n ? n : 1, sizeof *due);
	size_t		 nd = 0, i, off, chunk = 32;
	int		 fi;
	double		 t0 = now_clock(CLOCK_MONOTONIC);

	for (i = 0; i < n; i++) {
		struct proc_cache	*c = &s->cache[i];
		struct due		 d = { &procs[i], c, -1, 0 };

		if (procs[i].kthread)
			continue;
		d.age = c->rollup_mono < 0 ? 1e9 : mono - c->rollup_mono;
		fi = focus_index(pol, procs[i].pid);
		if (pol->rollup_all)
			d.prio = 1;
		else if (fi == 0)
			d.prio = 0;	/* the selected process: every tick */
		else if (c->rollup_mono < 0)
			d.prio = 1;
		else if (cheap_changed(c, &procs[i]) &&
		    !(procs[i].fig[FIG_RSS] != FIG_NA &&
		    procs[i].fig[FIG_RSS] > BIG_RSS && d.age < pol->max_age / 2))
			d.prio = 3;	/* big ones (long page walks): less often */
		else if (d.age >= pol->max_age)
			d.prio = 4;
		/* visible rows go first among those due */
		if (d.prio >= 3 && fi > 0)
			d.prio = 2;
		if (d.prio >= 0)
			due[nd++] = d;
	}
	qsort(due, nd, sizeof *due, due_cmp);
	s->snap.rollup_wanted = nd;
	s->snap.rollup_read = 0;
	for (off = 0; off < nd; off += chunk) {
		size_t	m = nd - off < chunk ? nd - off : chunk;

		if (!pol->rollup_all && off > 0 && due[off].prio > 0 &&
		    (now_clock(CLOCK_MONOTONIC) - t0) * 1000 >= pol->budget_ms)
			break;
		for (i = 0; i < m; i++)
			s->sel[i] = due[off + i].p;
		procscan_rollup(s->scan, s->sel, m);
		for (i = 0; i < m; i++) {
			struct proc_sample	*p = due[off + i].p;
			struct proc_cache	*c = due[off + i].c;
			int			 k;

			if (!p->rollup_read)
				continue;
			s->snap.rollup_read++;
			for (k = 0; k < FIG__COUNT; k++) {
				c->cheap_at_rollup[k] = p->fig[k];
				if (fig_table[k].tier == FIG_TIER_ROLLUP)
					c->rollup[k] = p->fig[k];
			}
			c->rollup_mono = mono;
			c->nmaps = -2;	/* maps due with this read */
		}
	}
	s->snap.rollup_ms = (now_clock(CLOCK_MONOTONIC) - t0) * 1000;
	free(due);
}

static int
cg_key_cmp(enum cg_hier h1, const char *p1, size_t l1, enum cg_hier h2,
    const char *p2)
{
	size_t	l2 = strlen(p2);
	int	c;

	if (h1 != h2)
		return (int)h1 - (int)h2;
	c = memcmp(p1, p2, l1 < l2 ? l1 : l2);
	if (c != 0)
		return c;
	return (l1 > l2) - (l1 < l2);
}

static int
snap_cg_cmp(const void *a, const void *b)
{
	const struct snap_cgroup	*x = a, *y = b;

	return cg_key_cmp(x->hier, x->path, strlen(x->path), y->hier, y->path);
}

const struct cg_mem *
snapshot_cgroup(const struct snapshot *sn, enum cg_hier hier, const char *path,
    size_t len)
{
	size_t	lo = 0, hi = sn->ncgroups;

	while (lo < hi) {
		size_t	mid = (lo + hi) / 2;
		int	c = cg_key_cmp(hier, path, len, sn->cgroups[mid].hier,
		    sn->cgroups[mid].path);

		if (c == 0)
			return &sn->cgroups[mid].mem;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static void
add_cgroup(struct sampler *s, enum cg_hier hier, const char *path, size_t len)
{
	struct snapshot	*sn = &s->snap;

	if (len == 0 || hier == CG_HIER_NONE)
		return;
	if (sn->ncgroups == s->cg_cap) {
		s->cg_cap = s->cg_cap ? s->cg_cap * 2 : 64;
		sn->cgroups = xreallocarray(sn->cgroups, s->cg_cap,
		    sizeof *sn->cgroups);
	}
	sn->cgroups[sn->ncgroups].hier = hier;
	sn->cgroups[sn->ncgroups].path = xstrndup(path, len);
	sn->ncgroups++;
}

/* Reads the accounting of every pod, container and unit cgroup once. */
static void
tick_cgroups(struct sampler *s)
{
	struct snapshot	*sn = &s->snap;
	size_t		 i, j;

	snap_cgroups_clear(sn);
	for (i = 0; i < sn->nprocs; i++) {
		const struct cg_place	*pl = sn->procs[i].place;

		if (pl == NULL)
			continue;
		add_cgroup(s, pl->hier, pl->path, pl->cls.pod_end);
		add_cgroup(s, pl->hier, pl->path, pl->cls.ctr_end);
		add_cgroup(s, pl->hier, pl->path, pl->cls.unit_end);
	}
	qsort(sn->cgroups, sn->ncgroups, sizeof *sn->cgroups, snap_cg_cmp);
	for (i = 0, j = 0; i < sn->ncgroups; i++) {
		if (j > 0 && snap_cg_cmp(&sn->cgroups[j - 1],
		    &sn->cgroups[i]) == 0) {
			free(sn->cgroups[i].path);
			continue;
		}
		sn->cgroups[j++] = sn->cgroups[i];
	}
	sn->ncgroups = j;
	for (i = 0; i < sn->ncgroups; i++)
		cgroup_read_mem(&s->roots, sn->cgroups[i].hier,
		    sn->cgroups[i].path, &sn->cgroups[i].mem);
}

/*
 * Names of each process's container and pod: looked up for new processes,
 * retried for misses, touched for the rest so the cache keeps them.
 */
static void
tick_names(struct sampler *s, struct proc_sample *procs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		struct proc_cache	*c = &s->cache[i];
		const struct cg_class	*cls;
		const char		*id, *uid;

		if (c->place == NULL)
			continue;
		cls = &c->place->cls;
		id = cls->ctr_id[0] != '\0' ? cls->ctr_id : cls->conmon_of;
		if (id[0] != '\0' && (c->ctr_names == NULL ||
		    c->ctr_names->source == NAME_SRC_NONE))
			c->ctr_names = names_container(s->names, id,
			    cls->runtime);
		else
			names_touch(s->names, c->ctr_names);
		uid = cls->pod_uid;
		if (uid[0] == '\0' && c->ctr_names != NULL)
			uid = c->ctr_names->pod_uid;
		if (uid[0] == '\0')
			continue;
		/* the runtime named the pod already: no need for more */
		if (c->ctr_names != NULL && c->ctr_names->pod[0] != '\0') {
			c->pod_names = NULL;
			continue;
		}
		if (c->pod_names == NULL ||
		    c->pod_names->source == NAME_SRC_NONE)
			c->pod_names = names_pod(s->names, uid, procs[i].pid);
		else
			names_touch(s->names, c->pod_names);
	}
}

/* maps of the processes whose rollup was just read, through the hook. */
static void
tick_maps(struct sampler *s, const struct tick_policy *pol, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		struct proc_cache	*c = &s->cache[i];

		if (c->nmaps != -2)
			continue;
		c->nmaps = c->nanon = -1;
		c->marks = 0;
		memset(&c->tally, 0, sizeof c->tally);
		if (!pol->read_maps)
			continue;
		maps_init(&s->scratch);
		if (maps_read(&s->scratch, s->proc_root, c->pid, false) == 0) {
			size_t	j;

			c->nmaps = (int64_t)s->scratch.n;
			c->nanon = 0;
			for (j = 0; j < s->scratch.n; j++)
				c->nanon += s->scratch.v[j].anon;
			if (s->hook != NULL)
				c->marks = s->hook(s->hook_ctx,
				    &s->snap.procs[i], &s->scratch, &c->tally);
		}
		maps_done(&s->scratch);
	}
}

/*
 * smaps of the focused processes: it walks page tables, so re-read only
 * every 5 s, or 20 times as long as the last read took (big processes).
 */
static void
tick_focus(struct sampler *s, const struct tick_policy *pol, double mono)
{
	int	k;
	size_t	i;

	for (k = 0; k < 2; k++) {
		struct focus_slot	*f = &s->focus[k];
		struct snap_focus	*out = &s->snap.focus[k];
		int			 pid = pol->smaps_pid[k];
		unsigned long long	 start = 0;
		double			 every, t0;

		memset(out, 0, sizeof *out);
		if (pid <= 0) {
			if (f->have)
				maps_done(&f->maps);
			f->have = false;
			f->pid = 0;
			continue;
		}
		for (i = 0; i < s->snap.nprocs; i++) {
			if (s->snap.procs[i].pid == pid)
				start = s->snap.procs[i].start;
		}
		if (f->pid != pid || f->start != start) {
			if (f->have)
				maps_done(&f->maps);
			f->have = false;
			f->pid = pid;
			f->start = start;
		}
		every = f->cost_ms * 20 / 1000;
		if (every < 5)
			every = 5;
		if (!f->have || mono - f->mono >= every) {
			if (f->have)
				maps_done(&f->maps);
			maps_init(&f->maps);
			t0 = now_clock(CLOCK_MONOTONIC);
			f->have = start != 0 && maps_read(&f->maps,
			    s->proc_root, pid, true) == 0;
			f->cost_ms = (now_clock(CLOCK_MONOTONIC) - t0) * 1000;
			f->mono = mono;
		}
		out->pid = pid;
		out->start = start;
		out->maps = f->have ? &f->maps : NULL;
		out->age = mono - f->mono;
		out->cost_ms = f->cost_ms;
	}
}

static void
tick_meminfo(struct sampler *s)
{
	s->snap.mem_total = s->snap.mem_available = FIG_NA;
	if (s->meminfo == NULL)
		return;
	s->snap.mem_total = (uint64_t)MEMINFO_GET(s->meminfo,
	    MEMINFO_MEM_TOTAL, ul_int) * 1024;
	s->snap.mem_available = (uint64_t)MEMINFO_GET(s->meminfo,
	    MEMINFO_MEM_AVAILABLE, ul_int) * 1024;
}

int
sampler_tick(struct sampler *s, const struct tick_policy *pol,
    const struct snapshot **out, const char **cause)
{
	struct proc_sample	*procs;
	struct snapshot		*sn = &s->snap;
	size_t			 n, i, ci = 0, nnew = 0;
	double			 mono;

	if (procscan_cheap(s->scan, &procs, &n, cause) != 0)
		return -1;
	mono = now_clock(CLOCK_MONOTONIC);
	names_sweep(s->names, mono);
	sn->time = now_clock(CLOCK_REALTIME);
	sn->mono = mono;
	qsort(procs, n, sizeof *procs, sample_cmp);

	/* match against the cache by pid, both sorted; identity = pid+start */
	if (n > s->cap) {
		s->cap = n + 64;
		s->next = xreallocarray(s->next, s->cap, sizeof *s->next);
		s->cache = xreallocarray(s->cache, s->cap, sizeof *s->cache);
	}
	s->sel = xreallocarray(s->sel, n > 32 ? n : 32, sizeof *s->sel);
	for (i = 0; i < n; i++) {
		struct proc_cache	*c = &s->next[i];
		int			 k;

		while (ci < s->ncache && s->cache[ci].pid < procs[i].pid)
			cache_entry_free(&s->cache[ci++]);
		if (ci < s->ncache && s->cache[ci].pid == procs[i].pid &&
		    s->cache[ci].start == procs[i].start) {
			*c = s->cache[ci++];
			c->fresh = false;
			continue;
		}
		if (ci < s->ncache && s->cache[ci].pid == procs[i].pid)
			cache_entry_free(&s->cache[ci++]);	/* pid reused */
		memset(c, 0, sizeof *c);
		c->pid = procs[i].pid;
		c->start = procs[i].start;
		c->rollup_mono = -1;
		c->fresh = true;
		c->nmaps = c->nanon = -1;
		for (k = 0; k < FIG__COUNT; k++)
			c->rollup[k] = c->cheap_at_rollup[k] = FIG_NA;
		c->place = read_place(s, procs[i].pid);
		s->sel[nnew++] = &procs[i];
	}
	while (ci < s->ncache)
		cache_entry_free(&s->cache[ci++]);
	{
		struct proc_cache	*t = s->cache;

		s->cache = s->next;
		s->next = t;
		s->ncache = n;
	}

	/* new processes: cmdline, through libproc2 */
	procscan_ident(s->scan, s->sel, nnew);
	for (i = 0; i < nnew; i++) {
		struct proc_sample	*p = s->sel[i];
		struct proc_cache	*c = &s->cache[p - procs];

		c->cmdline = p->cmdline;
		p->cmdline = NULL;
	}
	tick_names(s, procs, n);
	tick_rollups(s, pol, procs, n, mono);

	if (n > s->snap_cap) {
		s->snap_cap = n + 64;
		sn->procs = xreallocarray(sn->procs, s->snap_cap,
		    sizeof *sn->procs);
	}
	sn->nprocs = n;
	sn->rollup_unknown = 0;
	for (i = 0; i < n; i++) {
		struct snap_proc	*sp = &sn->procs[i];
		struct proc_cache	*c = &s->cache[i];
		int			 k;

		sp->pid = procs[i].pid;
		sp->ppid = procs[i].ppid;
		sp->start = procs[i].start;
		sp->uid = procs[i].uid;
		sp->state = procs[i].state;
		sp->kthread = procs[i].kthread;
		sp->is_new = c->fresh;
		memcpy(sp->comm, procs[i].comm, sizeof sp->comm);
		sp->cmdline = c->cmdline;
		sp->place = c->place;
		sp->ctr_names = c->ctr_names;
		sp->pod_names = c->pod_names;
		for (k = 0; k < FIG__COUNT; k++)
			sp->fig[k] = fig_table[k].tier == FIG_TIER_CHEAP ?
			    procs[i].fig[k] : c->rollup[k];
		sp->rollup_age = c->rollup_mono < 0 ? -1 : mono - c->rollup_mono;
		if (c->rollup_mono < 0 && !sp->kthread)
			sn->rollup_unknown++;
	}
	/* the maps hook sees the filled snapshot; then its counts and marks */
	tick_maps(s, pol, n);
	for (i = 0; i < n; i++) {
		sn->procs[i].nmaps = s->cache[i].nmaps;
		sn->procs[i].nanon = s->cache[i].nanon;
		sn->procs[i].marks = s->cache[i].marks;
		sn->procs[i].tally = s->cache[i].tally;
	}
	tick_focus(s, pol, mono);
	tick_cgroups(s);
	if (s->meminfo != NULL)
		tick_meminfo(s);
	else
		sn->mem_total = sn->mem_available = FIG_NA;
	*out = sn;
	return 0;
}
