#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/maps.h"
#include "util/readfile.h"
#include "util/xmalloc.h"

void
maps_init(struct maps *m)
{
	memset(m, 0, sizeof *m);
}

void
maps_done(struct maps *m)
{
	free(m->v);
	free(m->names);
	maps_init(m);
}

/* Hex digit values, -1 for anything else: the parse runs per mapping. */
static const signed char hexv[256] = {
	['0'] = 0 + 1, ['1'] = 1 + 1, ['2'] = 2 + 1, ['3'] = 3 + 1,
	['4'] = 4 + 1, ['5'] = 5 + 1, ['6'] = 6 + 1, ['7'] = 7 + 1,
	['8'] = 8 + 1, ['9'] = 9 + 1, ['a'] = 10 + 1, ['b'] = 11 + 1,
	['c'] = 12 + 1, ['d'] = 13 + 1, ['e'] = 14 + 1, ['f'] = 15 + 1,
	['A'] = 10 + 1, ['B'] = 11 + 1, ['C'] = 12 + 1, ['D'] = 13 + 1,
	['E'] = 14 + 1, ['F'] = 15 + 1,
};	/* stored +1 so that 0 means "not a digit" */

/*
 * A hex number at *p. The line's '\n' ends it (not a digit): callers parse
 * only complete lines, so no bound is checked per digit.
 */
static inline bool
hexnum(const char **p, uint64_t *out)
{
	const unsigned char	*s = (const unsigned char *)*p, *b = s;
	uint64_t		 v = 0;
	int			 h;

	while ((h = hexv[*s]) != 0) {
		v = v << 4 | (uint64_t)(h - 1);
		s++;
	}
	if (s == b || s - b > 16)
		return false;
	*p = (const char *)s;
	*out = v;
	return true;
}

static bool
decnum(const char **p, const char *end, uint64_t *out)
{
	uint64_t	v = 0;
	const char	*s = *p;

	if (s >= end || *s < '0' || *s > '9')
		return false;
	while (s < end && *s >= '0' && *s <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s++ - '0');
	}
	*p = s;
	*out = v;
	return true;
}

static bool
expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

static void
skip_spaces(const char **p, const char *end)
{
	while (*p < end && **p == ' ')
		(*p)++;
}

/*
 * One pass over maps or smaps text. A mapping is handed on when it is
 * complete: at once for maps text (its name points into the line), at the
 * next mapping line or the end for smaps text (its "Key: N kB" lines come
 * after it; its name is copied).
 */
struct scan {
	maps_fn		 fn;
	void		*arg;
	bool		 hold;		/* smaps: hold a mapping for its fields */
	bool		 held;
	struct mapping	 cur;
	char		*name;		/* the held mapping's name */
	size_t		 name_cap;
	struct maps_stats *st;
};

static void
scan_flush(struct scan *sc)
{
	if (!sc->held)
		return;
	sc->held = false;
	sc->cur.name = sc->name;
	sc->st->n++;
	sc->fn(sc->arg, &sc->cur);
}

/* "start-end perms offset major:minor inode [name]"; *end is the '\n'. */
static bool
parse_header(struct scan *sc, const char *p, char *end)
{
	struct mapping	 mp;
	uint64_t	 maj, min;
	const char	*name;
	size_t		 nl;

	memset(&mp, 0, sizeof mp);
	if (!hexnum(&p, &mp.start) || !expect(&p, end, '-') ||
	    !hexnum(&p, &mp.end) || !expect(&p, end, ' ') ||
	    end - p < 5 || mp.end < mp.start)
		return false;
	memcpy(mp.perms, p, 4);
	mp.perms[4] = '\0';
	if ((p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
	    (p[2] != 'x' && p[2] != '-') || (p[3] != 'p' && p[3] != 's'))
		return false;
	p += 4;
	if (!expect(&p, end, ' ') || !hexnum(&p, &mp.offset) ||
	    !expect(&p, end, ' ') || !hexnum(&p, &maj) ||
	    !expect(&p, end, ':') || !hexnum(&p, &min) ||
	    !expect(&p, end, ' ') || !decnum(&p, end, &mp.inode))
		return false;
	mp.dev_major = (unsigned)maj;
	mp.dev_minor = (unsigned)min;
	skip_spaces(&p, end);
	name = p;
	/* anonymous: no inode and no file name ([heap], [stack], [anon:x]) */
	mp.anon = mp.inode == 0 && (end == name || (name[0] == '[' &&
	    strncmp(name, "[vdso]", 6) != 0 && strncmp(name, "[vvar", 5) != 0 &&
	    strncmp(name, "[vsyscall]", 10) != 0));
	mp.rss = mp.pss = mp.private_dirty = mp.swap = UINT64_MAX;
	scan_flush(sc);
	if (!sc->hold) {
		*end = '\0';	/* the line's '\n' */
		mp.name = name;
		sc->st->n++;
		sc->fn(sc->arg, &mp);
		return true;
	}
	nl = (size_t)(end - name);
	if (nl + 1 > sc->name_cap) {
		sc->name_cap = nl + 1 + 256;
		sc->name = xrealloc(sc->name, sc->name_cap);
	}
	memcpy(sc->name, name, nl);
	sc->name[nl] = '\0';
	sc->cur = mp;
	sc->held = true;
	return true;
}

/* "Key:   N kB" of smaps, for the held mapping. */
static bool
parse_field(struct scan *sc, const char *p, const char *end)
{
	const char	*colon = memchr(p, ':', (size_t)(end - p));
	struct mapping	*mp = &sc->cur;
	uint64_t	 v, *dst = NULL;
	size_t		 kl;

	if (colon == NULL || !sc->held)
		return false;
	kl = (size_t)(colon - p);
	if (kl == 3 && memcmp(p, "Rss", 3) == 0)
		dst = &mp->rss;
	else if (kl == 3 && memcmp(p, "Pss", 3) == 0)
		dst = &mp->pss;
	else if (kl == 13 && memcmp(p, "Private_Dirty", 13) == 0)
		dst = &mp->private_dirty;
	else if (kl == 4 && memcmp(p, "Swap", 4) == 0)
		dst = &mp->swap;
	if (dst == NULL)
		return true;	/* a field we do not use */
	p = colon + 1;
	skip_spaces(&p, end);
	if (!decnum(&p, end, &v))
		return false;
	*dst = v * 1024;
	sc->st->have_rss = true;
	return true;
}

/*
 * smaps field lines ("Rss:   12 kB") start with a capital letter; mapping
 * lines start with the start address in lowercase hex.
 */
static inline bool
is_field(const char *p, const char *end)
{
	return p < end && *p >= 'A' && *p <= 'Z';
}

/*
 * Parses the complete lines of [buf, buf + len) and returns how many bytes
 * they took (a mapping line's '\n' may be overwritten).
 */
static size_t
parse_lines(struct scan *sc, char *buf, size_t len)
{
	char	*p = buf, *end = buf + len;

	while (p < end) {
		char	*nl = memchr(p, '\n', (size_t)(end - p));
		bool	 ok;

		if (nl == NULL)
			break;	/* an incomplete (or truncated) last line */
		if (is_field(p, nl))
			ok = parse_field(sc, p, nl);
		else
			ok = parse_header(sc, p, nl);
		if (!ok && nl > p)
			sc->st->bad_lines++;
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

static void
scan_init(struct scan *sc, bool hold, maps_fn fn, void *arg,
    struct maps_stats *st)
{
	memset(sc, 0, sizeof *sc);
	memset(st, 0, sizeof *st);
	sc->fn = fn;
	sc->arg = arg;
	sc->hold = hold;
	sc->st = st;
}

static void
scan_done(struct scan *sc)
{
	scan_flush(sc);
	free(sc->name);
}

/*
 * Reads in 64 KiB chunks and parses as it goes: a 100 000-mapping process
 * never has its whole 5 MiB of text in memory.
 */
int
maps_scan(const char *proc_root, int pid, bool with_rss, maps_fn fn,
    void *arg, struct maps_stats *st)
{
	struct scan	 sc;
	char		 path[4200], *buf;
	size_t		 cap = 64 * 1024, have = 0, used;
	ssize_t		 n;
	int		 fd, rc = 0;

	scan_init(&sc, with_rss, fn, arg, st);
	snprintf(path, sizeof path, "%s/%d/%s", proc_root, pid,
	    with_rss ? "smaps" : "maps");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -errno;
	buf = xmalloc(cap);
	for (;;) {
		n = read(fd, buf + have, cap - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		used = parse_lines(&sc, buf, have);
		memmove(buf, buf + used, have - used);
		have -= used;
		if (have == cap) {	/* one line longer than the buffer */
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	free(buf);
	close(fd);
	scan_done(&sc);
	return rc;
}

/* Stores a name; returns its offset in m->names. */
static size_t
add_name(struct maps *m, const char *s)
{
	size_t	off, n = strlen(s);

	if (n == 0 && m->names_len > 0)
		return 0;	/* the shared empty name */
	if (m->names_len + n + 1 > m->names_cap) {
		m->names_cap = (m->names_len + n + 1) * 2 + 4096;
		m->names = xrealloc(m->names, m->names_cap);
	}
	if (m->names_len == 0 && n > 0) {
		m->names[0] = '\0';	/* offset 0 is the empty name */
		m->names_len = 1;
	}
	off = m->names_len;
	memcpy(m->names + off, s, n + 1);
	m->names_len += n + 1;
	return off;
}

/* A maps_fn: appends a mapping to a struct maps (names as offsets). */
static void
append(void *arg, const struct mapping *mp)
{
	struct maps	*m = arg;

	if (m->n == m->cap) {
		/* +25 %: big arrays are mremap()ed, and the slack stays small */
		m->cap = m->cap + m->cap / 4 + 256;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n] = *mp;
	m->v[m->n].name = (const char *)(uintptr_t)add_name(m, mp->name);
	m->n++;
}

/* Turns the name offsets of mappings [first, n) into pointers. */
static void
fixup(struct maps *m, size_t first, const struct maps_stats *st)
{
	size_t	i;

	for (i = first; i < m->n; i++)
		m->v[i].name = m->names + (uintptr_t)m->v[i].name;
	m->bad_lines += st->bad_lines;
	m->have_rss = m->have_rss || st->have_rss;
}

size_t
maps_parse(struct maps *m, const char *text, size_t len)
{
	struct maps_stats	st;
	struct scan		sc;
	size_t			first = m->n, guess;
	char			*buf;

	/* maps lines are 45 bytes or more: size the array once */
	guess = m->n + len / 45 + 16;
	if (m->cap < guess) {
		m->cap = guess;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	buf = xmalloc(len + 1);	/* the scan writes into its lines */
	memcpy(buf, text, len);
	scan_init(&sc, true, append, m, &st);
	parse_lines(&sc, buf, len);
	scan_done(&sc);
	free(buf);
	fixup(m, first, &st);
	return m->n;
}

int
maps_read(struct maps *m, const char *proc_root, int pid, bool with_rss)
{
	struct maps_stats	st;
	size_t			first = m->n;
	int			rc;

	rc = maps_scan(proc_root, pid, with_rss, append, m, &st);
	fixup(m, first, &st);
	return rc;
}
