/*
 * The g key: choose the Node and HotSpot (Java) processes of the selected
 * row, refuse what is unsafe with a reason, ask, then collect them one
 * after another in a child while the dashboard keeps refreshing. Esc cancels (the child still closes
 * an inspector it opened, also after memtop exits). The jobs, their pipes
 * and results are actions/job.c's; this file only chooses and shows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/gc_format.h"
#include "analyse/detectors.h"
#include "analyse/diagnosis.h"
#include "ui/ui_state.h"
#include "util/xmalloc.h"

static void
add_target(struct ui *u, const struct snap_proc *sp)
{
	struct ui_gc	*g = &u->gc;

	g->targets = xreallocarray(g->targets, g->ntargets + 1,
	    sizeof *g->targets);
	g->targets[g->ntargets].pid = sp->pid;
	g->targets[g->ntargets].start = sp->start;
	g->ntargets++;
}

void
ui_gc_init(struct ui *u)
{
	memset(&u->gc, 0, sizeof u->gc);
	job_runner_init(&u->gc.jobs);
}

bool
ui_gc_running(const struct ui *u)
{
	return u->gc.current != NULL;
}

static int
start_next(struct ui *u)
{
	struct ui_gc		*g = &u->gc;
	struct ui_gc_target	*t;
	struct gc_opts		 o;
	char			 err[256];

	g->current = NULL;
	if (g->next >= g->ntargets) {
		g->ntargets = g->next = 0;
		return UI_REDRAW;
	}
	gc_opts_default(&o);
	t = &g->targets[g->next++];
	g->current = job_start_gc(&g->jobs, t->pid, t->start, &o, err,
	    sizeof err);
	if (g->current == NULL) {
		ui_status(u, true, "GC pid %d: %s", t->pid, err);
		return UI_REDRAW;
	}
	ui_status(u, false, "GC pid %d: starting (Esc cancels)", t->pid);
	u->status_until += 3600;	/* progress stays until replaced */
	return UI_REDRAW;
}

/* Asks y/n for the targets chosen (njvm of them HotSpot JVMs). */
static int
ask(struct ui *u, const char *comm, enum gc_runtime rt, size_t njvm)
{
	struct ui_gc	*g = &u->gc;
	size_t		 n = g->ntargets;

	g->confirm = true;
	if (n == 1 && rt == GC_RT_HOTSPOT)
		ui_status(u, false, "GC %s PID %d (HotSpot) in %s? A full GC "
		    "pauses it. y/n", comm, g->targets[0].pid, g->where);
	else if (n == 1)
		ui_status(u, false, "GC node PID %d in %s? A full GC pauses it. "
		    "y/n", g->targets[0].pid, g->where);
	else if (njvm == 0)
		ui_status(u, false, "GC %zu node processes in %s, one after "
		    "another? A full GC pauses each. y/n", n, g->where);
	else if (njvm == n)
		ui_status(u, false, "GC %zu java processes (HotSpot) in %s, one "
		    "after another? A full GC pauses each. y/n", n, g->where);
	else
		ui_status(u, false, "GC %zu processes (%zu node, %zu HotSpot) "
		    "in %s, one after another? A full GC pauses each. y/n", n,
		    n - njvm, njvm, g->where);
	u->status_until += 3600;
	return UI_REDRAW;
}

int
ui_gc_key(struct ui *u)
{
	const struct ui_row	*r = ui_selected(u);
	char			 why[256], first_why[300] = "", comm[64] = "";
	const char		*refuse;
	size_t			 ci, pi, nc, checked = 0, njvm = 0;
	enum gc_runtime		 rt = GC_RT_UNKNOWN;

	if (u->cfg.read_only) {
		ui_status(u, true, "read-only (--read-only): g is off; memtop "
		    "sends no signal and opens no inspector");
		return UI_REDRAW;
	}
	if (u->gc.current != NULL) {
		ui_status(u, true, "a GC is running (Esc cancels it)");
		return UI_REDRAW;
	}
	/* in the detail and mapping views: their subject's row */
	if (u->view == UI_VIEW_DETAIL) {
		r = ui_row_of_key(u, u->detail.key);
		if (r == NULL) {
			ui_status(u, true, "g: its row is folded away in the "
			    "tree; open it there");
			return UI_REDRAW;
		}
	} else if (u->view != UI_VIEW_TREE)
		return 0;
	if (r == NULL)
		return 0;
	u->gc.ntargets = u->gc.next = 0;
	tree_group_label(r->g, true, u->gc.where, sizeof u->gc.where);
	if (r->p != NULL) {
		if (r->p->gone) {
			ui_status(u, true, "pid %d has exited", r->p->sp->pid);
			return UI_REDRAW;
		}
		refuse = gc_check_runtime(r->p->sp->pid, "/proc", &rt, why,
		    sizeof why);
		if (refuse != NULL) {
			ui_status(u, true, "GC pid %d refused: %s",
			    r->p->sp->pid, refuse);
			return UI_REDRAW;
		}
		snprintf(comm, sizeof comm, "%s", r->p->sp->comm);
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
				refuse = gc_check_runtime(sp->pid, "/proc", &rt,
				    why, sizeof why);
				if (refuse == NULL) {
					add_target(u, sp);
					njvm += rt == GC_RT_HOTSPOT;
					snprintf(comm, sizeof comm, "%s",
					    sp->comm);
				} else if (first_why[0] == '\0')
					snprintf(first_why, sizeof first_why,
					    "pid %d: %s", sp->pid, refuse);
			}
		}
		if (u->gc.ntargets == 0) {
			ui_status(u, true, "no Node or Java process to collect "
			    "in %s (%zu checked; %s)", u->gc.where, checked,
			    first_why);
			return UI_REDRAW;
		}
		rt = njvm > 0 ? GC_RT_HOTSPOT : GC_RT_NODE;
	}
	if (u->cfg.gc_yes)
		return start_next(u);
	return ask(u, comm, rt, njvm);
}

int
ui_gc_confirm_key(struct ui *u, int ch)
{
	u->gc.confirm = false;
	if (ch == 'y' || ch == 'Y')
		return start_next(u);
	u->gc.ntargets = 0;
	ui_status(u, false, "GC not started");
	return UI_REDRAW;
}

bool
ui_gc_arena(unsigned marks)
{
	size_t	i;

	for (i = 0; i < detector_count; i++) {
		if (strcmp(detector_table[i].rule, "glibc-arenas") == 0)
			return (marks >> i) & 1;
	}
	return false;
}

/* The marks of the process in the tree now (0 if it is not there). */
static unsigned
marks_of(const struct ui *u, int pid, unsigned long long start)
{
	size_t	i;

	for (i = 0; i < u->tr.nrows; i++) {
		const struct tree_proc	*p = u->tr.rows[i].p;

		if (p != NULL && p->sp->pid == pid && p->sp->start == start)
			return p->sp->marks;
	}
	return 0;
}

const struct gc_result *
ui_gc_result(const struct ui *u, int pid, unsigned long long start)
{
	return job_result(&u->gc.jobs, pid, start);
}

size_t
ui_gc_pollfds(const struct ui *u, struct pollfd *p, size_t max)
{
	return job_runner_pollfds(&u->gc.jobs, p, max);
}

int
ui_gc_input(struct ui *u, int fd)
{
	struct ui_gc		*g = &u->gc;
	const struct gc_result	*r;
	char			 line[1024];
	bool			 current = g->current != NULL &&
				    g->current->fd == fd;
	int			 ev;

	ev = job_runner_input(&g->jobs, fd);
	if ((ev & JOB_PROGRESS) && g->jobs.last != NULL) {
		ui_status(u, false, "GC %s%s", g->jobs.last->progress, current ?
		    " (Esc cancels)" : "");
		u->status_until += 3600;
	}
	r = (ev & JOB_RESULT) ? job_result(&g->jobs, g->jobs.last_pid,
	    g->jobs.last_start) : NULL;
	if (r != NULL) {
		gc_format_summary(r, ui_gc_arena(marks_of(u, r->pid, r->start)),
		    line, sizeof line);
		ui_status(u, !r->ok, "%s", line);
		u->status_until += r->watching ? 3600 : 60;
		/* a job that only watches to close does not hold the queue */
		if (current && r->watching && !(ev & JOB_ENDED))
			return start_next(u) | UI_REFRESH;
	}
	if (!(ev & JOB_ENDED))
		return UI_REDRAW;
	if (r == NULL && g->jobs.ended_why[0] != '\0')
		ui_status(u, true, "%s", g->jobs.ended_why);
	if (!current)
		return UI_REDRAW | UI_REFRESH;
	return start_next(u) | UI_REFRESH;
}

int
ui_gc_cancel(struct ui *u)
{
	struct ui_gc	*g = &u->gc;
	int		 pid;

	if (g->current == NULL)
		return 0;
	/* the child closes an inspector it opened, then reports */
	pid = g->current->pid;
	job_cancel(g->current);
	g->current = NULL;
	g->ntargets = g->next = 0;
	ui_status(u, false, "GC pid %d: cancelling; an inspector memtop "
	    "opened is still closed", pid);
	u->status_until += 3600;
	return UI_REDRAW;
}

void
ui_gc_free(struct ui *u)
{
	job_runner_done(&u->gc.jobs);
	free(u->gc.targets);
	memset(&u->gc, 0, sizeof u->gc);
}

bool
ui_gc_proved(const struct ui *u, const struct tree_group *g,
    const struct tree_proc *only, char *buf, size_t len)
{
	const struct gc_result	*r, *best = NULL;
	struct diag_gc		 d;
	size_t			 ci, pi;

	for (ci = 0; ci < g->nctrs; ci++) {
		for (pi = 0; pi < g->ctrs[ci].nprocs; pi++) {
			const struct tree_proc *p = &g->ctrs[ci].procs[pi];

			if (only != NULL && p != only)
				continue;
			r = ui_gc_result(u, p->sp->pid, p->sp->start);
			if (r != NULL && r->ok && (best == NULL ||
			    r->rss_before > best->rss_before))
				best = r;
		}
	}
	if (best == NULL)
		return false;
	d.rss_before = best->rss_before;
	d.rss_after = best->rss_after;
	d.outside_heap_after = gc_outside_heap(best, true);
	d.jvm = best->runtime == GC_RT_HOTSPOT;
	return diagnose_gc(&u->tree, g->kind == ENT_POD ? g : NULL, &d, buf,
	    len);
}
