#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/restart.h"
#include "util/hash.h"
#include "util/xmalloc.h"

/* The instance last seen of one pod's or container's names. */
struct rw_ent {
	char		*key;		/* "ns\x1fpod" or "ns\x1fpod\x1fctr" */
	char		*ident;		/* its entity identity */
	int		 restarts;	/* as its history had it; -1 unknown */
	unsigned long	 seen;		/* the update it was last there */
	double		 seen_t;
	struct rw_ent	*next;
};

struct restart_watch {
	struct rw_ent	**bucket;
	size_t		  nbucket;
	size_t		  nent;
	unsigned long	  tick;
};

/* One pod or container of the tree, as the watch sees it. */
struct rw_unit {
	char			 key[512];
	const char		*ident;
	struct hist_ent		*hist;
	struct hist_ent		*pod;	/* a container's pod; NULL if none */
};

struct restart_watch *
restart_create(void)
{
	struct restart_watch	*w = xcalloc(1, sizeof *w);

	w->nbucket = 64;
	w->bucket = xcalloc(w->nbucket, sizeof *w->bucket);
	return w;
}

static void
ent_free(struct rw_ent *e)
{
	free(e->key);
	free(e->ident);
	free(e);
}

void
restart_free(struct restart_watch *w)
{
	struct rw_ent	*e, *next;
	size_t		 i;

	if (w == NULL)
		return;
	for (i = 0; i < w->nbucket; i++) {
		for (e = w->bucket[i]; e != NULL; e = next) {
			next = e->next;
			ent_free(e);
		}
	}
	free(w->bucket);
	free(w);
}

static void
rehash(struct restart_watch *w)
{
	size_t		  n = w->nbucket * 4, i, j;
	struct rw_ent	**b = xcalloc(n, sizeof *b), *e, *next;

	for (i = 0; i < w->nbucket; i++) {
		for (e = w->bucket[i]; e != NULL; e = next) {
			next = e->next;
			j = hash_str(e->key) & (n - 1);
			e->next = b[j];
			b[j] = e;
		}
	}
	free(w->bucket);
	w->bucket = b;
	w->nbucket = n;
}

static struct rw_ent *
find(struct restart_watch *w, const char *key)
{
	struct rw_ent	*e;

	for (e = w->bucket[hash_str(key) & (w->nbucket - 1)]; e != NULL;
	    e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

static void
note(struct restart_watch *w, struct rw_ent *e, const struct rw_unit *u,
    double now)
{
	if (strcmp(e->ident, u->ident) != 0) {
		free(e->ident);
		e->ident = xstrdup(u->ident);
	}
	e->restarts = u->hist->restarts;
	e->seen = w->tick;
	e->seen_t = now;
}

static void
add(struct restart_watch *w, const struct rw_unit *u, double now)
{
	struct rw_ent	*e = xcalloc(1, sizeof *e);
	size_t		 i;

	if (++w->nent > w->nbucket * 2)
		rehash(w);
	i = hash_str(u->key) & (w->nbucket - 1);
	e->key = xstrdup(u->key);
	e->ident = xstrdup(u->ident);
	note(w, e, u, now);
	e->next = w->bucket[i];
	w->bucket[i] = e;
}

/*
 * Pass 1 notes the instances still there; pass 2 takes the new ones: a
 * restart when the one remembered was not there this time.
 */
static void
unit(struct restart_watch *w, struct history *h, const struct rw_unit *u,
    int pass, double now)
{
	struct rw_ent	*e = find(w, u->key);
	int		 n;

	if (pass == 1) {
		if (e != NULL && strcmp(e->ident, u->ident) == 0)
			note(w, e, u, now);
		return;
	}
	if (e == NULL) {
		add(w, u, now);
		return;
	}
	/* the same instance, or the old one still there: not yet */
	if (e->seen == w->tick)
		return;
	n = e->restarts >= 0 ? e->restarts + 1 : 1;
	/* the store told this one already (seeded with it) */
	if (u->hist->restart_from == NULL ||
	    strcmp(u->hist->restart_from, e->ident) != 0) {
		history_restart(h, u->hist, e->ident, u->hist, n);
		if (u->pod != NULL)
			history_restart(h, u->pod, e->ident, u->hist, n);
	}
	note(w, e, u, now);
}

/* The unit of pod g, false if it has no names or no live process. */
static bool
pod_unit(const struct tree_group *g, struct rw_unit *u)
{
	if (g->kind != ENT_POD || g->namespace == NULL || g->pod == NULL ||
	    g->sum.n == 0 || g->st.hist == NULL)
		return false;
	snprintf(u->key, sizeof u->key, "%s\x1f%s", g->namespace, g->pod);
	u->ident = g->ident;
	u->hist = g->st.hist;
	u->pod = NULL;
	return true;
}

static bool
ctr_unit(const struct tree_group *g, const struct tree_ctr *c,
    struct rw_unit *u)
{
	const char	*pod = c->pod != NULL ? c->pod : g->pod;

	if (c->sandbox || c->name == NULL || pod == NULL ||
	    g->namespace == NULL || c->sum.n == 0 || c->st.hist == NULL ||
	    c->ctr_id[0] == '\0')
		return false;
	snprintf(u->key, sizeof u->key, "%s\x1f%s\x1f%s", g->namespace, pod,
	    c->name);
	u->ident = c->ident;
	u->hist = c->st.hist;
	u->pod = g->kind == ENT_POD && strcmp(c->ident, g->ident) != 0 ?
	    g->st.hist : NULL;
	return true;
}

/* Forgets the names not seen for RESTART_KEEP seconds. */
static void
expire(struct restart_watch *w, double now)
{
	struct rw_ent	**ep, *e;
	size_t		  i;

	for (i = 0; i < w->nbucket; i++) {
		for (ep = &w->bucket[i]; (e = *ep) != NULL;) {
			if (now - e->seen_t > RESTART_KEEP) {
				*ep = e->next;
				ent_free(e);
				w->nent--;
			} else
				ep = &e->next;
		}
	}
}

void
restart_update(struct restart_watch *w, struct history *h, struct tree *t,
    double now)
{
	struct rw_unit	u;
	size_t		gi, ci;
	int		pass;

	w->tick++;
	/* pods first: a replaced pod's own restart is the one it tells */
	for (pass = 1; pass <= 2; pass++) {
		for (gi = 0; gi < t->ngroups; gi++)
			if (pod_unit(&t->groups[gi], &u))
				unit(w, h, &u, pass, now);
		for (gi = 0; gi < t->ngroups; gi++) {
			const struct tree_group	*g = &t->groups[gi];

			for (ci = 0; ci < g->nctrs; ci++)
				if (ctr_unit(g, &g->ctrs[ci], &u))
					unit(w, h, &u, pass, now);
		}
	}
	expire(w, now);
}
