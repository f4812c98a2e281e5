#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/entity.h"
#include "util/xmalloc.h"

static const char *const ent_kind_names[ENT__COUNT] = {
	[ENT_POD] = "pod",
	[ENT_CONTAINER] = "container",
	[ENT_NAMESPACE] = "namespace",
	[ENT_SERVICE] = "service",
	[ENT_SCOPE] = "scope",
	[ENT_SLICE] = "slice",
	[ENT_OTHER] = "other",
	[ENT_PROCESS] = "process",
};

const char *
ent_kind_name(enum ent_kind k)
{
	return (unsigned)k < ENT__COUNT ? ent_kind_names[k] : "other";
}

enum ent_kind
ent_kind_of_cgroup(enum cg_kind k)
{
	switch (k) {
	case CG_KIND_POD:
		return ENT_POD;
	case CG_KIND_CONTAINER:
		return ENT_CONTAINER;
	case CG_KIND_SERVICE:
		return ENT_SERVICE;
	case CG_KIND_SCOPE:
		return ENT_SCOPE;
	case CG_KIND_SLICE:
		return ENT_SLICE;
	default:
		return ENT_OTHER;
	}
}

bool
ent_kind_is_k8s(enum ent_kind k)
{
	return k == ENT_POD || k == ENT_NAMESPACE;
}

char *
ent_id_pod_dup(const char *pod_uid)
{
	return xasprintf("pod:%s", pod_uid);
}

char *
ent_id_container_dup(const char *ctr_id)
{
	return xasprintf("ctr:%s", ctr_id);
}

char *
ent_id_namespace_dup(const char *ns)
{
	return xasprintf("ns:%s", ns);
}

char *
ent_id_cgroup_dup(enum cg_hier hier, const char *path, size_t len)
{
	return xasprintf("cg:%s:%.*s", hier == CG_HIER_V1 ? "v1" :
	    hier == CG_HIER_V2 ? "v2" : "-", (int)len, path);
}

char *
ent_id_loose_dup(const char *group_id)
{
	return xasprintf("%s/-", group_id);
}

const char *
ent_id_process(char *buf, size_t len, const char *boot_id, int pid,
    unsigned long long start)
{
	snprintf(buf, len, "proc:%s:%d:%llu", boot_id, pid, start);
	return buf;
}

int
ent_id_kind(const char *id)
{
	size_t	n = strlen(id);

	if (n >= 2 && strcmp(id + n - 2, "/-") == 0)
		return ENT_CONTAINER;
	if (strncmp(id, "pod:", 4) == 0)
		return ENT_POD;
	if (strncmp(id, "ctr:", 4) == 0)
		return ENT_CONTAINER;
	if (strncmp(id, "ns:", 3) == 0)
		return ENT_NAMESPACE;
	if (strncmp(id, "proc:", 5) == 0)
		return ENT_PROCESS;
	if (strncmp(id, "cg:", 3) == 0)
		return ENT_OTHER;
	return -1;
}

int
ent_id_process_parse(const char *id, int *pid, unsigned long long *start)
{
	const char		*p;
	char			*end;
	long			 v;
	unsigned long long	 s;

	if (strncmp(id, "proc:", 5) != 0)
		return -1;
	/* proc:<boot id>:<pid>:<start>: the boot id has no ':' */
	p = strchr(id + 5, ':');
	if (p == NULL)
		return -1;
	v = strtol(p + 1, &end, 10);
	if (end == p + 1 || *end != ':' || v <= 0 || v > 0x7fffffff)
		return -1;
	s = strtoull(end + 1, &end, 10);
	if (*end != '\0')
		return -1;
	*pid = (int)v;
	*start = s;
	return 0;
}
