#ifndef MEMTOP_COLLECT_MAPS_H
#define MEMTOP_COLLECT_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The mappings of one process, from /proc/PID/maps text (no page-table
 * walk), optionally with per-mapping resident figures from /proc/PID/smaps
 * (a page-table walk: only for the processes a read plan asks for).
 */

struct mapping {
	uint64_t	 start;
	uint64_t	 end;
	uint64_t	 inode;		/* (the offset and device: not kept) */
	char		 perms[5];	/* "rw-p" */
	bool		 anon;		/* no file behind it */
	const char	*name;		/* into the owner's names; "" if none */
	/* from smaps only; UINT64_MAX when not read */
	uint64_t	 rss;
	uint64_t	 pss;
	uint64_t	 private_dirty;
	uint64_t	 swap;
};

struct maps {
	struct mapping	*v;
	size_t		 n;
	size_t		 cap;
	char		*names;		/* all names, NUL-separated */
	size_t		 names_len;
	size_t		 names_cap;
	size_t		 bad_lines;	/* malformed lines skipped */
	bool		 have_rss;	/* parsed from smaps */
};

void	maps_init(struct maps *);
void	maps_done(struct maps *);

/*
 * Parses maps text (or smaps text: the header lines are the same, and the
 * "Key: N kB" lines fill the resident figures). Malformed lines are counted
 * and skipped; a truncated last line is ignored. Returns the mapping count.
 * Call it once per struct maps (names are fixed up at the end).
 */
size_t	maps_parse(struct maps *, const char *buf, size_t len);

/* Reads /proc/PID/maps (smaps if with_rss) under proc_root. 0 or -errno. */
int	maps_read(struct maps *, const char *proc_root, int pid, bool with_rss);

/* What a scan saw besides its mappings. */
struct maps_stats {
	size_t	n;		/* mappings handed on */
	size_t	bad_lines;	/* malformed lines skipped */
	bool	have_rss;	/* smaps figures were parsed */
};

/* Called once per mapping, in address order; mp->name lives for the call. */
typedef void	(*maps_fn)(void *arg, const struct mapping *mp);

/*
 * Reads /proc/PID/maps (smaps if with_rss) in chunks and hands each mapping
 * to fn as it is parsed, with its smaps figures: no array, whatever the
 * mapping count. Fills *st (also on error). 0 or -errno (fn may have been
 * called before a read error).
 */
int	maps_scan(const char *proc_root, int pid, bool with_rss, maps_fn fn,
	    void *arg, struct maps_stats *st);

static inline uint64_t
mapping_size(const struct mapping *m)
{
	return m->end - m->start;
}

#endif
