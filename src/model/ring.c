#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/ring.h"
#include "util/xmalloc.h"

uint16_t
ring_encode(uint64_t bytes)
{
	uint64_t	kib;
	unsigned	e = 0;

	if (bytes == UINT64_MAX)
		return RING_NA;
	kib = (bytes + 512) >> 10;
	while (kib >= 2048 && e < 31) {
		kib = (kib + 1) >> 1;
		e++;
	}
	if (kib >= 2048)
		kib = 2047;
	if (e == 31 && kib == 2047)
		kib = 2046;	/* keep RING_NA free */
	return (uint16_t)((e << 11) | kib);
}

uint64_t
ring_decode(uint16_t c)
{
	if (c == RING_NA)
		return UINT64_MAX;
	return ((uint64_t)(c & 0x7ff) << (c >> 11)) << 10;
}

void
ring_init(struct ring *r, uint32_t cap)
{
	memset(r, 0, sizeof *r);
	r->cap = cap ? cap : 1;
}

void
ring_done(struct ring *r)
{
	free(r->buf);
	r->buf = NULL;
	r->n = 0;
}

void
ring_push(struct ring *r, uint64_t bytes)
{
	uint16_t	c = ring_encode(bytes);
	uint32_t	i;

	if (r->buf == NULL) {
		if (r->n == 0 || c == r->cval) {
			r->cval = c;
			if (r->n < r->cap)
				r->n++;
			return;
		}
		/* the first change: materialise the constant run */
		r->buf = xcalloc(r->cap, sizeof *r->buf);
		for (i = 0; i < r->n; i++)
			r->buf[i] = r->cval;
		r->head = r->n % r->cap;
	}
	r->buf[r->head] = c;
	r->head = (r->head + 1) % r->cap;
	if (r->n < r->cap)
		r->n++;
}

void
ring_amend(struct ring *r, uint64_t bytes)
{
	uint16_t	c = ring_encode(bytes);

	if (r->n == 0 || (r->buf == NULL && r->n > 1 && c != r->cval)) {
		/* nothing to replace; or a run that is no longer constant */
		r->n -= r->n > 0;
		ring_push(r, bytes);
		return;
	}
	if (r->buf == NULL)
		r->cval = c;	/* one sample, or the same */
	else
		r->buf[(r->head + r->cap - 1) % r->cap] = c;
}

void
ring_fill(struct ring *r, const uint16_t *codes, size_t n)
{
	size_t	i;

	if (n > r->cap) {
		codes += n - r->cap;
		n = r->cap;
	}
	ring_done(r);
	r->head = 0;
	r->n = (uint32_t)n;
	for (i = 1; i < n && codes[i] == codes[0]; i++)
		;
	if (i >= n) {
		r->cval = n > 0 ? codes[0] : 0;
		return;
	}
	r->buf = xcalloc(r->cap, sizeof *r->buf);
	memcpy(r->buf, codes, n * sizeof *codes);
	r->head = (uint32_t)(n % r->cap);
}

static uint16_t
ring_code(const struct ring *r, uint32_t i)
{
	if (r->buf == NULL)
		return r->cval;
	return r->buf[(r->head + r->cap - 1 - i) % r->cap];
}

uint64_t
ring_get(const struct ring *r, uint32_t i)
{
	if (i >= r->n)
		return UINT64_MAX;
	return ring_decode(ring_code(r, i));
}

static uint64_t
ring_extreme(const struct ring *r, uint32_t count, bool want_min)
{
	uint64_t	best = UINT64_MAX;
	uint32_t	i;
	bool		any = false;

	if (count > r->n)
		count = r->n;
	for (i = 0; i < count; i++) {
		uint16_t	c = ring_code(r, i);
		uint64_t	v;

		if (c == RING_NA)
			continue;
		v = ring_decode(c);
		if (!any || (want_min ? v < best : v > best))
			best = v;
		any = true;
	}
	return best;
}

uint64_t
ring_min(const struct ring *r, uint32_t count)
{
	return ring_extreme(r, count, true);
}

uint64_t
ring_max(const struct ring *r, uint32_t count)
{
	return ring_extreme(r, count, false);
}

size_t
ring_heap(const struct ring *r)
{
	return r->buf != NULL ? r->cap * sizeof *r->buf : 0;
}
