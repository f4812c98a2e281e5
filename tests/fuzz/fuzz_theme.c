/* Theme files. */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "ui/theme.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct theme	t;
	char		err[128];
	int		i;

	theme_defaults(&t);
	theme_parse(&t, (const char *)data, len, err, sizeof err);
	for (i = 0; i < THEME__COUNT; i++) {
		if (t.role[i].fg < -1 || t.role[i].fg > 255 ||
		    t.role[i].bg < -1 || t.role[i].bg > 255)
			abort();
	}
	return 0;
}
