#ifndef MEMTOP_MODEL_RING_H
#define MEMTOP_MODEL_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A fixed-capacity history of one figure: 16-bit samples (11-bit mantissa,
 * 5-bit exponent of KiB: relative error below 1/1024, up to 4 PiB). While
 * the figure stays constant no buffer is allocated at all, so idle processes
 * cost a few bytes; the most a ring can take is 2 x capacity bytes.
 */
struct ring {
	uint16_t	*buf;		/* NULL while every sample is cval */
	uint16_t	 cval;		/* the constant, while buf is NULL */
	uint32_t	 cap;
	uint32_t	 n;		/* samples held, <= cap */
	uint32_t	 head;		/* next write position in buf */
};

#define RING_NA		0xffff	/* an unknown sample */

void		ring_init(struct ring *, uint32_t cap);
void		ring_done(struct ring *);
/* Appends bytes (FIG_NA / UINT64_MAX: unknown). */
void		ring_push(struct ring *, uint64_t bytes);
/*
 * Replaces the newest sample (appends if there is none): a ring of one
 * sample, or whose constant it is, stays without a buffer.
 */
void		ring_amend(struct ring *, uint64_t bytes);
/*
 * An empty ring given n samples at once, as ring codes, oldest first (the
 * newest cap of them): one copy, and no buffer if they are all the same.
 */
void		ring_fill(struct ring *, const uint16_t *codes, size_t n);
/* Sample i back from the newest (0 = newest), in bytes; UINT64_MAX if
 * unknown or i >= n. */
uint64_t	ring_get(const struct ring *, uint32_t i);
/* Smallest known sample among the newest count; UINT64_MAX if none. */
uint64_t	ring_min(const struct ring *, uint32_t count);
uint64_t	ring_max(const struct ring *, uint32_t count);
/* Bytes of heap the ring holds. */
size_t		ring_heap(const struct ring *);

/* The 16-bit code of a byte count, and back (exposed for tests). */
uint16_t	ring_encode(uint64_t bytes);
uint64_t	ring_decode(uint16_t);

#endif
