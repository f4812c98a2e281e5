#ifndef MEMTOP_COLLECT_NODEMEM_H
#define MEMTOP_COLLECT_NODEMEM_H

#include <stdint.h>

/*
 * The node's memory (MemTotal, MemAvailable of /proc/meminfo), through
 * libproc2. libproc2 is opened here, at the first sampler, not at every
 * program start: it brings libsystemd and six more libraries (~2.6 ms of
 * loading), which memtop maps, diff and gc never need
 * (docs/bench-history.md).
 */
struct nodemem;

/*
 * Never NULL. If libproc2 cannot be opened or cannot read /proc/meminfo,
 * says why once (log_warn; nodemem_why keeps it) and every figure is
 * unknown.
 */
struct nodemem	*nodemem_open(void);
/* The same with another library name (tests: one that is not there). */
struct nodemem	*nodemem_open_lib(const char *soname);
void		 nodemem_free(struct nodemem *);
/* Why every figure is unknown (what was logged), or NULL. */
const char	*nodemem_why(const struct nodemem *);
/* One read of /proc/meminfo: bytes, or FIG_NA for a figure not known. */
void		 nodemem_read(struct nodemem *, uint64_t *total,
		    uint64_t *available);

#endif
