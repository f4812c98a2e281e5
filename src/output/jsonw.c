#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output/jsonw.h"

/*
 * buf_append, without its call when the buffer has room (the writer
 * appends a few bytes at a time: a key, a number).
 */
static inline void
jsonw_put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n >= b->cap) {
		buf_append(b, p, n);
		return;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* A comma before a key or value, unless one opens the buffer or follows. */
static inline void
jsonw_sep(struct buf *b)
{
	char	last;

	if (b->len == 0)
		return;
	last = b->data[b->len - 1];
	if (last != '{' && last != '[' && last != ':')
		jsonw_put(b, ",", 1);
}

void
jsonw_open(struct buf *b, char c)
{
	jsonw_sep(b);
	jsonw_put(b, &c, 1);
}

void
jsonw_close(struct buf *b, char c)
{
	jsonw_put(b, &c, 1);
}

void
jsonw_key(struct buf *b, const char *k)
{
	size_t	 n = strlen(k);
	char	*d;

	jsonw_sep(b);
	if (b->len + n + 3 >= b->cap) {
		buf_append(b, "\"", 1);
		buf_append(b, k, n);
		buf_append(b, "\":", 2);
		return;
	}
	d = b->data + b->len;
	d[0] = '"';
	memcpy(d + 1, k, n);
	d[n + 1] = '"';
	d[n + 2] = ':';
	d[n + 3] = '\0';
	b->len += n + 3;
}

/*
 * The length of the UTF-8 sequence at s (at most n bytes) and its code
 * point in *cp, or 0 if it is not one jansson accepts (utf.c: no stray
 * continuation byte, no overlong form, no surrogate, nothing above
 * U+10FFFF, not cut short).
 */
static size_t
jsonw_utf8(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned long	v;
	size_t		len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		v = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		v = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		v = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ||
	    (len == 3 && v < 0x800) || (len == 4 && v < 0x10000))
		return 0;
	*cp = v;
	return len;
}

/* The escape of code point cp (not plain ASCII) into e; its length. */
static size_t
jsonw_escape(unsigned long cp, char *e)
{
	const char	*two = NULL;

	switch (cp) {
	case '"':	two = "\\\""; break;
	case '\\':	two = "\\\\"; break;
	case '\b':	two = "\\b"; break;
	case '\f':	two = "\\f"; break;
	case '\n':	two = "\\n"; break;
	case '\r':	two = "\\r"; break;
	case '\t':	two = "\\t"; break;
	}
	if (two != NULL) {
		memcpy(e, two, 2);
		return 2;
	}
	if (cp < 0x10000)
		return (size_t)snprintf(e, 13, "\\u%04lX", cp);
	cp -= 0x10000;
	return (size_t)snprintf(e, 13, "\\u%04lX\\u%04lX",
	    0xd800 | (cp >> 10), 0xdc00 | (cp & 0x3ff));
}

void
jsonw_strn(struct buf *b, const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, run, len;
	unsigned long		 cp;
	char			 e[13];

	jsonw_sep(b);
	jsonw_put(b, "\"", 1);
	while (i < n) {
		/* plain ASCII, most of every string, in one go (DEL included) */
		for (run = i; run < n && s[run] >= 0x20 && s[run] < 0x80 &&
		    s[run] != '"' && s[run] != '\\'; run++)
			;
		if (run > i)
			jsonw_put(b, s + i, run - i);
		if ((i = run) == n)
			break;
		if (s[i] < 0x80) {
			cp = s[i];
			len = 1;
		} else if ((len = jsonw_utf8(s + i, n - i, &cp)) == 0) {
			jsonw_put(b, "?", 1);
			i++;
			continue;
		}
		jsonw_put(b, e, jsonw_escape(cp, e));
		i += len;
	}
	jsonw_put(b, "\"", 1);
}

void
jsonw_str(struct buf *b, const char *s)
{
	if (s == NULL)
		jsonw_null(b);
	else
		jsonw_strn(b, s, strlen(s));
}

void
jsonw_str_or_null(struct buf *b, const char *s)
{
	if (s == NULL || *s == '\0')
		jsonw_null(b);
	else
		jsonw_strn(b, s, strlen(s));
}

void
jsonw_int(struct buf *b, long long v)
{
	char			 d[24], *p = d + sizeof d;
	unsigned long long	 u = v < 0 ? 0ULL - (unsigned long long)v :
				    (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	jsonw_sep(b);
	jsonw_put(b, p, (size_t)(d + sizeof d - p));
}

void
jsonw_u64(struct buf *b, uint64_t v)
{
	if (v == UINT64_MAX)
		jsonw_null(b);
	else
		jsonw_int(b, (long long)v);
}

void
jsonw_real(struct buf *b, double v)
{
	char	d[64], *p, *x;
	int	n;

	if (!isfinite(v)) {
		jsonw_null(b);
		return;
	}
	n = snprintf(d, sizeof d, "%.17g", v);
	if (n < 0 || (size_t)n >= sizeof d - 2) {
		jsonw_null(b);		/* not reached: %.17g is short */
		return;
	}
	/* the locale's decimal point is '.' in JSON */
	for (p = d; *p != '\0'; p++) {
		if ((*p < '0' || *p > '9') && *p != '-' && *p != '+' &&
		    *p != 'e')
			*p = '.';
	}
	if ((x = strchr(d, 'e')) == NULL) {
		if (strchr(d, '.') == NULL) {
			memcpy(d + n, ".0", 3);
			n += 2;
		}
	} else {
		/* e+17 is e17, e-05 is e-5 */
		p = x + 1;
		if (*p == '-')
			p++;
		x = p;
		while (*x == '+' || *x == '0')
			x++;
		memmove(p, x, strlen(x) + 1);
		n = (int)strlen(d);
	}
	jsonw_sep(b);
	jsonw_put(b, d, (size_t)n);
}

void
jsonw_bool(struct buf *b, bool v)
{
	jsonw_sep(b);
	if (v)
		jsonw_put(b, "true", 4);
	else
		jsonw_put(b, "false", 5);
}

void
jsonw_null(struct buf *b)
{
	jsonw_sep(b);
	jsonw_put(b, "null", 4);
}
