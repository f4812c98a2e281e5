/*
 * Every row of tests/fixtures/k8s-cgroups/cgroup-paths.tsv (81 real-world
 * cases) through the classifier: pod uid, container id, runtime, QoS, kind.
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

#include "fixture.h"

#include "collect/cgroup.h"
#include "collect/k8s_names.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

enum col {
	COL_RUNTIME, COL_DRIVER, COL_VERSION, COL_QOS, COL_RAW, COL_POD,
	COL_CTR, COL_SOURCE, COL_CASE, COL_FORM, COL_WORKLOAD, COL_RELATED,
	COL_RESOLVABLE, COL__COUNT
};

struct row {
	char	*f[COL__COUNT];
	char	*line;
};

/* Strips a /sys/fs/cgroup mount prefix and a trailing cgroup.* file. */
static void
strip_sysfs(char *p)
{
	const char	*pre = "/sys/fs/cgroup";
	char		*q, *last;

	if (strncmp(p, pre, strlen(pre)) == 0)
		memmove(p, p + strlen(pre), strlen(p + strlen(pre)) + 1);
	/* a controller directory or "unified": a first component with no '.' */
	q = strchr(p + 1, '/');
	if (q != NULL && memchr(p + 1, '.', (size_t)(q - p - 1)) == NULL)
		memmove(p, q, strlen(q) + 1);
	last = strrchr(p, '/');
	if (last != NULL && strncmp(last, "/cgroup.", 8) == 0)
		*last = '\0';
}

/* Runs a row's input through the same entry point memtop uses for it. */
static void
classify_row(const struct row *r, struct cg_place *pl)
{
	const char	*form = r->f[COL_FORM], *raw = r->f[COL_RAW];
	char		*path;

	memset(pl, 0, sizeof *pl);
	if (strcmp(form, "proc_line") == 0) {
		assert_int_equal(cgroup_parse_proc(raw, strlen(raw), pl), 0);
		return;
	}
	if (strcmp(form, "proc_file") == 0) {
		struct buf	 b;
		char		*fn;

		assert_true(raw[0] == '@');
		fn = fixture("k8s-cgroups/%s", raw + 1);
		buf_init(&b);
		assert_int_equal(read_file(fn, &b, 0), 0);
		assert_int_equal(cgroup_parse_proc(b.data, b.len, pl), 0);
		buf_done(&b);
		free(fn);
		return;
	}
	if (strcmp(form, "oci_cgroupsPath") == 0)
		path = xasprintf("/%s", raw);
	else
		path = xstrdup(raw);
	if (strcmp(form, "sysfs_path") == 0)
		strip_sysfs(path);
	else if (strcmp(form, "oci_cgroupsPath") != 0)
		assert_string_equal(form, "cgroup_path");
	k8s_normalize(path);
	snprintf(pl->path, sizeof pl->path, "%s", path);
	k8s_classify(pl->path, &pl->cls);
	free(path);
}

static void
test_row(void **state)
{
	const struct row	*r = *state;
	struct cg_place		 pl;
	const struct cg_class	*c = &pl.cls;
	bool			 resolvable = strcmp(r->f[COL_RESOLVABLE], "no") != 0;
	const char		*want_pod = resolvable ? r->f[COL_POD] : "";
	const char		*want_ctr = resolvable ? r->f[COL_CTR] : "";
	const char		*wl = r->f[COL_WORKLOAD];
	const char		*qos, *rt;

	classify_row(r, &pl);
	print_message("%s: %s -> pod=%s ctr=%s rt=%s qos=%s kind=%s\n",
	    r->f[COL_CASE], pl.path, c->pod_uid, c->ctr_id,
	    k8s_runtime_name(c->runtime) ? k8s_runtime_name(c->runtime) : "",
	    k8s_qos_name(c->qos) ? k8s_qos_name(c->qos) : "",
	    k8s_kind_name(c->kind));
	assert_string_equal(c->pod_uid, want_pod);
	assert_string_equal(c->ctr_id, want_ctr);

	/* QoS: only pods have one */
	qos = k8s_qos_name(c->qos);
	if (want_pod[0] != '\0')
		assert_string_equal(qos != NULL ? qos : "", r->f[COL_QOS]);
	else
		assert_null(qos);

	/* runtime, where the path can tell it */
	rt = k8s_runtime_name(c->runtime);
	if (want_ctr[0] != '\0') {
		assert_non_null(rt);
		if (strcmp(rt, "unknown") == 0) {
			/* only a bare 64-hex id under a pod (cgroupfs driver) */
			assert_string_not_equal(want_pod, "");
			assert_non_null(strstr(pl.path, want_ctr));
			assert_true(k8s_is_hex64(strstr(pl.path, want_ctr) - 0,
			    64));
		} else
			assert_string_equal(rt, r->f[COL_RUNTIME]);
	}
	if (strcmp(wl, "conmon") == 0 && r->f[COL_RELATED][0] != '\0') {
		assert_string_equal(c->conmon_of, r->f[COL_RELATED]);
		assert_string_equal(rt != NULL ? rt : "", r->f[COL_RUNTIME]);
	}

	/* the group kind the views show */
	if (want_pod[0] != '\0')
		assert_int_equal(c->kind, CG_KIND_POD);
	else if (want_ctr[0] != '\0')
		assert_int_equal(c->kind, CG_KIND_CONTAINER);
	else if (strcmp(wl, "mount_unit") == 0 || strcmp(wl, "root_cgroup") == 0)
		assert_int_equal(c->kind, CG_KIND_OTHER);
	else if (strcmp(wl, "host_service") == 0 && (strstr(pl.path, ".service")
	    != NULL || strstr(pl.path, ".slice") != NULL))
		assert_true(c->kind == CG_KIND_SERVICE ||
		    c->kind == CG_KIND_SLICE);
	else if (strcmp(wl, "host_service") == 0)
		assert_int_equal(c->kind, CG_KIND_OTHER);	/* /kubelet */
	else if (strcmp(wl, "user_session") == 0)
		assert_true(c->kind == CG_KIND_SCOPE);
	/* the pod and container cgroups are prefixes of the path */
	if (want_pod[0] != '\0') {
		assert_true(c->pod_end > 0 && c->pod_end <= strlen(pl.path));
		assert_true(c->unit_end == c->pod_end);
	}
	if (want_ctr[0] != '\0')
		assert_true(c->ctr_end >= c->pod_end &&
		    c->ctr_end <= strlen(pl.path));
}

static struct row *
load_rows(size_t *n)
{
	struct buf	 b;
	struct row	*rows = NULL;
	char		*fn, *line, *save = NULL;
	size_t		 nr = 0;
	bool		 header = true;

	fn = fixture("k8s-cgroups/cgroup-paths.tsv");
	buf_init(&b);
	if (read_file(fn, &b, 0) != 0) {
		fprintf(stderr, "cannot read %s\n", fn);
		exit(99);
	}
	free(fn);
	for (line = strtok_r(b.data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		struct row	*r;
		char		*p;
		int		 i;

		if (header) {
			header = false;
			continue;
		}
		rows = xreallocarray(rows, nr + 1, sizeof *rows);
		r = &rows[nr++];
		r->line = xstrdup(line);
		p = r->line;
		for (i = 0; i < COL__COUNT; i++) {
			r->f[i] = p;
			p = p != NULL ? strchr(p, '\t') : NULL;
			if (p != NULL)
				*p++ = '\0';
		}
		for (i = 0; i < COL__COUNT; i++) {
			if (r->f[i] == NULL) {
				fprintf(stderr, "short row %zu\n", nr);
				exit(99);
			}
		}
	}
	buf_done(&b);
	*n = nr;
	return rows;
}

static void
test_row_count(void **state)
{
	(void)state;
	/* all 81 cases are there: a truncated fixture must not pass */
	assert_int_equal(*(size_t *)*state, 81);
}

static void
test_normalize(void **state)
{
	char	a[] = "/../../kubepods.slice/x.scope/", b[] = "/..", c[] = "/";

	(void)state;
	assert_string_equal(k8s_normalize(a), "/kubepods.slice/x.scope");
	assert_string_equal(k8s_normalize(b), "/");
	assert_string_equal(k8s_normalize(c), "/");
}

static void
test_malformed(void **state)
{
	struct cg_place	 pl;
	const char	*bad[] = { "", "garbage", "0:", "3:memory", "1:cpu:rel/path",
	    "\n\n\n" };
	size_t		 i;
	char		 deep[4096];
	struct cg_class	 c;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(cgroup_parse_proc(bad[i], strlen(bad[i]), &pl),
		    -1);
	/* a path deeper than the component table: no crash, no pod */
	for (i = 0; i + 2 < sizeof deep; i += 2)
		memcpy(deep + i, "/a", 2);
	deep[i] = '\0';
	k8s_classify(deep, &c);
	assert_string_equal(c.pod_uid, "");
	/* a pod id longer than any uid is cut, not overflowed */
	memset(deep, 'f', sizeof deep);
	memcpy(deep, "/kubepods/pod", 13);
	deep[sizeof deep - 1] = '\0';
	k8s_classify(deep, &c);
	assert_int_equal(c.kind, CG_KIND_POD);
	assert_true(strlen(c.pod_uid) < K8S_ID_MAX);
}

int
main(void)
{
	size_t			 n, i;
	struct row		*rows = load_rows(&n);
	struct CMUnitTest	*t = xcalloc(n + 3, sizeof *t);
	int			 rc;

	t[0] = (struct CMUnitTest)cmocka_unit_test(test_row_count);
	t[0].initial_state = &n;
	t[1] = (struct CMUnitTest)cmocka_unit_test(test_normalize);
	t[2] = (struct CMUnitTest)cmocka_unit_test(test_malformed);
	for (i = 0; i < n; i++) {
		t[i + 3].name = rows[i].f[COL_CASE];
		t[i + 3].test_func = test_row;
		t[i + 3].initial_state = &rows[i];
	}
	rc = _cmocka_run_group_tests("k8s_names", t, n + 3, NULL, NULL);
	for (i = 0; i < n; i++)
		free(rows[i].line);
	free(rows);
	free(t);
	return rc;
}
