#include "config.h"

#include <stdio.h>
#include <string.h>

#include "actions/node_guard.h"
#include "analyse/detectors.h"

#define CAP_KILL_BIT		5
#define CAP_SYS_ADMIN_BIT	21

void
guard_caps_parse(const char *status, size_t len, unsigned euid,
    struct guard_caps *c)
{
	const char	*p = memmem(status, len, "CapEff:", 7);
	uint64_t	 caps = 0;

	memset(c, 0, sizeof *c);
	c->uid = euid;
	c->root = euid == 0;
	if (p != NULL) {
		const char	*end = status + len;

		p += 7;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (; p < end; p++) {
			if (*p >= '0' && *p <= '9')
				caps = caps << 4 | (uint64_t)(*p - '0');
			else if (*p >= 'a' && *p <= 'f')
				caps = caps << 4 | (uint64_t)(*p - 'a' + 10);
			else
				break;
		}
	}
	c->cap_kill = (caps >> CAP_KILL_BIT) & 1;
	c->cap_sys_admin = (caps >> CAP_SYS_ADMIN_BIT) & 1;
}

const char *
node_guard(const struct proc_status *st, const char *argv0,
    const struct guard_caps *caps, char *buf, size_t len)
{
	const char	*name = st->exe[0] != '\0' ? st->exe : argv0;

	/* first: a zombie has no exe and no argv[0] to judge by */
	if (st->state == 'Z' || st->state == 'X')
		return "it has exited (zombie): nothing to collect";
	if (!detect_node_name(name)) {
		snprintf(buf, len, "not Node.js (%s is %s): only Node processes "
		    "are collected", st->exe[0] != '\0' ? "executable" :
		    "argv[0]", name != NULL && name[0] != '\0' ? name : "?");
		return buf;
	}
	if (!caps->root && !(caps->cap_kill && caps->cap_sys_admin)) {
		if (st->uid != caps->uid && !caps->cap_kill)
			return "needs root (CAP_KILL to signal another user's "
			    "process, CAP_SYS_ADMIN to enter its network "
			    "namespace)";
		if (!caps->cap_sys_admin)
			return "needs root (CAP_SYS_ADMIN to enter its network "
			    "namespace, CAP_KILL to signal it)";
	}
	if (!st->have_sigcgt)
		return "cannot read its SigCgt: refusing to send SIGUSR1";
	if (!(st->sig_caught & SIGUSR1_BIT))
		return "it does not catch SIGUSR1 (SigCgt bit 9 clear): the "
		    "signal would kill it";
	return guard_runnable(st, buf, len);
}

const char *
guard_runnable(const struct proc_status *st, char *buf, size_t len)
{
	if (st->state == 'T' || st->state == 't')
		return "it is stopped: a GC would never run";
	if (st->tracer_pid != 0) {
		snprintf(buf, len, "it is being traced (TracerPid %d)",
		    st->tracer_pid);
		return buf;
	}
	return NULL;
}
