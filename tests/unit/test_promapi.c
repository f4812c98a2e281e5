/*
 * The Prometheus API parser on answers captured from a real Prometheus
 * (2.42, tests/fixtures/prometheus/) and on hostile bodies; the node
 * matchers and workload regexes the queries are built from; history
 * filled in from another source; cluster replica baselines. No network:
 * tests/integration/prometheus_history.sh asks a real server.
 */
#include "config.h"

#include <math.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "collect/promapi.h"
#include "collect/promapi_bg.h"
#include "model/history.h"
#include "model/ring.h"
#include "model/tree.h"
#include "model/workload.h"
#include "util/readfile.h"
#include "fixture.h"

#define MiB	(1ULL << 20)

static int
parse_fixture(const char *name, struct promapi_result *r, char *why,
    size_t len)
{
	struct buf	 b;
	char		*p = fixture("prometheus/%s", name);
	int		 rc;

	buf_init(&b);
	assert_int_equal(read_file(p, &b, 0), 0);
	free(p);
	rc = promapi_parse(b.data, b.len, r, why, len);
	buf_done(&b);
	return rc;
}

static void
test_vector(void **state)
{
	struct promapi_result	r;
	char			why[256];
	size_t			i, memtop = 0;

	(void)state;
	assert_int_equal(parse_fixture("vector.json", &r, why, sizeof why), 0);
	assert_false(r.matrix);
	assert_int_equal(r.n, 8);
	for (i = 0; i < r.n; i++) {
		assert_int_equal(r.s[i].n, 1);
		assert_string_equal(promapi_label(&r.s[i], "namespace"), "shop");
		assert_string_equal(promapi_label(&r.s[i], "container"), "db");
		assert_null(promapi_label(&r.s[i], "node"));
		memtop += strcmp(promapi_label(&r.s[i], "__name__"),
		    "memtop_container_rss_anon_bytes") == 0;
		if (strcmp(promapi_label(&r.s[i], "pod"), "store-3") == 0 &&
		    strcmp(promapi_label(&r.s[i], "__name__"),
		    "memtop_container_rss_anon_bytes") == 0)
			assert_true(r.s[i].v[0] == 640.0 * MiB);
	}
	assert_int_equal(memtop, 4);
	promapi_result_done(&r);
}

static void
test_matrix(void **state)
{
	struct promapi_result	r;
	char			why[256];
	size_t			i, j;

	(void)state;
	assert_int_equal(parse_fixture("matrix.json", &r, why, sizeof why), 0);
	assert_true(r.matrix);
	assert_int_equal(r.n, 4);
	for (i = 0; i < r.n; i++) {
		assert_int_equal(r.s[i].n, 25);
		for (j = 1; j < r.s[i].n; j++)
			assert_true(r.s[i].t[j] - r.s[i].t[j - 1] == 600);
	}
	/* the sick one (cAdvisor: anon + 3 MiB) stepped 230 -> 640 MiB */
	assert_string_equal(promapi_label(&r.s[1], "pod"), "store-3");
	assert_true(r.s[1].v[0] == 233.0 * MiB);
	assert_true(r.s[1].v[24] == 643.0 * MiB);
	promapi_result_done(&r);
}

static void
test_error_answer(void **state)
{
	struct promapi_result	r;
	char			why[256];

	(void)state;
	assert_int_equal(parse_fixture("error.json", &r, why, sizeof why), -1);
	assert_non_null(strstr(why, "bad_data"));
	assert_non_null(strstr(why, "unclosed left parenthesis"));
	assert_int_equal(r.n, 0);
}

/* Hostile and broken bodies: refused with a message, nothing kept. */
static void
test_hostile(void **state)
{
	static const struct {
		const char	*body;
		const char	*says;
	} cases[] = {
		{ "", "invalid JSON" },
		{ "<html>502 Bad Gateway</html>", "invalid JSON" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		  "\"result\":[{\"metric\":{}", "invalid JSON" },
		{ "null", "not a Prometheus API answer" },
		{ "[1,2,3]", "not a Prometheus API answer" },
		{ "{\"status\":\"success\"}", "not a matrix or vector" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
		  "\"result\":[1,\"1\"]}}", "not a matrix or vector answer (scalar)" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		  "\"result\":[{\"metric\":{\"pod\":7},\"value\":[1,\"1\"]}]}}",
		  "label pod is not a string" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		  "\"result\":[{\"metric\":{},\"value\":[1,\"lots\"]}]}}",
		  "not [time, \"value\"]" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		  "\"result\":[{\"metric\":{},\"value\":[1,2]}]}}",
		  "not [time, \"value\"]" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		  "\"result\":[{\"metric\":{},\"values\":[[2,\"1\"],[1,\"1\"]]}"
		  "]}}", "not ascending" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		  "\"result\":[{\"metric\":{},\"values\":7}]}}",
		  "without values" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		  "\"result\":[7]}}", "without a metric" },
		{ "{\"status\":\"error\"}", "prometheus: error: (no message)" },
	};
	struct promapi_result	r;
	char			why[256], *deep, *many;
	size_t			i, n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		why[0] = '\0';
		assert_int_equal(promapi_parse(cases[i].body,
		    strlen(cases[i].body), &r, why, sizeof why), -1);
		if (strstr(why, cases[i].says) == NULL)
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i,
			    why, cases[i].says);
		assert_int_equal(r.n, 0);
		assert_null(r.s);
	}
	/* nesting deeper than jansson's limit */
	n = 100000;
	deep = xcalloc(2 * n + 1, 1);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	assert_int_equal(promapi_parse(deep, 2 * n, &r, why, sizeof why), -1);
	assert_non_null(strstr(why, "invalid JSON"));
	free(deep);
	/* too many labels */
	many = xstrdup("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[{\"metric\":{");
	for (i = 0; i < PROMAPI_MAX_LABELS + 1; i++) {
		char	*t = xasprintf("%s%s\"l%zu\":\"v\"", many, i ? "," : "",
			    i);

		free(many);
		many = t;
	}
	deep = xasprintf("%s},\"value\":[1,\"1\"]}]}}", many);
	assert_int_equal(promapi_parse(deep, strlen(deep), &r, why,
	    sizeof why), -1);
	assert_non_null(strstr(why, "labels"));
	free(deep);
	free(many);
}

/* NaN and +Inf are no figure; a native histogram has none for us. */
static void
test_special_values(void **state)
{
	static const char body[] = "{\"status\":\"success\",\"data\":{"
	    "\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"a\":\"b\"},"
	    "\"values\":[[1,\"NaN\"],[2,\"+Inf\"],[3,\"5e8\"]]},"
	    "{\"metric\":{},\"histograms\":[[1,{\"count\":\"1\"}]]}]}}";
	struct promapi_result	r;
	char			why[256];

	(void)state;
	assert_int_equal(promapi_parse(body, strlen(body), &r, why,
	    sizeof why), 0);
	assert_int_equal(r.n, 2);
	assert_true(isnan(r.s[0].v[0]));
	assert_true(isnan(r.s[0].v[1]));
	assert_true(r.s[0].v[2] == 5e8);
	assert_int_equal(r.s[1].n, 0);
	promapi_result_done(&r);
}

static void
test_create_refuses(void **state)
{
	struct promapi_conf	c = { 0 };
	struct promapi		*p;
	char			why[640];

	(void)state;
	c.url = "http://admin:secret@prom:9090";
	assert_null(promapi_create(&c, why, sizeof why));
	assert_non_null(strstr(why, "--prometheus-token-file"));
	assert_null(strstr(why, "secret"));
	c.url = "ftp://prom:9090";
	assert_null(promapi_create(&c, why, sizeof why));
	assert_non_null(strstr(why, "only http:// and https://"));
	c.url = "http://127.0.0.1:9";
	c.token_file = "/nonexistent/token";
	assert_null(promapi_create(&c, why, sizeof why));
	assert_non_null(strstr(why, "--prometheus-token-file "
	    "/nonexistent/token: No such file or directory"));
	c.token_file = NULL;
	c.ca_file = "/nonexistent/ca.pem";
	assert_null(promapi_create(&c, why, sizeof why));
	assert_non_null(strstr(why, "--prometheus-ca-file"));
	c.ca_file = NULL;
	c.url = "http://127.0.0.1:9/prom///";
	assert_non_null(p = promapi_create(&c, why, sizeof why));
	assert_string_equal(promapi_url(p), "http://127.0.0.1:9/prom");
	promapi_free(p);
}

static void
test_matchers(void **state)
{
	struct promq_matcher	m[4];
	char			b[64];
	const char		addrs[][PROMQ_ADDR_LEN] = { "10.0.0.5",
				    "2001:db8::1" };

	(void)state;
	assert_int_equal(promq_node_matchers(NULL, "node-1.example", NULL, 0,
	    m, 4), 2);
	assert_string_equal(m[0].q, "node=\"node-1.example\"");
	assert_string_equal(m[1].q,
	    "instance=~\"node-1\\\\.example(:[0-9]+)?\"");
	/* this node's addresses too, with or without a port */
	assert_int_equal(promq_node_matchers(NULL, "n1", addrs, 2, m, 4), 2);
	assert_string_equal(m[1].q, "instance=~\"(n1|10\\\\.0\\\\.0\\\\.5|"
	    "\\\\[?2001:db8::1\\\\]?)(:[0-9]+)?\"");
	assert_string_equal(m[1].what,
	    "instance n1, 10.0.0.5, 2001:db8::1 (with or without a port)");
	/* no name: the addresses alone */
	assert_int_equal(promq_node_matchers(NULL, NULL, addrs, 1, m, 4), 1);
	assert_string_equal(m[0].q, "instance=~\"10\\\\.0\\\\.0\\\\.5(:[0-9]+)?\"");
	/* a name given: that name only */
	assert_int_equal(promq_node_matchers("other", "n1", addrs, 2, m, 4),
	    2);
	assert_string_equal(m[1].q, "instance=~\"other(:[0-9]+)?\"");
	assert_int_equal(promq_node_matchers("kubernetes_node=a\"b", "x",
	    addrs, 2, m, 4), 1);
	assert_string_equal(m[0].q, "kubernetes_node=\"a\\\"b\"");
	assert_int_equal(promq_node_matchers(NULL, NULL, NULL, 0, m, 4), 0);
	assert_string_equal(promapi_quote("a\\b\"c\nd", b, sizeof b),
	    "a\\\\b\\\"c\\nd");
}

static bool
rx_full_match(const char *re, const char *s)
{
	regex_t		rx;
	char		*full = xasprintf("^(%s)$", re);
	bool		 m;

	assert_int_equal(regcomp(&rx, full, REG_EXTENDED | REG_NOSUB), 0);
	m = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	free(full);
	return m;
}

/* The regex of a pod's workload matches its replicas, not its neighbours. */
static void
test_workload_regex(void **state)
{
	static const struct {
		const char	*pod, *same, *other;
	} cases[] = {
		{ "store-3", "store-41", "store-x" },
		{ "store-3", "store-0", "stores-3" },
		{ "api-7d9f7d8f5b-xk2lp", "api-5c8d7b9f4-2bq4k",
		  "api-v2-7d9f7d8f5b-xk2lp" },
		{ "agent-x2b4k", "agent-7cz9q", "agent-7cz9q-x2b4k" },
		{ "backup-28391040-x2b4k", "backup-28391100-7cz9q",
		  "backup-x2b4k" },
		{ "a.b-0", "a.b-1", "axb-1" },
	};
	struct wl_name	w;
	char		re[600];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		workload_parse(cases[i].pod, NULL, &w);
		assert_true(workload_regex(w.kind, cases[i].pod, w.stem_len, re,
		    sizeof re) > 0);
		if (!rx_full_match(re, cases[i].pod) || !rx_full_match(re, cases[i].same))
			fail_msg("%s: %s does not match itself or %s", re,
			    cases[i].pod, cases[i].same);
		if (rx_full_match(re, cases[i].other))
			fail_msg("%s matches %s", re, cases[i].other);
	}
	workload_parse("etcd-node-1", "node-1", &w);
	assert_int_equal(workload_regex(w.kind, "etcd-node-1", w.stem_len, re,
	    sizeof re), 0);
	workload_parse("loner", NULL, &w);
	assert_int_equal(workload_regex(w.kind, "loner", w.stem_len, re,
	    sizeof re), 0);
}

/* Another source's past goes before the entity's own, and counts. */
static void
test_backfill(void **state)
{
	struct history	*h = history_create(100, 10);
	uint64_t	 v[6] = { 230 * MiB, FIG_NA, 230 * MiB, 400 * MiB,
			    640 * MiB, 650 * MiB };
	struct hist_past p = { FIG_RSS_ANON, v, 6, 1000, 300, 1000 + 4 * 300 };
	struct hist_seed sd;
	uint16_t	 s[HF__COUNT][3];	/* ring codes, per figure */
	struct hist_ent	*e;
	int		 k, i;

	(void)state;
	/* a new entity takes all of it */
	assert_int_equal(history_backfill(h, "pod:a", &p), 6);
	assert_true(history_since(h, "pod:a") == 1000);
	/* a seeded one (known from 1000 + 3 * 300 - a little) only what
	   lies before, after its unknown leading samples are dropped */
	memset(&sd, 0, sizeof sd);
	for (k = 0; k < HF__COUNT; k++) {
		sd.first[k] = sd.min[k] = sd.max[k] = FIG_NA;
		for (i = 0; i < 3; i++)
			s[k][i] = RING_NA;
	}
	s[FIG_RSS_ANON][1] = s[FIG_RSS_ANON][2] = ring_encode(500 * MiB);
	sd.first[FIG_RSS_ANON] = sd.min[FIG_RSS_ANON] = 500 * MiB;
	sd.max[FIG_RSS_ANON] = 500 * MiB;
	sd.win_min = FIG_NA;
	sd.codes = &s[0][0];
	sd.nsamples = 3;
	sd.t0 = 1000 + 2 * 300 - 10;
	sd.step = 300;
	history_seed(h, "pod:b", &sd);
	assert_true(history_since(h, "pod:b") == 1000 + 3 * 300 - 10);
	assert_int_equal(history_backfill(h, "pod:b", &p), 3);
	assert_true(history_since(h, "pod:b") == 1000);
	assert_true(history_since(h, "pod:none") == 0);
	/* a gap inside the seeded span (1300, gap at 1600, 1900) takes the
	   sample nearest its moment; the time before it as above */
	s[FIG_RSS_ANON][0] = s[FIG_RSS_ANON][2] = ring_encode(500 * MiB);
	s[FIG_RSS_ANON][1] = RING_NA;
	sd.t0 = 1000 + 300;
	history_seed(h, "pod:c", &sd);
	assert_int_equal(history_backfill(h, "pod:c", &p), 2);
	e = history_find(h, "pod:c");
	assert_int_equal(e->ring[FIG_RSS_ANON].n, 4);
	assert_true(ring_get(&e->ring[FIG_RSS_ANON], 0) == 500 * MiB);
	assert_true(ring_get(&e->ring[FIG_RSS_ANON], 1) == 230 * MiB);
	assert_true(ring_get(&e->ring[FIG_RSS_ANON], 2) == 500 * MiB);
	assert_true(ring_get(&e->ring[FIG_RSS_ANON], 3) == 230 * MiB);
	assert_true(e->min[FIG_RSS_ANON] == 230 * MiB);
	/* again: nothing new */
	assert_int_equal(history_backfill(h, "pod:c", &p), 0);
	history_free(h);
}

static void
test_cluster_baseline(void **state)
{
	struct tree_replicas	r;
	uint64_t		v[59];
	char			b[64];
	size_t			i;

	(void)state;
	memset(&r, 0, sizeof r);
	r.kind = WL_STATEFULSET;
	r.anon = 640 * MiB;
	for (i = 0; i < 59; i++)
		v[i] = (200 + i) * MiB;
	tree_replicas_cluster(&r, v, 59);
	assert_int_equal(r.source, REP_PROMETHEUS);
	assert_int_equal(r.replicas, 59);
	assert_int_equal(r.median, 229 * MiB);
	assert_int_equal(r.excess, (int64_t)(411 * MiB));
	assert_true(r.outlier);
	assert_int_equal(r.spread_lo, 214 * MiB);
	assert_int_equal(r.spread_hi, 244 * MiB);
	assert_string_equal(tree_replicas_against(&r, b, sizeof b),
	    "vs 59 replicas (prometheus)");
	/* its own anon unknown: no baseline, never an invented excess */
	r.anon = FIG_NA;
	tree_replicas_cluster(&r, v, 59);
	assert_int_equal(r.median, FIG_NA);
	assert_int_equal(r.excess, 0);
	assert_false(r.outlier);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_error_answer),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_special_values),
		cmocka_unit_test(test_create_refuses),
		cmocka_unit_test(test_matchers),
		cmocka_unit_test(test_workload_regex),
		cmocka_unit_test(test_backfill),
		cmocka_unit_test(test_cluster_baseline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
