#ifndef MEMTOP_OUTPUT_JSONW_H
#define MEMTOP_OUTPUT_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "util/readfile.h"

/*
 * JSON written straight as text into a struct buf (util/readfile.h), in
 * the bytes json_dumps(JSON_COMPACT | JSON_ENSURE_ASCII) of jansson 2.14
 * gives for the same values: no jansson tree, no allocation per value.
 * The hot objects of --json (src/output/json.c) are written with it.
 *
 * Commas are the writer's: a key or a value gets one before it unless the
 * buffer is empty or ends with '{', '[' or ':'. So an object is
 * jsonw_open(b, '{'), then jsonw_key and one value per key, then
 * jsonw_close(b, '}'); an array the same without keys.
 */

/* Opens an object ('{') or array ('['), after a comma if one is due. */
void	jsonw_open(struct buf *, char);
/* Closes it: '}' or ']'. */
void	jsonw_close(struct buf *, char);
/*
 * Writes "key": (after a comma if due). The key is written as is: plain
 * ASCII without '"', '\\' or control bytes (memtop's own key names).
 */
void	jsonw_key(struct buf *, const char *);

/*
 * A string, escaped as jansson escapes with JSON_ENSURE_ASCII: \" \\ \b \f
 * \n \r \t, other control bytes and every code point above U+007F as
 * \uXXXX (upper-case hex), above U+FFFF as a UTF-16 surrogate pair. NULL
 * is null. Where jansson's json_string() refuses the whole string (bytes
 * that are not UTF-8: a stray byte, an overlong form, a surrogate, above
 * U+10FFFF, a cut sequence), each byte that does not start a valid
 * sequence is written as '?' and the rest kept.
 */
void	jsonw_str(struct buf *, const char *);
/* The first n bytes of s (NUL bytes in them written as \u0000). */
void	jsonw_strn(struct buf *, const char *, size_t);
/* NULL or "" as null, else jsonw_str. */
void	jsonw_str_or_null(struct buf *, const char *);

/* An integer, as %lld. */
void	jsonw_int(struct buf *, long long);
/*
 * A byte count or count: null for UINT64_MAX (FIG_NA, unknown), else the
 * value as util/jsonu.h's json_u64 gives it (json_int_t: above INT64_MAX
 * it is negative, as jansson would print it).
 */
void	jsonw_u64(struct buf *, uint64_t);
/*
 * A real as jansson prints one: %.17g, "." whatever the locale, ".0"
 * appended when it has neither '.' nor 'e', the exponent without '+' or
 * leading zeros. NaN and infinities (json_real() refuses them, and the
 * key went missing) are null.
 */
void	jsonw_real(struct buf *, double);
void	jsonw_bool(struct buf *, bool);
void	jsonw_null(struct buf *);

#endif
