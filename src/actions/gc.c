#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "actions/gc.h"
#include "actions/inspector.h"
#include "actions/netsock.h"
#include "actions/node_guard.h"
#include "collect/status.h"
#include "util/clock.h"
#include "util/jsonu.h"
#include "util/readfile.h"

void
gc_opts_default(struct gc_opts *o)
{
	o->open_timeout = 3;
	o->call_timeout = 10;
	o->gc_timeout = 30;
	o->watch = 30;
	o->settle = 0.5;
	o->proc_root = "/proc";
}

static void
argv0_of(const char *proc_root, int pid, char *out, size_t len)
{
	char		path[4200];
	struct buf	b;
	const char	*s;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/%d/cmdline", proc_root, pid);
	buf_init(&b);
	if (read_file(path, &b, 4096) == 0 && b.len > 0) {
		s = strrchr(b.data, '/');	/* argv[0] ends at the first NUL */
		s = s != NULL && s < b.data + strlen(b.data) ? s + 1 : b.data;
		snprintf(out, len, "%s", s);
	}
	buf_done(&b);
}

const char *
gc_check(int pid, const char *proc_root, char *buf, size_t len)
{
	struct proc_status	st;
	struct guard_caps	caps;
	struct buf		b;
	char			argv0[256];
	int			rc;

	rc = status_read(proc_root, pid, &st);
	if (rc != 0) {
		snprintf(buf, len, "pid %d: %s", pid, rc == -ENOENT ?
		    "no such process" : strerror(-rc));
		return buf;
	}
	buf_init(&b);
	if (read_file("/proc/self/status", &b, 1 << 16) == 0)
		guard_caps_parse(b.data, b.len, geteuid(), &caps);
	else
		guard_caps_parse("", 0, geteuid(), &caps);
	buf_done(&b);
	argv0_of(proc_root, pid, argv0, sizeof argv0);
	return node_guard(&st, argv0, &caps, buf, len);
}

int64_t
gc_outside_v8(const struct v8_mem *v)
{
	uint64_t	in;

	if (!v->ok)
		return -1;
	in = v->heap_total + v->external + v->array_buffers;
	return v->rss > in ? (int64_t)(v->rss - in) : 0;
}

static void
say(void (*progress)(void *, const char *), void *arg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(void (*progress)(void *, const char *), void *arg, const char *fmt, ...)
{
	char	line[256];
	va_list	ap;

	if (progress == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	progress(arg, line);
}

/* process.memoryUsage() through Runtime.evaluate. */
static int
memory_usage(struct inspector *in, double timeout, struct v8_mem *v,
    char *err, size_t errlen)
{
	json_t		*p = json_object(), *r;

	memset(v, 0, sizeof *v);
	json_object_set_new(p, "expression",
	    json_string("JSON.stringify(process.memoryUsage())"));
	json_object_set_new(p, "returnByValue", json_true());
	r = inspector_call(in, "Runtime.evaluate", p, clock_mono() + timeout,
	    err, errlen);
	json_decref(p);
	if (r == NULL)
		return -1;
	if (gc_parse_memory_usage(r, v) != 0) {
		snprintf(err, errlen, "memoryUsage(): unexpected answer");
		json_decref(r);
		return -1;
	}
	json_decref(r);
	return 0;
}

static uint64_t
nonneg(json_t *m, const char *k, bool *ok)
{
	json_t	*v = json_object_get(m, k);

	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		*ok = false;
		return 0;
	}
	return (uint64_t)json_integer_value(v);
}

int
gc_parse_memory_usage(json_t *result, struct v8_mem *v)
{
	json_t		*val, *m;
	json_error_t	 je;
	bool		 ok = true;

	memset(v, 0, sizeof *v);
	val = json_object_get(json_object_get(result, "result"), "value");
	m = json_is_string(val) ? json_loads(json_string_value(val), 0, &je) :
	    NULL;
	if (!json_is_object(m)) {
		json_decref(m);
		return -1;
	}
	v->rss = nonneg(m, "rss", &ok);
	v->heap_total = nonneg(m, "heapTotal", &ok);
	v->heap_used = nonneg(m, "heapUsed", &ok);
	v->external = nonneg(m, "external", &ok);
	v->array_buffers = nonneg(m, "arrayBuffers", &ok);
	json_decref(m);
	v->ok = ok && v->rss > 0;
	return v->ok ? 0 : -1;
}

static bool
has_inode(const struct listen_sock *v, int n, uint64_t ino)
{
	int	i;

	for (i = 0; i < n; i++) {
		if (v[i].inode == ino)
			return true;
	}
	return false;
}

/*
 * Waits for a listening socket that was not in before[] and answers
 * /json/list; fills sock and path. 0 found, -1 not by the deadline.
 */
static int
wait_new_inspector(int pid, const struct gc_opts *o,
    const struct listen_sock *before, int nbefore, double deadline,
    struct listen_sock *sock, char *path, size_t pathlen)
{
	struct listen_sock	now[LISTEN_MAX];
	char			err[128];
	int			n, i;
	double			start = clock_mono();

	while (!inspector_cancelled && clock_mono() < deadline) {
		n = netsock_listening(o->proc_root, pid, now, LISTEN_MAX);
		if (n < 0)
			return -1;	/* it exited */
		for (i = 0; i < n; i++) {
			if (has_inode(before, nbefore, now[i].inode) ||
			    !netsock_local(&now[i]))
				continue;
			if (inspector_probe(&now[i], clock_mono() + 1, path,
			    pathlen, err, sizeof err) == 0) {
				*sock = now[i];
				return 0;
			}
		}
		/* Node listens ~25 ms after the signal: poll fast, then slower */
		usleep(clock_mono() - start < 1 ? 10000 : 100000);
	}
	return -1;
}

/* Closes an inspector memtop opened, and checks that its port went away. */
static bool
close_inspector(int pid, const struct gc_opts *o, struct inspector *in,
    const struct listen_sock *sock, const char *path)
{
	json_t			*p = json_object();
	struct listen_sock	 now[LISTEN_MAX];
	struct inspector	*own = NULL;
	char			 err[128];
	double			 deadline = clock_mono() + 2;
	int			 n;

	if (in == NULL)
		in = own = inspector_open(sock, path, clock_mono() + 2, err,
		    sizeof err);
	json_object_set_new(p, "expression",
	    json_string("process._debugEnd()"));
	if (in != NULL)
		inspector_send(in, "Runtime.evaluate", p);
	json_decref(p);
	inspector_close(own);
	while (clock_mono() < deadline) {
		n = netsock_listening(o->proc_root, pid, now, LISTEN_MAX);
		if (n < 0 || !has_inode(now, n, sock->inode))
			return true;
		usleep(10000);
	}
	return false;
}

static void
measure(int pid, const struct gc_opts *o, uint64_t *rss, uint64_t *pss_anon)
{
	*rss = proc_kb_field(o->proc_root, pid, "status", "VmRSS");
	*pss_anon = proc_kb_field(o->proc_root, pid, "smaps_rollup",
	    "Pss_Anon");
}

static int
enter_netns(int pid, const struct gc_opts *o, char *err, size_t errlen)
{
	char	path[4200];
	int	fd;

	snprintf(path, sizeof path, "%s/%d/ns/net", o->proc_root, pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		snprintf(err, errlen, "open %.200s: %s", path, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) == -1) {
		snprintf(err, errlen, "setns into its network namespace: %s%s",
		    strerror(errno), errno == EPERM ? " (needs CAP_SYS_ADMIN)" :
		    "");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

void
gc_run(int pid, const struct gc_opts *o, struct gc_result *r,
    void (*progress)(void *, const char *), void *arg)
{
	struct listen_sock	 before[LISTEN_MAX], sock;
	struct inspector	*in = NULL;
	char			 path[512], err[256], why[256];
	const char		*refuse;
	double			 t0 = clock_mono();
	int			 nbefore, i;
	bool			 opened = false, found = false;
	json_t			*res;

	memset(r, 0, sizeof *r);
	r->pid = pid;
	r->rss_before = r->rss_after = UINT64_MAX;
	r->pss_anon_before = r->pss_anon_after = UINT64_MAX;
	refuse = gc_check(pid, o->proc_root, why, sizeof why);
	if (refuse != NULL) {
		snprintf(r->error, sizeof r->error, "refused: %s", refuse);
		goto done;
	}
	measure(pid, o, &r->rss_before, &r->pss_anon_before);
	nbefore = netsock_listening(o->proc_root, pid, before, LISTEN_MAX);
	if (nbefore < 0) {
		snprintf(r->error, sizeof r->error, "cannot read its sockets: "
		    "%s", strerror(-nbefore));
		goto done;
	}
	if (enter_netns(pid, o, r->error, sizeof r->error) != 0)
		goto done;
	/* an inspector that is already open is used, and left open */
	for (i = 0; i < nbefore && !found; i++) {
		if (netsock_local(&before[i]) && inspector_probe(&before[i],
		    clock_mono() + 0.5, path, sizeof path, err,
		    sizeof err) == 0) {
			sock = before[i];
			found = true;
			r->inspector_was_open = true;
		}
	}
	if (!found) {
		say(progress, arg, "pid %d: SIGUSR1, waiting for its inspector",
		    pid);
		/* checked again right before the signal: never kill it */
		refuse = gc_check(pid, o->proc_root, why, sizeof why);
		if (refuse != NULL) {
			snprintf(r->error, sizeof r->error, "refused: %s",
			    refuse);
			goto done;
		}
		if (kill(pid, SIGUSR1) == -1) {
			snprintf(r->error, sizeof r->error, "SIGUSR1: %s",
			    strerror(errno));
			goto done;
		}
		opened = true;
		if (wait_new_inspector(pid, o, before, nbefore, clock_mono() +
		    o->open_timeout, &sock, path, sizeof path) == 0)
			found = true;
	}
	if (!found) {
		say(progress, arg, "pid %d: no inspector after %.0f s; watching "
		    "%.0f s more to close it if it opens", pid, o->open_timeout,
		    o->watch);
		if (wait_new_inspector(pid, o, before, nbefore, clock_mono() +
		    o->watch, &sock, path, sizeof path) == 0) {
			r->port = sock.port;
			r->inspector_closed = close_inspector(pid, o, NULL,
			    &sock, path);
			snprintf(r->error, sizeof r->error, "the inspector "
			    "opened only after %.0f s (main thread busy or "
			    "blocked); %s it without collecting",
			    clock_mono() - t0, r->inspector_closed ?
			    "closed" : "could NOT close");
		} else
			snprintf(r->error, sizeof r->error, "no inspector "
			    "within %.0f s (a process.on('SIGUSR1') handler, or "
			    "its port is taken); if one opens later it stays "
			    "open", o->open_timeout + o->watch);
		goto done;
	}
	r->port = sock.port;
	say(progress, arg, "pid %d: inspector on port %u, connecting", pid,
	    sock.port);
	in = inspector_open(&sock, path, clock_mono() + o->call_timeout,
	    r->error, sizeof r->error);
	if (in == NULL)
		goto close;
	if (memory_usage(in, o->call_timeout, &r->v8_before, r->error,
	    sizeof r->error) != 0)
		goto close;
	say(progress, arg, "pid %d: collecting garbage", pid);
	res = inspector_call(in, "HeapProfiler.collectGarbage", NULL,
	    clock_mono() + o->gc_timeout, r->error, sizeof r->error);
	if (res == NULL)
		goto close;
	json_decref(res);
	usleep((useconds_t)(o->settle * 1e6));
	if (memory_usage(in, o->call_timeout, &r->v8_after, r->error,
	    sizeof r->error) != 0)
		goto close;
	r->ok = true;
	snprintf(r->note, sizeof r->note, "main thread only: worker threads "
	    "have their own heaps and were not collected");
close:
	if (opened) {
		r->inspector_closed = close_inspector(pid, o, in, &sock, path);
		if (!r->inspector_closed) {
			size_t	l = strlen(r->error);

			snprintf(r->error + l, sizeof r->error - l, "%sthe "
			    "inspector memtop opened is still listening on "
			    "port %u", l ? "; " : "", sock.port);
			r->ok = false;
		}
	}
	inspector_close(in);
	if (r->ok)
		measure(pid, o, &r->rss_after, &r->pss_anon_after);
done:
	r->duration_ms = (clock_mono() - t0) * 1000;
}

static void
on_term(int sig)
{
	(void)sig;
	inspector_cancelled = 1;
}

static void
child_progress(void *arg, const char *line)
{
	int	 fd = *(int *)arg;
	json_t	*o = json_object();
	char	*s;

	json_object_set_new(o, "progress", json_string(line));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s != NULL) {
		dprintf(fd, "%s\n", s);
		free(s);
	}
}

pid_t
gc_start(int pid, const struct gc_opts *o, int *fd, char *err, size_t errlen)
{
	int	p[2];
	pid_t	child;

	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	child = fork();
	if (child == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (child == 0) {
		struct gc_result	 r;
		struct sigaction	 sa;
		json_t			*o2 = json_object();
		char			*s;

		close(p[0]);
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_term;
		sigaction(SIGTERM, &sa, NULL);
		signal(SIGINT, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		gc_run(pid, o, &r, child_progress, &p[1]);
		json_object_set_new(o2, "result", gc_result_json(&r));
		s = json_dumps(o2, JSON_COMPACT);
		json_decref(o2);
		if (s != NULL)
			dprintf(p[1], "%s\n", s);
		_exit(r.ok ? 0 : 1);
	}
	close(p[1]);
	*fd = p[0];
	return child;
}

static json_t *
v8_json(const struct v8_mem *v)
{
	json_t	*o;

	if (!v->ok)
		return json_null();
	o = json_object();
	json_object_set_new(o, "heapTotal", json_u64(v->heap_total));
	json_object_set_new(o, "heapUsed", json_u64(v->heap_used));
	json_object_set_new(o, "external", json_u64(v->external));
	json_object_set_new(o, "arrayBuffers", json_u64(v->array_buffers));
	json_object_set_new(o, "rss", json_u64(v->rss));
	return o;
}

json_t *
gc_result_json(const struct gc_result *r)
{
	json_t	*o = json_object();
	int64_t	 ob = gc_outside_v8(&r->v8_before);
	int64_t	 oa = gc_outside_v8(&r->v8_after);

	json_object_set_new(o, "pid", json_integer(r->pid));
	json_object_set_new(o, "ok", json_boolean(r->ok));
	json_object_set_new(o, "error", r->error[0] ? json_string(r->error) :
	    json_null());
	json_object_set_new(o, "rss_before", json_u64(r->rss_before));
	json_object_set_new(o, "rss_after", json_u64(r->rss_after));
	json_object_set_new(o, "pss_anon_before", json_u64(r->pss_anon_before));
	json_object_set_new(o, "pss_anon_after", json_u64(r->pss_anon_after));
	json_object_set_new(o, "v8_before", v8_json(&r->v8_before));
	json_object_set_new(o, "v8_after", v8_json(&r->v8_after));
	json_object_set_new(o, "outside_v8_before", ob < 0 ? json_null() :
	    json_integer(ob));
	json_object_set_new(o, "outside_v8_after", oa < 0 ? json_null() :
	    json_integer(oa));
	json_object_set_new(o, "inspector_was_open",
	    json_boolean(r->inspector_was_open));
	json_object_set_new(o, "inspector_closed",
	    json_boolean(r->inspector_closed));
	json_object_set_new(o, "port", r->port ? json_integer(r->port) :
	    json_null());
	json_object_set_new(o, "duration_ms", json_real(r->duration_ms));
	json_object_set_new(o, "note", r->note[0] ? json_string(r->note) :
	    json_null());
	return o;
}

static uint64_t
gu(json_t *o, const char *k)
{
	json_t	*v = json_object_get(o, k);

	return json_is_integer(v) ? (uint64_t)json_integer_value(v) :
	    UINT64_MAX;
}

static void
v8_from(json_t *o, struct v8_mem *v)
{
	memset(v, 0, sizeof *v);
	if (!json_is_object(o))
		return;
	v->heap_total = gu(o, "heapTotal");
	v->heap_used = gu(o, "heapUsed");
	v->external = gu(o, "external");
	v->array_buffers = gu(o, "arrayBuffers");
	v->rss = gu(o, "rss");
	v->ok = true;
}

int
gc_result_from_json(json_t *o, struct gc_result *r)
{
	json_t	*e;

	memset(r, 0, sizeof *r);
	if (!json_is_object(o))
		return -1;
	r->pid = (int)json_integer_value(json_object_get(o, "pid"));
	r->ok = json_is_true(json_object_get(o, "ok"));
	e = json_object_get(o, "error");
	if (json_is_string(e))
		snprintf(r->error, sizeof r->error, "%s", json_string_value(e));
	e = json_object_get(o, "note");
	if (json_is_string(e))
		snprintf(r->note, sizeof r->note, "%s", json_string_value(e));
	r->rss_before = gu(o, "rss_before");
	r->rss_after = gu(o, "rss_after");
	r->pss_anon_before = gu(o, "pss_anon_before");
	r->pss_anon_after = gu(o, "pss_anon_after");
	v8_from(json_object_get(o, "v8_before"), &r->v8_before);
	v8_from(json_object_get(o, "v8_after"), &r->v8_after);
	r->inspector_was_open = json_is_true(json_object_get(o,
	    "inspector_was_open"));
	r->inspector_closed = json_is_true(json_object_get(o,
	    "inspector_closed"));
	r->port = (int)json_integer_value(json_object_get(o, "port"));
	r->duration_ms = json_real_value(json_object_get(o, "duration_ms"));
	return 0;
}
