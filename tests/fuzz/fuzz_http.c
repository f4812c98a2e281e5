/* The inspector's HTTP answer to GET /json/list, a CDP reply to
 * Runtime.evaluate of process.memoryUsage(), a line of the GC child's
 * report (job_decode_line) and a Node command line (gc_target_spec). */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "actions/gc.h"
#include "actions/gc_target.h"
#include "actions/inspector.h"
#include "actions/job.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char		 path[512], err[256];
	json_t		*j;
	json_error_t	 je;
	struct v8_mem	 v;
	struct job	 jb;
	struct gc_inspect_spec sp;
	char		*env;

	if (inspector_parse_list((const char *)data, len, path, sizeof path,
	    err, sizeof err) == 0 && path[0] != '/')
		abort();
	j = json_loadb((const char *)data, len, 0, &je);
	if (j != NULL) {
		gc_parse_memory_usage(j, &v);
		json_decref(j);
	}
	memset(&jb, 0, sizeof jb);
	jb.pid = 1;
	job_decode_line(&jb, (const char *)data, len);
	env = strndup((const char *)data, len);	/* up to the first NUL */
	gc_target_spec((const char *)data, len, env, &sp);
	free(env);
	if (sp.port < 0 || sp.port > 65535 || memchr(sp.host, '\0',
	    sizeof sp.host) == NULL)
		abort();
	return 0;
}
