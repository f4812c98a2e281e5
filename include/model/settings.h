#ifndef MEMTOP_MODEL_SETTINGS_H
#define MEMTOP_MODEL_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/tree.h"

/*
 * The dashboard's settings file, memtoprc: "name = value" lines, '#'
 * comments. Read at start (options on the command line win), written by
 * the W key, never on quit. A line that cannot be used is reported and its
 * setting keeps its default; the other lines still apply.
 *
 *   sort = anon-growth          any sort key (memtop --help)
 *   reverse = yes|no
 *   view = tree|flat
 *   group-by = pod|container|namespace|cgroup
 *   theme = NAME                a theme file's name
 *   delay = SECONDS             0.05 .. 86400
 *   read-only = yes|no
 *   hidden-columns = T, T ...   column titles the default shows, hidden
 *   shown-columns = T, T ...    column titles the default hides, shown
 */

/* Which settings a file had (and which the command line gave). */
#define SET_SORT	0x01
#define SET_REVERSE	0x02
#define SET_VIEW	0x04
#define SET_GROUP_BY	0x08
#define SET_THEME	0x10
#define SET_DELAY	0x20
#define SET_READ_ONLY	0x40
#define SET_COLUMNS	0x80

#define SETTINGS_COLS		48	/* at least col_count */
#define SETTINGS_LINE_MAX	1024	/* a longer line is an error */
#define SETTINGS_DELAY_MIN	0.05	/* as -d */
#define SETTINGS_DELAY_MAX	86400.0

struct settings {
	unsigned	 have;			/* SET_* read */
	struct sort_key	 sort;			/* reverse: SET_REVERSE */
	bool		 flat;
	int		 group_by;		/* enum tree_group_by */
	char		 theme[64];
	double		 delay;
	bool		 read_only;
	/* per col_table entry: 0 as the default, 1 shown, -1 hidden */
	signed char	 col_show[SETTINGS_COLS];
};

/*
 * The file memtop uses: $MEMTOPRC if set (empty: none, returns NULL), else
 * $XDG_CONFIG_HOME/memtop/memtoprc, else $HOME/.config/memtop/memtoprc;
 * NULL if neither variable is set.
 */
const char	*settings_path(char *buf, size_t len);

/*
 * Parses the text of a memtoprc into s (which the caller zeroed). Each line
 * that cannot be used is counted; the first one's problem goes into err
 * ("line 3: unknown setting 'colour'"). Returns how many lines were bad.
 */
int		 settings_parse(const char *text, size_t len, struct settings *s,
		    char *err, size_t errlen);

/*
 * Reads and parses path. A missing file is no settings (0, s->have 0).
 * Returns 0, or -1 with err set (why, without the path) if the file could
 * not be read or had bad lines (the good ones are in s).
 */
int		 settings_load(const char *path, struct settings *s, char *err,
		    size_t errlen);

/*
 * Writes every setting of s to path (the directory is made if missing),
 * through a temporary file and rename. 0, or -1 with err set.
 */
int		 settings_save(const char *path, const struct settings *s,
		    char *err, size_t errlen);

#endif
