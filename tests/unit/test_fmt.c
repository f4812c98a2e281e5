#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "collect/figure.h"
#include "output/fmt.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_fig_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
