#ifndef MEMTOP_ACTIONS_NODE_GUARD_H
#define MEMTOP_ACTIONS_NODE_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/status.h"

/*
 * Whether memtop may send SIGUSR1 to a process: pure, from what collect
 * read. SIGUSR1's default action terminates a process, so it is sent only to
 * a Node.js process that catches it.
 */

struct guard_caps {
	bool	root;		/* effective uid 0 */
	bool	cap_kill;	/* CAP_KILL: signal another user's process */
	bool	cap_sys_admin;	/* CAP_SYS_ADMIN: setns into its netns */
	unsigned uid;		/* our effective uid */
};

/* Parses CapEff from our own status text into caps. */
void	guard_caps_parse(const char *status, size_t len, unsigned euid,
	    struct guard_caps *);

/*
 * NULL if the GC may go ahead, else a one-line reason (static or in buf).
 * argv0 is the fallback name when /proc/PID/exe cannot be read.
 */
const char *node_guard(const struct proc_status *, const char *argv0,
	    const struct guard_caps *, char *buf, size_t len);

/*
 * NULL if the process can run a GC now, else why not: stopped, or traced
 * (a debugger holds it). Shared by every runtime's guard.
 */
const char *guard_runnable(const struct proc_status *, char *buf,
	    size_t len);

#define SIGUSR1_BIT	(1ULL << 9)	/* signal 10 */

#endif
