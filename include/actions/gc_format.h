#ifndef MEMTOP_ACTIONS_GC_FORMAT_H
#define MEMTOP_ACTIONS_GC_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions/gc.h"

/*
 * The one formatter of a GC result: the dashboard's status line, its detail
 * view and memtop gc all print these texts (pure, tested).
 */

/* "Outside V8" (or the Java heap) counts as large from this much on. */
#define GC_OUTSIDE_LARGE	(128ULL << 20)

/*
 * The verdict: what the GC freed (before -> after, share of RSS) and what
 * is left outside the runtime's heap (V8's, or a JVM's Java heap). It
 * points at glibc arenas only when the part outside is large and the arena
 * finding fired for the process (arena).
 */
void	gc_format_verdict(const struct gc_result *, bool arena, char *buf,
	    size_t len);

/* One line: "GC pid N: RSS a -> b (-x, y%), ...; verdict" or the error. */
void	gc_format_summary(const struct gc_result *, bool arena, char *buf,
	    size_t len);

/*
 * Every line of the result, each as (label, text): summary, V8 figures
 * (a JVM's: Java heap and Metaspace, NMT's largest categories), outside
 * the heap, verdict, inspector (a JVM's: "attach"), note.
 */
void	gc_format_lines(const struct gc_result *, bool arena,
	    void (*line)(void *, const char *label, const char *text),
	    void *arg);

/*
 * What happened to the inspector memtop opened (a JVM's attach socket), in
 * one line.
 */
void	gc_format_inspector(const struct gc_result *, char *buf, size_t len);

#endif
