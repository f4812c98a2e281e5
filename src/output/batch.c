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

/*
 * One figure column: '-' when unknown, '>' before a sum some of whose
 * members are unknown (the known part: a lower bound).
 */
static void
put_figs(FILE *f, const struct fig_sum *sum, const uint64_t *fig)
{
	char		b[32], c[34];
	size_t		i;

	for (i = 0; i < NCOLS; i++) {
		struct fig_val	fv = fig_get(sum, fig, batch_cols[i]);

		fmt_bytes(b, sizeof b, fv.v);
		snprintf(c, sizeof c, "%s%s", fv.state == FIG_PARTIAL ? ">" :
		    "", b);
		fprintf(f, " %8s", c);
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

int
batch_write_snapshot(FILE *f, const struct snapshot *sn, const struct tree *t)
{
	char		 tb[32], a[32], b[32], name[512];
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
	fprintf(f, "%-10s %-50s", "KIND", "NAME");
	for (i = 0; i < NCOLS; i++)
		fprintf(f, " %8s", fig_table[batch_cols[i]].title);
	fprintf(f, " %8s %8s %8s\n", "CHARGE", "LIMIT", "GROWTH");
	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		fprintf(f, "%-10s %-50.50s", ent_kind_name(g->kind),
		    tree_group_label(g, true, name, sizeof name));
		put_figs(f, &g->sum, NULL);
		put_charge(f, g->mem);
		put_growth(f, &g->st);
		for (ci = 0; ci < g->nctrs; ci++) {
			const struct tree_ctr	*c = &g->ctrs[ci];

			if (c->ctr_id[0] != '\0' || g->nctrs > 1) {
				fprintf(f, "  %-8s %-50.50s", "ctr",
				    tree_ctr_label(g, c, true, name,
				    sizeof name));
				put_figs(f, &c->sum, NULL);
				put_charge(f, c->mem);
				put_growth(f, &c->st);
			}
			for (pi = 0; pi < c->nprocs; pi++) {
				const struct snap_proc	*p = c->procs[pi].sp;

				if (c->procs[pi].gone)
					continue;
				fprintf(f, "    %-6d %-50.50s", p->pid, p->comm);
				put_figs(f, NULL, p->fig);
				fprintf(f, " %8s %8s", "", "");
				put_growth(f, &c->procs[pi].st);
			}
		}
	}
	fputc('\n', f);
	return fflush(f) == EOF || ferror(f) ? -1 : 0;
}
