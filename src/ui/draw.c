#include "config.h"

#include <curses.h>
#include <string.h>

#include "util/fmt.h"
#include "ui/ui_state.h"

static attr_t	draw_attr[THEME__COUNT];
/* a scrolled page: line y shows on screen line y - top, within first..last */
static int	draw_top;
static int	draw_first;
static int	draw_last = 1 << 30;

void
draw_scroll(int top, int first, int last)
{
	draw_top = top;
	draw_first = first;
	draw_last = last;
}

/* The screen line of page line y; -1 if it is scrolled out of view. */
static int
screen_y(int y)
{
	y -= draw_top;
	return y < draw_first || y > draw_last ? -1 : y;
}

static attr_t
to_attr(int a)
{
	attr_t	r = A_NORMAL;

	if (a & THEME_A_BOLD)
		r |= A_BOLD;
	if (a & THEME_A_DIM)
		r |= A_DIM;
	if (a & THEME_A_REVERSE)
		r |= A_REVERSE;
	if (a & THEME_A_UNDERLINE)
		r |= A_UNDERLINE;
	return r;
}

void
draw_theme_apply(const struct theme *t)
{
	int	i, colours = !t->mono && has_colors();

	if (colours) {
		start_color();
		use_default_colors();
	}
	for (i = 0; i < THEME__COUNT; i++) {
		const struct theme_style *s = &t->role[i];

		draw_attr[i] = to_attr(s->attrs);
		if (!colours || i + 1 >= COLOR_PAIRS)
			continue;
		if ((s->fg >= COLORS && s->fg >= 0) ||
		    (s->bg >= COLORS && s->bg >= 0)) {
			/* a 256-colour theme on an 8-colour terminal */
			init_pair((short)(i + 1), (short)(s->fg >= 0 ?
			    s->fg % 8 : -1), (short)(s->bg >= 0 ? s->bg % 8 :
			    -1));
		} else
			init_pair((short)(i + 1), (short)s->fg, (short)s->bg);
		if (s->fg >= 0 || s->bg >= 0)
			draw_attr[i] |= COLOR_PAIR(i + 1);
	}
}

void
draw_role(enum theme_role r)
{
	attrset(draw_attr[r]);
}

/* Writes at most maxw columns of s at (y, x); never past the screen edge. */
void
draw_text(int y, int x, int maxw, const char *s)
{
	char	buf[1024];
	int	room = COLS - x;

	y = screen_y(y);
	if (y < 0 || y >= LINES || x >= COLS || maxw <= 0)
		return;
	if (maxw > room)
		maxw = room;
	fmt_clip(buf, sizeof buf, s, (size_t)maxw);
	mvaddstr(y, x, buf);
}

/* Clears line y in the role's colours. */
void
draw_fill(int y, enum theme_role r)
{
	y = screen_y(y);
	if (y < 0 || y >= LINES)
		return;
	draw_role(r);
	move(y, 0);
	hline(' ', COLS);
}

void
draw_bar(int y, int x, bool utf8, int n)
{
	chtype	ch = utf8 ? ACS_CKBOARD : '#';

	y = screen_y(y);
	if (y < 0 || y >= LINES || x >= COLS || n <= 0)
		return;
	move(y, x);
	hline(ch, n < COLS - x ? n : COLS - x);
}
