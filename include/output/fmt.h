#ifndef MEMTOP_OUTPUT_FMT_H
#define MEMTOP_OUTPUT_FMT_H

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

#endif
