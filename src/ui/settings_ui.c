/*
 * The dashboard's side of memtoprc (model/settings.c parses and writes it):
 * read at start under the command line's options, written by W.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/settings.h"
#include "ui/ui_state.h"

void
ui_settings_start(struct ui *u, unsigned cli_set)
{
	struct settings	*s = &u->rc;
	unsigned	 use;

	memset(s, 0, sizeof *s);
	u->rc_err[0] = '\0';
	if (settings_path(u->rc_path, sizeof u->rc_path) == NULL) {
		u->rc_path[0] = '\0';
		return;
	}
	if (settings_load(u->rc_path, s, u->rc_err, sizeof u->rc_err) != 0)
		fprintf(stderr, "memtop: %s: %s\n", u->rc_path, u->rc_err);
	/* the command line wins; --sort also decides the direction */
	use = s->have & ~cli_set;
	if (cli_set & SET_SORT)
		use &= ~SET_REVERSE;
	if (use & SET_SORT) {
		bool	rev = u->cfg.sort.reverse;

		u->cfg.sort = s->sort;
		u->cfg.sort.reverse = rev;
	}
	if (use & SET_REVERSE)
		u->cfg.sort.reverse = s->sort.reverse;
	if (use & SET_VIEW)
		u->tr.flat = s->flat;
	if (use & SET_GROUP_BY)
		u->cfg.topts.group_by = (enum tree_group_by)s->group_by;
	if (use & SET_THEME)
		u->cfg.theme = s->theme;
	if (use & SET_DELAY)
		u->cfg.delay = s->delay;
	if (use & SET_READ_ONLY)
		u->cfg.read_only = s->read_only;
	if (use & SET_COLUMNS)
		memcpy(u->col_show, s->col_show, sizeof u->col_show);
}

/* Once the screen is up: a bad memtoprc is said on the status line too. */
void
ui_settings_status(struct ui *u)
{
	if (u->rc_err[0] != '\0')
		ui_status(u, true, "memtoprc: %s", u->rc_err);
}

int
ui_settings_write(struct ui *u)
{
	struct settings	s;
	char		err[600];

	if (u->rc_path[0] == '\0') {
		ui_status(u, true, "settings not written: %s",
		    getenv("MEMTOPRC") != NULL ? "MEMTOPRC is empty" :
		    "neither XDG_CONFIG_HOME nor HOME is set");
		return UI_REDRAW;
	}
	memset(&s, 0, sizeof s);
	s.sort = u->cfg.sort;
	s.flat = u->tr.flat;
	s.group_by = (int)u->cfg.topts.group_by;
	snprintf(s.theme, sizeof s.theme, "%s", u->cfg.theme != NULL ?
	    u->cfg.theme : "default");
	s.delay = u->cfg.delay;
	s.read_only = u->cfg.read_only;
	memcpy(s.col_show, u->col_show, sizeof s.col_show);
	if (settings_save(u->rc_path, &s, err, sizeof err) != 0)
		ui_status(u, true, "settings not written: %s", err);
	else
		ui_status(u, false, "settings written to %s", u->rc_path);
	return UI_REDRAW;
}
