/*
 * Theme files: pure parsing, no curses (the unit tests link this alone).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/theme.h"
#include "util/readfile.h"

const char *const theme_role_names[THEME__COUNT] = {
#define THEME_NAME(e, n, f, b, a) [THEME_##e] = n,
	THEME_ROLES(THEME_NAME)
#undef THEME_NAME
};

static const struct theme_style theme_builtin[THEME__COUNT] = {
#define THEME_DEF(e, n, f, b, a) [THEME_##e] = { f, b, a },
	THEME_ROLES(THEME_DEF)
#undef THEME_DEF
};

static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

void
theme_defaults(struct theme *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "builtin");
	memcpy(t->role, theme_builtin, sizeof t->role);
}

void
theme_mono(struct theme *t)
{
	int	i;

	for (i = 0; i < THEME__COUNT; i++) {
		t->role[i].fg = t->role[i].bg = -1;
	}
	/* roles that only colour marked something: mark them another way */
	t->role[THEME_SELECTED].attrs |= THEME_A_REVERSE;
	t->role[THEME_COLHEAD].attrs |= THEME_A_REVERSE;
	t->role[THEME_GROWTH].attrs |= THEME_A_BOLD;
	t->role[THEME_LIMIT].attrs |= THEME_A_BOLD;
	t->mono = 1;
}

static int
parse_colour(const char *w, int *out)
{
	char	*end;
	long	 n;
	size_t	 i;

	if (strcasecmp(w, "default") == 0 || strcmp(w, "-") == 0) {
		*out = -1;
		return 0;
	}
	for (i = 0; i < sizeof colour_names / sizeof colour_names[0]; i++) {
		if (strcasecmp(w, colour_names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	errno = 0;
	n = strtol(w, &end, 10);
	if (errno != 0 || *end != '\0' || end == w || n < 0 || n > 255)
		return -1;
	*out = (int)n;
	return 0;
}

static int
parse_attr(const char *w, int *attrs)
{
	if (strcasecmp(w, "bold") == 0)
		*attrs |= THEME_A_BOLD;
	else if (strcasecmp(w, "dim") == 0)
		*attrs |= THEME_A_DIM;
	else if (strcasecmp(w, "reverse") == 0)
		*attrs |= THEME_A_REVERSE;
	else if (strcasecmp(w, "underline") == 0)
		*attrs |= THEME_A_UNDERLINE;
	else if (strcasecmp(w, "normal") == 0)
		*attrs = 0;
	else
		return -1;
	return 0;
}

static int
role_by_name(const char *w)
{
	int	i;

	for (i = 0; i < THEME__COUNT; i++) {
		if (strcmp(theme_role_names[i], w) == 0)
			return i;
	}
	return -1;
}

/* Parses one line; NULL if fine, else why not. */
static const char *
parse_line(struct theme *t, char *line)
{
	char			*words[8], *p = line, *eq;
	int			 n = 0, role, i;
	struct theme_style	 st;

	if ((p = strchr(line, '#')) != NULL)
		*p = '\0';
	eq = strchr(line, '=');
	for (p = line; isspace((unsigned char)*p); p++)
		;
	if (*p == '\0')
		return NULL;
	if (eq == NULL)
		return "expected 'role = fg bg [attrs]'";
	*eq = '\0';
	for (i = (int)strlen(p); i > 0 && isspace((unsigned char)p[i - 1]); i--)
		p[i - 1] = '\0';
	if ((role = role_by_name(p)) < 0)
		return "unknown role";
	for (p = strtok(eq + 1, " \t\r"); p != NULL && n < 8;
	    p = strtok(NULL, " \t\r"))
		words[n++] = p;
	if (n < 2)
		return "need a foreground and a background colour";
	st.attrs = 0;
	if (parse_colour(words[0], &st.fg) != 0 ||
	    parse_colour(words[1], &st.bg) != 0)
		return "bad colour (a name or 0-255)";
	for (i = 2; i < n; i++) {
		if (parse_attr(words[i], &st.attrs) != 0)
			return "bad attribute";
	}
	t->role[role] = st;
	return NULL;
}

int
theme_parse(struct theme *t, const char *buf, size_t len, char *err,
    size_t errlen)
{
	const char	*p = buf, *end = buf + len;
	int		 bad = 0, lineno = 0;
	char		 line[512];

	if (errlen > 0)
		err[0] = '\0';
	while (p < end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		const char	*why;
		size_t		 l;

		if (nl == NULL)
			nl = end;
		l = (size_t)(nl - p);
		lineno++;
		if (l >= sizeof line) {
			why = "line too long";
		} else {
			memcpy(line, p, l);
			line[l] = '\0';
			if (memchr(line, '\0', l) != NULL)
				why = "NUL byte";
			else
				why = parse_line(t, line);
		}
		if (why != NULL && bad++ == 0 && errlen > 0)
			snprintf(err, errlen, "line %d: %s", lineno, why);
		p = nl + 1;
	}
	return bad;
}

int
theme_load(struct theme *t, const char *dir, const char *name, char *err,
    size_t errlen)
{
	struct buf	 b;
	char		 path[4096];
	const char	*c;
	int		 rc;

	for (c = name; *c != '\0'; c++) {
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_') {
			snprintf(err, errlen, "bad theme name '%s'", name);
			return -1;
		}
	}
	snprintf(path, sizeof path, "%s/%s.theme", dir, name);
	buf_init(&b);
	rc = read_file(path, &b, 1 << 16);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		buf_done(&b);
		return -1;
	}
	theme_defaults(t);
	snprintf(t->name, sizeof t->name, "%s", name);
	if (theme_parse(t, b.data, b.len, err, errlen) != 0) {
		char	e2[256];

		snprintf(e2, sizeof e2, "%s", err);
		snprintf(err, errlen, "%s: %s", path, e2);
		buf_done(&b);
		return -1;
	}
	buf_done(&b);
	return 0;
}
