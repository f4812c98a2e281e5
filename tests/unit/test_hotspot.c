/*
 * The pure parts of the HotSpot GC on outputs captured from openjdk 17
 * (tests/fixtures/hotspot/: jcmd GC.heap_info and VM.native_memory summary
 * of G1, Parallel, Serial, Shenandoah and Z), the attach reply, the
 * DisableAttachMechanism reading, the guard, the result's JSON round trip,
 * the shared formatter's words for a JVM, and the mapping rules on a JVM's
 * maps (g1-1g.maps, with its NMT summary taken at the same moment).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "actions/gc.h"
#include "actions/gc_format.h"
#include "actions/hotspot.h"
#include "analyse/detectors.h"
#include "analyse/diagnosis.h"
#include "collect/maps.h"
#include "fixture.h"
#include "util/readfile.h"

#define K	1024ULL
#define M	(1024ULL * 1024)

static void
load(const char *name, struct buf *b)
{
	char	*p = fixture("hotspot/%s", name);

	buf_init(b);
	assert_int_equal(read_file(p, b, 0), 0);
	free(p);
}

static void
heap_of(const char *name, struct hs_heap *h)
{
	struct buf	b;

	load(name, &b);
	assert_int_equal(hotspot_parse_heap_info(b.data, b.len, h), 0);
	buf_done(&b);
}

static void
test_heap_info(void **state)
{
	struct hs_heap	h;

	(void)state;
	heap_of("heap_info.G1.txt", &h);
	assert_true(h.ok);
	assert_string_equal(h.collector, "G1");
	assert_int_equal(h.committed, 653312 * K);
	assert_int_equal(h.used, 242612 * K);
	assert_int_equal(h.meta_used, 81 * K);
	assert_int_equal(h.meta_committed, 320 * K);

	/* two generations each: their totals add up */
	heap_of("heap_info.Parallel.txt", &h);
	assert_string_equal(h.collector, "Parallel");
	assert_int_equal(h.committed, (210432 + 258048) * K);
	assert_int_equal(h.used, (129846 + 8) * K);
	assert_int_equal(h.meta_committed, 320 * K);

	heap_of("heap_info.Serial.txt", &h);
	assert_string_equal(h.collector, "Serial");
	assert_int_equal(h.committed, (116160 + 258048) * K);
	assert_int_equal(h.used, (15378 + 704) * K);
	assert_int_equal(h.meta_used, 135 * K);

	heap_of("heap_info.Shenandoah.txt", &h);
	assert_string_equal(h.collector, "Shenandoah");
	assert_int_equal(h.committed, 377 * M);
	assert_int_equal(h.used, 59392 * K);

	heap_of("heap_info.Z.txt", &h);
	assert_string_equal(h.collector, "ZGC");
	assert_int_equal(h.committed, 378 * M);
	assert_int_equal(h.used, 100 * M);
	assert_int_equal(h.meta_committed, 320 * K);
}

static void
test_heap_info_edges(void **state)
{
	static const char jdk21[] = " garbage-first heap   total reserved "
	    "262144K, committed 10240K, used 1916K [0x0, 0x1)\n";
	static const char cut[] = " garbage-first heap   total 653312K, us";
	static const char junk[] = "Unknown diagnostic command\n";
	struct hs_heap	h;

	(void)state;
	/* JDK 21's form: "total reserved N, committed M" */
	assert_int_equal(hotspot_parse_heap_info(jdk21, sizeof jdk21 - 1, &h),
	    0);
	assert_int_equal(h.committed, 10240 * K);
	assert_int_equal(h.used, 1916 * K);
	/* Metaspace unknown, not 0 */
	assert_int_equal(h.meta_committed, UINT64_MAX);
	/* truncated: the used figure is unknown, the heap not ok */
	assert_int_equal(hotspot_parse_heap_info(cut, sizeof cut - 1, &h), -1);
	assert_false(h.ok);
	assert_int_equal(hotspot_parse_heap_info(junk, sizeof junk - 1, &h),
	    -1);
	assert_int_equal(h.committed, UINT64_MAX);
	assert_int_equal(hotspot_parse_heap_info("", 0, &h), -1);
}

static void
test_nmt(void **state)
{
	static const char off[] = "Native memory tracking is not enabled\n";
	struct buf	b;
	struct hs_nmt	n;
	size_t		i;
	bool		heap = false, thread = false;

	(void)state;
	load("nmt.G1.txt", &b);
	assert_int_equal(hotspot_parse_nmt(b.data, b.len, &n), 0);
	assert_int_equal(n.reserved, 2527176 * K);
	assert_int_equal(n.committed, 739332 * K);
	assert_true(n.n >= 15);
	for (i = 0; i < n.n; i++) {
		if (strcmp(n.cat[i].name, "Java Heap") == 0) {
			heap = true;
			assert_int_equal(n.cat[i].committed, 653312 * K);
			assert_int_equal(n.cat[i].reserved, 1048576 * K);
		}
		if (strcmp(n.cat[i].name, "Thread") == 0) {
			thread = true;
			assert_int_equal(n.cat[i].committed, 877 * K);
		}
		/* the sub-lines "(mmap: reserved=..." are not categories */
		assert_null(strchr(n.cat[i].name, '('));
	}
	assert_true(heap && thread);
	assert_string_equal(n.cat[n.n - 1].name, "Object Monitors");
	buf_done(&b);
	assert_int_equal(hotspot_parse_nmt(off, sizeof off - 1, &n), -1);
	assert_int_equal(n.n, 0);
}

static void
test_reply(void **state)
{
	static const char ok[] = "0\nCommand executed successfully\n";
	static const char bad[] = "-1\nno such command\n";
	const char	*body;
	int		 rc = 99;

	(void)state;
	body = hotspot_parse_reply(ok, sizeof ok - 1, &rc);
	assert_non_null(body);
	assert_int_equal(rc, 0);
	assert_string_equal(body, "Command executed successfully\n");
	body = hotspot_parse_reply(bad, sizeof bad - 1, &rc);
	assert_int_equal(rc, -1);
	assert_null(hotspot_parse_reply("garbage\n", 8, &rc));
	assert_null(hotspot_parse_reply("0", 1, &rc));
	assert_null(hotspot_parse_reply("\n0\n", 3, &rc));
}

static void
test_disabled(void **state)
{
	static const char on[] = "java\0-XX:+DisableAttachMechanism\0-cp\0.\0"
	    "Main";
	static const char off_again[] = "java\0-XX:+DisableAttachMechanism\0"
	    "-XX:-DisableAttachMechanism\0Main";
	static const char plain[] = "java\0-Xrs\0Main";

	(void)state;
	assert_true(hotspot_attach_disabled(on, sizeof on, NULL, NULL, NULL));
	assert_false(hotspot_attach_disabled(off_again, sizeof off_again, NULL,
	    NULL, NULL));
	assert_false(hotspot_attach_disabled(plain, sizeof plain, NULL, NULL,
	    NULL));
	/* JAVA_TOOL_OPTIONS first, the command line after it */
	assert_true(hotspot_attach_disabled(plain, sizeof plain,
	    "-Xmx1g -XX:+DisableAttachMechanism", NULL, NULL));
	assert_false(hotspot_attach_disabled(off_again + 0, sizeof off_again,
	    "-XX:+DisableAttachMechanism", NULL, NULL));
	/* _JAVA_OPTIONS last: it wins */
	assert_true(hotspot_attach_disabled(off_again, sizeof off_again, NULL,
	    NULL, "-XX:+DisableAttachMechanism"));
	/* a longer option is another one */
	assert_false(hotspot_attach_disabled(plain, sizeof plain,
	    "-XX:+DisableAttachMechanismX", NULL, NULL));
}

static void
test_guard(void **state)
{
	struct proc_status	st;
	char			b[256];
	const char		*r;

	(void)state;
	memset(&st, 0, sizeof st);
	st.state = 'S';
	st.have_sigcgt = true;
	st.sig_caught = 0x0000000101005ccdULL;	/* openjdk 17's, bit 2 set */
	assert_null(hotspot_guard(&st, false, false, b, sizeof b));
	r = hotspot_guard(&st, true, true, b, sizeof b);
	assert_non_null(strstr(r, "DisableAttachMechanism"));
	/* -Xrs: SIGQUIT not caught; only an existing socket will do */
	st.sig_caught &= ~SIGQUIT_BIT;
	r = hotspot_guard(&st, false, false, b, sizeof b);
	assert_non_null(strstr(r, "does not catch SIGQUIT"));
	assert_null(hotspot_guard(&st, true, false, b, sizeof b));
	st.have_sigcgt = false;
	assert_non_null(hotspot_guard(&st, false, false, b, sizeof b));
}

static struct gc_result
jvm_result(void)
{
	struct gc_result	r;

	gc_result_init(&r, 4242, 77);
	r.runtime = GC_RT_HOTSPOT;
	r.ok = true;
	r.rss_before = 1167 * M;
	r.rss_after = 89 * M;
	r.pss_anon_before = 1100 * M;
	r.pss_anon_after = 60 * M;
	r.heap_before.ok = r.heap_after.ok = true;
	snprintf(r.heap_before.collector, sizeof r.heap_before.collector,
	    "G1");
	r.heap_before.committed = 1000 * M;
	r.heap_before.used = 900 * M;
	r.heap_after.committed = 20 * M;
	r.heap_after.used = 2 * M;
	r.nmt.n = 2;
	r.nmt.committed = 80 * M;
	snprintf(r.nmt.cat[0].name, sizeof r.nmt.cat[0].name, "Thread");
	r.nmt.cat[0].committed = 3 * M;
	snprintf(r.nmt.cat[1].name, sizeof r.nmt.cat[1].name, "GC");
	r.nmt.cat[1].committed = 40 * M;
	snprintf(r.addr, sizeof r.addr, "/tmp/.java_pid1");
	r.signalled = true;
	return r;
}

static void
test_json_roundtrip(void **state)
{
	struct gc_result	r = jvm_result(), back;
	json_t			*j;

	(void)state;
	j = gc_result_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "runtime")),
	    "hotspot");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j,
	    "heap_after"), "committed")), 20 * M);
	/* outside the heap: RSS - committed heap */
	assert_int_equal(json_integer_value(json_object_get(j,
	    "outside_heap_after")), 69 * M);
	/* Metaspace unknown stays null, V8 figures are null */
	assert_true(json_is_null(json_object_get(json_object_get(j,
	    "heap_after"), "metaspace_used")));
	assert_true(json_is_null(json_object_get(j, "v8_after")));
	assert_int_equal(gc_result_from_json(j, &back), 0);
	json_decref(j);
	assert_int_equal(back.runtime, GC_RT_HOTSPOT);
	assert_true(back.heap_after.ok);
	assert_int_equal(back.heap_before.used, 900 * M);
	assert_string_equal(back.heap_before.collector, "G1");
	assert_int_equal(back.heap_after.meta_used, UINT64_MAX);
	assert_int_equal(back.nmt.n, 2);
	assert_string_equal(back.nmt.cat[1].name, "GC");
	assert_int_equal(gc_outside_heap(&back, true), 69 * M);
	/* a heap that could not be read: outside unknown, not 0 */
	back.heap_after.ok = false;
	assert_int_equal(gc_outside_heap(&back, true), -1);
}

struct lines {
	char	all[4096];
};

static void
collect_line(void *arg, const char *label, const char *text)
{
	struct lines	*l = arg;
	size_t		 n = strlen(l->all);

	snprintf(l->all + n, sizeof l->all - n, "%s: %s\n", label, text);
}

static void
test_format(void **state)
{
	struct gc_result	r = jvm_result();
	struct lines		l = { "" };
	struct diag_gc		d;
	char			b[1024];

	(void)state;
	gc_format_verdict(&r, false, b, sizeof b);
	assert_non_null(strstr(b, "most of it was Java heap garbage"));
	assert_null(strstr(b, "V8"));
	gc_format_summary(&r, false, b, sizeof b);
	assert_non_null(strstr(b, "Java heap (G1) 1000M -> 20M"));
	assert_non_null(strstr(b, "outside the Java heap 69M"));
	gc_format_lines(&r, false, collect_line, &l);
	assert_non_null(strstr(l.all, "Java heap (G1) committed 1000M -> 20M, "
	    "used 900M -> 2.0M"));
	/* NMT: largest first */
	assert_non_null(strstr(l.all, "NMT: committed 80M: GC 40M, Thread "
	    "3.0M"));
	assert_non_null(strstr(l.all, "attach: SIGQUIT started HotSpot's "
	    "attach listener on /tmp/.java_pid1"));
	assert_null(strstr(l.all, "inspector"));
	/* the shared diagnosis speaks of the Java heap */
	d.rss_before = r.rss_before;
	d.rss_after = r.rss_after;
	d.outside_heap_after = gc_outside_heap(&r, true);
	d.jvm = true;
	assert_true(diagnose_gc(NULL, NULL, &d, b, sizeof b));
	assert_non_null(strstr(b, "of 1.1G RSS (92 %): it was Java heap "
	    "garbage"));
}

static const struct finding *
rule(const struct finding *f, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(f[i].rule, name) == 0)
			return &f[i];
	}
	return NULL;
}

static void
test_jvm_maps(void **state)
{
	struct detect_ctx	 c = { "java", "java", 8 * M };
	struct finding		 f[8];
	const struct finding	*t;
	struct maps		 m;
	struct buf		 b;
	size_t			 n;

	(void)state;
	load("g1-1g.maps", &b);
	maps_init(&m);
	maps_parse(&m, b.data, b.len);
	buf_done(&b);
	assert_true(detect_is_jvm(&m));
	n = detect_all(&m, &c, f, 8);
	/* NMT said "thread #20": HotSpot's 1 MiB stacks, not the rlimit's */
	t = rule(f, n, "thread-stacks");
	assert_non_null(t);
	assert_int_equal(t->count, 20);
	assert_non_null(strstr(t->text, "1M (JVM threads)"));
	/* NMT: Java Heap reserved 1048576KB, committed 653312KB */
	t = rule(f, n, "java-heap");
	assert_non_null(t);
	assert_true(t->size <= 1048576 * K && t->size >= 1040000 * K);
	assert_non_null(strstr(t->text, "637M committed"));
	/*
	 * NMT: Code mmap reserved 247688KB, committed 7548KB; the CodeHeap's
	 * three segments are 240 MiB of it, 3 x 2496 KiB committed
	 */
	assert_non_null(strstr(t->text, "CodeHeap 240M reserved, 7.3M "
	    "committed"));
	assert_int_equal(t->rss, UINT64_MAX);	/* no smaps: unknown */
	assert_null(rule(f, n, "v8-pages"));
	/* the same mappings without libjvm.so: no Java heap, 8M stacks only */
	for (n = 0; n < m.n; n++) {
		if (strstr(m.v[n].name, "libjvm.so") != NULL)
			m.v[n].name = "";
	}
	assert_false(detect_is_jvm(&m));
	n = detect_all(&m, &c, f, 8);
	assert_null(rule(f, n, "java-heap"));
	assert_null(rule(f, n, "thread-stacks"));
	maps_done(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_info),
		cmocka_unit_test(test_heap_info_edges),
		cmocka_unit_test(test_nmt),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_disabled),
		cmocka_unit_test(test_guard),
		cmocka_unit_test(test_json_roundtrip),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_jvm_maps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
