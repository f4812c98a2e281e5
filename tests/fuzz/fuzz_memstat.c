/* memory.stat (v1 and v2), memory.events, /proc/self/mountinfo. */
#include "config.h"

#include "collect/cgroup.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct cg_mem	m;
	struct cg_roots	r;

	cgroup_mem_init(&m);
	cgroup_parse_memstat((const char *)data, len, CG_HIER_V2, &m);
	cgroup_mem_init(&m);
	cgroup_parse_memstat((const char *)data, len, CG_HIER_V1, &m);
	cgroup_parse_events((const char *)data, len, &m);
	cgroup_parse_mountinfo((const char *)data, len, &r);
	return 0;
}
