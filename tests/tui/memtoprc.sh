#!/bin/sh
# memtoprc: W writes the sort, its direction, the view, the columns (chosen
# with F2), the theme and the interval; the next start reads them; options
# on the command line win; a malformed file, an unknown theme, an unreadable
# file: one message (status line and stderr), defaults for those lines, and
# memtop runs; MEMTOPRC= (empty) means no file. Quitting writes nothing.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
lib_init
tui_init
unset MEMTOPRC
export XDG_CONFIG_HOME=$LIB_TMP/cfg HOME=$LIB_TMP/home
RC=$XDG_CONFIG_HOME/memtop/memtoprc

start() {	# extra args...
	tui_session 100 30 "sh -c '\"$MEMTOP\" $*; echo EXIT=\$?; sleep 60'"
	wait_for 15 screen_has "NAME"
}
line() { screen | sed -n "$1p"; }
heads() { line 4; }
quit() {
	$TM send-keys -t mt q
	wait_for 10 screen_has "EXIT=0"
}

start -d 0.3
check "default: the column heads on cyan" sh -c "$TM capture-pane -p -e -t mt | sed -n 4p | grep -Eq '\[([0-9;]*;)?46(;[0-9;]*)?m'"
check "default: PSS is shown" sh -c "$TM capture-pane -p -t mt | sed -n 4p | grep -q ' PSS'"
quit
check "quitting writes nothing" test ! -e "$RC"

start -d 0.3 --theme light
$TM send-keys -t mt s g
check "sort menu: anon-growth" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 1p | grep -q 'sort anon-growth\$'"
$TM send-keys -t mt R
check "reversed" wait_for 10 screen_has "sort anon-growth (reversed)"
$TM send-keys -t mt t
check "flat" wait_for 10 screen_has "flat  sort anon-growth"
# the chooser: RSS RssAnon RssFile RssShm VmSwap PSS ...: hide PSS, show RssAnon
$TM send-keys -t mt F2
check "F2 opens the column chooser" wait_for 10 screen_has "columns (Space shows/hides, Esc)"
check "the chooser marks RSS shown" wait_for 5 screen_has "\[x\] RSS "
check "the chooser marks RssAnon hidden" wait_for 5 screen_has "\[ \] RssAnon"
$TM send-keys -t mt Down Space
check "Space shows RssAnon" wait_for 10 screen_has "\[x\] RssAnon"
$TM send-keys -t mt Down Down Down Down Space Escape
check "Esc closes the chooser" wait_for 10 screen_lacks "columns (Space shows/hides"
check "PSS is hidden" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 4p | grep -vq ' PSS'"
check "RssAnon is shown" sh -c "$TM capture-pane -p -t mt | sed -n 4p | grep -q 'RssAnon'"
$TM send-keys -t mt W
check "W says where it wrote" wait_for 10 screen_has "settings written to $RC"
quit
check "the file: sort" grep -qx "sort = anon-growth" "$RC"
check "the file: reverse" grep -qx "reverse = yes" "$RC"
check "the file: view" grep -qx "view = flat" "$RC"
check "the file: theme" grep -qx "theme = light" "$RC"
check "the file: delay" grep -qx "delay = 0.3" "$RC"
check "the file: hidden columns" grep -qx "hidden-columns = PSS" "$RC"
check "the file: shown columns" grep -qx "shown-columns = RssAnon" "$RC"

# the next start reads them
start
check "kept: sort, direction, view" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 1p | grep -q 'flat  sort anon-growth (reversed)\$'"
check "kept: the columns" sh -c "$TM capture-pane -p -t mt | sed -n 4p | grep -v ' PSS' | grep -q RssAnon"
check "kept: the interval" screen_has " 0.3s "
# the light theme's column heads are white on blue (the default's: on cyan)
check "kept: the theme" sh -c "$TM capture-pane -p -e -t mt | sed -n 4p | grep -Eq '\[([0-9;]*;)?44(;[0-9;]*)?m'"
quit
# the theme: an unknown one in the file is said, memtop runs
sed -i 's/^theme = .*/theme = no-such-theme/' "$RC"
start
check "the file's theme is used (an unknown one is said)" wait_for 10 screen_has "theme no-such-theme"
quit
# options on the command line win
start --sort rss -d 2
check "--sort wins (and its direction)" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 1p | grep -q 'flat  sort rss\$'"
check "-d wins" screen_has " 2s "
quit

# a malformed file: one message, the good lines apply, memtop runs
printf 'sort = bogus\nview = tree\ncolour = red\n%02000d\n' 0 > "$RC"
start
check "malformed: said on the status line" wait_for 10 screen_has "memtoprc: line 1: sort: no sort key 'bogus', and 2 more bad lines"
check "malformed: defaults for the bad lines" sh -c "$TM capture-pane -p -t mt | sed -n 1p | grep -q '  sort rss\$'"
check "malformed: memtop runs" wait_for 10 screen_has "NAME"
quit
check "malformed: said on stderr too" sh -c "$TM capture-pane -p -S - -t mt | grep -q \"^memtop: $RC: line 1: sort: no sort key 'bogus'\""

# unreadable: a directory where the file should be
mv "$RC" "$RC.bad"; mkdir "$RC"
start
check "unreadable: said" wait_for 10 screen_has "memtoprc: Is a directory"
check "unreadable: memtop runs" screen_has "sort rss"
$TM send-keys -t mt W
check "W into a directory: said" wait_for 10 screen_has "settings not written: "
quit
rmdir "$RC"

# MEMTOPRC= : no file read, W says why it cannot write
mv "$RC.bad" "$RC"
tui_session 100 30 "sh -c 'MEMTOPRC= \"$MEMTOP\"; echo EXIT=\$?; sleep 60'"
wait_for 15 screen_has "NAME"
check "MEMTOPRC empty: the file is not read" screen_lacks "memtoprc"
$TM send-keys -t mt W
check "MEMTOPRC empty: W says so" wait_for 10 screen_has "settings not written: MEMTOPRC is empty"
quit
finish
