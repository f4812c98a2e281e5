/* maps/smaps text through the histogram and every rule. */
#include "config.h"

#include <stdlib.h>

#include "analyse/report.h"
#include "collect/maps.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct maps		m;
	struct maps_report	r;
	struct detect_ctx	c = { "node", "node", 0 };
	uint64_t		sum = 0;
	size_t			i;

	maps_init(&m);
	maps_parse(&m, (const char *)data, len);
	report_build(&r, &m, &c, 1);
	for (i = 0; i < HIST_BINS; i++)
		sum += r.hist.bin[i].count;
	if (sum != r.hist.anon)
		abort();
	maps_done(&m);
	return 0;
}
