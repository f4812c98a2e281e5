#include "config.h"

#include <inttypes.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

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
		if (v[i] == UINT64_MAX || v[i] == FMT_SPARK_MARK)
			continue;
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	for (i = 0; i < n; i++) {
		size_t	lvl;

		if (v[i] == UINT64_MAX || v[i] == FMT_SPARK_MARK) {
			if (o + 2 > len)
				break;
			buf[o++] = v[i] == FMT_SPARK_MARK ? '|' : ' ';
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

/* C.UTF-8 for wcwidth, whatever the process's locale (-b under LANG=C). */
static locale_t		fmt_utf8_locale;
static pthread_once_t	fmt_once = PTHREAD_ONCE_INIT;

static void
fmt_locale_init(void)
{
	fmt_utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* Columns the code point c takes; -1 if it is not printable. */
static int
fmt_wcwidth(uint32_t c)
{
	locale_t	old;
	int		w;

	pthread_once(&fmt_once, fmt_locale_init);
	if (fmt_utf8_locale == (locale_t)0)
		return wcwidth((wchar_t)c);
	old = uselocale(fmt_utf8_locale);
	w = wcwidth((wchar_t)c);
	uselocale(old);
	return w;
}

/*
 * One character of s as it is shown: its bytes in *n, what to print in out
 * (NUL-terminated, at most 4 bytes), its columns returned. A control byte
 * is shown as ^X (2 columns), DEL as ^?, a byte that is not UTF-8 or a code
 * point that is not printable (C1 controls) as '?'.
 */
static size_t
fmt_char(const char *s, size_t *n, char out[5])
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 l, i;
	int			 w;

	if (u[0] < 0x20 || u[0] == 0x7f) {
		out[0] = '^';
		out[1] = u[0] == 0x7f ? '?' : (char)(u[0] + '@');
		out[2] = '\0';
		*n = 1;
		return 2;
	}
	if (u[0] < 0x80) {
		out[0] = (char)u[0];
		out[1] = '\0';
		*n = 1;
		return 1;
	}
	l = fmt_utf8_len(u);
	*n = l == 0 ? 1 : l;
	out[0] = '?';
	out[1] = '\0';
	if (l == 0)
		return 1;
	c = l == 2 ? u[0] & 0x1fu : l == 3 ? u[0] & 0x0fu : u[0] & 0x07u;
	for (i = 1; i < l; i++)
		c = c << 6 | (u[i] & 0x3fu);
	/* overlong forms and surrogates are not UTF-8 */
	if ((l == 3 && c < 0x800) || (l == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 1;
	w = fmt_wcwidth(c);
	if (w < 0)
		return 1;
	memcpy(out, s, l);
	out[l] = '\0';
	return (size_t)w;
}

size_t
fmt_width(const char *s)
{
	size_t	w = 0, n;
	char	out[5];

	while (*s != '\0') {
		w += fmt_char(s, &n, out);
		s += n;
	}
	return w;
}

const char *
fmt_clip(char *buf, size_t len, const char *s, size_t w)
{
	size_t	o = 0, cols = 0, n, cw, ol;
	char	out[5];

	if (len == 0)
		return buf;
	while (*s != '\0') {
		cw = fmt_char(s, &n, out);
		ol = strlen(out);
		if (cols + cw > w || o + ol + 1 > len)
			break;
		memcpy(buf + o, out, ol);
		o += ol;
		cols += cw;
		s += n;
	}
	buf[o] = '\0';
	return buf;
}

const char *
fmt_pad(char *buf, size_t len, const char *s, size_t w)
{
	size_t	o, cols;

	fmt_clip(buf, len, s, w);
	o = strlen(buf);
	for (cols = fmt_width(buf); cols < w && o + 1 < len; cols++)
		buf[o++] = ' ';
	if (len > 0)
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
