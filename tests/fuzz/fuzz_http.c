/* The inspector's HTTP answer to GET /json/list, and a CDP reply to
 * Runtime.evaluate of process.memoryUsage(). */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "actions/gc.h"
#include "actions/inspector.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char		 path[512], err[256];
	json_t		*j;
	json_error_t	 je;
	struct v8_mem	 v;

	if (inspector_parse_list((const char *)data, len, path, sizeof path,
	    err, sizeof err) == 0 && path[0] != '/')
		abort();
	j = json_loadb((const char *)data, len, 0, &je);
	if (j != NULL) {
		gc_parse_memory_usage(j, &v);
		json_decref(j);
	}
	return 0;
}
