#!/bin/sh
# The first five minutes at 80x24 (issue 17): three replicas with long
# kubelet-like names are told apart and the selected one's full name is on
# screen; the sort indicator and the '!' marker are never cut; ? explains
# every marker and scrolls; the detail view scrolls to its growth line and
# names the finding that fired.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
need_v1
tui_init

H=$LIB_TMP/host
NS=shop$$
for suf in x2x7q b8rtm zq4lk; do
	U=$(rand_uuid); C=$(rand_hex64); POD=checkout-5f7c9d8b6-$suf
	mkdir -p "$H/var/log/pods/${NS}_${POD}_$U/app" "$H/var/log/containers"
	ln -s "/var/log/pods/${NS}_${POD}_$U/app/0.log" \
	    "$H/var/log/containers/${POD}_${NS}_app-$C.log"
	mkcg "$V1/kubepods/burstable/pod$U/$C" || exit 99
	if [ $suf = x2x7q ]; then
		# a Node-like process whose mappings fire the V8 finding ('!')
		cp "$HELPERS/maps_layout" "$LIB_TMP/node"
		spawn_in "$LIB_TMP/$suf" "$V1/kubepods/burstable/pod$U/$C/cgroup.procs" -- "$LIB_TMP/node" 600 20 5 0
		PN=$SPAWNED
	else
		spawn_in "$LIB_TMP/$suf" "$V1/kubepods/burstable/pod$U/$C/cgroup.procs" -- "$HELPERS/alloc_anon" 20
	fi
	wait_for 20 grep -q ready "$LIB_TMP/$suf" || exit 99
done

line() { screen | sed -n "$1p"; }
start_ui() {	# W H extra args...
	w=$1 h=$2; shift 2
	tui_session "$w" "$h" "sh -c '\"$MEMTOP\" -d 0.3 --host-root \"$H\" $*; echo EXIT=\$?; sleep 60'"
}

start_ui 80 24
wait_for 15 screen_has "NAME"
$TM send-keys -t mt / "$NS" Enter
check "80x24: the three replicas are listed" wait_for 15 sh -c "test \$($(echo "$TM") capture-pane -p -t mt | grep -c '^. $NS/checkout-') -eq 3"
# each replica's row keeps the end of its name, where replicas differ
for suf in x2x7q b8rtm zq4lk; do
	check "80x24: the row of ...-$suf is told apart" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep '^. $NS/checkout-' | grep -q '$suf'"
done
$TM send-keys -t mt Home
check "80x24: line 3 has the selected pod's full name" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 3p | grep -Eq '^$NS/checkout-5f7c9d8b6-[a-z0-9]{5} '"
check "80x24: ... and its cgroup" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 3p | grep -q 'cgroup /kubepods/burstable/pod'"

# the process with the finding: '!' on its row, its command line on line 3
$TM send-keys -t mt Escape / "$LIB_TMP/node" Enter
tui_select_pid $PN || fail "80x24: the node process selected"
check "80x24: the node row carries '!'" wait_for 15 sh -c "$TM capture-pane -p -t mt | grep -Eq '^ +$PN node !'"
check "80x24: line 3 has its command line" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 3p | grep -q '^$PN $LIB_TMP/node 600 20 5 0  in $NS/checkout-'"
$TM resize-window -t mt -x 40 -y 12
check "40x12: the name is cut, '!' is not" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -E '^ +$PN' | grep -q ' !'"
$TM resize-window -t mt -x 80 -y 24
$TM send-keys -t mt Escape / "$NS" Enter

# every sort key shows its arrow on a column head and its name in line 1
n=0
prev=$(line 1 | sed -n 's/.*sort \([a-z_-]*\).*/\1/p')
while [ $n -lt 20 ]; do
	$TM send-keys -t mt '>'
	# line 1 ends with another sort name (not just: no longer the old one,
	# which a redraw caught halfway also satisfies)
	wait_for 10 sh -c "$(echo "$TM") capture-pane -p -t mt | sed -n 1p | grep -E 'sort [a-z_-]+\$' | grep -vq 'sort $prev\$'"
	cur=$(line 1 | sed -n 's/.*sort \([a-z_-]*\)$/\1/p')
	check "80x24: sort $cur: named at the end of line 1" test -n "$cur"
	check "80x24: sort $cur: an arrow on its column head" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 4p | grep -Eq '[A-Za-z%]v( |\$)'"
	n=$((n + 1))
	[ "$cur" = rss ] && break
	prev=$cur
done
check "the sort keys cycled back to rss" test "$cur" = rss

# the mouse: tmux hands the pane X10 mouse reports (ncurses asks for mode
# 1000 since the terminfo's kmous is \E[M): ESC [ M, button+32, x+33, y+33
click() {	# x y (0-based): press and release of button 1
	for b in 32 35; do
		$TM send-keys -t mt -l "$(printf '\033[M%b%b%b' "\\0$(printf %o $b)" \
		    "\\0$(printf %o $((33 + $1)))" "\\0$(printf %o $((33 + $2)))")"
	done
}
# x of the end of a column head's title on line 4, 0-based
head_x() { line 4 | awk -v t="$1" '{ i = index($0, t); print i ? i + length(t) - 2 : -1 }'; }
$TM send-keys -t mt M
wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 1p | grep -q 'sort rss\$'"
click "$(head_x PSS)" 3
check "mouse: a click on the PSS head sorts by it" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 1p | grep -q 'sort pss\$'"
check "mouse: ... and marks it" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 4p | grep -q 'PSSv'"
click "$(head_x PSSv)" 3
check "mouse: again: reversed" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 1p | grep -q 'sort pss (reversed)\$'"
click 2 3
check "mouse: the NAME head sorts by name" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 1p | grep -q 'sort name\$'"
# rows: a pod's node process and a pod row, found where they are (another
# process of the filter's pods can stand above them), read again for each
# of a few tries: a refresh may move the rows between the read and the click
row_at() { screen | grep -nE "$1" | head -1 | cut -d: -f1; }
clicked_row() {
	y=$(row_at '^ +[0-9]+ node ')
	[ -n "$y" ] || return 1
	sel=$(line "$y" | awk '{ print $1 }')
	click 10 $((y - 1))
	wait_for 3 sh -c "$TM capture-pane -p -t mt | sed -n 3p | grep -q '^$sel '"
}
clicked_pod() {
	y=$(row_at "^. $NS/checkout-")
	[ -n "$y" ] || return 1
	click 10 $((y - 1))
	wait_for 3 sh -c "$TM capture-pane -p -t mt | sed -n 3p | grep -q '^$NS/checkout-'"
}
tries() { "$1" || "$1" || "$1"; }
check "mouse: a click on a row selects it (line 3 shows it)" tries clicked_row
check "mouse: ... and a pod row" tries clicked_pod
$TM send-keys -t mt M

# ? explains every marker and the columns, wraps at 80 columns, scrolls
$TM send-keys -t mt '?'
check "?: help" wait_for 10 screen_has "memtop help"
check "?: the first key" wait_for 10 screen_has "quit memtop"
check "?: it scrolls (says so)" wait_for 10 screen_has "lines 1-"
help=$LIB_TMP/help
: > "$help"
i=0
while [ $i -lt 12 ]; do
	screen >> "$help"
	grep -q "Figures are bytes" "$help" && break
	at=$(screen | tail -1)
	$TM send-keys -t mt PgDn
	wait_for 10 sh -c "! $(echo "$TM") capture-pane -p -t mt | tail -1 | grep -qxF '$at'"
	i=$((i + 1))
done
check "?: PgDn reaches the end" grep -q "Figures are bytes" "$help"
for m in '!  *after a process: its mappings fired a finding' \
    '\*  *before a name: marked for comparison' \
    'dimmed row  *a process that exited' 'dimmed figure  *a PSS figure older' \
    '≥  *before a sum: some members could not be read' \
    '-  *unknown (unreadable or not read yet), never 0' \
    'v ^  *after a column title: the sort column' \
    'ShrClean  *shared clean pages' 'PrvDirty  *private pages written to' \
    'WSet  *working set' 'vsReplicas  *anonymous memory over the median' \
    'memtoprc  *W writes' 'F2 f  *choose the columns shown'; do
	check "?: explains '${m%%  *}'" grep -q "^ $m" "$help"
done
check "?: every column is described" sh -c "! grep -q 'not described' '$help'"
# the g help is longer than 80 columns: its end is on a following line
check "?: a long line wraps instead of being cut" sh -c "grep -A2 '^ g  ' '$help' | grep -q 'pod/container'"
check "?: ... at a space" sh -c "grep '^ g  ' '$help' | grep -q '[a-z]\$'"
$TM send-keys -t mt Home
check "?: Home scrolls back" wait_for 10 screen_has "quit memtop"
$TM send-keys -t mt Escape

# the detail of the node process: which finding fired; PgDn to the growth line
$TM send-keys -t mt Escape / "$LIB_TMP/node" Enter
tui_select_pid $PN || fail "the node process selected"
$TM send-keys -t mt Enter
check "detail: opens" wait_for 20 screen_has "process  *$PN"
check "detail: says which finding fired" wait_for 10 screen_has "findings (the '!'): v8-pages"
check "detail: at 80x24 the growth line is below the screen" screen_lacks "since first seen"
check "detail: the status line says there is more" wait_for 10 screen_has "more below"
$TM send-keys -t mt PgDn
check "detail: PgDn shows the growth line" wait_for 10 screen_has "anon growth .* since first seen"
$TM send-keys -t mt Home
check "detail: Home goes back to the top" wait_for 10 screen_has "process  *$PN"
$TM send-keys -t mt Down
check "detail: Down scrolls one line" wait_for 10 screen_lacks "process  *$PN"
$TM send-keys -t mt Up
check "detail: Up scrolls back" wait_for 10 screen_has "process  *$PN"
$TM send-keys -t mt End
check "detail: End shows the last line" wait_for 10 screen_has "samples kept"
$TM send-keys -t mt Escape

$TM send-keys -t mt q
check "q exits 0" wait_for 10 screen_has "EXIT=0"
finish
