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
 * Every per-process memory figure, in bytes. X(ENUM, json key, title, tier).
 * The order is the order of columns and JSON keys.
 */
#define FIGURES(X)							\
	X(RSS,		 "rss",		  "RSS",     FIG_TIER_CHEAP)	\
	X(RSS_ANON,	 "rss_anon",	  "RssAnon", FIG_TIER_CHEAP)	\
	X(RSS_FILE,	 "rss_file",	  "RssFile", FIG_TIER_CHEAP)	\
	X(RSS_SHMEM,	 "rss_shmem",	  "RssShm",  FIG_TIER_CHEAP)	\
	X(VM_SWAP,	 "vm_swap",	  "VmSwap",  FIG_TIER_CHEAP)	\
	X(PSS,		 "pss",		  "PSS",     FIG_TIER_ROLLUP)	\
	X(PSS_ANON,	 "pss_anon",	  "PssAnon", FIG_TIER_ROLLUP)	\
	X(PSS_FILE,	 "pss_file",	  "PssFile", FIG_TIER_ROLLUP)	\
	X(PSS_SHMEM,	 "pss_shmem",	  "PssShm",  FIG_TIER_ROLLUP)	\
	X(SHARED_CLEAN,	 "shared_clean",  "ShrClean", FIG_TIER_ROLLUP)	\
	X(SHARED_DIRTY,	 "shared_dirty",  "ShrDirty", FIG_TIER_ROLLUP)	\
	X(PRIVATE_CLEAN, "private_clean", "PrvClean", FIG_TIER_ROLLUP)	\
	X(PRIVATE_DIRTY, "private_dirty", "PrvDirty", FIG_TIER_ROLLUP)	\
	X(SWAP,		 "swap",	  "Swap",    FIG_TIER_ROLLUP)	\
	X(SWAP_PSS,	 "swap_pss",	  "SwapPss", FIG_TIER_ROLLUP)	\
	X(ROLLUP_RSS,	 "rollup_rss",	  "SmRss",   FIG_TIER_ROLLUP)

enum fig {
#define FIG_ENUM(e, key, title, tier) FIG_##e,
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
