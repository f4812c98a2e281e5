#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "output/promcache.h"
#include "util/xmalloc.h"

static int
promcache_cmp(const void *a, const void *b)
{
	return strcmp(((const struct promcache_block *)a)->key,
	    ((const struct promcache_block *)b)->key);
}

/* A block is one allocation: values, offsets, flags, key, then text. */
static void
promcache_block_free(struct promcache_block *b)
{
	free(b->val);		/* NULL once moved to the next exposition */
	b->val = NULL;
}

/* Whether block b was rendered from these values. */
static bool
promcache_same(const struct promcache_block *b, size_t nfam,
    const int64_t *val, const bool *known)
{
	size_t	k;

	if (b->val == NULL || b->nfam != nfam)
		return false;
	for (k = 0; k < nfam; k++) {
		if (b->known[k] != known[k] || (known[k] &&
		    b->val[k] != val[k]))
			return false;
	}
	return true;
}

/* Renders the block of key into e. */
static void
promcache_render(struct promcache *c, struct promcache_block *e,
    const char *prefix, const char *const *names, size_t nfam,
    const char *key, const int64_t *val, const bool *known)
{
	struct promtext	*t = &c->scratch;
	size_t		 k, klen = strlen(key) + 1, head;
	char		*mem;

	/*
	 * Values, offsets, flags, key, then the lines: rendered in the
	 * scratch buffer, then copied to an allocation of their exact size
	 * (a block lives for many refreshes: no slack, no split chunks).
	 */
	head = nfam * (sizeof *e->val + sizeof *e->off) + sizeof *e->off +
	    nfam + klen;
	t->len = 0;
	promtext_reserve(t, head);
	t->len = head;
	for (k = 0; k < nfam; k++) {
		((size_t *)(void *)(t->p + nfam * sizeof *e->val))[k] =
		    t->len - head;
		if (!known[k])
			continue;
		promtext_puts(t, prefix);
		promtext_puts(t, names[k]);
		promtext_putc(t, '{');
		promtext_put(t, key, klen - 1);
		promtext_put(t, "} ", 2);
		promtext_i64(t, val[k]);
		promtext_putc(t, '\n');
	}
	mem = memcpy(xmalloc(t->len), t->p, t->len);
	e->val = (int64_t *)(void *)mem;
	e->off = (size_t *)(void *)(mem + nfam * sizeof *e->val);
	e->off[nfam] = t->len - head;
	e->known = (bool *)(mem + nfam * (sizeof *e->val + sizeof *e->off) +
	    sizeof *e->off);
	e->key = (char *)e->known + nfam;
	e->text = mem + head;
	e->nfam = nfam;
	for (k = 0; k < nfam; k++) {
		e->val[k] = known[k] ? val[k] : 0;
		e->known[k] = known[k];
	}
	memcpy(e->key, key, klen);
}

size_t
promcache_get(struct promcache *c, const char *prefix,
    const char *const *names, size_t nfam, const char *key,
    const int64_t *val, const bool *known)
{
	struct promcache_block	 k, *old, *e;

	k.key = (char *)(uintptr_t)key;
	old = c->n == 0 ? NULL : bsearch(&k, c->v, c->n, sizeof *c->v,
	    promcache_cmp);
	if (c->nnext == c->cap) {
		c->cap = c->cap * 2 + 64;
		c->next = xreallocarray(c->next, c->cap, sizeof *c->next);
	}
	e = &c->next[c->nnext];
	if (old != NULL && promcache_same(old, nfam, val, known)) {
		*e = *old;
		old->val = NULL;	/* moved; its key stays for bsearch */
		return c->nnext++;
	}
	promcache_render(c, e, prefix, names, nfam, key, val, known);
	c->renders++;
	return c->nnext++;
}

void
promcache_put(struct promtext *out, const struct promcache *c, size_t i,
    size_t k)
{
	const struct promcache_block	*b = &c->next[i];

	promtext_put(out, b->text + b->off[k], b->off[k + 1] - b->off[k]);
}

void
promcache_end(struct promcache *c)
{
	struct promcache_block	*t;
	size_t			 i;

	for (i = 0; i < c->n; i++)
		promcache_block_free(&c->v[i]);
	t = c->v;
	c->v = c->next;
	c->n = c->nnext;
	c->cap = c->n + 64;
	c->next = xreallocarray(t, c->cap, sizeof *c->next);
	c->nnext = 0;
	/* written in label order mostly: sorted already, no qsort */
	for (i = 1; i < c->n; i++) {
		if (promcache_cmp(&c->v[i - 1], &c->v[i]) > 0) {
			qsort(c->v, c->n, sizeof *c->v, promcache_cmp);
			break;
		}
	}
}

void
promcache_free(struct promcache *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		promcache_block_free(&c->v[i]);
	for (i = 0; i < c->nnext; i++)
		promcache_block_free(&c->next[i]);
	free(c->v);
	free(c->next);
	promtext_done(&c->scratch);
	memset(c, 0, sizeof *c);
}
