/*
 * HotSpot's attach mechanism on Linux, from the host into a container, as
 * jcmd speaks it: a unix socket /tmp/.java_pid<NSpid> in the JVM's root
 * (reached through /proc/PID/root, whatever mount namespace it is in);
 * when it is not there, a trigger file .attach_pid<NSpid> in its cwd (or
 * /tmp) and SIGQUIT make HotSpot start its attach listener. A request is
 * "1\0jcmd\0<command>\0\0\0", the reply "<rc>\n<output>" up to EOF, one
 * connection per command. HotSpot accepts a peer with its own effective
 * uid and gid (or its root), so the child becomes the JVM's user before it
 * connects. Runs in the GC's child (gc.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "actions/gc.h"
#include "actions/gc_target.h"
#include "actions/hotspot.h"
#include "actions/inspector.h"
#include "collect/status.h"
#include "util/clock.h"
#include "util/readfile.h"

#define HS_REPLY_MAX	(1 << 20)	/* a longer reply is cut there */
#define HS_SETTLE_MAX	5.0		/* RSS settling, at most (s) */
#define HS_SETTLE_STEP	(1ULL << 20)	/* a fall that counts */

struct hs {
	int			 pid, nspid, pidfd;
	unsigned		 uid, gid;	/* its effective ones */
	const struct gc_opts	*o;
	const struct gc_sink	*sink;
	struct gc_result	*r;
	int			 tmpfd;		/* its /tmp, O_PATH */
	int			 trigdir;	/* memtop's trigger's */
	char			 sock[32];	/* ".java_pid<NSpid>" */
	char			 trig[32];	/* ".attach_pid<NSpid>" */
	const char		*trig_where;	/* "cwd", "/tmp" */
};

static bool
hs_gone(struct hs *h)
{
	return gc_target_gone(h->o->proc_root, h->pid, h->pidfd);
}

/* Its NSpid, effective uid (status) and effective gid (Gid:'s second). */
static int
hs_ids(struct hs *h)
{
	struct proc_status	 st;
	struct buf		 b;
	char			 path[4200];
	const char		*g;
	int			 rc;

	rc = status_read(h->o->proc_root, h->pid, &st);
	if (rc != 0) {
		gc_result_error(h->r, "pid %d: %s", h->pid, strerror(-rc));
		return -1;
	}
	h->nspid = st.nspid > 0 ? st.nspid : h->pid;
	h->uid = st.uid;
	buf_init(&b);
	snprintf(path, sizeof path, "%s/%d/status", h->o->proc_root, h->pid);
	rc = read_file(path, &b, 1 << 16);
	g = rc == 0 ? strstr(b.data, "\nGid:") : NULL;
	if (g == NULL || sscanf(g + 5, "%*u %u", &h->gid) != 1) {
		buf_done(&b);
		gc_result_error(h->r, "pid %d: cannot read its Gid", h->pid);
		return -1;
	}
	buf_done(&b);
	snprintf(h->sock, sizeof h->sock, ".java_pid%d", h->nspid);
	snprintf(h->trig, sizeof h->trig, ".attach_pid%d", h->nspid);
	return 0;
}

static int
hs_opendir(struct hs *h, const char *sub)
{
	char	path[4200];

	snprintf(path, sizeof path, "%s/%d/%s", h->o->proc_root, h->pid, sub);
	return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static bool
hs_sock_there(struct hs *h)
{
	struct stat	st;

	return fstatat(h->tmpfd, h->sock, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISSOCK(st.st_mode);
}

/*
 * The trigger file, owned by the JVM's user (HotSpot checks its owner), in
 * its cwd, else its /tmp. 0, or -1 with the error set.
 */
static int
hs_trigger(struct hs *h)
{
	int	dirs[2], fd = -1, i, e = 0;

	dirs[0] = hs_opendir(h, "cwd");
	dirs[1] = h->tmpfd;
	for (i = 0; i < 2 && fd == -1; i++) {
		if (dirs[i] == -1)
			continue;
		fd = openat(dirs[i], h->trig, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1)
			e = errno;
		else {
			h->trigdir = i == 0 ? dirs[0] : h->tmpfd;
			h->trig_where = i == 0 ? "its cwd" : "its /tmp";
		}
	}
	if (dirs[0] != -1 && h->trigdir != dirs[0])
		close(dirs[0]);
	if (fd == -1) {
		gc_result_error(h->r, "cannot create the attach trigger %s in "
		    "its cwd or /tmp: %s%s", h->trig, strerror(e), e == EEXIST ?
		    " (another attach is under way?)" : "");
		return -1;
	}
	if (fchown(fd, h->uid, h->gid) == -1) {
		e = errno;
		close(fd);
		gc_result_error(h->r, "chown of the attach trigger: %s",
		    strerror(e));
		return -1;
	}
	close(fd);
	return 0;
}

/* Removes memtop's trigger file (every path after hs_trigger). */
static void
hs_untrigger(struct hs *h)
{
	if (h->trigdir == -1)
		return;
	if (unlinkat(h->trigdir, h->trig, 0) == -1 && errno != ENOENT)
		snprintf(h->r->note, sizeof h->r->note, "could NOT remove the "
		    "attach trigger %s in %s: %s", h->trig, h->trig_where,
		    strerror(errno));
	if (h->trigdir != h->tmpfd)
		close(h->trigdir);
	h->trigdir = -1;
}

/* SIGQUIT with a trigger file, then the wait for the socket. */
static int
hs_start_listener(struct hs *h)
{
	struct proc_status	 st;
	char			 why[256];
	const char		*refuse;
	double			 t0, deadline;
	int			 rc;

	if (inspector_cancelled) {
		h->r->cancelled = true;
		gc_result_error(h->r, "cancelled before SIGQUIT: nothing was "
		    "sent");
		return -1;
	}
	/* checked again right before the signal: never kill it */
	rc = status_read(h->o->proc_root, h->pid, &st);
	refuse = rc != 0 ? "it exited" : hotspot_guard(&st, false,
	    hotspot_attach_disabled_read(h->o->proc_root, h->pid), why,
	    sizeof why);
	if (refuse == NULL && (st.state == 'T' || st.state == 't' ||
	    st.tracer_pid != 0))
		refuse = "it is stopped or traced";
	if (refuse != NULL) {
		gc_result_error(h->r, "refused: %s", refuse);
		return -1;
	}
	if (hs_trigger(h) != 0)
		return -1;
	gc_say(h->sink, "pid %d: SIGQUIT to start HotSpot's attach listener",
	    h->pid);
	t0 = clock_mono();
	deadline = t0 + h->o->attach_timeout;
	rc = gc_target_signal(h->pidfd, h->pid, SIGQUIT);
	if (rc != 0) {
		gc_result_error(h->r, "SIGQUIT: %s", strerror(-rc));
		goto out;
	}
	h->r->signalled = true;
	while (!hs_sock_there(h)) {
		if (hs_gone(h)) {
			h->r->target_exited = true;
			gc_result_error(h->r, "pid %d exited during the GC",
			    h->pid);
			rc = -1;
			goto out;
		}
		if (inspector_cancelled) {
			h->r->cancelled = true;
			gc_result_error(h->r, "cancelled while waiting for "
			    "HotSpot's attach socket");
			rc = -1;
			goto out;
		}
		if (clock_mono() > deadline) {
			gc_result_error(h->r, "no attach socket /tmp/%s within "
			    "%.0f s of SIGQUIT: its attach mechanism is off "
			    "(-XX:+DisableAttachMechanism set outside its "
			    "command line?) and SIGQUIT printed a thread dump "
			    "to its stdout, or it is hung", h->sock,
			    h->o->attach_timeout);
			rc = -1;
			goto out;
		}
		usleep(clock_mono() - t0 < 1 ? 20000 : 100000);
	}
	rc = 0;
out:
	hs_untrigger(h);
	return rc;
}

/* Becomes the JVM's user for good: HotSpot checks the peer's uid/gid. */
static int
hs_become(struct hs *h)
{
	if (h->uid == geteuid() && h->gid == getegid())
		return 0;
	if (setgroups(0, NULL) == -1 || setgid(h->gid) == -1 ||
	    setuid(h->uid) == -1) {
		gc_result_error(h->r, "cannot become its uid %u gid %u to "
		    "attach: %s", h->uid, h->gid, strerror(errno));
		return -1;
	}
	/* a change of credentials clears it: the parent's death cancels */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	return 0;
}

/* Waits for fd to be ready for ev until deadline. 0, or -1 (timeout). */
static int
hs_wait(int fd, short ev, double deadline)
{
	struct pollfd	p = { fd, ev, 0 };
	double		left;
	int		n;

	for (;;) {
		left = deadline - clock_mono();
		if (left <= 0)
			return -1;
		n = poll(&p, 1, (int)(left * 1000) + 1);
		if (n > 0)
			return 0;
		if (n == -1 && errno != EINTR)
			return -1;
	}
}

static int
hs_connect(struct hs *h, double deadline)
{
	struct sockaddr_un	sun;
	int			fd, e;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	/* through memtop's own fd of its /tmp: no path to look up as it */
	snprintf(sun.sun_path, sizeof sun.sun_path, "/proc/self/fd/%d/%s",
	    h->tmpfd, h->sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		gc_result_error(h->r, "socket: %s", strerror(errno));
		return -1;
	}
	while (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		e = errno;
		if ((e == EAGAIN || e == EINTR) && clock_mono() < deadline) {
			usleep(10000);	/* its backlog is full */
			continue;
		}
		close(fd);
		if (e == ECONNREFUSED)
			gc_result_error(h->r, "stale attach socket /tmp/%s in "
			    "its root: connection refused, no JVM listens on "
			    "it (left by a JVM that was killed); memtop leaves "
			    "it alone: remove it, then attach again", h->sock);
		else
			gc_result_error(h->r, "connect to its attach socket "
			    "/tmp/%s as uid %u gid %u: %s", h->sock, h->uid,
			    h->gid, strerror(e));
		return -1;
	}
	return fd;
}

/*
 * One diagnostic command: its output (after the status line) into out.
 * 0, or -1 with the error set.
 */
static int
hs_jcmd(struct hs *h, const char *cmd, double timeout, struct buf *out)
{
	char		 req[128], chunk[4096];
	const char	*body;
	double		 deadline = clock_mono() + timeout;
	size_t		 len, off = 0;
	ssize_t		 n;
	int		 fd, rc = -1, status;

	buf_reset(out);
	len = (size_t)snprintf(req, sizeof req, "1%cjcmd%c%s%c%c%c", 0, 0,
	    cmd, 0, 0, 0);
	if ((fd = hs_connect(h, deadline)) == -1)
		return -1;
	while (off < len) {
		if (hs_wait(fd, POLLOUT, deadline) != 0)
			goto timeout;
		n = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			gc_result_error(h->r, "%s: send: %s", cmd,
			    strerror(errno));
			goto done;
		}
		off += n > 0 ? (size_t)n : 0;
	}
	for (;;) {
		if (inspector_cancelled) {
			h->r->cancelled = true;
			gc_result_error(h->r, "cancelled during %s", cmd);
			goto done;
		}
		if (hs_wait(fd, POLLIN, deadline < clock_mono() + 0.2 ?
		    deadline : clock_mono() + 0.2) != 0) {
			if (clock_mono() >= deadline)
				goto timeout;
			continue;
		}
		n = read(fd, chunk, sizeof chunk);
		if (n == 0)
			break;
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			gc_result_error(h->r, "%s: read: %s", cmd,
			    strerror(errno));
			goto done;
		}
		if (n > 0 && out->len < HS_REPLY_MAX)
			buf_append(out, chunk, (size_t)n);
	}
	body = out->len > 0 ? hotspot_parse_reply(out->data, out->len,
	    &status) : NULL;
	if (body == NULL) {
		gc_result_error(h->r, "%s: not an attach reply (%zu bytes)",
		    cmd, out->len);
		goto done;
	}
	if (status != 0) {
		gc_result_error(h->r, "%s failed (status %d): %.*s", cmd,
		    status, (int)strcspn(body, "\n"), body);
		goto done;
	}
	len = (size_t)(body - out->data);
	memmove(out->data, body, out->len - len + 1);
	out->len -= len;
	rc = 0;
	goto done;
timeout:
	gc_result_error(h->r, "%s: no answer within %.0f s", cmd, timeout);
done:
	close(fd);
	return rc;
}

/*
 * RSS until it stops falling: G1 uncommits what the GC gave back
 * concurrently, late on a loaded machine. expect: what the heap gave back
 * (its committed bytes before - after); until RSS fell by half of that (at
 * most half of RSS), a quiet moment does not end the wait. Bounded.
 */
static void
hs_settle(struct hs *h, uint64_t expect)
{
	double		t0 = clock_mono(), last_fall = t0, now;
	uint64_t	first, low, rss;

	first = low = proc_kb_field(h->o->proc_root, h->pid, "status",
	    "VmRSS");
	if (first == UINT64_MAX)
		return;
	expect = (expect < first ? expect : first) / 2;
	for (;;) {
		now = clock_mono();
		if (now - t0 >= HS_SETTLE_MAX || inspector_cancelled ||
		    (now - t0 >= h->o->settle && now - last_fall >= 0.5 &&
		    first - low >= expect))
			break;
		usleep(100000);
		rss = proc_kb_field(h->o->proc_root, h->pid, "status",
		    "VmRSS");
		if (rss == UINT64_MAX)
			break;		/* it exited */
		if (rss + HS_SETTLE_STEP <= low) {
			low = rss;
			last_fall = clock_mono();
		}
	}
}

/* heap before, GC.run, heap after, settling, NMT after. */
static void
hs_gc(struct hs *h, struct buf *b)
{
	struct gc_result	*r = h->r;

	gc_say(h->sink, "pid %d: GC.heap_info through /tmp/%s", h->pid,
	    h->sock);
	if (hs_jcmd(h, "GC.heap_info", h->o->call_timeout, b) != 0)
		return;
	hotspot_parse_heap_info(b->data, b->len, &r->heap_before);
	gc_say(h->sink, "pid %d: GC.run (a full GC)", h->pid);
	if (hs_jcmd(h, "GC.run", h->o->gc_timeout, b) != 0)
		return;
	r->ok = true;
	if (hs_jcmd(h, "GC.heap_info", h->o->call_timeout, b) == 0)
		hotspot_parse_heap_info(b->data, b->len, &r->heap_after);
	gc_say(h->sink, "pid %d: waiting for its RSS to settle", h->pid);
	hs_settle(h, r->heap_before.ok && r->heap_after.ok &&
	    r->heap_before.committed > r->heap_after.committed ?
	    r->heap_before.committed - r->heap_after.committed : 0);
	if (hs_jcmd(h, "VM.native_memory summary", h->o->call_timeout, b) ==
	    0)
		hotspot_parse_nmt(b->data, b->len, &r->nmt);
	/* what the figures after could not read is unknown, not an error */
	r->error[0] = '\0';
}

void
hotspot_collect(int pid, int pidfd, const struct gc_opts *o,
    const struct gc_sink *sink, struct gc_result *r)
{
	struct hs	h;
	struct buf	b;

	memset(&h, 0, sizeof h);
	h.pid = pid;
	h.pidfd = pidfd;
	h.o = o;
	h.sink = sink;
	h.r = r;
	h.tmpfd = h.trigdir = -1;
	buf_init(&b);
	r->runtime = GC_RT_HOTSPOT;
	if (hs_ids(&h) != 0)
		goto done;
	h.tmpfd = hs_opendir(&h, "root/tmp");
	if (h.tmpfd == -1) {
		gc_result_error(r, "cannot open its /tmp (%s/%d/root/tmp): %s",
		    o->proc_root, pid, strerror(errno));
		goto done;
	}
	snprintf(r->addr, sizeof r->addr, "/tmp/%s", h.sock);
	r->inspector_was_open = hs_sock_there(&h);
	if (!r->inspector_was_open && hs_start_listener(&h) != 0)
		goto done;
	if (hs_become(&h) != 0)
		goto done;
	hs_gc(&h, &b);
	if (r->ok)
		gc_measure(o->proc_root, pid, &r->rss_after,
		    &r->pss_anon_after);
	if (r->note[0] == '\0' && r->signalled)
		snprintf(r->note, sizeof r->note, "trigger file %s removed "
		    "from %s; the attach listener is a unix socket only root "
		    "and the JVM's user can use", h.trig, h.trig_where);
done:
	if (hs_gone(&h) && !r->ok) {
		r->target_exited = true;
		gc_result_error(r, "pid %d exited during the GC", pid);
	}
	hs_untrigger(&h);
	if (h.tmpfd != -1)
		close(h.tmpfd);
	buf_done(&b);
}
