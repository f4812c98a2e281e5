#ifndef MEMTOP_COLLECT_PLACES_H
#define MEMTOP_COLLECT_PLACES_H

#include "collect/cgroup.h"

/*
 * Cgroup places shared by the processes in them: most processes of a node
 * share their cgroup with others, and a place is a kilobyte. Reference
 * counted; the last put frees it.
 */
struct places;

struct places		*places_create(void);
/* Frees the table; every place must have been put. */
void			 places_free(struct places *);
/* The shared copy of *pl (made if new), one more reference to it. */
struct cg_place		*places_get(struct places *, const struct cg_place *pl);
/* One reference less to a place places_get returned (NULL: nothing). */
void			 places_put(struct places *, struct cg_place *);
/* Distinct places held now. */
size_t			 places_count(const struct places *);

#endif
