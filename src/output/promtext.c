#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "output/promtext.h"
#include "util/fmt.h"
#include "util/xmalloc.h"

void
promtext_reserve(struct promtext *b, size_t n)
{
	size_t	want;

	if (b->cap - b->len >= n)
		return;
	want = b->cap == 0 && b->hint > 0 ? b->hint + b->hint / 8 : b->cap * 2;
	if (want < b->len + n)
		want = b->len + n + 4096;
	b->p = xrealloc(b->p, want);
	b->cap = want;
}

void
promtext_put(struct promtext *b, const char *s, size_t n)
{
	if (b->cap - b->len < n)
		promtext_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void
promtext_puts(struct promtext *b, const char *s)
{
	promtext_put(b, s, strlen(s));
}

void
promtext_putc(struct promtext *b, char c)
{
	if (b->cap == b->len)
		promtext_reserve(b, 1);
	b->p[b->len++] = c;
}

void
promtext_u64(struct promtext *b, uint64_t v)
{
	char	d[24], *e = d + sizeof d, *s = e;

	do {
		*--s = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	promtext_put(b, s, (size_t)(e - s));
}

void
promtext_i64(struct promtext *b, int64_t v)
{
	if (v < 0) {
		promtext_putc(b, '-');
		/* the magnitude in unsigned arithmetic: INT64_MIN too */
		promtext_u64(b, 0 - (uint64_t)v);
	} else
		promtext_u64(b, (uint64_t)v);
}

void
promtext_label(struct promtext *b, const char *name, const char *v,
    bool *first)
{
	size_t	n;

	if (v == NULL || *v == '\0')
		return;
	if (!*first)
		promtext_putc(b, ',');
	promtext_puts(b, name);
	promtext_put(b, "=\"", 2);
	*first = false;
	/* whole runs of plain ASCII at once (labels are most bytes) */
	while (*v != '\0') {
		const unsigned char	*u = (const unsigned char *)v;

		for (n = 0; u[n] >= 0x20 && u[n] < 0x80 && u[n] != '\\' &&
		    u[n] != '"'; n++)
			;
		promtext_put(b, v, n);
		v += n;
		if (*v == '\0')
			break;
		if (*v == '\\' || *v == '"' || *v == '\n') {
			promtext_put(b, *v == '\n' ? "\\n" : *v == '"' ?
			    "\\\"" : "\\\\", 2);
			v++;
		} else if ((n = fmt_utf8_len((const unsigned char *)v)) > 0) {
			promtext_put(b, v, n);
			v += n;
		} else {
			promtext_putc(b, '?');
			v++;
		}
	}
	promtext_putc(b, '"');
}

void
promtext_head(struct promtext *b, const char *name, const char *type,
    const char *help)
{
	size_t	n;

	promtext_put(b, "# HELP ", 7);
	promtext_puts(b, name);
	promtext_putc(b, ' ');
	while (*help != '\0') {	/* runs between the escaped characters */
		n = strcspn(help, "\\\n");
		promtext_put(b, help, n);
		help += n;
		if (*help != '\0')
			promtext_put(b, *help++ == '\\' ? "\\\\" : "\\n", 2);
	}
	promtext_put(b, "\n# TYPE ", 8);
	promtext_puts(b, name);
	promtext_putc(b, ' ');
	promtext_puts(b, type);
	promtext_putc(b, '\n');
}

void
promtext_trim(struct promtext *b)
{
	size_t	want = b->len + b->len / 8 + 4096;

	if (b->cap <= 2 * want)
		return;
	b->p = xrealloc(b->p, want);
	b->cap = want;
}

char *
promtext_take(struct promtext *b, size_t *len)
{
	char	*p = b->p;

	if (p == NULL)
		p = xmalloc(1);		/* an empty text is still one */
	*len = b->len;
	b->hint = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void
promtext_done(struct promtext *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}
