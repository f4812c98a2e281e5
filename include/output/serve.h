#ifndef MEMTOP_OUTPUT_SERVE_H
#define MEMTOP_OUTPUT_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/*
 * The metrics endpoint: libmicrohttpd on its own thread answers GET /metrics
 * with the newest exposition the refresh loop published. A scrape never
 * reads /proc: it is a reference to an immutable buffer, so 200 scrapes at
 * once cost 200 responses, not 200 refreshes.
 */
struct serve;

/*
 * Parses "HOST:PORT", "[V6ADDR]:PORT" or ":PORT" (every IPv4 address) into
 * sa. 0, or -1 with a message in cause.
 */
int		 serve_parse_addr(const char *, struct sockaddr_storage *sa,
		    socklen_t *salen, char *cause, size_t causelen);

/*
 * Listens on addr; NULL with a message in cause if it cannot. Listening,
 * cause is "", or a note to add to the line that says so (" (answered
 * without gzip: ...)": zlib could not be opened, and every scrape is
 * answered uncompressed).
 */
struct serve	*serve_start(const char *addr, char *cause, size_t causelen);

/* Where it listens, e.g. "127.0.0.1:9852" (the real port if 0 was given). */
const char	*serve_address(const struct serve *);

/* From now on /metrics answers with buf (len bytes, malloc'd, taken over). */
void		 serve_publish(struct serve *, char *buf, size_t len);

/* Requests answered so far (any path). */
uint64_t	 serve_requests(struct serve *);

void		 serve_stop(struct serve *);

#endif
