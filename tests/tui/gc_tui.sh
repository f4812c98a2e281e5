#!/bin/sh
# The g key in the dashboard: a Node process in its own network namespace
# and pod cgroup is collected after y, the status line shows RSS before ->
# after and the detail view keeps the result; n does nothing; g on a process
# that is not Node shows the refusal and the process lives on.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
command -v node > /dev/null || { echo "SKIP: no node"; exit 77; }
unshare -n true 2> /dev/null || { echo "SKIP: unshare -n does not work"; exit 77; }
V1=/sys/fs/cgroup/memory
tui_init
T=$LIB_TMP

H=$T/host
U=$(rand_uuid); C=$(rand_hex64)
mkdir -p "$H/var/log/pods/team-a_web-7_$U/app" "$H/var/log/containers"
ln -s "/var/log/pods/team-a_web-7_$U/app/0.log" "$H/var/log/containers/web-7_team-a_app-$C.log"
cg=$V1/kubepods/burstable/pod$U/$C
mkcg "$cg" || exit 99
spawn_in "$T/node.out" "$cg/cgroup.procs" -- unshare -n sh -c \
    'ip link set lo up && exec node --no-memory-reducer "$1"' sh "$TOP_SRCDIR/tests/node/garbage.js"
N=$SPAWNED
# a name no other process has: a filter by pid also matches longer pids
cp "$(command -v sleep)" "$T/gcsleep$$"
spawn_in "$T/sleep.out" "$cg/cgroup.procs" -- "$T/gcsleep$$" 1000; S=$SPAWNED
wait_for 90 grep -q ready "$T/node.out" || { echo "node did not start"; exit 99; }

$TM new-session -d -s mt -x 200 -y 45 "sh -c '\"$MEMTOP\" -d 0.5 --host-root \"$H\"; echo EXIT=\$?; sleep 60'"
wait_for 15 screen_has "team-a/web-7" || fail "pod not shown"

# the sleep first: refused, alive
$TM send-keys -t mt / "gcsleep$$" Enter
tui_select_pid $S || fail "the sleep process selected"
$TM send-keys -t mt g
check "g on sleep: refused with the reason" wait_for 10 screen_has "GC pid $S refused: not Node.js"
check "sleep still alive" kill -0 $S
$TM send-keys -t mt Escape

# the node process: n cancels, y collects
$TM send-keys -t mt / "$N" Enter
tui_select_pid $N || fail "the node process selected"
$TM send-keys -t mt g
check "g asks first" wait_for 10 screen_has "GC node PID $N in team-a/web-7? A full GC pauses it. y/n"
$TM send-keys -t mt n
check "n: not started" wait_for 5 screen_has "GC not started"
$TM send-keys -t mt g
wait_for 10 screen_has "y/n"
$TM send-keys -t mt y
check "y: the result in the status line" wait_for 60 sh -c "$TM capture-pane -p -t mt | grep -q 'GC pid $N: RSS .* -> '"
line=$(screen | grep "GC pid $N: RSS")
before=$(echo "$line" | sed -n 's/.*RSS \([0-9.]*\)M -> .*/\1/p')
after=$(echo "$line" | sed -n 's/.*RSS [0-9.]*M -> \([0-9.]*\)M.*/\1/p')
check "RSS at least halved on screen ($before -> $after MiB)" awk -v b="$before" -v a="$after" 'BEGIN { exit !(b > 0 && a > 0 && a * 2 <= b) }'
check "no inspector left in its namespace" test "$(awk 'NR > 1 && $4 == "0A"' /proc/$N/net/tcp /proc/$N/net/tcp6 | wc -l)" -eq 0
$TM send-keys -t mt Enter
check "detail keeps the result" wait_for 10 screen_has "last GC"
check "detail shows outside V8" screen_has "outside V8"
$TM send-keys -t mt Escape Escape

# g on the pod row: only its Node process is a target
$TM send-keys -t mt / web-7 Enter Home g
check "g on the pod: one Node process of two" wait_for 10 screen_has "GC node PID $N in team-a/web-7?"
$TM send-keys -t mt n q
check "q exits 0" wait_for 10 screen_has "EXIT=0"
check "node still alive" kill -0 $N

# --read-only: g refused with a message; nothing is signalled, so the
# inspector never opens in the node's namespace
tui_session 200 45 "sh -c '\"$MEMTOP\" -d 0.5 --read-only --host-root \"$H\"; echo EXIT=\$?; sleep 60'"
wait_for 15 screen_has "team-a/web-7" || fail "pod not shown (read-only)"
$TM send-keys -t mt / web-7 Enter End g
check "--read-only: g refused with the reason" wait_for 10 screen_has "read-only (--read-only): g is off"
check "--read-only: no inspector opened" test "$(awk 'NR > 1 && $4 == "0A"' /proc/$N/net/tcp /proc/$N/net/tcp6 | wc -l)" -eq 0
$TM send-keys -t mt q
finish
