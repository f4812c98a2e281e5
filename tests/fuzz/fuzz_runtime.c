/* Runtime state JSON (containerd/CRI-O, docker, podman), kubelet log names,
 * environ. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collect/runtime.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rt_names	 n;
	const char	*cause;
	char		*s = malloc(len + 1), id[128], host[64];

	runtime_parse_oci((const char *)data, len, &n, &cause);
	runtime_parse_docker((const char *)data, len, &n, &cause);
	runtime_parse_podman((const char *)data, len, "abc", &n, &cause);
	environ_hostname((const char *)data, len, host, sizeof host);
	memcpy(s, data, len);
	s[len] = '\0';
	logs_parse_pod_dir(s, &n);
	logs_parse_container_link(s, &n, id, sizeof id);
	free(s);
	return 0;
}
