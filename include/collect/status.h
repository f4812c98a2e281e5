#ifndef MEMTOP_COLLECT_STATUS_H
#define MEMTOP_COLLECT_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What memtop needs from /proc/PID/status, limits and exe of one process. */
struct proc_status {
	char		name[64];	/* Name:, sanitised */
	char		state;		/* State: R S D T t Z ... */
	int		tracer_pid;	/* TracerPid: */
	uint64_t	sig_caught;	/* SigCgt: bit n-1 = signal n */
	uint64_t	sig_blocked;	/* SigBlk: */
	uint64_t	sig_ignored;	/* SigIgn: */
	int		nspid;		/* innermost NSpid:, or the pid */
	unsigned	uid;		/* effective */
	bool		have_sigcgt;	/* the line was there and parsed */
	char		exe[256];	/* basename of /proc/PID/exe, "" unknown */
	uint64_t	stack_limit;	/* soft "Max stack size", 0 unknown */
};

/* Parses status text. Returns 0, or -1 if it has no Name: line. */
int	status_parse(const char *buf, size_t len, struct proc_status *);

/* Parses /proc/PID/limits text for the soft stack limit (bytes; 0 if none). */
uint64_t limits_stack(const char *buf, size_t len);

/*
 * The "Key:   N kB" figure of status or smaps_rollup text, in bytes;
 * UINT64_MAX if absent or malformed.
 */
uint64_t kb_field(const char *buf, size_t len, const char *key);

/* Reads one kB figure of /proc/PID/<file> (status, smaps_rollup). */
uint64_t proc_kb_field(const char *proc_root, int pid, const char *file,
	    const char *key);

/* Reads status, limits and exe under proc_root. 0 or -errno. */
int	status_read(const char *proc_root, int pid, struct proc_status *);

#endif
