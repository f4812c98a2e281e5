/*
 * Detail of one process, container or pod: every figure with its value, its
 * change since memtop first saw it, min/max and a sparkline of the whole
 * history; the cgroup's own accounting for pods and containers.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "util/fmt.h"
#include "ui/ui_state.h"

struct subject {
	struct tree_group	*g;
	struct tree_ctr		*c;
	struct tree_proc	*p;
	const struct tree_stats	*st;
	const uint64_t		*fig;
	const unsigned		*na;
	const struct cg_mem	*mem;
};

static bool
find_subject(struct ui *u, struct subject *s)
{
	char	key[128];
	size_t	gi, ci, pi;

	memset(s, 0, sizeof s[0]);
	for (gi = 0; gi < u->tree.ngroups; gi++) {
		struct tree_group	*g = &u->tree.groups[gi];

		snprintf(key, sizeof key, "g:%s", g->key);
		if (strcmp(key, u->detail_key) == 0) {
			*s = (struct subject){ g, NULL, NULL, &g->st, g->sum.v,
			    g->sum.na, g->mem };
			return true;
		}
		for (ci = 0; ci < g->nctrs; ci++) {
			struct tree_ctr	*c = &g->ctrs[ci];

			if (strcmp(c->key, u->detail_key) == 0) {
				*s = (struct subject){ g, c, NULL, &c->st,
				    c->sum.v, c->sum.na, c->mem };
				return true;
			}
			for (pi = 0; pi < c->nprocs; pi++) {
				struct tree_proc *p = &c->procs[pi];

				snprintf(key, sizeof key, "p:%d:%llu",
				    p->sp->pid, p->sp->start);
				if (strcmp(key, u->detail_key) == 0) {
					*s = (struct subject){ g, c, p, &p->st,
					    p->sp->fig, NULL, NULL };
					return true;
				}
			}
		}
	}
	return false;
}

/* The whole ring squeezed into w columns (the max of each bucket). */
static void
history_spark(const struct ui *u, const struct ring *r, int w, char *buf,
    size_t len)
{
	uint64_t	v[128];
	uint32_t	i, n = r->n;
	int		b, cols = w < 128 ? w : 128;

	if (n == 0 || cols <= 0) {
		buf[0] = '\0';
		return;
	}
	if ((uint32_t)cols > n)
		cols = (int)n;
	for (b = 0; b < cols; b++) {
		uint32_t	from = (uint32_t)((uint64_t)b * n / (uint32_t)cols);
		uint32_t	to = (uint32_t)((uint64_t)(b + 1) * n /
				    (uint32_t)cols);
		uint64_t	m = UINT64_MAX;

		for (i = from; i < to; i++) {
			uint64_t	x = ring_get(r, n - 1 - i);

			if (x != UINT64_MAX && (m == UINT64_MAX || x > m))
				m = x;
		}
		v[b] = m;
	}
	fmt_sparkline(buf, len, v, (size_t)cols, u->utf8);
}

static int
line_kv(int y, const char *k, const char *v)
{
	draw_role(THEME_HELP_KEY);
	draw_text(y, 1, 14, k);
	draw_role(THEME_DEFAULT);
	draw_text(y, 16, COLS - 16, v);
	return y + 1;
}

static int
draw_info(struct ui *u, const struct subject *s, int y)
{
	char	b[600], a[32];

	(void)u;
	if (s->p != NULL) {
		const struct snap_proc	*sp = s->p->sp;

		snprintf(b, sizeof b, "%d (ppid %d, uid %u, state %c)%s",
		    sp->pid, sp->ppid, sp->uid, sp->state, s->p->gone ?
		    "  exited" : "");
		y = line_kv(y, "process", b);
		y = line_kv(y, "command", sp->cmdline != NULL ? sp->cmdline :
		    sp->comm);
		if (sp->rollup_age < 0)
			snprintf(b, sizeof b, "never read (unreadable?)");
		else
			snprintf(b, sizeof b, "%.1f s old", sp->rollup_age);
		y = line_kv(y, "smaps_rollup", b);
		if (sp->place != NULL)
			y = line_kv(y, "cgroup", sp->place->path);
	}
	if (s->g->pod != NULL || s->g->kind == CG_KIND_POD) {
		snprintf(b, sizeof b, "%s/%s  uid %s  %s%s",
		    s->g->namespace ? s->g->namespace : "?",
		    s->g->pod ? s->g->pod : "?", s->g->pod_uid,
		    k8s_qos_name(s->g->qos) ? k8s_qos_name(s->g->qos) : "",
		    s->g->name_source == NAME_SRC_ENVIRON ? "  (name guessed "
		    "from HOSTNAME)" : "");
		y = line_kv(y, "pod", b);
	} else
		y = line_kv(y, "group", s->g->cgroup ? s->g->cgroup : "?");
	if (s->c != NULL && (s->c->id[0] != '\0' || s->c->name != NULL)) {
		snprintf(b, sizeof b, "%s  %s %s", s->c->name ? s->c->name :
		    s->c->sandbox ? "(sandbox)" : "(unnamed)",
		    k8s_runtime_name(s->c->runtime) ?
		    k8s_runtime_name(s->c->runtime) : "", s->c->id);
		y = line_kv(y, "container", b);
	}
	if (s->p == NULL) {
		const char *cg = s->c != NULL ? s->c->cgroup : s->g->cgroup;

		y = line_kv(y, "cgroup", cg ? cg : "?");
	}
	if (s->mem != NULL && s->mem->read) {
		const struct cg_mem	*m = s->mem;
		char			 c1[32], c2[32], c3[32], c4[32];

		snprintf(b, sizeof b, "current %s  limit %s%s  anon %s  file %s"
		    "  shmem %s", fmt_bytes(a, sizeof a, m->current),
		    m->unlimited ? "none" : fmt_bytes(c1, sizeof c1, m->limit),
		    "", fmt_bytes(c2, sizeof c2, m->anon),
		    fmt_bytes(c3, sizeof c3, m->file),
		    fmt_bytes(c4, sizeof c4, m->shmem));
		y = line_kv(y, "cgroup memory", b);
		snprintf(b, sizeof b, "kernel %s  oom_kill %s  failcnt %s",
		    fmt_bytes(c1, sizeof c1, m->kernel),
		    m->oom_kill == CG_NA ? "-" : (snprintf(c2, sizeof c2,
		    "%llu", (unsigned long long)m->oom_kill), c2),
		    m->failcnt == CG_NA ? "-" : (snprintf(c3, sizeof c3,
		    "%llu", (unsigned long long)m->failcnt), c3));
		if (!m->unlimited && m->limit != CG_NA && m->limit > 0)
			snprintf(b + strlen(b), sizeof b - strlen(b),
			    "  %.0f%% of limit", 100.0 * (double)m->current /
			    (double)m->limit);
		y = line_kv(y, "", b);
	} else if (s->p == NULL)
		y = line_kv(y, "cgroup memory", "- (not readable here)");
	return y;
}

static void
draw_figures(struct ui *u, const struct subject *s, int y)
{
	const struct hist_ent	*h = s->st->hist;
	int			 k, sw = COLS - 56;
	char			 now[32], chg[32], mn[32], mx[32], line[128];
	char			 spark[128 * 3 + 1];

	draw_fill(y, THEME_COLHEAD);
	snprintf(line, sizeof line, " %-12s %8s %9s %8s %8s  %s", "FIGURE",
	    "NOW", "SINCE", "MIN", "MAX", "HISTORY");
	draw_text(y++, 0, COLS, line);
	for (k = 0; k < HF__COUNT && y < LINES - 1; k++) {
		uint64_t	v;
		const char	*name;

		if (k == HF_CHARGE) {
			if (s->p != NULL)
				continue;
			v = s->st->charge;
			name = "Charge";
		} else {
			v = s->fig[k];
			if (s->na != NULL && s->na[k] != 0 && v == 0)
				v = FIG_NA;
			name = fig_table[k].title;
		}
		if (h != NULL && v != FIG_NA && h->first[k] != FIG_NA)
			fmt_delta(chg, sizeof chg, (int64_t)(v - h->first[k]));
		else
			snprintf(chg, sizeof chg, "-");
		snprintf(line, sizeof line, " %-12s %8s %9s %8s %8s  ", name,
		    fmt_bytes(now, sizeof now, v), chg,
		    fmt_bytes(mn, sizeof mn, h ? h->min[k] : FIG_NA),
		    fmt_bytes(mx, sizeof mx, h && h->first[k] != FIG_NA ?
		    h->max[k] : FIG_NA));
		draw_role(v == FIG_NA ? THEME_UNKNOWN : THEME_DEFAULT);
		draw_text(y, 0, COLS, line);
		if (h != NULL && sw > 4) {
			history_spark(u, &h->ring[k], sw, spark, sizeof spark);
			draw_role(THEME_SPARK);
			draw_text(y, 55, sw, spark);
		}
		y++;
	}
	if (h != NULL && y < LINES - 1) {
		char	g1[32], g2[32];

		snprintf(line, sizeof line, " anon growth %s since first seen, "
		    "%s over the window; %u samples kept",
		    fmt_delta(g1, sizeof g1, s->st->growth),
		    fmt_delta(g2, sizeof g2, s->st->growth_win),
		    h->ring[FIG_RSS_ANON].n);
		draw_role(s->st->growth >= (64LL << 20) ? THEME_GROWTH :
		    THEME_DIM);
		draw_text(y, 0, COLS, line);
	}
}

void
screen_detail_draw(struct ui *u)
{
	struct subject	s;
	int		y;

	erase();
	draw_fill(0, THEME_HEADER);
	draw_text(0, 0, COLS, "memtop detail  (Esc back, q quit)");
	if (!find_subject(u, &s)) {
		draw_role(THEME_DIM);
		draw_text(2, 1, COLS - 1, "it is gone: the process exited or the "
		    "pod was removed (Esc goes back)");
		return;
	}
	y = draw_info(u, &s, 2);
	draw_figures(u, &s, y + 1);
	draw_fill(LINES - 1, u->status_error ? THEME_ERROR : THEME_STATUS);
	draw_text(LINES - 1, 0, COLS, u->status[0] != '\0' ? u->status :
	    "Esc back  q quit  r redraw");
}
