#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "output/batch.h"
#include "util/fmt.h"

/* The figure columns of the text table, in order. */
static const enum fig batch_cols[] = {
	FIG_RSS, FIG_PSS, FIG_PSS_ANON, FIG_PSS_FILE, FIG_SHARED_CLEAN,
	FIG_PRIVATE_DIRTY, FIG_SWAP, FIG_RSS_ANON
};
#define NCOLS	(sizeof batch_cols / sizeof batch_cols[0])

/* KIND (10) and the figure, charge, limit and growth columns (9 each) */
#define FIXED_W	(11 + 9 * (NCOLS + 3))
#define NAME_MIN	16

static size_t	batch_name_w = 160 - FIXED_W;

void
batch_set_width(unsigned columns)
{
	batch_name_w = columns > FIXED_W + NAME_MIN ? columns - FIXED_W :
	    NAME_MIN;
}

static void
put_figs(FILE *f, const uint64_t *v, const unsigned *na)
{
	char	b[32];
	size_t	i;

	for (i = 0; i < NCOLS; i++) {
		uint64_t	x = v[batch_cols[i]];

		/* a sum with every member unknown is unknown */
		if (na != NULL && na[batch_cols[i]] != 0 && x == 0)
			x = FIG_NA;
		fprintf(f, " %8s", fmt_bytes(b, sizeof b, x));
	}
}

static void
put_charge(FILE *f, const struct cg_mem *m)
{
	char	b[32], l[32];

	if (m == NULL || !m->read) {
		fprintf(f, " %8s %8s", "-", "-");
		return;
	}
	fprintf(f, " %8s %8s", fmt_bytes(b, sizeof b, m->current),
	    m->unlimited ? "nolimit" : fmt_bytes(l, sizeof l, m->limit));
}

static void
put_growth(FILE *f, const struct tree_stats *st)
{
	char	b[32];

	fprintf(f, " %8s\n", fmt_delta(b, sizeof b, st->growth));
}

static void
group_name(char *buf, size_t len, const struct tree_group *g)
{
	if (g->pod != NULL)
		snprintf(buf, len, "%s/%s%s", g->namespace != NULL ?
		    g->namespace : "?", g->pod,
		    g->name_source == NAME_SRC_ENVIRON ? " (guess)" : "");
	else if (g->kind == CG_KIND_POD)
		snprintf(buf, len, "%s/pod%s", k8s_qos_name(g->qos) ?
		    k8s_qos_name(g->qos) : "-", g->pod_uid);
	else if (strcmp(g->kind_name, "namespace") == 0)
		snprintf(buf, len, "%s", g->namespace != NULL ? g->namespace :
		    "?");
	else
		snprintf(buf, len, "%s", g->cgroup != NULL ? g->cgroup : "?");
}

int
batch_write_snapshot(FILE *f, const struct snapshot *sn, const struct tree *t)
{
	char		 tb[32], a[32], b[32], name[512], sid[16], cell[2048];
	time_t		 now = (time_t)sn->time;
	struct tm	 tm;
	size_t		 gi, ci, pi, i;

	localtime_r(&now, &tm);
	strftime(tb, sizeof tb, "%H:%M:%S", &tm);
	fprintf(f, "memtop - %s  mem %s total, %s available, %zu processes, "
	    "%zu groups, pss read %zu/%zu in %.0f ms\n", tb,
	    fmt_bytes(a, sizeof a, sn->mem_total),
	    fmt_bytes(b, sizeof b, sn->mem_available), sn->nprocs, t->ngroups,
	    sn->rollup_read, sn->rollup_wanted, sn->rollup_ms);
	fprintf(f, "%-10s %s", "KIND", fmt_pad(cell, sizeof cell, "NAME",
	    batch_name_w));
	for (i = 0; i < NCOLS; i++)
		fprintf(f, " %8s", fig_table[batch_cols[i]].title);
	fprintf(f, " %8s %8s %8s\n", "CHARGE", "LIMIT", "GROWTH");
	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		group_name(name, sizeof name, g);
		fprintf(f, "%-10s %s", k8s_kind_name(g->kind),
		    fmt_pad(cell, sizeof cell, name, batch_name_w));
		put_figs(f, g->sum.v, g->sum.na);
		put_charge(f, g->mem);
		put_growth(f, &g->st);
		for (ci = 0; ci < g->nctrs; ci++) {
			const struct tree_ctr	*c = &g->ctrs[ci];

			if (c->id[0] != '\0' || g->nctrs > 1) {
				const char *rt = k8s_runtime_name(c->runtime);

				fmt_short_id(sid, sizeof sid, c->id, 12);
				if (c->sandbox)
					snprintf(name, sizeof name,
					    "(sandbox) %s", sid);
				else if (c->name != NULL)
					snprintf(name, sizeof name, "%s%s%s %s",
					    c->pod != NULL && strcmp(g->kind_name,
					    "namespace") == 0 ? c->pod : "",
					    c->pod != NULL && strcmp(g->kind_name,
					    "namespace") == 0 ? "/" : "",
					    c->name, sid);
				else
					snprintf(name, sizeof name, "%s %s",
					    rt != NULL ? rt : "-", c->id[0] !=
					    '\0' ? sid : "(pod)");
				fprintf(f, "  %-8s %s", "ctr", fmt_pad(cell,
				    sizeof cell, name, batch_name_w));
				put_figs(f, c->sum.v, c->sum.na);
				put_charge(f, c->mem);
				put_growth(f, &c->st);
			}
			for (pi = 0; pi < c->nprocs; pi++) {
				const struct snap_proc	*p = c->procs[pi].sp;

				if (c->procs[pi].gone)
					continue;
				fprintf(f, "    %-6d %s", p->pid, fmt_pad(cell,
				    sizeof cell, p->comm, batch_name_w));
				put_figs(f, p->fig, NULL);
				fprintf(f, " %8s %8s", "", "");
				put_growth(f, &c->procs[pi].st);
			}
		}
	}
	fputc('\n', f);
	return fflush(f) == EOF || ferror(f) ? -1 : 0;
}
