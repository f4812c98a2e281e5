#include "config.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "model/tree.h"
#include "output/batch.h"
#include "output/json.h"
#include "store/at.h"
#include "store/seed.h"
#include "store/store.h"
#include "ui/ui.h"

/*
 * memtop --at TIME: a recorded moment from the history store, read-only.
 * -b / --json print it in the live output's shape (JSON: "at" and
 * "recorded": true, and null for what the store does not record).
 */

/* A recorded moment's rings: 600 slots of at least 1 s (as the dashboard's
   default refresh) over the 24 h before it. */
#define AT_SLOTS	600
#define AT_SLOT_MIN	1.0

/* "-2h", "-90m", "-1d12h", "-30s": seconds before now; -1 if not that. */
static double
parse_ago(const char *s)
{
	double	 total = 0, v;
	char	*end;

	if (*s++ != '-' || *s == '\0')
		return -1;
	while (*s != '\0') {
		v = strtod(s, &end);
		if (end == s || v < 0)
			return -1;
		switch (*end) {
		case 's': total += v; break;
		case 'm': total += v * 60; break;
		case 'h': total += v * 3600; break;
		case 'd': total += v * 86400; break;
		default: return -1;
		}
		s = end + 1;
	}
	return total;
}

int
at_parse_time(const char *s, double now, double *out)
{
	struct tm	 tm;
	time_t		 tn = (time_t)now, t;
	const char	*end;
	double		 ago;
	bool		 utc;

	if (s[0] == '-') {
		if ((ago = parse_ago(s)) < 0)
			return -1;
		*out = now - ago;
		return 0;
	}
	if (s[0] == '@') {
		char	*e;

		*out = strtod(s + 1, &e);
		return e != s + 1 && *e == '\0' ? 0 : -1;
	}
	localtime_r(&tn, &tm);
	tm.tm_sec = 0;
	/* HH:MM[:SS] today, or yesterday if that is still to come */
	if ((end = strptime(s, "%H:%M:%S", &tm)) != NULL && *end == '\0')
		;
	else if ((end = strptime(s, "%H:%M", &tm)) != NULL && *end == '\0')
		tm.tm_sec = 0;
	else {
		/* ISO 8601: 2026-11-30T20:05[:SS][Z], or a space for the T */
		memset(&tm, 0, sizeof tm);
		end = strptime(s, "%Y-%m-%d", &tm);
		if (end == NULL || (*end != 'T' && *end != ' '))
			return -1;
		s = end + 1;
		if ((end = strptime(s, "%H:%M:%S", &tm)) == NULL &&
		    (end = strptime(s, "%H:%M", &tm)) == NULL)
			return -1;
		utc = *end == 'Z';
		if (end[utc] != '\0')
			return -1;
		tm.tm_isdst = -1;
		t = utc ? timegm(&tm) : mktime(&tm);
		if (t == (time_t)-1)
			return -1;
		*out = (double)t;
		return 0;
	}
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	if ((double)t > now)
		t -= 86400;
	*out = (double)t;
	return 0;
}

/* What the store does not record: null in the recorded JSON. */
static void
json_unrecorded(json_t *doc, const struct at_moment *m)
{
	static const char *const pkeys[] = { "ppid", "uid", "state",
	    "kthread", "pss_age" };
	static const char *const nkeys[] = { "pss_read", "pss_due", "pss_ms" };
	json_t		*g, *c, *p, *node = json_object_get(doc, "node");
	size_t		 i, j, k, l;

	json_object_set_new(doc, "at", json_real(m->t));
	json_object_set_new(doc, "recorded", json_true());
	json_object_set_new(doc, "unplaced_processes",
	    json_integer((json_int_t)m->unplaced));
	for (l = 0; l < sizeof nkeys / sizeof nkeys[0]; l++)
		json_object_set_new(node, nkeys[l], json_null());
	json_array_foreach(json_object_get(doc, "groups"), i, g)
		json_array_foreach(json_object_get(g, "containers"), j, c)
			json_array_foreach(json_object_get(c, "processes"),
			    k, p)
				for (l = 0; l < sizeof pkeys / sizeof pkeys[0];
				    l++)
					json_object_set_new(p, pkeys[l],
					    json_null());
}

static int
write_json(const struct at_moment *m)
{
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*mf = open_memstream(&buf, &len);
	json_t		*doc;
	json_error_t	 err;
	int		 rc;

	if (mf == NULL)
		return -1;
	rc = json_write_snapshot(mf, &m->sn, &m->tree);
	fclose(mf);
	doc = rc == 0 ? json_loadb(buf, len, 0, &err) : NULL;
	free(buf);
	if (doc == NULL)
		return -1;
	json_unrecorded(doc, m);
	rc = json_dumpf(doc, stdout, JSON_COMPACT | JSON_ENSURE_ASCII) != 0 ||
	    fputc('\n', stdout) == EOF || fflush(stdout) == EOF ? -1 : 0;
	json_decref(doc);
	return rc;
}

/*
 * The history as of moment t (sparklines of the 24 h before it, restarts),
 * attached to m's tree; NULL if the store cannot give it (the moment is
 * still shown, without them).
 */
static struct history *
at_history(struct store *st, struct at_moment *m, double window)
{
	struct history		*h = history_create(AT_SLOTS,
				    (uint32_t)(window / AT_SLOT_MIN + 0.5));
	struct seed_info	 info;
	char			 why[512];

	if (seed_history(st, h, &(struct seed_req){ .now = m->t,
	    .delay = AT_SLOT_MIN, .window = window, .cap = AT_SLOTS },
	    &info, why, sizeof why) != 0) {
		history_free(h);
		return NULL;
	}
	at_attach(m, h);
	return h;
}

/* The dashboard's source of recorded moments (ui_config.moment). */
struct at_ui {
	struct store		*st;
	const char		*path;
	double			 t, window;
	struct at_moment	 cur;	/* its tree is the dashboard's */
	struct history		*h;	/* its rings */
	char			 note[640];
};

static void
at_note(struct at_ui *c)
{
	char		tb[32];
	time_t		tt = (time_t)c->t;
	struct tm	tm;

	localtime_r(&tt, &tm);
	strftime(tb, sizeof tb, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(c->note, sizeof c->note, "at %s (recorded)  [ ] sample  "
	    "{ } 10 min", tb);
}

static int
at_ui_moment(void *arg, double seconds, int samples, struct tree *t,
    const struct snapshot **sn)
{
	struct at_ui		*c = arg;
	struct at_moment	 m;
	double			 to = c->t, was;
	char			 why[512];
	int			 rc, dir = samples < 0 ? -1 : 1;
	bool			 asked = seconds != 0 || samples != 0;

	/* ten minutes: the sample at or before (after) the moment that far */
	if (seconds != 0)
		to = at_step(c->st, to, seconds < 0 ? -1 : 1, seconds < 0 ?
		    -seconds : seconds);
	for (; samples != 0; samples -= dir) {
		was = to;
		to = at_step(c->st, to, dir, 0.001);	/* the nearest other */
		if (to == was)
			break;
	}
	if (asked && to == c->t) {
		snprintf(c->note, sizeof c->note, "no recorded sample %s",
		    dir < 0 || seconds < 0 ? "before this one" :
		    "after this one");
		return -1;
	}
	rc = at_build(c->st, to, c->window, &m, why, sizeof why);
	if (rc != 0) {
		if (rc < 0)
			at_free(&m);
		snprintf(c->note, sizeof c->note, "%s", why);
		return -1;
	}
	/* the previous moment's tree is the dashboard's to free (it reads
	   neither the strings nor the history): the rest of it goes now */
	memset(&c->cur.tree, 0, sizeof c->cur.tree);
	at_free(&c->cur);
	history_free(c->h);
	c->h = at_history(c->st, &m, c->window);
	c->cur = m;
	*t = c->cur.tree;
	memset(&c->cur.tree, 0, sizeof c->cur.tree);
	*sn = &c->cur.sn;
	c->t = to;
	at_note(c);
	return 0;
}

/* The dashboard at moment t of the open store st; -1: not a terminal. */
static int
at_dashboard(struct store *st, const char *path, double t, double window,
    const struct sort_key *sort)
{
	struct at_ui		 c;
	struct ui_config	 uc;
	int			 rc;

	memset(&c, 0, sizeof c);
	c.st = st;
	c.path = path;
	c.t = t;
	c.window = window;
	at_note(&c);
	memset(&uc, 0, sizeof uc);
	uc.topts.group_by = TREE_BY_POD;
	uc.sort = *sort;
	uc.delay = 3600;	/* no refreshes: the keys move in time */
	uc.history = 1;
	uc.window = window;
	uc.pss_max_age = 10;
	uc.read_only = true;	/* g is refused: nothing live to act on */
	uc.history_note = c.note;
	uc.moment = at_ui_moment;
	uc.moment_ctx = &c;
	rc = ui_run(&uc);
	at_free(&c.cur);
	history_free(c.h);
	return rc;
}

/* at_build, or says why on stderr and closes st (1). */
static int
build_or_say(struct store *st, double t, double window, struct at_moment *m)
{
	char	why[640];
	int	rc = at_build(st, t, window, m, why, sizeof why);

	if (rc == 0)
		return 0;
	store_close(st);
	fprintf(stderr, "memtop: --at: %s\n", why);
	if (rc < 0)
		at_free(m);
	return 1;
}

int
cmd_at(const char *path, const char *when, enum at_mode mode, double window,
    const struct sort_key *sort)
{
	struct store		*st;
	struct history		*h;
	struct at_moment	 m;
	char			 why[640], tb[64];
	double			 t;
	time_t			 tt;
	struct tm		 tm;
	int			 rc;

	if (path == NULL) {
		fprintf(stderr, "memtop: --at needs the history store, not "
		    "--store none\n");
		return 2;
	}
	if (at_parse_time(when, (double)time(NULL), &t) != 0) {
		fprintf(stderr, "memtop: --at %s: not a time (-2h, -90m, "
		    "20:05, 2026-11-30T20:05, @EPOCH)\n", when);
		return 2;
	}
	st = store_open_reader(path, why, sizeof why);
	if (st == NULL) {
		fprintf(stderr, "memtop: --at: %s\n", why[0] != '\0' ? why :
		    "no history store there (start `memtop record`, see "
		    "README)");
		return 1;
	}
	if (build_or_say(st, t, window, &m) != 0)
		return 1;
	if (mode == AT_DASHBOARD) {
		/* the dashboard builds its own moments (and steps) */
		at_free(&m);
		rc = at_dashboard(st, path, t, window, sort);
		if (rc >= 0) {
			store_close(st);
			return rc;
		}
		mode = AT_TEXT;		/* said why: as -b */
		if (build_or_say(st, t, window, &m) != 0)
			return 1;
	}
	h = at_history(st, &m, window);
	store_close(st);
	tree_sort(&m.tree, sort);
	if (mode == AT_JSON)
		rc = write_json(&m);
	else {
		tt = (time_t)t;
		localtime_r(&tt, &tm);
		strftime(tb, sizeof tb, "%Y-%m-%d %H:%M:%S", &tm);
		printf("recorded at %s from %s (read-only)", tb, path);
		if (m.unplaced > 0)
			printf("; %zu processes with no names to place",
			    m.unplaced);
		putchar('\n');
		rc = batch_write_snapshot(stdout, &m.sn, &m.tree);
	}
	at_free(&m);
	history_free(h);
	return rc == 0 ? 0 : 1;
}
