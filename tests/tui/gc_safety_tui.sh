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
	$TM send-keys -t mt / "$1" Enter End g
	wait_for 10 screen_has "GC node PID $1 in" || fail "g did not ask for $1"
	$TM send-keys -t mt y
}

# Esc 5 s in, main thread blocked for 10 s
node_ns blk "$NODEDIR/block.js" 10; P=$SPAWNED
wait_for 30 grep -q blocked "$T/blk.out" || { echo "node did not start"; exit 99; }
dashboard
gc_pid $P
check "Esc: the GC signalled" wait_for 10 screen_has "pid $P: SIGUSR1"
sleep 5
$TM send-keys -t mt Escape
check "Esc: says memtop still watches to close the inspector" wait_for 5 screen_has "still watching to close its inspector"
check "Esc: the block ends" wait_for 15 grep -q unblocked "$T/blk.out"
check "Esc: the inspector had opened (premise)" wait_for 5 grep -q "Debugger listening" "$T/blk.out"
check "Esc: the late inspector is closed" wait_for 30 sh -c "[ \$(awk 'NR > 1 && \$4 == \"0A\"' /proc/$P/net/tcp | wc -l) -eq 0 ]"
check "Esc: the status line says memtop closed it" wait_for 10 screen_has "memtop closed it"
check "Esc: target alive" kill -0 $P
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
