#ifndef MEMTOP_UTIL_FMT_H
#define MEMTOP_UTIL_FMT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Pure text formatting shared by the TUI and batch output.
 */

/* "-" for unknown, else a size with a binary unit: "0", "812K", "12.3M". */
const char	*fmt_bytes(char *buf, size_t len, uint64_t v);

/* Like fmt_bytes with a sign, for growth: "+12.3M", "-4.0K", "0". */
const char	*fmt_delta(char *buf, size_t len, int64_t v);

/* The first n characters of an id, for display. */
const char	*fmt_short_id(char *buf, size_t len, const char *id, size_t n);

/*
 * A sparkline of n values (oldest first; UINT64_MAX = unknown, drawn as a
 * space) scaled between their min and max, into buf as UTF-8 block glyphs
 * (utf8) or ASCII ("_.-=#"). Returns buf; at most n glyphs are written.
 */
/* A value of fmt_sparkline's: a marker cell ('|'), e.g. a restart. */
#define FMT_SPARK_MARK	(UINT64_MAX - 1)
const char	*fmt_sparkline(char *buf, size_t len, const uint64_t *v, size_t n,
		    int utf8);

/*
 * Copies the n bytes at s into dst as a string, cut to dstlen - 1 bytes.
 * Returns dst.
 */
char		*fmt_copy(char *dst, size_t dstlen, const char *s, size_t n);

/*
 * Bytes of the UTF-8 sequence at s (1 for ASCII), or 0 if it is not a valid
 * start of one (a stray continuation byte, a truncated sequence).
 */
size_t		 fmt_utf8_len(const unsigned char *s);

/*
 * Text from outside (cgroup, pod, container and process names, HOSTNAME,
 * file names) is shown made safe for a terminal: a control byte as ^X (ESC
 * as ^[, TAB as ^I, DEL as ^?), a byte that is not UTF-8 or a C1 control
 * as '?'. Widths are display columns (wcwidth under C.UTF-8, whatever the
 * locale): a CJK character takes 2, a combining mark 0, ^X 2.
 */

/* Display width of s as fmt_clip shows it. */
size_t		 fmt_width(const char *);

/*
 * s made safe, cut to at most w display columns (never in the middle of a
 * character; combining marks stay with their base), into buf. Returns buf.
 * SIZE_MAX for w: the whole string, only made safe.
 */
const char	*fmt_clip(char *buf, size_t len, const char *s, size_t w);

/*
 * fmt_clip, then spaces up to exactly w display columns (as printf's
 * "%-*.*s" would do for ASCII): for columns of text output.
 */
const char	*fmt_pad(char *buf, size_t len, const char *s, size_t w);

#endif
