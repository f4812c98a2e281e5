/*
 * maps/smaps parsing, the size histogram, clusters and the rules, on the
 * real captures of tests/fixtures/proc-captures and on odd input. The
 * expected counts were taken from the captures with an independent script
 * (tests/fixtures/proc-captures/README.md says what each process was).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "child.h"
#include "maps_check.h"

#include "analyse/detectors.h"
#include "analyse/histogram.h"
#include "analyse/report.h"
#include "collect/maps.h"
#include "collect/status.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

#define KiB	1024ULL
#define MiB	(1024 * KiB)

static void
load(struct maps *m, const char *capture, const char *file)
{
	char		*p = fixture("proc-captures/%s/%s", capture, file);
	struct buf	 b;

	buf_init(&b);
	assert_int_equal(read_file(p, &b, 0), 0);
	maps_init(m);
	maps_parse(m, b.data, b.len);
	buf_done(&b);
	free(p);
}

static const struct finding *
find_rule(const struct maps_report *r, const char *rule)
{
	size_t	i;

	for (i = 0; i < r->nfindings; i++) {
		if (strcmp(r->findings[i].rule, rule) == 0)
			return &r->findings[i];
	}
	return NULL;
}

static const struct hist_cluster *
cluster_of(const struct maps_report *r, uint64_t size)
{
	size_t	i;

	for (i = 0; i < r->hist.nclusters; i++) {
		if (r->hist.cluster[i].size == size)
			return &r->hist.cluster[i];
	}
	return NULL;
}

static void
test_node_sick(void **state)
{
	struct maps		m;
	struct maps_report	r;
	struct detect_ctx	node = { "node", "node", 0 };
	struct detect_ctx	py = { "python3", "python3.11", 0 };
	const struct finding	*f;
	uint64_t		sum = 0;
	size_t			i;

	(void)state;
	load(&m, "node20-sick", "maps");
	assert_int_equal(m.n, 2309);
	assert_int_equal(m.bad_lines, 0);
	assert_false(m.have_rss);
	report_build(&r, &m, &node, 42);
	assert_int_equal(r.hist.mappings, 2309);
	assert_int_equal(r.hist.anon, 2262);
	assert_int_equal(r.hist.coarse[0].count, 15);
	assert_int_equal(r.hist.coarse[1].count, 2231);
	assert_int_equal(r.hist.coarse[2].count, 16);
	for (i = 0; i < HIST_BINS; i++)
		sum += r.hist.bin[i].count;
	assert_int_equal(sum, 2262);
	/* the 256 KiB bin holds the V8 pages */
	assert_int_equal(r.hist.bin[6].min, 256 * KiB);
	assert_true(r.hist.bin[6].count >= 2221);
	assert_int_equal(r.hist.cluster[0].size, 256 * KiB);
	assert_int_equal(r.hist.cluster[0].count, 2221);
	assert_int_equal(r.hist.cluster[0].rss, UINT64_MAX);	/* no smaps */
	f = find_rule(&r, "v8-pages");
	assert_non_null(f);
	assert_int_equal(f->count, 2221);
	assert_int_equal(f->size, 2221 * 256 * KiB);
	assert_non_null(strstr(f->text, "--max-old-space-size"));
	/* the same mappings in a process that is not Node: no V8 finding */
	report_build(&r, &m, &py, 42);
	assert_null(find_rule(&r, "v8-pages"));
	maps_done(&m);
}

static void
test_node_after_gc(void **state)
{
	struct maps		m;
	struct maps_report	r;
	struct detect_ctx	node = { "node", "node", 0 };

	(void)state;
	load(&m, "node20-after-gc", "maps");
	report_build(&r, &m, &node, 42);
	assert_int_equal(r.hist.mappings, 209);
	assert_int_equal(r.hist.anon, 162);
	assert_int_equal(cluster_of(&r, 256 * KiB)->count, 115);
	/* clusters come largest total first */
	assert_true(r.hist.cluster[0].size * r.hist.cluster[0].count >=
	    r.hist.cluster[1].size * r.hist.cluster[1].count);
	/* 115 pages (29 MiB) is an ordinary heap */
	assert_null(find_rule(&r, "v8-pages"));
	maps_done(&m);
}

static void
test_arenas_and_stacks(void **state)
{
	struct maps		m;
	struct maps_report	r;
	struct detect_ctx	c = { "arena-demo", "arena-demo", 8 * MiB };
	const struct finding	*f;

	(void)state;
	load(&m, "c-6-threads-arenas", "maps");
	report_build(&r, &m, &c, 7);
	f = find_rule(&r, "glibc-arenas");
	assert_non_null(f);
	assert_int_equal(f->count, 6);
	assert_int_equal(f->size, 6 * 0x3d3000ULL);
	assert_non_null(strstr(f->text, "MALLOC_ARENA_MAX"));
	f = find_rule(&r, "thread-stacks");
	assert_non_null(f);
	assert_int_equal(f->count, 6);
	assert_null(find_rule(&r, "v8-pages"));
	/* a 16 MiB ulimit -s: these are not stacks of that size */
	c.stack_limit = 16 * MiB;
	report_build(&r, &m, &c, 7);
	assert_null(find_rule(&r, "thread-stacks"));
	maps_done(&m);
}

/* smaps: same mappings as maps, and its Rss adds up to smaps_rollup's. */
static void
test_smaps_agrees(void **state)
{
	struct maps		a, s;
	struct maps_report	r;
	struct detect_ctx	node = { "node", NULL, 0 };
	uint64_t		rss = 0;
	size_t			i;

	(void)state;
	load(&a, "node20-sick", "maps");
	load(&s, "node20-sick", "smaps");
	assert_true(s.have_rss);
	assert_int_equal(s.n, a.n);
	for (i = 0; i < s.n; i++) {
		assert_same_mapping(&s.v[i], &a.v[i]);
		assert_int_not_equal(s.v[i].rss, UINT64_MAX);
		rss += s.v[i].rss;
	}
	assert_int_equal(rss, 624132 * KiB);	/* smaps_rollup Rss */
	report_build(&r, &s, &node, 1);
	assert_true(r.hist.cluster[0].rss > 0 &&
	    r.hist.cluster[0].rss <= r.hist.cluster[0].size *
	    r.hist.cluster[0].count);
	assert_true(find_rule(&r, "v8-pages")->rss < UINT64_MAX);
	maps_done(&a);
	maps_done(&s);
}

static void
test_odd_lines(void **state)
{
	const char	*text =
	    "00400000-00401000 r-xp 00000000 fe:00 123 /usr/bin/with space name\n"
	    "00401000-00402000 rw-p 00000000 fe:00 124 /tmp/gone (deleted)\n"
	    "00402000-00403000 rw-p 00000000 00:00 0 [anon:v8 code]\n"
	    "00403000-00404000 rw-p 00000000 00:00 0 [stack]\n"
	    "00404000-00405000 r--p 00000000 00:00 0 [vvar]\n"
	    "00405000-00406000 rw-s 00000000 00:01 99 /memfd:x\\012y (deleted)\n"
	    "this is not a mapping\n"
	    "00406000-00405000 rw-p 00000000 00:00 0\n"
	    "zz-00407000 rw-p 00000000 00:00 0\n"
	    "00407000-00408000 rwzp 00000000 00:00 0\n"
	    "00408000-00409000 rw-p 00000000 00:00 0\n"
	    "00409000-0040a000 rw-p 00000000 00:0";	/* truncated */
	struct maps	m;

	(void)state;
	maps_init(&m);
	maps_parse(&m, text, strlen(text));
	assert_int_equal(m.n, 7);
	assert_int_equal(m.bad_lines, 4);
	assert_string_equal(m.v[0].name, "/usr/bin/with space name");
	assert_false(m.v[0].anon);
	assert_string_equal(m.v[1].name, "/tmp/gone (deleted)");
	assert_false(m.v[1].anon);
	assert_true(m.v[2].anon);
	assert_true(m.v[3].anon);
	assert_false(m.v[4].anon);	/* [vvar] is the kernel's */
	assert_false(m.v[5].anon);	/* memfd: shmem, not anonymous */
	assert_true(m.v[6].anon);
	assert_int_equal(m.v[6].start, 0x408000);
	/* no name after a named first mapping (it was the first's name) */
	assert_string_equal(m.v[6].name, "");
	assert_string_equal(m.v[2].name, "[anon:v8 code]");
	maps_done(&m);
}

/*
 * Addresses of every width from 1 to 16 hex digits, lower and upper case,
 * zero-padded or not, as start, end and offset: the parse gives what
 * strtoull gives; 17 digits and a digit-less field are refused.
 */
static void
test_hex_widths(void **state)
{
	struct maps	m;
	char		text[256], a[24], b[24];
	uint64_t	vals[] = { 0x1, 0xa, 0x12, 0xabc, 0x1000, 0xfffff,
	    0x7f0012345, 0x55d0c0ffee00, 0, 0xfedcba9876543210ULL,
	    0xffffffffffffffffULL, 0x123456789abcdef };
	size_t		i, k;
	int		upper, pad;

	(void)state;
	vals[8] = 0x7ffd0000;
	for (i = 0; i < sizeof vals / sizeof *vals; i++)
	for (upper = 0; upper <= 1; upper++)
	for (pad = 0; pad <= 16; pad += 8) {
		snprintf(a, sizeof a, upper ? "%0*llX" : "%0*llx", pad,
		    (unsigned long long)(vals[i] / 2));
		snprintf(b, sizeof b, upper ? "%0*llX" : "%0*llx", pad,
		    (unsigned long long)vals[i]);
		snprintf(text, sizeof text, "%s-%s rw-p %s 00:00 0 [x]\n", a,
		    b, a);
		maps_init(&m);
		assert_int_equal(maps_parse(&m, text, strlen(text)), 1);
		assert_true(m.v[0].start == vals[i] / 2);
		assert_true(m.v[0].end == vals[i]);
		/* the offset is checked for digits, not kept */
		assert_string_equal(m.v[0].name, "[x]");
		maps_done(&m);
	}
	/* every width, digits varied, mixed case in one number */
	for (k = 1; k <= 16; k++) {
		char		num[20];
		uint64_t	want = 0;

		for (i = 0; i < k; i++) {
			int	d = (int)((i * 7 + k) % 16);

			num[i] = d < 10 ? (char)('0' + d) : (i % 2 ?
			    (char)('A' + d - 10) : (char)('a' + d - 10));
			want = want << 4 | (uint64_t)d;
		}
		num[k] = '\0';
		snprintf(text, sizeof text, "0-%s r--p 0 00:00 0\n", num);
		maps_init(&m);
		assert_int_equal(maps_parse(&m, text, strlen(text)), 1);
		assert_true(m.v[0].end == want);
		maps_done(&m);
	}
	/* devices of other widths than 2:2 */
	snprintf(text, sizeof text, "0-1000 r--p 0 103:05 7 /a\n"
	    "1000-2000 r--p 0 0:0 0\n2000-3000 r--p 0 fe:100 0 [heap]\n");
	maps_init(&m);
	assert_int_equal(maps_parse(&m, text, strlen(text)), 3);
	assert_int_equal(m.bad_lines, 0);
	assert_int_equal(m.v[0].inode, 7);
	assert_string_equal(m.v[0].name, "/a");
	assert_true(m.v[1].anon && m.v[2].anon);
	assert_string_equal(m.v[2].name, "[heap]");
	maps_done(&m);
	/* bytes that are no hex digit within the first 8 (the word parse) */
	{
		static const char	bad[] = { 0x10, 0x19, 0x40, 0x60, 0x67,
		    0x47, 0x2f, 0x3a, (char)0x80, (char)0xb0, (char)0xe1,
		    ' ', '-', '\t' };

		for (i = 0; i < sizeof bad; i++) {
			size_t	at;

			for (at = 0; at < 8; at++) {
				snprintf(text, sizeof text, "%s-%s r--p 0 "
				    "00:00 0\n", "00001000", "0000200000");
				text[at] = bad[i];
				maps_init(&m);
				assert_int_equal(maps_parse(&m, text,
				    strlen(text)), 0);
				assert_int_equal(m.bad_lines, 1);
				maps_done(&m);
			}
		}
	}
	/* skipped fields are checked too: a 17-digit offset, no device */
	snprintf(text, sizeof text, "0-%s r--p 0 00:00 0\n-1000 r--p 0 00:00 0\n"
	    "0-1000 r--p %s 00:00 0\n0-1000 r--p 0 :00 0\n"
	    "0-1000 r--p 0 00:g0 0\n0-1000 r--p 0 00:00 x\n",
	    "12345678123456781", "12345678123456781");
	maps_init(&m);
	assert_int_equal(maps_parse(&m, text, strlen(text)), 0);
	assert_int_equal(m.bad_lines, 6);
	maps_done(&m);
}

/* What a maps_fn saw: copies, since a mapping's name lives for the call. */
struct seen {
	struct maps	m;
};

static void
see(void *arg, const struct mapping *mp)
{
	struct seen	*s = arg;
	char		 line[4400];
	int		 n;

	/* the mapping as a maps line again: parsed into the array */
	/* (the offset and device are not kept: any will do) */
	n = snprintf(line, sizeof line, "%llx-%llx %s 00000000 00:00 %llu %s\n",
	    (unsigned long long)mp->start, (unsigned long long)mp->end,
	    mp->perms, (unsigned long long)mp->inode, mp->name);
	assert_true(n > 0 && (size_t)n < sizeof line);
	maps_parse(&s->m, line, (size_t)n);
	if (mp->rss != UINT64_MAX)
		s->m.v[s->m.n - 1].rss = mp->rss;
}

/*
 * maps_scan hands on every mapping of a live process, as maps_read stores
 * them (maps: at once, names in the read buffer; smaps: with its figures).
 */
static void
test_scan_live(void **state)
{
	struct maps_stats	st;
	struct seen		s;
	struct maps		m;
	pid_t			pid = spawn_child(4);
	int			with_rss;
	size_t			i;

	(void)state;
	for (with_rss = 0; with_rss <= 1; with_rss++) {
		maps_init(&m);
		maps_init(&s.m);
		assert_int_equal(maps_read(&m, "/proc", pid, with_rss), 0);
		assert_int_equal(maps_scan("/proc", pid, with_rss, see, &s,
		    &st), 0);
		assert_true(m.n > 5);
		assert_int_equal(st.n, m.n);
		assert_int_equal(s.m.n, m.n);
		assert_int_equal(st.bad_lines, 0);
		assert_int_equal(st.have_rss, with_rss);
		for (i = 0; i < m.n; i++) {
			assert_same_mapping(&s.m.v[i], &m.v[i]);
			if (with_rss)
				assert_int_equal(s.m.v[i].rss, m.v[i].rss);
			else
				assert_true(m.v[i].rss == UINT64_MAX);
		}
		maps_done(&m);
		maps_done(&s.m);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_int_equal(maps_scan("/proc", pid, false, see, &s, &st),
	    -ENOENT);
}

/*
 * The rules see a mapping and the one before it: libjvm.so after the
 * JVM's 1 MiB stacks still counts them; an arena candidate that is the
 * last mapping is settled at the end.
 */
static void
test_stream_order(void **state)
{
	const char	*stacks =
	    "10000000-10001000 ---p 00000000 00:00 0\n"
	    "10001000-10100000 rw-p 00000000 00:00 0\n"	/* 1 MiB stack */
	    "20000000-20001000 ---p 00000000 00:00 0\n"
	    "20001000-20800000 rw-p 00000000 00:00 0\n";	/* 8 MiB stack */
	const char	*jvm =
	    "7f0000000000-7f0000100000 r-xp 00000000 fd:00 9 "
	    "/usr/lib/jvm/lib/server/libjvm.so\n";
	const char	*arena =
	    "7f4000000000-7f4004000000 rw-p 00000000 00:00 0\n";
	struct detect_ctx	c = { "java", NULL, 8 * MiB };
	struct maps_report	r;
	const struct finding	*f;
	struct maps		m;
	char			text[1024];

	(void)state;
	snprintf(text, sizeof text, "%s%s%s", stacks, jvm, arena);
	maps_init(&m);
	maps_parse(&m, text, strlen(text));
	assert_int_equal(m.n, 6);
	report_build(&r, &m, &c, 1);
	f = find_rule(&r, "thread-stacks");
	assert_non_null(f);
	assert_int_equal(f->count, 2);
	assert_non_null(strstr(f->text, "JVM threads"));
	assert_int_equal(f->rss, UINT64_MAX);
	f = find_rule(&r, "java-heap");
	assert_non_null(f);
	assert_int_equal(f->count, 4);
	assert_int_equal(f->size, 9 * MiB);
	f = find_rule(&r, "glibc-arenas");
	assert_non_null(f);
	assert_int_equal(f->count, 1);
	maps_done(&m);

	/* no libjvm.so: the 8 MiB stack only, no Java heap */
	snprintf(text, sizeof text, "%s%s", stacks, arena);
	maps_init(&m);
	maps_parse(&m, text, strlen(text));
	report_build(&r, &m, &c, 1);
	f = find_rule(&r, "thread-stacks");
	assert_non_null(f);
	assert_int_equal(f->count, 1);
	assert_null(strstr(f->text, "JVM threads"));
	assert_null(find_rule(&r, "java-heap"));
	maps_done(&m);
}

static void
test_scan_agrees(void **state)
{
	const char	*odd =
	    "00400000-00401000 r-xp 00000000 fe:00 123 /usr/bin/with space name\n"
	    "00402000-00403000 rw-p 00000000 00:00 0 [anon:v8 code]\n"
	    "00404000-00405000 r--p 00000000 00:00 0 [vvar]\n"
	    "this is not a mapping\n"
	    "\n"
	    "00406000-00405000 rw-p 00000000 00:00 0\n"
	    "zz-00407000 rw-p 00000000 00:00 0\n"
	    "00407000-00408000 rwzp 00000000 00:00 0\n"
	    "00407000-00408000 rw-p 00000000 00:00\n"
	    "00407000-00408000 rw-p\n"
	    "00408000-00409000 rw-p 00000000 00:00 0 \n"
	    "00408000-00409000 rw-p 0 103:1f 7\n"
	    "00409000-0040a000 rw-p 00000000 00:0";	/* truncated */
	char		*text = xmalloc(400 * 1024), name[5000];
	size_t		 len = 0, i;

	(void)state;
	scan_agrees(odd, strlen(odd));
	/* ~300 KiB: every 64 KiB read ends mid-line somewhere else */
	memset(name, 'n', sizeof name);
	name[0] = '/';
	for (i = 0; len < 300 * 1024; i++) {
		uint64_t	a = 0x7f0000000000ULL + i * 0x2000;

		switch (i % 9) {
		case 0:		/* a name longer than most lines */
			name[1 + i % 4000] = '\0';
			len += (size_t)sprintf(text + len, "%llx-%llx r-xp "
			    "00001000 fe:00 %zu                    %s\n",
			    (unsigned long long)a, (unsigned long long)a +
			    0x1000, i, name);
			name[1 + i % 4000] = 'n';
			break;
		case 4:		/* malformed: a device without its minor */
			len += (size_t)sprintf(text + len, "%llx-%llx rw-p "
			    "00000000 00: 0\n", (unsigned long long)a,
			    (unsigned long long)a + 0x1000);
			break;
		case 7:
			len += (size_t)sprintf(text + len, "%llx-%llx rw-p "
			    "00000000 00:00 0 [heap]\n", (unsigned long long)a,
			    (unsigned long long)a + 0x1000);
			break;
		default:
			len += (size_t)sprintf(text + len, "%llx-%llx rw-p "
			    "00000000 00:00 0 \n", (unsigned long long)a,
			    (unsigned long long)a + 0x1000 * (i % 5 + 1));
			break;
		}
	}
	scan_agrees(text, len);
	/* a line longer than a 64 KiB read */
	len = (size_t)sprintf(text, "1000-2000 rw-p 00000000 00:00 0 \n"
	    "2000-3000 r--p 00000000 fe:00 5 /");
	memset(text + len, 'x', 70 * 1024);
	len += 70 * 1024;
	len += (size_t)sprintf(text + len, "\n3000-4000 rw-p 00000000 00:00 "
	    "0 \n4000-5000 rw-p 0000");	/* and a truncated last line */
	scan_agrees(text, len);
	free(text);
}

/* 100 000 mappings: parsed and histogrammed, clusters found. */
static void
test_many(void **state)
{
	struct maps		m;
	struct maps_report	r;
	struct detect_ctx	c = { "x", NULL, 0 };
	char			*text = xmalloc(100000 * 64);
	size_t			 len = 0, i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		uint64_t	start = 0x10000000ULL + i * 0x100000ULL;
		uint64_t	size = (i % 2) ? 256 * KiB : (4 * KiB) << (i % 11);

		len += (size_t)sprintf(text + len, "%llx-%llx rw-p 00000000 "
		    "00:00 0\n", (unsigned long long)start,
		    (unsigned long long)(start + size));
	}
	maps_init(&m);
	maps_parse(&m, text, len);
	assert_int_equal(m.n, 100000);
	report_build(&r, &m, &c, 1);
	assert_int_equal(r.hist.anon, 100000);
	/* the odd ones, and the even ones with i % 11 == 6 (4K << 6) */
	assert_int_equal(cluster_of(&r, 256 * KiB)->count, 50000 + 4546);
	assert_int_equal(cluster_of(&r, 4 * MiB)->count, 4545);
	maps_done(&m);
	free(text);
}

static void
test_status(void **state)
{
	const char	*s = "Name:\tnode\nState:\tS (sleeping)\nTracerPid:\t0\n"
	    "Uid:\t0\t1000\t0\t0\nNSpid:\t4242\t1\nSigBlk:\t0\n"
	    "SigIgn:\t0000000001001000\nSigCgt:\t0000000100004602\n";
	const char	*lim = "Limit                     Soft Limit           Hard "
	    "Limit           Units     \nMax stack size            8388608      "
	    "        unlimited            bytes     \n";
	struct proc_status st;

	(void)state;
	assert_int_equal(status_parse(s, strlen(s), &st), 0);
	assert_string_equal(st.name, "node");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.uid, 1000);
	assert_int_equal(st.nspid, 1);
	assert_true(st.have_sigcgt);
	assert_true(st.sig_caught & (1ULL << 9));	/* SIGUSR1 */
	assert_int_equal(limits_stack(lim, strlen(lim)), 8 * MiB);
	assert_int_equal(status_parse("garbage", 7, &st), -1);
	/*
	 * Regression (fuzz_status, tests/fuzz/crashes/status/
	 * status-atoi-past-end-of-buffer): a number at the very end of an
	 * unterminated buffer was read with atoi past its end.
	 */
	{
		char	raw[] = { 'N', 'a', 'm', 'e', ':', 'x', '\n', 'T',
		    'r', 'a', 'c', 'e', 'r', 'P', 'i', 'd', ':', '4', '2' };

		assert_int_equal(status_parse(raw, sizeof raw, &st), 0);
		assert_int_equal(st.tracer_pid, 42);
	}
	assert_int_equal(status_parse("Name:\tx\nSigCgt:\tzz\n", 19, &st), 0);
	assert_false(st.have_sigcgt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_node_sick),
		cmocka_unit_test(test_node_after_gc),
		cmocka_unit_test(test_arenas_and_stacks),
		cmocka_unit_test(test_smaps_agrees),
		cmocka_unit_test(test_odd_lines),
		cmocka_unit_test(test_hex_widths),
		cmocka_unit_test(test_scan_live),
		cmocka_unit_test(test_scan_agrees),
		cmocka_unit_test(test_stream_order),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
