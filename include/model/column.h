#ifndef MEMTOP_MODEL_COLUMN_H
#define MEMTOP_MODEL_COLUMN_H

#include <stdbool.h>
#include <stddef.h>

#include "collect/figure.h"

/*
 * Every column a view can show and every sort key, in display order: one per
 * figure (from the FIGURES table, collect/figure.h) and the derived ones
 * below. The dashboard's columns, the -b headers, the sort keys and the
 * order '<' '>' cycle them in all come from here.
 */
enum col_kind {
	COL_KIND_FIG,		/* fig says which */
	COL_KIND_CHARGE,	/* the cgroup's charge */
	COL_KIND_LIMIT,		/* the cgroup's limit */
	COL_KIND_WSET,		/* the working set (charge - inactive file) */
	COL_KIND_PCT_LIMIT,	/* charge as % of the limit */
	COL_KIND_GROWTH,	/* anon growth since first seen */
	COL_KIND_GROWTH_WIN,	/* anon growth over the window */
	COL_KIND_REPLICAS,	/* anon over the replicas' median */
	COL_KIND_MAPS,		/* mappings */
	COL_KIND_HISTORY,	/* a sparkline of the sort column */
	COL_KIND_NAME		/* sort only: the name column is always there */
};

struct col_info {
	const char	*key;		/* sort key; "" if not one */
	const char	*title;		/* header */
	enum col_kind	 kind;
	int		 fig;		/* COL_KIND_FIG; else -1 */
	int		 width;		/* in the dashboard */
	int		 prio;		/* dashboard: lower stays longer; -1
					   not shown */
	bool		 batch;		/* a column of -b text */
	bool		 cycle;		/* a sort key '<' '>' cycle through */
};

extern const struct col_info	col_table[];
extern const size_t		col_count;

/* The column whose sort key is key ("growth" = "anon-growth"); -1 if none. */
int		 col_by_key(const char *key);
/* The next (dir 1) or previous (dir -1) sort key in the cycle from col. */
int		 col_cycle(int col, int dir);
/* The column of figure fig. */
int		 col_of_fig(int fig);
/* Writes the cycled sort keys, space-separated, into buf. */
void		 col_sort_keys(char *buf, size_t len);

#endif
