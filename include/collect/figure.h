#ifndef MEMTOP_COLLECT_FIGURE_H
#define MEMTOP_COLLECT_FIGURE_H

#include <stdint.h>

/* An unknown figure: unreadable, vanished, or not read yet. Never shown as 0. */
#define FIG_NA		UINT64_MAX

/* Which read a figure needs: the cheap tier (stat/status) or smaps_rollup. */
enum fig_tier {
	FIG_TIER_CHEAP,
	FIG_TIER_ROLLUP
};

/*
 * Every per-process memory figure, in bytes:
 *   X(ENUM, JSON key, title, tier, dashboard width, dashboard priority, -b)
 * The key is also the sort key and the metric name (memtop_*_<key>_bytes);
 * priority: lower stays longer on a narrow terminal, -1 not shown by
 * default; -b: a column of the text output and a sort key the '<' '>' keys
 * cycle through. The order is the order of columns and JSON keys. Adding a
 * figure is one row here (and its read in collect/).
 */
#define FIGURES(X)							      \
	X(RSS,		 "rss",		  "RSS",      FIG_TIER_CHEAP,  7,  0, 1) \
	X(RSS_ANON,	 "rss_anon",	  "RssAnon",  FIG_TIER_CHEAP,  7, -1, 1) \
	X(RSS_FILE,	 "rss_file",	  "RssFile",  FIG_TIER_CHEAP,  7, -1, 0) \
	X(RSS_SHMEM,	 "rss_shmem",	  "RssShm",   FIG_TIER_CHEAP,  7, -1, 0) \
	X(VM_SWAP,	 "vm_swap",	  "VmSwap",   FIG_TIER_CHEAP,  7, -1, 0) \
	X(PSS,		 "pss",		  "PSS",      FIG_TIER_ROLLUP, 7,  2, 1) \
	X(PSS_ANON,	 "pss_anon",	  "PssAnon",  FIG_TIER_ROLLUP, 7,  2, 1) \
	X(PSS_FILE,	 "pss_file",	  "PssFile",  FIG_TIER_ROLLUP, 7,  7, 1) \
	X(PSS_SHMEM,	 "pss_shmem",	  "PssShm",   FIG_TIER_ROLLUP, 7, -1, 0) \
	X(SHARED_CLEAN,	 "shared_clean",  "ShrClean", FIG_TIER_ROLLUP, 8,  8, 1) \
	X(SHARED_DIRTY,	 "shared_dirty",  "ShrDirty", FIG_TIER_ROLLUP, 8, -1, 0) \
	X(PRIVATE_CLEAN, "private_clean", "PrvClean", FIG_TIER_ROLLUP, 8, -1, 0) \
	X(PRIVATE_DIRTY, "private_dirty", "PrvDirty", FIG_TIER_ROLLUP, 8,  9, 1) \
	X(SWAP,		 "swap",	  "Swap",     FIG_TIER_ROLLUP, 6, 10, 1) \
	X(SWAP_PSS,	 "swap_pss",	  "SwapPss",  FIG_TIER_ROLLUP, 7, -1, 0) \
	X(ROLLUP_RSS,	 "rollup_rss",	  "SmRss",    FIG_TIER_ROLLUP, 7, -1, 0)

enum fig {
#define FIG_ENUM(e, key, title, tier, w, prio, batch) FIG_##e,
	FIGURES(FIG_ENUM)
#undef FIG_ENUM
	FIG__COUNT
};

struct fig_info {
	const char	*key;
	const char	*title;
	enum fig_tier	 tier;
};

extern const struct fig_info fig_table[FIG__COUNT];

/* Looks a figure up by JSON key; -1 if unknown. */
int	fig_by_key(const char *);

#endif
