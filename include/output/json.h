#ifndef MEMTOP_OUTPUT_JSON_H
#define MEMTOP_OUTPUT_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "model/tree.h"

/*
 * One JSON document (one line) per refresh; schema in docs/json.md.
 * Returns 0, or -1 if writing failed (e.g. a closed pipe).
 */
int	json_write_snapshot(FILE *, const struct snapshot *, const struct tree *);

/*
 * Processes are re-rendered only when something in their object changed (a
 * cache of their text by identity, kept from one document to the next; what
 * a document did not write is dropped). How many were rendered since start.
 */
size_t	json_render_count(void);

/*
 * The next document is the last (-b -n N's Nth): written without keeping
 * its text, which no later document would use (one refresh: ~600 KiB of
 * heap, 150 page faults, less).
 */
void	json_cache_last(void);

/* Frees the render cache (the next document renders every process). */
void	json_cache_free(void);

#endif
