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

/*
 * Hex digit values plus one, 0 for anything else: the parse runs per
 * mapping (the +1 is taken off once per number, not per digit).
 */
static const unsigned char hexv[256] = {
	['0'] = 0 + 1, ['1'] = 1 + 1, ['2'] = 2 + 1, ['3'] = 3 + 1,
	['4'] = 4 + 1, ['5'] = 5 + 1, ['6'] = 6 + 1, ['7'] = 7 + 1,
	['8'] = 8 + 1, ['9'] = 9 + 1, ['a'] = 10 + 1, ['b'] = 11 + 1,
	['c'] = 12 + 1, ['d'] = 13 + 1, ['e'] = 14 + 1, ['f'] = 15 + 1,
	['A'] = 10 + 1, ['B'] = 11 + 1, ['C'] = 12 + 1, ['D'] = 13 + 1,
	['E'] = 14 + 1, ['F'] = 15 + 1,
};

#define ONES	0x0101010101010101ULL

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HEX_WORDS
/*
 * Per byte of the word x (the text's first byte in the low byte): 0x80 where
 * it is a hex digit, else 0. A byte of 0x80 or more may carry into the next
 * byte's result, but it is itself no digit and the callers stop at it.
 * Digits are x's bytes 0x30-0x39, letters y's 0x61-0x66 with x's 0x40 bit.
 */
static inline uint64_t
hexmask(uint64_t x)
{
	uint64_t	y = x | 0x20 * ONES;	/* 'A'-'F' as 'a'-'f' */
	uint64_t	digit, alpha;

	digit = (x + 0x50 * ONES) & ~(x + 0x46 * ONES);
	alpha = (y + 0x1f * ONES) & ~(y + 0x19 * ONES) & x << 1;
	return (digit | alpha) & ~x & 0x80 * ONES;
}

/*
 * The value of the hex digits in x's low `keep` bytes (0-8), the first the
 * most significant: every byte's nibble, the rest zeroed, then packed.
 */
static inline uint64_t
hexpack(uint64_t x, unsigned keep)
{
	uint64_t	y = x | 0x20 * ONES, n;

	n = (y & 0x0f * ONES) + ((y >> 6) & ONES) * 9;	/* nibbles */
	if (keep < 8)
		n &= (1ULL << (8 * keep)) - 1;
	n = (n << 4 | n >> 8) & 0x00ff00ff00ff00ffULL;
	n = (n << 8 | n >> 16) & 0x0000ffff0000ffffULL;
	n = (n << 16 | n >> 32) & 0xffffffffULL;
	return n >> (4 * (8 - keep));
}

/* How many of x's bytes, from the first, are hex digits (0-8). */
static inline unsigned
hexrun(uint64_t x)
{
	uint64_t	bad = ~hexmask(x) & 0x80 * ONES;

	return bad == 0 ? 8 : (unsigned)__builtin_ctzll(bad) / 8;
}
#endif

/*
 * A hex number at *p; end is the line's '\n', which ends it (not a
 * digit): no bound is checked per digit. With 16 bytes readable (the text
 * has a '\0' at its end) up to 16 digits are taken a word at a time, else
 * (and on a big-endian machine) a digit at a time. Each digit of that loop
 * adds its value plus one; the ones are taken off at the end (0x11..1, a
 * one per digit).
 */
static inline bool
hexnum(const char **p, const char *end, uint64_t *out)
{
	const unsigned char	*s = (const unsigned char *)*p;
	uint64_t		 v = 0, ones = 0;
	unsigned		 h;
	size_t			 n;

#ifdef HEX_WORDS
	if (end - *p >= 16) {
		uint64_t	x0, x1;
		unsigned	k0, k1;

		memcpy(&x0, s, 8);
		k0 = hexrun(x0);
		if (k0 < 8) {
			if (k0 == 0)
				return false;
			*out = hexpack(x0, k0);
			*p += k0;
			return true;
		}
		memcpy(&x1, s + 8, 8);
		k1 = hexrun(x1);
		if (k1 == 8 && hexv[s[16]] != 0)
			return false;	/* over 16 digits */
		*out = hexpack(x0, 8) << (4 * k1) | hexpack(x1, k1);
		*p += 8 + k1;
		return true;
	}
#endif
	while ((h = hexv[*s]) != 0) {
		v = (v << 4) + h;	/* carries are right: a sum mod 2^64 */
		ones = ones << 4 | 1;
		s++;
	}
	n = (size_t)(s - (const unsigned char *)*p);
	if (n == 0 || n > 16)
		return false;
	*p = (const char *)s;
	*out = v - ones;
	return true;
}

/*
 * "start-end " where both have 12 digits, as x86-64 user addresses have
 * (0x100000000000 to 0xffffffffffff): four words at fixed places, parsed side
 * by side, where hexnum's end must wait for the start's length. False (the
 * caller takes hexnum's way) for any other shape.
 */
static inline bool
range12(const char *s, const char *lim, uint64_t *start, uint64_t *end)
{
#ifdef HEX_WORDS
	uint64_t	a, b, c, d, t;

	if (lim - s < 29 || s[12] != '-' || s[25] != ' ')
		return false;
	memcpy(&a, s, 8);	/* the start's first 8 digits */
	memcpy(&b, s + 8, 8);	/* its last 4 in the low 4 bytes */
	memcpy(&c, s + 13, 8);	/* the same for the end */
	memcpy(&d, s + 21, 8);
	t = (b & 0xffffffffULL) | d << 32;	/* both last 4s in one word */
	if ((hexmask(a) & hexmask(c) & hexmask(t)) != 0x80 * ONES)
		return false;
	t = hexpack(t, 8);
	*start = hexpack(a, 8) << 16 | t >> 16;
	*end = hexpack(c, 8) << 16 | (t & 0xffff);
	return true;
#else
	(void)s, (void)lim, (void)start, (void)end;
	return false;
#endif
}

/* Steps over a hex number whose value nothing uses (offset, device). */
static inline bool
hexskip(const char **p, const char *end)
{
	uint64_t	unused;

	return hexnum(p, end, &unused);
}

/* "major:minor " of the device, most often 2 digits each: checked only. */
static inline bool
devskip(const char **p, const char *end)
{
	const unsigned char	*s = (const unsigned char *)*p;

	if (hexv[s[0]] && hexv[s[1]] && s[2] == ':' && hexv[s[3]] &&
	    hexv[s[4]] && s[5] == ' ') {
		*p += 6;	/* (a '\n' before s[5] stops the && chain) */
		return true;
	}
	return hexskip(p, end) && *(*p)++ == ':' && hexskip(p, end) &&
	    *(*p)++ == ' ';
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

/*
 * What the kernel writes after the perms of an anonymous mapping that has
 * no name (show_map_vma: offset 0, no device, inode 0, no padding), as
 * three 8-byte words compared at once rather than five fields parsed.
 */
static const char	anon_tail_text[] = " 00000000 00:00 0 \n";
#define ANON_TAIL_LEN	(sizeof anon_tail_text - 1)

static inline bool
anon_tail(const char *p)
{
	uint64_t	a, b, c, x, y, z;

	memcpy(&a, &anon_tail_text[0], 8);
	memcpy(&b, &anon_tail_text[8], 8);
	memcpy(&c, &anon_tail_text[ANON_TAIL_LEN - 8], 8);
	memcpy(&x, p, 8);
	memcpy(&y, p + 8, 8);
	memcpy(&z, p + ANON_TAIL_LEN - 8, 8);
	return ((a ^ x) | (b ^ y) | (c ^ z)) == 0;
}

/*
 * "start-end perms offset major:minor inode " of a mapping line at *p, up to
 * its name; lim bounds it: the line's '\n', or the end of the text read,
 * which must hold a byte that is not a digit (the '\n', or a '\0' put
 * there): no bound is checked per digit.
 */
static bool
header_fields(const char **pp, const char *lim, struct mapping *mp)
{
	const char	*p = *pp;

	if (range12(p, lim, &mp->start, &mp->end))
		p += 26;
	else if (!hexnum(&p, lim, &mp->start) || *p++ != '-' ||
	    !hexnum(&p, lim, &mp->end) || *p++ != ' ')
		return false;
	if (lim - p < 5 || mp->end < mp->start)
		return false;
	memcpy(mp->perms, p, 4);
	mp->perms[4] = '\0';
	if ((p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
	    (p[2] != 'x' && p[2] != '-') || (p[3] != 'p' && p[3] != 's'))
		return false;
	p += 4;
	/* most lines of a big maps file: an anonymous mapping with no name */
	if (lim - p >= (ptrdiff_t)ANON_TAIL_LEN - 1 && anon_tail(p)) {
		mp->inode = 0;
		*pp = p + ANON_TAIL_LEN - 1;	/* its '\n' */
		return true;
	}
	/* the offset and the device are checked, not kept: nothing uses them */
	if (*p++ != ' ' || !hexskip(&p, lim) || *p++ != ' ' ||
	    !devskip(&p, lim) || !decnum(&p, lim, &mp->inode))
		return false;
	skip_spaces(&p, lim);
	*pp = p;
	return true;
}

/* A mapping whose fields are parsed, its name [name, end), *end its '\n'. */
static void
header_done(struct scan *sc, struct mapping *mp, const char *name, char *end)
{
	size_t	nl;

	/* anonymous: no inode and no file name ([heap], [stack], [anon:x]) */
	mp->anon = mp->inode == 0 && (end == name || (name[0] == '[' &&
	    strncmp(name, "[vdso]", 6) != 0 && strncmp(name, "[vvar", 5) != 0 &&
	    strncmp(name, "[vsyscall]", 10) != 0));
	mp->rss = mp->pss = mp->private_dirty = mp->swap = UINT64_MAX;
	scan_flush(sc);
	if (!sc->hold) {
		*end = '\0';	/* the line's '\n' */
		mp->name = name;
		sc->st->n++;
		sc->fn(sc->arg, mp);
		return;
	}
	nl = (size_t)(end - name);
	if (nl + 1 > sc->name_cap) {
		sc->name_cap = nl + 1 + 256;
		sc->name = xrealloc(sc->name, sc->name_cap);
	}
	memcpy(sc->name, name, nl);
	sc->name[nl] = '\0';
	sc->cur = *mp;
	sc->held = true;
}

/* "start-end perms offset major:minor inode [name]"; *end is the '\n'. */
static bool
parse_header(struct scan *sc, const char *p, char *end)
{
	struct mapping	mp;

	if (!header_fields(&p, end, &mp))
		return false;
	header_done(sc, &mp, p, end);
	return true;
}

/*
 * A maps text line at p in one pass: its fields, then its '\n' looked for
 * from its name on (none for most anonymous mappings), where a first
 * memchr() over the line and the parse would read it twice. lim is the
 * end of the text, *lim a '\0'. Sets *nl to the line's '\n'; false if the
 * line is malformed or incomplete (parse_lines then takes it the long way).
 */
static bool
parse_maps_line(struct scan *sc, const char *p, const char *lim, char **nl)
{
	struct mapping	 mp;
	char		*end;

	if (!header_fields(&p, lim, &mp))
		return false;
	if (p < lim && *p == '\n')
		end = (char *)(uintptr_t)p;
	else if ((end = memchr(p, '\n', (size_t)(lim - p))) == NULL)
		return false;
	header_done(sc, &mp, p, end);
	*nl = end;
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
 * they took (a mapping line's '\n' may be overwritten). buf[len] must be
 * '\0' (parse_maps_line's bound).
 */
static size_t
parse_lines(struct scan *sc, char *buf, size_t len)
{
	char	*p = buf, *end = buf + len;

	while (p < end) {
		char	*nl;
		bool	 ok;

		if (!sc->hold && parse_maps_line(sc, p, end, &nl)) {
			p = nl + 1;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
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
	buf = xmalloc(cap + 1);	/* + parse_lines' '\0' */
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
		buf[have] = '\0';
		used = parse_lines(&sc, buf, have);
		memmove(buf, buf + used, have - used);
		have -= used;
		if (have == cap) {	/* one line longer than the buffer */
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
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
	buf[len] = '\0';
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
