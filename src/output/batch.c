#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analyse/diagnosis.h"
#include "model/column.h"
#include "output/batch.h"
#include "util/fmt.h"

#define NAME_MIN	16
#define NAME_DEFAULT	50

/* The table's width (COLUMNS); 0: the name column is NAME_DEFAULT wide. */
static unsigned	batch_columns;

void
batch_set_width(unsigned columns)
{
	batch_columns = columns;
}

/* KIND, the spaces and the figure columns: everything but the name. */
static size_t
fixed_width(void)
{
	size_t	i, w = 11;

	for (i = 0; i < col_count; i++) {
		if (col_table[i].batch)
			w += 1 + (col_table[i].width > 8 ?
			    (size_t)col_table[i].width : 8);
	}
	return w;
}

/*
 * The columns of one row, those of the column table marked for -b: a
 * figure is '-' when unknown, with '>' before a sum some of whose members
 * are unknown (the known part: a lower bound); a process has no charge.
 */
static void
put_cols(FILE *f, const struct fig_sum *sum, const uint64_t *fig,
    const struct cg_mem *m, const struct tree_stats *st, bool is_proc)
{
	char		b[32], c[34];
	size_t		i;
	struct fig_val	fv;

	for (i = 0; i < col_count; i++) {
		const struct col_info	*ci = &col_table[i];

		if (!ci->batch)
			continue;
		switch (ci->kind) {
		case COL_KIND_FIG:
			fv = fig_get(sum, fig, ci->fig);
			fmt_bytes(b, sizeof b, fv.v);
			snprintf(c, sizeof c, "%s%s", fv.state == FIG_PARTIAL ?
			    ">" : "", b);
			break;
		case COL_KIND_CHARGE:
			snprintf(c, sizeof c, "%s", is_proc ? "" : m == NULL ||
			    !m->read ? "-" : fmt_bytes(b, sizeof b, m->current));
			break;
		case COL_KIND_LIMIT:
			snprintf(c, sizeof c, "%s", is_proc ? "" : m == NULL ||
			    !m->read ? "-" : m->unlimited ? "nolimit" :
			    fmt_bytes(b, sizeof b, m->limit));
			break;
		case COL_KIND_WSET:
			snprintf(c, sizeof c, "%s", is_proc ? "" :
			    fmt_bytes(b, sizeof b, st->wset));
			break;
		case COL_KIND_GROWTH:
			fmt_delta(c, sizeof c, st->growth);
			break;
		case COL_KIND_GROWTH_WIN:
			fmt_delta(c, sizeof c, st->growth_win);
			break;
		case COL_KIND_REPLICAS:
			if (is_proc)
				c[0] = '\0';
			else
				tree_replicas_fmt(&st->rep, false, c, sizeof c);
			break;
		default:
			c[0] = '\0';
			break;
		}
		fprintf(f, " %*s", ci->width > 8 ? ci->width : 8, c);
	}
	fputc('\n', f);
}

int
batch_write_snapshot(FILE *f, const struct snapshot *sn, const struct tree *t)
{
	char		 tb[32], a[32], b[32], name[512], cell[2048];
	struct diag_set	 ds;
	time_t		 now = (time_t)sn->time;
	struct tm	 tm;
	size_t		 gi, ci, pi, i, nw, fw = fixed_width();

	nw = batch_columns == 0 ? NAME_DEFAULT : batch_columns > fw + NAME_MIN ?
	    batch_columns - fw : NAME_MIN;

	localtime_r(&now, &tm);
	strftime(tb, sizeof tb, "%H:%M:%S", &tm);
	fprintf(f, "memtop - %s  mem %s total, %s available, %zu processes, "
	    "%zu groups, pss read %zu/%zu in %.0f ms\n", tb,
	    fmt_bytes(a, sizeof a, sn->mem_total),
	    fmt_bytes(b, sizeof b, sn->mem_available), sn->nprocs, t->ngroups,
	    sn->rollup_read, sn->rollup_wanted, sn->rollup_ms);
	fprintf(f, "%-10s %s", "KIND", fmt_pad(cell, sizeof cell, "NAME", nw));
	for (i = 0; i < col_count; i++) {
		if (col_table[i].batch)
			fprintf(f, " %*s", col_table[i].width > 8 ?
			    col_table[i].width : 8, col_table[i].title);
	}
	fputc('\n', f);
	for (gi = 0; gi < t->ngroups; gi++) {
		const struct tree_group	*g = &t->groups[gi];

		fprintf(f, "%-10s %s", ent_kind_name(g->kind), fmt_pad(cell,
		    sizeof cell, tree_group_label(g, true, name, sizeof name),
		    nw));
		put_cols(f, &g->sum, NULL, g->mem, &g->st, false);
		diagnose_group(t, g, &ds);
		for (i = 0; i < ds.n; i++)
			fprintf(f, "  %-8s %s\n", "why", fmt_clip(cell,
			    sizeof cell, ds.d[i].text, SIZE_MAX));
		for (ci = 0; ci < g->nctrs; ci++) {
			const struct tree_ctr	*c = &g->ctrs[ci];

			if (c->ctr_id[0] != '\0' || g->nctrs > 1) {
				fprintf(f, "  %-8s %s", "ctr", fmt_pad(cell,
				    sizeof cell, tree_ctr_label(g, c, true,
				    name, sizeof name), nw));
				put_cols(f, &c->sum, NULL, c->mem, &c->st,
				    false);
			}
			for (pi = 0; pi < c->nprocs; pi++) {
				const struct snap_proc	*p = c->procs[pi].sp;

				if (c->procs[pi].gone)
					continue;
				fprintf(f, "    %-6d %s", p->pid, fmt_pad(cell,
				    sizeof cell, p->comm, nw));
				put_cols(f, NULL, p->fig, NULL,
				    &c->procs[pi].st, true);
			}
		}
	}
	fputc('\n', f);
	return fflush(f) == EOF || ferror(f) ? -1 : 0;
}
