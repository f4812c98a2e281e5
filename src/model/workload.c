#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/workload.h"

/* k8s.io/apimachinery/pkg/util/rand: no vowels, no 0 1 3, no y */
static const char rand_alphabet[] = "bcdfghjklmnpqrstvwxz2456789";

bool
workload_is_rand(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\0' || strchr(rand_alphabet, s[i]) == NULL)
			return false;
	}
	return true;
}

static bool
all_digits(const char *s, size_t n)
{
	size_t	i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* The start of the last '-' separated token before end, or NULL. */
static const char *
last_token(const char *s, const char *end)
{
	const char	*p = end;

	while (p > s && p[-1] != '-')
		p--;
	return p > s + 1 ? p : NULL;	/* needs a non-empty NAME before */
}

void
workload_parse(const char *pod, const char *node, struct wl_name *out)
{
	size_t		 len = strlen(pod), nlen;
	const char	*end = pod + len, *t1, *t2;

	out->kind = WL_NONE;
	out->stem_len = len;
	out->ordinal = -1;
	out->by_labels = false;
	/*
	 * static pods: NAME-<node name> (a node name may hold '-' and '.';
	 * kubelet lower-cases it, and may use the short or the full name)
	 */
	if (node != NULL && (nlen = strlen(node)) > 0) {
		size_t	short_len = strcspn(node, ".");

		if ((len > nlen + 1 && strcasecmp(end - nlen, node) == 0 &&
		    end[-(long)nlen - 1] == '-') ||
		    (short_len < nlen && len > short_len + 1 &&
		    strncasecmp(end - short_len, node, short_len) == 0 &&
		    end[-(long)short_len - 1] == '-' &&
		    (nlen = short_len) > 0)) {
			out->kind = WL_STATIC;
			out->stem_len = len - nlen - 1;
			return;
		}
	}
	t1 = last_token(pod, end);
	if (t1 == NULL)
		return;
	/* StatefulSet: NAME-<ordinal>, no leading zero (but "0" itself) */
	if (all_digits(t1, (size_t)(end - t1)) && end - t1 <= 9 &&
	    (t1[0] != '0' || end - t1 == 1)) {
		long	v = 0;
		const char *p;

		for (p = t1; p < end; p++)
			v = v * 10 + (*p - '0');
		out->kind = WL_STATEFULSET;
		out->stem_len = (size_t)(t1 - 1 - pod);
		out->ordinal = v;
		return;
	}
	if (end - t1 != 5 || !workload_is_rand(t1, 5)) {
		/*
		 * a name cut to 58 characters before its random 5 (a long
		 * Deployment name plus hash): the suffix has no '-' before it
		 */
		if (len == 63 && workload_is_rand(end - 5, 5)) {
			out->kind = WL_DEPLOYMENT;
			t2 = last_token(pod, end - 5);
			out->stem_len = t2 != NULL && end - 5 - t2 >= 1 &&
			    workload_is_rand(t2, (size_t)(end - 5 - t2)) ?
			    (size_t)(t2 - 1 - pod) : len - 5;
		}
		return;
	}
	/* a random suffix: Deployment, CronJob, or DaemonSet/Job */
	t2 = last_token(pod, t1 - 1);
	if (t2 != NULL && all_digits(t2, (size_t)(t1 - 1 - t2)) &&
	    t1 - 1 - t2 >= 7 && t1 - 1 - t2 <= 10) {
		out->kind = WL_CRONJOB;
		out->stem_len = (size_t)(t2 - 1 - pod);
		return;
	}
	if (t2 != NULL && t1 - 1 - t2 >= 6 && t1 - 1 - t2 <= 10 &&
	    workload_is_rand(t2, (size_t)(t1 - 1 - t2)) &&
	    !all_digits(t2, (size_t)(t1 - 1 - t2))) {
		out->kind = WL_DEPLOYMENT;
		out->stem_len = (size_t)(t2 - 1 - pod);
		return;
	}
	out->kind = WL_DAEMONSET_JOB;
	out->stem_len = (size_t)(t1 - 1 - pod);
	/* an indexed Job: NAME-<completion index>-<5> */
	if (t2 != NULL && all_digits(t2, (size_t)(t1 - 1 - t2)) &&
	    t1 - 1 - t2 < 7)
		out->stem_len = (size_t)(t2 - 1 - pod);
}

const char *
workload_kind_name(enum wl_kind k)
{
	switch (k) {
	case WL_DEPLOYMENT:
		return "deployment";
	case WL_STATEFULSET:
		return "statefulset";
	case WL_DAEMONSET_JOB:
		return "daemonset/job";
	case WL_CRONJOB:
		return "cronjob";
	case WL_DAEMONSET:
		return "daemonset";
	case WL_JOB:
		return "job";
	case WL_STATIC:
		return "static";
	default:
		return "";
	}
}

size_t
workload_regex(enum wl_kind k, const char *stem, size_t stem_len, char *buf,
    size_t len)
{
	char		 e[256];
	const char	*tail;
	size_t		 i, o = 0;
	int		 n;

	switch (k) {
	case WL_STATEFULSET:
		tail = "-[0-9]+";
		break;
	case WL_DEPLOYMENT:
		tail = "-[%s]{6,10}-[%s]{5}";
		break;
	case WL_DAEMONSET_JOB:
	case WL_DAEMONSET:
	case WL_JOB:
		tail = "-([0-9]+-)?[%s]{5}";
		break;
	case WL_CRONJOB:
		tail = "-[0-9]{7,10}-[%s]{5}";
		break;
	default:
		return 0;	/* no pattern: none, or one node's static pod */
	}
	for (i = 0; i < stem_len && stem[i] != '\0' && o + 3 < sizeof e; i++) {
		if (strchr(".^$|?*+()[]{}\\", stem[i]) != NULL)
			e[o++] = '\\';
		e[o++] = stem[i];
	}
	e[o] = '\0';
	n = snprintf(buf, len, "%s", e);
	if (n < 0 || (size_t)n >= len)
		return 0;
	/* the tail names the alphabet at most twice */
	n += snprintf(buf + n, len - (size_t)n, tail, rand_alphabet,
	    rand_alphabet);
	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

/* Whether pod is "<prefix>-<5 random>" with prefix pod[0..plen). */
static bool
prefix_rand(const char *pod, size_t len, size_t plen)
{
	return len == plen + 6 && pod[plen] == '-' &&
	    workload_is_rand(pod + plen + 1, 5);
}

void
workload_parse_owner(const char *pod, const char *node, enum rt_owner owner,
    const char *hint, struct wl_name *out)
{
	size_t		 len = strlen(pod), hlen = strlen(hint);
	struct wl_name	 byname;

	workload_parse(pod, node, &byname);
	*out = byname;
	switch (owner) {
	case RT_OWNER_NONE:
		return;
	case RT_OWNER_DEPLOYMENT:
		/* NAME-<hash>-<5>: the hash is known, the stem is exact */
		if (hlen > 0 && len > hlen + 7 && prefix_rand(pod, len,
		    len - 6) && pod[len - 6 - hlen - 1] == '-' &&
		    strncmp(pod + len - 6 - hlen, hint, hlen) == 0) {
			out->kind = WL_DEPLOYMENT;
			out->stem_len = len - 6 - hlen - 1;
			out->ordinal = -1;
			out->by_labels = true;
		} else if (byname.kind == WL_DEPLOYMENT)
			out->by_labels = true;
		return;
	case RT_OWNER_STATEFULSET:
		if (byname.kind == WL_STATEFULSET)
			out->by_labels = true;
		return;
	case RT_OWNER_DAEMONSET:
		if (byname.kind == WL_DAEMONSET_JOB && len > 6 &&
		    prefix_rand(pod, len, len - 6)) {
			out->kind = WL_DAEMONSET;
			out->stem_len = len - 6;
			out->by_labels = true;
		}
		return;
	case RT_OWNER_JOB:
		/*
		 * JOB-<5>, JOB-<completion index>-<5> (an indexed Job); a
		 * CronJob's job is NAME-<scheduled minute>
		 */
		if (hlen == 0 || len < hlen + 6 || strncmp(pod, hint,
		    hlen) != 0 || pod[hlen] != '-' || !prefix_rand(pod, len,
		    len - 6) || (len > hlen + 6 && !all_digits(pod + hlen + 1,
		    len - 6 - hlen - 1)))
			return;
		workload_parse(pod, NULL, out);
		out->by_labels = true;
		out->ordinal = -1;
		if (out->kind != WL_CRONJOB) {
			out->kind = WL_JOB;
			out->stem_len = hlen;
		}
		return;
	case RT_OWNER_STATIC:
		if (byname.kind != WL_STATIC) {
			/* this node's name unknown or not its suffix: alone */
			out->kind = WL_STATIC;
			out->stem_len = len;
			out->ordinal = -1;
		}
		out->by_labels = true;
		return;
	}
}
