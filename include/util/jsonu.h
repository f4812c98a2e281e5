#ifndef MEMTOP_UTIL_JSONU_H
#define MEMTOP_UTIL_JSONU_H

#include <jansson.h>
#include <stdint.h>

/* A byte count or count as JSON: null for UINT64_MAX (unknown). */
json_t	*json_u64(uint64_t);

#endif
