/* /proc/PID/status, limits, kB fields, /proc/net/tcp{,6}. */
#include "config.h"

#include "actions/netsock.h"
#include "collect/status.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct proc_status	st;
	struct listen_set	s;

	status_parse((const char *)data, len, &st);
	limits_stack((const char *)data, len);
	kb_field((const char *)data, len, "Pss_Anon");
	netsock_set_init(&s);
	netsock_parse((const char *)data, len, false, &s);
	netsock_parse((const char *)data, len, true, &s);
	netsock_set_done(&s);
	return 0;
}
