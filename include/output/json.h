#ifndef MEMTOP_OUTPUT_JSON_H
#define MEMTOP_OUTPUT_JSON_H

#include <stdio.h>

#include "model/tree.h"

/*
 * One JSON document (one line) per refresh; schema in docs/json.md.
 * Returns 0, or -1 if writing failed (e.g. a closed pipe).
 */
int	json_write_snapshot(FILE *, const struct snapshot *, const struct tree *);

#endif
