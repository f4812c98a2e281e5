#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/fmt.h"

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
	if (v == UINT64_MAX) {
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

const char *
fmt_sparkline(char *buf, size_t len, const uint64_t *v, size_t n, int utf8)
{
	static const char *const blocks[] = { "\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char ascii[] = "_.-=#";
	uint64_t	 lo = UINT64_MAX, hi = 0;
	size_t		 i, o = 0, levels = utf8 ? 8 : 5;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (v[i] == UINT64_MAX)
			continue;
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	for (i = 0; i < n; i++) {
		size_t	lvl;

		if (v[i] == UINT64_MAX) {
			if (o + 2 > len)
				break;
			buf[o++] = ' ';
			continue;
		}
		lvl = hi > lo ? (size_t)((double)(v[i] - lo) * (double)(levels - 1)
		    / (double)(hi - lo) + 0.5) : (hi > 0 ? levels / 2 : 0);
		if (utf8) {
			if (o + 4 > len)
				break;
			memcpy(buf + o, blocks[lvl], 3);
			o += 3;
		} else {
			if (o + 2 > len)
				break;
			buf[o++] = ascii[lvl];
		}
	}
	buf[o] = '\0';
	return buf;
}

size_t
fmt_width(const char *s)
{
	size_t	w = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	}
	return w;
}

const char *
fmt_clip(char *buf, size_t len, const char *s, size_t w)
{
	size_t	o = 0, cols = 0;

	while (s[o] != '\0' && o + 1 < len) {
		size_t	cl = 1;

		if (((unsigned char)s[o] & 0xe0) == 0xc0)
			cl = 2;
		else if (((unsigned char)s[o] & 0xf0) == 0xe0)
			cl = 3;
		else if (((unsigned char)s[o] & 0xf8) == 0xf0)
			cl = 4;
		if (cols + 1 > w || o + cl + 1 > len)
			break;
		memcpy(buf + o, s + o, cl);
		o += cl;
		cols++;
	}
	buf[o] = '\0';
	return buf;
}

char *
fmt_copy(char *dst, size_t dstlen, const char *s, size_t n)
{
	if (dstlen == 0)
		return dst;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return dst;
}

size_t
fmt_utf8_len(const unsigned char *s)
{
	size_t	n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	}
	return n;
}
