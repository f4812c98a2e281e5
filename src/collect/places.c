#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/places.h"
#include "util/hash.h"
#include "util/xmalloc.h"

/*
 * pl is handed out and allocated only up to its path's end (cg_place_size):
 * a kubelet path is ~150 bytes of the 1024, ~870 bytes less a place.
 */
struct place_ent {
	unsigned		 refs;
	struct place_ent	*next;
	struct cg_place		 pl;	/* last */
};

static struct place_ent *
place_ent_of(struct cg_place *pl)
{
	return (struct place_ent *)(void *)((char *)pl -
	    offsetof(struct place_ent, pl));
}

struct places {
	struct place_ent	**bucket;
	size_t			  nbucket;	/* a power of two */
	size_t			  n;
};

struct places *
places_create(void)
{
	struct places	*ps = xcalloc(1, sizeof *ps);

	ps->nbucket = 64;
	ps->bucket = xcalloc(ps->nbucket, sizeof *ps->bucket);
	return ps;
}

void
places_free(struct places *ps)
{
	size_t			 i;
	struct place_ent	*e, *next;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->nbucket; i++) {
		for (e = ps->bucket[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(ps->bucket);
	free(ps);
}

static size_t
places_slot(const struct places *ps, const struct cg_place *pl)
{
	return (hash_str(pl->path) ^ (uint64_t)pl->hier) & (ps->nbucket - 1);
}

static void
places_grow(struct places *ps)
{
	struct place_ent	**old = ps->bucket, *e, *next;
	size_t			  i, n = ps->nbucket;

	ps->nbucket *= 2;
	ps->bucket = xcalloc(ps->nbucket, sizeof *ps->bucket);
	for (i = 0; i < n; i++) {
		for (e = old[i]; e != NULL; e = next) {
			size_t	j = places_slot(ps, &e->pl);

			next = e->next;
			e->next = ps->bucket[j];
			ps->bucket[j] = e;
		}
	}
	free(old);
}

struct cg_place *
places_get(struct places *ps, const struct cg_place *pl)
{
	size_t			 i = places_slot(ps, pl);
	struct place_ent	*e;

	for (e = ps->bucket[i]; e != NULL; e = e->next) {
		/* the class follows from hier and path */
		if (e->pl.hier == pl->hier && strcmp(e->pl.path, pl->path) == 0) {
			e->refs++;
			return &e->pl;
		}
	}
	if (ps->n + 1 > ps->nbucket) {
		places_grow(ps);
		i = places_slot(ps, pl);
	}
	e = xmalloc(offsetof(struct place_ent, pl) + cg_place_size(pl));
	cg_place_copy(&e->pl, pl);
	e->refs = 1;
	e->next = ps->bucket[i];
	ps->bucket[i] = e;
	ps->n++;
	return &e->pl;
}

void
places_put(struct places *ps, struct cg_place *pl)
{
	struct place_ent	*e, **ep;

	if (pl == NULL)
		return;
	e = place_ent_of(pl);
	if (--e->refs > 0)
		return;
	for (ep = &ps->bucket[places_slot(ps, pl)]; *ep != e; ep = &(*ep)->next)
		;
	*ep = e->next;
	free(e);
	ps->n--;
}

size_t
places_count(const struct places *ps)
{
	return ps->n;
}
