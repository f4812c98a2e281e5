#ifndef MEMTOP_UI_THEME_H
#define MEMTOP_UI_THEME_H

#include <stddef.h>

/*
 * Colour roles. X(ENUM, name in .theme files, default fg, bg, attrs).
 * A theme file has lines "role = fg bg [attr...]": colours are default,
 * black, red, green, yellow, blue, magenta, cyan, white or 0-255; attributes
 * bold, dim, reverse, underline, normal. '#' starts a comment.
 */
#define THEME_ROLES(X)							\
	X(DEFAULT,	"default",	-1, -1, 0)			\
	X(HEADER,	"header",	-1, -1, THEME_A_BOLD)		\
	X(COLHEAD,	"column_header", 0, 6, 0)			\
	X(SELECTED,	"selected",	0, 3, 0)			\
	X(POD,		"pod",		-1, -1, THEME_A_BOLD)		\
	X(CONTAINER,	"container",	6, -1, 0)			\
	X(PROCESS,	"process",	-1, -1, 0)			\
	X(GROWTH,	"growth_warning", 1, -1, THEME_A_BOLD)		\
	X(LIMIT,	"limit_high",	1, -1, THEME_A_BOLD)		\
	X(SPARK,	"sparkline",	2, -1, 0)			\
	X(DIM,		"dimmed",	-1, -1, THEME_A_DIM)		\
	X(UNKNOWN,	"unknown",	-1, -1, THEME_A_DIM)		\
	X(STATUS,	"status",	-1, -1, THEME_A_REVERSE)		\
	X(ERROR,	"error",	1, -1, THEME_A_BOLD)		\
	X(HELP_KEY,	"help_key",	3, -1, THEME_A_BOLD)		\
	X(BAR,		"bar",		4, -1, 0)

#define THEME_A_BOLD	0x1
#define THEME_A_DIM	0x2
#define THEME_A_REVERSE	0x4
#define THEME_A_UNDERLINE	0x8

enum theme_role {
#define THEME_ENUM(e, n, f, b, a) THEME_##e,
	THEME_ROLES(THEME_ENUM)
#undef THEME_ENUM
	THEME__COUNT
};

struct theme_style {
	int	fg;	/* -1 default, 0-255 */
	int	bg;
	int	attrs;	/* THEME_* bits */
};

struct theme {
	char			name[64];
	struct theme_style	role[THEME__COUNT];
	int			mono;	/* no colours at all */
};

extern const char *const theme_role_names[THEME__COUNT];

/* The built-in defaults (used for roles a file leaves out). */
void	theme_defaults(struct theme *);
/* Every role: attributes only, no colour (NO_COLOR, mono terminals). */
void	theme_mono(struct theme *);

/*
 * Parses theme text over t (which keeps what the text does not set).
 * Returns the number of bad lines; the first is described in err.
 */
int	theme_parse(struct theme *t, const char *buf, size_t len, char *err,
	    size_t errlen);

/* Loads NAME from dir/NAME.theme. 0, or -1 with err set. */
int	theme_load(struct theme *t, const char *dir, const char *name,
	    char *err, size_t errlen);

#endif
