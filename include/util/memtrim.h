#ifndef MEMTOP_UTIL_MEMTRIM_H
#define MEMTOP_UTIL_MEMTRIM_H

#include <stddef.h>

/*
 * Gives the heap's free memory back to the kernel once the memory in use
 * fell well below its peak since the last time (a spike of processes or
 * pods that went away) or the free part grew by 1 MiB since (a heap
 * fragmenting): called once per refresh with the refresh's monotonic
 * time in seconds. It looks at the heap (mallinfo2(), which walks every
 * free list) at most once per MEM_LOOK_EVERY seconds: at -d 0.01 a look
 * each refresh was ~2 % of a steady refresh. Steady use trims nothing.
 * Returns the bytes given back (0 most of the time).
 */
#define MEM_LOOK_EVERY	1.0
size_t	mem_give_back(double now);

#endif
