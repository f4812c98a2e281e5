#include "config.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "output/serve.h"
#include "util/lazylib.h"
#include "util/xmalloc.h"

/*
 * libmicrohttpd is opened by serve_start (util/lazylib.h), not at program
 * start; its functions are called through these pointers, under the
 * library's own names (the macros below), so the code reads as usual.
 */
static struct {
	__typeof__(MHD_add_response_header)	*add_response_header;
	__typeof__(MHD_create_response_from_buffer)	*create_response_from_buffer;
	__typeof__(MHD_create_response_from_buffer_with_free_callback_cls)	*create_response_from_buffer_with_free_callback_cls;
	__typeof__(MHD_destroy_response)	*destroy_response;
	__typeof__(MHD_get_daemon_info)	*get_daemon_info;
	__typeof__(MHD_is_feature_supported)	*is_feature_supported;
	__typeof__(MHD_lookup_connection_value)	*lookup_connection_value;
	__typeof__(MHD_queue_response)	*queue_response;
	__typeof__(MHD_set_connection_option)	*set_connection_option;
	__typeof__(MHD_start_daemon)	*start_daemon;
	__typeof__(MHD_stop_daemon)	*stop_daemon;
} mhd;
static const struct lazylib_sym mhd_syms[] = {
	{ "MHD_add_response_header", (void **)&mhd.add_response_header },
	{ "MHD_create_response_from_buffer", (void **)&mhd.create_response_from_buffer },
	{ "MHD_create_response_from_buffer_with_free_callback_cls", (void **)&mhd.create_response_from_buffer_with_free_callback_cls },
	{ "MHD_destroy_response", (void **)&mhd.destroy_response },
	{ "MHD_get_daemon_info", (void **)&mhd.get_daemon_info },
	{ "MHD_is_feature_supported", (void **)&mhd.is_feature_supported },
	{ "MHD_lookup_connection_value", (void **)&mhd.lookup_connection_value },
	{ "MHD_queue_response", (void **)&mhd.queue_response },
	{ "MHD_set_connection_option", (void **)&mhd.set_connection_option },
	{ "MHD_start_daemon", (void **)&mhd.start_daemon },
	{ "MHD_stop_daemon", (void **)&mhd.stop_daemon },
};
#define MHD_add_response_header	mhd.add_response_header
#define MHD_create_response_from_buffer	mhd.create_response_from_buffer
#define MHD_create_response_from_buffer_with_free_callback_cls	mhd.create_response_from_buffer_with_free_callback_cls
#define MHD_destroy_response	mhd.destroy_response
#define MHD_get_daemon_info	mhd.get_daemon_info
#define MHD_is_feature_supported	mhd.is_feature_supported
#define MHD_lookup_connection_value	mhd.lookup_connection_value
#define MHD_queue_response	mhd.queue_response
#define MHD_set_connection_option	mhd.set_connection_option
#define MHD_start_daemon	mhd.start_daemon
#define MHD_stop_daemon	mhd.stop_daemon

/*
 * zlib, for the gzip of a scrape, opened by serve_start too: linked, its
 * loading was paid by every start (-b's, `memtop maps`'). Without it every
 * scrape is answered uncompressed, as serve_start says.
 */
#define Z_FUNCS(X)	X(deflate) X(deflateBound) X(deflateEnd) X(deflateInit2_)
#define Z_FN(f)		__typeof__(f) *p_##f;
static struct {
	Z_FUNCS(Z_FN)
} zl;
#undef Z_FN
#define Z_SYM(f)	{ #f, (void **)&zl.p_##f },
static const struct lazylib_sym z_syms[] = { Z_FUNCS(Z_SYM) };
#undef Z_SYM
static bool	zlib_ok;	/* written before the server's threads start */
#define deflate		(*zl.p_deflate)
#define deflateBound	(*zl.p_deflateBound)
#define deflateEnd	(*zl.p_deflateEnd)
#define deflateInit2_	(*zl.p_deflateInit2_)

/*
 * One published exposition, and its gzip form (Prometheus asks for gzip:
 * compressed once per refresh, not once per scrape); freed when the last
 * response using it is.
 */
struct expo {
	atomic_uint	 refs;
	size_t		 len;
	char		*data;
	size_t		 gz_len;
	unsigned char	*gz;		/* NULL if compression failed */
};

struct serve {
	struct MHD_Daemon	*d;
	pthread_mutex_t		 lock;
	struct expo		*cur;		/* NULL before the first refresh */
	atomic_uint_fast64_t	 requests;
	char			 addr[80];
};

static const char content_type[] = "text/plain; version=0.0.4; charset=utf-8";

/*
 * Slow clients must not starve scrapes and the liveness probe (a
 * "slowloris" holding every connection by sending a header byte every few
 * seconds). A connection may be idle at most SERVE_HEADER_TIMEOUT seconds
 * while its request header comes in (or between two requests of a kept-open
 * one), SERVE_BODY_TIMEOUT while its response goes out; one address holds
 * at most SERVE_PER_IP connections (Prometheus and kubelet use one or two);
 * up to SERVE_CONN_MAX connections at once, polled with epoll (no 1024-fd
 * select limit), each with a SERVE_CONN_MEMORY pool (requests are a few
 * hundred bytes; the response body is sent from the published buffer).
 */
#define SERVE_HEADER_TIMEOUT	2
#define SERVE_BODY_TIMEOUT	10
#define SERVE_PER_IP		64
#define SERVE_CONN_MAX		2048
#define SERVE_CONN_MEMORY	(16 * 1024)

static void
expo_unref(void *cls)
{
	struct expo	*e = cls;

	if (e != NULL && atomic_fetch_sub(&e->refs, 1) == 1) {
		free(e->data);
		free(e->gz);
		free(e);
	}
}

int
serve_parse_addr(const char *s, struct sockaddr_storage *sa, socklen_t *salen,
    char *cause, size_t causelen)
{
	struct addrinfo	 hints, *res = NULL;
	char		 host[64];
	const char	*colon, *port, *h;
	size_t		 hl;
	int		 rc;

	if (s[0] == '[') {
		colon = strstr(s, "]:");
		h = s + 1;
		hl = colon != NULL ? (size_t)(colon - h) : 0;
		port = colon != NULL ? colon + 2 : NULL;
	} else {
		colon = strrchr(s, ':');
		h = s;
		hl = colon != NULL ? (size_t)(colon - s) : 0;
		port = colon != NULL ? colon + 1 : NULL;
	}
	if (port == NULL || *port == '\0' || strspn(port, "0123456789") !=
	    strlen(port) || atol(port) > 65535 || hl >= sizeof host) {
		snprintf(cause, causelen, "--serve %s: want HOST:PORT, "
		    "[IPV6]:PORT or :PORT", s);
		return -1;
	}
	if (s[0] == '[' && hl == 0) {
		snprintf(cause, causelen, "--serve %s: no address in the "
		    "brackets: [::]:PORT is every IPv6 address, :PORT every "
		    "IPv4 one", s);
		return -1;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (hl == 0)
		hints.ai_family = AF_INET;
	rc = getaddrinfo(hl == 0 ? NULL : host, port, &hints, &res);
	if (rc != 0 || res == NULL) {
		snprintf(cause, causelen, "--serve %s: %s", s, rc != 0 ?
		    gai_strerror(rc) : "no address");
		return -1;
	}
	memcpy(sa, res->ai_addr, res->ai_addrlen);
	*salen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static enum MHD_Result
reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* gzip of buf, level 1: labels repeat, so even the fastest level gives ~10x. */
static unsigned char *
gzip(const char *buf, size_t len, size_t *outlen)
{
	z_stream	 z;
	unsigned char	*out;
	size_t		 cap;

	if (!zlib_ok)
		return NULL;	/* served uncompressed */
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&z, (uLong)len);
	out = xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)buf;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

/* Whether the client takes gzip (Accept-Encoding lists it, not with q=0). */
static bool
wants_gzip(struct MHD_Connection *c)
{
	const char	*ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
			    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	const char	*g;

	if (ae == NULL || (g = strstr(ae, "gzip")) == NULL)
		return false;
	g += 4;
	while (*g == ' ')
		g++;
	return !(strncmp(g, ";q=0", 4) == 0 && strspn(g + 4, ".0") ==
	    strcspn(g + 4, ","));
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **req)
{
	struct serve		*s = cls;
	struct MHD_Response	*r;
	struct expo		*e;
	enum MHD_Result		 ret;
	bool			 gz;

	(void)version;
	(void)upload;
	(void)req;
	/* the header is in: give the response time to go out */
	MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT,
	    (unsigned)SERVE_BODY_TIMEOUT);
	if (*upload_len != 0) {
		*upload_len = 0;	/* a body: ignored */
		return MHD_YES;
	}
	atomic_fetch_add(&s->requests, 1);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "only GET and HEAD\n");
	if (strcmp(url, "/") == 0)
		return reply_text(c, MHD_HTTP_OK, "memtop: metrics at "
		    "/metrics, liveness at /healthz\n");
	if (strcmp(url, "/healthz") == 0)
		return reply_text(c, MHD_HTTP_OK, "ok\n");
	if (strcmp(url, "/metrics") != 0)
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: try "
		    "/metrics\n");
	pthread_mutex_lock(&s->lock);
	e = s->cur;
	if (e != NULL)
		atomic_fetch_add(&e->refs, 1);
	pthread_mutex_unlock(&s->lock);
	if (e == NULL)
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "memtop: the first refresh is not done yet\n");
	gz = e->gz != NULL && wants_gzip(c);
	r = MHD_create_response_from_buffer_with_free_callback_cls(gz ?
	    e->gz_len : e->len, gz ? (void *)e->gz : e->data, expo_unref, e);
	if (r == NULL) {
		expo_unref(e);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	if (gz)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING,
		    "gzip");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* A response is done: the next request's header gets the short timeout. */
static void
on_completed(void *cls, struct MHD_Connection *c, void **req,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)req;
	(void)toe;
	MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT,
	    (unsigned)SERVE_HEADER_TIMEOUT);
}

/*
 * How many connections at once: SERVE_CONN_MAX if the descriptor limit
 * allows it (the soft limit is raised towards the hard one), else what it
 * allows with some left for the refresh loop's own files.
 */
static unsigned
conn_limit(void)
{
	struct rlimit	rl;
	rlim_t		want = SERVE_CONN_MAX + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 512;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > want ? want : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return SERVE_CONN_MAX;
	return rl.rlim_cur > 256 ? (unsigned)(rl.rlim_cur - 128) :
	    (unsigned)(rl.rlim_cur / 2);
}

static void
format_addr(const struct sockaddr_storage *sa, uint16_t port, char *buf,
    size_t len)
{
	char	ip[INET6_ADDRSTRLEN];

	if (sa->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, ip, sizeof ip);
		snprintf(buf, len, "[%s]:%u", ip, (unsigned)port);
	} else {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, ip, sizeof ip);
		snprintf(buf, len, "%s:%u", ip, (unsigned)port);
	}
}

static struct MHD_Daemon *
start_daemon(struct serve *s, unsigned flags,
    const struct sockaddr_storage *sa)
{
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa,
	    MHD_OPTION_CONNECTION_LIMIT, conn_limit(),
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVE_PER_IP,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_HEADER_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_CONN_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512,
	    MHD_OPTION_END);
}

/* The IPv6 unspecified address: listen dual-stack (IPv4 too). */
static bool
any_v6(const struct sockaddr_storage *sa)
{
	return sa->ss_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(
	    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
}

/* Whether this kernel has IPv6 sockets at all (ipv6.disable=1: no). */
static bool
v6_supported(void)
{
	int	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

struct serve *
serve_start(const char *addr, char *cause, size_t causelen)
{
	struct sockaddr_storage	 sa;
	socklen_t		 salen;
	struct serve		*s;
	const union MHD_DaemonInfo *info;
	unsigned		 flags = MHD_USE_AUTO_INTERNAL_THREAD;
	sigset_t		 block, old;
	char			 zcause[256];

	if (serve_parse_addr(addr, &sa, &salen, cause, causelen) != 0)
		return NULL;
	if (lazylib_open(MHD_SONAME, mhd_syms, sizeof mhd_syms /
	    sizeof mhd_syms[0], cause, causelen) != 0)
		return NULL;
	/* no zlib: said in cause, which serves on */
	zlib_ok = lazylib_open(ZLIB_SONAME, z_syms, sizeof z_syms /
	    sizeof z_syms[0], zcause, sizeof zcause) == 0;
	if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
		flags = MHD_USE_EPOLL_INTERNAL_THREAD;
	if (sa.ss_family == AF_INET6)
		flags |= any_v6(&sa) ? MHD_USE_DUAL_STACK : MHD_USE_IPv6;
	s = xcalloc(1, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	/*
	 * Port 0 asks the kernel for a free one; no error log (a scraper that
	 * hangs up early is not memtop's problem). The server's thread inherits
	 * a mask without SIGINT/SIGTERM: they reach the refresh loop, whose
	 * sleep they end.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	s->d = start_daemon(s, flags, &sa);
	/* [::] on a kernel without IPv6: every IPv4 address, as :PORT */
	if (s->d == NULL && any_v6(&sa) && !v6_supported()) {
		struct sockaddr_in	*in = (struct sockaddr_in *)(void *)&sa;
		uint16_t		 port = ((struct sockaddr_in6 *)
					    (void *)&sa)->sin6_port;

		memset(&sa, 0, sizeof sa);
		in->sin_family = AF_INET;
		in->sin_port = port;
		in->sin_addr.s_addr = htonl(INADDR_ANY);
		s->d = start_daemon(s, flags & ~MHD_USE_DUAL_STACK, &sa);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (s->d == NULL) {
		snprintf(cause, causelen, "--serve %s: cannot listen (in use, "
		    "or not an address of this host)", addr);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return NULL;
	}
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	format_addr(&sa, info != NULL ? info->port : 0, s->addr,
	    sizeof s->addr);
	if (zlib_ok)
		cause[0] = '\0';
	else
		snprintf(cause, causelen, " (answered without gzip: %s; "
		    "Debian: zlib1g)", zcause);
	return s;
}

const char *
serve_address(const struct serve *s)
{
	return s->addr;
}

void
serve_publish(struct serve *s, char *buf, size_t len)
{
	struct expo	*e = xmalloc(sizeof *e), *old;

	atomic_init(&e->refs, 1);
	e->data = buf;
	e->len = len;
	e->gz = gzip(buf, len, &e->gz_len);
	pthread_mutex_lock(&s->lock);
	old = s->cur;
	s->cur = e;
	pthread_mutex_unlock(&s->lock);
	expo_unref(old);
}

uint64_t
serve_requests(struct serve *s)
{
	return atomic_load(&s->requests);
}

void
serve_stop(struct serve *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->d);
	expo_unref(s->cur);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
