#!/bin/sh
# The real binary in tmux: a pod created here (real cgroup, real processes,
# names from kubelet log dirs) shown with the right figures; anon-growth sort
# puts a process that grows in steps on top; filter, detail, help, redraw,
# resize to 40x10 and 20x5, theme and NO_COLOR, TERM=dumb, q exits 0.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
need_v1

tui_init

H=$LIB_TMP/host
U1=$(rand_uuid); C1=$(rand_hex64)	# team-a/web-7: grows in steps
U2=$(rand_uuid); C2=$(rand_hex64)	# team-b/big-1: big and flat
for x in "team-a_web-7_$U1 web-7_team-a_app-$C1" "team-b_big-1_$U2 big-1_team-b_app-$C2"; do
	set -- $x
	mkdir -p "$H/var/log/pods/$1/app" "$H/var/log/containers"
	ln -s "/var/log/pods/$1/app/0.log" "$H/var/log/containers/$2.log"
done
mkcg "$V1/kubepods/burstable/pod$U1/$C1" || exit 99
mkcg "$V1/kubepods/burstable/pod$U2/$C2" || exit 99
spawn_in "$LIB_TMP/p2" "$V1/kubepods/burstable/pod$U2/$C2/cgroup.procs" -- "$HELPERS/alloc_anon" 200; P2=$SPAWNED
wait_for 20 grep -q ready "$LIB_TMP/p2" || exit 99

# the first pod row (a line starting with the fold marker and a namespace)
first_pod() { screen | grep -E '^. team-' | head -1; }
# new_session COMMAND: a fresh tmux server running COMMAND in a 160x40 pane
new_session() {
	$TM kill-server 2>/dev/null
	wait_for 5 sh -c "! $(echo "$TM") has-session 2>/dev/null"
	i=0
	until $TM new-session -d -s mt -x 160 -y 40 "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -ge 20 ] && return 1
		sleep 0.1	# retry bounded by the count above
	done
}
start_ui() {	# extra args...
	new_session "sh -c '\"$MEMTOP\" -d 0.3 --host-root \"$H\" $*; echo EXIT=\$?; sleep 60'"
}

start_ui
# on a busy node other pods could push ours off the screen: show only ours
wait_for 15 screen_has "NAME"
$TM send-keys -t mt / team- Enter
check "tree shows the flat pod by name" wait_for 15 screen_has "team-b/big-1"
check "sorted by rss first" wait_for 5 sh -c "$TM capture-pane -p -t mt | grep -E '^. team-' | head -1 | grep -q big-1"

# the stepping process: 20 MiB, then +60 MiB three times
spawn_in "$LIB_TMP/p1" "$V1/kubepods/burstable/pod$U1/$C1/cgroup.procs" -- "$HELPERS/alloc_anon" 20 60 3 3; P1=$SPAWNED
wait_for 40 grep -q "step 3" "$LIB_TMP/p1" || { fail "stepping helper did not finish"; cat "$LIB_TMP/p1"; }
check "the stepping pod appears" wait_for 30 screen_has "team-a/web-7"

# figures: the process row's RSS against /proc
rss_mib=$(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' /proc/$P2/status)
row=$(screen | grep -E "^ +$P2 alloc_anon")
shown=$(echo "$row" | awk '{ print $3 }')
case $shown in *M) ;; *) shown=0 ;; esac
check "RSS of $P2 shown as $shown, /proc says $rss_mib MiB" within "${shown%M}" "$rss_mib" 3

# sort by anon growth from the sort menu: two keys (s opens it, g picks)
$TM send-keys -t mt s
check "s opens the sort menu" wait_for 5 screen_has "sort by (Esc closes)"
check "the menu lists anon-growth with its letter" screen_has " g  anon-growth"
$TM send-keys -t mt g
check "header shows sort anon-growth" wait_for 5 screen_has "sort anon-growth"
check "the menu closed" screen_lacks "sort by (Esc closes)"
check "the pod that grew in steps is on top" wait_for 5 sh -c "$TM capture-pane -p -t mt | grep -E '^. team-' | head -1 | grep -q web-7"
# 180 MiB of steps, counted from the first sample memtop took of the pod:
# the helper at 20 MiB, or the shell that moved itself into the cgroup and
# exec'd it (then up to ~200 MiB)
check "its growth is about 180 MiB (to 200 from the shell)" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -E '^. team-a/web-7' | grep -Eq '\+(1[6-9][0-9]|20[0-9])M'"

# R reverses: the flat pod (big-1, no growth) comes before web-7
$TM send-keys -t mt R
check "R: the header says reversed" wait_for 5 screen_has "(reversed)"
check "R: the stepping pod is no longer first" wait_for 5 sh -c "$TM capture-pane -p -t mt | grep -E '^. team-' | head -1 | grep -q big-1"
$TM send-keys -t mt I
check "I: reversed back" wait_for 5 screen_lacks "(reversed)"
# direct keys
$TM send-keys -t mt M
check "M sorts by RSS" wait_for 5 screen_has "sort rss"
$TM send-keys -t mt G
check "G sorts by anon growth" wait_for 5 screen_has "sort anon-growth"
# F5: every process of the node in one list, and back
$TM send-keys -t mt F5
check "F5: the flat list" wait_for 5 screen_has "  flat"
check "F5: no pod rows, processes at the margin" sh -c "$TM capture-pane -p -t mt | grep -Eq '^ *[0-9]+ alloc_anon' && ! $TM capture-pane -p -t mt | grep -Eq '^. team-'"
$TM send-keys -t mt t
check "t: back to the tree" wait_for 5 sh -c "$TM capture-pane -p -t mt | grep -Eq '^. team-'"
$TM send-keys -t mt F1
check "F1: help" wait_for 5 screen_has "memtop help"
$TM send-keys -t mt Escape

# filter
$TM send-keys -t mt / b i g Enter
check "filter 'big' keeps big-1" wait_for 5 screen_has "team-b/big-1"
check "filter 'big' hides web-7" wait_for 5 screen_lacks "team-a/web-7"
check "filter shown" screen_has "filter: big"
$TM send-keys -t mt Escape
check "Esc clears the filter" wait_for 5 screen_lacks "filter: big"
$TM send-keys -t mt / team- Enter
wait_for 5 screen_has "team-a/web-7"

# detail of the stepping process: filter on its pid, select the last row
$TM send-keys -t mt / "$P1" Enter
wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -Eq '^ +$P1 alloc_anon'"
tui_select_pid "$P1"
$TM send-keys -t mt Enter
# the detail's first draw waits for a full smaps read (slow under load)
check "detail view of the process" wait_for 20 screen_has "process      *$P1"
check "detail lists PssAnon with history" wait_for 10 screen_has "PssAnon"
check "detail shows growth since start" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -E '^ RssAnon' | grep -Eq '\+(1[6-9][0-9]|20[0-9])M'"
$TM send-keys -t mt Escape Escape
check "Esc goes back to the tree" wait_for 5 screen_has "NAME"

# a big process: its PSS is re-read less often, and the row says how old
"$HELPERS/alloc_anon" 1100 > "$LIB_TMP/big" & BIG=$!; register_pid $BIG
wait_for 20 grep -q ready "$LIB_TMP/big"
$TM send-keys -t mt / "$BIG" Enter Home
check "a big process's row gives its PSS age" wait_for 30 sh -c "$TM capture-pane -p -t mt | grep -Eq '^ +$BIG alloc_anon \(pss [0-9]+s old\)'"
$TM send-keys -t mt End
check "selected, it is read every refresh (no age shown)" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -E '^ +$BIG alloc_anon' | grep -vq 'pss'"
kill $BIG
$TM send-keys -t mt Escape

# help, generated from the key table
$TM send-keys -t mt '?'
check "help lists the keys" wait_for 5 screen_has "quit memtop"
check "help lists redraw" screen_has "C-l"
$TM send-keys -t mt Escape

# redraw: scribble on the terminal behind memtop's back, then Ctrl-L
# (paused, so no refresh repaints the scribbled cells by chance)
$TM send-keys -t mt p
wait_for 5 screen_has "PAUSED"
sleep 0.3	# the draw that showed PAUSED may still be on its way out
tty=$($TM display-message -p -t mt '#{pane_tty}')
printf '\033[20;5HSCRIBBLE-SCRIBBLE' > "$tty"
check "scribble visible" wait_for 3 screen_has "SCRIBBLE"
$TM send-keys -t mt C-l
check "Ctrl-L repaints everything" wait_for 5 screen_lacks "SCRIBBLE"
printf '\033[21;5HSCRIBBLE-AGAIN' > "$tty"
$TM send-keys -t mt r
check "r repaints everything" wait_for 5 screen_lacks "SCRIBBLE-AGAIN"
$TM send-keys -t mt p
check "p resumes" wait_for 5 screen_lacks "PAUSED"

# resize
$TM resize-window -t mt -x 40 -y 10
check "40x10: still a header" wait_for 5 screen_has "memtop"
check "40x10: not 'too small'" screen_lacks "too small"
widest() {
	w=0
	screen | while IFS= read -r l; do printf '%s' "$l" | wc -m; done | sort -n | tail -1
}
check "40x10: no line wider than 40" test "$(widest)" -le 40
$TM resize-window -t mt -x 20 -y 5
check "20x5: terminal too small" wait_for 5 screen_has "terminal too small"
$TM resize-window -t mt -x 160 -y 40
check "back to 160x40" wait_for 5 screen_has "NAME"

# q exits 0 and restores the terminal
$TM send-keys -t mt q
check "q exits 0" wait_for 5 screen_has "EXIT=0"
check "the terminal is restored (no memtop screen left)" screen_lacks "NAME "

# colours: the default theme uses them, NO_COLOR and --theme mono do not
has_colour() { $TM capture-pane -p -e -t mt | grep -Eq '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)[;m]'; }
start_ui
wait_for 10 screen_has "team-b/big-1"
check "default theme has colours" has_colour
$TM send-keys -t mt q
start_ui --theme mono
wait_for 10 screen_has "team-b/big-1"
check "--theme mono: no colours" wait_for 5 sh -c "! $(echo "$TM") capture-pane -p -e -t mt | grep -Eq '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)[;m]'"
$TM send-keys -t mt q
start_ui --theme light
check "--theme light runs" wait_for 10 screen_has "team-b/big-1"
$TM send-keys -t mt q
new_session "sh -c 'NO_COLOR=1 \"$MEMTOP\" -d 0.3 --host-root \"$H\"; echo EXIT=\$?; sleep 60'"
wait_for 10 screen_has "team-b/big-1"
check "NO_COLOR: no colours" sh -c "! $(echo "$TM") capture-pane -p -e -t mt | grep -Eq '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)[;m]'"
$TM send-keys -t mt q
start_ui --theme no-such-theme
check "an unknown theme: a message, memtop runs" wait_for 10 screen_has "theme no-such-theme"
$TM send-keys -t mt q

# a locale without UTF-8: ASCII sparklines and fold markers
new_session "sh -c 'LC_ALL=C LANG=C \"$MEMTOP\" -d 0.2 --host-root \"$H\"; echo EXIT=\$?; sleep 60'"
wait_for 10 screen_has "NAME"
$TM send-keys -t mt / team- Enter
check "C locale: ASCII fold marker" wait_for 10 sh -c "$(echo "$TM") capture-pane -p -t mt | grep -Eq '^- team-'"
check "C locale: ASCII sparkline" wait_for 10 sh -c "$(echo "$TM") capture-pane -p -t mt | grep -E '^- team-b/big-1' | grep -Eq '[_.=#-]{2,} *\$'"
check "C locale: no UTF-8 block glyphs" sh -c "! $(echo "$TM") capture-pane -p -t mt | grep -q '▁'"
$TM send-keys -t mt q

# a terminal that cannot address the cursor: text refreshes instead
# script(1) keeps a copy of the terminal's output: on a busy machine the
# text is longer than tmux's scrollback
new_session "sh -c 'script -qec \"TERM=dumb \\\"$MEMTOP\\\" -n 1\" \"$LIB_TMP/dumb.txt\"; echo EXIT=\$?; sleep 60'"
check "TERM=dumb: falls back to text and exits 0" wait_for 20 screen_has "EXIT=0"
check "TERM=dumb: says why" grep -q 'cannot move the cursor' "$LIB_TMP/dumb.txt"
check "TERM=dumb: text refreshes" grep -q '^memtop - ' "$LIB_TMP/dumb.txt"
finish
