#ifndef MEMTOP_OUTPUT_TEXTFILE_H
#define MEMTOP_OUTPUT_TEXTFILE_H

#include <stddef.h>

/*
 * node_exporter's textfile collector reads the .prom files of a directory: memtop writes
 * DIR/.memtop.prom.PID.tmp, then renames it to DIR/memtop.prom, so a reader
 * sees the previous file or the new one, never a part of one.
 * 0, or -1 with a message in cause (the old file is left as it was).
 */
int	textfile_write(const char *dir, const char *buf, size_t len,
	    char *cause, size_t causelen);

#endif
