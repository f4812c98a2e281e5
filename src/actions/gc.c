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
#include <time.h>
#include <unistd.h>

#include "actions/gc.h"
#include "actions/gc_target.h"
#include "actions/hotspot.h"
#include "actions/inspector.h"
#include "actions/netsock.h"
#include "actions/node_guard.h"
#include "analyse/detectors.h"
#include "collect/status.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/readfile.h"

void
gc_opts_default(struct gc_opts *o)
{
	o->open_timeout = 3;
	o->attach_timeout = 10;
	o->call_timeout = 10;
	o->gc_timeout = 30;
	o->watch = 120;
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
gc_runtime_name(enum gc_runtime rt)
{
	return rt == GC_RT_NODE ? "node" : rt == GC_RT_HOTSPOT ? "hotspot" :
	    NULL;
}

/* A JVM: privileges, its state, then HotSpot's own conditions. */
static const char *
check_jvm(const char *proc_root, int pid, const struct proc_status *st,
    const struct guard_caps *caps, char *buf, size_t len)
{
	const char	*why;

	if (!caps->root && st->uid != caps->uid)
		return "needs root (to signal and attach to another user's "
		    "JVM)";
	if ((why = guard_runnable(st, buf, len)) != NULL)
		return why;
	return hotspot_guard(st, hotspot_sock_exists(proc_root, pid,
	    st->nspid), hotspot_attach_disabled_read(proc_root, pid), buf, len);
}

const char *
gc_check_runtime(int pid, const char *proc_root, enum gc_runtime *rt,
    char *buf, size_t len)
{
	struct proc_status	 st;
	struct guard_caps	 caps;
	struct buf		 b;
	char			 argv0[256];
	const char		*name;
	int			 rc;

	if (rt != NULL)
		*rt = GC_RT_UNKNOWN;
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
	name = st.exe[0] != '\0' ? st.exe : argv0;
	/* a zombie has no maps: node_guard says what it is */
	if (!detect_node_name(name) && hotspot_is_jvm(proc_root, pid)) {
		if (rt != NULL)
			*rt = GC_RT_HOTSPOT;
		return check_jvm(proc_root, pid, &st, &caps, buf, len);
	}
	if (!detect_node_name(name) && st.state != 'Z' && st.state != 'X') {
		snprintf(buf, len, "not Node.js or a JVM (%s is %s): only Node "
		    "and HotSpot processes are collected", st.exe[0] != '\0' ?
		    "executable" : "argv[0]", name[0] != '\0' ? name : "?");
		return buf;
	}
	if (rt != NULL && detect_node_name(name))
		*rt = GC_RT_NODE;
	return node_guard(&st, argv0, &caps, buf, len);
}

const char *
gc_check(int pid, const char *proc_root, char *buf, size_t len)
{
	return gc_check_runtime(pid, proc_root, NULL, buf, len);
}

/* One GC's state in the child. */
struct run {
	int			 pid;
	const struct gc_opts	*o;
	const struct gc_sink	*sink;
	struct gc_result	*r;
	int			 pidfd;
	struct gc_inspect_spec	 spec;
	struct listen_set	 before;	/* listening before SIGUSR1 */
	struct listen_set	 now;
	struct listen_sock	 sock;		/* the inspector */
	char			 path[512];	/* its websocket path */
	bool			 found;
	int			 lock;		/* held while it runs */
	double			 t0, t_signal;
};

void
gc_say(const struct gc_sink *sink, const char *fmt, ...)
{
	char	line[320];
	va_list	ap;

	if (sink->progress == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	sink->progress(sink->arg, line);
}

static void
report(struct run *x)
{
	x->r->duration_ms = (clock_mono() - x->t0) * 1000;
	if (x->sink->result != NULL)
		x->sink->result(x->sink->arg, x->r);
}

/*
 * process.memoryUsage() and V8's heap limit through Runtime.evaluate.
 * require() exists in the inspector's command-line API (Node installs it
 * there), not in the global scope of every program: asked for with
 * includeCommandLineAPI, and the limit is left out if it still fails.
 */
#define GC_MEMORY_EXPR \
	"(() => { const m = process.memoryUsage(); try { m.heapSizeLimit = " \
	"require('v8').getHeapStatistics().heap_size_limit; } catch (e) {} " \
	"return JSON.stringify(m); })()"

static int
memory_usage(struct inspector *in, double timeout, struct v8_mem *v,
    char *err, size_t errlen)
{
	json_t		*p = json_object(), *r;

	memset(v, 0, sizeof *v);
	json_object_set_new(p, "expression",
	    json_string(GC_MEMORY_EXPR));
	json_object_set_new(p, "returnByValue", json_true());
	json_object_set_new(p, "includeCommandLineAPI", json_true());
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

static bool
gone(struct run *x)
{
	return gc_target_gone(x->o->proc_root, x->pid, x->pidfd);
}

/*
 * Looks once for a listening socket that was not there before the signal,
 * on the inspector's port (any port if Node was told port 0), on any
 * address, and asks it for /json/list. 1 found, 0 not yet, -1 it exited.
 */
static int
find_new(struct run *x, char *err, size_t errlen)
{
	size_t	i;
	int	n;

	n = netsock_listening(x->o->proc_root, x->pid, &x->now);
	if (n < 0)
		return gone(x) ? -1 : 0;
	for (i = 0; i < x->now.n; i++) {
		const struct listen_sock *s = &x->now.v[i];

		if (netsock_find(&x->before, s->inode) != NULL ||
		    (x->spec.port != 0 && s->port != x->spec.port))
			continue;
		if (inspector_probe(s, clock_mono() + 1, x->path,
		    sizeof x->path, err, errlen) == 0) {
			x->sock = *s;
			x->found = true;
			return 1;
		}
	}
	return 0;
}

/* Waits for the inspector SIGUSR1 opens, until the deadline or a cancel. */
static int
wait_new(struct run *x, double deadline, char *err, size_t errlen)
{
	int	rc;

	while (!inspector_cancelled && clock_mono() < deadline) {
		rc = find_new(x, err, errlen);
		if (rc != 0)
			return rc;
		/* Node listens ~25 ms after the signal: poll fast, then slower */
		usleep(clock_mono() - x->t_signal < 1 ? 10000 : 100000);
	}
	return 0;
}

static void
note_sock(struct run *x)
{
	x->r->port = x->sock.port;
	netsock_text(&x->sock, x->r->addr, sizeof x->r->addr);
}

/*
 * Asks the inspector memtop opened to close (process._debugEnd()) and
 * checks that its socket went away within 2 s.
 */
/*
 * Whether any socket of the target's network namespace still listens on
 * the inspector's address and port (whoever holds it): the whole tcp
 * tables, so a
 * process fd list read while it changes cannot make a listener look gone.
 * -1 if the tables cannot be read.
 */
static int
port_still_listening(struct run *x)
{
	static const char *const tabs[2] = { "tcp", "tcp6" };
	struct listen_set	 set;
	struct buf		 b;
	char			 path[4200];
	size_t			 i, t;
	int			 found = 0, ok = 0;

	netsock_set_init(&set);
	buf_init(&b);
	for (t = 0; t < 2; t++) {
		snprintf(path, sizeof path, "%s/%d/net/%s", x->o->proc_root,
		    x->pid, tabs[t]);
		if (read_file(path, &b, 0) != 0)
			continue;
		ok++;
		netsock_parse(b.data, b.len, t == 1, &set);
	}
	for (i = 0; i < set.n; i++)
		found |= set.v[i].port == x->sock.port &&
		    set.v[i].v6 == x->sock.v6 && memcmp(set.v[i].addr,
		    x->sock.addr, x->sock.v6 ? 16 : 4) == 0;
	buf_done(&b);
	netsock_set_done(&set);
	return ok == 0 ? -1 : found;
}

static bool
close_inspector(struct run *x, struct inspector *in)
{
	json_t			*p = json_object();
	struct inspector	*own = NULL;
	char			 err[128];
	double			 deadline = clock_mono() + 2;
	int			 n;

	if (in == NULL)
		in = own = inspector_open(&x->sock, x->path, clock_mono() + 2,
		    err, sizeof err);
	json_object_set_new(p, "expression",
	    json_string("process._debugEnd()"));
	if (in != NULL)
		inspector_send(in, "Runtime.evaluate", p);
	json_decref(p);
	/* the session stays open until the socket goes: closed at once, its
	   teardown could reach Node before the main thread ran the call */
	while (clock_mono() < deadline) {
		n = netsock_listening(x->o->proc_root, x->pid, &x->now);
		/* gone, or its socket gone and nothing on its port any more */
		if ((n < 0 && gone(x)) || (n >= 0 && netsock_find(&x->now,
		    x->sock.inode) == NULL && port_still_listening(x) == 0)) {
			inspector_close(own);
			return true;
		}
		usleep(10000);
	}
	inspector_close(own);
	return false;
}

void
gc_measure(const char *proc_root, int pid, uint64_t *rss, uint64_t *pss_anon)
{
	*rss = proc_kb_field(proc_root, pid, "status", "VmRSS");
	*pss_anon = proc_kb_field(proc_root, pid, "smaps_rollup", "Pss_Anon");
}

static int
enter_netns(struct run *x)
{
	char	path[4200];
	int	fd;

	snprintf(path, sizeof path, "%s/%d/ns/net", x->o->proc_root, x->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		gc_result_error(x->r, "open %.200s: %s", path, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) == -1) {
		gc_result_error(x->r, "setns into its network namespace: %s%s",
		    strerror(errno), errno == EPERM ? " (needs CAP_SYS_ADMIN)" :
		    "");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * An inspector that is already listening: a socket of the process on
 * Node's inspector port that answers /json/list. No other port is asked.
 * 1 found, 0 none, -1 the port is taken by something else (refused).
 */
static int
find_open(struct run *x)
{
	char	err[128];
	size_t	i;

	if (x->spec.port == 0)
		return 0;
	for (i = 0; i < x->before.n; i++) {
		if (x->before.v[i].port != x->spec.port)
			continue;
		if (inspector_probe(&x->before.v[i], clock_mono() + 1,
		    x->path, sizeof x->path, err, sizeof err) == 0) {
			x->sock = x->before.v[i];
			x->found = true;
			return 1;
		}
		gc_result_error(x->r, "refused: it listens on port %d, Node's "
		    "inspector port, but that is not an inspector (%s): "
		    "SIGUSR1 could not open one", x->spec.port, err);
		return -1;
	}
	return 0;
}

/* Checks, the signal, and the wait for the inspector. 0 found, -1 not. */
static int
open_inspector(struct run *x)
{
	char		 why[256], err[128] = "";
	const char	*refuse;
	int		 rc, lo;

	rc = find_open(x);
	if (rc != 0) {
		x->r->inspector_was_open = rc == 1;
		return rc == 1 ? 0 : -1;
	}
	lo = gc_target_lo_up();
	if (lo == 0 && gc_target_needs_lo(&x->spec)) {
		gc_result_error(x->r, "refused: loopback is down in its netns "
		    "%s: its inspector (%s:%d) would be unreachable. To GC "
		    "anyway: nsenter -t %d -n ip link set lo up, or start node "
		    "with --inspect-port=ADDR:PORT", x->r->netns, x->spec.host,
		    x->spec.port, x->pid);
		return -1;
	}
	if (inspector_cancelled) {
		x->r->cancelled = true;
		gc_result_error(x->r, "cancelled before SIGUSR1: nothing was "
		    "sent");
		return -1;
	}
	/* checked again right before the signal: never kill it */
	refuse = gc_check(x->pid, x->o->proc_root, why, sizeof why);
	if (refuse != NULL) {
		gc_result_error(x->r, "refused: %s", refuse);
		return -1;
	}
	gc_say(x->sink, "pid %d: SIGUSR1, waiting for its inspector", x->pid);
	x->r->signalled = true;
	x->t_signal = clock_mono();
	rc = gc_target_signal(x->pidfd, x->pid, SIGUSR1);
	if (rc != 0) {
		x->r->signalled = false;
		gc_result_error(x->r, "SIGUSR1: %s", strerror(-rc));
		return -1;
	}
	rc = wait_new(x, x->t_signal + x->o->open_timeout, err, sizeof err);
	if (rc == 1)
		return 0;
	if (rc == -1) {
		x->r->target_exited = true;
		gc_result_error(x->r, "pid %d exited during the GC", x->pid);
	} else if (inspector_cancelled) {
		x->r->cancelled = true;
		gc_result_error(x->r, "cancelled while waiting for its "
		    "inspector");
	} else
		gc_result_error(x->r, "no inspector within %.0f s (main thread "
		    "blocked or busy, or the app handles SIGUSR1 itself)%s%s",
		    x->o->open_timeout, err[0] ? ": " : "", err);
	return -1;
}

/* The collection itself, on the inspector found. */
static void
collect(struct run *x, struct inspector **inp)
{
	struct gc_result	*r = x->r;
	json_t			*res;

	gc_say(x->sink, "pid %d: inspector on %s, connecting", x->pid, r->addr);
	*inp = inspector_open(&x->sock, x->path, clock_mono() +
	    x->o->call_timeout, r->error, sizeof r->error);
	if (*inp == NULL || memory_usage(*inp, x->o->call_timeout,
	    &r->v8_before, r->error, sizeof r->error) != 0)
		return;
	gc_say(x->sink, "pid %d: collecting garbage", x->pid);
	res = inspector_call(*inp, "HeapProfiler.collectGarbage", NULL,
	    clock_mono() + x->o->gc_timeout, r->error, sizeof r->error);
	if (res == NULL)
		return;
	json_decref(res);
	usleep((useconds_t)(x->o->settle * 1e6));
	if (memory_usage(*inp, x->o->call_timeout, &r->v8_after, r->error,
	    sizeof r->error) != 0)
		return;
	r->ok = true;
	snprintf(r->note, sizeof r->note, "main thread only: worker threads "
	    "have their own heaps and were not collected");
}

/* Says where the user sees it that an inspector could not be closed. */
static void
alarm_user(struct run *x, bool pipe_ok)
{
	log_warn("memtop gc: %s", x->r->closer);
	if (!pipe_ok)
		fprintf(stderr, "memtop: %s\n", x->r->closer);
}

/*
 * Close only: memtop sent SIGUSR1 and what it may open is not closed yet.
 * Until open_timeout + watch after the signal, whatever happens to the
 * GC or the parent: find the new listener and close it.
 */
static void
watch_and_close(struct run *x, bool (*pipe_ok)(void *))
{
	struct gc_result	*r = x->r;
	double			 deadline = x->t_signal + x->o->open_timeout +
				    x->o->watch;
	char			 err[128];
	int			 rc;

	r->watching = true;
	gc_say(x->sink, "pid %d: watching up to %.0f s to close the inspector "
	    "SIGUSR1 may still open", x->pid, deadline - clock_mono());
	report(x);
	while (clock_mono() < deadline && !r->inspector_closed) {
		inspector_cancelled = 0;	/* a cancel does not stop this */
		if (gone(x)) {
			r->target_exited = true;
			r->inspector_closed = true;
			snprintf(r->closer, sizeof r->closer, "pid %d exited: "
			    "nothing left listening", x->pid);
			break;
		}
		rc = x->found ? 1 : find_new(x, err, sizeof err);
		if (rc == 1) {
			note_sock(x);
			r->inspector_closed = close_inspector(x, NULL);
			if (r->inspector_closed)
				snprintf(r->closer, sizeof r->closer, "the "
				    "inspector opened on %s after %.1f s and "
				    "memtop closed it", r->addr,
				    clock_mono() - x->t_signal);
		}
		if (!r->inspector_closed)
			usleep(clock_mono() - x->t_signal < 5 ? 20000 :
			    100000);
	}
	r->watching = false;
	if (!r->inspector_closed && x->found)
		snprintf(r->closer, sizeof r->closer, "could NOT close the "
		    "inspector memtop opened in pid %d (netns %s) on %s: its "
		    "main thread stayed blocked for %.0f s; run memtop gc %d "
		    "again later to close it", x->pid, r->netns, r->addr,
		    x->o->open_timeout + x->o->watch, x->pid);
	else if (!r->inspector_closed)
		snprintf(r->closer, sizeof r->closer, "no inspector opened in "
		    "pid %d (netns %s) within %.0f s of SIGUSR1; if one opens "
		    "later (port %d) it stays open: check with nsenter -t %d "
		    "-n ss -ltn", x->pid, r->netns, x->o->open_timeout +
		    x->o->watch, x->spec.port, x->pid);
	if (r->inspector_closed && !r->ok && r->error[0] == '\0')
		snprintf(r->error, sizeof r->error, "%.250s", r->closer);
	if (!r->inspector_closed)
		alarm_user(x, pipe_ok(x->sink->arg));
	report(x);
}

static bool
pipe_fine(void *arg)
{
	(void)arg;
	return true;
}

static void
run(struct run *x, bool (*pipe_ok)(void *))
{
	struct gc_result	*r = x->r;
	struct inspector	*in = NULL;
	char			 why[512];
	const char		*refuse;
	unsigned long long	 now_start;
	int			 rc;

	/* the process as it is now: a reused pid is another process */
	x->pidfd = gc_target_pidfd(x->pid);
	now_start = gc_target_start(x->o->proc_root, x->pid);
	if (r->start != 0 && now_start != 0 && now_start != r->start) {
		gc_result_error(x->r, "refused: pid %d is another process now "
		    "(restarted)", x->pid);
		goto done;
	}
	if (r->start == 0)
		r->start = now_start;
	refuse = gc_check_runtime(x->pid, x->o->proc_root, &r->runtime, why,
	    sizeof why);
	if (refuse != NULL) {
		gc_result_error(x->r, "refused: %s", refuse);
		goto done;
	}
	x->lock = gc_target_lock(x->pid, r->start);
	if (x->lock == -1) {
		gc_result_error(x->r, "refused: a GC of pid %d is running "
		    "(another memtop); try again when it has ended", x->pid);
		goto done;
	}
	gc_target_netns(x->o->proc_root, x->pid, r->netns, sizeof r->netns);
	gc_measure(x->o->proc_root, x->pid, &r->rss_before,
	    &r->pss_anon_before);
	if (r->runtime == GC_RT_HOTSPOT) {
		/* no inspector, no network: its attach socket */
		hotspot_collect(x->pid, x->pidfd, x->o, x->sink, r);
		goto done;
	}
	/* the inspector's libraries first: without them nothing is sent */
	if (inspector_lib_load(why, sizeof why) != 0) {
		gc_result_error(x->r, "refused: %s; nothing was sent", why);
		goto done;
	}
	gc_target_spec_read(x->o->proc_root, x->pid, &x->spec);
	rc = netsock_listening(x->o->proc_root, x->pid, &x->before);
	if (rc < 0) {
		gc_result_error(x->r, "cannot read its sockets: %s", gone(x) ?
		    "it exited" : strerror(-rc));
		goto done;
	}
	if (enter_netns(x) != 0 || open_inspector(x) != 0)
		goto close;
	note_sock(x);
	collect(x, &in);
close:
	if (gone(x) && !r->ok) {
		r->target_exited = true;
		gc_result_error(x->r, "pid %d exited during the GC", x->pid);
	}
	if (inspector_cancelled && !r->ok && !r->target_exited) {
		r->cancelled = true;
		if (strstr(r->error, "cancelled") == NULL)
			gc_result_error(x->r, "cancelled");
	}
	if (r->signalled && x->found && !r->target_exited)
		r->inspector_closed = close_inspector(x, in);
	else if (r->signalled && r->target_exited)
		r->inspector_closed = true;
	inspector_close(in);
	if (r->signalled && !r->inspector_closed) {
		watch_and_close(x, pipe_ok);
		return;
	}
	if (r->ok)
		gc_measure(x->o->proc_root, x->pid, &r->rss_after,
		    &r->pss_anon_after);
done:
	report(x);
}

/* One run with its state; returns whether it collected. */
static bool
run_once(int pid, unsigned long long start, const struct gc_opts *o,
    const struct gc_sink *sink, bool (*pipe_ok)(void *))
{
	struct gc_result	r;
	struct run		x;

	memset(&x, 0, sizeof x);
	gc_result_init(&r, pid, start);
	x.pid = pid;
	x.o = o;
	x.sink = sink;
	x.r = &r;
	x.pidfd = x.lock = -1;
	x.t0 = clock_mono();
	netsock_set_init(&x.before);
	netsock_set_init(&x.now);
	run(&x, pipe_ok);
	netsock_set_done(&x.before);
	netsock_set_done(&x.now);
	if (x.pidfd != -1)
		close(x.pidfd);
	if (x.lock >= 0)
		close(x.lock);
	return r.ok;
}

void
gc_run(int pid, unsigned long long start, const struct gc_opts *o,
    const struct gc_sink *sink)
{
	run_once(pid, start, o, sink, pipe_fine);
}

/* The child: lines to the pipe while the parent reads it. */
struct child {
	int	fd;
	bool	pipe_ok;
	pid_t	parent;
};

static void
child_line(struct child *c, const char *key, json_t *v)
{
	json_t	*o = json_object();
	char	*s;

	json_object_set_new(o, key, v);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		return;
	if (c->pipe_ok && dprintf(c->fd, "%s\n", s) < 0)
		c->pipe_ok = false;	/* the parent is gone */
	free(s);
}

static void
child_progress(void *arg, const char *line)
{
	child_line(arg, "progress", json_string(line));
}

static void
child_result(void *arg, const struct gc_result *r)
{
	child_line(arg, "result", gc_result_json(r));
}

static bool
child_pipe_ok(void *arg)
{
	struct child	*c = arg;

	/* the parent may be gone without a write having failed yet */
	return c->pipe_ok && getppid() == c->parent;
}

static void
on_term(int sig)
{
	(void)sig;
	inspector_cancelled = 1;
}

void
gc_child(int pid, unsigned long long start, const struct gc_opts *o, int fd)
{
	struct child		c = { fd, true, getppid() };
	struct gc_sink		sink = { child_progress, child_result, &c };
	struct sigaction	sa;
	sigset_t		none;

	/* out of the terminal's session: no SIGHUP, no Ctrl-C */
	setsid();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* the parent's death is a cancel too (also when it was SIGKILLed) */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != c.parent)
		on_term(SIGTERM);
	_exit(run_once(pid, start, o, &sink, child_pipe_ok) ? 0 : 1);
}
