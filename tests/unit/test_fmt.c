#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "collect/figure.h"
#include "util/fmt.h"

static void
test_bytes(void **state)
{
	char	b[32];

	(void)state;
	assert_string_equal(fmt_bytes(b, sizeof b, FIG_NA), "-");
	assert_string_equal(fmt_bytes(b, sizeof b, 0), "0");
	assert_string_equal(fmt_bytes(b, sizeof b, 512), "512B");
	assert_string_equal(fmt_bytes(b, sizeof b, 4096), "4.0K");
	assert_string_equal(fmt_bytes(b, sizeof b, 256 << 10), "256K");
	assert_string_equal(fmt_bytes(b, sizeof b, 365ULL << 20), "365M");
	assert_string_equal(fmt_bytes(b, sizeof b, (uint64_t)(1.5 * 1073741824.0)),
	    "1.5G");
	assert_string_equal(fmt_bytes(b, 4, 365ULL << 20), "365");
}

static void
test_delta(void **state)
{
	char	b[32];

	(void)state;
	assert_string_equal(fmt_delta(b, sizeof b, 0), "0");
	assert_string_equal(fmt_delta(b, sizeof b, 410LL << 20), "+410M");
	assert_string_equal(fmt_delta(b, sizeof b, -(4LL << 10)), "-4.0K");
	assert_string_equal(fmt_delta(b, sizeof b, INT64_MIN), "-8.0E");
}

static void
test_fig_table(void **state)
{
	(void)state;
	assert_int_equal(fig_by_key("pss_anon"), FIG_PSS_ANON);
	assert_int_equal(fig_by_key("rss"), FIG_RSS);
	assert_int_equal(fig_by_key("nope"), -1);
	assert_int_equal(fig_table[FIG_PSS].tier, FIG_TIER_ROLLUP);
	assert_int_equal(fig_table[FIG_RSS_ANON].tier, FIG_TIER_CHEAP);
}

static void
test_sparkline(void **state)
{
	uint64_t	v[] = { 0, 100, 200, 300, 400, 500, 600, 700 };
	uint64_t	u[] = { 5, UINT64_MAX, 5 };
	char		b[64];

	(void)state;
	assert_string_equal(fmt_sparkline(b, sizeof b, v, 8, 0), "_..--==#");
	assert_string_equal(fmt_sparkline(b, sizeof b, v, 2, 1),
	    "\xe2\x96\x81\xe2\x96\x88");
	assert_int_equal(fmt_width(fmt_sparkline(b, sizeof b, v, 8, 1)), 8);
	/* flat and unknown */
	assert_string_equal(fmt_sparkline(b, sizeof b, u, 3, 0), "- -");
	/* never past the buffer */
	assert_int_equal(strlen(fmt_sparkline(b, 7, v, 8, 1)), 6);
	assert_int_equal(strlen(fmt_sparkline(b, 4, v, 8, 0)), 3);
}

static void
test_clip(void **state)
{
	char	b[64];

	(void)state;
	assert_string_equal(fmt_clip(b, sizeof b, "caf\xc3\xa9 ok", 4),
	    "caf\xc3\xa9");
	assert_string_equal(fmt_clip(b, sizeof b, "abc", 10), "abc");
	assert_string_equal(fmt_clip(b, 3, "abcdef", 10), "ab");
	assert_int_equal(fmt_width("\xe2\x96\x81x"), 2);
}

static void
test_safe(void **state)
{
	char	b[64];

	(void)state;
	/* control bytes as ^X, DEL as ^?, newline too */
	assert_string_equal(fmt_clip(b, sizeof b, "a\033]0;x\007\tb\n\177",
	    SIZE_MAX), "a^[]0;x^G^Ib^J^?");
	assert_int_equal(fmt_width("\033["), 3);
	/* not UTF-8, a C1 control (U+009B, CSI), an overlong '/', a surrogate */
	assert_string_equal(fmt_clip(b, sizeof b, "x\377y\302\233z\300\257"
	    "\355\240\200", SIZE_MAX), "x?y?z???");
	/* a cut never splits ^X */
	assert_string_equal(fmt_clip(b, sizeof b, "ab\033c", 3), "ab");
	/* never past the buffer */
	assert_string_equal(fmt_clip(b, 4, "\033\033\033", SIZE_MAX), "^[");
}

static void
test_wide(void **state)
{
	/* 日本語 (3 x 2 columns), e + combining acute (1 column) */
	const char	*cjk = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
	const char	*comb = "e\xcc\x81x";
	char		 b[64];

	(void)state;
	assert_int_equal(fmt_width(cjk), 6);
	assert_int_equal(fmt_width(comb), 2);
	/* 5 columns hold two wide characters, not a half of the third */
	assert_string_equal(fmt_clip(b, sizeof b, cjk, 5),
	    "\xe6\x97\xa5\xe6\x9c\xac");
	/* the combining mark stays with its base */
	assert_string_equal(fmt_clip(b, sizeof b, comb, 1), "e\xcc\x81");
	assert_string_equal(fmt_pad(b, sizeof b, cjk, 8),
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e  ");
	assert_int_equal(fmt_width(fmt_pad(b, sizeof b, cjk, 5)), 5);
	assert_int_equal(fmt_width(fmt_pad(b, sizeof b, comb, 10)), 10);
	assert_string_equal(fmt_pad(b, sizeof b, "ab", 4), "ab  ");
	assert_string_equal(fmt_pad(b, sizeof b, "abcdef", 4), "abcd");
	assert_string_equal(fmt_pad(b, 4, "a", 10), "a  ");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_fig_table),
		cmocka_unit_test(test_sparkline),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_safe),
		cmocka_unit_test(test_wide),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
