#ifndef MEMTOP_ANALYSE_MARKS_H
#define MEMTOP_ANALYSE_MARKS_H

#include <stddef.h>

#include "collect/sample.h"

/*
 * The sampler's maps hook: runs the rule table over a process's mappings and
 * returns a bit per rule that fired (bit i = detector_table[i]); what each
 * rule counted, fired or not, goes to tally->count[i] and bytes[i].
 */
unsigned	 marks_from_maps(void *ctx, const struct snap_proc *,
		    const struct maps *, struct maps_tally *tally);

/* The rule names of marks, comma-separated, into buf. */
const char	*marks_names(unsigned marks, char *buf, size_t len);

/* The executable's name from a command line (argv[0] basename). */
const char	*marks_argv0(const char *cmdline, char *buf, size_t len);

#endif
