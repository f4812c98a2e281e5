#include "config.h"

#include <stdio.h>
#include <string.h>

#include "model/column.h"

const struct col_info col_table[] = {
#define COL_FIG_ROW(e, k, t, tier, w, prio, batch) \
	{ k, t, COL_KIND_FIG, FIG_##e, w, prio, batch, batch },
	FIGURES(COL_FIG_ROW)
#undef COL_FIG_ROW
	/* key		     title	kind		     fig  w  prio -b cycle */
	{ "charge",	     "Charge",	COL_KIND_CHARGE,     -1,  7,  3, 1, 1 },
	{ "",		     "Limit",	COL_KIND_LIMIT,	     -1,  7, -1, 1, 0 },
	{ "working-set",     "WSet",	COL_KIND_WSET,	     -1,  7,  6, 1, 1 },
	{ "",		     "%Lim",	COL_KIND_PCT_LIMIT,  -1,  5,  4, 0, 0 },
	{ "anon-growth",     "Growth",	COL_KIND_GROWTH,     -1,  7,  1, 1, 1 },
	{ "anon-growth-window", "GrowWin", COL_KIND_GROWTH_WIN, -1, 7, -1, 0, 1 },
	{ "vs-replicas",     "vsReplicas", COL_KIND_REPLICAS, -1, 12, 1, 1, 1 },
	{ "",		     "Maps",	COL_KIND_MAPS,	     -1,  6,  6, 0, 0 },
	{ "",		     "History",	COL_KIND_HISTORY,    -1, 12,  5, 0, 0 },
	{ "name",	     "Name",	COL_KIND_NAME,	     -1,  0, -1, 0, 1 },
};
const size_t col_count = sizeof col_table / sizeof col_table[0];

int
col_by_key(const char *key)
{
	size_t	i;

	if (strcmp(key, "growth") == 0)
		key = "anon-growth";
	for (i = 0; i < col_count; i++) {
		if (col_table[i].key[0] != '\0' &&
		    strcmp(col_table[i].key, key) == 0)
			return (int)i;
	}
	return -1;
}

int
col_cycle(int col, int dir)
{
	int	n = (int)col_count, i = col;

	do {
		i = ((i + dir) % n + n) % n;
	} while (!col_table[i].cycle && i != col);
	return i;
}

int
col_of_fig(int fig)
{
	size_t	i;

	for (i = 0; i < col_count; i++) {
		if (col_table[i].kind == COL_KIND_FIG && col_table[i].fig == fig)
			return (int)i;
	}
	return -1;
}

void
col_sort_keys(char *buf, size_t len)
{
	size_t	i, n = 0;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < col_count && n < len; i++) {
		if (!col_table[i].cycle)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n > 0 ? " " : "",
		    col_table[i].key);
	}
}
