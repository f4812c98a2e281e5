/*
 * The pure parts of the GC action: the SIGUSR1 guard, /proc/net/tcp{,6}
 * parsing, the websocket accept key, the /json/list and memoryUsage
 * parsers, frames through wslay, the result's JSON round trip.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "actions/gc.h"
#include "actions/gc_format.h"
#include "actions/gc_target.h"
#include "actions/job.h"
#include "actions/inspector.h"
#include "actions/netsock.h"
#include "actions/node_guard.h"

static struct proc_status
node_status(void)
{
	struct proc_status	st;

	memset(&st, 0, sizeof st);
	snprintf(st.name, sizeof st.name, "node");
	snprintf(st.exe, sizeof st.exe, "node");
	st.state = 'S';
	st.have_sigcgt = true;
	st.sig_caught = 0x0000000100004602ULL;	/* Node 20's, bit 9 set */
	return st;
}

static void
test_guard(void **state)
{
	struct guard_caps	root = { true, true, true, 0 };
	struct guard_caps	user = { false, false, false, 1000 };
	struct proc_status	st = node_status();
	char			b[256];
	const char		*r;

	(void)state;
	assert_null(node_guard(&st, NULL, &root, b, sizeof b));
	/* exe unreadable: argv[0] decides */
	st.exe[0] = '\0';
	assert_null(node_guard(&st, "nodejs", &root, b, sizeof b));
	assert_non_null(node_guard(&st, "java", &root, b, sizeof b));
	st = node_status();
	snprintf(st.exe, sizeof st.exe, "sleep");
	r = node_guard(&st, "node", &root, b, sizeof b);
	assert_non_null(strstr(r, "not Node.js"));
	/* a node that does not catch SIGUSR1 would be killed by it */
	st = node_status();
	st.sig_caught = 0;
	r = node_guard(&st, NULL, &root, b, sizeof b);
	assert_non_null(strstr(r, "does not catch SIGUSR1"));
	st.have_sigcgt = false;
	assert_non_null(node_guard(&st, NULL, &root, b, sizeof b));
	st = node_status();
	st.state = 'T';
	assert_non_null(strstr(node_guard(&st, NULL, &root, b, sizeof b),
	    "stopped"));
	st = node_status();
	st.tracer_pid = 77;
	assert_non_null(strstr(node_guard(&st, NULL, &root, b, sizeof b),
	    "traced"));
	/* a zombie has no exe and no argv[0]: refused as a zombie */
	st = node_status();
	st.state = 'Z';
	st.exe[0] = '\0';
	st.have_sigcgt = false;
	assert_non_null(strstr(node_guard(&st, "", &root, b, sizeof b),
	    "zombie"));
	/* privileges: another user's process, or no CAP_SYS_ADMIN */
	st = node_status();
	assert_non_null(strstr(node_guard(&st, NULL, &user, b, sizeof b),
	    "needs root"));
	st.uid = 1000;
	assert_non_null(strstr(node_guard(&st, NULL, &user, b, sizeof b),
	    "CAP_SYS_ADMIN"));
}

static void
test_caps(void **state)
{
	const char		*s = "Name:\tx\nCapEff:\t0000000000200020\n";
	struct guard_caps	 c;

	(void)state;
	guard_caps_parse(s, strlen(s), 1000, &c);
	assert_false(c.root);
	assert_true(c.cap_kill);
	assert_true(c.cap_sys_admin);
	guard_caps_parse("", 0, 0, &c);
	assert_true(c.root);
	assert_false(c.cap_kill);
}

static void
test_netsock(void **state)
{
	const char	*v4 =
	    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
	    "retrnsmt   uid  timeout inode\n"
	    "   0: 0100007F:240D 00000000:0000 0A 00000000:00000000 00:00000000 "
	    "00000000     0        0 107060 1 0000000000000000 100 0 0 10 0\n"
	    "   1: 0100007F:240D 0100007F:C350 01 00000000:00000000 00:00000000 "
	    "00000000     0        0 107061 1 0000000000000000 20 4 30 10 -1\n"
	    "   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 "
	    "00000000  1000        0 5555 1 0000000000000000 100 0 0 10 0\n"
	    "garbage row\n";
	const char	*v6 =
	    "  sl  local_address                         remote_address  st\n"
	    "   0: 00000000000000000000000001000000:4E20 0000000000000000000000"
	    "0000000000:0000 0A 00000000:00000000 00:00000000 00000000     0   "
	    "     0 4242 1 0 100 0 0 10 0\n";
	struct listen_set	set;
	struct listen_sock	*s;
	char			t[64];
	size_t			n;

	(void)state;
	netsock_set_init(&set);
	n = netsock_parse(v4, strlen(v4), false, &set);
	s = set.v;
	assert_int_equal(n, 2);	/* the established row is not listening */
	assert_int_equal(s[0].port, 9229);
	assert_int_equal(s[0].inode, 107060);
	assert_int_equal(s[0].addr[0], 127);
	assert_true(netsock_local(&s[0]));
	assert_string_equal(netsock_text(&s[0], t, sizeof t),
	    "127.0.0.1:9229");
	assert_int_equal(s[1].port, 8080);
	assert_true(netsock_local(&s[1]));	/* 0.0.0.0 */
	assert_string_equal(netsock_text(&s[1], t, sizeof t), "*:8080");
	assert_string_equal(netsock_host(&s[1], t, sizeof t), "127.0.0.1");
	n = netsock_parse(v6, strlen(v6), true, &set);
	s = set.v;
	assert_int_equal(n, 1);
	assert_int_equal(set.n, 3);
	assert_int_equal(s[2].port, 20000);
	assert_int_equal(s[2].inode, 4242);
	assert_int_equal(s[2].addr[15], 1);	/* ::1 */
	assert_true(netsock_local(&s[2]));
	assert_string_equal(netsock_text(&s[2], t, sizeof t), "[::1]:20000");
	assert_ptr_equal(netsock_find(&set, 4242), &s[2]);
	assert_null(netsock_find(&set, 4243));
	/* regression: an inode at the very end of an unterminated buffer */
	{
		const char	*row = "h\n   0: 0100007F:240D 00000000:0000 0A "
		    "00000000:00000000 00:00000000 00000000     0        0 777";
		char		 raw[256];
		size_t		 l = strlen(row);
		struct listen_set t2;

		netsock_set_init(&t2);
		memcpy(raw, row, l);
		assert_int_equal(netsock_parse(raw, l, false, &t2), 1);
		assert_int_equal(t2.v[0].inode, 777);
		netsock_set_done(&t2);
	}
	s[2].addr[0] = 0x20;	/* a global address */
	assert_false(netsock_local(&s[2]));
	netsock_set_done(&set);
}

/* No cap on the table: the 301st listening row is found (issue 14). */
static void
test_netsock_many(void **state)
{
	char			*buf = malloc(400 * 160), *p = buf;
	struct listen_set	 set;
	int			 i;

	(void)state;
	p += sprintf(p, "  sl  local_address rem_address   st\n");
	for (i = 0; i < 400; i++)
		p += sprintf(p, "%4d: 0100007F:%04X 00000000:0000 0A 00000000:"
		    "00000000 00:00000000 00000000     0        0 %d 1 0 100 0 "
		    "0 10 0\n", i, 10000 + i, 50000 + i);
	netsock_set_init(&set);
	assert_int_equal(netsock_parse(buf, (size_t)(p - buf), false, &set),
	    400);
	assert_non_null(netsock_find(&set, 50000 + 300));
	assert_int_equal(netsock_find(&set, 50000 + 399)->port, 10399);
	netsock_set_done(&set);
	free(buf);
}

static void
test_accept_key(void **state)
{
	char	out[32];

	(void)state;
	/* RFC 6455, section 1.3 */
	inspector_accept_key("dGhlIHNhbXBsZSBub25jZQ==", out);
	assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static void
test_parse_list(void **state)
{
	const char	*body = "[{\"webSocketDebuggerUrl\":\"ws://127.0.0.1:"
	    "9229/60192396-bd0f-4734\"}]";
	char		 ok[512];
	const char	*bad[] = {
		"HTTP/1.0 400 Bad Request\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\n[]",
		"HTTP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n",
		"HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\n[{}",
		"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.0 200 OK\r\nContent-Length: 34\r\n\r\n[{\"webSocketDebuggerUrl\":\"x\"}]",
		"garbage",
	};
	char		path[128], err[128];
	size_t		i;

	(void)state;
	/* Node answers HTTP/1.0 and keeps the connection: Content-Length */
	snprintf(ok, sizeof ok, "HTTP/1.0 200 OK\r\nContent-Type: application/"
	    "json\r\nContent-Length: %zu\r\n\r\n%s", strlen(body), body);
	assert_int_equal(inspector_parse_list(ok, strlen(ok), path, sizeof path,
	    err, sizeof err), 0);
	assert_string_equal(path, "/60192396-bd0f-4734");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(inspector_parse_list(bad[i], strlen(bad[i]),
		    path, sizeof path, err, sizeof err), -1);
		assert_true(strlen(err) > 5);
	}
}

static void
test_memory_usage(void **state)
{
	const char	*ok = "{\"result\":{\"type\":\"string\",\"value\":"
	    "\"{\\\"rss\\\":665,\\\"heapTotal\\\":129,\\\"heapUsed\\\":121,"
	    "\\\"external\\\":24,\\\"arrayBuffers\\\":32}\"}}";
	const char	*neg = "{\"result\":{\"value\":\"{\\\"rss\\\":-5}\"}}";
	json_error_t	 je;
	json_t		*j;
	struct v8_mem	 v;

	(void)state;
	j = json_loads(ok, 0, &je);
	assert_int_equal(gc_parse_memory_usage(j, &v), 0);
	assert_int_equal(v.rss, 665);
	assert_int_equal(v.heap_total, 129);
	assert_int_equal(v.array_buffers, 32);
	assert_int_equal(gc_outside_v8(&v), 665 - 129 - 24 - 32);
	assert_true(v.heap_limit == UINT64_MAX);	/* not given: unknown */
	json_decref(j);
	j = json_loads("{\"result\":{\"value\":\"{\\\"rss\\\":665,"
	    "\\\"heapTotal\\\":129,\\\"heapUsed\\\":121,\\\"external\\\":24,"
	    "\\\"arrayBuffers\\\":32,\\\"heapSizeLimit\\\":4345298944}\"}}", 0,
	    &je);
	assert_int_equal(gc_parse_memory_usage(j, &v), 0);
	assert_true(v.heap_limit == 4345298944ULL);
	json_decref(j);
	j = json_loads(neg, 0, &je);
	assert_int_equal(gc_parse_memory_usage(j, &v), -1);
	json_decref(j);
	j = json_loads("{\"result\":{}}", 0, &je);
	assert_int_equal(gc_parse_memory_usage(j, &v), -1);
	json_decref(j);
}

static void
test_frames(void **state)
{
	static const char	msg[] = "{\"id\":1,\"result\":{}}";
	uint8_t			f[64];
	int			n;

	(void)state;
	f[0] = 0x81;
	f[1] = (uint8_t)strlen(msg);
	memcpy(f + 2, msg, strlen(msg));
	inspector_feed(f, 2 + strlen(msg), &n);
	assert_int_equal(n, 1);
	/* cut short: no message */
	inspector_feed(f, 10, &n);
	assert_int_equal(n, 0);
	/* a frame claiming 1 GiB: refused, nothing allocated for it */
	{
		uint8_t	huge[] = { 0x81, 127, 0, 0, 0, 0, 0x40, 0, 0, 0, 'x' };

		inspector_feed(huge, sizeof huge, &n);
		assert_int_equal(n, 0);
	}
}

static void
test_result_json(void **state)
{
	struct gc_result	a, b;
	json_t			*j;

	(void)state;
	memset(&a, 0, sizeof a);
	a.pid = 42;
	a.ok = true;
	a.rss_before = 568ULL << 20;
	a.rss_after = 316ULL << 20;
	a.pss_anon_before = 500ULL << 20;
	a.pss_anon_after = UINT64_MAX;
	a.v8_before = (struct v8_mem){ true, 665, 129, 121, 24, 32, UINT64_MAX };
	a.port = 9229;
	a.inspector_closed = true;
	a.duration_ms = 1234.5;
	j = gc_result_json(&a);
	assert_true(json_is_null(json_object_get(j, "pss_anon_after")));
	assert_true(json_is_null(json_object_get(j, "v8_after")));
	assert_int_equal(gc_result_from_json(j, &b), 0);
	assert_int_equal(b.pid, 42);
	assert_true(b.ok);
	assert_int_equal(b.rss_after, a.rss_after);
	assert_int_equal(b.pss_anon_after, UINT64_MAX);
	assert_int_equal(b.v8_before.heap_used, 121);
	assert_false(b.v8_after.ok);
	assert_true(b.inspector_closed);
	assert_int_equal(b.port, 9229);
	json_decref(j);
}

#define MB(x)	((uint64_t)(x) << 20)

static struct gc_result
recorded(uint64_t before, uint64_t after, uint64_t heap_total,
    uint64_t external, uint64_t array_buffers)
{
	struct gc_result	r;

	gc_result_init(&r, 4242, 777);
	r.ok = true;
	r.rss_before = before;
	r.rss_after = after;
	r.v8_before = (struct v8_mem){ true, before, MB(129), MB(121), MB(24),
	    MB(32), UINT64_MAX };
	r.v8_after = (struct v8_mem){ true, after, heap_total, MB(20),
	    external, array_buffers, UINT64_MAX };
	r.signalled = r.inspector_closed = true;
	snprintf(r.addr, sizeof r.addr, "127.0.0.1:9229");
	return r;
}

/* The verdict on recorded results (issue 13, item 5). */
static void
test_verdict(void **state)
{
	struct gc_result	r;
	char			v[512], line[1024];

	(void)state;
	/* the field case: 648M -> 83M. Most was garbage; no arena blame */
	r = recorded(MB(648), MB(83), MB(40), MB(3), MB(1));
	gc_format_verdict(&r, true, v, sizeof v);
	assert_non_null(strstr(v, "freed 565M"));
	assert_non_null(strstr(v, "87% of RSS"));
	assert_non_null(strstr(v, "most of it was garbage"));
	assert_null(strstr(v, "arena"));
	gc_format_summary(&r, true, line, sizeof line);
	assert_non_null(strstr(line, "GC pid 4242: RSS 648M -> 83M"));
	assert_non_null(strstr(line, "most of it was garbage"));
	/* frees little, 465M left outside V8, the arena finding fired */
	r = recorded(MB(680), MB(650), MB(129), MB(24), MB(32));
	gc_format_verdict(&r, true, v, sizeof v);
	assert_non_null(strstr(v, "only 4% of RSS"));
	assert_non_null(strstr(v, "465M of the 650M left is outside V8"));
	assert_non_null(strstr(v, "glibc-arenas finding fired"));
	/* the same without the finding: outside V8, but no arena guess */
	gc_format_verdict(&r, false, v, sizeof v);
	assert_non_null(strstr(v, "465M of the 650M left is outside V8"));
	assert_null(strstr(v, "arena"));
	/* frees little, little outside V8: the rest is V8's live heap */
	r = recorded(MB(300), MB(290), MB(250), MB(5), MB(5));
	gc_format_verdict(&r, true, v, sizeof v);
	assert_non_null(strstr(v, "only 3% of RSS"));
	assert_non_null(strstr(v, "the rest is V8's heap"));
	assert_null(strstr(v, "arena"));
	/* a failure: the error and what happened to the inspector */
	gc_result_init(&r, 9, 1);
	snprintf(r.error, sizeof r.error, "cancelled");
	r.signalled = r.watching = true;
	snprintf(r.netns, sizeof r.netns, "net:[4026532000]");
	gc_format_summary(&r, false, line, sizeof line);
	assert_non_null(strstr(line, "GC pid 9: still watching to close its "
	    "inspector (SIGUSR1 sent): cancelled"));
	r.watching = false;
	snprintf(r.closer, sizeof r.closer, "the inspector opened on "
	    "127.0.0.1:9229 after 9.5 s and memtop closed it");
	gc_format_summary(&r, false, line, sizeof line);
	assert_non_null(strstr(line, "GC pid 9 failed: cancelled; inspector: "
	    "the inspector opened on 127.0.0.1:9229 after 9.5 s and memtop "
	    "closed it"));
	gc_format_verdict(&r, false, v, sizeof v);
	assert_string_equal(v, "");
}

/* Where Node will put its inspector, from its command line. */
static void
test_inspect_spec(void **state)
{
	static const struct {
		const char	*argv;	/* '|' separates arguments */
		const char	*env;
		int		 port;
		const char	*host;
	} t[] = {
		{ "node|app.js", NULL, 9229, "127.0.0.1" },
		{ "node|--inspect=127.0.0.2:9230|app.js", NULL, 9230,
		    "127.0.0.2" },
		{ "node|--inspect-port=0|app.js", NULL, 0, "127.0.0.1" },
		{ "node|--inspect-port|9300|app.js", NULL, 9300, "127.0.0.1" },
		{ "node|--inspect=9231", NULL, 9231, "127.0.0.1" },
		{ "node|--inspect-brk=[::1]:9232|x.js", NULL, 9232, "::1" },
		{ "node|--inspect=0.0.0.0", NULL, 9229, "0.0.0.0" },
		{ "node|app.js|--inspect=1", NULL, 9229, "127.0.0.1" },
		{ "node|-r|x|--inspect=10.1.2.3:9240|a.js", NULL, 9240,
		    "10.1.2.3" },
		{ "node|app.js", "--max-old-space-size=256 --inspect-port=9250",
		    9250, "127.0.0.1" },
		{ "node|--inspect-port=9260|a.js", "--inspect-port=9250", 9260,
		    "127.0.0.1" },
		{ "node|-e|--inspect=5", NULL, 9229, "127.0.0.1" },
	};
	struct gc_inspect_spec	sp;
	char			argv[128];
	size_t			i, l, k;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		l = strlen(t[i].argv);
		memcpy(argv, t[i].argv, l + 1);
		for (k = 0; k < l; k++) {
			if (argv[k] == '|')
				argv[k] = '\0';
		}
		gc_target_spec(argv, l + 1, t[i].env, &sp);
		assert_int_equal(sp.port, t[i].port);
		assert_string_equal(sp.host, t[i].host);
	}
	snprintf(sp.host, sizeof sp.host, "10.1.2.3");
	assert_false(gc_target_needs_lo(&sp));
	snprintf(sp.host, sizeof sp.host, "127.0.0.2");
	assert_true(gc_target_needs_lo(&sp));
}

static int
decode(struct job *j, const char *line)
{
	return job_decode_line(j, line, strlen(line));
}

/* The job protocol's decoder: progress, results, junk. */
static void
test_job_decode(void **state)
{
	struct job	j;

	(void)state;
	memset(&j, 0, sizeof j);
	j.pid = 4242;
	j.start = 777;
	assert_int_equal(decode(&j, "{\"progress\":\"pid 4242: "
	    "collecting garbage\"}"), JOB_PROGRESS);
	assert_string_equal(j.progress, "pid 4242: collecting garbage");
	assert_int_equal(decode(&j, "{\"result\":{\"pid\":1,"
	    "\"ok\":false,\"watching\":true,\"error\":\"x\"}}"),
	    JOB_RESULT);
	assert_true(j.have_result);
	assert_int_equal(j.result.pid, 4242);	/* the job's, not the line's */
	assert_int_equal(j.result.start, 777);
	assert_true(j.result.watching);
	assert_int_equal(decode(&j, "garbage"), 0);
	assert_int_equal(decode(&j, "{\"progress\":5}"), 0);
	assert_int_equal(decode(&j, "{\"result\":[]}"), 0);
}

/* Two GCs of one process: the second cannot take the lock. */
static void
test_lock(void **state)
{
	int	a, b;

	(void)state;
	a = gc_target_lock(getpid(), 12345);
	assert_true(a >= 0);
	assert_int_equal(gc_target_lock(getpid(), 12345), -1);
	b = gc_target_lock(getpid(), 12346);	/* another process */
	assert_true(b >= 0);
	close(a);
	a = gc_target_lock(getpid(), 12345);
	assert_true(a >= 0);
	close(a);
	close(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guard),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_netsock),
		cmocka_unit_test(test_accept_key),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_memory_usage),
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_result_json),
		cmocka_unit_test(test_netsock_many),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_inspect_spec),
		cmocka_unit_test(test_job_decode),
		cmocka_unit_test(test_lock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
