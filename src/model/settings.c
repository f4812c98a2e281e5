/*
 * memtoprc: the dashboard's settings, one "name = value" per line (htop's
 * htoprc, top's toprc). Parsing is strict per line and lenient per file: a
 * bad line is reported and skipped, the rest apply.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/column.h"
#include "model/settings.h"
#include "util/readfile.h"

#define SETTINGS_FILE_MAX	(64 * 1024)	/* bigger is not a memtoprc */

const char *
settings_path(char *buf, size_t len)
{
	const char	*rc = getenv("MEMTOPRC"), *xdg, *home;

	if (rc != NULL) {
		if (rc[0] == '\0')
			return NULL;
		snprintf(buf, len, "%s", rc);
		return buf;
	}
	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	/* the XDG spec: a relative XDG_CONFIG_HOME is invalid, ignore it */
	if (xdg != NULL && xdg[0] == '/')
		snprintf(buf, len, "%s/memtop/memtoprc", xdg);
	else if (home != NULL && home[0] != '\0')
		snprintf(buf, len, "%s/.config/memtop/memtoprc", home);
	else
		return NULL;
	return buf;
}

/* yes/no (and the usual spellings); -1 if neither. */
static int
parse_bool(const char *v)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0)
		return 1;
	if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0)
		return 0;
	return -1;
}

static int
col_by_title(const char *t)
{
	size_t	i;

	for (i = 0; i < col_count && i < SETTINGS_COLS; i++) {
		if (col_table[i].kind != COL_KIND_NAME &&
		    strcasecmp(col_table[i].title, t) == 0)
			return (int)i;
	}
	return -1;
}

/* "T, T ..." into show[] as val; 0, or -1 naming the first unknown title. */
static int
parse_cols(char *v, signed char *show, signed char val, char *why,
    size_t wlen)
{
	signed char	 tmp[SETTINGS_COLS];
	char		*t, *save = NULL;
	int		 c;

	memcpy(tmp, show, sizeof tmp);
	for (t = strtok_r(v, ", \t", &save); t != NULL;
	    t = strtok_r(NULL, ", \t", &save)) {
		if ((c = col_by_title(t)) < 0) {
			snprintf(why, wlen, "no column is called '%s'", t);
			return -1;
		}
		tmp[c] = val;
	}
	memcpy(show, tmp, sizeof tmp);
	return 0;
}

/* One "name = value" (both trimmed); 0, or -1 with why. */
static int
parse_one(struct settings *s, const char *name, char *v, char *why,
    size_t wlen)
{
	struct sort_key	 k = s->sort;
	char		*end;
	double		 d;
	int		 b;

	if (strcmp(name, "sort") == 0) {
		if (sort_key_parse(v, &k) != 0) {
			snprintf(why, wlen, "sort: no sort key '%s'", v);
			return -1;
		}
		k.reverse = s->sort.reverse;
		s->sort = k;
		s->have |= SET_SORT;
	} else if (strcmp(name, "reverse") == 0 ||
	    strcmp(name, "read-only") == 0) {
		if ((b = parse_bool(v)) < 0) {
			snprintf(why, wlen, "%s: yes or no, not '%s'", name, v);
			return -1;
		}
		if (strcmp(name, "reverse") == 0) {
			s->sort.reverse = b;
			s->have |= SET_REVERSE;
		} else {
			s->read_only = b;
			s->have |= SET_READ_ONLY;
		}
	} else if (strcmp(name, "view") == 0) {
		if (strcmp(v, "tree") != 0 && strcmp(v, "flat") != 0) {
			snprintf(why, wlen, "view: tree or flat, not '%s'", v);
			return -1;
		}
		s->flat = v[0] == 'f';
		s->have |= SET_VIEW;
	} else if (strcmp(name, "group-by") == 0) {
		if ((b = tree_group_by_parse(v)) < 0) {
			snprintf(why, wlen, "group-by: pod, container, namespace "
			    "or cgroup, not '%s'", v);
			return -1;
		}
		s->group_by = b;
		s->have |= SET_GROUP_BY;
	} else if (strcmp(name, "theme") == 0) {
		if (v[0] == '\0' || strlen(v) >= sizeof s->theme ||
		    strchr(v, '/') != NULL) {
			snprintf(why, wlen, "theme: a theme's name, not '%s'", v);
			return -1;
		}
		snprintf(s->theme, sizeof s->theme, "%s", v);
		s->have |= SET_THEME;
	} else if (strcmp(name, "delay") == 0) {
		errno = 0;
		d = strtod(v, &end);
		if (end == v || *end != '\0' || isnan(d) ||
		    d < SETTINGS_DELAY_MIN || d > SETTINGS_DELAY_MAX) {
			snprintf(why, wlen, "delay: seconds from %g to %g, not "
			    "'%s'", SETTINGS_DELAY_MIN, SETTINGS_DELAY_MAX, v);
			return -1;
		}
		s->delay = d;
		s->have |= SET_DELAY;
	} else if (strcmp(name, "hidden-columns") == 0 ||
	    strcmp(name, "shown-columns") == 0) {
		if (parse_cols(v, s->col_show, name[0] == 'h' ? -1 : 1, why,
		    wlen) != 0)
			return -1;
		s->have |= SET_COLUMNS;
	} else {
		snprintf(why, wlen, "unknown setting '%s'", name);
		return -1;
	}
	return 0;
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int
settings_parse(const char *text, size_t len, struct settings *s, char *err,
    size_t errlen)
{
	char		 line[SETTINGS_LINE_MAX + 1], why[256], *name, *v, *eq;
	const char	*p = text, *end = text + len, *nl;
	int		 bad = 0, no = 0;
	size_t		 n;

	if (errlen > 0)
		err[0] = '\0';
	while (p < end) {
		no++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		why[0] = '\0';
		if (n > SETTINGS_LINE_MAX)
			snprintf(why, sizeof why, "longer than %d bytes",
			    SETTINGS_LINE_MAX);
		else if (memchr(p, '\0', n) != NULL)
			snprintf(why, sizeof why, "a NUL byte");
		else {
			memcpy(line, p, n);
			line[n] = '\0';
			name = trim(line);
			if (name[0] != '\0' && name[0] != '#') {
				if ((eq = strchr(name, '=')) == NULL)
					snprintf(why, sizeof why, "not 'name = "
					    "value': %.60s", name);
				else {
					*eq = '\0';
					v = trim(eq + 1);
					name = trim(name);
					parse_one(s, name, v, why, sizeof why);
				}
			}
		}
		if (why[0] != '\0' && bad++ == 0 && errlen > 0)
			snprintf(err, errlen, "line %d: %s", no, why);
		p = nl != NULL ? nl + 1 : end;
	}
	return bad;
}

int
settings_load(const char *path, struct settings *s, char *err, size_t errlen)
{
	struct buf	b;
	char		why[300];
	int		r, bad;

	buf_init(&b);
	r = read_file(path, &b, SETTINGS_FILE_MAX + 1);
	if (r == -ENOENT) {
		buf_done(&b);
		return 0;
	}
	if (r < 0) {
		snprintf(err, errlen, "%s", strerror(-r));
		buf_done(&b);
		return -1;
	}
	if (b.len > SETTINGS_FILE_MAX) {
		snprintf(err, errlen, "bigger than %d KiB: not read",
		    SETTINGS_FILE_MAX / 1024);
		buf_done(&b);
		return -1;
	}
	bad = settings_parse(b.data, b.len, s, why, sizeof why);
	buf_done(&b);
	if (bad == 0)
		return 0;
	if (bad == 1)
		snprintf(err, errlen, "%s; that line is ignored", why);
	else
		snprintf(err, errlen, "%s, and %d more bad lines; they are "
		    "ignored", why, bad - 1);
	return -1;
}

/* Makes the directories of path, like mkdir -p of its dirname. */
static int
make_dirs(const char *path)
{
	char	d[4096], *p;

	snprintf(d, sizeof d, "%s", path);
	if ((p = strrchr(d, '/')) == NULL || p == d)
		return 0;
	*p = '\0';
	for (p = d + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(d, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static void
write_cols(FILE *f, const struct settings *s, const char *name, int val)
{
	size_t	i;
	int	n = 0;

	fprintf(f, "%s =", name);
	for (i = 0; i < col_count && i < SETTINGS_COLS; i++) {
		if (s->col_show[i] == val)
			fprintf(f, "%s %s", n++ > 0 ? "," : "", col_table[i].title);
	}
	fputc('\n', f);
}

int
settings_save(const char *path, const struct settings *s, char *err,
    size_t errlen)
{
	static const char *const by[] = { "pod", "container", "namespace",
	    "cgroup" };
	char	tmp[4200];
	FILE	*f;
	int	fd;

	if (make_dirs(path) != 0) {
		snprintf(err, errlen, "%s: cannot make its directory: %s", path,
		    strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return -1;
	}
	fchmod(fd, 0644);
	fprintf(f, "# memtop settings, written by the W key of the dashboard.\n"
	    "# Read at start; options on the command line win.\n");
	fprintf(f, "sort = %s\n", sort_key_name(&s->sort));
	fprintf(f, "reverse = %s\n", s->sort.reverse ? "yes" : "no");
	fprintf(f, "view = %s\n", s->flat ? "flat" : "tree");
	fprintf(f, "group-by = %s\n", s->group_by >= 0 && s->group_by < 4 ?
	    by[s->group_by] : "pod");
	fprintf(f, "theme = %s\n", s->theme[0] != '\0' ? s->theme : "default");
	fprintf(f, "delay = %g\n", s->delay);
	fprintf(f, "read-only = %s\n", s->read_only ? "yes" : "no");
	write_cols(f, s, "hidden-columns", -1);
	write_cols(f, s, "shown-columns", 1);
	if (fflush(f) != 0 || fsync(fd) != 0 || ferror(f)) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
