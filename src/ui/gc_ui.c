/*
 * The g key: choose the Node processes of the selected row, refuse what is
 * unsafe with a reason, ask, then collect them one after another in a child
 * while the dashboard keeps refreshing. Esc cancels (the child still closes
 * an inspector it opened).
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ui/ui_state.h"
#include "util/fmt.h"
#include "util/xmalloc.h"

static void
add_target(struct ui *u, const struct snap_proc *sp)
{
	u->gc_targets = xreallocarray(u->gc_targets, u->gc_ntargets + 1,
	    sizeof *u->gc_targets);
	u->gc_targets[u->gc_ntargets].pid = sp->pid;
	u->gc_targets[u->gc_ntargets].start = sp->start;
	u->gc_ntargets++;
}

static void
where(const struct ui_row *r, char *buf, size_t len)
{
	const struct tree_group	*g = r->g;

	if (g->pod != NULL)
		snprintf(buf, len, "%s/%s", g->namespace ? g->namespace : "?",
		    g->pod);
	else
		snprintf(buf, len, "%s", g->cgroup ? g->cgroup : "?");
}

static int
start_next(struct ui *u)
{
	struct gc_opts	o;
	char		err[256];

	if (u->gc_next >= u->gc_ntargets) {
		u->gc_ntargets = u->gc_next = 0;
		return UI_REDRAW;
	}
	gc_opts_default(&o);
	u->gc_pid = u->gc_targets[u->gc_next].pid;
	u->gc_start = u->gc_targets[u->gc_next].start;
	u->gc_next++;
	u->gc_child = gc_start(u->gc_pid, &o, &u->gc_fd, err, sizeof err);
	if (u->gc_child == -1) {
		u->gc_child = 0;
		u->gc_fd = -1;
		ui_status(u, true, "GC pid %d: %s", u->gc_pid, err);
		return UI_REDRAW;
	}
	buf_reset(&u->gc_buf);
	ui_status(u, false, "GC pid %d: starting (Esc cancels)", u->gc_pid);
	u->status_until += 3600;	/* progress stays until replaced */
	return UI_REDRAW;
}

int
ui_gc_key(struct ui *u)
{
	const struct ui_row	*r = ui_selected(u);
	char			 why[256], first_why[300] = "";
	const char		*refuse;
	size_t			 ci, pi, nc, checked = 0;

	if (u->gc_child != 0) {
		ui_status(u, true, "a GC is running (Esc cancels it)");
		return UI_REDRAW;
	}
	if (u->view != UI_VIEW_TREE || r == NULL)
		return 0;
	u->gc_ntargets = u->gc_next = 0;
	where(r, u->gc_where, sizeof u->gc_where);
	if (r->p != NULL) {
		if (r->p->gone) {
			ui_status(u, true, "pid %d has exited", r->p->sp->pid);
			return UI_REDRAW;
		}
		refuse = gc_check(r->p->sp->pid, "/proc", why, sizeof why);
		if (refuse != NULL) {
			ui_status(u, true, "GC pid %d refused: %s",
			    r->p->sp->pid, refuse);
			return UI_REDRAW;
		}
		add_target(u, r->p->sp);
	} else {
		nc = r->c != NULL ? 1 : r->g->nctrs;
		for (ci = 0; ci < nc; ci++) {
			const struct tree_ctr *c = r->c != NULL ? r->c :
			    &r->g->ctrs[ci];

			for (pi = 0; pi < c->nprocs; pi++) {
				const struct snap_proc *sp = c->procs[pi].sp;

				if (c->procs[pi].gone)
					continue;
				checked++;
				refuse = gc_check(sp->pid, "/proc", why,
				    sizeof why);
				if (refuse == NULL)
					add_target(u, sp);
				else if (first_why[0] == '\0')
					snprintf(first_why, sizeof first_why,
					    "pid %d: %s", sp->pid, refuse);
			}
		}
		if (u->gc_ntargets == 0) {
			ui_status(u, true, "no Node process to collect in %s "
			    "(%zu checked; %s)", u->gc_where, checked,
			    first_why);
			return UI_REDRAW;
		}
	}
	if (u->cfg.gc_yes)
		return start_next(u);
	u->gc_confirm = true;
	if (u->gc_ntargets == 1)
		ui_status(u, false, "GC node PID %d in %s? A full GC pauses it. "
		    "y/n", u->gc_targets[0].pid, u->gc_where);
	else
		ui_status(u, false, "GC %zu node processes in %s, one after "
		    "another? A full GC pauses each. y/n", u->gc_ntargets,
		    u->gc_where);
	u->status_until += 3600;
	return UI_REDRAW;
}

int
ui_gc_confirm_key(struct ui *u, int ch)
{
	u->gc_confirm = false;
	if (ch == 'y' || ch == 'Y')
		return start_next(u);
	u->gc_ntargets = 0;
	ui_status(u, false, "GC not started");
	return UI_REDRAW;
}

void
ui_gc_summary(const struct gc_result *r, char *buf, size_t len)
{
	char	a[32], b[32], c[32], d[32], e[32];
	int64_t	oa = gc_outside_v8(&r->v8_after);

	if (!r->ok) {
		snprintf(buf, len, "GC pid %d failed: %s", r->pid, r->error);
		return;
	}
	snprintf(buf, len, "GC pid %d: RSS %s -> %s, V8 heap %s -> %s, outside "
	    "V8 %s (%.1f s)%s", r->pid, fmt_bytes(a, sizeof a, r->rss_before),
	    fmt_bytes(b, sizeof b, r->rss_after),
	    fmt_bytes(c, sizeof c, r->v8_before.heap_total),
	    fmt_bytes(d, sizeof d, r->v8_after.heap_total),
	    oa < 0 ? "-" : fmt_bytes(e, sizeof e, (uint64_t)oa),
	    r->duration_ms / 1000, oa > 0 && r->rss_after != UINT64_MAX &&
	    (uint64_t)oa * 2 > r->rss_after ? "; most is outside V8: see the "
	    "mapping page (glibc arenas?)" : "");
}

static void
keep_result(struct ui *u, const struct gc_result *r)
{
	struct ui_gc_done	*d;
	size_t			 i;
	char			 key[64];

	snprintf(key, sizeof key, "p:%d:%llu", r->pid, u->gc_start);
	for (i = 0; i < u->gc_ndone; i++) {
		if (strcmp(u->gc_done[i].key, key) == 0)
			break;
	}
	if (i == u->gc_ndone) {
		u->gc_done = xreallocarray(u->gc_done, u->gc_ndone + 1,
		    sizeof *u->gc_done);
		u->gc_ndone++;
	}
	d = &u->gc_done[i];
	snprintf(d->key, sizeof d->key, "%s", key);
	d->r = *r;
}

const struct gc_result *
ui_gc_result(const struct ui *u, int pid, unsigned long long start)
{
	char	key[64];
	size_t	i;

	snprintf(key, sizeof key, "p:%d:%llu", pid, start);
	for (i = 0; i < u->gc_ndone; i++) {
		if (strcmp(u->gc_done[i].key, key) == 0)
			return &u->gc_done[i].r;
	}
	return NULL;
}

static void
finish(struct ui *u)
{
	int	status;

	if (u->gc_fd != -1)
		close(u->gc_fd);
	u->gc_fd = -1;
	if (u->gc_child > 0)
		waitpid(u->gc_child, &status, 0);
	u->gc_child = 0;
}

int
ui_gc_input(struct ui *u)
{
	char		 chunk[4096], *nl, line[64 * 1024];
	ssize_t		 n;
	bool		 got = false;
	struct gc_result r;

	n = read(u->gc_fd, chunk, sizeof chunk);
	if (n > 0)
		buf_append(&u->gc_buf, chunk, (size_t)n);
	while (u->gc_buf.len > 0 &&
	    (nl = memchr(u->gc_buf.data, '\n', u->gc_buf.len)) != NULL) {
		size_t		 l = (size_t)(nl - u->gc_buf.data);
		json_error_t	 je;
		json_t		*j, *v;

		if (l < sizeof line) {
			memcpy(line, u->gc_buf.data, l);
			line[l] = '\0';
			j = json_loads(line, 0, &je);
			if ((v = json_object_get(j, "progress")) != NULL) {
				ui_status(u, false, "GC %s (Esc cancels)",
				    json_string_value(v));
				u->status_until += 3600;
			} else if ((v = json_object_get(j, "result")) != NULL &&
			    gc_result_from_json(v, &r) == 0) {
				keep_result(u, &r);
				ui_gc_summary(&r, line, sizeof line);
				ui_status(u, !r.ok, "%s", line);
				u->status_until += 60;
				got = true;
			}
			json_decref(j);
		}
		memmove(u->gc_buf.data, nl + 1, u->gc_buf.len - l - 1);
		u->gc_buf.len -= l + 1;
	}
	if (n <= 0 && !(n < 0 && errno == EINTR)) {
		finish(u);
		if (!got && u->status[0] == '\0')
			ui_status(u, true, "GC pid %d: the helper died",
			    u->gc_pid);
		return start_next(u) | UI_REFRESH;
	}
	return UI_REDRAW;
}

int
ui_gc_cancel(struct ui *u)
{
	if (u->gc_child == 0)
		return 0;
	/* the child closes an inspector it opened, then reports */
	kill(u->gc_child, SIGTERM);
	u->gc_ntargets = u->gc_next = 0;
	ui_status(u, false, "GC pid %d: cancelling", u->gc_pid);
	return UI_REDRAW;
}

void
ui_gc_free(struct ui *u)
{
	if (u->gc_child > 0) {
		kill(u->gc_child, SIGTERM);
		finish(u);
	}
	free(u->gc_targets);
	free(u->gc_done);
	buf_done(&u->gc_buf);
}
