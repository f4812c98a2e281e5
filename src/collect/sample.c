#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/cgfiles.h"
#include "collect/cgroupns.h"
#include "collect/fdcache.h"
#include "collect/names.h"
#include "collect/nodemem.h"
#include "collect/nodeid.h"
#include "collect/procscan.h"
#include "collect/places.h"
#include "collect/pss_sched.h"
#include "collect/runtime.h"
#include "collect/sample.h"
#include "collect/smaps_slots.h"
#include "collect/snapshot.h"
#include "collect/status.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/readfile.h"
#include "util/timing.h"
#include "util/xmalloc.h"

/* What the sampler remembers of a process between ticks. */
struct proc_cache {
	int			 pid;
	unsigned long long	 start;
	char			*cmdline;
	struct cg_place		*place;
	double			 place_next;	/* mono: re-read /proc/PID/cgroup */
	const struct rt_names	*ctr_names;
	const struct rt_names	*pod_names;
	uint64_t		 rollup[FIG__COUNT];	/* last rollup figures */
	uint64_t		 cheap_at_rollup[FIG__COUNT];
	double			 rollup_mono;		/* < 0: never */
	double			 rollup_sched;	/* pss_sched_taken's time */
	bool			 fresh;			/* new this tick */
	int64_t			 nmaps, nanon;
	unsigned		 marks;
	struct maps_tally	 tally;
	struct proc_env		*env;		/* NULL: not read yet */
};

struct sampler {
	struct procscan		*scan;
	struct cgfiles		*cgf;		/* cgroup files kept open */
	struct places		*places;	/* shared by processes */
	long			 hz;		/* clock ticks of start times */
	struct names		*names;
	struct nodemem		*mem;		/* /proc/meminfo */
	struct cg_roots		 roots;
	char			*proc_root;
	struct proc_cache	*cache;		/* sorted by pid */
	size_t			 ncache;
	struct proc_cache	*next;		/* being built */
	size_t			 cap;
	struct snapshot		 snap;
	size_t			 snap_cap, cg_cap;
	struct proc_sample	**sel;
	struct buf		 buf;
	struct buf		 envbuf;	/* environ only: wiped */
	const struct maps_hook	*hook;
	void			*hook_ctx;
	void			*hook_run;	/* hook->run_size bytes */
	int64_t			 nanon;		/* of the maps being read */
	struct smaps_slots	 slots;		/* what the last plan asked */
	struct pss_cand		*cand;
	size_t			 cand_cap;
	struct proc_sample	*procs;		/* the last tick's, for
						   sampler_tick_more */
	char			 ns_base[4096];	/* "" unless in a cgroupns */
};

void
sampler_set_maps_hook(struct sampler *s, const struct maps_hook *h,
    void *ctx)
{
	s->hook = h;
	s->hook_ctx = ctx;
	free(s->hook_run);
	s->hook_run = h != NULL ? xmalloc(h->run_size) : NULL;
}

const char *
sampler_node_why(const struct sampler *s)
{
	return nodemem_why(s->mem);
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
	s->mem = nodemem_open();
	s->roots = *roots;
	/*
	 * Big arrays (a process's 100 000 mappings, a node's per-process
	 * arrays) from mmap, always: given back when freed, not kept on the
	 * heap for the rest of the run by glibc's threshold grown to them.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	s->cgf = cgfiles_create(fdcache_default_limit());
	s->places = places_create();
	if ((s->hz = sysconf(_SC_CLK_TCK)) <= 0)
		s->hz = 100;
	s->proc_root = xstrdup(proc_root);
	s->names = names_create(host_root, proc_root);
	buf_init(&s->buf);
	buf_init(&s->envbuf);
	nodeid_read(proc_root, host_root, &s->buf, &s->snap);
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
cache_entry_free(struct sampler *s, struct proc_cache *c)
{
	free(c->cmdline);
	free(c->env);
	places_put(s->places, c->place);
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
		cache_entry_free(s, &s->cache[i]);
	free(s->cache);
	free(s->next);
	snap_cgroups_clear(&s->snap);
	free(s->snap.cgroups);
	free(s->snap.procs);
	free(s->sel);
	free(s->proc_root);
	smaps_slots_free(&s->slots);
	free(s->snap.smaps);
	free(s->cand);
	free(s->hook_run);
	buf_done(&s->buf);
	buf_done(&s->envbuf);
	procscan_free(s->scan);
	cgfiles_free(s->cgf);
	places_free(s->places);
	names_free(s->names);
	nodemem_free(s->mem);
	free(s);
}

void
sampler_free_at_exit(struct sampler *s)
{
	if (s == NULL)
		return;
	procscan_leave_open(s->scan);
	cgfiles_leave_open(s->cgf);
	sampler_free(s);
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
	struct cg_place	 pl;
	int		 rc;

	snprintf(path, sizeof path, "%s/%d/cgroup", s->proc_root, pid);
	rc = read_proc_record(path, &s->buf, 1 << 16, false);
	if (rc != 0)
		return NULL;	/* vanished: a normal result */
	if (cgroup_parse_proc_ns(s->buf.data, s->buf.len, s->ns_base, &pl) != 0) {
		log_warn("pid %d: cannot parse %s", pid, path);
		return NULL;
	}
	return places_get(s->places, &pl);
}

/*
 * A process can change cgroup after memtop first saw it: a container's
 * first process is moved into its cgroup by the runtime (or by a shell
 * that writes itself to cgroup.procs) right after it starts, and systemd
 * moves processes too. So /proc/PID/cgroup is read again every 0.2 s in
 * the process's first second (each refresh: 0.4 ms per refresh after a
 * burst of 40 pods at -d 0.05), every second until it is 10 s old, and
 * every minute or so after that (spread by pid: not all on one refresh).
 */
#define PLACE_NEWBORN	1.0	/* seconds since the process started */
#define PLACE_NEWBORN_EVERY 0.2
#define PLACE_YOUNG	10.0
#define PLACE_RECHECK	60.0

static void
place_schedule(struct sampler *s, struct proc_cache *c, double mono,
    double boot)
{
	double	age = boot - (double)c->start / (double)s->hz;

	if (age >= 0 && age < PLACE_NEWBORN)
		c->place_next = mono + PLACE_NEWBORN_EVERY;
	else if (age >= 0 && age < PLACE_YOUNG)
		c->place_next = mono + 1.0;
	else
		c->place_next = mono + PLACE_RECHECK *
		    (0.5 + (double)(c->pid & 63) / 64.0);
}

static void
place_check(struct sampler *s, struct proc_cache *c, double mono,
    double boot)
{
	struct cg_place	*pl;

	if (c->place_next > mono)
		return;
	place_schedule(s, c, mono, boot);
	if ((pl = read_place(s, c->pid)) == NULL)
		return;		/* gone: its last place stands */
	if (pl == c->place) {
		places_put(s->places, pl);
		return;
	}
	places_put(s->places, c->place);
	c->place = pl;
	c->ctr_names = c->pod_names = NULL;	/* named again */
}

/* A maps_fn: counts anonymous mappings and hands each to the hook. */
static void
tick_mapping(void *arg, const struct mapping *mp)
{
	struct sampler	*s = arg;

	s->nanon += mp->anon;
	if (s->hook != NULL)
		s->hook->mapping(s->hook_run, mp);
}

/*
 * The maps of a process whose rollup was just read, right after it: the
 * kernel walks the same mappings while they are still in the CPU's caches
 * (reading every rollup, then every maps file, took ~3 % more CPU over the
 * bench's 372 processes: docs/bench-history.md). Returns the milliseconds
 * taken.
 */
static double
read_maps(struct sampler *s, const struct tick_policy *pol,
    struct proc_cache *c, const char *comm)
{
	struct maps_stats	st;
	double			t0;

	c->nmaps = c->nanon = -1;
	c->marks = 0;
	memset(&c->tally, 0, sizeof c->tally);
	if (!pol->read_maps)
		return 0;
	t0 = clock_mono();
	s->nanon = 0;
	if (s->hook != NULL)
		s->hook->begin(s->hook_run, s->hook_ctx, comm, c->cmdline);
	if (maps_scan(s->proc_root, c->pid, false, tick_mapping, s,
	    &st) == 0) {
		c->nmaps = (int64_t)st.n;
		c->nanon = s->nanon;
		if (s->hook != NULL)
			c->marks = s->hook->end(s->hook_run, &c->tally);
	}
	return (clock_mono() - t0) * 1000;
}

/*
 * Reads smaps_rollup for the processes due (src/collect/pss_sched.c
 * decides which, in what order, within the budget).
 */
static void
tick_rollups(struct sampler *s, const struct tick_policy *pol,
    const struct read_plan *plan, struct proc_sample *procs, size_t n,
    double mono)
{
	/* s->cache[i] belongs to procs[i] */
	struct pss_sched_opts	 o = { pol->rollup_all, pol->max_age,
	    pol->budget_ms, pol->plan_only,
	    pol->cap_new ? pss_sched_max_never(n) : 0 };
	struct pss_cand		*due;
	size_t			 nc = 0, nd, i, off, never = 0;
	double			 t0 = clock_mono(), maps_ms = 0;

	if (n > s->cand_cap || (s->cand_cap > 256 && n < s->cand_cap / 2)) {
		s->cand_cap = n + n / 4 + 64;
		s->cand = xreallocarray(s->cand, s->cand_cap, sizeof *s->cand);
	}
	due = s->cand;
	for (i = 0; i < n; i++) {
		struct proc_cache	*c = &s->cache[i];
		struct pss_cand		*d = &due[nc];

		if (procs[i].kthread)
			continue;
		nc++;
		d->idx = i;
		d->read = c->rollup_mono >= 0;
		d->age = d->read ? mono - c->rollup_mono : 0;
		d->due_age = d->read ? mono - c->rollup_sched : 0;
		d->changed = d->read &&
		    pss_sched_moved(c->cheap_at_rollup, procs[i].fig);
		d->rss = procs[i].fig[FIG_RSS];
		d->want = read_plan_fresh(plan, procs[i].pid, procs[i].start);
		d->want_now = d->want != READ_PLAN_NONE && d->want < plan->nnow;
		d->start = procs[i].start;
		never += !d->read;
	}
	nd = pss_sched_order(due, nc, &o);
	s->snap.rollup_wanted = nd;
	s->snap.rollup_read = 0;
	for (off = 0; off < nd; off += PSS_SCHED_CHUNK) {
		size_t	m = nd - off < PSS_SCHED_CHUNK ? nd - off :
		    PSS_SCHED_CHUNK;

		/* the budget is the rollups': maps come with them, outside it */
		if (!pss_sched_more(due, off, (clock_mono() - t0) * 1000 -
		    maps_ms, &o))
			break;
		for (i = 0; i < m; i++)
			s->sel[i] = &procs[due[off + i].idx];
		procscan_rollup(s->scan, s->sel, m);
		for (i = 0; i < m; i++) {
			struct proc_sample	*p = &procs[due[off + i].idx];
			struct proc_cache	*c = &s->cache[due[off + i].idx];
			int			 k;

			never -= !due[off + i].read;	/* tried */
			if (!p->rollup_read)
				continue;
			s->snap.rollup_read++;
			for (k = 0; k < FIG__COUNT; k++) {
				c->cheap_at_rollup[k] = p->fig[k];
				if (fig_table[k].tier == FIG_TIER_ROLLUP)
					c->rollup[k] = p->fig[k];
			}
			c->rollup_sched = pss_sched_taken(mono,
			    !due[off + i].read, p->pid, pol->max_age);
			c->rollup_mono = mono;
			maps_ms += read_maps(s, pol, c, p->comm);
		}
	}
	s->snap.rollup_ms = (clock_mono() - t0) * 1000 - maps_ms;
	s->snap.rollup_unread = never;
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
tick_cgroups(struct sampler *s, const struct tick_policy *pol)
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
	qsort(sn->cgroups, sn->ncgroups, sizeof *sn->cgroups, snapshot_cg_cmp);
	for (i = 0, j = 0; i < sn->ncgroups; i++) {
		if (j > 0 && snapshot_cg_cmp(&sn->cgroups[j - 1],
		    &sn->cgroups[i]) == 0) {
			free(sn->cgroups[i].path);
			continue;
		}
		sn->cgroups[j++] = sn->cgroups[i];
	}
	sn->ncgroups = j;
	/*
	 * detail kept while the usage holds, at most PSS's age; new cgroups
	 * past the cap (cap_new): their usage now, the rest a later tick
	 */
	cgfiles_begin(s->cgf, pol->rollup_all ? 0 : pol->max_age,
	    pol->cap_new && !pol->rollup_all ?
	    pss_sched_max_never(sn->ncgroups) : 0);
	for (i = 0; i < sn->ncgroups; i++)
		cgfiles_read_mem(s->cgf, &s->roots, sn->cgroups[i].hier,
		    sn->cgroups[i].path, &sn->cgroups[i].mem);
	sn->cg_unread = cgfiles_deferred(s->cgf);
	cgfiles_end(s->cgf);
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

/*
 * The environment settings of processes whose mappings fired a rule, once
 * per process. The environment is read into a buffer of its own, wiped on
 * every path; only struct proc_env's digits stay.
 */
static void
tick_env(struct sampler *s, size_t n)
{
	char	path[4096];
	size_t	i;
	int	rc;

	for (i = 0; i < n; i++) {
		struct proc_cache	*c = &s->cache[i];

		if (c->env != NULL || c->marks == 0)
			continue;
		c->env = xcalloc(1, sizeof *c->env);
		snprintf(path, sizeof path, "%s/%d/environ", s->proc_root,
		    c->pid);
		rc = read_proc_record(path, &s->envbuf, 1 << 20, true);
		if (rc == 0)
			environ_settings(s->envbuf.data, s->envbuf.len,
			    c->env);
		explicit_bzero(s->envbuf.data, s->envbuf.cap);
		buf_reset(&s->envbuf);
	}
}

/* The rollup figures of the snapshot's processes, from the cache. */
static void
snap_rollups(struct sampler *s, double mono)
{
	struct snapshot	*sn = &s->snap;
	size_t		 i;
	int		 k;

	sn->rollup_unknown = 0;
	for (i = 0; i < sn->nprocs; i++) {
		struct snap_proc	*sp = &sn->procs[i];
		struct proc_cache	*c = &s->cache[i];

		for (k = 0; k < FIG__COUNT; k++)
			if (fig_table[k].tier == FIG_TIER_ROLLUP)
				sp->fig[k] = c->rollup[k];
		sp->rollup_age = c->rollup_mono < 0 ? -1 : mono - c->rollup_mono;
		if (c->rollup_mono < 0 && !sp->kthread)
			sn->rollup_unknown++;
	}
}

/*
 * What the maps read with each rollup (read_maps) found, into the snapshot,
 * and the environment of processes whose maps fired a rule.
 */
static void
snap_maps(struct sampler *s)
{
	struct snapshot	*sn = &s->snap;
	size_t		 i;

	tick_env(s, sn->nprocs);
	for (i = 0; i < sn->nprocs; i++) {
		sn->procs[i].env = s->cache[i].env;
		sn->procs[i].nmaps = s->cache[i].nmaps;
		sn->procs[i].nanon = s->cache[i].nanon;
		sn->procs[i].marks = s->cache[i].marks;
		sn->procs[i].tally = s->cache[i].tally;
	}
}

int
sampler_tick(struct sampler *s, const struct tick_policy *pol,
    const struct read_plan *plan, const struct snapshot **out,
    const char **cause)
{
	struct proc_sample	*procs;
	struct proc_cache	*t;
	struct snapshot		*sn = &s->snap;
	size_t			 n, i, ci = 0, nnew = 0;
	double			 mono, boot;

	s->procs = NULL;	/* until this tick is taken */
	if (procscan_cheap(s->scan, &procs, &n, cause) != 0)
		return -1;
	timing_phase("scan");
	mono = clock_mono();
	boot = clock_boot();
	names_sweep(s->names, mono);
	sn->time = clock_real();
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
			cache_entry_free(s, &s->cache[ci++]);
		if (ci < s->ncache && s->cache[ci].pid == procs[i].pid &&
		    s->cache[ci].start == procs[i].start) {
			*c = s->cache[ci++];
			c->fresh = false;
			place_check(s, c, mono, boot);
			continue;
		}
		if (ci < s->ncache && s->cache[ci].pid == procs[i].pid)
			cache_entry_free(s, &s->cache[ci++]);	/* pid reused */
		memset(c, 0, sizeof *c);
		c->pid = procs[i].pid;
		c->start = procs[i].start;
		c->rollup_mono = -1;
		c->fresh = true;
		c->nmaps = c->nanon = -1;
		for (k = 0; k < FIG__COUNT; k++)
			c->rollup[k] = c->cheap_at_rollup[k] = FIG_NA;
		c->place = read_place(s, procs[i].pid);
		place_schedule(s, c, mono, boot);
		s->sel[nnew++] = &procs[i];
	}
	while (ci < s->ncache)
		cache_entry_free(s, &s->cache[ci++]);
	t = s->cache;
	s->cache = s->next;
	s->next = t;
	s->ncache = n;
	/* the arrays follow the processes on the node now (after a spike) */
	if (s->cap > 256 && n < s->cap / 2) {
		s->cap = n + n / 4 + 64;
		s->next = xreallocarray(s->next, s->cap, sizeof *s->next);
		s->cache = xreallocarray(s->cache, s->cap, sizeof *s->cache);
	}

	/* new processes: cmdline (procscan_ident) */
	procscan_ident(s->scan, s->sel, nnew);
	for (i = 0; i < nnew; i++) {
		struct proc_sample	*p = s->sel[i];
		struct proc_cache	*c = &s->cache[p - procs];

		c->cmdline = p->cmdline;
		p->cmdline = NULL;
	}
	timing_phase("match");
	tick_names(s, procs, n);
	timing_phase("names");
	tick_rollups(s, pol, plan, procs, n, mono);
	timing_phase("rollups");
	s->procs = procs;

	if (n > s->snap_cap || (s->snap_cap > 256 && n < s->snap_cap / 2)) {
		s->snap_cap = n + n / 4 + 64;
		sn->procs = xreallocarray(sn->procs, s->snap_cap,
		    sizeof *sn->procs);
	}
	sn->nprocs = n;
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
			if (fig_table[k].tier == FIG_TIER_CHEAP)
				sp->fig[k] = procs[i].fig[k];
	}
	snap_rollups(s, mono);
	snap_maps(s);
	smaps_slots_tick(&s->slots, s->proc_root, plan, sn, mono);
	timing_phase("snap");
	tick_cgroups(s, pol);
	timing_phase("cgroups");
	nodemem_read(s->mem, &sn->mem_total, &sn->mem_available);
	timing_phase("meminfo");
	*out = sn;
	return 0;
}

int
sampler_tick_more(struct sampler *s, const struct tick_policy *pol,
    const struct read_plan *plan)
{
	if (s->procs == NULL)
		return -1;
	tick_rollups(s, pol, plan, s->procs, s->snap.nprocs, s->snap.mono);
	snap_rollups(s, s->snap.mono);
	snap_maps(s);
	return 0;
}
