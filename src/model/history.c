#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/history.h"
#include "model/tree.h"
#include "util/hash.h"
#include "util/xmalloc.h"

struct history {
	struct hist_ent	**bucket;
	size_t		  nbucket;
	size_t		  nent;
	uint32_t	  cap;
	uint32_t	  window;
	unsigned	  ghost_ticks;	/* an exited process stays this long */
	unsigned long	  tick;
	struct hist_ghost *ghosts;
	size_t		  nghosts;
	size_t		  ghost_cap;
	double		  mono;
	double		  real;		/* epoch of the refresh */
	bool		  amend;	/* history_amend: replace the newest */
};

/* A process's last snapshot and place, kept to show it once it exited. */
struct hist_ghostd {
	struct hist_ent		*owner;
	struct snap_proc	 sp;
	struct cg_place		 place;
};

struct history *
history_create(uint32_t cap, uint32_t window)
{
	struct history	*h = xcalloc(1, sizeof *h);

	h->cap = cap ? cap : 1;
	h->ghost_ticks = HISTORY_GHOST_TICKS;
	h->window = window ? window : 1;
	h->nbucket = 256;
	h->bucket = xcalloc(h->nbucket, sizeof *h->bucket);
	return h;
}

static void
ent_free(struct hist_ent *e)
{
	int	k;

	for (k = 0; k < HF__COUNT; k++)
		ring_done(&e->ring[k]);
	free(e->key);
	free(e->ghost_gid);
	free(e->ghost_ctr);
	free(e->ghost);
	free(e->restart_from);
	free(e->restart_to);
	free(e);
}

void
history_free(struct history *h)
{
	size_t		 i;
	struct hist_ent	*e, *next;

	if (h == NULL)
		return;
	for (i = 0; i < h->nbucket; i++) {
		for (e = h->bucket[i]; e != NULL; e = next) {
			next = e->next;
			ent_free(e);
		}
	}
	free(h->bucket);
	free(h->ghosts);
	free(h);
}

static void
rehash(struct history *h)
{
	size_t		  n = h->nbucket * 4, i;
	struct hist_ent	**b = xcalloc(n, sizeof *b), *e, *next;

	for (i = 0; i < h->nbucket; i++) {
		for (e = h->bucket[i]; e != NULL; e = next) {
			size_t	j = hash_str(e->key) & (n - 1);

			next = e->next;
			e->next = b[j];
			b[j] = e;
		}
	}
	free(h->bucket);
	h->bucket = b;
	h->nbucket = n;
}

static struct hist_ent *
get(struct history *h, const char *key)
{
	size_t		 i = hash_str(key) & (h->nbucket - 1);
	struct hist_ent	*e;
	int		 k;

	for (e = h->bucket[i]; e != NULL; e = e->next) {
		if (strcmp(e->key, key) == 0) {
			e->seen = h->tick;
			return e;
		}
	}
	e = xcalloc(1, sizeof *e);
	e->key = xstrdup(key);
	e->is_proc = ent_id_kind(key) == ENT_PROCESS;
	e->seen = h->tick;
	e->born = h->mono;
	e->born_tick = h->tick;
	e->born_real = h->real;
	e->restarts = -1;
	e->restart_push = -1;
	for (k = 0; k < HF__COUNT; k++) {
		ring_init(&e->ring[k], h->cap);
		e->first[k] = e->min[k] = FIG_NA;
		e->max[k] = 0;
	}
	e->next = h->bucket[i];
	h->bucket[i] = e;
	if (++h->nent > h->nbucket * 2)
		rehash(h);
	return e;
}

/*
 * Gives back an entity's samples (it exited, or its group has only exited
 * processes left): a burst of pods that come and go leaves nothing behind
 * but the few entity records shown dimmed for a while. first/min/max stay.
 */
static void
release(struct hist_ent *e)
{
	int	k;

	for (k = 0; k < HF__COUNT; k++)
		ring_done(&e->ring[k]);
}

void
history_set_ghost_ticks(struct history *h, unsigned ticks)
{
	h->ghost_ticks = ticks;
}

const struct hist_ghost *
history_begin(struct history *h, const struct snapshot *sn, size_t *nghosts)
{
	char		 key[ENT_PROC_ID_MAX];
	size_t		 i;
	struct hist_ent	**ep, *e;

	h->tick++;
	h->mono = sn->mono;
	h->real = sn->time;
	for (i = 0; i < sn->nprocs; i++)
		get(h, ent_id_process(key, sizeof key, sn->boot_id,
		    sn->procs[i].pid, sn->procs[i].start));
	h->nghosts = 0;
	for (i = 0; i < h->nbucket; i++) {
		for (ep = &h->bucket[i]; (e = *ep) != NULL;) {
			unsigned long	age = h->tick - e->seen;

			if (age == 0) {
				ep = &e->next;
				continue;
			}
			/* groups are seen in history_update: one tick later */
			if (age > (e->is_proc ? h->ghost_ticks :
			    h->ghost_ticks > 1 ? h->ghost_ticks : 1) ||
			    (e->is_proc && e->ghost_gid == NULL)) {
				*ep = e->next;
				ent_free(e);
				h->nent--;
				continue;
			}
			if (e->is_proc) {
				/* an exited process keeps no samples */
				release(e);
				if (h->nghosts == h->ghost_cap) {
					h->ghost_cap = h->ghost_cap * 2 + 16;
					h->ghosts = xreallocarray(h->ghosts,
					    h->ghost_cap, sizeof *h->ghosts);
				}
				h->ghosts[h->nghosts].sp = &e->ghost->sp;
				h->ghosts[h->nghosts].gid = e->ghost_gid;
				h->ghosts[h->nghosts].gkind = e->ghost_gkind;
				h->ghosts[h->nghosts].ctr_id = e->ghost_ctr;
				h->nghosts++;
			}
			ep = &e->next;
		}
	}
	*nghosts = h->nghosts;
	return h->ghosts;
}

/*
 * Pushes one sample of every figure (history_amend: replaces the newest)
 * and computes growth into st.
 */
static void
push(struct history *h, struct hist_ent *e, const uint64_t *fig,
    const struct fig_sum *sum, struct tree_stats *st)
{
	int		k;
	uint64_t	v, anon, wmin;
	bool		amend = h->amend && e->pushes > 0;

	if (!amend)
		e->pushes++;
	for (k = 0; k < HF__COUNT; k++) {
		v = k == HF_CHARGE ? st->charge : k == HF_WSET ? st->wset :
		    fig_get(sum, fig, k).v;
		if (amend)
			ring_amend(&e->ring[k], v);
		else
			ring_push(&e->ring[k], v);
		if (v == FIG_NA)
			continue;
		if (e->first[k] == FIG_NA)
			e->first[k] = v;
		if (e->min[k] == FIG_NA || v < e->min[k])
			e->min[k] = v;
		if (v > e->max[k])
			e->max[k] = v;
	}
	st->hist = e;
	anon = ring_get(&e->ring[FIG_RSS_ANON], 0);
	if (e->since == 0 && anon != FIG_NA)
		e->since = h->real;
	if (anon == FIG_NA) {
		st->growth = st->growth_win = 0;
		return;
	}
	/* exact current value, not the 16-bit sample */
	anon = sum != NULL ? sum->v[FIG_RSS_ANON] : fig[FIG_RSS_ANON];
	st->growth = (int64_t)(anon - e->min[FIG_RSS_ANON]);
	/* while the window reaches back before launch: the seeded minimum,
	   and only the live part of the ring (its seeded part is coarser) */
	if (e->seed_left > 0 && !amend)
		e->seed_left--;
	wmin = ring_min(&e->ring[FIG_RSS_ANON], h->window - e->seed_left);
	if (e->seed_left > 0 && e->seed_win_min < wmin)
		wmin = e->seed_win_min;
	st->growth_win = wmin == FIG_NA || wmin > anon ? 0 :
	    (int64_t)(anon - wmin);
}

static void
remember_ghost(struct hist_ent *e, const struct snap_proc *sp,
    const struct tree_group *g, const struct tree_ctr *c)
{
	struct hist_ghostd	*gd = e->ghost;

	if (gd == NULL) {
		gd = e->ghost = xmalloc(sizeof *gd);
		gd->owner = e;
	}
	gd->sp = *sp;
	gd->sp.cmdline = NULL;
	gd->sp.ctr_names = NULL;
	gd->sp.pod_names = NULL;
	gd->sp.env = NULL;
	gd->sp.place = NULL;
	if (sp->place != NULL) {
		cg_place_copy(&gd->place, sp->place);
		gd->sp.place = &gd->place;
	}
	e->ghost_gkind = g->kind;
	if (e->ghost_gid == NULL || strcmp(e->ghost_gid, g->ident) != 0) {
		free(e->ghost_gid);
		e->ghost_gid = xstrdup(g->ident);
	}
	if (e->ghost_ctr == NULL || strcmp(e->ghost_ctr, c->ctr_id) != 0) {
		free(e->ghost_ctr);
		e->ghost_ctr = xstrdup(c->ctr_id);
	}
}

/*
 * One sample of a group's or container's sums into its entity, or, when
 * only exited processes are left in it, its samples given back.
 */
static void
push_sum(struct history *h, const char *ident, const struct fig_sum *sum,
    struct tree_stats *st)
{
	struct hist_ent	*e = get(h, ident);

	if (sum->n > 0) {
		push(h, e, NULL, sum, st);
		return;
	}
	release(e);
	st->hist = e;
}

void
history_update(struct history *h, struct tree *t)
{
	size_t	gi, ci, pi;

	for (gi = 0; gi < t->ngroups; gi++) {
		struct tree_group	*g = &t->groups[gi];

		push_sum(h, g->ident, &g->sum, &g->st);
		for (ci = 0; ci < g->nctrs; ci++) {
			struct tree_ctr	*c = &g->ctrs[ci];

			/* a group that is a container: one entity */
			if (strcmp(c->ident, g->ident) == 0)
				c->st = g->st;
			else
				push_sum(h, c->ident, &c->sum, &c->st);
			for (pi = 0; pi < c->nprocs; pi++) {
				struct tree_proc	*p = &c->procs[pi];
				struct hist_ent		*e;

				if (p->gone) {
					/* a ghost: keep its last growth */
					e = ((const struct hist_ghostd *)(const void *)
					    ((const char *)p->sp - offsetof(
					    struct hist_ghostd, sp)))->owner;
					p->st.hist = e;
					continue;
				}
				e = get(h, p->ident);
				p->st.charge = FIG_NA;
				push(h, e, p->sp->fig, NULL, &p->st);
				/* only where ghosts are shown (the dashboard) */
				if (!p->sp->kthread && h->ghost_ticks > 0)
					remember_ghost(e, p->sp, g, c);
			}
		}
	}
}

void
history_amend(struct history *h, struct tree *t)
{
	h->amend = true;
	history_update(h, t);
	h->amend = false;
}

/* Whether seed sd holds figure k. */
#define SEED_HAS(sd, k)	((sd)->figs == 0 || (((sd)->figs >> (k)) & 1u))

void
history_seed(struct history *h, const char *ident, const struct hist_seed *sd)
{
	size_t		 bi = hash_str(ident) & (h->nbucket - 1), i;
	struct hist_ent	*e;
	int		 k;

	for (e = h->bucket[bi]; e != NULL; e = e->next)
		if (strcmp(e->key, ident) == 0)
			return;
	e = get(h, ident);
	for (k = 0; k < HF__COUNT; k++) {
		if (!SEED_HAS(sd, k))
			continue;
		e->first[k] = sd->first[k];
		e->min[k] = sd->min[k];
		e->max[k] = sd->max[k] == FIG_NA ? 0 : sd->max[k];
	}
	e->seed_win_min = sd->win_min;
	e->seed_left = sd->win_min == FIG_NA ? 0 : h->window;
	for (i = sd->nsamples > h->cap ? sd->nsamples - h->cap : 0;
	    i < sd->nsamples; i++) {
		if (sd->codes[(size_t)FIG_RSS_ANON * sd->nsamples + i] !=
		    RING_NA) {
			e->since = sd->t0 + (double)i * sd->step;
			break;
		}
	}
	for (k = 0; k < HF__COUNT; k++)
		if (SEED_HAS(sd, k))
			ring_fill(&e->ring[k], sd->codes +
			    (size_t)k * sd->nsamples, sd->nsamples);
	e->pushes = e->ring[FIG_RSS_ANON].n;
	e->seed_t0 = sd->t0;
	e->seed_step = sd->step;
	e->seed_n = sd->step > 0 ? sd->nsamples : 0;
	e->seed_push0 = (long)e->pushes - (long)sd->nsamples;
	e->restarts = sd->restarts;
	if (sd->restarts <= 0 || sd->restart_from == NULL ||
	    sd->restart_to == NULL)
		return;
	e->restarted_at = sd->restarted_at;
	e->restart_from = xstrdup(sd->restart_from);
	e->restart_to = xstrdup(sd->restart_to);
	/* the samples kept are the newest pushes of nsamples */
	if (sd->restart_sample < sd->nsamples &&
	    sd->nsamples - sd->restart_sample <= e->pushes)
		e->restart_push = (long)(e->pushes -
		    (sd->nsamples - sd->restart_sample));
}

void
history_seed_more(struct history *h, const char *ident,
    const struct hist_seed *sd)
{
	struct hist_ent	*e = history_find(h, ident);
	struct ring	 nr;
	uint32_t	 i;
	int		 k;

	if (e == NULL)
		return;
	for (k = 0; k < HF__COUNT; k++) {
		if (sd->figs == 0 || !SEED_HAS(sd, k))
			continue;
		/* the seeded slots, then what was pushed live since */
		ring_init(&nr, h->cap);
		ring_fill(&nr, sd->codes + (size_t)k * sd->nsamples,
		    sd->nsamples);
		for (i = e->ring[k].n; i-- > 0;)
			ring_push(&nr, ring_get(&e->ring[k], i));
		ring_done(&e->ring[k]);
		e->ring[k] = nr;
		if (sd->first[k] != FIG_NA)
			e->first[k] = sd->first[k];
		if (sd->min[k] != FIG_NA && (e->min[k] == FIG_NA ||
		    sd->min[k] < e->min[k]))
			e->min[k] = sd->min[k];
		if (sd->max[k] != FIG_NA && sd->max[k] > e->max[k])
			e->max[k] = sd->max[k];
	}
}

struct hist_ent *
history_find(struct history *h, const char *ident)
{
	struct hist_ent	*e;

	for (e = h->bucket[hash_str(ident) & (h->nbucket - 1)]; e != NULL;
	    e = e->next)
		if (strcmp(e->key, ident) == 0)
			return e;
	return NULL;
}

long
history_restart_back(const struct hist_ent *e)
{
	unsigned long	back;

	if (e == NULL || e->restart_push < 0)
		return -1;
	back = e->pushes - 1 - (unsigned long)e->restart_push;
	return back < e->ring[FIG_RSS_ANON].n ? (long)back : -1;
}

void
history_restart(struct history *h, struct hist_ent *e, const char *from,
    const struct hist_ent *to, int n)
{
	unsigned long	live;
	double		at;

	if (n > e->restarts)
		e->restarts = n;
	/* its first refresh's moment; seeded before the first refresh: its
	   first known sample */
	if (to->born_tick > 0)
		at = to->born_real;
	else
		at = to->since > 0 ? to->since : h->real;
	if (e->restart_from != NULL && e->restarted_at >= at)
		return;
	free(e->restart_from);
	free(e->restart_to);
	e->restart_from = xstrdup(from);
	e->restart_to = xstrdup(to->key);
	e->restarted_at = at;
	/* the refreshes since to's first, each one push of e */
	live = h->tick - to->born_tick + 1;
	e->restart_push = e->pushes >= live ? (long)(e->pushes - live) : 0;
}

/* "container 0123456789ab" of "ctr:0123…", "pod 0123…" of "pod:…". */
static void
short_ident(const char *ident, char *buf, size_t len)
{
	const char	*c = strchr(ident, ':');
	bool		 pod = strncmp(ident, "pod:", 4) == 0;

	snprintf(buf, len, "%s %.12s", pod ? "pod" : "container",
	    c != NULL ? c + 1 : ident);
}

void
history_restart_text(const struct hist_ent *e, const char *arrow, char *buf,
    size_t len)
{
	char		 from[48], to[48], when[32];
	time_t		 t;
	struct tm	 tm;

	buf[0] = '\0';
	if (e == NULL || e->restart_from == NULL)
		return;
	t = (time_t)e->restarted_at;
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%H:%M", &tm);
	short_ident(e->restart_from, from, sizeof from);
	short_ident(e->restart_to, to, sizeof to);
	/* same kind: name it once ("container a -> b") */
	if (strncmp(from, to, strcspn(from, " ")) == 0)
		snprintf(buf, len, "restarted at %s (%s %s %s)", when, from,
		    arrow, to + strcspn(to, " ") + 1);
	else
		snprintf(buf, len, "restarted at %s (%s %s %s)", when, from,
		    arrow, to);
}

/* A sample of p at epoch t into e's figure: min, max, the window's min. */
static void
past_take(struct hist_ent *e, const struct hist_past *p, uint64_t v,
    double t, uint64_t *wmin)
{
	if (v == FIG_NA)
		return;
	if (e->min[p->fig] == FIG_NA || v < e->min[p->fig])
		e->min[p->fig] = v;
	if (v > e->max[p->fig])
		e->max[p->fig] = v;
	if (t >= p->win_from && (*wmin == FIG_NA || v < *wmin))
		*wmin = v;
}

/*
 * The unknown slots history_seed gave at or after the entity's first
 * RssAnon sample (a gap in the store) that p has a sample for: set, the
 * ring rebuilt once. Returns how many.
 */
static size_t
fill_gaps(struct history *h, struct hist_ent *e, const struct hist_past *p,
    uint64_t *wmin)
{
	struct ring	*r = &e->ring[p->fig];
	uint64_t	*v, x;
	uint32_t	 rn = r->n, i;
	size_t		 si, n = 0;
	long		 push;
	unsigned long	 back;
	double		 t, j;

	if (e->seed_n == 0 || e->since == 0 || rn == 0)
		return 0;
	v = xcalloc(rn, sizeof *v);	/* oldest first */
	for (i = 0; i < rn; i++)
		v[i] = ring_get(r, rn - 1 - i);
	for (si = 0; si < e->seed_n; si++) {
		push = e->seed_push0 + (long)si;
		t = e->seed_t0 + (double)si * e->seed_step;
		if (push < 0 || t < e->since - e->seed_step / 2)
			continue;
		back = e->pushes - 1 - (unsigned long)push;
		if (back >= rn || v[rn - 1 - back] != FIG_NA)
			continue;
		/* the nearest sample (truncation is floor: j >= 0) */
		j = (t - p->t0) / p->step + 0.5;
		if (j < 0 || j >= (double)p->n ||
		    (x = p->v[(size_t)j]) == FIG_NA)
			continue;
		v[rn - 1 - back] = x;
		past_take(e, p, x, t, wmin);
		n++;
	}
	if (n > 0) {
		ring_done(r);
		ring_init(r, h->cap);
		for (i = 0; i < rn; i++)
			ring_push(r, v[i]);
	}
	free(v);
	return n;
}

/*
 * The samples of p before the entity's own first, before the rest of its
 * ring (whose unknown leading samples go). Returns how many.
 */
static size_t
fill_before(struct history *h, struct hist_ent *e, const struct hist_past *p,
    uint64_t *wmin)
{
	struct ring	 nr, *r = &e->ring[p->fig];
	uint32_t	 lead, i, nlive;
	size_t		 j, n, first = SIZE_MAX;

	for (j = 0; j < p->n; j++) {
		if (e->since > 0 && p->t0 + (double)j * p->step >
		    e->since - p->step / 2)
			break;
		if (p->v[j] != FIG_NA && first == SIZE_MAX)
			first = j;
	}
	n = j;
	if (first == SIZE_MAX)
		return 0;
	for (lead = 0; lead < r->n && ring_get(r, r->n - 1 - lead) == FIG_NA;)
		lead++;
	nlive = r->n - lead;
	ring_init(&nr, h->cap);
	for (j = first; j < n; j++)
		ring_push(&nr, p->v[j]);
	for (i = nlive; i-- > 0;)
		ring_push(&nr, ring_get(r, i));
	ring_done(r);
	*r = nr;
	for (j = first; j < n; j++)
		past_take(e, p, p->v[j], p->t0 + (double)j * p->step, wmin);
	e->first[p->fig] = p->v[first];
	if (p->fig == FIG_RSS_ANON) {
		e->since = p->t0 + (double)first * p->step;
		if (*wmin != FIG_NA && h->window > nlive &&
		    e->seed_left < h->window - nlive)
			e->seed_left = h->window - nlive;
	}
	return n - first;
}

size_t
history_backfill(struct history *h, const char *ident,
    const struct hist_past *p)
{
	struct hist_ent	*e = get(h, ident);
	uint64_t	 wmin = FIG_NA;
	bool		 unset = e->seed_left == 0;	/* no seeded min */
	size_t		 n;

	n = fill_gaps(h, e, p, &wmin);
	n += fill_before(h, e, p, &wmin);
	if (p->fig == FIG_RSS_ANON && wmin != FIG_NA &&
	    (unset || wmin < e->seed_win_min))
		e->seed_win_min = wmin;
	return n;
}

size_t
history_heap(const struct history *h, size_t *nents)
{
	size_t		 i, total = 0;
	struct hist_ent	*e;
	int		 k;

	for (i = 0; i < h->nbucket; i++) {
		for (e = h->bucket[i]; e != NULL; e = e->next) {
			total += sizeof *e + strlen(e->key) + 1;
			for (k = 0; k < HF__COUNT; k++)
				total += ring_heap(&e->ring[k]);
		}
	}
	if (nents != NULL)
		*nents = h->nent;
	return total;
}

size_t
history_entity_max(uint32_t cap)
{
	return sizeof(struct hist_ent) + (size_t)cap * 2 * HF__COUNT;
}


double
history_since(const struct history *h, const char *ident)
{
	const struct hist_ent	*e;

	for (e = h->bucket[hash_str(ident) & (h->nbucket - 1)]; e != NULL;
	    e = e->next)
		if (strcmp(e->key, ident) == 0)
			return e->since;
	return 0;
}
