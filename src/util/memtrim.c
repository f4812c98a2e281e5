#include "config.h"

#include <malloc.h>

#include "util/memtrim.h"

#define MIN_FREE	(1u << 20)	/* less free than this: not worth it */

static size_t		peak;		/* bytes in use, highest since a trim */
static unsigned long	count;

size_t
mem_give_back(void)
{
	struct mallinfo2	before = mallinfo2(), after;

	if (before.uordblks > peak)
		peak = before.uordblks;
	/* in use still above 3/4 of the peak, or little free: nothing */
	if (before.fordblks < MIN_FREE || before.uordblks / 3 > peak / 4)
		return 0;
	malloc_trim(0);
	after = mallinfo2();
	peak = after.uordblks;
	count++;
	return before.fordblks > after.fordblks ?
	    before.fordblks - after.fordblks : 0;
}

unsigned long
mem_give_back_count(void)
{
	return count;
}
