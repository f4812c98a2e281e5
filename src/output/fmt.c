#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "collect/figure.h"
#include "output/fmt.h"

static const char *
fmt_unit(char *buf, size_t len, uint64_t v, const char *sign)
{
	static const char	 units[] = "KMGTPE";
	double			 d = (double)v;
	int			 u = -1;

	if (v < 1024) {
		snprintf(buf, len, "%s%" PRIu64 "B", sign, v);
		if (v == 0)
			snprintf(buf, len, "0");
		return buf;
	}
	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	if (d < 10)
		snprintf(buf, len, "%s%.1f%c", sign, d, units[u]);
	else
		snprintf(buf, len, "%s%.0f%c", sign, d, units[u]);
	return buf;
}

const char *
fmt_bytes(char *buf, size_t len, uint64_t v)
{
	if (v == FIG_NA) {
		snprintf(buf, len, "-");
		return buf;
	}
	return fmt_unit(buf, len, v, "");
}

const char *
fmt_delta(char *buf, size_t len, int64_t v)
{
	if (v == 0) {
		snprintf(buf, len, "0");
		return buf;
	}
	if (v < 0)
		return fmt_unit(buf, len, (uint64_t)(-(v + 1)) + 1, "-");
	return fmt_unit(buf, len, (uint64_t)v, "+");
}

const char *
fmt_short_id(char *buf, size_t len, const char *id, size_t n)
{
	snprintf(buf, len, "%.*s", (int)n, id);
	return buf;
}
