#ifndef MEMTOP_OUTPUT_BATCH_H
#define MEMTOP_OUTPUT_BATCH_H

#include <stdio.h>

#include "model/tree.h"

/*
 * One refresh as a text table, like top -b: a header, then each group with
 * its summed figures and cgroup charge, its containers and their processes.
 * Returns 0, or -1 if writing failed.
 */
int	batch_write_snapshot(FILE *, const struct snapshot *, const struct tree *);

/*
 * The table's width in columns (COLUMNS, as top -b takes it): the name
 * column grows or shrinks to fit it, to at least 16 columns. Never called:
 * the name column is 50 wide.
 */
void	batch_set_width(unsigned columns);

#endif
