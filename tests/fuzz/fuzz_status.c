/* /proc/PID/status, limits, kB fields, /proc/net/tcp{,6}. */
#include "config.h"

#include "actions/netsock.h"
#include "collect/status.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct proc_status	st;
	struct listen_sock	s[LISTEN_MAX];
	size_t			n;

	status_parse((const char *)data, len, &st);
	limits_stack((const char *)data, len);
	kb_field((const char *)data, len, "Pss_Anon");
	n = netsock_parse((const char *)data, len, false, s, 0, LISTEN_MAX);
	netsock_parse((const char *)data, len, true, s, n, LISTEN_MAX);
	return 0;
}
