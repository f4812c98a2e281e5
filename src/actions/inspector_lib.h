/*
 * The inspector's libraries, wslay (the websocket) and nettle (its
 * handshake's SHA-1 and base64), opened when a GC of a Node process first
 * needs them (util/lazylib.h), not at program start: linked, with zlib,
 * they cost every start ~0.6 ms on the bench's machine, paid by -b, `memtop
 * maps` and the dashboard that never GC. inspector.c calls them under
 * their own names: the macros below make those names these pointers.
 * Included after <nettle/...> and <wslay/wslay.h>, by inspector.c only.
 */
#ifndef MEMTOP_ACTIONS_INSPECTOR_LIB_H
#define MEMTOP_ACTIONS_INSPECTOR_LIB_H

#include <stddef.h>

#define INS_NETTLE(X) \
	X(nettle_base64_encode_final) \
	X(nettle_base64_encode_init) \
	X(nettle_base64_encode_update) \
	X(nettle_sha1_digest) \
	X(nettle_sha1_init) \
	X(nettle_sha1_update)
#define INS_WSLAY(X) \
	X(wslay_event_config_set_max_recv_msg_length) \
	X(wslay_event_context_client_init) \
	X(wslay_event_context_free) \
	X(wslay_event_queue_msg) \
	X(wslay_event_recv) \
	X(wslay_event_send) \
	X(wslay_event_set_error) \
	X(wslay_event_want_read) \
	X(wslay_event_want_write)

#define INS_FN(f)	__typeof__(f) *p_##f;
struct inspector_lib {
	INS_NETTLE(INS_FN)
	INS_WSLAY(INS_FN)
};
#undef INS_FN
extern struct inspector_lib	inspector_lib;

/* nettle's names are macros of its own: these replace them */
#undef base64_encode_final
#undef base64_encode_init
#undef base64_encode_update
#undef sha1_digest
#undef sha1_init
#undef sha1_update
#define base64_encode_final	(*inspector_lib.p_nettle_base64_encode_final)
#define base64_encode_init	(*inspector_lib.p_nettle_base64_encode_init)
#define base64_encode_update	(*inspector_lib.p_nettle_base64_encode_update)
#define sha1_digest		(*inspector_lib.p_nettle_sha1_digest)
#define sha1_init		(*inspector_lib.p_nettle_sha1_init)
#define sha1_update		(*inspector_lib.p_nettle_sha1_update)
#define wslay_event_config_set_max_recv_msg_length \
	(*inspector_lib.p_wslay_event_config_set_max_recv_msg_length)
#define wslay_event_context_client_init \
	(*inspector_lib.p_wslay_event_context_client_init)
#define wslay_event_context_free (*inspector_lib.p_wslay_event_context_free)
#define wslay_event_queue_msg	(*inspector_lib.p_wslay_event_queue_msg)
#define wslay_event_recv	(*inspector_lib.p_wslay_event_recv)
#define wslay_event_send	(*inspector_lib.p_wslay_event_send)
#define wslay_event_set_error	(*inspector_lib.p_wslay_event_set_error)
#define wslay_event_want_read	(*inspector_lib.p_wslay_event_want_read)
#define wslay_event_want_write	(*inspector_lib.p_wslay_event_want_write)

#endif
