#ifndef MEMTOP_ANALYSE_DETECTORS_H
#define MEMTOP_ANALYSE_DETECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/maps.h"

/*
 * Named rules over a process's mappings, each a row of one table (tmux's
 * cmd_table): adding a rule is adding an entry.
 */

struct finding {
	const char	*rule;		/* "v8-pages", "glibc-arenas", ... */
	uint64_t	 count;
	uint64_t	 size;		/* bytes mapped */
	uint64_t	 rss;		/* UINT64_MAX without smaps */
	char		 text[256];	/* one line for the screen */
};

/* What a rule may know about the process besides its mappings. */
struct detect_ctx {
	const char	*comm;
	const char	*exe;		/* basename of /proc/PID/exe, or NULL */
	uint64_t	 stack_limit;	/* ulimit -s in bytes (8 MiB default) */
};

/* The rules, rows of detector_table in this order. */
enum detect_rule {
	DETECT_V8,
	DETECT_ARENAS,
	DETECT_STACKS,
	DETECT_JHEAP,
	DETECT_RULES
};

/*
 * One pass of every rule over a process's mappings, in address order: a
 * rule sees a mapping and the one before it (prev, its name not kept), so
 * the mappings need never be in memory at once.
 */
struct detect_run {
	bool		 node;		/* comm/exe name Node.js */
	bool		 jvm;		/* libjvm.so seen so far */
	uint64_t	 stack_limit;
	struct mapping	 prev;
	bool		 have_prev;
	struct finding	 f[DETECT_RULES];	/* by rule; rss from 0 */
	/* glibc-arenas: prev is a candidate, waiting for the next mapping */
	bool		 arena_wait;
	/* thread-stacks: HotSpot's 1 MiB ones, added at the end in a JVM */
	struct finding	 jvm_stacks;
	/* java-heap */
	bool		 in_code;
	uint64_t	 code;
	uint64_t	 code_res;
	uint64_t	 heap_rw;
};

struct detector {
	const char	*rule;
	const char	*explain;	/* what it means, for help and --json */
	/* after the last mapping: writes f->text and returns true if fired */
	bool		(*end)(struct detect_run *, struct finding *f);
};

extern const struct detector detector_table[];
extern const size_t detector_count;

void		detect_begin(struct detect_run *, const struct detect_ctx *);
void		detect_feed(struct detect_run *, const struct mapping *);
/*
 * After the last mapping: fills every rule's finding (d->f[i], counted
 * whether it fired or not; rss UINT64_MAX unless have_rss) and returns a
 * bit per rule that fired (bit i = detector_table[i]).
 */
unsigned	detect_end(struct detect_run *, bool have_rss);

/* Runs every rule; returns how many fired (at most max written). */
size_t	detect_all(const struct maps *, const struct detect_ctx *,
	    struct finding *out, size_t max);

/* Whether a program name (a basename) is a Node.js binary's. */
bool	detect_node_name(const char *);
/* Whether comm/exe name a Node.js binary. */
bool	detect_is_node(const struct detect_ctx *);
/* Whether libjvm.so is among the mappings (a HotSpot JVM). */
bool	detect_is_jvm(const struct maps *);

#endif
