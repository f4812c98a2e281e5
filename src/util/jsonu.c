#include "config.h"

#include "util/jsonu.h"

json_t *
json_u64(uint64_t v)
{
	if (v == UINT64_MAX)
		return json_null();
	return json_integer((json_int_t)v);
}
