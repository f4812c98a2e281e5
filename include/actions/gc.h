#ifndef MEMTOP_ACTIONS_GC_H
#define MEMTOP_ACTIONS_GC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "actions/hotspot.h"

/*
 * A forced V8 garbage collection in a Node process, safely: refuse unless it
 * is Node and catches SIGUSR1; use an open inspector or open one with
 * SIGUSR1 and find its new listening socket by inode; talk CDP inside the
 * process's network namespace (a forked child that setns()es); close what
 * was opened. Once SIGUSR1 is sent, closing the inspector it may open is a
 * duty that outlives a cancel and the parent: the child then only watches,
 * for a bounded time (open_timeout + watch after the signal), and closes the
 * inspector when it appears. The child reports progress and the result as
 * JSON lines over a pipe (see job.h, which decodes them).
 */

struct gc_opts {
	double	open_timeout;	/* for the inspector to listen (3 s) */
	double	attach_timeout;	/* for a JVM's attach socket (10 s) */
	double	call_timeout;	/* each CDP call (10 s) */
	double	gc_timeout;	/* HeapProfiler.collectGarbage (30 s) */
	double	watch;		/* then keep watching to close it (120 s) */
	double	settle;		/* before measuring after (0.5 s) */
	const char *proc_root;
};

void	gc_opts_default(struct gc_opts *);

/*
 * V8's own figures, from process.memoryUsage(), and heap_limit from
 * v8.getHeapStatistics().heap_size_limit (UINT64_MAX when Node would not
 * say: the limit is optional, the rest is not).
 */
struct v8_mem {
	bool		ok;
	uint64_t	rss, heap_total, heap_used, external, array_buffers;
	uint64_t	heap_limit;
};

/* The runtimes g collects. */
enum gc_runtime {
	GC_RT_UNKNOWN,
	GC_RT_NODE,		/* V8, through its inspector */
	GC_RT_HOTSPOT		/* a HotSpot JVM, through its attach socket */
};

/* "node", "hotspot" (JSON), or NULL for GC_RT_UNKNOWN. */
const char *gc_runtime_name(enum gc_runtime);

struct gc_result {
	int			pid;
	enum gc_runtime		runtime;
	unsigned long long	start;		/* its start time (ticks) */
	bool			ok;		/* collected and measured */
	char			error[256];
	uint64_t		rss_before, rss_after;	/* UINT64_MAX unknown */
	uint64_t		pss_anon_before, pss_anon_after;
	struct v8_mem		v8_before, v8_after;	/* Node */
	struct hs_heap		heap_before, heap_after; /* HotSpot */
	struct hs_nmt		nmt;		/* HotSpot's NMT, after */
	/* Node: its inspector; HotSpot: its attach socket */
	bool			inspector_was_open;	/* used, left open */
	bool			signalled;	/* SIGUSR1 / SIGQUIT sent */
	bool			inspector_closed; /* nothing memtop opened is
						     left listening */
	bool			watching;	/* still watching to close it */
	bool			cancelled;
	bool			target_exited;
	int			port;		/* 0 unknown */
	char			addr[64];	/* "127.0.0.1:9229", or the
						   JVM's "/tmp/.java_pid1" */
	char			netns[40];	/* "net:[4026531840]" */
	double			duration_ms;
	char			note[256];
	char			closer[320];	/* what the watch did */
};

/*
 * Checks that pid may be collected (not a zombie, Node or a HotSpot JVM,
 * the signal caught when one is needed, not stopped or traced,
 * privileges). NULL if yes, else why not (static or in buf). rt (may be
 * NULL) gets the runtime it recognised.
 */
const char *gc_check(int pid, const char *proc_root, char *buf, size_t len);
const char *gc_check_runtime(int pid, const char *proc_root,
	    enum gc_runtime *rt, char *buf, size_t len);

/* VmRSS and Pss_Anon of pid now (UINT64_MAX unknown). */
void	gc_measure(const char *proc_root, int pid, uint64_t *rss,
	    uint64_t *pss_anon);

/* Where gc_run reports: progress lines and results (borrowed). */
struct gc_sink {
	void	(*progress)(void *, const char *);
	/* called once, or twice: with watching set, then the final one */
	void	(*result)(void *, const struct gc_result *);
	void	*arg;
};

/* A progress line to the sink (nothing if it takes none). */
void	gc_say(const struct gc_sink *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Runs the GC of pid (start 0: whatever process has that pid now) in this
 * process (the child's body: it enters the target's network namespace).
 * Returns when nothing memtop opened can be left listening, or when the
 * watch is over.
 */
void	gc_run(int pid, unsigned long long start, const struct gc_opts *,
	    const struct gc_sink *);

/*
 * The child's whole life, after fork: detaches from the session, ignores
 * SIGHUP/SIGINT/SIGPIPE, turns SIGTERM and the parent's death into a cancel,
 * runs gc_run reporting JSON lines to fd, then _exit()s.
 */
void	gc_child(int pid, unsigned long long start, const struct gc_opts *,
	    int fd) __attribute__((noreturn));

/* The result as JSON (the caller's), and back (gc_result.c). */
json_t	*gc_result_json(const struct gc_result *);
int	 gc_result_from_json(json_t *, struct gc_result *);
void	 gc_result_init(struct gc_result *, int pid, unsigned long long start);
/* Sets the result's one-line error. */
void	 gc_result_error(struct gc_result *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * The answer to Runtime.evaluate of JSON.stringify(process.memoryUsage()):
 * 0 with v filled, -1 if it is not that (pure, fuzzed).
 */
int	 gc_parse_memory_usage(json_t *result, struct v8_mem *v);

/* "outside V8" = RSS - (heapTotal + external + arrayBuffers); -1 unknown. */
int64_t	 gc_outside_v8(const struct v8_mem *);

/*
 * Outside the runtime's heap, before or after the GC: outside V8 for
 * Node, RSS - the Java heap's committed bytes for HotSpot; -1 unknown.
 */
int64_t	 gc_outside_heap(const struct gc_result *, bool after);

#endif
