#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/tree.h"
#include "util/xmalloc.h"

/* One process's place in the tree, before grouping. */
struct leaf {
	const struct snap_proc	*sp;
	char			*gkey;
	char			 ckey[K8S_ID_MAX];
};

static int	sort_fig_g;

void
fig_sum_add(struct fig_sum *s, const uint64_t *fig)
{
	int	k;

	for (k = 0; k < FIG__COUNT; k++) {
		if (fig[k] == FIG_NA)
			s->na[k]++;
		else
			s->v[k] += fig[k];
	}
}

int
tree_group_by_parse(const char *s)
{
	static const char *const names[] = { "pod", "container", "namespace",
	    "cgroup" };
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* The pod a process belongs to: its cgroup's, or its conmon's container's. */
static const char *
leaf_pod_uid(const struct snap_proc *sp)
{
	const struct cg_class	*c = &sp->place->cls;

	if (c->pod_uid[0] != '\0')
		return c->pod_uid;
	if (c->conmon_of[0] != '\0' && sp->ctr_names != NULL)
		return sp->ctr_names->pod_uid;
	return "";
}

static const char *
leaf_namespace(const struct snap_proc *sp)
{
	if (sp->ctr_names != NULL && sp->ctr_names->namespace[0] != '\0')
		return sp->ctr_names->namespace;
	if (sp->pod_names != NULL && sp->pod_names->namespace[0] != '\0')
		return sp->pod_names->namespace;
	return "?";
}

static void
leaf_keys(struct leaf *l, enum tree_group_by by)
{
	const struct cg_place	*pl = l->sp->place;
	const struct cg_class	*c;
	const char		*uid;

	l->ckey[0] = '\0';
	if (pl == NULL) {
		l->gkey = xstrdup("?");
		return;
	}
	c = &pl->cls;
	uid = leaf_pod_uid(l->sp);
	/* a conmon belongs with the container it watches */
	snprintf(l->ckey, sizeof l->ckey, "%s", c->ctr_id[0] != '\0' ?
	    c->ctr_id : c->conmon_of);
	if (by == TREE_BY_CGROUP) {
		l->gkey = xasprintf("%d:%s", (int)pl->hier, pl->path);
		return;
	}
	if (by == TREE_BY_CONTAINER && l->ckey[0] != '\0') {
		l->gkey = xasprintf("ctr:%s", l->ckey);
		return;
	}
	if (by == TREE_BY_NAMESPACE && uid[0] != '\0') {
		l->gkey = xasprintf("ns:%s", leaf_namespace(l->sp));
		return;
	}
	if (uid[0] != '\0') {
		l->gkey = xasprintf("pod:%s", uid);
		return;
	}
	l->gkey = xasprintf("%d:%.*s", (int)pl->hier, (int)c->unit_end,
	    pl->path);
	if (c->kind != CG_KIND_CONTAINER)
		l->ckey[0] = '\0';
}

static int
leaf_cmp(const void *a, const void *b)
{
	const struct leaf	*x = a, *y = b;
	int			 c = strcmp(x->gkey, y->gkey);

	if (c != 0)
		return c;
	c = strcmp(x->ckey, y->ckey);
	if (c != 0)
		return c;
	return (x->sp->pid > y->sp->pid) - (x->sp->pid < y->sp->pid);
}

static uint64_t
sort_value(const struct fig_sum *s)
{
	uint64_t	v = s->v[sort_fig_g];

	return v;
}

static int
group_cmp(const void *a, const void *b)
{
	const struct tree_group	*x = a, *y = b;
	uint64_t		 vx, vy;

	/* pods first, then the rest */
	if ((x->kind == CG_KIND_POD) != (y->kind == CG_KIND_POD))
		return x->kind == CG_KIND_POD ? -1 : 1;
	vx = sort_value(&x->sum);
	vy = sort_value(&y->sum);
	if (vx != vy)
		return vx > vy ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int
ctr_cmp(const void *a, const void *b)
{
	const struct tree_ctr	*x = a, *y = b;
	uint64_t		 vx = sort_value(&x->sum), vy = sort_value(&y->sum);

	if (vx != vy)
		return vx > vy ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
proc_cmp(const void *a, const void *b)
{
	const struct snap_proc	*x = *(const struct snap_proc *const *)a;
	const struct snap_proc	*y = *(const struct snap_proc *const *)b;
	uint64_t		 vx = x->fig[sort_fig_g], vy = y->fig[sort_fig_g];

	/* unknown sorts last */
	if (vx != vy) {
		if (vx == FIG_NA)
			return 1;
		if (vy == FIG_NA)
			return -1;
		return vx > vy ? -1 : 1;
	}
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * Sets the group's cgroup attributes from leaf l. Called for the first leaf,
 * and again for the first one that really sits in the pod's cgroup (a conmon
 * outside the pod may come first).
 */
static void
group_place(struct tree_group *g, const struct leaf *l,
    const struct snapshot *sn, enum tree_group_by by)
{
	const struct cg_place	*pl = l->sp->place;
	size_t			 end;

	free(g->cgroup);
	g->cgroup = NULL;
	g->kind = CG_KIND_OTHER;
	g->kind_name = "other";
	if (pl == NULL)
		return;
	g->kind = pl->cls.kind;
	g->hier = pl->hier;
	g->qos = pl->cls.qos;
	memcpy(g->pod_uid, leaf_pod_uid(l->sp), sizeof g->pod_uid);
	g->in_pod_cgroup = pl->cls.pod_uid[0] != '\0';
	if (g->pod_uid[0] != '\0')
		g->kind = CG_KIND_POD;
	g->kind_name = k8s_kind_name(g->kind);
	end = pl->cls.unit_end;
	if (by == TREE_BY_CGROUP)
		end = strlen(pl->path);
	else if (strncmp(l->gkey, "ctr:", 4) == 0) {
		g->kind_name = "container";
		end = pl->cls.ctr_end ? pl->cls.ctr_end : pl->cls.unit_end;
	} else if (strncmp(l->gkey, "ns:", 3) == 0) {
		g->kind_name = "namespace";
		g->pod_uid[0] = '\0';
		g->qos = CG_QOS_NONE;
		g->mem = NULL;
		return;	/* a namespace has no cgroup of its own */
	}
	g->cgroup = xstrndup(pl->path, end);
	g->mem = snapshot_cgroup(sn, pl->hier, pl->path, end);
}

static void
group_init(struct tree_group *g, const struct leaf *l,
    const struct snapshot *sn, enum tree_group_by by)
{
	memset(g, 0, sizeof *g);
	g->key = xstrdup(l->gkey);
	group_place(g, l, sn, by);
}

/* Pod and namespace names: the runtime's, else kubelet's logs, else HOSTNAME. */
static void
group_names(struct tree_group *g, const struct snap_proc *sp)
{
	const struct rt_names	*n = NULL;

	if (sp->ctr_names != NULL && sp->ctr_names->pod[0] != '\0')
		n = sp->ctr_names;
	else if (sp->pod_names != NULL && sp->pod_names->pod[0] != '\0')
		n = sp->pod_names;
	if (n == NULL || (g->pod != NULL && g->name_source <= n->source))
		return;
	g->pod = n->pod;
	g->namespace = n->namespace[0] != '\0' ? n->namespace : NULL;
	g->name_source = n->source;
}

static void
ctr_init(struct tree_ctr *c, const struct leaf *l, const struct snapshot *sn)
{
	const struct cg_place	*pl = l->sp->place;
	size_t			 end;

	memset(c, 0, sizeof *c);
	memcpy(c->id, l->ckey, sizeof c->id);
	if (pl == NULL)
		return;
	if (l->sp->ctr_names != NULL) {
		const struct rt_names *n = l->sp->ctr_names;

		c->name = n->container[0] != '\0' ? n->container : NULL;
		c->pod = n->pod[0] != '\0' ? n->pod : NULL;
		c->sandbox = n->sandbox;
	}
	c->runtime = l->ckey[0] != '\0' ? pl->cls.runtime : CG_RT_NONE;
	end = pl->cls.ctr_end != 0 && pl->cls.ctr_id[0] != '\0' ?
	    pl->cls.ctr_end : pl->cls.unit_end;
	c->cgroup = xstrndup(pl->path, end);
	c->mem = snapshot_cgroup(sn, pl->hier, pl->path, end);
}

void
tree_build(struct tree *t, const struct snapshot *sn,
    const struct tree_opts *opts)
{
	struct leaf		*leaves = xcalloc(sn->nprocs ? sn->nprocs : 1,
				    sizeof *leaves);
	size_t			 i, n = 0, gi, ci;
	struct tree_group	*g = NULL;
	struct tree_ctr		*c = NULL;

	memset(t, 0, sizeof *t);
	sort_fig_g = opts->sort_fig;
	for (i = 0; i < sn->nprocs; i++) {
		if (sn->procs[i].kthread && !opts->kthreads)
			continue;
		leaves[n].sp = &sn->procs[i];
		leaf_keys(&leaves[n++], opts->group_by);
	}
	qsort(leaves, n, sizeof *leaves, leaf_cmp);
	t->groups = xcalloc(n ? n : 1, sizeof *t->groups);
	for (i = 0; i < n; i++) {
		const struct leaf	*l = &leaves[i];

		if (g == NULL || strcmp(g->key, l->gkey) != 0) {
			g = &t->groups[t->ngroups++];
			group_init(g, l, sn, opts->group_by);
			g->ctrs = xcalloc(1, sizeof *g->ctrs);
			c = NULL;
		}
		if (c == NULL || strcmp(c->id, l->ckey) != 0) {
			g->ctrs = xreallocarray(g->ctrs, g->nctrs + 1,
			    sizeof *g->ctrs);
			c = &g->ctrs[g->nctrs++];
			ctr_init(c, l, sn);
		}
		c->procs = xreallocarray(c->procs, c->nprocs + 1,
		    sizeof *c->procs);
		c->procs[c->nprocs++] = l->sp;
		g->nprocs++;
		if (g->kind == CG_KIND_POD && !g->in_pod_cgroup &&
		    l->sp->place != NULL &&
		    l->sp->place->cls.pod_uid[0] != '\0')
			group_place(g, l, sn, opts->group_by);
		if (opts->group_by != TREE_BY_NAMESPACE)
			group_names(g, l->sp);
		else if (strncmp(g->key, "ns:", 3) == 0)
			g->namespace = g->key[3] != '?' ? g->key + 3 : NULL;
		fig_sum_add(&c->sum, l->sp->fig);
		fig_sum_add(&g->sum, l->sp->fig);
	}
	for (i = 0; i < n; i++)
		free(leaves[i].gkey);
	free(leaves);
	for (gi = 0; gi < t->ngroups; gi++) {
		g = &t->groups[gi];
		for (ci = 0; ci < g->nctrs; ci++)
			qsort(g->ctrs[ci].procs, g->ctrs[ci].nprocs,
			    sizeof *g->ctrs[ci].procs, proc_cmp);
		qsort(g->ctrs, g->nctrs, sizeof *g->ctrs, ctr_cmp);
	}
	qsort(t->groups, t->ngroups, sizeof *t->groups, group_cmp);
}

void
tree_done(struct tree *t)
{
	size_t	gi, ci;

	for (gi = 0; gi < t->ngroups; gi++) {
		struct tree_group	*g = &t->groups[gi];

		for (ci = 0; ci < g->nctrs; ci++) {
			free(g->ctrs[ci].procs);
			free(g->ctrs[ci].cgroup);
		}
		free(g->ctrs);
		free(g->key);
		free(g->cgroup);
	}
	free(t->groups);
	memset(t, 0, sizeof *t);
}
