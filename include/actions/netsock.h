#ifndef MEMTOP_ACTIONS_NETSOCK_H
#define MEMTOP_ACTIONS_NETSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A process's listening TCP sockets, seen from its own network namespace:
 * /proc/PID/net/tcp{,6} (LISTEN rows) matched by inode against the sockets
 * in /proc/PID/fd. No caps: the whole table is read, however many rows the
 * namespace has, and however many servers the process runs.
 */

struct listen_sock {
	uint64_t	inode;
	uint16_t	port;
	bool		v6;
	uint8_t		addr[16];	/* network order; 4 bytes for v4 */
};

/* A growable set of listening sockets (the caller's). */
struct listen_set {
	struct listen_sock	*v;
	size_t			 n, cap;
};

void	netsock_set_init(struct listen_set *);
void	netsock_set_done(struct listen_set *);
/* The socket with this inode in the set, or NULL. */
const struct listen_sock *netsock_find(const struct listen_set *,
	    uint64_t inode);

/*
 * Parses one row of /proc/net/tcp or tcp6 text (from p to end, without the
 * newline) into s. True when it is a well-formed LISTEN row.
 */
bool	netsock_parse_row(const char *p, const char *end, bool v6,
	    struct listen_sock *s);

/*
 * Parses /proc/net/tcp or tcp6 text (a header line, then rows) and appends
 * its LISTEN rows to out. Malformed rows are skipped. Returns how many were
 * added (pure, fuzzed).
 */
size_t	netsock_parse(const char *buf, size_t len, bool v6,
	    struct listen_set *out);

/*
 * The process's listening sockets (under proc_root) into out (emptied
 * first). Returns the count, or -errno when its files cannot be read (it
 * exited, or no permission).
 */
int	netsock_listening(const char *proc_root, int pid,
	    struct listen_set *out);

/* Whether the socket listens on a loopback or wildcard address. */
bool	netsock_local(const struct listen_sock *);

/* "127.0.0.1:9229", "[::1]:9229", "*:9229" into buf. */
const char *netsock_text(const struct listen_sock *, char *buf, size_t len);

/* The address to connect to: its own, loopback for a wildcard. */
const char *netsock_host(const struct listen_sock *, char *buf, size_t len);

#endif
