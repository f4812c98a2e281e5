#ifndef MEMTOP_ACTIONS_NETSOCK_H
#define MEMTOP_ACTIONS_NETSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A process's listening TCP sockets, seen from its own network namespace:
 * /proc/PID/net/tcp{,6} (LISTEN rows) matched by inode against the sockets
 * in /proc/PID/fd.
 */

struct listen_sock {
	uint64_t	inode;
	uint16_t	port;
	bool		v6;
	uint8_t		addr[16];	/* network order; 4 bytes for v4 */
};

#define LISTEN_MAX	64

/*
 * Parses /proc/net/tcp or tcp6 text and appends its LISTEN rows to out
 * (at most max). Malformed rows are skipped. Returns the new count.
 */
size_t	netsock_parse(const char *buf, size_t len, bool v6,
	    struct listen_sock *out, size_t n, size_t max);

/*
 * The process's listening sockets (under proc_root). Returns the count, or
 * -errno when its files cannot be read.
 */
int	netsock_listening(const char *proc_root, int pid,
	    struct listen_sock *out, size_t max);

/* Whether the socket listens on a loopback or wildcard address. */
bool	netsock_local(const struct listen_sock *);

#endif
