/*
 * Shared by the maps tests (header only, as fixture.h): every mapping a
 * maps_fn saw, one mapping compared with another, and maps_scan against
 * maps_parse on the same text. Include after cmocka.h and collect/maps.h.
 */
#ifndef MEMTOP_TEST_MAPS_CHECK_H
#define MEMTOP_TEST_MAPS_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/maps.h"
#include "util/xmalloc.h"

/* The same mapping, field by field (the offset and device are not kept). */
static inline void
assert_same_mapping(const struct mapping *a, const struct mapping *b)
{
	assert_int_equal(a->start, b->start);
	assert_int_equal(a->end, b->end);
	assert_int_equal(a->inode, b->inode);
	assert_string_equal(a->perms, b->perms);
	assert_int_equal(a->anon, b->anon);
	assert_string_equal(a->name, b->name);
}

/* Every mapping a maps_fn saw, names copied. */
struct rec {
	struct mapping	*v;
	size_t		 n, cap;
};

static inline void
rec_add(void *arg, const struct mapping *mp)
{
	struct rec	*r = arg;

	if (r->n == r->cap) {
		r->cap = r->cap * 2 + 64;
		r->v = xreallocarray(r->v, r->cap, sizeof *r->v);
	}
	r->v[r->n] = *mp;
	r->v[r->n++].name = xstrdup(mp->name);
}

static inline void
rec_done(struct rec *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		free((char *)(uintptr_t)r->v[i].name);
	free(r->v);
	memset(r, 0, sizeof *r);
}

/*
 * maps_scan reads maps text in one pass per line (the line's '\n' looked
 * for after its fields); maps_parse takes each line whole. On the same
 * text, through a proc root of files, they agree: every mapping, its
 * fields and name, and the malformed lines counted, across 64 KiB read
 * chunks, lines longer than a chunk and a truncated last line.
 */
static inline void
scan_agrees(const char *text, size_t len)
{
	char		 root[] = "/tmp/memtop-test-maps-XXXXXX", dir[64], path[96];
	struct maps_stats st;
	struct maps	 m;
	struct rec	 r = { 0 };
	FILE		*f;
	size_t		 i;

	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof dir, "%s/4242", root);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/maps", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);

	maps_init(&m);
	maps_parse(&m, text, len);
	assert_int_equal(maps_scan(root, 4242, false, rec_add, &r, &st), 0);
	assert_int_equal(st.n, m.n);
	assert_int_equal(r.n, m.n);
	assert_int_equal(st.bad_lines, m.bad_lines);
	for (i = 0; i < m.n; i++)
		assert_same_mapping(&r.v[i], &m.v[i]);
	maps_done(&m);
	rec_done(&r);
	unlink(path);
	rmdir(dir);
	rmdir(root);
}

#endif
