#ifndef MEMTOP_ANALYSE_MARKS_H
#define MEMTOP_ANALYSE_MARKS_H

#include <stddef.h>

#include "collect/sample.h"

/*
 * The sampler's maps hook: runs the rule table over a process's mappings as
 * they are read and returns a bit per rule that fired (bit i =
 * detector_table[i]); what each rule counted, fired or not, goes to
 * tally->count[i] and bytes[i].
 */
extern const struct maps_hook marks_hook;

/* The rule names of marks, comma-separated, into buf. */
const char	*marks_names(unsigned marks, char *buf, size_t len);

/* The executable's name from a command line (argv[0] basename). */
const char	*marks_argv0(const char *cmdline, char *buf, size_t len);

#endif
