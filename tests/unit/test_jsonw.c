/*
 * The JSON text writer (src/output/jsonw.c) against jansson itself: every
 * value it writes must be the bytes json_dumps(JSON_COMPACT |
 * JSON_ENSURE_ASCII) gives for the same value, and must load back with
 * json_loads to that value; what jansson refuses (strings that are not
 * UTF-8, NaN) has the documented replacement.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>
#include <jansson.h>

#include "collect/figure.h"
#include "output/jsonw.h"
#include "util/jsonu.h"

#define DUMP_FLAGS	(JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

/* What jansson writes for v (taken over and freed); NULL if v is. */
static char *
jansson_text(json_t *v)
{
	char	*s;

	if (v == NULL)
		return NULL;
	s = json_dumps(v, DUMP_FLAGS);
	json_decref(v);
	assert_non_null(s);
	return s;
}

/* What b holds is jansson's text of v (taken over and freed). */
static void
as_jansson(const struct buf *b, json_t *v)
{
	char	*want = jansson_text(v);

	assert_non_null(want);
	assert_string_equal(b->data, want);
	free(want);
}

/* jsonw's text of the first n bytes of s, as a string in b. */
static const char *
jsonw_text(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	jsonw_strn(b, s, n);
	return b->data;
}

/* The string s (n bytes) written by jsonw loads back as want (wn bytes). */
static void
loads_back(const char *text, const char *want, size_t wn)
{
	json_error_t	 err;
	json_t		*v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL,
			    &err);

	if (v == NULL)
		fail_msg("%s does not load: %s", text, err.text);
	assert_true(json_is_string(v));
	assert_int_equal(json_string_length(v), wn);
	assert_memory_equal(json_string_value(v), want, wn);
	json_decref(v);
}

/* A valid string: jansson's very bytes, and it loads back to itself. */
static void
same_as_jansson(struct buf *b, const char *s, size_t n)
{
	jsonw_text(b, s, n);
	as_jansson(b, json_stringn(s, n));
	loads_back(b->data, s, n);
}

static void
test_strings(void **state)
{
	static const char	*hostile[] = {
		"", "plain", "q\"uote\"", "back\\slash", "a/b//c",
		"\b\f\n\r\t", "\x01\x02\x1b\x1f", "del\x7f",
		"caf\xc3\xa9", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80",
		"\xef\xbf\xbf", "\xef\xbb\xbf!", "\xe2\x80\xa8",
		"\xf0\x90\x80\x80", "\xf0\x9f\x98\x80 4-byte",
		"\xf4\x8f\xbf\xbf", "mixed \"\xe6\x97\xa5\" \\ \x01 \xf0\x9f\x8d\x95",
	};
	struct buf	b;
	size_t		i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
		same_as_jansson(&b, hostile[i], strlen(hostile[i]));
	/* a NUL byte inside a counted string */
	same_as_jansson(&b, "a\0b", 3);
	assert_string_equal(b.data, "\"a\\u0000b\"");
	/* the escapes spelled out: upper-case hex, surrogate pairs */
	assert_string_equal(jsonw_text(&b, "\x1f\xc3\xa9\xf0\x9f\x98\x80", 7),
	    "\"\\u001F\\u00E9\\uD83D\\uDE00\"");
	/* NULL and "" */
	buf_reset(&b);
	jsonw_str(&b, NULL);
	assert_string_equal(b.data, "null");
	buf_reset(&b);
	jsonw_str_or_null(&b, "");
	assert_string_equal(b.data, "null");
	buf_reset(&b);
	jsonw_str(&b, "");
	assert_string_equal(b.data, "\"\"");
	buf_done(&b);
}

/* Every code point jansson accepts, one string each, as jansson writes it. */
static void
test_every_code_point(void **state)
{
	struct buf	b;
	unsigned long	cp;
	char		s[4];
	size_t		n;

	(void)state;
	buf_init(&b);
	for (cp = 1; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		if (cp < 0x80) {
			s[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			s[0] = (char)(0xc0 | cp >> 6);
			s[1] = (char)(0x80 | (cp & 0x3f));
			n = 2;
		} else if (cp < 0x10000) {
			s[0] = (char)(0xe0 | cp >> 12);
			s[1] = (char)(0x80 | (cp >> 6 & 0x3f));
			s[2] = (char)(0x80 | (cp & 0x3f));
			n = 3;
		} else {
			s[0] = (char)(0xf0 | cp >> 18);
			s[1] = (char)(0x80 | (cp >> 12 & 0x3f));
			s[2] = (char)(0x80 | (cp >> 6 & 0x3f));
			s[3] = (char)(0x80 | (cp & 0x3f));
			n = 4;
		}
		/* all of the first 64 Ki, a sample of the rest (time) */
		if (cp < 0x10000 || cp % 61 == 0 || cp > 0x10ff00)
			same_as_jansson(&b, s, n);
	}
	buf_done(&b);
}

/*
 * Not UTF-8: jansson's json_string() refuses the whole string (the key
 * went missing from the document); jsonw writes each byte that does not
 * start a valid sequence as '?' and keeps the rest.
 */
static void
test_invalid_utf8(void **state)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "\xff", "?" },
		{ "\x80lead", "?lead" },			/* stray continuation */
		{ "a\xc0\xafz", "a??z" },			/* overlong '/' */
		{ "\xe0\x80\xaf", "???" },			/* overlong, 3 bytes */
		{ "\xf0\x80\x80\xaf", "????" },			/* overlong, 4 bytes */
		{ "\xed\xa0\x80", "???" },			/* a surrogate */
		{ "\xf4\x90\x80\x80", "????" },			/* above U+10FFFF */
		{ "\xf8\x88\x80\x80\x80", "?????" },		/* 5-byte form */
		{ "cut\xe2\x82", "cut??" },			/* cut short */
		{ "x\xf0\x9f\x98", "x???" },
		{ "ok\xc3\xa9\xff\xc3\xa9", "ok\xc3\xa9?\xc3\xa9" },	/* kept */
		{ "\xc3(", "?(" },				/* no continuation */
	};
	struct buf	b;
	size_t		i;
	json_t		*v;

	(void)state;
	buf_init(&b);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		v = json_string(cases[i].in);
		assert_null(v);
		jsonw_text(&b, cases[i].in, strlen(cases[i].in));
		loads_back(b.data, cases[i].out, strlen(cases[i].out));
	}
	buf_done(&b);
}

/* Random bytes: always loads; jansson's bytes whenever jansson takes it. */
static void
test_random_bytes(void **state)
{
	struct buf	b;
	char		s[24];
	unsigned	seed = 19;
	int		i, valid = 0;
	size_t		n, k;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 20000; i++) {
		n = (size_t)rand_r(&seed) % sizeof s;
		for (k = 0; k < n; k++) {
			int	r = rand_r(&seed);

			/* mostly UTF-8-looking bytes, so both kinds come up */
			s[k] = (char)(r % 4 == 0 ? r >> 8 : r % 4 == 1 ?
			    0x80 | (r >> 8 & 0x3f) : r % 4 == 2 ?
			    0xc2 + (r >> 8) % 0x33 : 0x20 + (r >> 8) % 0x60);
		}
		json_t	*v = json_stringn(s, n);

		if (v != NULL) {
			json_decref(v);
			same_as_jansson(&b, s, n);
			valid++;
			continue;
		}
		jsonw_text(&b, s, n);
		v = json_loads(b.data, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		assert_non_null(v);
		assert_true(json_is_string(v));
		json_decref(v);
	}
	assert_true(valid > 1000 && valid < 19000);
	buf_done(&b);
}

static void
test_numbers(void **state)
{
	static const long long	ints[] = { 0, 1, -1, 9, 10, -10, 4096,
		INT64_MAX, INT64_MIN, INT64_MIN + 1, 1LL << 40 };
	static const uint64_t	u64s[] = { 0, 1, 4096, INT64_MAX,
		(uint64_t)INT64_MAX + 1, UINT64_MAX - 1, FIG_NA };
	static const double	reals[] = { 0.0, -0.0, 1.0, -1.0, 0.5, 0.1,
		2.5, 1.0 / 3, 1e-5, 1e-4, 123456.789, 1e16, 1e17, 1e20, 1e300,
		-1e-300, 5e-324, 1.7976931348623157e308, 1764500000.123456,
		12345678901234567.0, 0.000123 };
	struct buf	b;
	size_t		i;
	unsigned	seed = 7;

	(void)state;
	buf_init(&b);
	for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		buf_reset(&b);
		jsonw_int(&b, ints[i]);
		as_jansson(&b, json_integer(ints[i]));
	}
	/* as util/jsonu.h's json_u64: FIG_NA null, above INT64_MAX negative */
	for (i = 0; i < sizeof u64s / sizeof u64s[0]; i++) {
		buf_reset(&b);
		jsonw_u64(&b, u64s[i]);
		as_jansson(&b, json_u64(u64s[i]));
	}
	buf_reset(&b);
	jsonw_u64(&b, FIG_NA);
	assert_string_equal(b.data, "null");
	buf_reset(&b);
	jsonw_u64(&b, UINT64_MAX - 1);
	assert_string_equal(b.data, "-2");
	for (i = 0; i < sizeof reals / sizeof reals[0] + 20000; i++) {
		double	v;

		if (i < sizeof reals / sizeof reals[0])
			v = reals[i];
		else {
			/* random bit patterns: every exponent and sign */
			uint64_t	bits = (uint64_t)rand_r(&seed) << 42 ^
					    (uint64_t)rand_r(&seed) << 21 ^
					    (uint64_t)rand_r(&seed);

			memcpy(&v, &bits, sizeof v);
			if (!isfinite(v))
				continue;
		}
		buf_reset(&b);
		jsonw_real(&b, v);
		as_jansson(&b, json_real(v));
	}
	/* json_real() refuses these (the key went missing): null */
	buf_reset(&b);
	jsonw_real(&b, NAN);
	jsonw_real(&b, INFINITY);
	jsonw_real(&b, -INFINITY);
	assert_string_equal(b.data, "null,null,null");
	assert_null(json_real(NAN));
	buf_reset(&b);
	jsonw_bool(&b, true);
	jsonw_bool(&b, false);
	jsonw_null(&b);
	assert_string_equal(b.data, "true,false,null");
	buf_done(&b);
}

/* Commas and nesting: the same as jansson's dump of the same document. */
static void
test_structure(void **state)
{
	struct buf	 b;
	json_t		*doc;
	char		*want;

	(void)state;
	buf_init(&b);
	jsonw_open(&b, '{');
	jsonw_key(&b, "a");
	jsonw_open(&b, '[');
	jsonw_int(&b, 1);
	jsonw_str(&b, "x");
	jsonw_open(&b, '{');
	jsonw_close(&b, '}');
	jsonw_open(&b, '[');
	jsonw_close(&b, ']');
	jsonw_close(&b, ']');
	jsonw_key(&b, "b");
	jsonw_open(&b, '{');
	jsonw_key(&b, "c:d");
	jsonw_null(&b);
	jsonw_key(&b, "e");
	jsonw_real(&b, 2.0);
	jsonw_close(&b, '}');
	jsonw_key(&b, "a_key_longer_than_the_sixty_four_bytes_"
	    "jsonw_key_copies_at_once");
	jsonw_str(&b, "{[:");
	jsonw_key(&b, "f");
	jsonw_bool(&b, false);
	jsonw_close(&b, '}');
	doc = json_loads(b.data, 0, NULL);
	assert_non_null(doc);
	want = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);
	assert_string_equal(b.data, want);
	assert_string_equal(b.data, "{\"a\":[1,\"x\",{},[]],\"b\":{\"c:d\":null,"
	    "\"e\":2.0},\"a_key_longer_than_the_sixty_four_bytes_jsonw_key_"
	    "copies_at_once\":\"{[:\",\"f\":false}");
	free(want);
	json_decref(doc);
	buf_done(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_structure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
