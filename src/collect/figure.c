#include "config.h"

#include <string.h>

#include "collect/figure.h"

const struct fig_info fig_table[FIG__COUNT] = {
#define FIG_ROW(e, k, t, tr, w, prio, batch) \
	[FIG_##e] = { .key = k, .title = t, .tier = tr },
	FIGURES(FIG_ROW)
#undef FIG_ROW
};

int
fig_by_key(const char *key)
{
	int	i;

	for (i = 0; i < FIG__COUNT; i++) {
		if (strcmp(fig_table[i].key, key) == 0)
			return i;
	}
	return -1;
}
