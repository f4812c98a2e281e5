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

struct detector {
	const char	*rule;
	const char	*explain;	/* what it means, for help and --json */
	/* fills f and returns true when the rule fires */
	bool		(*detect)(const struct maps *, const struct detect_ctx *,
			    struct finding *f);
};

extern const struct detector detector_table[];
extern const size_t detector_count;

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
