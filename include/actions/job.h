#ifndef MEMTOP_ACTIONS_JOB_H
#define MEMTOP_ACTIONS_JOB_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "actions/gc.h"
#include "util/readfile.h"

/*
 * Actions as jobs: each runs in a forked child that reports JSON lines over
 * a pipe ({"progress": "..."}, {"result": {...}}, the last result final).
 * The runner spawns them, reads their pipes without blocking, decodes the
 * lines (the one decoder of the GC protocol) and keeps each process's last
 * result, keyed by its identity (pid + start time). Used by the dashboard's
 * loop and by memtop gc.
 */

/* What one call of job_runner_input found, as bits. */
#define JOB_PROGRESS	0x1	/* a progress line (job->progress) */
#define JOB_RESULT	0x2	/* a result (job->result, final or watching) */
#define JOB_ENDED	0x4	/* a child exited; its job is gone */

struct job {
	int			 id;
	pid_t			 child;
	int			 fd;		/* the pipe; -1 once closed */
	int			 pid;		/* the target's identity */
	unsigned long long	 start;
	bool			 cancelled;
	bool			 have_result;
	struct gc_result	 result;	/* the newest */
	char			 progress[320];	/* the newest */
	struct buf		 in;		/* an unfinished line */
};

/* A process's newest GC result, by identity. */
struct job_done {
	int			 pid;
	unsigned long long	 start;
	struct gc_result	 r;
};

struct job_runner {
	struct job		**jobs;		/* running */
	size_t			  njobs;
	struct job_done		 *done;
	size_t			  ndone;
	int			  next_id;
	/* filled by job_runner_input: the job it had news of */
	struct job		 *last;		/* NULL once it ended */
	int			  last_pid;
	unsigned long long	  last_start;
	char			  ended_why[160]; /* died without a result */
};

void	job_runner_init(struct job_runner *);
/*
 * Cancels what still runs (each child then only closes what it opened, on
 * its own, outliving memtop) and frees everything; never waits.
 */
void	job_runner_done(struct job_runner *);

/*
 * Starts a GC of (pid, start) in a child. Returns the job (borrowed until
 * it ends), or NULL with err.
 */
struct job *job_start_gc(struct job_runner *, int pid,
	    unsigned long long start, const struct gc_opts *, char *err,
	    size_t errlen);

/* The pipes to poll (POLLIN), at most max; returns how many. */
size_t	job_runner_pollfds(const struct job_runner *, struct pollfd *,
	    size_t max);

/*
 * Reads what the job behind fd has written, without blocking, and decodes
 * whole lines. Returns JOB_* bits; runner->last is the job (NULL once it
 * ended: then its last result is in the done table).
 */
int	job_runner_input(struct job_runner *, int fd);

/* Asks the job to cancel (SIGTERM): the child closes what it opened. */
void	job_cancel(struct job *);

/* The newest result for a process, or NULL. */
const struct gc_result *job_result(const struct job_runner *, int pid,
	    unsigned long long start);

/* A running job of the process, or NULL. */
struct job *job_find(const struct job_runner *, int pid,
	    unsigned long long start);

/* Decodes one line of a child's report into the job (pure; fuzzed). */
int	job_decode_line(struct job *, const char *line, size_t len);

#endif
