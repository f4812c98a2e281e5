/* /proc/PID/cgroup text, and a cgroup path through the classifier. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collect/cgroup.h"
#include "collect/k8s_names.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct cg_place	 pl;
	struct cg_class	 c;
	char		*path = malloc(len + 2);

	if (cgroup_parse_proc((const char *)data, len, &pl) == 0 &&
	    (pl.cls.pod_end > strlen(pl.path) || pl.cls.ctr_end >
	    strlen(pl.path)))
		abort();
	path[0] = '/';
	memcpy(path + 1, data, len);
	path[len + 1] = '\0';
	k8s_normalize(path);
	k8s_classify(path, &c);
	if (c.unit_end > strlen(path) + 1 || c.pod_end > strlen(path))
		abort();
	free(path);
	return 0;
}
