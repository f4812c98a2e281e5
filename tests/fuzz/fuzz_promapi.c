/* Prometheus HTTP API answers (src/collect/promapi.c). */
#include "config.h"

#include <stdlib.h>

#include "collect/promapi.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct promapi_result	r;
	char			why[256];
	size_t			i;

	if (promapi_parse((const char *)data, len, &r, why, sizeof why) != 0)
		return 0;
	for (i = 0; i < r.n; i++)
		(void)promapi_label(&r.s[i], "pod");
	promapi_result_done(&r);
	return 0;
}
