/*
 * The help screen, generated from the key table: one line per action with
 * every key bound to it.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui/ui_state.h"

void
screen_help_draw(struct ui *u)
{
	char	keys[64], line[256];
	size_t	i, j;
	int	y = 2, row = 0;

	erase();
	draw_fill(0, THEME_HEADER);
	draw_text(0, 0, COLS, "memtop help  (? or Esc: back)");
	for (i = 0; i < ui_nkeys && y < LINES - 1; i++) {
		bool	seen = false;

		for (j = 0; j < i; j++) {
			if (strcmp(ui_keys[j].action, ui_keys[i].action) == 0)
				seen = true;
		}
		if (seen)
			continue;
		keys[0] = '\0';
		for (j = i; j < ui_nkeys; j++) {
			if (strcmp(ui_keys[j].action, ui_keys[i].action) != 0 ||
			    strstr(keys, ui_keys[j].keyname) != NULL)
				continue;
			if (keys[0] != '\0')
				strncat(keys, " ", sizeof keys - strlen(keys) - 1);
			strncat(keys, ui_keys[j].keyname,
			    sizeof keys - strlen(keys) - 1);
		}
		if (row++ < u->help_top)
			continue;
		draw_role(THEME_HELP_KEY);
		draw_text(y, 1, 16, keys);
		draw_role(THEME_DEFAULT);
		snprintf(line, sizeof line, "%s", ui_keys[i].help);
		draw_text(y, 18, COLS - 18, line);
		y++;
	}
	if (y < LINES - 2) {
		draw_role(THEME_DIM);
		draw_text(y + 1, 1, COLS - 1, "Growth: anonymous memory now minus "
		    "its minimum since memtop started. '-' is unknown, never 0.");
	}
}
