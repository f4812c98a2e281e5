#ifndef MEMTOP_UTIL_MEMTRIM_H
#define MEMTOP_UTIL_MEMTRIM_H

#include <stdbool.h>

/*
 * Gives the heap's free memory back to the kernel once the memory in use
 * fell well below its peak since the last time (a spike of processes or
 * pods that went away) or the free part grew by 1 MiB since (a heap
 * fragmenting). Called once per refresh with the refresh's monotonic time
 * in seconds.
 * - It looks at the heap (mallinfo2(), which walks every free list) at most
 *   once per MEM_LOOK_EVERY seconds: at -d 0.05 a look each refresh was
 *   ~1.5 % of a steady refresh.
 * - A spike that left 8 MiB or more free (1 500 pods gone) is given back
 *   at once. A smaller one only once the above held at every look for
 *   MEM_HOLD seconds (with 1 MiB or more free): pods that come in bursts every
 *   few seconds reuse it, where giving it back after each burst cost a
 *   trim (1.5-2 ms after a burst of 40 pods on this VM, one madvise per
 *   free run of pages) and the next burst the page faults to take it
 *   again.
 * Steady use trims nothing. Returns whether it gave memory back (false
 * most of the time).
 */
#define MEM_LOOK_EVERY	1.0
#define MEM_HOLD	30.0
bool	mem_give_back(double now);

#endif
