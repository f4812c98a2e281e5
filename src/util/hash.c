#include "config.h"

#include "util/hash.h"

uint64_t
hash_str(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}
