#ifndef MEMTOP_COLLECT_PROCSCAN_H
#define MEMTOP_COLLECT_PROCSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/figure.h"

/*
 * Process scanning. Three tiers, so that which files are read is chosen per
 * process and per tick:
 *   cheap   every process (not thread): stat, and statm or status, read
 *           directly through files kept open between ticks
 *           (collect/fdcache.h): status for a new process or one with swap,
 *           when statm's resident or shared total is not what status said,
 *           or when what it said is older than the status age
 *   ident   selected processes: cmdline
 *   rollup  selected processes: smaps_rollup (the kernel walks page tables),
 *           through the same open files
 */

struct proc_sample {
	int		 pid;
	int		 ppid;
	unsigned long long start;	/* start time in clock ticks since boot */
	unsigned	 uid;		/* effective uid */
	char		 state;
	bool		 kthread;
	char		 comm[64];	/* sanitised: printable ASCII/UTF-8 only */
	char		*cmdline;	/* owned; NULL until ident is read */
	bool		 ident_read;	/* ident tier answered for this process */
	bool		 rollup_read;	/* rollup tier answered, figures valid */
	uint64_t	 fig[FIG__COUNT];	/* bytes or FIG_NA */
};

struct procscan;

/* Creates the scanner; NULL with *cause set (static string) on failure. */
struct procscan	*procscan_create(const char **cause);
void		 procscan_free(struct procscan *);
/* Its /proc files are left open when it is freed: fdcache_leave_open. */
void		 procscan_leave_open(struct procscan *);

/*
 * Reads the cheap tier for every process. *out is an array owned by the
 * scanner, valid until the next procscan_cheap call; ident and rollup figures
 * are FIG_NA. Returns 0 or -1 (with *cause).
 */
int	procscan_cheap(struct procscan *, struct proc_sample **out, size_t *n,
	    const char **cause);

/*
 * Reads the cheap tier of one process (as procscan_cheap, valid until the
 * next call). 0, or -1 if it is gone.
 */
int	procscan_one(struct procscan *, int pid, struct proc_sample **out);

/*
 * Reads the ident (cmdline) or rollup (smaps_rollup) tier of the given
 * processes, in place. A process that vanished, or was replaced by another
 * with the same pid, keeps its figures FIG_NA. Returns how many answered.
 */
size_t	procscan_ident(struct procscan *, struct proc_sample **sel, size_t n);
size_t	procscan_rollup(struct procscan *, struct proc_sample **sel, size_t n);

/*
 * Parses /proc/PID/stat text (NUL-terminated) into pid, comm (sanitised),
 * state, ppid, start and kthread. 0, or -1 if malformed.
 */
int	procscan_parse_stat(const char *buf, struct proc_sample *);

/*
 * Parses the status lines the cheap tier uses (NUL-terminated text): the
 * effective uid, VmRSS, RssAnon, RssFile, RssShmem, VmSwap (0 when absent).
 * 1 if VmSwap (the last) was there: a zombie has none, and neither has a
 * status cut short by the buffer (its figures are then unknown).
 */
int	procscan_parse_status(const char *buf, struct proc_sample *);

/*
 * How old the status figures of a process whose statm did not move may be
 * (seconds; 10 by default; 0: status read every time; what was kept before
 * a change is judged by the new age), and how many status files were read
 * so far.
 */
void	procscan_set_status_age(struct procscan *, double seconds);
size_t	procscan_status_reads(const struct procscan *);

/* Replaces control bytes and invalid UTF-8 in s (in place) with '?'. */
void	procscan_sanitize(char *s);

#endif
