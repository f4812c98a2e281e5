#!/bin/sh
# The g key never leaves an inspector listening (issue 14): Esc 5 s into a
# GC whose target's main thread is blocked in a syscall (the inspector opens
# only when it returns: memtop's watcher closes it, and the status line
# says so); the dashboard's terminal going away (tmux kill-server) while a
# busy main thread holds the GC.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
command -v node > /dev/null || { echo "SKIP: no node"; exit 77; }
unshare -n true 2> /dev/null || { echo "SKIP: unshare -n does not work"; exit 77; }
tui_init
T=$LIB_TMP
H=$T/host$$		# unique: finds this test's memtop and its GC children
mkdir -p "$H"
NODEDIR=$TOP_SRCDIR/tests/node
BOUND=130		# open-timeout 3 + watch 120, and a margin

rows() {	# pid: inspector rows (9229) in its namespace
	awk 'NR > 1 && $4 == "0A" && $2 ~ /:240D$/' /proc/$1/net/tcp /proc/$1/net/tcp6 2> /dev/null | wc -l
}
# pid: no memtop of this test left (the dashboard and its GC children:
# their command line names $H) and no inspector in its namespace
settled() { ! pgrep -f -- "--host-root $H\$" > /dev/null && [ "$(rows $1)" -eq 0 ]; }
dashboard() {
	$TM new-session -d -s mt -x 200 -y 45 "sh -c '\"$MEMTOP\" -d 0.5 --host-root \"$H\"; echo EXIT=\$?; sleep 60'"
	wait_for 15 screen_has "NAME" || fail "dashboard did not start"
}
gc_pid() {	# pid: g on its row, then y
	$TM send-keys -t mt / "$1" Enter
	tui_select_pid "$1"
	$TM send-keys -t mt g
	wait_for 10 screen_has "GC node PID $1 in" || fail "g did not ask for $1"
	$TM send-keys -t mt y
}

# Esc 1 s in (while memtop waits for the inspector) and 5 s in (after it
# gave up waiting), main thread blocked for 15 s
dashboard
for at in 1 5; do
	node_ns blk$at "$NODEDIR/block.js" 15; P=$SPAWNED
	wait_for 30 grep -q blocked "$T/blk$at.out" || { echo "node did not start"; exit 99; }
	gc_pid $P
	check "Esc at ${at}s: the GC signalled" wait_for 10 screen_has "pid $P: SIGUSR1"
	sleep $at
	[ $at = 5 ] && check "Esc at 5s: memtop said it still watches" wait_for 10 screen_has "GC pid $P: still watching to close its inspector"
	$TM send-keys -t mt Escape
	# cancelled, or (on a loaded machine) past the 3 s wait: it watches
	[ $at = 1 ] && check "Esc at 1s: still watching to close" wait_for 10 screen_has "GC pid $P: still watching to close its inspector (SIGUSR1 sent)"
	check "Esc at ${at}s: the block ends" wait_for 25 grep -q unblocked "$T/blk$at.out"
	check "Esc at ${at}s: the inspector had opened (premise)" wait_for 5 grep -q "Debugger listening" "$T/blk$at.out"
	check "Esc at ${at}s: the late inspector is closed" wait_for 30 sh -c "[ \$(awk 'NR > 1 && \$4 == \"0A\"' /proc/$P/net/tcp | wc -l) -eq 0 ]"
	check "Esc at ${at}s: the status line says memtop closed it" wait_for 10 screen_has "pid $P .*memtop closed it"
	check "Esc at ${at}s: target alive" kill -0 $P
	$TM send-keys -t mt Escape Escape
done
$TM send-keys -t mt q
wait_for 10 screen_has "EXIT=0"
$TM kill-server

# the terminal goes away during a GC held by a busy main thread
node_ns busy "$NODEDIR/busy.js"; P=$SPAWNED
wait_for 30 grep -q busy "$T/busy.out" || { echo "node did not start"; exit 99; }
dashboard
gc_pid $P
check "kill-server: the GC reached the inspector" wait_for 15 screen_has "pid $P: collecting garbage"
check "kill-server: inspector listening (premise)" test "$(rows $P)" -eq 1
$TM kill-server
check "kill-server: no inspector left, memtop and its watcher gone" wait_for $BOUND settled $P
check "kill-server: target alive" kill -0 $P
finish
