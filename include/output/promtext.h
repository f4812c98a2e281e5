#ifndef MEMTOP_OUTPUT_PROMTEXT_H
#define MEMTOP_OUTPUT_PROMTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A growing text buffer for the Prometheus exposition, and the pieces of the
 * format (labels, HELP/TYPE heads, integers) written into it without stdio.
 * Kept from one exposition to the next, its memory is reused: a steady
 * refresh neither grows nor zeroes it. Like xmalloc, it does not come back
 * without memory. Zeroed, it is empty.
 */
struct promtext {
	char	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 hint;		/* the size of the last text taken */
};

/* Room for n more bytes. */
void	 promtext_reserve(struct promtext *, size_t n);
/* Appends the n bytes at s; a string; a character. */
void	 promtext_put(struct promtext *, const char *s, size_t n);
void	 promtext_puts(struct promtext *, const char *s);
void	 promtext_putc(struct promtext *, char c);
/* A number in decimal, as printf's %lld / %llu would write it. */
void	 promtext_i64(struct promtext *, int64_t);
void	 promtext_u64(struct promtext *, uint64_t);

/*
 * A label name="value", a comma before it unless *first (then cleared).
 * Backslash, double quote and newline are escaped, invalid UTF-8 becomes
 * '?' (Prometheus refuses a whole scrape over one bad value). An empty or
 * NULL value is the same as no label to Prometheus: nothing is written.
 */
void	 promtext_label(struct promtext *, const char *name, const char *v,
	    bool *first);

/* "# HELP name help" (help escaped) and "# TYPE name type". */
void	 promtext_head(struct promtext *, const char *name, const char *type,
	    const char *help);

/*
 * Gives back what the text no longer needs when it is much bigger than the
 * text (after a burst of series): the buffer keeps its size plus an eighth.
 */
void	 promtext_trim(struct promtext *);

/*
 * Hands the text over (the caller frees it; its length in *len): the
 * buffer is empty again, and its next allocation is the size of this text.
 */
char	*promtext_take(struct promtext *, size_t *len);

/* Frees the buffer (then empty). */
void	 promtext_done(struct promtext *);

#endif
