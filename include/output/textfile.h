#ifndef MEMTOP_OUTPUT_TEXTFILE_H
#define MEMTOP_OUTPUT_TEXTFILE_H

#include <stddef.h>

/*
 * node_exporter's textfile collector reads the .prom files of a directory:
 * memtop writes DIR/.memtop.prom.PID.tmp, then renames it to
 * DIR/memtop.prom, so a reader sees the previous file or the new one, never
 * a part of one.
 */

/*
 * At start: DIR is a directory memtop can create files in (tried, not
 * guessed). 0, or -1 with a message in cause ("" , missing, a regular
 * file, read-only, no permission).
 */
int	textfile_check(const char *dir, char *cause, size_t causelen);

/*
 * Writes buf as DIR/memtop.prom. 0, or -1 with a message in cause; on a
 * failure (a full filesystem) the old DIR/memtop.prom is removed: node_exporter
 * then serves no memtop figures rather than stale ones.
 */
int	textfile_write(const char *dir, const char *buf, size_t len,
	    char *cause, size_t causelen);

/* Whether the last write failed (its errno, 0 if not): one message a change. */
struct textfile_state {
	int	err;
};

/*
 * textfile_write, remembering the outcome in ts (zeroed at first): 1 with a
 * message in msg when there is something to say (it started failing, fails
 * for another reason, or works again), 0 when nothing changed.
 */
int	textfile_update(struct textfile_state *ts, const char *dir,
	    const char *buf, size_t len, char *msg, size_t msglen);

#endif
