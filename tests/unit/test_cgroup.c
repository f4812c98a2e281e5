/*
 * /proc/PID/cgroup line choice, mountinfo, memory.stat/events parsers,
 * reading v1 and v2 accounting from fixture cgroupfs trees, and interned
 * places.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"
#include "openfds.h"

#include "collect/cgfiles.h"
#include "collect/cgroup.h"
#include "collect/cgroupns.h"
#include "collect/places.h"
#include "util/xmalloc.h"

#define UID1	"3d0df1aa-5b8e-4a3c-9d7e-0c6f1b2a4e51"
#define UID1_	"3d0df1aa_5b8e_4a3c_9d7e_0c6f1b2a4e51"
#define CID	"8cb3438991e90a4b415fd7920bd8b67f59e90c62ae82b89c081ac320f31cf427"

static void
test_hybrid_memory_line_wins(void **state)
{
	/* this machine's layout: v1 memory placement, unified at / */
	const char	*buf =
	    "9:name=systemd:/\n8:pids:/\n"
	    "4:memory:/kubepods/burstable/pod" UID1 "/" CID "\n"
	    "1:cpu:/\n0::/\n";
	struct cg_place	 pl;

	(void)state;
	assert_int_equal(cgroup_parse_proc(buf, strlen(buf), &pl), 0);
	assert_int_equal(pl.hier, CG_HIER_V1);
	assert_string_equal(pl.cls.pod_uid, UID1);
	assert_string_equal(pl.cls.ctr_id, CID);
	assert_string_equal(pl.path, "/kubepods/burstable/pod" UID1 "/" CID);
}

static void
test_unified_membership_wins(void **state)
{
	/* placed only in the unified tree: its line classifies better */
	const char	*buf =
	    "4:memory:/process_api/abc\n"
	    "0::/kubepods.slice/kubepods-burstable.slice/"
	    "kubepods-burstable-pod" UID1_ ".slice/cri-containerd-" CID
	    ".scope\n";
	struct cg_place	 pl;

	(void)state;
	assert_int_equal(cgroup_parse_proc(buf, strlen(buf), &pl), 0);
	assert_int_equal(pl.hier, CG_HIER_V2);
	assert_string_equal(pl.cls.pod_uid, UID1);
	assert_int_equal(pl.cls.runtime, CG_RT_CONTAINERD);
}

static void
test_plain_service(void **state)
{
	const char	*buf = "0::/system.slice/sshd.service\n";
	struct cg_place	 pl;

	(void)state;
	assert_int_equal(cgroup_parse_proc(buf, strlen(buf), &pl), 0);
	assert_int_equal(pl.hier, CG_HIER_V2);
	assert_int_equal(pl.cls.kind, CG_KIND_SERVICE);
	assert_int_equal(pl.cls.unit_end, strlen(pl.path));
}

static void
test_truncated_proc(void **state)
{
	/* cut mid-line: the complete line is used, the rest ignored */
	const char	*buf = "4:memory:/system.slice/a.service\n0::/sys";
	struct cg_place	 pl;

	(void)state;
	assert_int_equal(cgroup_parse_proc(buf, strlen(buf), &pl), 0);
	assert_string_equal(pl.path, "/system.slice/a.service");
}

static void
test_mountinfo(void **state)
{
	const char	*hybrid =
	    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup "
	    "cgroup rw,memory\n"
	    "40 31 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
	const char	*v2 =
	    "28 22 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime "
	    "shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";
	const char	*comounted =
	    "30 25 0:26 / /cg/all rw - cgroup cgroup rw,cpuset,cpu,memory,pids\n"
	    "31 25 0:27 / /cg/x rw - cgroup cgroup rw,memory_pressure\n";
	const char	*none = "garbage\n1 2 3\n - - -\n";
	struct cg_roots	 r;

	(void)state;
	assert_int_equal(cgroup_parse_mountinfo(hybrid, strlen(hybrid), &r), 0);
	assert_string_equal(r.v1_memory, "/sys/fs/cgroup/memory");
	assert_string_equal(r.v2, "/sys/fs/cgroup/unified");
	assert_int_equal(cgroup_parse_mountinfo(v2, strlen(v2), &r), 0);
	assert_string_equal(r.v1_memory, "");
	assert_string_equal(r.v2, "/sys/fs/cgroup");
	assert_int_equal(cgroup_parse_mountinfo(comounted, strlen(comounted),
	    &r), 0);
	assert_string_equal(r.v1_memory, "/cg/all");
	assert_int_equal(cgroup_parse_mountinfo(none, strlen(none), &r), -1);
}

static void
test_memstat_v2(void **state)
{
	const char	*buf = "anon 100\nfile 200\nkernel 7\nshmem 3\nsock 1\n"
	    "unknown_key 5\nbroken\nanon_thp x\n\nfile_dirty 99999999999999999999999\n"
	    "inactive_file 150\n";
	struct cg_mem	 m;

	(void)state;
	cgroup_mem_init(&m);
	assert_int_equal(cgroup_parse_memstat(buf, strlen(buf), CG_HIER_V2, &m),
	    6);
	assert_int_equal(m.inactive_file, 150);
	assert_int_equal(m.anon, 100);
	assert_int_equal(m.file, 200);
	assert_int_equal(m.kernel, 7);
	assert_int_equal(m.shmem, 3);
}

static void
test_memstat_v1(void **state)
{
	const char	*hier = "rss 5\ncache 6\ntotal_rss 50\ntotal_cache 60\n"
	    "inactive_file 4\ntotal_inactive_file 40\n";
	const char	*flat = "rss 5\ncache 6\nshmem 1\ninactive_file 4\n";
	struct cg_mem	 m;

	(void)state;
	cgroup_mem_init(&m);
	cgroup_parse_memstat(hier, strlen(hier), CG_HIER_V1, &m);
	assert_int_equal(m.anon, 50);
	assert_int_equal(m.file, 60);
	assert_int_equal(m.inactive_file, 40);
	cgroup_mem_init(&m);
	cgroup_parse_memstat(flat, strlen(flat), CG_HIER_V1, &m);
	assert_int_equal(m.anon, 5);
	assert_int_equal(m.file, 6);
	assert_int_equal(m.shmem, 1);
	assert_int_equal(m.inactive_file, 4);
	/* not in the file: unknown, not 0 */
	cgroup_mem_init(&m);
	cgroup_parse_memstat("rss 5\n", 6, CG_HIER_V1, &m);
	assert_true(m.inactive_file == CG_NA);
}

static void
test_read_v2_fixture(void **state)
{
	char		*root = fixture("cgroupfs/v2");
	struct cg_roots	 r;
	struct cg_mem	 m;
	const char	*pod = "/kubepods.slice/kubepods-burstable.slice/"
	    "kubepods-burstable-pod" UID1_ ".slice";
	char		*ctr = xasprintf("%s/cri-containerd-%s.scope", pod, CID);

	(void)state;
	assert_int_equal(cgroup_roots_probe(root, &r), 0);
	assert_string_equal(r.v2, root);
	assert_true(r.v2_has_memory);
	assert_string_equal(r.v1_memory, "");
	assert_int_equal(cgroup_read_mem(&r, CG_HIER_V2, pod, &m), 0);
	assert_true(m.read);
	assert_int_equal(m.current, 696254464);
	assert_int_equal(m.limit, 1073741824);
	assert_false(m.unlimited);
	assert_int_equal(m.anon, 673185792);
	assert_int_equal(m.file, 12582912);
	assert_int_equal(m.oom_kill, 1);
	assert_int_equal(m.oom, 2);
	assert_int_equal(cgroup_read_mem(&r, CG_HIER_V2, ctr, &m), 0);
	assert_true(m.unlimited);
	assert_int_equal(m.limit, CG_NA);
	assert_int_equal(m.anon, 671088640);
	/* a cgroup that is not there: unknown, not zero */
	assert_int_not_equal(cgroup_read_mem(&r, CG_HIER_V2, "/nope", &m), 0);
	assert_false(m.read);
	assert_int_equal(m.current, CG_NA);
	/* no v1 hierarchy under this root */
	assert_int_not_equal(cgroup_read_mem(&r, CG_HIER_V1, pod, &m), 0);
	free(ctr);
	free(root);
}

static void
test_read_v1_fixture(void **state)
{
	char		*root = fixture("cgroupfs/v1");
	char		*v1 = fixture("cgroupfs/v1/memory");
	struct cg_roots	 r;
	struct cg_mem	 m;

	(void)state;
	assert_int_equal(cgroup_roots_probe(root, &r), 0);
	assert_string_equal(r.v1_memory, v1);
	assert_false(r.v2_has_memory);
	assert_int_equal(cgroup_read_mem(&r, CG_HIER_V1,
	    "/kubepods/burstable/pod" UID1, &m), 0);
	assert_int_equal(m.current, 305000000);
	assert_int_equal(m.limit, 536870912);
	assert_int_equal(m.anon, 283115520);
	assert_int_equal(m.file, 20971520);
	assert_int_equal(m.shmem, 1048576);
	assert_int_equal(m.failcnt, 7);
	assert_int_equal(m.oom_kill, 2);
	assert_int_equal(cgroup_read_mem(&r, CG_HIER_V1,
	    "/kubepods/burstable/pod" UID1 "/" CID, &m), 0);
	assert_true(m.unlimited);
	assert_int_equal(m.anon, 283115520);	/* non-hierarchical rss */
	assert_int_equal(m.failcnt, CG_NA);	/* no such file */
	free(root);
	free(v1);
}

static void
test_probe_nothing(void **state)
{
	struct cg_roots	r;

	(void)state;
	assert_int_equal(cgroup_roots_probe("/nonexistent-memtop", &r), -1);
}

static void
test_ns_resolve(void **state)
{
	char	p[256];

	(void)state;
	strcpy(p, "/../../x/y");
	assert_int_equal(cgroupns_resolve(p, sizeof p, "/a/b/c"), 0);
	assert_string_equal(p, "/a/x/y");
	strcpy(p, "/");
	assert_int_equal(cgroupns_resolve(p, sizeof p, "/a/b"), 0);
	assert_string_equal(p, "/a/b");
	strcpy(p, "/../../../../init.scope");	/* above the root: stops */
	assert_int_equal(cgroupns_resolve(p, sizeof p, "/a/b"), 0);
	assert_string_equal(p, "/init.scope");
	strcpy(p, "/../sub");
	assert_int_equal(cgroupns_resolve(p, sizeof p, "/"), 0);
	assert_string_equal(p, "/sub");
	strcpy(p, "/../x");
	assert_int_equal(cgroupns_resolve(p, 6, "/a/b/c"), -1);	/* too long */
	assert_string_equal(p, "/../x");
}

/* Fixture NS-09: a reader in one burstable pod, the target in another. */
static void
test_ns_parse(void **state)
{
	const char	*base = "/kubepods.slice/kubepods-burstable.slice/"
			    "kubepods-burstable-pod55c6c714_0000_4000_8000_"
			    "000000000000.slice/cri-containerd-2032491d.scope";
	const char	*line = "0::/../../kubepods-burstable-pod" UID1_
			    ".slice/cri-containerd-" CID ".scope\n";
	struct cg_place	 pl;

	(void)state;
	assert_int_equal(cgroup_parse_proc_ns(line, strlen(line), base, &pl), 0);
	assert_string_equal(pl.path, "/kubepods.slice/kubepods-burstable.slice/"
	    "kubepods-burstable-pod" UID1_ ".slice/cri-containerd-" CID
	    ".scope");
	assert_string_equal(pl.cls.pod_uid, UID1);
	assert_string_equal(pl.cls.ctr_id, CID);
	/* without the base, the classifier still names it, the path is cut */
	assert_int_equal(cgroup_parse_proc(line, strlen(line), &pl), 0);
	assert_string_equal(pl.cls.ctr_id, CID);
	assert_int_equal(strncmp(pl.path, "/kubepods-burstable-pod", 23), 0);
}

/* tmp/rel, in one of two buffers (a call may need two paths). */
static const char *
at(const char *tmp, const char *rel)
{
	static char	b[2][512];
	static int	n;

	n = !n;
	snprintf(b[n], sizeof b[n], "%s/%s", tmp, rel);
	return b[n];
}

static void
put(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A fixture /proc and v2 tree: memtop (pid 4242) in /a/b's namespace. */
static void
test_ns_find_base(void **state)
{
	const char	*dirs[] = { "proc", "proc/1", "proc/4242", "v2", "v2/a",
			    "v2/a/c", "v2/a/b" };
	char		 tmp[] = "/tmp/memtop-cgns.XXXXXX", base[256], why[256];
	char		 cmd[256];
	size_t		 i;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		assert_int_equal(mkdir(at(tmp, dirs[i]), 0755), 0);
	put(at(tmp, "proc/1/cgroup"), "0::/../../init.scope\n");
	put(at(tmp, "proc/4242/cgroup"), "0::/\n");
	put(at(tmp, "v2/a/c/cgroup.procs"), "1\n42\n");
	put(at(tmp, "v2/a/b/cgroup.procs"), "7\n4242\n");
	assert_int_equal(cgroupns_find_base(at(tmp, "v2"), at(tmp, "proc"),
	    4242, base, sizeof base, why, sizeof why), 1);
	assert_string_equal(base, "/a/b");
	/* memtop not in the tree given: a reason, no base */
	put(at(tmp, "v2/a/b/cgroup.procs"), "7\n");
	assert_int_equal(cgroupns_find_base(at(tmp, "v2"), at(tmp, "proc"),
	    4242, base, sizeof base, why, sizeof why), -1);
	assert_non_null(strstr(why, "not under"));
	/* PID 1 not above us: no namespace to resolve */
	put(at(tmp, "proc/1/cgroup"), "0::/init.scope\n");
	assert_int_equal(cgroupns_find_base(at(tmp, "v2"), at(tmp, "proc"),
	    4242, base, sizeof base, why, sizeof why), 0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
}

/* A temporary directory made from the template tmp, r's v2 root. */
static void
v2_tmp(char *tmp, struct cg_roots *r)
{
	assert_non_null(mkdtemp(tmp));
	memset(r, 0, sizeof *r);
	snprintf(r->v2, sizeof r->v2, "%s", tmp);
}

/* One cgfiles round reading the v2 cgroup /pod of tmp into *m. */
static void
round_read(struct cgfiles *cf, const struct cg_roots *r, double age,
    struct cg_mem *m)
{
	cgfiles_begin(cf, age, 0);
	assert_int_equal(cgfiles_read_mem(cf, r, CG_HIER_V2, "/pod", m), 0);
	cgfiles_end(cf);
}

/*
 * A burst of new cgroups: a round reads the rest of at most max_new of them,
 * the others have their usage and the rest unknown until a later round.
 */
static void
test_cgfiles_max_new(void **state)
{
	char		 tmp[] = "/tmp/memtop-cgf.XXXXXX", cmd[256], p[32];
	const char	*name[3] = { "/a", "/b", "/c" };
	struct cg_roots	 r;
	struct cgfiles	*cf = cgfiles_create(64);
	struct cg_mem	 m[3];
	int		 i, full;

	(void)state;
	v2_tmp(tmp, &r);
	for (i = 0; i < 3; i++) {
		assert_int_equal(mkdir(at(tmp, name[i] + 1), 0755), 0);
		snprintf(p, sizeof p, "%s/memory.current", name[i] + 1);
		put(at(tmp, p), "104857600\n");
		snprintf(p, sizeof p, "%s/memory.max", name[i] + 1);
		put(at(tmp, p), "209715200\n");
		snprintf(p, sizeof p, "%s/memory.stat", name[i] + 1);
		put(at(tmp, p), "anon 50000000\n");
	}
	/* one of three in full; the others: usage known, the rest not */
	cgfiles_begin(cf, 10, 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(cgfiles_read_mem(cf, &r, CG_HIER_V2, name[i],
		    &m[i]), 0);
	assert_int_equal(cgfiles_deferred(cf), 2);
	cgfiles_end(cf);
	assert_true(m[0].read && m[0].limit == 209715200 &&
	    m[0].anon == 50000000);
	for (i = 1; i < 3; i++) {
		assert_true(m[i].read && m[i].current == 104857600);
		assert_true(m[i].limit == CG_NA && !m[i].unlimited);
		assert_true(m[i].anon == CG_NA);
	}
	/* the next round: the next one in full, the first kept */
	cgfiles_begin(cf, 10, 1);
	for (i = 0, full = 0; i < 3; i++) {
		assert_int_equal(cgfiles_read_mem(cf, &r, CG_HIER_V2, name[i],
		    &m[i]), 0);
		full += m[i].anon == 50000000;
	}
	assert_int_equal(cgfiles_deferred(cf), 1);
	assert_int_equal(full, 2);
	assert_true(m[2].anon == CG_NA);
	cgfiles_end(cf);
	/* no limit (0): all of them */
	cgfiles_begin(cf, 10, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(cgfiles_read_mem(cf, &r, CG_HIER_V2, name[i],
		    &m[i]), 0);
	assert_int_equal(cgfiles_deferred(cf), 0);
	assert_true(m[2].anon == 50000000);
	cgfiles_end(cf);
	cgfiles_free(cf);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
}

/*
 * A cgroup whose usage is gone (its pod leaving while it is read) is
 * unknown as a whole: its other files are not tried, each one more failed
 * lookup. And the files of cgroups no longer read are closed over a few
 * rounds, at least 64 and an eighth of them a round, not all in one.
 */
static void
test_cgfiles_gone(void **state)
{
	char		 tmp[] = "/tmp/memtop-cgf.XXXXXX", cmd[256], p[64];
	struct cg_roots	 r;
	struct cgfiles	*cf = cgfiles_create(0);	/* nothing kept open */
	struct cg_mem	 m;
	size_t		 fds, opens, opens0, kept;
	int		 i;
	size_t		 base;

	(void)state;
	v2_tmp(tmp, &r);
	for (i = 0; i < 20; i++) {
		snprintf(p, sizeof p, "c%d", i);
		assert_int_equal(mkdir(at(tmp, p), 0755), 0);
		snprintf(p, sizeof p, "c%d/memory.current", i);
		put(at(tmp, p), "104857600\n");
		snprintf(p, sizeof p, "c%d/memory.max", i);
		put(at(tmp, p), "209715200\n");
		snprintf(p, sizeof p, "c%d/memory.events", i);
		put(at(tmp, p), "oom 0\n");
		snprintf(p, sizeof p, "c%d/memory.stat", i);
		put(at(tmp, p), "anon 50000000\n");
	}
	cgfiles_begin(cf, 0, 0);
	assert_int_equal(cgfiles_read_mem(cf, &r, CG_HIER_V2, "/c0", &m), 0);
	cgfiles_end(cf);
	assert_true(m.read && m.anon == 50000000);
	cgfiles_counts(cf, &fds, &opens0, &kept);
	assert_int_equal(opens0, 4);	/* current, max, events, stat */
	assert_int_equal(unlink(at(tmp, "c0/memory.current")), 0);
	cgfiles_begin(cf, 0, 0);
	assert_int_equal(cgfiles_read_mem(cf, &r, CG_HIER_V2, "/c0", &m),
	    -ENOENT);
	cgfiles_end(cf);
	assert_false(m.read);
	assert_true(m.current == CG_NA && m.limit == CG_NA && !m.unlimited &&
	    m.anon == CG_NA && m.oom_kill == CG_NA);
	cgfiles_counts(cf, &fds, &opens, &kept);
	assert_int_equal(opens, opens0 + 1);	/* only the usage tried */
	cgfiles_free(cf);

	/* 19 cgroups x 4 files open; none read: 64 closed, then the rest */
	base = open_fds();
	cf = cgfiles_create(1000);
	cgfiles_begin(cf, 0, 0);
	for (i = 1; i < 20; i++) {
		snprintf(p, sizeof p, "/c%d", i);
		assert_int_equal(cgfiles_read_mem(cf, &r, CG_HIER_V2, p, &m), 0);
	}
	cgfiles_end(cf);
	cgfiles_counts(cf, &fds, &opens, &kept);
	assert_int_equal(fds, 76);
	assert_int_equal(open_fds(), base + 76);
	cgfiles_begin(cf, 0, 0);
	cgfiles_end(cf);
	cgfiles_counts(cf, &fds, &opens, &kept);
	assert_int_equal(fds, 76 - 64);
	assert_int_equal(open_fds(), base + 76 - 64);
	/* one read again meanwhile: opened anew, its old files still going */
	cgfiles_begin(cf, 0, 0);
	assert_int_equal(cgfiles_read_mem(cf, &r, CG_HIER_V2, "/c1", &m), 0);
	cgfiles_end(cf);
	assert_true(m.read && m.anon == 50000000);
	cgfiles_counts(cf, &fds, &opens, &kept);
	assert_int_equal(fds, 4);
	assert_int_equal(open_fds(), base + 4);
	cgfiles_free(cf);
	assert_int_equal(open_fds(), base);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
}

/*
 * A cgroup's memory.stat, limit and events are kept while its usage holds
 * (within 1 MiB or 1 %), read again when it moves, near the limit, when
 * they are detail_age old, and every round with detail_age 0.
 */
static void
test_cgfiles_detail(void **state)
{
	char		 tmp[] = "/tmp/memtop-cgf.XXXXXX", cmd[256];
	struct cg_roots	 r;
	struct cgfiles	*cf = cgfiles_create(64);
	struct cg_mem	 m;
	size_t		 fds, opens, kept;

	(void)state;
	v2_tmp(tmp, &r);
	assert_int_equal(mkdir(at(tmp, "pod"), 0755), 0);
	put(at(tmp, "pod/memory.current"), "104857600\n");	/* 100 MiB */
	put(at(tmp, "pod/memory.max"), "max\n");
	put(at(tmp, "pod/memory.events"), "oom 0\noom_kill 0\n");
	put(at(tmp, "pod/memory.stat"), "anon 50000000\nfile 40000000\n");
	round_read(cf, &r, 10, &m);
	assert_true(m.read && m.unlimited && m.anon == 50000000);

	/* usage within 1 MiB: the detail kept, the usage new */
	put(at(tmp, "pod/memory.stat"), "anon 60000000\nfile 30000000\n");
	put(at(tmp, "pod/memory.events"), "oom 1\noom_kill 1\n");
	put(at(tmp, "pod/memory.current"), "105381888\n");	/* +512 KiB */
	round_read(cf, &r, 10, &m);
	assert_true(m.read && m.current == 105381888);
	assert_true(m.anon == 50000000 && m.file == 40000000);
	assert_true(m.oom_kill == 0 && m.unlimited);
	cgfiles_counts(cf, &fds, &opens, &kept);
	assert_int_equal(kept, 1);

	/* moved by more than 1 MiB from the last full read: all read */
	put(at(tmp, "pod/memory.current"), "106954752\n");	/* +2 MiB */
	round_read(cf, &r, 10, &m);
	assert_true(m.anon == 60000000 && m.file == 30000000 && m.oom_kill == 1);

	/* detail_age 0: every round; a tiny age: as soon as time moved */
	put(at(tmp, "pod/memory.stat"), "anon 70000000\n");
	round_read(cf, &r, 0, &m);
	assert_true(m.anon == 70000000);
	put(at(tmp, "pod/memory.stat"), "anon 71000000\n");
	round_read(cf, &r, 1e-9, &m);
	assert_true(m.anon == 71000000);

	/* within 10 % of the limit: all read, however still the usage */
	put(at(tmp, "pod/memory.max"), "110000000\n");
	round_read(cf, &r, 0, &m);
	assert_true(!m.unlimited && m.limit == 110000000);
	put(at(tmp, "pod/memory.events"), "oom 2\noom_kill 2\n");
	round_read(cf, &r, 10, &m);
	assert_true(m.oom_kill == 2);
	cgfiles_counts(cf, &fds, &opens, &kept);
	assert_int_equal(kept, 1);

	/* an unreadable usage: unknown, and nothing kept from before */
	assert_int_equal(unlink(at(tmp, "pod/memory.current")), 0);
	cgfiles_free(cf);	/* (the open file would still read) */
	cf = cgfiles_create(64);
	cgfiles_begin(cf, 10, 0);
	assert_true(cgfiles_read_mem(cf, &r, CG_HIER_V2, "/pod", &m) < 0);
	assert_false(m.read);
	cgfiles_end(cf);
	cgfiles_free(cf);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
}

/*
 * Interned places are allocated only to their path's end: what is handed
 * out reads back as given, a copy of it is whole, the same place is shared
 * and counted, and the table grows and empties (under ASan, a read past
 * an entry's allocation fails here).
 */
static void
test_places_interned(void **state)
{
	struct places	*ps = places_create();
	struct cg_place	 pl, copy, *a, *b, *many[200];
	size_t		 i;

	(void)state;
	memset(&pl, 0, sizeof pl);
	pl.hier = CG_HIER_V1;
	snprintf(pl.path, sizeof pl.path, "/kubepods/burstable/pod" UID1 "/"
	    CID);
	k8s_classify(pl.path, &pl.cls);
	assert_string_equal(pl.cls.ctr_id, CID);
	a = places_get(ps, &pl);
	assert_ptr_not_equal(a, &pl);
	assert_string_equal(a->path, pl.path);
	assert_int_equal(a->hier, CG_HIER_V1);
	assert_memory_equal(&a->cls, &pl.cls, sizeof pl.cls);
	assert_int_equal(cg_place_size(a),
	    offsetof(struct cg_place, path) + strlen(pl.path) + 1);
	assert_true(cg_place_size(a) < sizeof *a);
	memset(&copy, 0xa5, sizeof copy);
	cg_place_copy(&copy, a);
	assert_string_equal(copy.path, pl.path);
	assert_memory_equal(&copy.cls, &pl.cls, sizeof pl.cls);
	b = places_get(ps, &pl);
	assert_ptr_equal(a, b);
	assert_int_equal(places_count(ps), 1);
	for (i = 0; i < 200; i++) {	/* the table grows past 64 buckets */
		snprintf(pl.path, sizeof pl.path, "/system.slice/u%zu.service",
		    i);
		k8s_classify(pl.path, &pl.cls);
		many[i] = places_get(ps, &pl);
		assert_string_equal(many[i]->path, pl.path);
	}
	assert_int_equal(places_count(ps), 201);
	assert_string_equal(a->path, copy.path);	/* moved buckets, same entry */
	places_put(ps, a);
	assert_int_equal(places_count(ps), 201);	/* b still holds it */
	places_put(ps, b);
	assert_int_equal(places_count(ps), 200);
	for (i = 0; i < 200; i++)
		places_put(ps, many[i]);
	assert_int_equal(places_count(ps), 0);
	places_put(ps, NULL);
	places_free(ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hybrid_memory_line_wins),
		cmocka_unit_test(test_unified_membership_wins),
		cmocka_unit_test(test_plain_service),
		cmocka_unit_test(test_truncated_proc),
		cmocka_unit_test(test_mountinfo),
		cmocka_unit_test(test_memstat_v2),
		cmocka_unit_test(test_memstat_v1),
		cmocka_unit_test(test_read_v2_fixture),
		cmocka_unit_test(test_read_v1_fixture),
		cmocka_unit_test(test_probe_nothing),
		cmocka_unit_test(test_ns_resolve),
		cmocka_unit_test(test_ns_parse),
		cmocka_unit_test(test_cgfiles_detail),
		cmocka_unit_test(test_cgfiles_max_new),
		cmocka_unit_test(test_cgfiles_gone),
		cmocka_unit_test(test_ns_find_base),
		cmocka_unit_test(test_places_interned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
