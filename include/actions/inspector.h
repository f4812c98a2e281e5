#ifndef MEMTOP_ACTIONS_INSPECTOR_H
#define MEMTOP_ACTIONS_INSPECTOR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions/netsock.h"

/*
 * A client of the V8 inspector: HTTP GET /json/list, the websocket upgrade
 * (ours; frames are wslay's, the accept key is checked with nettle's SHA-1),
 * and Chrome DevTools Protocol calls. Every call has a deadline (monotonic
 * seconds); errors come back as one line in err.
 */

#define INSPECTOR_MAX_BODY	(1 << 20)	/* /json/list reply */
#define INSPECTOR_MAX_MSG	(8 << 20)	/* one CDP message */

struct inspector;

/*
 * Asks the socket for /json/list. On success fills ws_path (the path of the
 * first target's webSocketDebuggerUrl) and returns 0; -1 with err.
 */
int	inspector_probe(const struct listen_sock *, double deadline,
	    char *ws_path, size_t pathlen, char *err, size_t errlen);

/*
 * Parses a complete HTTP response to GET /json/list (pure; for tests and
 * fuzzing): 0 with ws_path filled, or -1 with err.
 */
int	inspector_parse_list(const char *resp, size_t len, char *ws_path,
	    size_t pathlen, char *err, size_t errlen);

/*
 * Feeds received websocket bytes through the client's frame parser and
 * message handler (for fuzzing). Returns wslay's result; *nmsgs = 1 when a
 * CDP answer with id 1 came out whole.
 */
int	inspector_feed(const uint8_t *data, size_t len, int *nmsgs);

/*
 * Opens the inspector's libraries, wslay and nettle (once; later calls
 * return what the first did): 0, or -1 with why ("a GC of a Node process
 * needs libwslay and libnettle ...: cause"), which gc says before it sends
 * anything. inspector_open, inspector_feed and inspector_accept_key open
 * them too, and fail (an empty key) without them.
 */
int	inspector_lib_load(char *why, size_t len);

/* Opens the websocket to ws_path. NULL with err on failure. */
struct inspector *inspector_open(const struct listen_sock *,
	    const char *ws_path, double deadline, char *err, size_t errlen);
void	inspector_close(struct inspector *);

/*
 * One CDP call: method with params (a JSON object or NULL, borrowed).
 * Returns its "result" (the caller's), or NULL with err (an "error" reply,
 * a timeout, a closed or broken connection, an oversize frame).
 */
json_t	*inspector_call(struct inspector *, const char *method, json_t *params,
	    double deadline, char *err, size_t errlen);

/* Sends a call without waiting for its answer (process._debugEnd()). */
int	inspector_send(struct inspector *, const char *method, json_t *params);

/* Set by a signal handler: every wait gives up at once. */
extern volatile int inspector_cancelled;

/* The websocket accept key for a client key (RFC 6455), into out[29]. */
void	inspector_accept_key(const char *key, char *out);

#endif
