#!/bin/sh
# The mapping analysis in the dashboard: the Maps column and the finding
# marker on a row, the detail view's histogram page, and two marked
# processes compared side by side.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
lib_init
tui_init
T=$LIB_TMP

cp "$HELPERS/maps_layout" "$T/node"
cp "$HELPERS/maps_layout" "$T/layout"
"$T/node" 600 20 5 4 > "$T/n.out" & PN=$!; register_pid $PN
"$T/layout" 300 10 2 0 > "$T/l.out" & PL=$!; register_pid $PL
wait_for 20 grep -q ready "$T/n.out" || exit 99
wait_for 20 grep -q ready "$T/l.out" || exit 99
nmaps=$(wc -l < /proc/$PN/maps)

$TM new-session -d -s mt -x 180 -y 50 "sh -c '\"$MEMTOP\" -d 0.3; echo EXIT=\$?; sleep 60'"
wait_for 15 screen_has "NAME"
# other groups start folded: the filter opens them
# filter on the helpers' command lines, not their pids: a pid also matches
# the command lines of this test's own check processes
FN="$T/node 600"; FL="$T/layout 300"
$TM send-keys -t mt / "$FL" Enter
check "the layout row has no marker" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -E '^ +$PL layout' | grep -vq '!'"
$TM send-keys -t mt Escape / "$FN" Enter
check "the node row carries the finding marker" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -Eq '^ +$PN node !'"
check "Maps column shows $nmaps" sh -c "$TM capture-pane -p -t mt | grep -E '^ +$PN node' | grep -q ' $nmaps '"

# detail, mapping page (the node process selected by its pid on line 3:
# the filter also matches the tmux client that typed it, if a refresh saw it)
tui_select_pid $PN || fail "the node process selected for the detail"
$TM send-keys -t mt Enter
check "detail opens" wait_for 5 screen_has "process  *$PN"
$TM send-keys -t mt Tab
check "mapping page: the 600 x 256K cluster" wait_for 15 screen_has "cluster 600 x 256K"
check "mapping page: the V8 finding" screen_has "\[v8-pages\] 600 x 256 KiB"
check "mapping page: the arena finding" screen_has "\[glibc-arenas\]"
check "mapping page: a bar" sh -c "$TM capture-pane -p -t mt | grep -E '^ 256K-512K +[0-9]+ ' | grep -q '▒'"
check "mapping page: resident from smaps" sh -c "$TM capture-pane -p -t mt | grep -E '^ 256K-512K' | grep -q '150M'"
$TM send-keys -t mt Escape Escape

# mark both, compare
# (each by its pid on line 3: the filter also matches the command line of
# the tmux client that typed it, if a refresh saw that client)
$TM send-keys -t mt / "$FN" Enter
tui_select_pid $PN || fail "the node process selected"
$TM send-keys -t mt m
check "the node process marked" wait_for 10 screen_has "1 marked"
$TM send-keys -t mt Escape / "$FL" Enter
tui_select_pid $PL || fail "the layout process selected"
$TM send-keys -t mt m
check "the layout process marked" wait_for 10 screen_has "2 marked"
$TM send-keys -t mt Escape c
check "compare view" wait_for 10 screen_has "memtop compare"
check "compare: both processes" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -q '$PN node' && $TM capture-pane -p -t mt | grep -q '$PL layout'"
check "compare: 256K clusters 600 vs 300" wait_for 15 sh -c "$TM capture-pane -p -t mt | grep -Eq '^ x 256K +600 +300 +-300'"
check "compare: PssAnon row" screen_has " PssAnon "
$TM send-keys -t mt Escape q
check "q exits 0" wait_for 5 screen_has "EXIT=0"
finish
