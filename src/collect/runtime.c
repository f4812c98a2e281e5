#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "collect/runtime.h"
#include "util/fmt.h"

static const char *const source_names[NAME_SRC__COUNT] = {
	[NAME_SRC_NONE] = NULL,
	[NAME_SRC_CONTAINERD] = "containerd",
	[NAME_SRC_CRIO] = "cri-o",
	[NAME_SRC_DOCKER] = "docker",
	[NAME_SRC_PODMAN] = "podman",
	[NAME_SRC_LOGS] = "kubelet-logs",
	[NAME_SRC_ENVIRON] = "environ",
};

const char *
runtime_source_name(enum name_source s)
{
	return (unsigned)s < NAME_SRC__COUNT ? source_names[s] : NULL;
}

/* Copies a JSON string member, if it is one, into dst. */
static void
get_str(json_t *obj, const char *key, char *dst, size_t len)
{
	json_t		*v = json_object_get(obj, key);
	const char	*s;

	if (!json_is_string(v))
		return;
	s = json_string_value(v);
	snprintf(dst, len, "%s", s);
}

static json_t *
load_object(const char *buf, size_t len, const char **cause)
{
	json_error_t	 err;
	json_t		*root;

	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		*cause = "not valid JSON";
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		*cause = "JSON but not an object";
		return NULL;
	}
	return root;
}

static bool
has_str(json_t *obj, const char *key)
{
	return json_is_string(json_object_get(obj, key));
}

/*
 * The owner hints of runtime.h from a pod's labels and annotations (either
 * may be NULL; docker's annotations are among its labels, prefixed).
 */
static void
owner_from(json_t *labels, json_t *annots, struct rt_names *n)
{
	const char	*src;

	src = json_string_value(json_object_get(annots,
	    "kubernetes.io/config.source"));
	if (src == NULL)
		src = json_string_value(json_object_get(labels,
		    "annotation.kubernetes.io/config.source"));
	if (src != NULL && (strcmp(src, "file") == 0 ||
	    strcmp(src, "http") == 0)) {
		n->owner = RT_OWNER_STATIC;
		return;
	}
	if (!json_is_object(labels))
		return;
	if (has_str(labels, "pod-template-hash")) {
		n->owner = RT_OWNER_DEPLOYMENT;
		get_str(labels, "pod-template-hash", n->owner_hint,
		    sizeof n->owner_hint);
	} else if (has_str(labels, "statefulset.kubernetes.io/pod-name") ||
	    has_str(labels, "apps.kubernetes.io/pod-index"))
		n->owner = RT_OWNER_STATEFULSET;
	else if (has_str(labels, "controller-revision-hash") &&
	    has_str(labels, "pod-template-generation"))
		n->owner = RT_OWNER_DAEMONSET;
	else if (has_str(labels, "batch.kubernetes.io/job-name") ||
	    has_str(labels, "job-name")) {
		n->owner = RT_OWNER_JOB;
		get_str(labels, "job-name", n->owner_hint,
		    sizeof n->owner_hint);
		get_str(labels, "batch.kubernetes.io/job-name", n->owner_hint,
		    sizeof n->owner_hint);
	}
}

/* A JSON object held as a string (CRI-O's Labels and Annotations), or NULL. */
static json_t *
inner_object(json_t *obj, const char *key)
{
	json_t		*v = json_object_get(obj, key), *o;
	json_error_t	 err;

	if (!json_is_string(v))
		return NULL;
	o = json_loads(json_string_value(v), 0, &err);
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
runtime_parse_oci(const char *buf, size_t len, struct rt_names *n,
    const char **cause)
{
	json_t		*root, *a;
	char		 type[32] = "";

	memset(n, 0, sizeof *n);
	root = load_object(buf, len, cause);
	if (root == NULL)
		return -1;
	a = json_object_get(root, "annotations");
	if (!json_is_object(a)) {
		json_decref(root);
		return 0;
	}
	if (json_object_get(a, "io.kubernetes.cri.sandbox-name") != NULL ||
	    json_object_get(a, "io.kubernetes.cri.container-type") != NULL) {
		/* containerd's CRI plugin */
		n->source = NAME_SRC_CONTAINERD;
		get_str(a, "io.kubernetes.cri.sandbox-namespace", n->namespace,
		    sizeof n->namespace);
		get_str(a, "io.kubernetes.cri.sandbox-name", n->pod,
		    sizeof n->pod);
		get_str(a, "io.kubernetes.cri.sandbox-uid", n->pod_uid,
		    sizeof n->pod_uid);
		get_str(a, "io.kubernetes.cri.container-name", n->container,
		    sizeof n->container);
		get_str(a, "io.kubernetes.cri.container-type", type,
		    sizeof type);
		n->sandbox = strcmp(type, "sandbox") == 0;
	} else if (json_object_get(a, "io.kubernetes.pod.name") != NULL ||
	    json_object_get(a, "io.kubernetes.cri-o.ContainerType") != NULL) {
		/* CRI-O copies kubelet's labels into the annotations */
		n->source = NAME_SRC_CRIO;
		get_str(a, "io.kubernetes.pod.namespace", n->namespace,
		    sizeof n->namespace);
		get_str(a, "io.kubernetes.pod.name", n->pod, sizeof n->pod);
		get_str(a, "io.kubernetes.pod.uid", n->pod_uid,
		    sizeof n->pod_uid);
		get_str(a, "io.kubernetes.container.name", n->container,
		    sizeof n->container);
		get_str(a, "io.kubernetes.cri-o.ContainerType", type,
		    sizeof type);
		if (n->pod[0] == '\0')
			get_str(a, "io.kubernetes.cri-o.KubeName", n->pod,
			    sizeof n->pod);
		if (n->namespace[0] == '\0')
			get_str(a, "io.kubernetes.cri-o.Namespace",
			    n->namespace, sizeof n->namespace);
		n->sandbox = strcmp(type, "sandbox") == 0 ||
		    strcmp(n->container, "POD") == 0;
		if (n->sandbox)
			n->container[0] = '\0';
		if (n->sandbox) {
			json_t	*l = inner_object(a, "io.kubernetes.cri-o.Labels");
			json_t	*an = inner_object(a,
				    "io.kubernetes.cri-o.Annotations");

			owner_from(l, an, n);
			json_decref(l);
			json_decref(an);
		}
	}
	json_decref(root);
	return 0;
}

int
runtime_parse_docker(const char *buf, size_t len, struct rt_names *n,
    const char **cause)
{
	json_t		*root, *cfg, *labels;
	char		 type[32] = "";

	memset(n, 0, sizeof *n);
	root = load_object(buf, len, cause);
	if (root == NULL)
		return -1;
	n->source = NAME_SRC_DOCKER;
	cfg = json_object_get(root, "Config");
	labels = json_is_object(cfg) ? json_object_get(cfg, "Labels") : NULL;
	if (json_is_object(labels) &&
	    json_object_get(labels, "io.kubernetes.pod.name") != NULL) {
		get_str(labels, "io.kubernetes.pod.namespace", n->namespace,
		    sizeof n->namespace);
		get_str(labels, "io.kubernetes.pod.name", n->pod,
		    sizeof n->pod);
		get_str(labels, "io.kubernetes.pod.uid", n->pod_uid,
		    sizeof n->pod_uid);
		get_str(labels, "io.kubernetes.container.name", n->container,
		    sizeof n->container);
		get_str(labels, "io.kubernetes.docker.type", type, sizeof type);
		n->sandbox = strcmp(type, "podsandbox") == 0 ||
		    strcmp(n->container, "POD") == 0;
		if (n->sandbox) {
			n->container[0] = '\0';
			owner_from(labels, NULL, n);
		}
	} else {
		/* the top-level Name, not NetworkSettings.Service.Name */
		char	name[RT_NAME_MAX] = "";

		get_str(root, "Name", name, sizeof name);
		snprintf(n->container, sizeof n->container, "%s",
		    name[0] == '/' ? name + 1 : name);
	}
	json_decref(root);
	return 0;
}

int
runtime_parse_podman(const char *buf, size_t len, const char *id,
    struct rt_names *n, const char **cause)
{
	json_error_t	 err;
	json_t		*root, *c;
	size_t		 i;
	int		 rc = -1;

	memset(n, 0, sizeof *n);
	root = json_loadb(buf, len, 0, &err);
	if (root == NULL || !json_is_array(root)) {
		*cause = "not a JSON array";
		json_decref(root);
		return -1;
	}
	*cause = "no such container";
	json_array_foreach(root, i, c) {
		json_t	*ids = json_object_get(c, "id");
		json_t	*names = json_object_get(c, "names");

		if (!json_is_string(ids) ||
		    strcmp(json_string_value(ids), id) != 0)
			continue;
		if (json_is_array(names) &&
		    json_is_string(json_array_get(names, 0))) {
			snprintf(n->container, sizeof n->container, "%s",
			    json_string_value(json_array_get(names, 0)));
			n->source = NAME_SRC_PODMAN;
			rc = 0;
		}
		break;
	}
	json_decref(root);
	return rc;
}

int
logs_parse_pod_dir(const char *name, struct rt_names *n)
{
	const char	*u1 = strchr(name, '_'), *u2;

	memset(n, 0, sizeof *n);
	/* names are DNS-1123: no '_' inside them */
	if (u1 == NULL || u1 == name)
		return -1;
	u2 = strchr(u1 + 1, '_');
	if (u2 == NULL || u2 == u1 + 1 || u2[1] == '\0' ||
	    strchr(u2 + 1, '_') != NULL || strchr(u2 + 1, '/') != NULL)
		return -1;
	fmt_copy(n->namespace, sizeof n->namespace, name, (size_t)(u1 - name));
	fmt_copy(n->pod, sizeof n->pod, u1 + 1, (size_t)(u2 - u1 - 1));
	fmt_copy(n->pod_uid, sizeof n->pod_uid, u2 + 1, strlen(u2 + 1));
	n->source = NAME_SRC_LOGS;
	return 0;
}

int
logs_parse_container_link(const char *name, struct rt_names *n, char *id,
    size_t idlen)
{
	const char	*u1, *u2, *dash, *end;
	size_t		 len = strlen(name);

	memset(n, 0, sizeof *n);
	if (len < 5 || strcmp(name + len - 4, ".log") != 0)
		return -1;
	end = name + len - 4;
	u1 = memchr(name, '_', (size_t)(end - name));
	if (u1 == NULL || u1 == name)
		return -1;
	u2 = memchr(u1 + 1, '_', (size_t)(end - u1 - 1));
	if (u2 == NULL || u2 == u1 + 1)
		return -1;
	dash = NULL;
	for (const char *p = end; p > u2 + 1; p--) {
		if (p[-1] == '-') {
			dash = p - 1;
			break;
		}
	}
	/* kubelet's own parser wants at least 6 characters of id */
	if (dash == NULL || dash == u2 + 1 || end - dash - 1 < 6)
		return -1;
	fmt_copy(n->pod, sizeof n->pod, name, (size_t)(u1 - name));
	fmt_copy(n->namespace, sizeof n->namespace, u1 + 1, (size_t)(u2 - u1 - 1));
	fmt_copy(n->container, sizeof n->container, u2 + 1,
	    (size_t)(dash - u2 - 1));
	fmt_copy(id, idlen, dash + 1, (size_t)(end - dash - 1));
	n->source = NAME_SRC_LOGS;
	return 0;
}

int
environ_get(const char *buf, size_t len, const char *name, char *out,
    size_t outlen)
{
	const char	*p = buf, *end = buf + len;
	size_t		 n = strlen(name);

	while (p < end) {
		const char	*z = memchr(p, '\0', (size_t)(end - p));

		if (z == NULL)
			z = end;
		if ((size_t)(z - p) > n && memcmp(p, name, n) == 0 &&
		    p[n] == '=') {
			fmt_copy(out, outlen, p + n + 1, (size_t)(z - p - n - 1));
			return 0;
		}
		p = z + 1;
	}
	return -1;
}

int
environ_hostname(const char *buf, size_t len, char *out, size_t outlen)
{
	char	tmp[256];

	/* an empty HOSTNAME= names nothing */
	if (environ_get(buf, len, "HOSTNAME", tmp, sizeof tmp) != 0 ||
	    tmp[0] == '\0')
		return -1;
	fmt_copy(out, outlen, tmp, strlen(tmp));
	return 0;
}

/* Copies the leading digits of v into out (at most len - 1). */
static void
digits(const char *v, char *out, size_t len)
{
	size_t	n = 0;

	while (v[n] >= '0' && v[n] <= '9' && n + 1 < len) {
		out[n] = v[n];
		n++;
	}
	out[n] = '\0';
}

void
environ_settings(const char *buf, size_t len, struct proc_env *e)
{
	char		 v[512];
	const char	*p;

	e->read = true;
	if (environ_get(buf, len, "MALLOC_ARENA_MAX", v, sizeof v) == 0) {
		digits(v, e->arena_max, sizeof e->arena_max);
		e->has_arena_max = true;
	} else if (environ_get(buf, len, "GLIBC_TUNABLES", v, sizeof v) == 0 &&
	    (p = strstr(v, "glibc.malloc.arena_max=")) != NULL) {
		digits(p + strlen("glibc.malloc.arena_max="), e->arena_max,
		    sizeof e->arena_max);
		e->has_arena_max = true;
	}
	if (environ_get(buf, len, "NODE_OPTIONS", v, sizeof v) == 0 &&
	    (p = strstr(v, "--max-old-space-size=")) != NULL)
		digits(p + strlen("--max-old-space-size="), e->old_space,
		    sizeof e->old_space);
	explicit_bzero(v, sizeof v);
}

