/*
 * maps text line by line: the parser's word-at-a-time and fixed-place
 * paths against a character-at-a-time reference, and the size
 * histogram's bins at their edges (split from test_maps.c).
 */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "maps_check.h"
#include "analyse/histogram.h"
#include "collect/maps.h"
#include "util/xmalloc.h"

#define KiB	1024ULL

/*
 * A slow, separate reading of one maps line (up to its '\n'), a character
 * at a time: the parser's word-at-a-time and fixed-place paths must accept
 * and refuse exactly what it does and read the same fields.
 */
struct ref_line {
	uint64_t	 start, end, inode;
	char		 perms[5];
	const char	*name;
	size_t		 name_len;
};

static int
ref_hex(const char **p, uint64_t *v)
{
	int	n = 0, d;

	for (*v = 0; ; n++, (*p)++) {
		char	c = **p;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		*v = *v << 4 | (uint64_t)d;
	}
	return n >= 1 && n <= 16;
}

static int
ref_parse(const char *p, struct ref_line *r)
{
	static const char	set[4][3] = { "r-", "w-", "x-", "ps" };
	uint64_t		unused;
	int			i;

	if (!ref_hex(&p, &r->start) || *p++ != '-' || !ref_hex(&p, &r->end) ||
	    *p++ != ' ' || r->end < r->start)
		return 0;
	for (i = 0; i < 4; i++) {
		if (p[i] != set[i][0] && p[i] != set[i][1])
			return 0;
		r->perms[i] = p[i];
	}
	r->perms[4] = '\0';
	p += 4;
	if (*p++ != ' ' || !ref_hex(&p, &unused) || *p++ != ' ' ||
	    !ref_hex(&p, &unused) || *p++ != ':' || !ref_hex(&p, &unused) ||
	    *p++ != ' ' || *p < '0' || *p > '9')
		return 0;
	for (r->inode = 0; *p >= '0' && *p <= '9'; p++)
		r->inode = r->inode * 10 + (uint64_t)(*p - '0');
	while (*p == ' ')
		p++;
	r->name = p;
	r->name_len = strcspn(p, "\n");
	return 1;
}

/* Every line of text against ref_parse, through maps_parse. */
static void
agrees_with_ref(const char *text)
{
	struct maps	m;
	const char	*p;
	size_t		k = 0, bad = 0;

	maps_init(&m);
	maps_parse(&m, text, strlen(text));
	/* an unfinished last line (no '\n') is neither a mapping nor bad */
	for (p = text; strchr(p, '\n') != NULL; p = strchr(p, '\n') + 1) {
		struct ref_line	r;

		if (*p == '\n')
			continue;	/* an empty line: not bad either */
		if (!ref_parse(p, &r)) {
			bad++;
			continue;
		}
		assert_true(k < m.n);
		assert_true(m.v[k].start == r.start);
		assert_true(m.v[k].end == r.end);
		assert_true(m.v[k].inode == r.inode);
		assert_string_equal(m.v[k].perms, r.perms);
		assert_int_equal(strlen(m.v[k].name), r.name_len);
		assert_memory_equal(m.v[k].name, r.name, r.name_len);
		k++;
	}
	assert_int_equal(k, m.n);
	assert_int_equal(bad, m.bad_lines);
	maps_done(&m);
}

/*
 * The fast paths (12-digit start and end at fixed places, the anonymous
 * line's tail as three words, 8 digits a word) on every byte of a line
 * changed to a digit, a letter past 'f', a separator, a line's end or a
 * byte of 0x80 or more, the line first (text after it) and last (the
 * text's end after it), through maps_parse; all of it at once through
 * maps_scan. Then each shape cut at every byte, without its '\n'.
 */
static void
test_fast_paths(void **state)
{
	static const char	*lines[] = {
		"7f36abadc000-7f36abb1c000 rw-p 00000000 00:00 0 \n",
		"55d0c0ffe000-55d0c1000000 r-xp 00001000 fe:00 5309377    "
		    "/usr/bin/x\n",
		"7ffd12340000-7ffd12361000 rw-p 00000000 00:00 0          "
		    "[stack]\n",
		"0000000000400000-0000000000401000 r--p 00000000 00:00 0 \n",
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  "
		    "[vsyscall]\n",
		"1000000000-1000040000 rw-p 00000000 00:00 0 \n",
		"10000000000-10000040000 rw-p 00000000 00:00 0 \n",
		"7f36abadc0000-7f36abb1c0000 rw-p 00000000 00:00 0 \n",
		"7f36abadc000-7f36abb1c000 rw-s 00000000 00:01 9 /memfd:x\n",
		"7f36abadc000-7f36abb1c000 rw-p 00000000 00:00 0\n",
		"7f36abadc000-7f36abb1c000 rw-p 00000000 00:00 0  \n",
	};
	static const char	subst[] = { '0', '9', 'a', 'f', 'A', 'F', 'g',
	    'G', '@', '`', '/', ':', '-', ' ', 'x', '\n', '\t', (char)0x80,
	    (char)0xb0, (char)0xff };
	static const char	other[] =
	    "7f0000001000-7f0000002000 rw-p 00000000 00:00 0 \n";
	size_t			cap = 4 * 1024 * 1024, l, at, c, len, nall = 0;
	char			text[512], *all = xmalloc(cap);

	(void)state;
	for (l = 0; l < sizeof lines / sizeof lines[0]; l++) {
		len = strlen(lines[l]);
		for (at = 0; at + 1 < len; at++) {	/* not the '\n' */
			for (c = 0; c < sizeof subst; c++) {
				/* a capital first: an smaps "Key:" line */
				if (at == 0 && subst[c] >= 'A' &&
				    subst[c] <= 'Z')
					continue;
				snprintf(text, sizeof text, "%s%s", lines[l],
				    other);
				text[at] = subst[c];
				agrees_with_ref(text);
				assert_true(nall + strlen(text) <= cap);
				memcpy(all + nall, text, strlen(text));
				nall += strlen(text);
				snprintf(text, sizeof text, "%s%s", other,
				    lines[l]);
				text[sizeof other - 1 + at] = subst[c];
				agrees_with_ref(text);
			}
		}
	}
	scan_agrees(all, nall);
	free(all);
	/* cut short: the text's end inside each fast path's window */
	for (l = 0; l < sizeof lines / sizeof lines[0]; l++) {
		len = strlen(lines[l]);
		for (at = 1; at < len; at++) {
			snprintf(text, sizeof text, "%s%.*s", other, (int)at,
			    lines[l]);
			agrees_with_ref(text);
			scan_agrees(text, strlen(text));
		}
	}
}

/*
 * The size histogram's bins against the loop they were once found by
 * ([4 KiB << i, 4 KiB << (i + 1)) is bin i; below 8 KiB bin 0; the last
 * bin the rest), at and around every edge.
 */
static int
ref_bin(uint64_t size)
{
	int	i;

	for (i = 0; i < HIST_BINS - 1; i++) {
		if (size < (4 * KiB) << (i + 1))
			return i;
	}
	return HIST_BINS - 1;
}

static void
test_bin_edges(void **state)
{
	struct hist_run		hr;
	struct maps_hist	h;
	struct mapping		mp = { .anon = true, .name = "",
	    .perms = "rw-p", .rss = UINT64_MAX };
	uint64_t		sizes[3 * 66];
	size_t			n = 0, i;
	int			b, shift;

	(void)state;
	for (shift = 0; shift < 64; shift++) {
		sizes[n++] = (1ULL << shift) - 1;
		sizes[n++] = 1ULL << shift;
		sizes[n++] = (1ULL << shift) + 1;
	}
	sizes[n++] = UINT64_MAX;
	for (i = 0; i < n; i++) {
		histogram_begin(&hr, &h);
		mp.start = 0;
		mp.end = sizes[i];
		histogram_add(&hr, &mp);
		histogram_end(&hr, false);
		for (b = 0; b < HIST_BINS; b++)
			assert_int_equal(h.bin[b].count, b == ref_bin(sizes[i]));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_paths),
		cmocka_unit_test(test_bin_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
