#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "output/prom.h"
#include "output/promtext.h"
#include "output/serve.h"
#include "output/textfile.h"
#include "util/xmalloc.h"

static int
parse(const char *s, int *family, unsigned *port)
{
	struct sockaddr_storage	sa;
	socklen_t		len;
	char			cause[128];

	if (serve_parse_addr(s, &sa, &len, cause, sizeof cause) != 0) {
		assert_non_null(strstr(cause, s));
		return -1;
	}
	*family = sa.ss_family;
	*port = ntohs(sa.ss_family == AF_INET ?
	    ((struct sockaddr_in *)(void *)&sa)->sin_port :
	    ((struct sockaddr_in6 *)(void *)&sa)->sin6_port);
	return 0;
}

static void
test_addr(void **state)
{
	int		f;
	unsigned	p;

	(void)state;
	assert_int_equal(parse("127.0.0.1:9852", &f, &p), 0);
	assert_int_equal(f, AF_INET);
	assert_int_equal(p, 9852);
	assert_int_equal(parse("[::1]:9852", &f, &p), 0);
	assert_int_equal(f, AF_INET6);
	assert_int_equal(parse(":0", &f, &p), 0);
	assert_int_equal(f, AF_INET);
	assert_int_equal(p, 0);
	assert_int_equal(parse("0.0.0.0:80", &f, &p), 0);
	assert_int_equal(parse("nonsense", &f, &p), -1);
	assert_int_equal(parse("127.0.0.1:", &f, &p), -1);
	assert_int_equal(parse("127.0.0.1:99999", &f, &p), -1);
	assert_int_equal(parse("127.0.0.1:9x", &f, &p), -1);
	assert_int_equal(parse("[::1]9852", &f, &p), -1);
	assert_int_equal(parse("999.1.1.1:80", &f, &p), -1);
}

/* The exposition of a hand-made tree, as one string. */
static char *
render(const struct snapshot *sn, const struct tree *t, bool processes)
{
	struct prom_opts	o = { processes };
	struct prom_self	self = { 3, 10, 0.25, 5 };
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(prom_write(f, sn, t, &o, &self), 0);
	fclose(f);
	return buf;
}

static void
test_empty(void **state)
{
	struct snapshot	sn;
	struct tree	t = { NULL, 0 };
	char		*s;

	(void)state;
	memset(&sn, 0, sizeof sn);
	sn.mem_total = FIG_NA;
	sn.mem_available = 1 << 20;
	sn.time = 1700000000.5;
	s = render(&sn, &t, false);
	/* an unknown figure: the family is declared, no sample is made up */
	assert_non_null(strstr(s, "# TYPE memtop_node_memory_total_bytes gauge\n"
	    "# HELP"));
	assert_non_null(strstr(s, "\nmemtop_node_memory_available_bytes 1048576\n"));
	assert_non_null(strstr(s, "\nmemtop_refreshes_total 3\n"));
	assert_non_null(strstr(s, "# TYPE memtop_refreshes_total counter\n"));
	assert_non_null(strstr(s, "\nmemtop_refresh_duration_seconds 0.250000\n"));
	/* the last line tells a whole exposition from a cut one */
	assert_non_null(strstr(s, "\nmemtop_last_refresh_timestamp_seconds "
	    "1700000000.500000\n"));
	assert_int_equal(s[strlen(s) - 1], '\n');
	free(s);
}

/* A pod with one container of two processes, every figure unknown. */
struct fixture {
	struct snapshot		sn;
	struct snap_proc	sp[2];
	struct tree_proc	tp[2];
	struct tree_ctr		c;
	struct tree_group	g;
	struct tree		t;
};

static void
fixture_init(struct fixture *fx)
{
	int	i, k;

	memset(fx, 0, sizeof *fx);
	fx->sn.mem_total = fx->sn.mem_available = FIG_NA;
	for (i = 0; i < 2; i++) {
		for (k = 0; k < FIG__COUNT; k++)
			fx->sp[i].fig[k] = FIG_NA;
		fx->tp[i].sp = &fx->sp[i];
	}
	fx->c.procs = fx->tp;
	fx->c.nprocs = 2;
	fx->g.ctrs = &fx->c;
	fx->g.nctrs = 1;
	fx->t.groups = &fx->g;
	fx->t.ngroups = 1;
}

static void
test_container(void **state)
{
	struct fixture		 fx;
	struct snap_proc	*sp = fx.sp;
	struct tree_ctr		*c = &fx.c;
	struct tree_group	*g = &fx.g;
	struct cg_mem		 mem;
	char			*s;

	(void)state;
	fixture_init(&fx);
	sp[0].pid = 10;
	sp[1].pid = 11;
	strcpy(sp[0].comm, "a\"b\\c");	/* procscan made it valid UTF-8 */
	strcpy(sp[1].comm, "gone");
	sp[0].fig[FIG_RSS] = 1000;
	sp[1].fig[FIG_RSS] = 7;
	sp[0].nmaps = 5;
	sp[0].nanon = 3;
	sp[0].tally.count[0] = 2;
	sp[1].nmaps = sp[1].nanon = -1;
	fx.tp[1].gone = true;	/* a ghost counts for nothing */
	fx.tp[0].st.growth = 4096;
	c->name = "web\nx";
	strcpy(c->ctr_id, "abc");
	c->cgroup = "/kubepods/pod1/abc";
	fig_sum_add(&c->sum, sp[0].fig);
	cgroup_mem_init(&mem);
	mem.read = true;
	mem.current = 2048;
	mem.unlimited = true;
	c->mem = &mem;
	c->st.growth = 4096;
	g->namespace = "default";
	g->pod = "web-1";
	strcpy(g->pod_uid, "u-1");
	s = render(&fx.sn, &fx.t, true);
	/* with a container ID, no cgroup label */
#define L "{namespace=\"default\",pod=\"web-1\",pod_uid=\"u-1\"," \
	"container=\"web\\nx\",container_id=\"abc\"}"
	assert_non_null(strstr(s, "\nmemtop_container_rss_bytes" L " 1000\n"));
	assert_non_null(strstr(s, "\nmemtop_container_processes" L " 1\n"));
	/* nobody's PSS is known: no sample, and the count says why */
	assert_null(strstr(s, "\nmemtop_container_pss_bytes{"));
	assert_non_null(strstr(s, "\nmemtop_container_pss_unknown_processes" L
	    " 1\n"));
	assert_non_null(strstr(s, "\nmemtop_container_memory_charge_bytes" L
	    " 2048\n"));
	assert_null(strstr(s, "\nmemtop_container_memory_limit_bytes{"));
	assert_null(strstr(s, "\nmemtop_container_oom_kills_total{"));
	assert_non_null(strstr(s, "\nmemtop_container_mappings" L " 5\n"));
	assert_non_null(strstr(s, "\nmemtop_container_anon_mappings" L " 3\n"));
	assert_non_null(strstr(s, "\nmemtop_container_v8_pages" L " 2\n"));
	assert_non_null(strstr(s, "\nmemtop_container_anon_growth_bytes" L
	    " 4096\n"));
	/* per process: pid and comm, escaped; the ghost is not there */
	assert_non_null(strstr(s, ",pid=\"10\",comm=\"a\\\"b\\\\c\"} 1000\n"));
	assert_null(strstr(s, "pid=\"11\""));
	/* the render cache: the same values, nothing rendered again */
	{
		size_t	 r = prom_render_count();
		char	*s2 = render(&fx.sn, &fx.t, true), *s3;

		assert_string_equal(s, s2);
		assert_int_equal(prom_render_count(), r);
		free(s2);
		mem.current = 4096;	/* one value: that series again */
		s2 = render(&fx.sn, &fx.t, true);
		assert_int_equal(prom_render_count(), r + 1);
		assert_non_null(strstr(s2,
		    "\nmemtop_container_memory_charge_bytes" L " 4096\n"));
		prom_cache_free();	/* from nothing: the same text */
		s3 = render(&fx.sn, &fx.t, true);
		/* the container's series and its one live process's */
		assert_int_equal(prom_render_count(), 2);
		assert_string_equal(s2, s3);
		free(s2);
		free(s3);
		mem.current = 2048;
	}
#undef L
	free(s);
	/*
	 * No ID, no names: the cgroup path is the one label; a directory name
	 * that is not UTF-8 is made so (Prometheus would refuse the scrape),
	 * one that is stays as it is.
	 */
	c->ctr_id[0] = '\0';
	c->name = NULL;
	g->namespace = g->pod = NULL;
	g->pod_uid[0] = '\0';
	c->cgroup = "/sys\xff\xc3(x/caf\xc3\xa9";
	s = render(&fx.sn, &fx.t, false);
	assert_non_null(strstr(s, "\nmemtop_container_rss_bytes{cgroup=\""
	    "/sys?\?(x/caf\xc3\xa9\"} 1000\n"));	/* no trigraph */
	free(s);
}

/* The same unit path in v1 and v2 (a hybrid host): two series, not one. */
static void
test_duplicates(void **state)
{
	struct snapshot		sn;
	struct snap_proc	sp[3];
	struct tree_proc	tp[3];
	struct tree_ctr		c[3];
	struct tree_group	g[3];
	struct tree		t = { g, 3 };
	char			*s;
	int			 i, k;

	(void)state;
	memset(&sn, 0, sizeof sn);
	sn.mem_total = sn.mem_available = FIG_NA;
	memset(sp, 0, sizeof sp);
	memset(tp, 0, sizeof tp);
	memset(c, 0, sizeof c);
	memset(g, 0, sizeof g);
	for (i = 0; i < 3; i++) {
		for (k = 0; k < FIG__COUNT; k++)
			sp[i].fig[k] = FIG_NA;
		sp[i].fig[FIG_RSS] = (uint64_t)(i + 1) * 100;
		sp[i].nmaps = sp[i].nanon = -1;
		tp[i].sp = &sp[i];
		c[i].procs = &tp[i];
		c[i].nprocs = 1;
		c[i].cgroup = "/system.slice/x.service";
		fig_sum_add(&c[i].sum, sp[i].fig);
		g[i].ctrs = &c[i];
		g[i].nctrs = 1;
		g[i].hier = i == 0 ? CG_HIER_V1 : CG_HIER_V2;
	}
	s = render(&sn, &t, false);
	assert_non_null(strstr(s, "\nmemtop_container_rss_bytes{cgroup=\""
	    "/system.slice/x.service\"} 100\n"));
	assert_non_null(strstr(s, "\nmemtop_container_rss_bytes{cgroup=\""
	    "/system.slice/x.service\",hierarchy=\"v2\"} 200\n"));
	assert_non_null(strstr(s, "\nmemtop_container_rss_bytes{cgroup=\""
	    "/system.slice/x.service\",hierarchy=\"v2\",series=\"2\"} "
	    "300\n"));
	/* three series from the cache, then one of them rendered again */
	{
		size_t	 r = prom_render_count();
		char	*s2 = render(&sn, &t, false);

		assert_string_equal(s, s2);
		assert_int_equal(prom_render_count(), r);
		free(s2);
		sp[1].fig[FIG_RSS] = 250;
		c[1].sum = (struct fig_sum){ 0 };
		fig_sum_add(&c[1].sum, sp[1].fig);
		s2 = render(&sn, &t, false);
		assert_int_equal(prom_render_count(), r + 1);
		assert_non_null(strstr(s2, "\nmemtop_container_rss_bytes{"
		    "cgroup=\"/system.slice/x.service\",hierarchy=\"v2\"} "
		    "250\n"));
		free(s2);
		s2 = render(&sn, &t, false);
		assert_int_equal(prom_render_count(), r + 1);
		free(s2);
	}
	free(s);
}

/*
 * Per-process series: a process whose values moved is rendered again, one
 * whose values stayed is written from the cache, one that went away leaves
 * it (back with the same values, it is rendered anew).
 */
static void
test_proc_cache(void **state)
{
	struct fixture		 fx;
	struct snap_proc	*sp = fx.sp;
	char			*s, *s2;
	int			 i;

	(void)state;
	prom_cache_free();
	fixture_init(&fx);
	for (i = 0; i < 2; i++) {
		sp[i].pid = 10 * (i + 1);
		sp[i].fig[FIG_RSS] = (uint64_t)(i + 1) * 1000;
		sp[i].nmaps = sp[i].nanon = -1;
		fig_sum_add(&fx.c.sum, sp[i].fig);
	}
	strcpy(sp[0].comm, "node");
	strcpy(sp[1].comm, "java");
	strcpy(fx.c.ctr_id, "abc");
	fx.g.namespace = "ns";
	fx.g.pod = "p";
#define P "\nmemtop_process_rss_bytes{namespace=\"ns\",pod=\"p\"," \
	"container_id=\"abc\",pid="
	s = render(&fx.sn, &fx.t, true);
	assert_int_equal(prom_render_count(), 3);	/* container, 2 procs */
	assert_non_null(strstr(s, P "\"10\",comm=\"node\"} 1000\n"
	    "memtop_process_rss_bytes{"));
	assert_non_null(strstr(s, P "\"20\",comm=\"java\"} 2000\n"));
	/* the same values: nothing rendered, the same bytes */
	s2 = render(&fx.sn, &fx.t, true);
	assert_string_equal(s, s2);
	assert_int_equal(prom_render_count(), 3);
	free(s2);
	/* one process's value moves (the container's sum kept): that one */
	sp[1].fig[FIG_RSS] = 2500;
	s2 = render(&fx.sn, &fx.t, true);
	assert_int_equal(prom_render_count(), 4);
	assert_non_null(strstr(s2, P "\"10\",comm=\"node\"} 1000\n"));
	assert_non_null(strstr(s2, P "\"20\",comm=\"java\"} 2500\n"));
	assert_null(strstr(s2, "} 2000\n"));
	free(s2);
	/* an unknown value: its line goes, the others stay */
	sp[1].fig[FIG_RSS] = FIG_NA;
	s2 = render(&fx.sn, &fx.t, true);
	assert_int_equal(prom_render_count(), 5);
	assert_null(strstr(s2, P "\"20\""));
	free(s2);
	sp[1].fig[FIG_RSS] = 2500;
	/* the same pid after an exec (another comm): another series */
	strcpy(sp[1].comm, "sh");
	s2 = render(&fx.sn, &fx.t, true);
	assert_int_equal(prom_render_count(), 6);
	assert_non_null(strstr(s2, P "\"20\",comm=\"sh\"} 2500\n"));
	assert_null(strstr(s2, "comm=\"java\""));
	free(s2);
	/* it goes away: left out, and out of the cache */
	fx.tp[1].gone = true;
	s2 = render(&fx.sn, &fx.t, true);
	assert_int_equal(prom_render_count(), 6);
	assert_null(strstr(s2, "pid=\"20\""));
	assert_non_null(strstr(s2, P "\"10\",comm=\"node\"} 1000\n"));
	free(s2);
	fx.tp[1].gone = false;	/* back as it was: rendered anew */
	s2 = render(&fx.sn, &fx.t, true);
	assert_int_equal(prom_render_count(), 7);
	assert_non_null(strstr(s2, P "\"20\",comm=\"sh\"} 2500\n"));
	free(s2);
	/* without --metrics-processes: no process series at all */
	s2 = render(&fx.sn, &fx.t, false);
	assert_null(strstr(s2, "memtop_process_"));
	free(s2);
#undef P
	free(s);
	prom_cache_free();
}

/* Numbers as printf writes them, and a buffer reused and handed over. */
static void
test_promtext(void **state)
{
	static const int64_t	v[] = { 0, 1, -1, 9, 10, 99, 100, 4096,
	    -4096, INT64_MAX, INT64_MIN, 1000000007 };
	struct promtext		b = { 0 };
	char			want[64], *p;
	size_t			i, len;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		b.len = 0;
		promtext_i64(&b, v[i]);
		snprintf(want, sizeof want, "%lld", (long long)v[i]);
		assert_int_equal(b.len, strlen(want));
		assert_memory_equal(b.p, want, b.len);
	}
	b.len = 0;
	promtext_u64(&b, UINT64_MAX);
	assert_int_equal(b.len, 20);
	assert_memory_equal(b.p, "18446744073709551615", 20);
	for (i = 0; i < 10000; i++)
		promtext_puts(&b, "0123456789");
	p = promtext_take(&b, &len);
	assert_int_equal(len, 100020);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	free(p);
	/* the next text gets the last one's size at once */
	promtext_putc(&b, 'x');
	assert_true(b.cap >= 100020);
	/* a small text after it: the room it does not need goes back */
	promtext_trim(&b);
	assert_true(b.cap < 8192);
	assert_memory_equal(b.p, "x", 1);
	b.len = 0;
	promtext_trim(&b);	/* already small: kept */
	assert_true(b.cap < 8192 && b.p != NULL);
	promtext_done(&b);
}

static void
test_families(void **state)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	(void)state;
	prom_list_families(f);
	fclose(f);
	assert_non_null(strstr(buf, "memtop_container_pss_anon_bytes\tgauge\t"
	    "container\t/proc/PID/smaps_rollup\t"));
	assert_non_null(strstr(buf, "memtop_container_oom_kills_total\tcounter"));
	assert_non_null(strstr(buf, "memtop_process_v8_pages_bytes\tgauge"));
	/* cgroup figures have no per-process family */
	assert_null(strstr(buf, "memtop_process_memory_charge_bytes"));
	free(buf);
}

/* One HTTP/1.0 GET of path from addr ("127.0.0.1:PORT"); the whole answer. */
static char *
http_get(const char *addr, const char *path)
{
	struct sockaddr_in	sa;
	char			req[256], *buf = xmalloc(1 << 16);
	size_t			len = 0;
	ssize_t			n;
	int			fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(strchr(addr, ':') + 1));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	snprintf(req, sizeof req, "GET %s HTTP/1.0\r\n\r\n", path);
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	while ((n = read(fd, buf + len, (1 << 16) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fd);
	return buf;
}

/* Before the first refresh /metrics says so (503); then it serves it. */
static void
test_serve(void **state)
{
	struct serve	*s;
	char		 cause[256], *r;

	(void)state;
	s = serve_start("127.0.0.1:0", cause, sizeof cause);
	assert_non_null(s);
	assert_int_equal(strncmp(serve_address(s), "127.0.0.1:", 10), 0);
	r = http_get(serve_address(s), "/metrics");
	assert_non_null(strstr(r, " 503 "));
	assert_non_null(strstr(r, "first refresh"));
	free(r);
	serve_publish(s, xstrdup("a_metric 1\n"), 11);
	r = http_get(serve_address(s), "/metrics");
	assert_non_null(strstr(r, " 200 "));
	assert_non_null(strstr(r, "version=0.0.4"));
	assert_non_null(strstr(r, "\r\n\r\na_metric 1\n"));
	free(r);
	serve_publish(s, xstrdup("b_metric 2\n"), 11);	/* the old one freed */
	r = http_get(serve_address(s), "/metrics");
	assert_non_null(strstr(r, "\r\n\r\nb_metric 2\n"));
	free(r);
	r = http_get(serve_address(s), "/healthz");
	assert_non_null(strstr(r, " 200 "));
	free(r);
	assert_int_equal(serve_requests(s), 4);
	serve_stop(s);
	/* the port of a running server cannot be taken twice */
	s = serve_start("127.0.0.1:0", cause, sizeof cause);
	assert_non_null(s);
	{
		char	addr[80];

		snprintf(addr, sizeof addr, "%s", serve_address(s));
		assert_null(serve_start(addr, cause, sizeof cause));
		assert_non_null(strstr(cause, "cannot listen"));
	}
	serve_stop(s);
}

static void
test_textfile_error(void **state)
{
	char	cause[256];

	(void)state;
	assert_int_equal(textfile_write("/nonexistent/dir", "x\n", 2, cause,
	    sizeof cause), -1);
	assert_non_null(strstr(cause, "/nonexistent/dir"));
	assert_non_null(strstr(cause, "No such file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_container),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_proc_cache),
		cmocka_unit_test(test_promtext),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_serve),
		cmocka_unit_test(test_textfile_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
