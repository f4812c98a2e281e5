/*
 * Runtime state and kubelet log-name parsers on the shared fixtures
 * (containerd, CRI-O, docker, every log-paths.tsv row), and on malformed
 * input: truncated, not JSON, deeply nested, huge.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <jansson.h>

#include "fixture.h"

#include "collect/names.h"
#include "collect/runtime.h"
#include "util/log.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

#define FAKE	"k8s-cgroups/runtime-state/fake-root"
#define CTRD	"8cb3438991e90a4b415fd7920bd8b67f59e90c62ae82b89c081ac320f31cf427"
#define SANDBOX	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define CRIO	"5eed917563583925ffdbd40a64efb2aaffe58638e57add8becaf460fe74f5b1c"
#define DOCKER	"902093a5baef883ae52ad163ff157a2bc5d579d446d044735aa6c6a7de274a7e"
#define DSANDBOX "d9fbd25cdc03d67498999645be72c84267f65b7d1e06ce6abbdfd8d629ece55e"

static void
load(const char *rel, struct buf *b)
{
	char	*p = fixture("%s", rel);

	buf_init(b);
	assert_int_equal(read_file(p, b, 0), 0);
	free(p);
}

static void
test_containerd(void **state)
{
	struct buf	 b;
	struct rt_names	 n;
	const char	*cause;

	(void)state;
	load(FAKE "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" CTRD
	    "/config.json", &b);
	assert_int_equal(runtime_parse_oci(b.data, b.len, &n, &cause), 0);
	assert_int_equal(n.source, NAME_SRC_CONTAINERD);
	assert_string_equal(n.namespace, "observability");
	assert_string_equal(n.pod, "alertmanager-main-1");
	assert_string_equal(n.pod_uid, "3d0df1aa-a48c-4cff-88be-9222491bdcb7");
	assert_string_equal(n.container, "alertmanager");
	assert_false(n.sandbox);
	buf_done(&b);
	load(FAKE "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" SANDBOX
	    "/config.json", &b);
	assert_int_equal(runtime_parse_oci(b.data, b.len, &n, &cause), 0);
	assert_true(n.sandbox);
	assert_string_equal(n.container, "");
	assert_string_equal(n.pod, "alertmanager-main-1");
	buf_done(&b);
}

static void
test_crio(void **state)
{
	struct buf	 b;
	struct rt_names	 n;
	const char	*cause;

	(void)state;
	load(FAKE "/run/containers/storage/overlay-containers/" CRIO
	    "/userdata/config.json", &b);
	assert_int_equal(runtime_parse_oci(b.data, b.len, &n, &cause), 0);
	assert_int_equal(n.source, NAME_SRC_CRIO);
	assert_string_equal(n.namespace, "kube-system");
	assert_string_equal(n.pod, "calico-node-hx7cw");
	assert_string_equal(n.pod_uid, "a5c1f8d5-1919-434d-add7-4afaafdaef89");
	assert_string_equal(n.container, "calico-node");
	assert_false(n.sandbox);
	buf_done(&b);
}

static void
test_docker(void **state)
{
	struct buf	 b;
	struct rt_names	 n;
	const char	*cause;
	const char	*plain = "{\"ID\":\"x\",\"Name\":\"/web-1\",\"NetworkSettings\":"
	    "{\"Service\":{\"Name\":\"wrong\"}},\"Config\":{\"Labels\":{}}}";
	const char	*trap = "{\"NetworkSettings\":{\"Service\":{\"Name\":"
	    "\"wrong\"}},\"Name\":\"/right\"}";

	(void)state;
	load(FAKE "/var/lib/docker/containers/" DOCKER "/config.v2.json", &b);
	assert_int_equal(runtime_parse_docker(b.data, b.len, &n, &cause), 0);
	assert_string_equal(n.namespace, "kube-system");
	assert_string_equal(n.pod,
	    "kube-controller-manager-ip-10-0-101-216.eu-west-1.compute.internal");
	assert_string_equal(n.pod_uid, "16a4a44fea21553f3c41d03e478379f0");
	assert_string_equal(n.container, "kube-controller-manager");
	buf_done(&b);
	load(FAKE "/var/lib/docker/containers/" DSANDBOX "/config.v2.json", &b);
	assert_int_equal(runtime_parse_docker(b.data, b.len, &n, &cause), 0);
	assert_true(n.sandbox);
	/* kubelet's annotation config.source "file", stored as a label */
	assert_int_equal(n.owner, RT_OWNER_STATIC);
	buf_done(&b);
	/* outside Kubernetes: the top-level Name, never the nested one */
	assert_int_equal(runtime_parse_docker(plain, strlen(plain), &n, &cause),
	    0);
	assert_string_equal(n.container, "web-1");
	assert_int_equal(runtime_parse_docker(trap, strlen(trap), &n, &cause), 0);
	assert_string_equal(n.container, "right");
}

/*
 * A CRI-O sandbox's annotations with the pod's labels as the controllers
 * set them (kubernetes pkg/controller: ReplicaSet's pod-template-hash,
 * StatefulSet's and DaemonSet's controller-revision-hash with
 * statefulset.kubernetes.io/pod-name or pod-template-generation, Job's
 * batch.kubernetes.io/job-name and the legacy job-name).
 */
static enum rt_owner
crio_owner(const char *labels, const char *annots, char *hint, size_t len)
{
	json_t		*a = json_object(), *root = json_object();
	struct rt_names	 n;
	const char	*cause;
	char		*txt;

	json_object_set_new(a, "io.kubernetes.cri-o.ContainerType",
	    json_string("sandbox"));
	json_object_set_new(a, "io.kubernetes.pod.name", json_string("p"));
	json_object_set_new(a, "io.kubernetes.container.name",
	    json_string("POD"));
	json_object_set_new(a, "io.kubernetes.cri-o.Labels",
	    json_string(labels));
	if (annots != NULL)
		json_object_set_new(a, "io.kubernetes.cri-o.Annotations",
		    json_string(annots));
	json_object_set_new(root, "annotations", a);
	txt = json_dumps(root, 0);
	assert_int_equal(runtime_parse_oci(txt, strlen(txt), &n, &cause), 0);
	assert_true(n.sandbox);
	snprintf(hint, len, "%s", n.owner_hint);
	free(txt);
	json_decref(root);
	return n.owner;
}

static void
test_owner(void **state)
{
	struct buf	 b;
	struct rt_names	 n;
	const char	*cause;
	char		 h[64];

	(void)state;
	assert_int_equal(crio_owner("{\"app\":\"checkout\","
	    "\"pod-template-hash\":\"5f7c9d8b6\"}", NULL, h, sizeof h),
	    RT_OWNER_DEPLOYMENT);
	assert_string_equal(h, "5f7c9d8b6");
	assert_int_equal(crio_owner("{\"app\":\"ws\","
	    "\"controller-revision-hash\":\"ws-6d5f8c7b9\","
	    "\"statefulset.kubernetes.io/pod-name\":\"ws-3\","
	    "\"apps.kubernetes.io/pod-index\":\"3\"}", NULL, h, sizeof h),
	    RT_OWNER_STATEFULSET);
	assert_int_equal(crio_owner("{\"k8s-app\":\"calico-node\","
	    "\"controller-revision-hash\":\"7b9c5d6f4\","
	    "\"pod-template-generation\":\"2\"}", NULL, h, sizeof h),
	    RT_OWNER_DAEMONSET);
	assert_int_equal(crio_owner("{\"batch.kubernetes.io/controller-uid\":"
	    "\"1c1e4f0e\",\"batch.kubernetes.io/job-name\":"
	    "\"backup-28112730\",\"controller-uid\":\"1c1e4f0e\","
	    "\"job-name\":\"backup-28112730\"}", NULL, h, sizeof h),
	    RT_OWNER_JOB);
	assert_string_equal(h, "backup-28112730");
	assert_int_equal(crio_owner("{\"component\":\"etcd\"}",
	    "{\"kubernetes.io/config.source\":\"file\","
	    "\"kubernetes.io/config.hash\":\"9e1c\"}", h, sizeof h),
	    RT_OWNER_STATIC);
	/* a pod of the API's own: no owner label, no hint */
	assert_int_equal(crio_owner("{\"run\":\"debug\"}",
	    "{\"kubernetes.io/config.source\":\"api\"}", h, sizeof h),
	    RT_OWNER_NONE);
	/* labels that are not a JSON object: no owner, no failure */
	assert_int_equal(crio_owner("{not json", "[1]", h, sizeof h),
	    RT_OWNER_NONE);
	/* a container's own state (not the sandbox's) names no owner */
	load(FAKE "/run/containers/storage/overlay-containers/" CRIO
	    "/userdata/config.json", &b);
	assert_int_equal(runtime_parse_oci(b.data, b.len, &n, &cause), 0);
	assert_int_equal(n.owner, RT_OWNER_NONE);
	buf_done(&b);
	load(FAKE "/var/lib/docker/containers/" DOCKER "/config.v2.json", &b);
	assert_int_equal(runtime_parse_docker(b.data, b.len, &n, &cause), 0);
	assert_int_equal(n.owner, RT_OWNER_NONE);
	buf_done(&b);
}

static void
test_podman(void **state)
{
	const char	*j = "[{\"id\":\"aaa\",\"names\":[\"db\"]},"
	    "{\"id\":\"bbb\",\"names\":[\"web\"]}]";
	struct rt_names	 n;
	const char	*cause;

	(void)state;
	assert_int_equal(runtime_parse_podman(j, strlen(j), "bbb", &n, &cause),
	    0);
	assert_string_equal(n.container, "web");
	assert_int_equal(runtime_parse_podman(j, strlen(j), "ccc", &n, &cause),
	    -1);
	assert_int_equal(runtime_parse_podman("{}", 2, "a", &n, &cause), -1);
}

static void
test_malformed_json(void **state)
{
	struct buf	 b;
	struct rt_names	 n;
	const char	*cause;
	char		*deep;
	size_t		 i, depth = 100000;
	const char	*bad[] = { "", "not json", "[1,2]", "{\"annotations\":",
	    "{\"annotations\":[]}",
	    ("{\"annotations\":{\"io.kubernetes.cri.sandbox-name\":5}}"),
	    "\xff\xfe{}" };

	(void)state;
	load(FAKE "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" CTRD
	    "/config.json", &b);
	/* truncated at every 97th byte: never a crash, never a half name */
	for (i = 0; i < b.len; i += 97) {
		int rc = runtime_parse_oci(b.data, i, &n, &cause);

		assert_true(rc == -1 || n.pod[0] == '\0' ||
		    strcmp(n.pod, "alertmanager-main-1") == 0);
	}
	buf_done(&b);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&n, 0x55, sizeof n);
		(void)runtime_parse_oci(bad[i], strlen(bad[i]), &n, &cause);
		assert_string_equal(n.pod, "");
		(void)runtime_parse_docker(bad[i], strlen(bad[i]), &n, &cause);
		assert_string_equal(n.pod, "");
	}
	/* deep nesting: refused by the parser's depth limit */
	deep = xmalloc(depth * 2 + 1);
	for (i = 0; i < depth; i++) {
		deep[i] = '[';
		deep[depth * 2 - 1 - i] = ']';
	}
	deep[depth * 2] = '\0';
	assert_int_equal(runtime_parse_oci(deep, depth * 2, &n, &cause), -1);
	memcpy(deep, "{\"a\":", 5);
	assert_int_equal(runtime_parse_oci(deep, depth * 2, &n, &cause), -1);
	free(deep);
}

static void
test_log_names(void **state)
{
	struct rt_names	n;
	char		id[128];

	(void)state;
	assert_int_equal(logs_parse_pod_dir("observability_alertmanager-main-1_"
	    "3d0df1aa-a48c-4cff-88be-9222491bdcb7", &n), 0);
	assert_string_equal(n.namespace, "observability");
	assert_string_equal(n.pod, "alertmanager-main-1");
	assert_string_equal(n.pod_uid, "3d0df1aa-a48c-4cff-88be-9222491bdcb7");
	/* pre-1.14 layout: just the uid */
	assert_int_equal(logs_parse_pod_dir("9c470dbf-6ed7-11e7-8f37-02b893ed240a",
	    &n), -1);
	assert_int_equal(logs_parse_pod_dir("a_b_c_d", &n), -1);
	assert_int_equal(logs_parse_pod_dir("_b_c", &n), -1);
	assert_int_equal(logs_parse_container_link("alertmanager-main-1_"
	    "observability_alertmanager-" CTRD ".log", &n, id, sizeof id), 0);
	assert_string_equal(n.pod, "alertmanager-main-1");
	assert_string_equal(n.namespace, "observability");
	assert_string_equal(n.container, "alertmanager");
	assert_string_equal(id, CTRD);
	/* a pod name with dots, a container name with dashes */
	assert_int_equal(logs_parse_container_link("k8s-master-192.168.1.30_"
	    "default_kube-scheduler-9acaf0821554.log", &n, id, sizeof id), 0);
	assert_string_equal(n.pod, "k8s-master-192.168.1.30");
	assert_string_equal(n.container, "kube-scheduler");
	assert_string_equal(id, "9acaf0821554");
	assert_int_equal(logs_parse_container_link("x_y_z-abc.log", &n, id,
	    sizeof id), -1);
	assert_int_equal(logs_parse_container_link("nolog", &n, id, sizeof id),
	    -1);
}

/*
 * The longest names Kubernetes allows come through whole (a namespace of
 * 63 characters, a pod name of 253, a container name of 63), and a UID as
 * long as a cgroup path's pod id, from a runtime's annotations and from
 * kubelet's log directory names; a pod name longer than any Kubernetes
 * allows is cut to 253.
 */
static void
test_longest_names(void **state)
{
	char		 ns[64], pod[254], ctr[64], big[400], dir[512];
	char		 json[2048], uid[K8S_ID_MAX];
	const char	*cause;
	struct rt_names	 n;

	(void)state;
	/* as long as a cgroup path's pod id can be (it is compared with) */
	memset(uid, 'u', sizeof uid - 1);
	uid[sizeof uid - 1] = '\0';
	memset(ns, 'n', sizeof ns - 1);
	ns[sizeof ns - 1] = '\0';
	memset(pod, 'p', sizeof pod - 1);
	pod[sizeof pod - 1] = '\0';
	memset(ctr, 'c', sizeof ctr - 1);
	ctr[sizeof ctr - 1] = '\0';
	snprintf(json, sizeof json, "{\"annotations\": {"
	    "\"io.kubernetes.cri.sandbox-namespace\": \"%s\", "
	    "\"io.kubernetes.cri.sandbox-name\": \"%s\", "
	    "\"io.kubernetes.cri.sandbox-uid\": \"%s\", "
	    "\"io.kubernetes.cri.container-name\": \"%s\", "
	    "\"io.kubernetes.cri.container-type\": \"container\"}}",
	    ns, pod, uid, ctr);
	assert_int_equal(runtime_parse_oci(json, strlen(json), &n, &cause), 0);
	assert_string_equal(n.namespace, ns);
	assert_string_equal(n.pod, pod);
	assert_string_equal(n.pod_uid, uid);
	assert_string_equal(n.container, ctr);
	snprintf(dir, sizeof dir, "%s_%s_%s", ns, pod, uid);
	assert_int_equal(logs_parse_pod_dir(dir, &n), 0);
	assert_string_equal(n.namespace, ns);
	assert_string_equal(n.pod, pod);
	assert_string_equal(n.pod_uid, uid);
	/* longer than Kubernetes allows: cut, not overrun */
	memset(big, 'b', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	snprintf(json, sizeof json, "{\"annotations\": {"
	    "\"io.kubernetes.cri.sandbox-name\": \"%s\"}}", big);
	assert_int_equal(runtime_parse_oci(json, strlen(json), &n, &cause), 0);
	assert_int_equal(strlen(n.pod), 253);
	assert_memory_equal(n.pod, big, 253);
}

/* Every row of log-paths.tsv whose path is a name memtop parses. */
static void
test_log_paths_tsv(void **state)
{
	struct buf	 b;
	char		*line, *save = NULL;
	int		 rows = 0, checked = 0;

	(void)state;
	load("k8s-cgroups/log-paths.tsv", &b);
	for (line = strtok_r(b.data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char		*f[14], *p = line, *base, id[128];
		struct rt_names	 n;
		int		 i;

		for (i = 0; i < 14; i++) {
			f[i] = p;
			p = p != NULL ? strchr(p, '\t') : NULL;
			if (p != NULL)
				*p++ = '\0';
		}
		if (rows++ == 0 || f[13] == NULL)
			continue;
		if (strcmp(f[2], "legacy_symlink") == 0) {
			base = strrchr(f[3], '/') + 1;
			assert_int_equal(logs_parse_container_link(base, &n, id,
			    sizeof id), 0);
			assert_string_equal(n.pod, f[6]);
			assert_string_equal(n.namespace, f[5]);
			assert_string_equal(n.container, f[8]);
			/* the id in the name can be a prefix (cut at 255) */
			assert_true(strncmp(f[10], id, strlen(id)) == 0);
			checked++;
		} else if (strcmp(f[2], "container_log_file") == 0 ||
		    strcmp(f[2], "pod_log_dir") == 0) {
			char	*dir = f[3] + strlen("/var/log/pods/");
			char	*slash = strchr(dir, '/');

			if (slash == NULL || strncmp(f[3], "/var/log/pods/",
			    14) != 0)
				continue;
			*slash = '\0';
			if (f[5][0] == '\0') {
				/* old layout: <uid> only: not a name source */
				assert_int_equal(logs_parse_pod_dir(dir, &n), -1);
				continue;
			}
			assert_int_equal(logs_parse_pod_dir(dir, &n), 0);
			assert_string_equal(n.namespace, f[5]);
			assert_string_equal(n.pod, f[6]);
			assert_string_equal(n.pod_uid, f[7]);
			checked++;
		}
	}
	assert_true(checked >= 9);
	buf_done(&b);
}

static void
test_environ(void **state)
{
	const char	env[] = "PATH=/bin\0HOSTNAME=web-7c9f\0HOME=/";
	char		out[64];

	(void)state;
	assert_int_equal(environ_hostname(env, sizeof env, out, sizeof out), 0);
	assert_string_equal(out, "web-7c9f");
	assert_int_equal(environ_hostname("A=1", 3, out, sizeof out), -1);
	assert_int_equal(environ_hostname("HOSTNAME=", 9, out, sizeof out), -1);
}

/* The cache over a host root: fixture state, a huge file, a cached miss. */
static void
test_names_cache(void **state)
{
	char			*root = fixture(FAKE);
	char			 tmpl[] = "/tmp/memtop-names.XXXXXX";
	struct names		*nm = names_create(root, "/proc");
	const struct rt_names	*n;
	char			*dir, *path;
	FILE			*f;
	long			 i;

	(void)state;
	names_sweep(nm, 1.0);
	n = names_container(nm, CTRD, CG_RT_CONTAINERD);
	assert_string_equal(n->container, "alertmanager");
	assert_ptr_equal(names_container(nm, CTRD, CG_RT_CONTAINERD), n);
	/* a bare id: every runtime is tried */
	n = names_container(nm, DOCKER, CG_RT_UNKNOWN);
	assert_string_equal(n->container, "kube-controller-manager");
	n = names_container(nm, CRIO, CG_RT_CRIO);
	assert_string_equal(n->pod, "calico-node-hx7cw");
	n = names_container(nm, "ffff", CG_RT_CONTAINERD);
	assert_int_equal(n->source, NAME_SRC_NONE);
	names_free(nm);
	free(root);

	/* a 50 MiB config.json: unnamed, logged, no crash */
	assert_non_null(mkdtemp(tmpl));
	dir = xasprintf("%s/run/containerd/io.containerd.runtime.v2.task/k8s.io/"
	    CTRD, tmpl);
	path = xasprintf("mkdir -p '%s'", dir);
	assert_int_equal(system(path), 0);
	free(path);
	path = xasprintf("%s/config.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"annotations\":{\"io.kubernetes.cri.sandbox-name\":\"x\",\"p\":\"", f);
	for (i = 0; i < 50L * 1024; i++)
		fprintf(f, "%01024d", 0);
	fputs("\"}}", f);
	fclose(f);
	nm = names_create(tmpl, "/proc");
	names_sweep(nm, 1.0);
	n = names_container(nm, CTRD, CG_RT_CONTAINERD);
	assert_int_equal(n->source, NAME_SRC_NONE);
	assert_non_null(strstr(log_last(), "over 4 MiB"));
	names_free(nm);
	free(path);
	path = xasprintf("rm -rf '%s'", tmpl);
	assert_int_equal(system(path), 0);
	free(path);
	free(dir);
}

/* Only the two settings' digits are taken from an environment. */
static void
test_environ_settings(void **state)
{
	static const char	env[] = "SECRET_TOKEN=hunter2\0"
	    "MALLOC_ARENA_MAX=16\0NODE_OPTIONS=--enable-x "
	    "--max-old-space-size=256 --y\0PATH=/bin";
	static const char	tun[] = "GLIBC_TUNABLES=glibc.malloc.tcache_count=0:"
	    "glibc.malloc.arena_max=2\0";
	static const char	esc[] = "MALLOC_ARENA_MAX=\x1b]52;c;x\a\0";
	struct proc_env		e;

	(void)state;
	memset(&e, 0, sizeof e);
	environ_settings(env, sizeof env, &e);
	assert_true(e.read);
	assert_true(e.has_arena_max);
	assert_string_equal(e.arena_max, "16");
	assert_string_equal(e.old_space, "256");
	memset(&e, 0, sizeof e);
	environ_settings(tun, sizeof tun, &e);
	assert_true(e.has_arena_max);
	assert_string_equal(e.arena_max, "2");
	assert_string_equal(e.old_space, "");
	/* whatever the process put there, only digits come out */
	memset(&e, 0, sizeof e);
	environ_settings(esc, sizeof esc, &e);
	assert_true(e.has_arena_max);
	assert_string_equal(e.arena_max, "");
	memset(&e, 0, sizeof e);
	environ_settings("A=1", 3, &e);
	assert_true(e.read);
	assert_false(e.has_arena_max);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_containerd),
		cmocka_unit_test(test_crio),
		cmocka_unit_test(test_docker),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_podman),
		cmocka_unit_test(test_malformed_json),
		cmocka_unit_test(test_log_names),
		cmocka_unit_test(test_longest_names),
		cmocka_unit_test(test_log_paths_tsv),
		cmocka_unit_test(test_environ),
		cmocka_unit_test(test_environ_settings),
		cmocka_unit_test(test_names_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
