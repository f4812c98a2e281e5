/*
 * memtoprc: good lines apply, each bad one is reported and skipped (unknown
 * settings, bad values, missing '=', long lines, NUL bytes); a missing file
 * is no settings, an unreadable one an error; save then load round-trips;
 * MEMTOPRC and XDG_CONFIG_HOME choose the path.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "model/column.h"
#include "model/settings.h"

static char	tmpdir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/memtop-settings.XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
parse(const char *text, struct settings *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	return settings_parse(text, strlen(text), s, err, errlen);
}

static void
test_good(void **state)
{
	struct settings	s;
	char		err[256];
	const char	*text = "# comment\n\n  sort = anon-growth  \nreverse=yes\n"
	    "view = flat\ngroup-by = namespace\ntheme = light\ndelay = 2.5\n"
	    "read-only = no\r\nhidden-columns = PSS, vsReplicas\n"
	    "shown-columns = rssanon\n";

	(void)state;
	assert_int_equal(parse(text, &s, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_int_equal(s.have, SET_SORT | SET_REVERSE | SET_VIEW |
	    SET_GROUP_BY | SET_THEME | SET_DELAY | SET_READ_ONLY | SET_COLUMNS);
	assert_string_equal(sort_key_name(&s.sort), "anon-growth");
	assert_true(s.sort.reverse);
	assert_true(s.flat);
	assert_int_equal(s.group_by, TREE_BY_NAMESPACE);
	assert_string_equal(s.theme, "light");
	assert_true(s.delay == 2.5);
	assert_false(s.read_only);
	assert_int_equal(s.col_show[col_of_fig(FIG_PSS)], -1);
	assert_int_equal(s.col_show[col_by_key("vs-replicas")], -1);
	assert_int_equal(s.col_show[col_of_fig(FIG_RSS_ANON)], 1);
	assert_int_equal(s.col_show[col_of_fig(FIG_RSS)], 0);
}

/* Each bad line: counted, the first reported with its number, others apply. */
static void
test_bad_lines(void **state)
{
	static const struct {
		const char	*text;
		const char	*err;
	} t[] = {
		{ "colour = red\n", "line 1: unknown setting 'colour'" },
		{ "sort = bogus\n", "line 1: sort: no sort key 'bogus'" },
		{ "\nreverse = maybe\n", "line 2: reverse: yes or no, not 'maybe'" },
		{ "view = list\n", "line 1: view: tree or flat, not 'list'" },
		{ "group-by = node\n", "line 1: group-by: pod, container, "
		  "namespace or cgroup, not 'node'" },
		{ "theme = ../../etc/x\n", "line 1: theme: a theme's name, not "
		  "'../../etc/x'" },
		{ "theme =\n", "line 1: theme: a theme's name, not ''" },
		{ "delay = 0.01\n", "line 1: delay: seconds from 0.05 to 86400, "
		  "not '0.01'" },
		{ "delay = nan\n", "line 1: delay: seconds from 0.05 to 86400, "
		  "not 'nan'" },
		{ "delay = 1x\n", "line 1: delay: seconds from 0.05 to 86400, "
		  "not '1x'" },
		{ "hidden-columns = PSS, Nope\n", "line 1: no column is called "
		  "'Nope'" },
		{ "sort rss\n", "line 1: not 'name = value': sort rss" },
		{ "read-only = 2\n", "line 1: read-only: yes or no, not '2'" },
	};
	struct settings	s;
	char		err[256];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		assert_int_equal(parse(t[i].text, &s, err, sizeof err), 1);
		assert_string_equal(err, t[i].err);
		assert_int_equal(s.have, 0);
	}
	/* a bad column list changes no column */
	parse("hidden-columns = PSS, Nope\n", &s, err, sizeof err);
	assert_int_equal(s.col_show[col_of_fig(FIG_PSS)], 0);
	/* the good lines around bad ones apply */
	assert_int_equal(parse("x = 1\nsort = pss\ny\ntheme = mono\n", &s, err,
	    sizeof err), 2);
	assert_string_equal(err, "line 1: unknown setting 'x'");
	assert_int_equal(s.have, SET_SORT | SET_THEME);
	assert_string_equal(sort_key_name(&s.sort), "pss");
}

static void
test_long_and_binary(void **state)
{
	struct settings	s;
	char		err[256], *text;
	size_t		n = SETTINGS_LINE_MAX + 100;

	(void)state;
	text = malloc(n + 32);
	assert_non_null(text);
	memset(text, 'a', n);
	memcpy(text + n, "\nsort = pss\n", 13);
	memset(&s, 0, sizeof s);
	assert_int_equal(settings_parse(text, strlen(text), &s, err,
	    sizeof err), 1);
	assert_string_equal(err, "line 1: longer than 1024 bytes");
	assert_int_equal(s.have, SET_SORT);
	/* a NUL byte in a line */
	memcpy(text, "sort = r\0ss\nview = flat", 23);
	memset(&s, 0, sizeof s);
	assert_int_equal(settings_parse(text, 23, &s, err, sizeof err), 1);
	assert_string_equal(err, "line 1: a NUL byte");
	assert_int_equal(s.have, SET_VIEW);
	/* no newline at the end, and a tiny err buffer */
	assert_int_equal(parse("view = flat", &s, err, 8), 0);
	assert_int_equal(parse("bogus", &s, err, 8), 1);
	assert_string_equal(err, "line 1:");
	free(text);
}

static void
test_files(void **state)
{
	struct settings	s, back;
	char		path[128], err[512];
	FILE		*f;

	(void)state;
	/* missing: no settings, no error */
	snprintf(path, sizeof path, "%s/none/memtoprc", tmpdir);
	memset(&s, 0, sizeof s);
	assert_int_equal(settings_load(path, &s, err, sizeof err), 0);
	assert_int_equal(s.have, 0);
	/* unreadable (a directory: root reads any file) */
	assert_int_equal(settings_load(tmpdir, &s, err, sizeof err), -1);
	assert_string_equal(err, "Is a directory");
	/* bad lines: the message names the file, the line and the count */
	snprintf(path, sizeof path, "%s/bad", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("sort = pss\nfoo = 1\nbar\n", f);
	fclose(f);
	memset(&s, 0, sizeof s);
	assert_int_equal(settings_load(path, &s, err, sizeof err), -1);
	assert_string_equal(err, "line 2: unknown setting 'foo', and 1 more bad "
	    "lines; they are ignored");
	assert_int_equal(s.have, SET_SORT);
	/* save makes the directories, load reads back the same */
	snprintf(path, sizeof path, "%s/a/b/memtop/memtoprc", tmpdir);
	memset(&s, 0, sizeof s);
	sort_key_parse("private_dirty", &s.sort);
	s.sort.reverse = true;
	s.flat = true;
	s.group_by = TREE_BY_CGROUP;
	snprintf(s.theme, sizeof s.theme, "light");
	s.delay = 0.5;
	s.read_only = true;
	s.col_show[col_of_fig(FIG_PSS)] = -1;
	s.col_show[col_of_fig(FIG_SWAP_PSS)] = 1;
	assert_int_equal(settings_save(path, &s, err, sizeof err), 0);
	memset(&back, 0, sizeof back);
	assert_int_equal(settings_load(path, &back, err, sizeof err), 0);
	assert_string_equal(sort_key_name(&back.sort), "private_dirty");
	assert_true(back.sort.reverse);
	assert_true(back.flat);
	assert_int_equal(back.group_by, TREE_BY_CGROUP);
	assert_string_equal(back.theme, "light");
	assert_true(back.delay == 0.5);
	assert_true(back.read_only);
	assert_memory_equal(back.col_show, s.col_show, sizeof s.col_show);
	/* saving under a file (not a directory) fails with a message */
	snprintf(path, sizeof path, "%s/bad/memtoprc", tmpdir);
	assert_int_equal(settings_save(path, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "Not a directory"));
}

static void
test_path(void **state)
{
	char		 b[256];

	(void)state;
	setenv("MEMTOPRC", "/x/rc", 1);
	assert_string_equal(settings_path(b, sizeof b), "/x/rc");
	setenv("MEMTOPRC", "", 1);
	assert_null(settings_path(b, sizeof b));
	unsetenv("MEMTOPRC");
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	setenv("HOME", "/home/u", 1);
	assert_string_equal(settings_path(b, sizeof b), "/cfg/memtop/memtoprc");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	assert_string_equal(settings_path(b, sizeof b),
	    "/home/u/.config/memtop/memtoprc");
	unsetenv("XDG_CONFIG_HOME");
	assert_string_equal(settings_path(b, sizeof b),
	    "/home/u/.config/memtop/memtoprc");
	unsetenv("HOME");
	assert_null(settings_path(b, sizeof b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_long_and_binary),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
