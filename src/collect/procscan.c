#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "collect/procscan.h"
#include "util/fmt.h"
#include "util/xmalloc.h"

#define PF_KTHREAD	0x00200000UL
#define SELECT_MAX	255	/* libproc2 takes at most this many pids a call */

/* Column tables, procps top style: position in the stack -> what it fills. */
enum cheap_slot {
	C_PID, C_PPID, C_START, C_EUID, C_CMD, C_STATE, C_FLAGS,
	C_RSS, C_RSS_ANON, C_RSS_FILE, C_RSS_SHMEM, C_SWAP, C__COUNT
};
static enum pids_item cheap_items[C__COUNT] = {
	[C_PID] = PIDS_ID_PID,		[C_PPID] = PIDS_ID_PPID,
	[C_START] = PIDS_TICS_BEGAN,	[C_EUID] = PIDS_ID_EUID,
	[C_CMD] = PIDS_CMD,		[C_STATE] = PIDS_STATE,
	[C_FLAGS] = PIDS_FLAGS,		[C_RSS] = PIDS_VM_RSS,
	[C_RSS_ANON] = PIDS_VM_RSS_ANON, [C_RSS_FILE] = PIDS_VM_RSS_FILE,
	[C_RSS_SHMEM] = PIDS_VM_RSS_SHARED, [C_SWAP] = PIDS_VM_SWAP,
};
static const enum fig cheap_figs[C__COUNT] = {
	[C_RSS] = FIG_RSS, [C_RSS_ANON] = FIG_RSS_ANON,
	[C_RSS_FILE] = FIG_RSS_FILE, [C_RSS_SHMEM] = FIG_RSS_SHMEM,
	[C_SWAP] = FIG_VM_SWAP,
};

enum ident_slot { I_PID, I_START, I_CMDLINE, I__COUNT };
static enum pids_item ident_items[I__COUNT] = {
	[I_PID] = PIDS_ID_PID, [I_START] = PIDS_TICS_BEGAN,
	[I_CMDLINE] = PIDS_CMDLINE,
};

static const struct {
	enum pids_item	item;
	enum fig	fig;
} rollup_map[] = {
	{ PIDS_SMAP_PSS,	FIG_PSS },
	{ PIDS_SMAP_PSS_ANON,	FIG_PSS_ANON },
	{ PIDS_SMAP_PSS_FILE,	FIG_PSS_FILE },
	{ PIDS_SMAP_PSS_SHMEM,	FIG_PSS_SHMEM },
	{ PIDS_SMAP_SHR_CLEAN,	FIG_SHARED_CLEAN },
	{ PIDS_SMAP_SHR_DIRTY,	FIG_SHARED_DIRTY },
	{ PIDS_SMAP_PRV_CLEAN,	FIG_PRIVATE_CLEAN },
	{ PIDS_SMAP_PRV_DIRTY,	FIG_PRIVATE_DIRTY },
	{ PIDS_SMAP_SWAP,	FIG_SWAP },
	{ PIDS_SMAP_SWAP_PSS,	FIG_SWAP_PSS },
	{ PIDS_SMAP_RSS,	FIG_ROLLUP_RSS },
};
#define ROLLUP_N	(sizeof rollup_map / sizeof rollup_map[0])
#define R_PID		ROLLUP_N
#define R_START		(ROLLUP_N + 1)

struct procscan {
	struct pids_info	*cheap;
	struct pids_info	*ident;
	struct pids_info	*rollup;
	struct proc_sample	*procs;
	size_t			 nprocs;
	size_t			 cap;
	unsigned		*pidbuf;
};

void
procscan_sanitize(char *s)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 n;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f) {
			*p++ = '?';
			continue;
		}
		n = fmt_utf8_len(p);
		if (n == 0) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}

static void
procscan_clear(struct procscan *ps)
{
	size_t	i;

	for (i = 0; i < ps->nprocs; i++)
		free(ps->procs[i].cmdline);
	ps->nprocs = 0;
}

struct procscan *
procscan_create(const char **cause)
{
	struct procscan	*ps = xcalloc(1, sizeof *ps);
	enum pids_item	 ritems[ROLLUP_N + 2];
	size_t		 i;

	for (i = 0; i < ROLLUP_N; i++)
		ritems[i] = rollup_map[i].item;
	ritems[R_PID] = PIDS_ID_PID;
	ritems[R_START] = PIDS_TICS_BEGAN;

	if (procps_pids_new(&ps->cheap, cheap_items, C__COUNT) < 0 ||
	    procps_pids_new(&ps->ident, ident_items, I__COUNT) < 0 ||
	    procps_pids_new(&ps->rollup, ritems, (int)(ROLLUP_N + 2)) < 0) {
		*cause = "libproc2: cannot create a pids handle (is /proc mounted?)";
		procscan_free(ps);
		return NULL;
	}
	ps->pidbuf = xcalloc(SELECT_MAX, sizeof *ps->pidbuf);
	return ps;
}

void
procscan_free(struct procscan *ps)
{
	if (ps == NULL)
		return;
	procscan_clear(ps);
	if (ps->cheap != NULL)
		procps_pids_unref(&ps->cheap);
	if (ps->ident != NULL)
		procps_pids_unref(&ps->ident);
	if (ps->rollup != NULL)
		procps_pids_unref(&ps->rollup);
	free(ps->procs);
	free(ps->pidbuf);
	free(ps);
}

int
procscan_cheap(struct procscan *ps, struct proc_sample **out, size_t *n,
    const char **cause)
{
	struct pids_fetch	*f;
	int			 i, total, k;

	procscan_clear(ps);
	f = procps_pids_reap(ps->cheap, PIDS_FETCH_TASKS_ONLY);
	if (f == NULL) {
		*cause = "libproc2: reading /proc failed";
		return -1;
	}
	total = f->counts->total;
	if ((size_t)total > ps->cap) {
		ps->cap = (size_t)total + 64;
		ps->procs = xreallocarray(ps->procs, ps->cap, sizeof *ps->procs);
	}
	for (i = 0; i < total; i++) {
		struct pids_result	*r = f->stacks[i]->head;
		struct proc_sample	*p = &ps->procs[ps->nprocs++];
		const char		*cmd = r[C_CMD].result.str;

		memset(p, 0, sizeof *p);
		p->pid = r[C_PID].result.s_int;
		p->ppid = r[C_PPID].result.s_int;
		p->start = r[C_START].result.ull_int;
		p->uid = r[C_EUID].result.u_int;
		p->state = (char)r[C_STATE].result.s_ch;
		p->kthread = (r[C_FLAGS].result.ul_int & PF_KTHREAD) != 0 ||
		    p->pid == 2 || p->ppid == 2;
		snprintf(p->comm, sizeof p->comm, "%s", cmd != NULL ? cmd : "");
		procscan_sanitize(p->comm);
		for (k = 0; k < FIG__COUNT; k++)
			p->fig[k] = FIG_NA;
		if (!p->kthread) {
			for (k = C_RSS; k < C__COUNT; k++)
				p->fig[cheap_figs[k]] =
				    (uint64_t)r[k].result.ul_int * 1024;
		}
	}
	*out = ps->procs;
	*n = ps->nprocs;
	return 0;
}

/*
 * Runs one libproc2 select over sel in chunks of SELECT_MAX and calls fill for
 * each answer whose pid and start time match a requested process.
 */
static size_t
procscan_select(struct procscan *ps, struct pids_info *info, int pid_slot,
    int start_slot, struct proc_sample **sel, size_t n,
    void (*fill)(struct proc_sample *, struct pids_result *))
{
	size_t	 done = 0, off, i, chunk;
	int	 j;

	for (off = 0; off < n; off += chunk) {
		struct pids_fetch	*f;

		chunk = n - off < SELECT_MAX ? n - off : SELECT_MAX;
		for (i = 0; i < chunk; i++)
			ps->pidbuf[i] = (unsigned)sel[off + i]->pid;
		f = procps_pids_select(info, ps->pidbuf, (int)chunk,
		    PIDS_SELECT_PID);
		if (f == NULL)
			continue;
		for (j = 0; j < f->counts->total; j++) {
			struct pids_result	*r = f->stacks[j]->head;
			int			 pid = r[pid_slot].result.s_int;

			/* answers usually come in the order asked */
			for (i = 0; i < chunk; i++) {
				size_t			 k = ((size_t)j + i) % chunk;
				struct proc_sample	*p = sel[off + k];

				if (p->pid != pid)
					continue;
				if (p->start == r[start_slot].result.ull_int) {
					fill(p, r);
					done++;
				}
				break;
			}
		}
	}
	return done;
}

static void
fill_ident(struct proc_sample *p, struct pids_result *r)
{
	const char	*s = r[I_CMDLINE].result.str;

	free(p->cmdline);
	p->cmdline = xstrdup(s != NULL ? s : "");
	procscan_sanitize(p->cmdline);
	p->ident_read = true;
}

size_t
procscan_ident(struct procscan *ps, struct proc_sample **sel, size_t n)
{
	return procscan_select(ps, ps->ident, I_PID, I_START, sel, n,
	    fill_ident);
}

static void
fill_rollup(struct proc_sample *p, struct pids_result *r)
{
	size_t	i;

	if (p->kthread)
		return;
	/*
	 * libproc2 reports an unreadable or vanished smaps_rollup as all
	 * zeros: a process with resident memory but no rollup Rss is unknown.
	 */
	if (r[0].result.ul_int == 0 && r[ROLLUP_N - 1].result.ul_int == 0 &&
	    p->fig[FIG_RSS] != 0 && p->fig[FIG_RSS] != FIG_NA)
		return;
	for (i = 0; i < ROLLUP_N; i++)
		p->fig[rollup_map[i].fig] = (uint64_t)r[i].result.ul_int * 1024;
	p->rollup_read = true;
}

size_t
procscan_rollup(struct procscan *ps, struct proc_sample **sel, size_t n)
{
	return procscan_select(ps, ps->rollup, (int)R_PID, (int)R_START, sel,
	    n, fill_rollup);
}
