#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/names.h"
#include "util/log.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

/* a pod UID from a cgroup path is compared with and copied into rt_names */
_Static_assert(RT_UID_MAX >= K8S_ID_MAX, "rt_names.pod_uid holds a K8S_ID");

#define STATE_MAX	(4 << 20)	/* a config.json bigger than this is bogus */
#define RETRY_SECONDS	10.0		/* re-look for an id not found */
#define LOGS_RESCAN	5.0		/* at most this often */

struct entry {
	struct rt_names	 n;		/* first: entries are handed out as this */
	char		*key;		/* "c:<id>" or "p:<uid>" */
	double		 made;		/* when looked up */
	int		 used;		/* touched since the last sweep */
	struct entry	*next;
};

/*
 * Every runtime's per-container state file, by the directory it sits in.
 * A directory that is not there is not tried: on a containerd node the
 * other five would be five failed path lookups per new container.
 */
enum state_path {
	SP_CONTAINERD, SP_K3S, SP_MOBY, SP_CRIO_RUN, SP_CRIO_LIB, SP_DOCKER,
	SP__COUNT
};
static const char *const state_paths[SP__COUNT] = {
	[SP_CONTAINERD] =
	    "/run/containerd/io.containerd.runtime.v2.task/k8s.io/%s/config.json",
	[SP_K3S] =
	    "/run/k3s/containerd/io.containerd.runtime.v2.task/k8s.io/%s/config.json",
	[SP_MOBY] =
	    "/run/containerd/io.containerd.runtime.v2.task/moby/%s/config.json",
	[SP_CRIO_RUN] =
	    "/run/containers/storage/overlay-containers/%s/userdata/config.json",
	[SP_CRIO_LIB] =
	    "/var/lib/containers/storage/overlay-containers/%s/userdata/config.json",
	[SP_DOCKER] = "/var/lib/docker/containers/%s/config.v2.json",
};

struct log_link {
	char		 id[96];
	struct rt_names	 n;
};

struct names {
	char		*host;
	char		*proc;
	struct entry	*entries;
	double		 now;
	struct buf	 buf;
	struct buf	 envbuf;	/* a process's environment, wiped */
	/* kubelet log indexes */
	struct log_link	*links;
	size_t		 nlinks;
	struct rt_names	*pods;
	size_t		 npods;
	double		 logs_scanned;	/* < 0: never */
	/* whether each state path's directory is there, looked at when */
	bool		 root_there[SP__COUNT];
	double		 root_looked[SP__COUNT];	/* < 0: never */
};

struct names *
names_create(const char *host_root, const char *proc_root)
{
	struct names	*nm = xcalloc(1, sizeof *nm);
	size_t		 l;

	nm->host = xstrdup(host_root);
	l = strlen(nm->host);
	while (l > 1 && nm->host[l - 1] == '/')
		nm->host[--l] = '\0';
	if (strcmp(nm->host, "/") == 0)
		nm->host[0] = '\0';
	nm->proc = xstrdup(proc_root);
	nm->logs_scanned = -1;
	for (l = 0; l < SP__COUNT; l++)
		nm->root_looked[l] = -1;
	buf_init(&nm->buf);
	buf_init(&nm->envbuf);
	return nm;
}

static void
entry_free(struct entry *e)
{
	free(e->key);
	free(e);
}

void
names_free(struct names *nm)
{
	struct entry	*e, *next;

	if (nm == NULL)
		return;
	for (e = nm->entries; e != NULL; e = next) {
		next = e->next;
		entry_free(e);
	}
	free(nm->links);
	free(nm->pods);
	free(nm->host);
	free(nm->proc);
	buf_done(&nm->buf);
	buf_done(&nm->envbuf);
	free(nm);
}

static struct entry *
find(struct names *nm, const char *key)
{
	struct entry	*e;

	for (e = nm->entries; e != NULL; e = e->next) {
		if (strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

/* Reads a state file under the host root. 1 found, 0 absent, -1 bad. */
static int
read_state(struct names *nm, const char *rel, const char *id)
{
	char	*path = xasprintf("%s%s", nm->host, rel);
	int	 rc;

	rc = read_file(path, &nm->buf, STATE_MAX + 1);
	if (rc != 0) {
		free(path);
		return 0;
	}
	if (nm->buf.len > STATE_MAX) {
		log_warn("container %.12s: %s is over %d MiB, ignored", id,
		    path, STATE_MAX >> 20);
		free(path);
		return -1;
	}
	free(path);
	return 1;
}

typedef int (*parse_fn)(const char *, size_t, struct rt_names *,
    const char **);

/* Tries one runtime's state file for id; true if it named the container. */
static bool
try_state(struct names *nm, const char *fmt, const char *id, parse_fn parse,
    struct rt_names *out)
{
	char		*rel = xasprintf(fmt, id);
	const char	*cause = "";
	int		 rc = read_state(nm, rel, id);

	if (rc == 1 && parse(nm->buf.data, nm->buf.len, out, &cause) != 0) {
		log_warn("container %.12s: %s%s: %s", id, nm->host, rel, cause);
		memset(out, 0, sizeof *out);
	}
	free(rel);
	return rc == 1 && out->source != NAME_SRC_NONE;
}

/* Whether state path i's directory is there (looked at every LOGS_RESCAN). */
static bool
root_there(struct names *nm, enum state_path i)
{
	const char	*fmt = state_paths[i], *id = strstr(fmt, "/%s");
	char		*dir;

	if (nm->root_looked[i] >= 0 && nm->now - nm->root_looked[i] < LOGS_RESCAN)
		return nm->root_there[i];
	nm->root_looked[i] = nm->now;
	dir = xasprintf("%s%.*s", nm->host, (int)(id - fmt), fmt);
	nm->root_there[i] = access(dir, F_OK) == 0;
	free(dir);
	return nm->root_there[i];
}

static bool
try_path(struct names *nm, enum state_path i, const char *id, parse_fn parse,
    struct rt_names *out)
{
	return root_there(nm, i) && try_state(nm, state_paths[i], id, parse, out);
}

static bool
try_containerd(struct names *nm, const char *id, struct rt_names *out)
{
	return try_path(nm, SP_CONTAINERD, id, runtime_parse_oci, out) ||
	    try_path(nm, SP_K3S, id, runtime_parse_oci, out) ||
	    try_path(nm, SP_MOBY, id, runtime_parse_oci, out);
}

static bool
try_crio(struct names *nm, const char *id, struct rt_names *out)
{
	return try_path(nm, SP_CRIO_RUN, id, runtime_parse_oci, out) ||
	    try_path(nm, SP_CRIO_LIB, id, runtime_parse_oci, out);
}

static bool
try_docker(struct names *nm, const char *id, struct rt_names *out)
{
	return try_path(nm, SP_DOCKER, id, runtime_parse_docker, out);
}

static bool
try_podman(struct names *nm, const char *id, struct rt_names *out)
{
	static const char *const rel[] = {
		"/var/lib/containers/storage/overlay-containers/containers.json",
		"/run/containers/storage/overlay-containers/containers.json",
	};
	const char	*cause;
	size_t		 i;

	for (i = 0; i < sizeof rel / sizeof *rel; i++) {
		if (read_state(nm, rel[i], id) == 1 &&
		    runtime_parse_podman(nm->buf.data, nm->buf.len, id, out,
		    &cause) == 0)
			return true;
	}
	return false;
}

/* Scans /var/log/containers and /var/log/pods (rate limited). */
static void
logs_scan(struct names *nm)
{
	char		*path;
	DIR		*d;
	struct dirent	*de;

	if (nm->logs_scanned >= 0 && nm->now - nm->logs_scanned < LOGS_RESCAN)
		return;
	nm->logs_scanned = nm->now;
	nm->nlinks = nm->npods = 0;
	path = xasprintf("%s/var/log/containers", nm->host);
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			struct log_link	l;

			if (logs_parse_container_link(de->d_name, &l.n, l.id,
			    sizeof l.id) != 0)
				continue;
			nm->links = xreallocarray(nm->links, nm->nlinks + 1,
			    sizeof *nm->links);
			nm->links[nm->nlinks++] = l;
		}
		closedir(d);
	}
	free(path);
	path = xasprintf("%s/var/log/pods", nm->host);
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			struct rt_names	n;

			if (logs_parse_pod_dir(de->d_name, &n) != 0)
				continue;
			nm->pods = xreallocarray(nm->pods, nm->npods + 1,
			    sizeof *nm->pods);
			nm->pods[nm->npods++] = n;
		}
		closedir(d);
	}
	free(path);
}

static bool
try_logs(struct names *nm, const char *id, struct rt_names *out)
{
	size_t	i;

	logs_scan(nm);
	for (i = 0; i < nm->nlinks; i++) {
		size_t	l = strlen(nm->links[i].id);

		/* the link name may hold only a prefix of the id */
		if (l >= 6 && strncmp(nm->links[i].id, id, l) == 0) {
			*out = nm->links[i].n;
			return true;
		}
	}
	return false;
}

static struct entry *
entry_new(struct names *nm, const char *key)
{
	struct entry	*e = xcalloc(1, sizeof *e);

	e->key = xstrdup(key);
	e->made = nm->now;
	e->used = 1;
	e->next = nm->entries;
	nm->entries = e;
	return e;
}

/*
 * Finds or makes the entry for key; *fill says whether to look it up now: a
 * new key, or a miss older than RETRY_SECONDS.
 */
static struct entry *
lookup_entry(struct names *nm, const char *key, bool *fill)
{
	struct entry	*e = find(nm, key);

	*fill = false;
	if (e == NULL) {
		*fill = true;
		return entry_new(nm, key);
	}
	e->used = 1;
	if (e->n.source == NAME_SRC_NONE && nm->now - e->made >= RETRY_SECONDS) {
		e->made = nm->now;
		*fill = true;
	}
	return e;
}

const struct rt_names *
names_container(struct names *nm, const char *id, enum cg_runtime rt)
{
	char		 key[128];
	struct entry	*e;
	struct rt_names	*n;
	bool		 found = false, fill;

	snprintf(key, sizeof key, "c:%s", id);
	e = lookup_entry(nm, key, &fill);
	n = &e->n;
	if (!fill)
		return n;
	memset(n, 0, sizeof *n);
	switch (rt) {
	case CG_RT_CONTAINERD:
		found = try_containerd(nm, id, n);
		break;
	case CG_RT_CRIO:
		found = try_crio(nm, id, n);
		break;
	case CG_RT_DOCKER:
		found = try_docker(nm, id, n);
		break;
	case CG_RT_PODMAN:
		found = try_podman(nm, id, n) || try_crio(nm, id, n);
		break;
	default:
		found = try_containerd(nm, id, n) || try_docker(nm, id, n) ||
		    try_crio(nm, id, n);
		break;
	}
	if (!found || (n->container[0] == '\0' && !n->sandbox)) {
		struct rt_names	l;

		/* runtime-independent: kubelet's symlink names */
		if (try_logs(nm, id, &l)) {
			if (!found)
				*n = l;
			else
				memcpy(n->container, l.container,
				    sizeof n->container);
		}
	}
	return n;
}

const struct rt_names *
names_pod(struct names *nm, const char *uid, int pid)
{
	char		 key[128], *path;
	struct entry	*e;
	struct rt_names	*n;
	size_t		 i;
	bool		 fill;

	snprintf(key, sizeof key, "p:%s", uid);
	e = lookup_entry(nm, key, &fill);
	n = &e->n;
	if (!fill)
		return n;
	memset(n, 0, sizeof *n);
	logs_scan(nm);
	for (i = 0; i < nm->npods; i++) {
		if (strcmp(nm->pods[i].pod_uid, uid) == 0) {
			*n = nm->pods[i];
			return n;
		}
	}
	/* last resort: the pod name is the hostname of a non-hostNetwork pod */
	if (pid > 0) {
		/* the environment holds secrets: wiped once read */
		path = xasprintf("%s/%d/environ", nm->proc, pid);
		if (read_proc_record(path, &nm->envbuf, 1 << 20, true) == 0 &&
		    environ_hostname(nm->envbuf.data, nm->envbuf.len, n->pod,
		    sizeof n->pod) == 0) {
			snprintf(n->pod_uid, sizeof n->pod_uid, "%s", uid);
			n->source = NAME_SRC_ENVIRON;
		}
		if (nm->envbuf.data != NULL)
			explicit_bzero(nm->envbuf.data, nm->envbuf.cap);
		buf_reset(&nm->envbuf);
		free(path);
	}
	return n;
}

void
names_touch(struct names *nm, const struct rt_names *n)
{
	(void)nm;
	if (n != NULL)
		((struct entry *)(void *)n)->used = 1;
}

void
names_sweep(struct names *nm, double mono)
{
	struct entry	**ep = &nm->entries, *e;

	while ((e = *ep) != NULL) {
		if (!e->used) {
			*ep = e->next;
			entry_free(e);
			continue;
		}
		e->used = 0;
		ep = &e->next;
	}
	nm->now = mono;
}
