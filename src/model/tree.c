#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/column.h"
#include "model/tree.h"
#include "util/fmt.h"
#include "util/xmalloc.h"

/* One process's place in the tree, before grouping. */
struct leaf {
	const struct snap_proc	*sp;
	char			*gid;		/* its group's identity */
	enum ent_kind		 gkind;
	char			 ckey[K8S_ID_MAX];	/* container id or "" */
	bool			 gone;
};

static const struct sort_key	*sort_g;

void
fig_sum_add(struct fig_sum *s, const uint64_t *fig)
{
	int	k;

	s->n++;
	for (k = 0; k < FIG__COUNT; k++) {
		if (fig[k] == FIG_NA)
			s->na[k]++;
		else
			s->v[k] += fig[k];
	}
}

struct fig_val
fig_sum_get(const struct fig_sum *s, int k)
{
	struct fig_val	fv = { s->v[k], FIG_KNOWN };

	if (s->na[k] >= s->n) {
		fv.v = FIG_NA;
		fv.state = FIG_UNKNOWN;
	} else if (s->na[k] != 0)
		fv.state = FIG_PARTIAL;
	return fv;
}

struct fig_val
fig_proc_get(const uint64_t *fig, int k)
{
	struct fig_val	fv = { fig[k], fig[k] == FIG_NA ? FIG_UNKNOWN :
			    FIG_KNOWN };

	return fv;
}

struct fig_val
fig_get(const struct fig_sum *s, const uint64_t *fig, int k)
{
	return s != NULL ? fig_sum_get(s, k) : fig_proc_get(fig, k);
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
		l->gid = ent_id_cgroup_dup(CG_HIER_NONE, "?", 1);
		l->gkind = ENT_OTHER;
		return;
	}
	c = &pl->cls;
	uid = leaf_pod_uid(l->sp);
	/* a conmon belongs with the container it watches */
	snprintf(l->ckey, sizeof l->ckey, "%s", c->ctr_id[0] != '\0' ?
	    c->ctr_id : c->conmon_of);
	if (by == TREE_BY_CGROUP) {
		l->gid = ent_id_cgroup_dup(pl->hier, pl->path, strlen(pl->path));
		l->gkind = uid[0] != '\0' ? ENT_POD :
		    ent_kind_of_cgroup(c->kind);
		return;
	}
	if (by == TREE_BY_CONTAINER && l->ckey[0] != '\0') {
		l->gid = ent_id_container_dup(l->ckey);
		l->gkind = ENT_CONTAINER;
		return;
	}
	if (by == TREE_BY_NAMESPACE && uid[0] != '\0') {
		l->gid = ent_id_namespace_dup(leaf_namespace(l->sp));
		l->gkind = ENT_NAMESPACE;
		return;
	}
	if (uid[0] != '\0') {
		l->gid = ent_id_pod_dup(uid);
		l->gkind = ENT_POD;
		return;
	}
	l->gkind = ent_kind_of_cgroup(c->kind);
	if (c->kind == CG_KIND_CONTAINER && l->ckey[0] != '\0') {
		/* a container outside Kubernetes is its own group */
		l->gid = ent_id_container_dup(l->ckey);
		return;
	}
	l->gid = ent_id_cgroup_dup(pl->hier, pl->path, c->unit_end);
	if (c->kind != CG_KIND_CONTAINER)
		l->ckey[0] = '\0';
}

static int
leaf_cmp(const void *a, const void *b)
{
	const struct leaf	*x = a, *y = b;
	int			 c = strcmp(x->gid, y->gid);

	if (c != 0)
		return c;
	c = strcmp(x->ckey, y->ckey);
	if (c != 0)
		return c;
	return (x->sp->pid > y->sp->pid) - (x->sp->pid < y->sp->pid);
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
	g->kind = l->gkind;
	if (pl == NULL)
		return;
	g->hier = pl->hier;
	g->qos = pl->cls.qos;
	snprintf(g->pod_uid, sizeof g->pod_uid, "%.*s",
	    (int)sizeof g->pod_uid - 1, leaf_pod_uid(l->sp));
	g->in_pod_cgroup = pl->cls.pod_uid[0] != '\0';
	end = pl->cls.unit_end;
	if (by == TREE_BY_CGROUP)
		end = strlen(pl->path);
	else if (by == TREE_BY_CONTAINER && g->kind == ENT_CONTAINER)
		end = pl->cls.ctr_end ? pl->cls.ctr_end : pl->cls.unit_end;
	else if (g->kind == ENT_NAMESPACE) {
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
	g->ident = xstrdup(l->gid);
	group_place(g, l, sn, by);
}

/* Pod and namespace names: the runtime's, else kubelet's logs, else HOSTNAME. */
static void
group_names(struct tree_group *g, const struct snap_proc *sp)
{
	const struct rt_names	*n = NULL;

	if (g->kind == ENT_NAMESPACE) {
		if (g->namespace == NULL && strcmp(g->ident, "ns:?") != 0)
			g->namespace = g->ident + 3;
		return;
	}
	/* the sandbox's runtime state carries the pod's labels */
	if (sp->ctr_names != NULL && sp->ctr_names->owner != RT_OWNER_NONE &&
	    g->owner == RT_OWNER_NONE) {
		g->owner = sp->ctr_names->owner;
		g->owner_hint = sp->ctr_names->owner_hint;
	}
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
ctr_init(struct tree_ctr *c, const struct tree_group *g, const struct leaf *l,
    const struct snapshot *sn)
{
	const struct cg_place	*pl = l->sp->place;
	size_t			 end;

	memset(c, 0, sizeof *c);
	memcpy(c->ctr_id, l->ckey, sizeof c->ctr_id);
	c->ident = l->ckey[0] != '\0' ? ent_id_container_dup(l->ckey) :
	    ent_id_loose_dup(g->ident);
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

static void
stats_init(struct tree_stats *st, const struct cg_mem *m)
{
	memset(st, 0, sizeof *st);
	st->charge = st->limit = st->wset = FIG_NA;
	if (m != NULL && m->read) {
		st->charge = m->current;
		st->limit = m->limit;
		if (m->current != CG_NA && m->inactive_file != CG_NA)
			st->wset = m->current > m->inactive_file ?
			    m->current - m->inactive_file : 0;
	}
}

/* How many containers the group of leaves[i] has (leaves are sorted). */
static size_t
run_ctrs(const struct leaf *leaves, size_t i, size_t n)
{
	size_t	j, k = 1;

	for (j = i + 1; j < n && strcmp(leaves[j].gid, leaves[i].gid) == 0;
	    j++) {
		if (strcmp(leaves[j].ckey, leaves[j - 1].ckey) != 0)
			k++;
	}
	return k;
}

/* How many processes the container of leaves[i] has. */
static size_t
run_procs(const struct leaf *leaves, size_t i, size_t n)
{
	size_t	j;

	for (j = i + 1; j < n && strcmp(leaves[j].gid, leaves[i].gid) == 0 &&
	    strcmp(leaves[j].ckey, leaves[i].ckey) == 0; j++)
		;
	return j - i;
}

void
tree_build(struct tree *t, const struct snapshot *sn,
    const struct tree_opts *opts, const struct hist_ghost *ghosts,
    size_t nghosts)
{
	size_t			 total = sn->nprocs + nghosts;
	struct leaf		*leaves = xcalloc(total ? total : 1,
				    sizeof *leaves);
	size_t			 i, n = 0;
	struct tree_group	*g = NULL;
	struct tree_ctr		*c = NULL;

	memset(t, 0, sizeof *t);
	for (i = 0; i < sn->nprocs; i++) {
		if (sn->procs[i].kthread && !opts->kthreads)
			continue;
		leaves[n].sp = &sn->procs[i];
		leaf_keys(&leaves[n++], opts->group_by);
	}
	for (i = 0; i < nghosts; i++) {
		leaves[n].sp = ghosts[i].sp;
		leaves[n].gid = xstrdup(ghosts[i].gid);
		leaves[n].gkind = ghosts[i].gkind;
		snprintf(leaves[n].ckey, sizeof leaves[n].ckey, "%s",
		    ghosts[i].ctr_id);
		leaves[n++].gone = true;
	}
	qsort(leaves, n, sizeof *leaves, leaf_cmp);
	t->groups = xcalloc(n ? n : 1, sizeof *t->groups);
	for (i = 0; i < n; i++) {
		const struct leaf	*l = &leaves[i];
		struct tree_proc	*tp;

		if (g == NULL || strcmp(g->ident, l->gid) != 0) {
			g = &t->groups[t->ngroups++];
			group_init(g, l, sn, opts->group_by);
			g->ctrs = xcalloc(run_ctrs(leaves, i, n),
			    sizeof *g->ctrs);
			c = NULL;
		}
		if (c == NULL || strcmp(c->ctr_id, l->ckey) != 0) {
			c = &g->ctrs[g->nctrs++];
			ctr_init(c, g, l, sn);
			c->procs = xcalloc(run_procs(leaves, i, n),
			    sizeof *c->procs);
		}
		tp = &c->procs[c->nprocs++];
		memset(tp, 0, sizeof *tp);
		tp->sp = l->sp;
		tp->gone = l->gone;
		ent_id_process(tp->ident, sizeof tp->ident, sn->boot_id,
		    l->sp->pid, l->sp->start);
		stats_init(&tp->st, NULL);
		if (l->gone)
			continue;	/* a ghost adds nothing to the sums */
		/* names from a live process (a ghost, sorted first, has none) */
		if (c->name == NULL && l->sp->ctr_names != NULL &&
		    l->sp->ctr_names->container[0] != '\0') {
			c->name = l->sp->ctr_names->container;
			c->pod = l->sp->ctr_names->pod[0] != '\0' ?
			    l->sp->ctr_names->pod : NULL;
			c->sandbox = l->sp->ctr_names->sandbox;
		}
		g->nprocs++;
		if (g->kind == ENT_POD && !g->in_pod_cgroup &&
		    l->sp->place != NULL &&
		    l->sp->place->cls.pod_uid[0] != '\0')
			group_place(g, l, sn, opts->group_by);
		group_names(g, l->sp);
		fig_sum_add(&c->sum, l->sp->fig);
		fig_sum_add(&g->sum, l->sp->fig);
	}
	for (i = 0; i < n; i++)
		free(leaves[i].gid);
	free(leaves);
	for (i = 0; i < t->ngroups; i++) {
		size_t	ci;

		g = &t->groups[i];
		stats_init(&g->st, g->mem);
		for (ci = 0; ci < g->nctrs; ci++)
			stats_init(&g->ctrs[ci].st, g->ctrs[ci].mem);
	}
	tree_replicas(t, sn->node_name[0] != '\0' ? sn->node_name : NULL);
}

bool
tree_group_is_k8s(const struct tree_group *g)
{
	return ent_kind_is_k8s(g->kind);
}

const char *
tree_group_label(const struct tree_group *g, bool full, char *buf, size_t len)
{
	const char	*qos = k8s_qos_name(g->qos);

	if (g->kind == ENT_NAMESPACE)
		snprintf(buf, len, "%s", g->namespace != NULL ? g->namespace :
		    "?");
	else if (g->pod != NULL)
		snprintf(buf, len, "%s/%s%s", g->namespace != NULL ?
		    g->namespace : "?", g->pod,
		    g->name_source == NAME_SRC_ENVIRON ? " (guess)" : "");
	else if (g->kind == ENT_POD && full)
		snprintf(buf, len, "pod %s", g->pod_uid);
	else if (g->kind == ENT_POD)
		snprintf(buf, len, "pod %.8s (%s)", g->pod_uid,
		    qos != NULL ? qos : "-");
	else
		snprintf(buf, len, "%s", g->cgroup != NULL ? g->cgroup : "?");
	return buf;
}

const char *
tree_ctr_label(const struct tree_group *g, const struct tree_ctr *c,
    bool full, char *buf, size_t len)
{
	char		 sid[16];
	const char	*rt = k8s_runtime_name(c->runtime);

	fmt_short_id(sid, sizeof sid, c->ctr_id, 12);
	if (c->sandbox)
		snprintf(buf, len, "(sandbox %s)", sid);
	else if (c->name != NULL)
		snprintf(buf, len, "%s%s%s%s%s", c->pod != NULL &&
		    g->kind == ENT_NAMESPACE ? c->pod : "", c->pod != NULL &&
		    g->kind == ENT_NAMESPACE ? "/" : "", c->name,
		    full && sid[0] != '\0' ? " " : "", full ? sid : "");
	else if (c->ctr_id[0] != '\0')
		snprintf(buf, len, "%s %s", rt != NULL ? rt : "?", sid);
	else
		snprintf(buf, len, "%s", g->kind == ENT_POD ? "(pod cgroup)" :
		    "(no container)");
	return buf;
}

const char *
tree_proc_label(const struct tree_proc *p, char *buf, size_t len)
{
	snprintf(buf, len, "%d %s", p->sp->pid, p->sp->comm);
	return buf;
}

int
sort_key_parse(const char *s, struct sort_key *k)
{
	int	c = col_by_key(s);

	k->fig = FIG_RSS;
	if (c < 0)
		return -1;
	switch (col_table[c].kind) {
	case COL_KIND_FIG:
		k->kind = SORT_FIG;
		k->fig = col_table[c].fig;
		break;
	case COL_KIND_CHARGE:
		k->kind = SORT_CHARGE;
		break;
	case COL_KIND_WSET:
		k->kind = SORT_WSET;
		break;
	case COL_KIND_GROWTH:
		k->kind = SORT_GROWTH;
		break;
	case COL_KIND_GROWTH_WIN:
		k->kind = SORT_GROWTH_WIN;
		break;
	case COL_KIND_REPLICAS:
		k->kind = SORT_REPLICAS;
		break;
	case COL_KIND_NAME:
		k->kind = SORT_NAME;
		break;
	default:
		return -1;
	}
	return 0;
}

int
sort_key_col(const struct sort_key *k)
{
	size_t	i;

	if (k->kind == SORT_FIG)
		return col_of_fig(k->fig);
	for (i = 0; i < col_count; i++) {
		enum col_kind	ck = col_table[i].kind;

		if ((k->kind == SORT_CHARGE && ck == COL_KIND_CHARGE) ||
		    (k->kind == SORT_WSET && ck == COL_KIND_WSET) ||
		    (k->kind == SORT_GROWTH && ck == COL_KIND_GROWTH) ||
		    (k->kind == SORT_GROWTH_WIN && ck == COL_KIND_GROWTH_WIN) ||
		    (k->kind == SORT_REPLICAS && ck == COL_KIND_REPLICAS) ||
		    (k->kind == SORT_NAME && ck == COL_KIND_NAME))
			return (int)i;
	}
	return 0;
}

const char *
sort_key_name(const struct sort_key *k)
{
	return col_table[sort_key_col(k)].key;
}

void
sort_key_step(struct sort_key *k, int dir)
{
	sort_key_parse(col_table[col_cycle(sort_key_col(k), dir)].key, k);
}

int64_t
tree_stat_value(const struct tree_stats *st, const struct fig_sum *sum,
    const uint64_t *fig, const struct sort_key *k)
{
	uint64_t	v;

	switch (k->kind) {
	case SORT_GROWTH:
		return st->growth;
	case SORT_GROWTH_WIN:
		return st->growth_win;
	case SORT_CHARGE:
		return st->charge == FIG_NA ? INT64_MIN : (int64_t)st->charge;
	case SORT_WSET:
		return st->wset == FIG_NA ? INT64_MIN : (int64_t)st->wset;
	case SORT_REPLICAS:
		if (sum == NULL) {	/* a process: by its anon memory */
			v = fig[FIG_RSS_ANON];
			return v == FIG_NA ? INT64_MIN : (int64_t)v;
		}
		return st->rep.median == FIG_NA ? INT64_MIN : st->rep.excess;
	case SORT_NAME:
		return 0;
	default:
		v = fig_get(sum, fig, k->fig).v;
		if (v == FIG_NA)
			return INT64_MIN;	/* unknown sorts last */
		return (int64_t)v;
	}
}

/* Largest first (smallest with reverse); unknown (INT64_MIN) always last. */
static int
cmp_i64(int64_t a, int64_t b)
{
	if ((a == INT64_MIN) != (b == INT64_MIN))
		return a == INT64_MIN ? 1 : -1;
	return sort_g->reverse ? (a > b) - (a < b) : (a < b) - (a > b);
}

/* Names A to Z (Z to A with reverse). */
static int
cmp_str(const char *a, const char *b)
{
	int	c = strcmp(a, b);

	return sort_g->reverse ? -c : c;
}

static int
group_cmp(const void *a, const void *b)
{
	const struct tree_group	*x = a, *y = b;
	int			 c;

	/* pods (or namespaces) first, then the rest */
	if (tree_group_is_k8s(x) != tree_group_is_k8s(y))
		return tree_group_is_k8s(x) ? -1 : 1;
	if (sort_g->kind == SORT_NAME) {
		char	la[512], lb[512];

		c = cmp_str(tree_group_label(x, false, la, sizeof la),
		    tree_group_label(y, false, lb, sizeof lb));
	} else
		c = cmp_i64(tree_stat_value(&x->st, &x->sum, NULL, sort_g),
		    tree_stat_value(&y->st, &y->sum, NULL, sort_g));
	return c != 0 ? c : strcmp(x->ident, y->ident);
}

static int
ctr_cmp(const void *a, const void *b)
{
	const struct tree_ctr	*x = a, *y = b;
	int			 c;

	if (sort_g->kind == SORT_NAME)
		c = cmp_str(x->name != NULL ? x->name : x->ctr_id,
		    y->name != NULL ? y->name : y->ctr_id);
	else
		c = cmp_i64(tree_stat_value(&x->st, &x->sum, NULL, sort_g),
		    tree_stat_value(&y->st, &y->sum, NULL, sort_g));
	return c != 0 ? c : strcmp(x->ident, y->ident);
}

static int
proc_cmp(const void *a, const void *b)
{
	const struct tree_proc	*x = a, *y = b;
	int			 c;

	if (x->gone != y->gone)
		return x->gone ? 1 : -1;
	if (sort_g->kind == SORT_NAME)
		c = cmp_str(x->sp->comm, y->sp->comm);
	else if (sort_g->kind == SORT_CHARGE || sort_g->kind == SORT_WSET)
		c = cmp_i64(x->sp->fig[FIG_RSS] == FIG_NA ? INT64_MIN :
		    (int64_t)x->sp->fig[FIG_RSS], y->sp->fig[FIG_RSS] ==
		    FIG_NA ? INT64_MIN : (int64_t)y->sp->fig[FIG_RSS]);
	else
		c = cmp_i64(tree_stat_value(&x->st, NULL, x->sp->fig, sort_g),
		    tree_stat_value(&y->st, NULL, y->sp->fig, sort_g));
	if (c != 0)
		return c;
	return (x->sp->pid > y->sp->pid) - (x->sp->pid < y->sp->pid);
}

int
tree_proc_cmp(const struct tree_proc *a, const struct tree_proc *b,
    const struct sort_key *k)
{
	sort_g = k;
	return proc_cmp(a, b);
}

void
tree_sort(struct tree *t, const struct sort_key *k)
{
	size_t	gi, ci;

	sort_g = k;
	for (gi = 0; gi < t->ngroups; gi++) {
		struct tree_group	*g = &t->groups[gi];

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
			free(g->ctrs[ci].ident);
		}
		free(g->ctrs);
		free(g->ident);
		free(g->cgroup);
	}
	free(t->groups);
	memset(t, 0, sizeof *t);
}
