#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/refresh.h"
#include "model/restart.h"
#include "util/clock.h"
#include "util/memtrim.h"
#include "util/timing.h"
#include "util/xmalloc.h"

struct refresh {
	struct sampler		*s;
	struct refresh_opts	 o;
	struct tick_policy	 pol;
	struct history		*h;
	struct restart_watch	*rw;
	bool			 amend;		/* visible_first: complete the
						   first sample until every
						   process was read */
	bool			 catching_up;	/* visible_first: the first
						   processes are not all read
						   yet */
	long			 done;
	double			 seconds;
};

struct refresh *
refresh_create(struct sampler *s, const struct refresh_opts *o)
{
	struct refresh	*r = xcalloc(1, sizeof *r);

	r->s = s;
	r->o = *o;
	/* the first refresh reads everything, or what the plan wants now */
	r->pol.rollup_all = !o->visible_first;
	r->pol.plan_only = o->visible_first;
	r->pol.max_age = o->max_age;
	r->pol.budget_ms = o->budget_ms;
	r->pol.read_maps = true;
	r->catching_up = o->visible_first;
	r->h = history_create(o->history,
	    (uint32_t)(o->window / o->interval + 0.5));
	if (o->no_ghosts)
		history_set_ghost_ticks(r->h, 0);
	r->rw = restart_create();
	return r;
}

void
refresh_free(struct refresh *r)
{
	if (r == NULL)
		return;
	history_free(r->h);
	restart_free(r->rw);
	free(r);
}

/* A refresh's second half, on the snapshot taken: tree, history, sort. */
static void
refresh_end(struct refresh *r, const struct snapshot *nsn,
    const struct hist_ghost *ghosts, size_t nghosts, struct tree *t,
    double t0)
{
	tree_build(t, nsn, &r->o.topts, ghosts, nghosts);
	timing_phase("tree");
	if (r->o.hook != NULL)
		r->o.hook(r->o.hook_ctx, nsn, t, r->h);
	timing_phase("hook");
	if (r->amend)
		history_amend(r->h, t);
	else
		history_update(r->h, t);
	timing_phase("history");
	/*
	 * The first screen's refreshes and the catch-up: one sample. After
	 * it, processes that arrive are read a few per refresh (a burst of
	 * pods spread over refreshes), each refresh its own sample.
	 */
	if (r->catching_up && !r->pol.plan_only && nsn->rollup_unread == 0)
		r->catching_up = false;
	r->amend = r->o.visible_first && (r->pol.plan_only ||
	    r->catching_up);
	r->pol.cap_new = !r->catching_up;
	restart_update(r->rw, r->h, t, nsn->time);
	timing_phase("restarts");
	r->seconds = clock_mono() - t0;
	if (r->o.sort != NULL)
		tree_sort(t, r->o.sort);
	timing_phase("sort");
	r->done++;
}

int
refresh_next(struct refresh *r, const struct read_plan *plan, struct tree *t,
    const struct snapshot **sn, const char **cause)
{
	const struct hist_ghost	*ghosts;
	const struct snapshot	*nsn;
	size_t			 nghosts;
	double			 t0 = clock_mono();

	/* what the last refresh's consumers freed, after a spike: back */
	mem_give_back(t0);
	timing_phase("give-back");
	if (sampler_tick(r->s, &r->pol, plan, &nsn, cause) != 0)
		return -1;
	r->pol.rollup_all = false;
	ghosts = history_begin(r->h, nsn, &nghosts);
	timing_phase("ghosts");
	refresh_end(r, nsn, ghosts, nghosts, t, t0);
	*sn = nsn;
	return 0;
}

int
refresh_first(struct refresh *r, refresh_want_fn want, void *ctx,
    struct tree *t, const struct snapshot **sn, const char **cause)
{
	const struct hist_ghost	*ghosts;
	const struct snapshot	*nsn;
	struct read_plan	 plan;
	struct proc_ref		*refs = NULL;
	size_t			 nghosts;
	double			 t0 = clock_mono();

	if (sampler_tick(r->s, &r->pol, NULL, &nsn, cause) != 0)
		return -1;
	ghosts = history_begin(r->h, nsn, &nghosts);
	timing_phase("ghosts");
	/* the tree of the cheap tier, sorted: what the caller would show */
	tree_build(t, nsn, &r->o.topts, ghosts, nghosts);
	if (r->o.sort != NULL)
		tree_sort(t, r->o.sort);
	memset(&plan, 0, sizeof plan);
	plan.nfresh = plan.nnow = want(ctx, t, &refs);
	plan.fresh = refs;
	tree_done(t);
	timing_phase("first-tree");
	sampler_tick_more(r->s, &r->pol, &plan);
	free(refs);
	timing_phase("first-rollups");
	refresh_end(r, nsn, ghosts, nghosts, t, t0);
	*sn = nsn;
	return 0;
}

void
refresh_catch_up(struct refresh *r)
{
	r->pol.plan_only = false;
}

bool
refresh_catching_up(const struct refresh *r)
{
	return r->catching_up;
}

long
refresh_count(const struct refresh *r)
{
	return r->done;
}

double
refresh_seconds(const struct refresh *r)
{
	return r->seconds;
}

struct history *
refresh_history(struct refresh *r)
{
	return r->h;
}
