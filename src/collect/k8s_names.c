#include "config.h"

#include <string.h>
#include <strings.h>

#include "collect/k8s_names.h"
#include "util/fmt.h"

/* One '/'-separated component of a path. */
struct comp {
	const char	*s;
	size_t		 n;
	size_t		 end;	/* offset just past it in the path */
};

#define COMP_MAX	64

static const char *const kind_names[CG_KIND__COUNT] = {
	[CG_KIND_OTHER] = "other",	[CG_KIND_POD] = "pod",
	[CG_KIND_CONTAINER] = "container", [CG_KIND_SERVICE] = "service",
	[CG_KIND_SCOPE] = "scope",	[CG_KIND_SLICE] = "slice",
};

static const char *const runtime_names[CG_RT__COUNT] = {
	[CG_RT_NONE] = NULL,		[CG_RT_UNKNOWN] = "unknown",
	[CG_RT_CONTAINERD] = "containerd", [CG_RT_CRIO] = "cri-o",
	[CG_RT_DOCKER] = "docker",	[CG_RT_PODMAN] = "podman",
	[CG_RT_RUNC] = "runc",
};

/*
 * Container leaf patterns: prefix, then the id, then an optional suffix.
 * The longest prefixes come first ("crio-conmon-" before "crio-").
 */
static const struct {
	const char	*prefix;
	enum cg_runtime	 runtime;
	bool		 conmon;
	bool		 any_id;	/* id need not be 64 hex */
} leaf_table[] = {
	{ "cri-containerd-",	CG_RT_CONTAINERD, false, false },
	{ "crio-conmon-",	CG_RT_CRIO,	  true,	 false },
	{ "crio-",		CG_RT_CRIO,	  false, false },
	{ "docker-",		CG_RT_DOCKER,	  false, false },
	{ "libpod-conmon-",	CG_RT_PODMAN,	  true,	 false },
	{ "libpod-payload-",	CG_RT_PODMAN,	  false, false },
	{ "libpod-",		CG_RT_PODMAN,	  false, false },
	{ "runc-",		CG_RT_RUNC,	  false, false },
};

const char *
k8s_kind_name(enum cg_kind k)
{
	return (unsigned)k < CG_KIND__COUNT ? kind_names[k] : "other";
}

const char *
k8s_qos_name(enum cg_qos q)
{
	switch (q) {
	case CG_QOS_GUARANTEED:
		return "guaranteed";
	case CG_QOS_BURSTABLE:
		return "burstable";
	case CG_QOS_BESTEFFORT:
		return "besteffort";
	default:
		return NULL;
	}
}

const char *
k8s_runtime_name(enum cg_runtime r)
{
	return (unsigned)r < CG_RT__COUNT ? runtime_names[r] : NULL;
}

bool
k8s_is_hex64(const char *s, size_t n)
{
	size_t	i;

	if (n != 64)
		return false;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

static bool
has_suffix(const char *s, size_t n, const char *suf)
{
	size_t	m = strlen(suf);

	return n >= m && memcmp(s + n - m, suf, m) == 0;
}

static bool
comp_eq(const struct comp *c, const char *word)
{
	return c->n == strlen(word) && strncasecmp(c->s, word, c->n) == 0;
}

char *
k8s_normalize(char *path)
{
	char	*p = path;
	size_t	 n;

	while (strncmp(p, "/..", 3) == 0 && (p[3] == '/' || p[3] == '\0'))
		p += 3;
	if (*p == '\0')
		p = (char *)"/";
	memmove(path, p, strlen(p) + 1);
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	return path;
}

/* Maps a QoS word to its class; CG_QOS_NONE if it is not one. */
static enum cg_qos
qos_word(const char *s, size_t n)
{
	if (n == 9 && strncasecmp(s, "burstable", n) == 0)
		return CG_QOS_BURSTABLE;
	if (n == 10 && strncasecmp(s, "besteffort", n) == 0)
		return CG_QOS_BESTEFFORT;
	return CG_QOS_NONE;
}

/*
 * A systemd pod slice: "[prefix-]kubepods[-qos]-pod<uid_>.slice". Fills uid
 * (with '_' mapped back to '-') and qos.
 */
static bool
pod_slice(const char *s, size_t n, char *uid, enum cg_qos *qos)
{
	const char	*base, *pod, *prev_end, *prev;
	size_t		 bn, i;

	if (!has_suffix(s, n, ".slice"))
		return false;
	base = s;
	bn = n - 6;
	pod = NULL;
	for (i = bn; i > 0; i--) {
		if (base[i - 1] == '-') {
			pod = base + i;
			break;
		}
	}
	if (pod == NULL || (size_t)(base + bn - pod) <= 3 ||
	    strncmp(pod, "pod", 3) != 0)
		return false;
	/* "kubepods" must be one of the '-' fields before it */
	prev_end = pod - 1;
	if (memmem(base, (size_t)(prev_end - base), "kubepods", 8) == NULL)
		return false;
	prev = prev_end;
	while (prev > base && prev[-1] != '-')
		prev--;
	*qos = qos_word(prev, (size_t)(prev_end - prev));
	if (*qos == CG_QOS_NONE) {
		if (!((size_t)(prev_end - prev) == 8 &&
		    strncmp(prev, "kubepods", 8) == 0))
			return false;
		*qos = CG_QOS_GUARANTEED;
	}
	fmt_copy(uid, K8S_ID_MAX, pod + 3, (size_t)(base + bn - pod - 3));
	for (i = 0; uid[i] != '\0'; i++) {
		if (uid[i] == '_')
			uid[i] = '-';
	}
	return true;
}

/*
 * A container leaf: one of leaf_table's prefixes with a 64-hex id and an
 * optional ".scope", or a bare 64-hex id. Sets runtime, id and conmon.
 */
static bool
ctr_leaf(const char *s, size_t n, enum cg_runtime *rt, char *id, bool *conmon)
{
	size_t	i, pl;

	if (has_suffix(s, n, ".scope"))
		n -= 6;
	for (i = 0; i < sizeof leaf_table / sizeof leaf_table[0]; i++) {
		pl = strlen(leaf_table[i].prefix);
		if (n <= pl || strncmp(s, leaf_table[i].prefix, pl) != 0)
			continue;
		if (!leaf_table[i].any_id && !k8s_is_hex64(s + pl, n - pl))
			return false;
		*rt = leaf_table[i].runtime;
		*conmon = leaf_table[i].conmon;
		fmt_copy(id, K8S_ID_MAX, s + pl, n - pl);
		return true;
	}
	if (k8s_is_hex64(s, n)) {
		*rt = CG_RT_UNKNOWN;
		*conmon = false;
		fmt_copy(id, K8S_ID_MAX, s, n);
		return true;
	}
	return false;
}

static size_t
split_path(const char *path, struct comp *c, size_t max)
{
	const char	*p = path;
	size_t		 n = 0;

	while (*p != '\0' && n < max) {
		const char	*q;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		q = strchr(p, '/');
		if (q == NULL)
			q = p + strlen(p);
		c[n].s = p;
		c[n].n = (size_t)(q - p);
		c[n].end = (size_t)(q - path);
		n++;
		p = q;
	}
	return n;
}

/* The deepest systemd unit (service/scope, else slice) sets kind/unit_end. */
static void
classify_unit(const struct comp *c, size_t n, struct cg_class *out)
{
	size_t	i;

	for (i = n; i > 0; i--) {
		const struct comp *u = &c[i - 1];

		if (has_suffix(u->s, u->n, ".service")) {
			out->kind = CG_KIND_SERVICE;
			out->unit_end = u->end;
			return;
		}
		if (has_suffix(u->s, u->n, ".scope")) {
			out->kind = CG_KIND_SCOPE;
			out->unit_end = u->end;
			return;
		}
	}
	for (i = n; i > 0; i--) {
		if (has_suffix(c[i - 1].s, c[i - 1].n, ".slice")) {
			out->kind = CG_KIND_SLICE;
			out->unit_end = c[i - 1].end;
			return;
		}
	}
	out->kind = CG_KIND_OTHER;
	out->unit_end = n > 0 ? c[n - 1].end : 1;
}

void
k8s_classify(const char *path, struct cg_class *out)
{
	struct comp	 c[COMP_MAX];
	size_t		 n, i;
	long		 pod_at = -1, ctr_at = -1;	/* component index x2 */
	char		 uid[K8S_ID_MAX], id[K8S_ID_MAX];
	enum cg_qos	 qos, pod_qos = CG_QOS_NONE;
	enum cg_runtime	 rt, ctr_rt = CG_RT_NONE;
	bool		 conmon, ctr_conmon = false;

	memset(out, 0, sizeof *out);
	n = split_path(path, c, COMP_MAX);
	if (n == 0) {
		out->kind = CG_KIND_OTHER;
		out->unit_end = 1;
		return;
	}
	/* R8: a .mount unit is never a container, even with an id in it */
	if (has_suffix(c[n - 1].s, c[n - 1].n, ".mount")) {
		classify_unit(c, n, out);
		out->kind = CG_KIND_OTHER;
		return;
	}
	for (i = 0; i < n; i++) {
		const char	*s = c[i].s, *colon;
		size_t		 len = c[i].n;

		/* R11/OCI: "<pod slice>:<prefix>:<id>" as one component */
		colon = memchr(s, ':', len);
		if (colon != NULL) {
			const char	*c2 = memchr(colon + 1, ':',
			    len - (size_t)(colon + 1 - s));
			char		 leaf[K8S_ID_MAX * 2];

			if (pod_slice(s, (size_t)(colon - s), uid, &qos)) {
				pod_at = (long)i * 2;
				pod_qos = qos;
				memcpy(out->pod_uid, uid, sizeof uid);
				out->pod_end = c[i].end;
			}
			if (c2 != NULL && (size_t)(c2 - colon - 1) +
			    (len - (size_t)(c2 + 1 - s)) + 2 < sizeof leaf) {
				size_t	pn = (size_t)(c2 - colon - 1);
				size_t	in = len - (size_t)(c2 + 1 - s);

				memcpy(leaf, colon + 1, pn);
				leaf[pn] = '-';
				memcpy(leaf + pn + 1, c2 + 1, in);
				if (ctr_leaf(leaf, pn + 1 + in, &rt, id,
				    &conmon)) {
					ctr_at = (long)i * 2 + 1;
					ctr_rt = rt;
					ctr_conmon = conmon;
					memcpy(out->ctr_id, id, sizeof id);
					out->ctr_end = c[i].end;
				}
			}
			continue;
		}
		if (pod_slice(s, len, uid, &qos)) {
			pod_at = (long)i * 2;
			pod_qos = qos;
			memcpy(out->pod_uid, uid, sizeof uid);
			out->pod_end = c[i].end;
			continue;
		}
		/* R4: cgroupfs "kubepods[/qos]/pod<uid>" */
		if (len > 3 && strncmp(s, "pod", 3) == 0 && i > 0) {
			qos = qos_word(c[i - 1].s, c[i - 1].n);
			if ((qos != CG_QOS_NONE && i > 1 &&
			    comp_eq(&c[i - 2], "kubepods")) ||
			    (qos == CG_QOS_NONE &&
			    comp_eq(&c[i - 1], "kubepods"))) {
				pod_at = (long)i * 2;
				pod_qos = qos == CG_QOS_NONE ?
				    CG_QOS_GUARANTEED : qos;
				fmt_copy(out->pod_uid, K8S_ID_MAX, s + 3,
				    len - 3);
				out->pod_end = c[i].end;
				continue;
			}
		}
		if (ctr_leaf(s, len, &rt, id, &conmon)) {
			/* a bare id right under /docker is docker's */
			if (rt == CG_RT_UNKNOWN && i > 0 &&
			    comp_eq(&c[i - 1], "docker"))
				rt = CG_RT_DOCKER;
			ctr_at = (long)i * 2;
			ctr_rt = rt;
			ctr_conmon = conmon;
			memcpy(out->ctr_id, id, sizeof id);
			out->ctr_end = c[i].end;
		}
	}

	/* R12: the innermost container; its pod is the nearest above it */
	if (pod_at >= 0 && ctr_at >= 0 && ctr_at < pod_at) {
		/* the container is the node (kind, dind): not this pod's */
		ctr_at = -1;
		out->ctr_id[0] = '\0';
		out->ctr_end = 0;
	}
	if (ctr_at >= 0) {
		out->runtime = ctr_rt;
		if (ctr_conmon) {
			memcpy(out->conmon_of, out->ctr_id, sizeof out->ctr_id);
			out->ctr_id[0] = '\0';
		}
	}
	if (pod_at >= 0) {
		out->kind = CG_KIND_POD;
		out->qos = pod_qos;
		out->unit_end = out->pod_end;
		/* docker under kubelet with cgroupfs is bare too: unknown */
		return;
	}
	out->pod_uid[0] = '\0';
	if (ctr_at >= 0) {
		if (out->runtime == CG_RT_UNKNOWN)
			out->runtime = CG_RT_DOCKER;	/* docker --cgroup-parent */
		out->kind = CG_KIND_CONTAINER;
		out->unit_end = out->ctr_end;
		if (ctr_conmon) {
			/* a conmon outside a pod: group it as its unit */
			classify_unit(c, n, out);
		}
		return;
	}
	classify_unit(c, n, out);
}
