#!/bin/sh
# The g key on a JVM in the dashboard: a HotSpot JVM, PID 1 of its own
# namespaces in pod team-b/orders-5, is named with its runtime in the
# question, collected after y, the status line shows RSS before -> after
# (at least halved) and the detail view the Java heap; g on the pod row
# covers its Node and its Java process alike.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
tui_init
. "$TOP_SRCDIR/tests/java/lib.sh"
T=$LIB_TMP

H=$T/host
U=$(rand_uuid); C=$(rand_hex64)
mkdir -p "$H/var/log/pods/team-b_orders-5_$U/app" "$H/var/log/containers"
ln -s "/var/log/pods/team-b_orders-5_$U/app/0.log" "$H/var/log/containers/orders-5_team-b_app-$C.log"
JVM_CG=/sys/fs/cgroup/memory/kubepods/burstable/pod$U/$C
jvm_ns j -- -Xmx1g Garbage 600; J=$JPID
N=""
if command -v node > /dev/null; then
	spawn_in "$T/node.out" "$JVM_CG/cgroup.procs" -- unshare -n sh -c \
	    'ip link set lo up && exec node "$1"' sh "$TOP_SRCDIR/tests/node/idle.js"
	N=$SPAWNED
	wait_for 90 sh -c "v=\$(awk '/^SigCgt/ { print \$2 }' /proc/$N/status 2>/dev/null); [ -n \"\$v\" ] && [ \$(( 0x\$v & 512 )) -ne 0 ]" ||
	    { echo "node did not start"; exit 99; }
fi
jvm_ready j

tui_session 200 45 "sh -c '\"$MEMTOP\" -d 0.5 --host-root \"$H\"; echo EXIT=\$?; sleep 60'"
wait_for 30 screen_has "team-b/orders-5" || { fail "pod not shown"; screen; }

$TM send-keys -t mt / "$J" Enter
tui_select_pid $J || fail "the JVM selected"
$TM send-keys -t mt g
check "g names the runtime" wait_for 30 screen_has "GC java PID $J (HotSpot) in team-b/orders-5? A full GC pauses it. y/n" || screen
$TM send-keys -t mt y
check "y: the result in the status line" wait_for 60 sh -c "$TM capture-pane -p -t mt | grep -q 'GC pid $J: RSS .* -> '"
line=$(screen | grep "GC pid $J: RSS")
before=$(echo "$line" | sed -n 's/.*RSS \([0-9.]*\)M -> .*/\1/p')
after=$(echo "$line" | sed -n 's/.*RSS [0-9.]*M -> \([0-9.]*\)M.*/\1/p')
check "RSS at least halved on screen ($before -> $after MiB)" awk -v b="$before" -v a="$after" 'BEGIN { exit !(b > 0 && a > 0 && a * 2 <= b) }'
check "status line: the Java heap" sh -c "echo '$line' | grep -q 'Java heap (G1)'"
$TM send-keys -t mt Enter
check "detail keeps the result" wait_for 10 screen_has "last GC"
check "detail: Java heap committed before -> after" screen_has "Java heap (G1) committed"
check "detail: outside the Java heap" screen_has "outside the Java heap"
check "detail: the attach socket" screen_has "/tmp/.java_pid1"
check "detail: no NODE_OPTIONS suggestion for a JVM" screen_lacks "NODE_OPTIONS"
$TM send-keys -t mt Escape Escape

if [ -n "$N" ]; then
	$TM send-keys -t mt / orders-5 Enter Home g
	check "g on the pod: its Node and its Java process" wait_for 30 screen_has "GC 2 processes (1 node, 1 HotSpot) in team-b/orders-5"
	$TM send-keys -t mt n
fi
$TM send-keys -t mt q
check "q exits 0" wait_for 10 screen_has "EXIT=0"
check "java still alive" kill -0 $J
finish
