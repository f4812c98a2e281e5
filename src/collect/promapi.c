/*
 * The Prometheus HTTP API over libcurl, and the parser of its answers.
 * Requests are POSTed forms (a query naming every workload of a node can
 * be longer than a URL should be), with a connect and a total timeout and a
 * cap on the answer's size; the answer is JSON (jansson).
 */
#include "config.h"

#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/promapi.h"
#include "util/lazylib.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

/*
 * libcurl is opened by the first promapi_create (util/lazylib.h), not at
 * program start; its functions are called through these pointers, under
 * the library's own names (the macros below), so the code reads as usual.
 * (curl.h's compile-time checks of curl_easy_setopt's arguments are
 * macros of the same names: off, CURL_DISABLE_TYPECHECK; the argument
 * count check that stays is undefined here.)
 */
static struct {
	__typeof__(curl_global_init)	*global_init;
	__typeof__(curl_easy_cleanup)	*easy_cleanup;
	__typeof__(curl_easy_escape)	*easy_escape;
	__typeof__(curl_easy_getinfo)	*easy_getinfo;
	__typeof__(curl_easy_init)	*easy_init;
	__typeof__(curl_easy_perform)	*easy_perform;
	__typeof__(curl_easy_reset)	*easy_reset;
	__typeof__(curl_easy_setopt)	*easy_setopt;
	__typeof__(curl_easy_strerror)	*easy_strerror;
	__typeof__(curl_free)	*free;
	__typeof__(curl_slist_append)	*slist_append;
	__typeof__(curl_slist_free_all)	*slist_free_all;
	__typeof__(curl_url)	*url;
	__typeof__(curl_url_cleanup)	*url_cleanup;
	__typeof__(curl_url_get)	*url_get;
	__typeof__(curl_url_set)	*url_set;
} lcurl;
static const struct lazylib_sym lcurl_syms[] = {
	{ "curl_global_init", (void **)&lcurl.global_init },
	{ "curl_easy_cleanup", (void **)&lcurl.easy_cleanup },
	{ "curl_easy_escape", (void **)&lcurl.easy_escape },
	{ "curl_easy_getinfo", (void **)&lcurl.easy_getinfo },
	{ "curl_easy_init", (void **)&lcurl.easy_init },
	{ "curl_easy_perform", (void **)&lcurl.easy_perform },
	{ "curl_easy_reset", (void **)&lcurl.easy_reset },
	{ "curl_easy_setopt", (void **)&lcurl.easy_setopt },
	{ "curl_easy_strerror", (void **)&lcurl.easy_strerror },
	{ "curl_free", (void **)&lcurl.free },
	{ "curl_slist_append", (void **)&lcurl.slist_append },
	{ "curl_slist_free_all", (void **)&lcurl.slist_free_all },
	{ "curl_url", (void **)&lcurl.url },
	{ "curl_url_cleanup", (void **)&lcurl.url_cleanup },
	{ "curl_url_get", (void **)&lcurl.url_get },
	{ "curl_url_set", (void **)&lcurl.url_set },
};
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init	lcurl.global_init
#define curl_easy_cleanup	lcurl.easy_cleanup
#define curl_easy_escape	lcurl.easy_escape
#define curl_easy_getinfo	lcurl.easy_getinfo
#define curl_easy_init	lcurl.easy_init
#define curl_easy_perform	lcurl.easy_perform
#define curl_easy_reset	lcurl.easy_reset
#define curl_easy_setopt	lcurl.easy_setopt
#define curl_easy_strerror	lcurl.easy_strerror
#define curl_free	lcurl.free
#define curl_slist_append	lcurl.slist_append
#define curl_slist_free_all	lcurl.slist_free_all
#define curl_url	lcurl.url
#define curl_url_cleanup	lcurl.url_cleanup
#define curl_url_get	lcurl.url_get
#define curl_url_set	lcurl.url_set

struct promapi {
	CURL		*curl;
	char		*url;		/* without a trailing slash */
	char		*token_file;
	char		*ca_file;
	double		 connect_timeout, timeout;
	size_t		 max_body;
	struct buf	 body;
	bool		 over;		/* the answer passed max_body */
	char		 err[CURL_ERROR_SIZE];
	const volatile int *abort;
};

static pthread_once_t	promapi_once = PTHREAD_ONCE_INIT;
static CURLcode		promapi_global_rc;
static char		promapi_lib_err[256];	/* "" if libcurl opened */

static void
promapi_global(void)
{
	if (lazylib_open(CURL_SONAME, lcurl_syms, sizeof lcurl_syms /
	    sizeof lcurl_syms[0], promapi_lib_err,
	    sizeof promapi_lib_err) != 0) {
		promapi_global_rc = CURLE_FAILED_INIT;
		return;
	}
	promapi_global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Reads the bearer token (trailing whitespace cut) into b; 0 or -1. */
static int
read_token(const char *path, struct buf *b, char *why, size_t len)
{
	int	rc;

	rc = read_file_secret(path, b, 64 * 1024);
	if (rc != 0) {
		snprintf(why, len, "--prometheus-token-file %s: %s", path,
		    strerror(-rc));
		return -1;
	}
	while (b->len > 0 && (b->data[b->len - 1] == '\n' ||
	    b->data[b->len - 1] == '\r' || b->data[b->len - 1] == ' ' ||
	    b->data[b->len - 1] == '\t'))
		b->data[--b->len] = '\0';
	if (b->len == 0 || strpbrk(b->data, "\r\n") != NULL) {
		snprintf(why, len, "--prometheus-token-file %s: %s", path,
		    b->len == 0 ? "empty" : "more than one line");
		return -1;
	}
	return 0;
}

static void
token_wipe(struct buf *b)
{
	if (b->data != NULL)
		explicit_bzero(b->data, b->cap);
	buf_done(b);
}

/* Refuses a URL that is no http(s) URL or carries credentials. */
static int
check_url(const char *url, char *why, size_t len)
{
	CURLU		*u = curl_url();
	char		*part = NULL;
	int		 rc = -1;

	if (u == NULL) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		snprintf(why, len, "--prometheus %s: not a URL (e.g. "
		    "http://prometheus.monitoring:9090)", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &part, 0) != CURLUE_OK ||
	    (strcmp(part, "http") != 0 && strcmp(part, "https") != 0)) {
		snprintf(why, len, "--prometheus %s: only http:// and "
		    "https:// URLs", url);
		goto out;
	}
	curl_free(part);
	part = NULL;
	if (curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK) {
		snprintf(why, len, "--prometheus: a user or password in the "
		    "URL is refused (it would show in ps, logs and messages): "
		    "put a bearer token in a file and pass "
		    "--prometheus-token-file, or reach Prometheus without "
		    "basic auth (e.g. a port-forward or an in-cluster "
		    "Service)");
		goto out;
	}
	rc = 0;
out:
	curl_free(part);
	curl_url_cleanup(u);
	return rc;
}

struct promapi *
promapi_create(const struct promapi_conf *c, char *why, size_t len)
{
	struct promapi	*p;
	struct buf	 tok;
	FILE		*f;
	size_t		 n;

	pthread_once(&promapi_once, promapi_global);
	if (promapi_lib_err[0] != '\0') {
		snprintf(why, len, "libcurl: %s", promapi_lib_err);
		return NULL;
	}
	if (promapi_global_rc != CURLE_OK) {
		snprintf(why, len, "libcurl: %s",
		    curl_easy_strerror(promapi_global_rc));
		return NULL;
	}
	if (check_url(c->url, why, len) != 0)
		return NULL;
	if (c->token_file != NULL) {
		buf_init(&tok);
		if (read_token(c->token_file, &tok, why, len) != 0) {
			token_wipe(&tok);
			return NULL;
		}
		token_wipe(&tok);
	}
	if (c->ca_file != NULL) {
		if ((f = fopen(c->ca_file, "r")) == NULL) {
			snprintf(why, len, "--prometheus-ca-file %s: %s",
			    c->ca_file, strerror(errno));
			return NULL;
		}
		fclose(f);
	}
	p = xcalloc(1, sizeof *p);
	p->curl = curl_easy_init();
	if (p->curl == NULL) {
		snprintf(why, len, "libcurl: cannot make a handle");
		free(p);
		return NULL;
	}
	p->url = xstrdup(c->url);
	for (n = strlen(p->url); n > 0 && p->url[n - 1] == '/'; n--)
		p->url[n - 1] = '\0';
	p->token_file = c->token_file ? xstrdup(c->token_file) : NULL;
	p->ca_file = c->ca_file ? xstrdup(c->ca_file) : NULL;
	p->connect_timeout = c->connect_timeout > 0 ? c->connect_timeout : 3;
	p->timeout = c->timeout > 0 ? c->timeout : 5;
	p->max_body = c->max_body ? c->max_body : PROMAPI_MAX_BODY;
	buf_init(&p->body);
	return p;
}

void
promapi_free(struct promapi *p)
{
	if (p == NULL)
		return;
	curl_easy_cleanup(p->curl);
	buf_done(&p->body);
	free(p->url);
	free(p->token_file);
	free(p->ca_file);
	free(p);
}

void
promapi_set_abort(struct promapi *p, const volatile int *flag)
{
	p->abort = flag;
}

static int
on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	struct promapi	*p = arg;

	(void)dt; (void)dn; (void)ut; (void)un;
	return p->abort != NULL && *p->abort;
}

const char *
promapi_url(const struct promapi *p)
{
	return p->url;
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct promapi	*p = arg;
	size_t		 n = size * nmemb;

	if (p->body.len + n > p->max_body) {
		p->over = true;
		return 0;	/* curl stops with a write error */
	}
	buf_append(&p->body, data, n);
	return n;
}

/* "16 MiB", "512 KiB" */
static void
size_words(size_t n, char *buf, size_t len)
{
	if (n >= (1u << 20) && n % (1u << 20) == 0)
		snprintf(buf, len, "%zu MiB", n >> 20);
	else
		snprintf(buf, len, "%zu KiB", n >> 10);
}

/* POSTs form to path; the answer's body in p->body. 0, or -1 with why. */
static int
post(struct promapi *p, const char *path, const char *form, char *why,
    size_t len)
{
	struct curl_slist	*hdr = NULL;
	struct buf		 tok;
	char			*url, *auth = NULL, sz[32];
	long			 code = 0;
	CURLcode		 rc;
	int			 ret = -1;

	buf_init(&tok);
	if (p->token_file != NULL) {
		/* read at each request: service account tokens rotate */
		if (read_token(p->token_file, &tok, why, len) != 0)
			goto out;
		auth = xasprintf("Authorization: Bearer %s", tok.data);
		hdr = curl_slist_append(hdr, auth);
	}
	url = xasprintf("%s%s", p->url, path);
	buf_reset(&p->body);
	p->over = false;
	p->err[0] = '\0';
	curl_easy_reset(p->curl);
	curl_easy_setopt(p->curl, CURLOPT_URL, url);
	curl_easy_setopt(p->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(p->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, form);
	curl_easy_setopt(p->curl, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(p->connect_timeout * 1000));
	curl_easy_setopt(p->curl, CURLOPT_TIMEOUT_MS, (long)(p->timeout * 1000));
	curl_easy_setopt(p->curl, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)p->max_body);
	curl_easy_setopt(p->curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(p->curl, CURLOPT_USERAGENT, "memtop/" PACKAGE_VERSION);
	curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(p->curl, CURLOPT_WRITEDATA, p);
	curl_easy_setopt(p->curl, CURLOPT_ERRORBUFFER, p->err);
	curl_easy_setopt(p->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(p->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(p->curl, CURLOPT_XFERINFODATA, p);
	if (hdr != NULL)
		curl_easy_setopt(p->curl, CURLOPT_HTTPHEADER, hdr);
	if (p->ca_file != NULL)
		curl_easy_setopt(p->curl, CURLOPT_CAINFO, p->ca_file);
	rc = curl_easy_perform(p->curl);
	free(url);
	curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &code);
	if (p->over || rc == CURLE_FILESIZE_EXCEEDED) {
		size_words(p->max_body, sz, sizeof sz);
		snprintf(why, len, "answer over %s refused (%s)", sz, p->url);
	} else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(why, len, "timeout after %g s (%s)", p->timeout,
		    p->url);
	else if (rc == CURLE_COULDNT_CONNECT) {
		long	oe = 0;

		curl_easy_getinfo(p->curl, CURLINFO_OS_ERRNO, &oe);
		snprintf(why, len, "cannot connect: %s (%s)", oe != 0 ?
		    strerror((int)oe) : "no route", p->url);
	} else if (rc == CURLE_COULDNT_RESOLVE_HOST)
		snprintf(why, len, "cannot resolve the host (%s)", p->url);
	else if (rc != CURLE_OK)
		snprintf(why, len, "%s (%s)", p->err[0] != '\0' ? p->err :
		    curl_easy_strerror(rc), p->url);
	else if (code < 200 || code > 299) {
		/* Prometheus explains a 4xx/5xx in a JSON error body */
		struct promapi_result	r;
		char			w[256];

		if (code >= 400 && promapi_parse(p->body.data, p->body.len,
		    &r, w, sizeof w) != 0 && strncmp(w, "prometheus:", 11) == 0)
			snprintf(why, len, "HTTP %ld: %s (%s)", code, w + 12,
			    p->url);
		else
			snprintf(why, len, "HTTP %ld (%s)", code, p->url);
	} else
		ret = 0;
out:
	curl_easy_setopt(p->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdr);
	if (auth != NULL) {
		explicit_bzero(auth, strlen(auth));
		free(auth);
	}
	token_wipe(&tok);
	return ret;
}

/*
 * POSTs query q (escaped) with the parameters params to path and parses
 * the answer, which must be a matrix (else a vector; an empty answer is
 * either). 0, or -1 with why.
 */
static int
query(struct promapi *p, const char *path, const char *q, const char *params,
    bool matrix, struct promapi_result *r, char *why, size_t len)
{
	char	*e, *form, w[384];
	int	 rc = -1;

	memset(r, 0, sizeof *r);
	if ((e = curl_easy_escape(p->curl, q, 0)) == NULL) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	form = xasprintf("query=%s%s", e, params);
	curl_free(e);
	if (post(p, path, form, why, len) != 0)
		goto out;
	if (promapi_parse(p->body.data, p->body.len, r, w, sizeof w) != 0) {
		snprintf(why, len, "%s (%s)", w, p->url);
		goto out;
	}
	if (r->matrix != matrix && r->n > 0) {
		promapi_result_done(r);
		snprintf(why, len, "a%s query answered a %s (%s)", matrix ?
		    " range" : "n instant", matrix ? "vector" : "matrix",
		    p->url);
		goto out;
	}
	rc = 0;
out:
	free(form);
	return rc;
}

int
promapi_query(struct promapi *p, const char *q, double at,
    struct promapi_result *r, char *why, size_t len)
{
	char	params[64] = "";

	if (at > 0)
		snprintf(params, sizeof params, "&time=%.3f", at);
	return query(p, "/api/v1/query", q, params, false, r, why, len);
}

int
promapi_query_range(struct promapi *p, const char *q, double start,
    double end, double step, struct promapi_result *r, char *why, size_t len)
{
	char	params[128];

	snprintf(params, sizeof params, "&start=%.3f&end=%.3f&step=%.3f",
	    start, end, step);
	return query(p, "/api/v1/query_range", q, params, true, r, why, len);
}

void
promapi_result_done(struct promapi_result *r)
{
	size_t	i, k;

	for (i = 0; i < r->n; i++) {
		for (k = 0; k < r->s[i].nlabels; k++) {
			free(r->s[i].names[k]);
			free(r->s[i].values[k]);
		}
		free(r->s[i].t);
		free(r->s[i].v);
	}
	free(r->s);
	memset(r, 0, sizeof *r);
}

/* One [time, "value"] pair; false if it is not one. */
static bool
sample_parse(const json_t *pair, double *t, double *v)
{
	const json_t	*jt, *jv;
	const char	*s;
	char		*end;

	if (!json_is_array(pair) || json_array_size(pair) != 2)
		return false;
	jt = json_array_get(pair, 0);
	jv = json_array_get(pair, 1);
	if (!json_is_number(jt) || !json_is_string(jv))
		return false;
	*t = json_number_value(jt);
	s = json_string_value(jv);
	*v = strtod(s, &end);
	if (end == s || *end != '\0')
		return false;
	if (!isfinite(*v))
		*v = NAN;	/* NaN, +Inf: no figure */
	return isfinite(*t);
}

static int
series_parse(const json_t *item, bool matrix, struct promapi_series *s,
    char *why, size_t len)
{
	const json_t	*metric, *vals, *x;
	const char	*k;
	size_t		 i, n;

	metric = json_object_get(item, "metric");
	if (!json_is_object(item) || !json_is_object(metric)) {
		snprintf(why, len, "a result without a metric object");
		return -1;
	}
	if (json_object_size(metric) > PROMAPI_MAX_LABELS) {
		snprintf(why, len, "a series with %zu labels (at most %d)",
		    json_object_size(metric), PROMAPI_MAX_LABELS);
		return -1;
	}
	json_object_foreach((json_t *)metric, k, x) {
		if (!json_is_string(x)) {
			snprintf(why, len, "label %.64s is not a string", k);
			return -1;
		}
		s->names[s->nlabels] = xstrdup(k);
		s->values[s->nlabels++] = xstrdup(json_string_value(x));
	}
	vals = json_object_get(item, matrix ? "values" : "value");
	if (vals == NULL && json_object_get(item, matrix ? "histograms" :
	    "histogram") != NULL)
		return 0;	/* a native histogram: no figure for us */
	if (!matrix) {
		s->t = xcalloc(1, sizeof *s->t);
		s->v = xcalloc(1, sizeof *s->v);
		if (!sample_parse(vals, s->t, s->v)) {
			snprintf(why, len, "a vector sample is not "
			    "[time, \"value\"]");
			return -1;
		}
		s->n = 1;
		return 0;
	}
	if (!json_is_array(vals)) {
		snprintf(why, len, "a matrix series without values");
		return -1;
	}
	n = json_array_size(vals);
	s->t = xcalloc(n + 1, sizeof *s->t);
	s->v = xcalloc(n + 1, sizeof *s->v);
	for (i = 0; i < n; i++) {
		if (!sample_parse(json_array_get(vals, i), &s->t[i],
		    &s->v[i])) {
			snprintf(why, len, "sample %zu is not [time, "
			    "\"value\"]", i);
			return -1;
		}
		if (i > 0 && s->t[i] <= s->t[i - 1]) {
			snprintf(why, len, "sample times not ascending");
			return -1;
		}
	}
	s->n = n;
	return 0;
}

int
promapi_parse(const char *body, size_t blen, struct promapi_result *r,
    char *why, size_t len)
{
	json_error_t	 je;
	json_t		*root, *data, *res;
	const char	*status, *type;
	char		 w[256];
	size_t		 i;
	int		 rc = -1;

	memset(r, 0, sizeof *r);
	root = json_loadb(body != NULL ? body : "", blen, JSON_DECODE_ANY,
	    &je);
	if (root == NULL) {
		snprintf(why, len, "invalid JSON at line %d column %d: %s",
		    je.line, je.column, je.text);
		return -1;
	}
	status = json_string_value(json_object_get(root, "status"));
	if (status != NULL && strcmp(status, "error") == 0) {
		snprintf(why, len, "prometheus: %.64s: %.200s",
		    json_string_value(json_object_get(root, "errorType")) ?
		    json_string_value(json_object_get(root, "errorType")) :
		    "error", json_string_value(json_object_get(root,
		    "error")) ? json_string_value(json_object_get(root,
		    "error")) : "(no message)");
		goto out;
	}
	if (status == NULL || strcmp(status, "success") != 0) {
		snprintf(why, len, "not a Prometheus API answer (no "
		    "\"status\": \"success\")");
		goto out;
	}
	data = json_object_get(root, "data");
	type = json_string_value(json_object_get(data, "resultType"));
	res = json_object_get(data, "result");
	if (type == NULL || !json_is_array(res) ||
	    (strcmp(type, "matrix") != 0 && strcmp(type, "vector") != 0)) {
		snprintf(why, len, "not a matrix or vector answer (%s)",
		    type != NULL ? type : "no resultType");
		goto out;
	}
	r->matrix = strcmp(type, "matrix") == 0;
	r->s = xcalloc(json_array_size(res) + 1, sizeof *r->s);
	for (i = 0; i < json_array_size(res); i++) {
		r->n++;
		if (series_parse(json_array_get(res, i), r->matrix,
		    &r->s[i], w, sizeof w) != 0) {
			snprintf(why, len, "result %zu: %s", i, w);
			promapi_result_done(r);
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

const char *
promapi_label(const struct promapi_series *s, const char *name)
{
	size_t	k;

	for (k = 0; k < s->nlabels; k++)
		if (strcmp(s->names[k], name) == 0)
			return s->values[k];
	return NULL;
}

const char *
promapi_quote(const char *s, char *buf, size_t len)
{
	size_t	o = 0;

	for (; *s != '\0' && o + 3 < len; s++) {
		if (*s == '\\' || *s == '"') {
			buf[o++] = '\\';
			buf[o++] = *s;
		} else if (*s == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else
			buf[o++] = *s;
	}
	buf[o] = '\0';
	return buf;
}
