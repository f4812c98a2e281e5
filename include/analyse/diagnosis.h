#ifndef MEMTOP_ANALYSE_DIAGNOSIS_H
#define MEMTOP_ANALYSE_DIAGNOSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/tree.h"

/*
 * Why a pod (or a process) holds the memory it does, from rules kept as a
 * table like the mapping rules: each verdict names a rule, the bytes it
 * explains, one line for the screen and advice. Rules that explain a pod's
 * memory (V8 garbage, glibc arenas, shared memory) share one budget: the
 * pod's excess over its replicas' median when it has siblings on the node,
 * else its anonymous memory; so their bytes never add up to more than the
 * excess they explain. Rules about its state (near its limit, swapping)
 * explain nothing and say so.
 */

#define DIAG_MAX	6

struct diag {
	const char	*rule;		/* "v8-garbage", "glibc-arenas", ... */
	uint64_t	 bytes;		/* what it explains (or is about) */
	bool		 explains;	/* counted against the excess */
	char		 text[200];
	char		 advice[240];
};

struct diag_set {
	struct diag	d[DIAG_MAX];
	size_t		n;
	uint64_t	budget;		/* the excess, or the anon memory */
	bool		vs_replicas;	/* budget is an excess over replicas */
};

struct diag_rule {
	const char	*rule;
	const char	*explain;	/* what it means (help, docs) */
};
extern const struct diag_rule	diag_rule_table[];
extern const size_t		diag_rule_count;

/*
 * What a forced GC of one of the subject's processes showed, as plain
 * figures (the GC itself is an action; analyse does not know it).
 */
struct diag_gc {
	uint64_t	rss_before, rss_after;	/* FIG_NA if unknown */
	int64_t		outside_heap_after;	/* RSS - the runtime's heap
						   (V8's, the Java heap's
						   committed); < 0 unknown */
	bool		jvm;	/* a HotSpot JVM's, else Node's */
};

/*
 * What the GC proved, in one line: "GC freed 565M of 648M RSS (87 %): it
 * was V8 garbage; the pod is now +12M over its replicas, of which 11M is
 * outside V8" (a JVM's: "Java heap garbage", "outside the Java heap"),
 * pointing at the arenas (with their numbers) when the excess
 * stays large and that rule fires. g may be NULL (a process without a pod).
 * False if the GC measured nothing.
 */
bool	diagnose_gc(const struct tree *t, const struct tree_group *g,
	    const struct diag_gc *, char *buf, size_t len);

/*
 * A --max-old-space-size to suggest, in MiB, from what was measured: twice
 * the heap V8 still used after a forced GC (heap_used_after, FIG_NA if no
 * GC), else the replicas' median anonymous memory; rounded up to 64 MiB,
 * at least 128. 0: nothing measured to derive it from.
 */
uint64_t diagnose_old_space_mib(const struct tree_replicas *,
	    uint64_t heap_used_after);

/* Diagnoses group g of tree t (its siblings are found in t). */
void	diagnose_group(const struct tree *t, const struct tree_group *g,
	    struct diag_set *out);
/* Diagnoses one process (no baseline but its own memory). */
void	diagnose_proc(const struct tree_proc *p, struct diag_set *out);

#endif
