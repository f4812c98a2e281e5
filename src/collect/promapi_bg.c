/*
 * The Prometheus rounds on their own thread (collect/promapi_bg.h): the
 * dashboard's loop hands over what it wants and takes what came back, under
 * one mutex; it never waits on an answer.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collect/promapi_bg.h"
#include "util/clock.h"
#include "util/xmalloc.h"

#define RETRY_AFTER	15.0	/* seconds after a failed round, at most */
#define NMATCH		4

struct promapi_bg {
	struct promapi		*api;
	char			*url;
	char			*node_sel;
	double			 interval;
	pthread_t		 thr;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	volatile int		 stop;
	struct promq_req	*req;		/* newest wanted */
	struct promq_out	*out;		/* newest finished, untaken */
	bool			 busy;
	double			 busy_since;
	unsigned long		 rounds;
};

void
promq_req_free(struct promq_req *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nwl; i++) {
		free(r->wl[i].ns);
		free(r->wl[i].pod_re);
	}
	free(r->wl);
	free(r->node);
	free(r);
}

void
promq_out_free(struct promq_out *o)
{
	if (o == NULL)
		return;
	promapi_result_done(&o->anon);
	promapi_result_done(&o->wset);
	promapi_result_done(&o->rep);
	free(o);
}

const char *
promq_re_escape(const char *s, char *buf, size_t len)
{
	size_t	o = 0;

	for (; *s != '\0' && o + 3 < len; s++) {
		if (strchr(".^$|?*+()[]{}\\", *s) != NULL)
			buf[o++] = '\\';
		buf[o++] = *s;
	}
	buf[o] = '\0';
	return buf;
}

size_t
promq_node_addrs(char out[][PROMQ_ADDR_LEN], size_t max)
{
	struct ifaddrs	*ifa, *i;
	char		 a[PROMQ_ADDR_LEN];
	size_t		 n = 0, j;
	bool		 dup;

	if (getifaddrs(&ifa) != 0)
		return 0;
	for (i = ifa; i != NULL && n < max; i = i->ifa_next) {
		const struct sockaddr	*sa = i->ifa_addr;

		if (sa == NULL || (i->ifa_flags & IFF_LOOPBACK) ||
		    !(i->ifa_flags & IFF_UP))
			continue;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)
			    (const void *)sa)->sin_addr, a, sizeof a);
		else if (sa->sa_family == AF_INET6 &&
		    !IN6_IS_ADDR_LINKLOCAL(&((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr))
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
			    (const void *)sa)->sin6_addr, a, sizeof a);
		else
			continue;
		for (j = 0, dup = false; j < n && !dup; j++)
			dup = strcmp(out[j], a) == 0;
		if (!dup)
			snprintf(out[n++], PROMQ_ADDR_LEN, "%s", a);
	}
	freeifaddrs(ifa);
	return n;
}

/* One instance host as a regex: n1, 10\.0\.0\.5, \[?2001:db8::1\]? */
static void
host_re(const char *h, char *buf, size_t len)
{
	char	re[300];

	promq_re_escape(h, re, sizeof re);
	if (strchr(h, ':') != NULL)
		snprintf(buf, len, "\\[?%s\\]?", re);
	else
		snprintf(buf, len, "%s", re);
}

size_t
promq_node_matchers(const char *node_sel, const char *node,
    const char (*addrs)[PROMQ_ADDR_LEN], size_t naddrs,
    struct promq_matcher *out, size_t max)
{
	char		 q[PROMQ_MATCH_LEN], re[PROMQ_MATCH_LEN], h[320], lab[64];
	const char	*eq, *name = node_sel != NULL ? node_sel : node;
	size_t		 n = 0, ll, i, l;

	if (max < 2)
		return 0;
	if (name == NULL || *name == '\0')
		name = NULL;
	if (node_sel != NULL && (eq = strchr(node_sel, '=')) != NULL) {
		ll = (size_t)(eq - name);
		snprintf(lab, sizeof lab, "%.*s", (int)(ll < 63 ? ll : 63),
		    name);
		snprintf(out[n].q, sizeof out[n].q, "%s=\"%s\"", lab,
		    promapi_quote(eq + 1, q, sizeof q));
		snprintf(out[n++].what, sizeof out[0].what, "%s", node_sel);
		return n;
	}
	if (node_sel != NULL)
		naddrs = 0;	/* a name given: that name only */
	if (name == NULL && naddrs == 0)
		return 0;
	if (name != NULL) {
		snprintf(out[n].q, sizeof out[n].q, "node=\"%s\"",
		    promapi_quote(name, q, sizeof q));
		snprintf(out[n++].what, sizeof out[0].what, "node=%s", name);
	}
	/* instance: the name or an address, with or without a port */
	re[0] = '\0';
	snprintf(out[n].what, sizeof out[0].what, "instance ");
	for (i = 0; i <= naddrs; i++) {
		const char *x = i == 0 ? name : addrs[i - 1];

		if (x == NULL)
			continue;
		host_re(x, h, sizeof h);
		l = strlen(re);
		if (l + strlen(h) + 2 >= sizeof re)
			break;
		snprintf(re + l, sizeof re - l, "%s%s", l > 0 ? "|" : "", h);
		l = strlen(out[n].what);
		snprintf(out[n].what + l, sizeof out[0].what - l, "%s%s",
		    l > 9 ? ", " : "", x);
	}
	l = strlen(out[n].what);
	snprintf(out[n].what + l, sizeof out[0].what - l,
	    " (with or without a port)");
	snprintf(out[n++].q, sizeof out[0].q, "instance=~\"%s%s%s(:[0-9]+)?\"",
	    strchr(re, '|') != NULL ? "(" : "", promapi_quote(re, q, sizeof q),
	    strchr(re, '|') != NULL ? ")" : "");
	return n;
}

static char *
fams(const char *a, const char *b)
{
	return xasprintf("__name__=~\"%s|%s\", container!=\"\", "
	    "container!=\"POD\"", a, b);
}

/* Step 1: the first matcher under which the node has series. */
static int
find_node(struct promapi_bg *bg, const struct promq_req *rq,
    struct promq_out *o)
{
	struct promq_matcher	 m[NMATCH];
	char			 addrs[PROMQ_ADDRS][PROMQ_ADDR_LEN], *q;
	char			 tried[600] = "";
	struct promapi_result	 r;
	size_t			 n, i, na;
	bool			 found;

	na = promq_node_addrs(addrs, PROMQ_ADDRS);
	n = promq_node_matchers(bg->node_sel, rq->node,
	    (const char (*)[PROMQ_ADDR_LEN])addrs, na, m, NMATCH);
	for (i = 0; i < n; i++) {
		q = xasprintf("count by (__name__) ({__name__=~\"%s|%s\", "
		    "%s})", PROMQ_ANON_MEMTOP, PROMQ_ANON_CADVISOR, m[i].q);
		if (promapi_query(bg->api, q, 0, &r, o->msg,
		    sizeof o->msg) != 0) {
			free(q);
			return -1;
		}
		free(q);
		found = r.n > 0;
		promapi_result_done(&r);
		if (found) {
			memcpy(o->match, m[i].q, sizeof o->match);
			return 0;
		}
		snprintf(tried + strlen(tried), sizeof tried - strlen(tried),
		    "%s%s", i > 0 ? "; " : "", m[i].what);
	}
	snprintf(o->msg, sizeof o->msg, "no memory series for node %s "
	    "(tried %s): name it with --prometheus-node NAME or LABEL=VALUE",
	    bg->node_sel != NULL ? bg->node_sel : rq->node != NULL ? rq->node :
	    "?", n > 0 ? tried : "no node name or address");
	return 0;
}

static int
range(struct promapi_bg *bg, struct promq_out *o, const char *a,
    const char *b, struct promapi_result *r)
{
	char	*f = fams(a, b), *q;
	int	 rc;

	q = xasprintf("max by (__name__, namespace, pod, container) "
	    "({%s, %s})", f, o->match);
	rc = promapi_query_range(bg->api, q, o->start, o->at, o->step, r,
	    o->msg, sizeof o->msg);
	free(q);
	free(f);
	return rc;
}

/* Step 4: this node's workloads' replicas, cluster-wide, in one query. */
static int
replicas(struct promapi_bg *bg, const struct promq_req *rq,
    struct promq_out *o)
{
	char	*ns = xstrdup(""), *pods = xstrdup(""), *t, *f, *q, re[600],
		 qq[1300];
	size_t	 i, j;
	bool	 dup;
	int	 rc;

	for (i = 0; i < rq->nwl; i++) {
		for (j = 0, dup = false; j < i && !dup; j++)
			dup = strcmp(rq->wl[j].ns, rq->wl[i].ns) == 0;
		if (!dup) {
			t = xasprintf("%s%s%s", ns, *ns ? "|" : "",
			    promq_re_escape(rq->wl[i].ns, re, sizeof re));
			free(ns);
			ns = t;
		}
		t = xasprintf("%s%s%s", pods, *pods ? "|" : "",
		    rq->wl[i].pod_re);
		free(pods);
		pods = t;
	}
	f = fams(PROMQ_ANON_MEMTOP, PROMQ_ANON_CADVISOR);
	t = xstrdup(promapi_quote(ns, qq, sizeof qq));
	q = xasprintf("max by (__name__, namespace, pod, container) ({%s, "
	    "namespace=~\"%s\", pod=~\"%s\"})", f, t,
	    promapi_quote(pods, qq, sizeof qq));
	rc = promapi_query(bg->api, q, o->at, &o->rep, o->msg, sizeof o->msg);
	free(t);
	free(q);
	free(f);
	free(ns);
	free(pods);
	return rc;
}

static void
round_run(struct promapi_bg *bg, const struct promq_req *rq,
    struct promq_out *o)
{
	double	t0 = clock_mono();

	o->at = clock_real();
	o->step = rq->step > 0 ? rq->step : 300;
	o->start = o->at - (rq->span > o->step ? rq->span : o->step * 2);
	if (find_node(bg, rq, o) != 0)
		goto out;
	if (o->match[0] != '\0') {
		if (range(bg, o, PROMQ_ANON_MEMTOP, PROMQ_ANON_CADVISOR,
		    &o->anon) != 0)
			goto out;
		o->have_anon = true;
		if (range(bg, o, PROMQ_WSET_MEMTOP, PROMQ_WSET_CADVISOR,
		    &o->wset) != 0)
			goto out;
		o->have_wset = true;
	}
	if (rq->nwl > 0) {
		if (replicas(bg, rq, o) != 0)
			goto out;
		o->have_rep = true;
	}
	o->ok = o->match[0] != '\0';
out:
	o->took = clock_mono() - t0;
}

static struct promq_req *
req_dup(const struct promq_req *r)
{
	struct promq_req	*d = xcalloc(1, sizeof *d);
	size_t			 i;

	d->node = r->node ? xstrdup(r->node) : NULL;
	d->span = r->span;
	d->step = r->step;
	d->nwl = r->nwl;
	d->wl = xcalloc(r->nwl + 1, sizeof *d->wl);
	for (i = 0; i < r->nwl; i++) {
		d->wl[i].ns = xstrdup(r->wl[i].ns);
		d->wl[i].pod_re = xstrdup(r->wl[i].pod_re);
	}
	return d;
}

static void
abs_after(struct timespec *ts, double s)
{
	double	t;

	clock_gettime(CLOCK_MONOTONIC, ts);
	t = (double)ts->tv_sec + ts->tv_nsec / 1e9 + s;
	ts->tv_sec = (time_t)t;
	ts->tv_nsec = (long)((t - (double)ts->tv_sec) * 1e9);
}

static void *
worker(void *arg)
{
	struct promapi_bg	*bg = arg;
	struct promq_req	*rq;
	struct promq_out	*o;
	struct timespec		 ts;
	double			 next = 0, wait;

	pthread_mutex_lock(&bg->mu);
	while (!bg->stop) {
		if (bg->req == NULL || clock_mono() < next) {
			wait = bg->req == NULL ? 3600 : next - clock_mono();
			abs_after(&ts, wait);
			pthread_cond_timedwait(&bg->cv, &bg->mu, &ts);
			continue;
		}
		rq = req_dup(bg->req);
		bg->busy = true;
		bg->busy_since = clock_real();
		pthread_mutex_unlock(&bg->mu);

		o = xcalloc(1, sizeof *o);
		round_run(bg, rq, o);
		promq_req_free(rq);

		pthread_mutex_lock(&bg->mu);
		bg->busy = false;
		o->round = ++bg->rounds;
		promq_out_free(bg->out);
		bg->out = o;
		next = clock_mono() + (o->ok || bg->interval < RETRY_AFTER ?
		    bg->interval : RETRY_AFTER);
	}
	pthread_mutex_unlock(&bg->mu);
	return NULL;
}

struct promapi_bg *
promapi_bg_start(const struct promapi_conf *c, const char *node_sel,
    double interval, char *why, size_t len)
{
	struct promapi_bg	*bg;
	struct promapi		*api;
	pthread_condattr_t	 ca;

	if ((api = promapi_create(c, why, len)) == NULL)
		return NULL;
	bg = xcalloc(1, sizeof *bg);
	bg->api = api;
	bg->url = xstrdup(promapi_url(api));
	bg->node_sel = node_sel != NULL ? xstrdup(node_sel) : NULL;
	bg->interval = interval > 0 ? interval : 120;
	promapi_set_abort(api, &bg->stop);
	pthread_mutex_init(&bg->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&bg->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&bg->thr, NULL, worker, bg) != 0) {
		snprintf(why, len, "cannot start the Prometheus thread");
		pthread_cond_destroy(&bg->cv);
		pthread_mutex_destroy(&bg->mu);
		promapi_free(api);
		free(bg->url);
		free(bg->node_sel);
		free(bg);
		return NULL;
	}
	return bg;
}

void
promapi_bg_stop(struct promapi_bg *bg)
{
	if (bg == NULL)
		return;
	pthread_mutex_lock(&bg->mu);
	bg->stop = 1;
	pthread_cond_signal(&bg->cv);
	pthread_mutex_unlock(&bg->mu);
	pthread_join(bg->thr, NULL);
	pthread_cond_destroy(&bg->cv);
	pthread_mutex_destroy(&bg->mu);
	promq_req_free(bg->req);
	promq_out_free(bg->out);
	promapi_free(bg->api);
	free(bg->url);
	free(bg->node_sel);
	free(bg);
}

void
promapi_bg_want(struct promapi_bg *bg, struct promq_req *r)
{
	pthread_mutex_lock(&bg->mu);
	if (bg->req == NULL)
		pthread_cond_signal(&bg->cv);	/* the first round may go */
	promq_req_free(bg->req);
	bg->req = r;
	pthread_mutex_unlock(&bg->mu);
}

struct promq_out *
promapi_bg_take(struct promapi_bg *bg)
{
	struct promq_out	*o;

	pthread_mutex_lock(&bg->mu);
	o = bg->out;
	bg->out = NULL;
	pthread_mutex_unlock(&bg->mu);
	return o;
}

bool
promapi_bg_busy(struct promapi_bg *bg, double *since)
{
	bool	b;

	pthread_mutex_lock(&bg->mu);
	b = bg->busy;
	if (since != NULL)
		*since = bg->busy_since;
	pthread_mutex_unlock(&bg->mu);
	return b;
}

const char *
promapi_bg_url(const struct promapi_bg *bg)
{
	return bg->url;
}
