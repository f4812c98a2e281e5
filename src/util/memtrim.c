#include "config.h"

#include <malloc.h>
#include <stdbool.h>

#include "util/memtrim.h"

#define MIN_FREE	(1u << 20)	/* less free than this: not worth it */

static size_t		peak;		/* bytes in use, highest since a trim */
static size_t		free_after;	/* free bytes the last trim left */
static double		last_look = -1e9;

size_t
mem_give_back(double now)
{
	struct mallinfo2	before, after;
	bool			shrunk, grew;

	if (now >= last_look && now - last_look < MEM_LOOK_EVERY)
		return 0;
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
	if (before.fordblks < MIN_FREE || (!shrunk && !grew))
		return 0;
	malloc_trim(0);
	after = mallinfo2();
	peak = after.uordblks;
	free_after = after.fordblks;
	return before.fordblks > after.fordblks ?
	    before.fordblks - after.fordblks : 0;
}
