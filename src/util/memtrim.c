#include "config.h"

#include <malloc.h>
#include <stdbool.h>

#include "util/memtrim.h"

#define MIN_FREE	(1u << 20)	/* less free than this: not worth it */
#define BIG_FREE	(8u << 20)	/* this much free: given back at once */

static size_t		peak;		/* bytes in use, highest since a trim */
static size_t		free_after;	/* free bytes the last trim left */
static double		last_look = -1e9;
static double		free_since = -1;	/* a trim wanted since; < 0: not */

bool
mem_give_back(double now)
{
	struct mallinfo2	before, after;
	bool			shrunk, grew;

	if (now >= last_look && now - last_look < MEM_LOOK_EVERY)
		return false;
	last_look = now;
	before = mallinfo2();
	if (before.uordblks > peak)
		peak = before.uordblks;
	/*
	 * In use fell below 3/4 of its peak (a spike gone), or the free
	 * part grew by 1 MiB since the last trim (fragmentation): trim.
	 * Steady use, whose free part moves less than that, trims nothing.
	 */
	shrunk = before.uordblks / 3 <= peak / 4;
	grew = before.fordblks > free_after + MIN_FREE;
	if (before.fordblks < MIN_FREE || (!shrunk && !grew)) {
		free_since = -1;
		return false;
	}
	/* less than BIG_FREE: only once it stayed free MEM_HOLD seconds */
	if (before.fordblks < BIG_FREE) {
		if (free_since < 0 || now < free_since)
			free_since = now;
		if (now - free_since < MEM_HOLD)
			return false;
	}
	free_since = -1;
	malloc_trim(0);
	after = mallinfo2();
	peak = after.uordblks;
	free_after = after.fordblks;
	return true;
}
