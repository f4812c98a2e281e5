#ifndef MEMTOP_UTIL_HASH_H
#define MEMTOP_UTIL_HASH_H

#include <stdint.h>

/* FNV-1a of a NUL-terminated string (hash tables keyed by identity). */
uint64_t	hash_str(const char *);

#endif
