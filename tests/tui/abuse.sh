#!/bin/sh
# Terminal abuse and a user without privileges: a resize storm (every 50 ms
# for 10 s), then normal use; as nobody, the status line says once why
# figures are missing and g explains that it needs root.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
tui_init

$TM new-session -d -s mt -x 120 -y 40 "sh -c '\"$MEMTOP\" -d 0.2; echo EXIT=\$?; sleep 60'"
wait_for 10 screen_has "NAME" || fail "memtop did not start"
end=$(( $(date +%s) + 10 )); i=0
while [ "$(date +%s)" -lt $end ]; do
	w=$(( 20 + (i * 37) % 180 )); h=$(( 5 + (i * 13) % 45 ))
	$TM resize-window -t mt -x $w -y $h 2>/dev/null
	i=$((i + 1))
	sleep 0.05	# the storm's pace (10 s of resizes), not a wait for a state
done
$TM resize-window -t mt -x 120 -y 40
check "after $i resizes: still drawing" wait_for 10 screen_has "NAME"
$TM send-keys -t mt '?'
check "after the storm: keys work" wait_for 5 screen_has "quit memtop"
$TM send-keys -t mt Escape q
check "q exits 0" wait_for 10 screen_has "EXIT=0"

# as nobody
if command -v node > /dev/null && id nobody > /dev/null 2>&1; then
	node -e 'setInterval(() => {}, 1e9)' & N=$!; register_pid $N
	# until Node has its SIGUSR1 handler in place
	wait_for 10 sh -c "v=\$(awk '/^SigCgt/ { print \$2 }' /proc/$N/status); [ \$(( 0x\$v & 512 )) -ne 0 ]"
	sleep 1000 & S=$!; register_pid $S
	$TM kill-server 2>/dev/null
	wait_for 5 sh -c "! $(echo "$TM") has-session 2>/dev/null"
	$TM new-session -d -s mt -x 160 -y 40 "setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c '\"$MEMTOP\" -d 0.3; echo EXIT=\$?; sleep 60'"
	check "nobody: says why figures are missing" wait_for 15 screen_has "not root: PSS of"
	$TM send-keys -t mt / "$S" Enter
	tui_select_pid $S || fail "nobody: the sleep selected"
	check "nobody: root's sleep has unknown PSS (-)" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -E '^ +$S sleep' | grep -Eq ' +[0-9.]+[KMG] +- +-'"
	$TM send-keys -t mt Escape / "$N" Enter
	tui_select_pid $N || fail "nobody: the node process selected"
	$TM send-keys -t mt g
	check "nobody: g says it needs root" wait_for 10 screen_has "needs root (CAP_KILL"
	check "the node process lives on" kill -0 $N
	$TM send-keys -t mt q
	check "nobody: q exits 0" wait_for 10 screen_has "EXIT=0"
fi
finish
