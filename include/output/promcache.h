#ifndef MEMTOP_OUTPUT_PROMCACHE_H
#define MEMTOP_OUTPUT_PROMCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output/promtext.h"

/*
 * The render cache of the exposition: a series' lines of every family of a
 * level (container, process) as one text, kept by its labels with the
 * values it was rendered from, and written from it while they stay the
 * same (compared exactly, not by a hash). A series an exposition did not
 * ask for leaves the cache at its end.
 */
struct promcache_block {
	char		*key;		/* the series' labels, without braces */
	int64_t		*val;		/* per family (0 when unknown) */
	bool		*known;
	size_t		*off;		/* per family, then the end */
	char		*text;
	size_t		 nfam;
};

/* Zeroed, it is empty. */
struct promcache {
	struct promcache_block	*v;	/* the last exposition's, by key */
	size_t			 n;
	struct promcache_block	*next;	/* this exposition's, in order */
	size_t			 nnext, cap;
	size_t			 renders;	/* blocks rendered since start */
	struct promtext		 scratch;	/* where a block is rendered */
};

/*
 * The index, among this exposition's blocks, of the series with labels
 * key whose values of the nfam families are val (known[k]: val[k] was
 * read): the last exposition's block if the labels and values are the
 * same, else one rendered now, a line "PREFIXname{key} value" per known
 * family (names[k]).
 */
size_t	promcache_get(struct promcache *, const char *prefix,
	    const char *const *names, size_t nfam, const char *key,
	    const int64_t *val, const bool *known);

/* Appends family k's line of block i (nothing when its value is unknown). */
void	promcache_put(struct promtext *, const struct promcache *, size_t i,
	    size_t k);

/* The exposition is written: its blocks become the cache, the rest go. */
void	promcache_end(struct promcache *);

/* Frees every block (then empty, its render count 0). */
void	promcache_free(struct promcache *);

#endif
