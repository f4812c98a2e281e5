#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <nettle/base64.h>
#include <nettle/sha1.h>
#include <wslay/wslay.h>

#include "actions/inspector.h"
#include "inspector_lib.h"
#include "util/clock.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

volatile int	inspector_cancelled;

struct inspector {
	int			 fd;
	wslay_event_context_ptr	 ws;
	struct buf		 pre;		/* bytes read past the upgrade */
	size_t			 pre_off;
	int			 next_id;
	int			 want_id;
	json_t			*reply;		/* the answer to want_id */
	int			 garbage;	/* unparsable messages seen */
	bool			 broken;
	char			 why[128];
};

static void
seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static int
ms_left(double deadline)
{
	double	left = deadline - clock_mono();

	if (inspector_cancelled || left <= 0)
		return 0;
	return left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
}

/* Connects to the socket's address (loopback for a wildcard), non-blocking. */
static int
connect_to(const struct listen_sock *s, double deadline, char *err,
    size_t errlen)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	struct pollfd		 p;
	int			 fd, e = 0;
	socklen_t		 el = sizeof e;
	static const uint8_t	 zero[16];

	memset(&ss, 0, sizeof ss);
	if (!s->v6) {
		struct sockaddr_in	*in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(s->port);
		memcpy(&in->sin_addr, s->addr, 4);
		if (memcmp(s->addr, zero, 4) == 0)
			in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof *in;
	} else {
		struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(s->port);
		memcpy(&in6->sin6_addr, s->addr, 16);
		if (memcmp(s->addr, zero, 16) == 0)
			in6->sin6_addr = in6addr_loopback;
		sl = sizeof *in6;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		seterr(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1 &&
	    errno != EINPROGRESS) {
		seterr(err, errlen, "connect to port %u: %s", s->port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	p.fd = fd;
	p.events = POLLOUT;
	if (poll(&p, 1, ms_left(deadline)) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == -1 || e != 0) {
		seterr(err, errlen, "connect to port %u: %s", s->port,
		    e != 0 ? strerror(e) : "timed out");
		close(fd);
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const char *data, size_t len, double deadline, char *err,
    size_t errlen)
{
	struct pollfd	p = { fd, POLLOUT, 0 };

	while (len > 0) {
		ssize_t	n = send(fd, data, len, MSG_NOSIGNAL);

		if (n > 0) {
			data += n;
			len -= (size_t)n;
			continue;
		}
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			seterr(err, errlen, "send: %s", strerror(errno));
			return -1;
		}
		if (poll(&p, 1, ms_left(deadline)) != 1) {
			seterr(err, errlen, "send timed out");
			return -1;
		}
	}
	return 0;
}

/*
 * Reads until the end of the HTTP headers (at most 16 KiB); what follows
 * stays in b after *hdr_len bytes.
 */
static int
read_headers(int fd, struct buf *b, size_t *hdr_len, double deadline,
    char *err, size_t errlen)
{
	struct pollfd	p = { fd, POLLIN, 0 };
	char		chunk[4096];

	buf_reset(b);
	for (;;) {
		char	*end = b->data != NULL ? strstr(b->data, "\r\n\r\n") :
			    NULL;
		ssize_t	 n;

		if (end != NULL) {
			*hdr_len = (size_t)(end - b->data) + 4;
			return 0;
		}
		if (b->len > 16384) {
			seterr(err, errlen, "HTTP headers over 16 KiB: not an "
			    "inspector");
			return -1;
		}
		if (poll(&p, 1, ms_left(deadline)) != 1) {
			seterr(err, errlen, "no HTTP answer in time");
			return -1;
		}
		n = recv(fd, chunk, sizeof chunk, 0);
		if (n == 0) {
			seterr(err, errlen, "connection closed before an HTTP "
			    "answer");
			return -1;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			seterr(err, errlen, "recv: %s", strerror(errno));
			return -1;
		}
		if (memchr(chunk, '\0', (size_t)n) != NULL) {
			seterr(err, errlen, "NUL bytes in HTTP headers");
			return -1;
		}
		buf_append(b, chunk, (size_t)n);
	}
}

static int
http_status(const char *h)
{
	int	code;

	if (strncmp(h, "HTTP/1.", 7) != 0 || sscanf(h + 8, " %3d", &code) != 1)
		return -1;
	return code;
}

/* A header's value (case-insensitive name) into out; -1 if absent. */
static int
header(const char *h, size_t hl, const char *name, char *out, size_t len)
{
	size_t		 nl = strlen(name);
	const char	*p = h, *end = h + hl;

	while (p < end) {
		const char	*eol = memchr(p, '\n', (size_t)(end - p));

		if (eol == NULL)
			eol = end;
		if ((size_t)(eol - p) > nl + 1 && strncasecmp(p, name, nl) == 0 &&
		    p[nl] == ':') {
			const char	*v = p + nl + 1;
			size_t		 vl;

			while (v < eol && *v == ' ')
				v++;
			vl = (size_t)(eol - v);
			while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
				vl--;
			if (vl >= len)
				vl = len - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return 0;
		}
		p = eol + 1;
	}
	return -1;
}

int
inspector_parse_list(const char *resp, size_t len, char *ws_path,
    size_t pathlen, char *err, size_t errlen)
{
	const char	*end = memmem(resp, len, "\r\n\r\n", 4);
	char		 cl[32], *e, head[64];
	size_t		 hl;
	long		 n;
	json_t		*root, *url;
	json_error_t	 je;
	int		 rc = -1;

	if (end == NULL) {
		seterr(err, errlen, "no end of HTTP headers");
		return -1;
	}
	hl = (size_t)(end - resp) + 4;
	snprintf(head, sizeof head, "%.*s", (int)(hl < 40 ? hl : 40), resp);
	if (http_status(head) != 200) {
		seterr(err, errlen, "/json/list answered \"%.40s\"", head);
		return -1;
	}
	if (header(resp, hl, "Content-Length", cl, sizeof cl) != 0) {
		seterr(err, errlen, "/json/list without Content-Length");
		return -1;
	}
	n = strtol(cl, &e, 10);
	if (*e != '\0' || e == cl || n < 0 || n > INSPECTOR_MAX_BODY) {
		seterr(err, errlen, "/json/list Content-Length %.20s: refused",
		    cl);
		return -1;
	}
	if (len - hl < (size_t)n) {
		seterr(err, errlen, "/json/list body cut short");
		return -1;
	}
	root = json_loadb(resp + hl, (size_t)n, 0, &je);
	url = json_is_array(root) ? json_object_get(json_array_get(root, 0),
	    "webSocketDebuggerUrl") : NULL;
	if (!json_is_string(url) ||
	    strncmp(json_string_value(url), "ws://", 5) != 0 ||
	    strchr(json_string_value(url) + 5, '/') == NULL ||
	    strlen(strchr(json_string_value(url) + 5, '/')) >= pathlen ||
	    strpbrk(json_string_value(url), " \r\n") != NULL)
		seterr(err, errlen, "/json/list has no usable "
		    "webSocketDebuggerUrl");
	else {
		snprintf(ws_path, pathlen, "%s",
		    strchr(json_string_value(url) + 5, '/'));
		rc = 0;
	}
	json_decref(root);
	return rc;
}

/* The body length a complete response needs, from its headers; -1 bad. */
static long
wanted_length(const char *resp, size_t hl)
{
	char	cl[32], *e;
	long	n;

	if (header(resp, hl, "Content-Length", cl, sizeof cl) != 0)
		return -1;
	n = strtol(cl, &e, 10);
	if (*e != '\0' || e == cl || n < 0 || n > INSPECTOR_MAX_BODY)
		return -1;
	return n;
}

int
inspector_probe(const struct listen_sock *s, double deadline, char *ws_path,
    size_t pathlen, char *err, size_t errlen)
{
	char		 req[256], host[64];
	struct buf	 b;
	size_t		 hl, want;
	long		 n;
	int		 fd, rc = -1;
	struct pollfd	 p;

	fd = connect_to(s, deadline, err, errlen);
	if (fd == -1)
		return -1;
	/* Node wants Host to be localhost or an IP: the one we connect to */
	snprintf(req, sizeof req, "GET /json/list HTTP/1.1\r\nHost: %s:%u\r\n"
	    "Accept: application/json\r\n\r\n", netsock_host(s, host,
	    sizeof host), s->port);
	buf_init(&b);
	if (send_all(fd, req, strlen(req), deadline, err, errlen) != 0 ||
	    read_headers(fd, &b, &hl, deadline, err, errlen) != 0)
		goto out;
	/* Node keeps the connection open: read exactly Content-Length */
	n = wanted_length(b.data, hl);
	want = n < 0 ? b.len : hl + (size_t)n;
	p.fd = fd;
	p.events = POLLIN;
	while (b.len < want) {
		char	chunk[4096];
		ssize_t	r;

		if (poll(&p, 1, ms_left(deadline)) != 1) {
			seterr(err, errlen, "/json/list body timed out");
			goto out;
		}
		r = recv(fd, chunk, sizeof chunk, 0);
		if (r == 0)
			break;
		if (r < 0 && errno != EAGAIN && errno != EINTR) {
			seterr(err, errlen, "recv: %s", strerror(errno));
			goto out;
		}
		if (r > 0)
			buf_append(&b, chunk, (size_t)r);
	}
	rc = inspector_parse_list(b.data, b.len, ws_path, pathlen, err, errlen);
out:
	buf_done(&b);
	close(fd);
	return rc;
}

void
inspector_accept_key(const char *key, char *out)
{
	static const char	 guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	struct sha1_ctx		 c;
	uint8_t			 d[SHA1_DIGEST_SIZE];
	struct base64_encode_ctx b;
	size_t			 n;
	char			 why[512];

	out[0] = '\0';
	if (inspector_lib_load(why, sizeof why) != 0)
		return;
	sha1_init(&c);
	sha1_update(&c, strlen(key), (const uint8_t *)key);
	sha1_update(&c, sizeof guid - 1, (const uint8_t *)guid);
	sha1_digest(&c, sizeof d, d);
	base64_encode_init(&b);
	n = base64_encode_update(&b, out, sizeof d, d);
	n += base64_encode_final(&b, out + n);
	out[n] = '\0';
}

static ssize_t
ws_recv(wslay_event_context_ptr ctx, uint8_t *data, size_t len, int flags,
    void *arg)
{
	struct inspector	*in = arg;
	ssize_t			 n;

	(void)flags;
	if (in->pre_off < in->pre.len) {
		n = (ssize_t)(in->pre.len - in->pre_off);
		if ((size_t)n > len)
			n = (ssize_t)len;
		memcpy(data, in->pre.data + in->pre_off, (size_t)n);
		in->pre_off += (size_t)n;
		return n;
	}
	n = recv(in->fd, data, len, 0);
	if (n == 0) {
		snprintf(in->why, sizeof in->why, "the inspector closed the "
		    "connection");
		wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
		return -1;
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
		else {
			snprintf(in->why, sizeof in->why, "recv: %s",
			    strerror(errno));
			wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
		}
		return -1;
	}
	return n;
}

static ssize_t
ws_send(wslay_event_context_ptr ctx, const uint8_t *data, size_t len,
    int flags, void *arg)
{
	struct inspector	*in = arg;
	ssize_t			 n;

	(void)flags;
	n = send(in->fd, data, len, MSG_NOSIGNAL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
		else
			wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
		return -1;
	}
	return n;
}

static int
ws_genmask(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, void *arg)
{
	(void)ctx;
	(void)arg;
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

static void
ws_msg(wslay_event_context_ptr ctx,
    const struct wslay_event_on_msg_recv_arg *m, void *arg)
{
	struct inspector	*in = arg;
	json_t			*j, *id;
	json_error_t		 je;

	(void)ctx;
	if (m->opcode != WSLAY_TEXT_FRAME)
		return;
	j = json_loadb((const char *)m->msg, m->msg_length, 0, &je);
	if (!json_is_object(j)) {
		in->garbage++;
		json_decref(j);
		return;
	}
	id = json_object_get(j, "id");
	if (json_is_integer(id) && json_integer_value(id) == in->want_id &&
	    in->reply == NULL) {
		in->reply = j;
		return;
	}
	json_decref(j);	/* an event, or an answer nobody waits for */
}

struct inspector *
inspector_open(const struct listen_sock *s, const char *ws_path,
    double deadline, char *err, size_t errlen)
{
	static const struct wslay_event_callbacks cb = {
		.recv_callback = ws_recv, .send_callback = ws_send,
		.genmask_callback = ws_genmask, .on_msg_recv_callback = ws_msg,
	};
	struct inspector	*in = xcalloc(1, sizeof *in);
	uint8_t			 raw[16];
	char			 key[32], want[32], got[64], req[1024];
	char			 host[64];
	struct base64_encode_ctx b;
	size_t			 n, hl;
	char			 why[512];

	buf_init(&in->pre);
	in->fd = -1;
	if (inspector_lib_load(why, sizeof why) != 0) {
		seterr(err, errlen, "%s", why);
		goto fail;
	}
	in->fd = connect_to(s, deadline, err, errlen);
	if (in->fd == -1)
		goto fail;
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
		seterr(err, errlen, "getrandom failed");
		goto fail;
	}
	base64_encode_init(&b);
	n = base64_encode_update(&b, key, sizeof raw, raw);
	n += base64_encode_final(&b, key + n);
	key[n] = '\0';
	snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%u\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
	    ws_path, netsock_host(s, host, sizeof host), s->port, key);
	if (send_all(in->fd, req, strlen(req), deadline, err, errlen) != 0 ||
	    read_headers(in->fd, &in->pre, &hl, deadline, err, errlen) != 0)
		goto fail;
	if (http_status(in->pre.data) != 101) {
		seterr(err, errlen, "websocket upgrade refused: \"%.40s\"",
		    in->pre.data);
		goto fail;
	}
	inspector_accept_key(key, want);
	if (header(in->pre.data, hl, "Sec-WebSocket-Accept", got,
	    sizeof got) != 0 || strcmp(got, want) != 0) {
		seterr(err, errlen, "bad Sec-WebSocket-Accept from the inspector");
		goto fail;
	}
	in->pre_off = hl;
	if (wslay_event_context_client_init(&in->ws, &cb, in) != 0) {
		seterr(err, errlen, "wslay: out of memory");
		goto fail;
	}
	/* a frame that claims more than this fails the connection */
	wslay_event_config_set_max_recv_msg_length(in->ws, INSPECTOR_MAX_MSG);
	in->next_id = 1;
	return in;
fail:
	inspector_close(in);
	return NULL;
}

void
inspector_close(struct inspector *in)
{
	if (in == NULL)
		return;
	if (in->ws != NULL)
		wslay_event_context_free(in->ws);
	if (in->fd != -1)
		close(in->fd);
	json_decref(in->reply);
	buf_done(&in->pre);
	free(in);
}

static int
queue(struct inspector *in, const char *method, json_t *params, int id)
{
	json_t			*m = json_object();
	char			*s;
	struct wslay_event_msg	 msg;
	int			 rc;

	json_object_set_new(m, "id", json_integer(id));
	json_object_set_new(m, "method", json_string(method));
	if (params != NULL)
		json_object_set(m, "params", params);
	s = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	msg.opcode = WSLAY_TEXT_FRAME;
	msg.msg = (const uint8_t *)s;
	msg.msg_length = strlen(s);
	rc = wslay_event_queue_msg(in->ws, &msg);
	free(s);
	return rc;
}

/* Pumps the connection until pred() or the deadline. */
static int
pump(struct inspector *in, double deadline, bool (*done)(struct inspector *),
    char *err, size_t errlen)
{
	struct pollfd	p;

	for (;;) {
		if (wslay_event_want_write(in->ws) &&
		    wslay_event_send(in->ws) != 0) {
			seterr(err, errlen, "websocket send failed");
			return -1;
		}
		if (done(in))
			return 0;
		if (!wslay_event_want_read(in->ws)) {
			seterr(err, errlen, "%s", in->why[0] ? in->why :
			    "the inspector closed the websocket (or sent an "
			    "oversize or broken frame)");
			return -1;
		}
		p.fd = in->fd;
		p.events = POLLIN | (wslay_event_want_write(in->ws) ? POLLOUT : 0);
		if (poll(&p, 1, ms_left(deadline)) != 1) {
			seterr(err, errlen, inspector_cancelled ? "cancelled" :
			    in->garbage ? "timed out (and %d unparsable "
			    "messages)" : "timed out", in->garbage);
			return -1;
		}
		if ((p.revents & (POLLIN | POLLHUP | POLLERR)) &&
		    wslay_event_recv(in->ws) != 0) {
			seterr(err, errlen, "%s", in->why[0] ? in->why :
			    "broken or oversize websocket frame");
			return -1;
		}
	}
}

static bool
have_reply(struct inspector *in)
{
	return in->reply != NULL;
}

static bool
sent_all(struct inspector *in)
{
	return !wslay_event_want_write(in->ws);
}

json_t *
inspector_call(struct inspector *in, const char *method, json_t *params,
    double deadline, char *err, size_t errlen)
{
	json_t	*r, *res, *e;

	json_decref(in->reply);
	in->reply = NULL;
	in->want_id = in->next_id++;
	if (queue(in, method, params, in->want_id) != 0) {
		seterr(err, errlen, "cannot queue %s", method);
		return NULL;
	}
	if (pump(in, deadline, have_reply, err, errlen) != 0) {
		char	tmp[256];

		snprintf(tmp, sizeof tmp, "%s: %s", method, err);
		seterr(err, errlen, "%s", tmp);
		return NULL;
	}
	r = in->reply;
	in->reply = NULL;
	e = json_object_get(r, "error");
	if (e != NULL) {
		json_t	*msg = json_object_get(e, "message");

		seterr(err, errlen, "%s: %s", method, json_is_string(msg) ?
		    json_string_value(msg) : "error");
		json_decref(r);
		return NULL;
	}
	res = json_object_get(r, "result");
	if (!json_is_object(res)) {
		seterr(err, errlen, "%s: answer without a result", method);
		json_decref(r);
		return NULL;
	}
	json_incref(res);
	json_decref(r);
	return res;
}

int
inspector_send(struct inspector *in, const char *method, json_t *params)
{
	char	err[64];

	if (queue(in, method, params, in->next_id++) != 0)
		return -1;
	return pump(in, clock_mono() + 1, sent_all, err, sizeof err);
}

int
inspector_feed(const uint8_t *data, size_t len, int *nmsgs)
{
	static const struct wslay_event_callbacks cb = {
		.recv_callback = ws_recv, .send_callback = ws_send,
		.genmask_callback = ws_genmask, .on_msg_recv_callback = ws_msg,
	};
	struct inspector	in;
	char			why[512];
	int			rc;

	*nmsgs = 0;
	if (inspector_lib_load(why, sizeof why) != 0)
		return -1;
	memset(&in, 0, sizeof in);
	in.fd = -1;
	buf_init(&in.pre);
	buf_append(&in.pre, data, len);
	in.want_id = 1;
	if (wslay_event_context_client_init(&in.ws, &cb, &in) != 0) {
		buf_done(&in.pre);
		return -1;
	}
	wslay_event_config_set_max_recv_msg_length(in.ws, INSPECTOR_MAX_MSG);
	/* the socket behind the bytes is gone: recv fails after them */
	rc = wslay_event_recv(in.ws);
	*nmsgs = in.reply != NULL ? 1 : 0;
	json_decref(in.reply);
	wslay_event_context_free(in.ws);
	buf_done(&in.pre);
	return rc;
}
