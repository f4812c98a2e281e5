#ifndef MEMTOP_ACTIONS_GC_TARGET_H
#define MEMTOP_ACTIONS_GC_TARGET_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What the GC must know about its target before it signals: which process
 * it is (a pidfd and its start time, so a reused pid is never signalled),
 * that no other memtop is collecting it, where Node will put its inspector,
 * and whether that address can be reached in the target's namespace.
 */

/* Where Node listens for an inspector (--inspect*, NODE_OPTIONS). */
struct gc_inspect_spec {
	int	port;		/* 9229 by default; 0 = a random port */
	char	host[64];	/* "127.0.0.1" by default */
};

/*
 * Parses Node's command line (NUL-separated, as /proc/PID/cmdline) and
 * NODE_OPTIONS (space-separated, or NULL) for --inspect[-brk|-wait][=[host:]
 * port] and --inspect-port (pure, tested).
 */
void	gc_target_spec(const char *cmdline, size_t len, const char *node_opts,
	    struct gc_inspect_spec *);

/* The same, read from proc_root/PID/{cmdline,environ}. */
void	gc_target_spec_read(const char *proc_root, int pid,
	    struct gc_inspect_spec *);

/* Whether the host is a loopback or wildcard address (needs lo). */
bool	gc_target_needs_lo(const struct gc_inspect_spec *);

/*
 * Takes the lock "memtop is collecting pid/start" for this process's life
 * (an abstract unix socket, freed by the kernel when the holder exits).
 * Returns its fd, -1 if another memtop holds it, -2 on another error.
 */
int	gc_target_lock(int pid, unsigned long long start);

/* The start time (field 22 of stat, ticks); 0 if unreadable. */
unsigned long long gc_target_start(const char *proc_root, int pid);

/* A pidfd for pid, or -1 (old kernels: signals then go by pid). */
int	gc_target_pidfd(int pid);

/* Whether the process behind the pidfd has exited (false if fd -1). */
bool	gc_target_exited(int pidfd);

/* Whether it has exited: by its pidfd, else by proc_root/PID (pidfd -1). */
bool	gc_target_gone(const char *proc_root, int pid, int pidfd);

/* Sends sig through the pidfd (or by pid without one). 0 or -errno. */
int	gc_target_signal(int pidfd, int pid, int sig);

/* Its network namespace, "net:[4026531840]", into buf ("?" unknown). */
void	gc_target_netns(const char *proc_root, int pid, char *buf, size_t len);

/* In the current network namespace: 1 lo up, 0 down, -1 unknown. */
int	gc_target_lo_up(void);

#endif
