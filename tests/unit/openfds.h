/* How many file descriptors this test process has open. */
#ifndef MEMTOP_TESTS_UNIT_OPENFDS_H
#define MEMTOP_TESTS_UNIT_OPENFDS_H

#include <dirent.h>
#include <stddef.h>
#include <stdlib.h>

static inline size_t
open_fds(void)
{
	DIR		*d = opendir("/proc/self/fd");
	struct dirent	*e;
	size_t		 n = 0;

	if (d == NULL)
		abort();
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own */
}

#endif
