#ifndef MEMTOP_ACTIONS_GC_H
#define MEMTOP_ACTIONS_GC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * A forced V8 garbage collection in a Node process, safely: refuse unless it
 * is Node and catches SIGUSR1; use an open inspector or open one with
 * SIGUSR1 and find its new listening socket; talk CDP inside the process's
 * network namespace (a forked child that setns()es); close what was opened.
 * The child reports progress and the result as JSON lines over a pipe.
 */

struct gc_opts {
	double	open_timeout;	/* for the inspector to listen (3 s) */
	double	call_timeout;	/* each CDP call (10 s) */
	double	gc_timeout;	/* HeapProfiler.collectGarbage (30 s) */
	double	watch;		/* keep watching for a late inspector (30 s) */
	double	settle;		/* before measuring after (0.5 s) */
	const char *proc_root;
};

void	gc_opts_default(struct gc_opts *);

/* V8's own figures, from process.memoryUsage(). */
struct v8_mem {
	bool		ok;
	uint64_t	rss, heap_total, heap_used, external, array_buffers;
};

struct gc_result {
	int		pid;
	bool		ok;
	char		error[256];
	uint64_t	rss_before, rss_after;		/* UINT64_MAX unknown */
	uint64_t	pss_anon_before, pss_anon_after;
	struct v8_mem	v8_before, v8_after;
	bool		inspector_was_open;
	bool		inspector_closed;
	int		port;
	double		duration_ms;
	char		note[256];
};

/*
 * Checks that pid may be collected (Node, SIGUSR1 caught, not stopped or
 * traced, privileges). NULL if yes, else why not (static or in buf).
 */
const char *gc_check(int pid, const char *proc_root, char *buf, size_t len);

/*
 * Starts the GC in a child. Returns its pid and the read end of its pipe
 * (JSON lines: {"progress": "..."} then {"result": {...}}), or -1 with err.
 */
pid_t	gc_start(int pid, const struct gc_opts *, int *fd, char *err,
	    size_t errlen);

/* Runs it in this process (the child's body); fills r. */
void	gc_run(int pid, const struct gc_opts *, struct gc_result *r,
	    void (*progress)(void *, const char *), void *arg);

/* The result as JSON (the caller's), and back. */
json_t	*gc_result_json(const struct gc_result *);
int	 gc_result_from_json(json_t *, struct gc_result *);

/*
 * The answer to Runtime.evaluate of JSON.stringify(process.memoryUsage()):
 * 0 with v filled, -1 if it is not that (pure, fuzzed).
 */
int	 gc_parse_memory_usage(json_t *result, struct v8_mem *v);

/* "outside V8" = RSS - (heapTotal + external + arrayBuffers); -1 unknown. */
int64_t	 gc_outside_v8(const struct v8_mem *);

#endif
