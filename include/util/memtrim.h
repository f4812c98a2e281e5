#ifndef MEMTOP_UTIL_MEMTRIM_H
#define MEMTOP_UTIL_MEMTRIM_H

#include <stddef.h>

/*
 * Gives the heap's free memory back to the kernel once the memory in use
 * fell well below its peak since the last time (a spike of processes or
 * pods that went away) or the free part grew by 1 MiB since (a heap
 * fragmenting): called once per refresh. Steady use trims nothing.
 * Returns the bytes given back (0 most of the time).
 */
size_t	mem_give_back(void);

#endif
