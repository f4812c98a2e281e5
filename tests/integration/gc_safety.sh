#!/bin/sh
# An inspector memtop opened is never left listening (issue 14), tried as an
# attacker would with memtop gc: a hangup of the session during the GC;
# SIGTERM and Ctrl-C 5 ms, 50 ms and 5 s into it (a main thread blocked in
# a syscall opens the inspector only later: memtop's watcher closes it);
# 300 listeners in the namespace and 70 servers of the process's own;
# loopback down (refused before any signal, with the reason); an inspector
# already open on 127.0.0.2 or on a dummy interface's address (used, never
# signalled); two GCs of one PID; a zombie; a target that exits; an
# inspector that opens past the bound (reported with pid, netns and port).
# After each: no inspector in the target's namespace once memtop's watcher
# is gone, and it is gone within the documented bound.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
command -v node > /dev/null || { echo "SKIP: no node"; exit 77; }
unshare -n true 2> /dev/null || { echo "SKIP: unshare -n does not work"; exit 77; }
T=$LIB_TMP
NODEDIR=$TOP_SRCDIR/tests/node
WATCH=20		# --watch: the bound is open-timeout (3) + WATCH
BOUND=$((3 + WATCH + 5))

q() { jq -r "$1" "$2"; }
rows() {	# pid [port]: LISTEN rows in its namespace (on that port)
	awk -v p="${2:-}" 'NR > 1 && $4 == "0A" {
		split($2, a, ":"); if (p == "" || a[2] == sprintf("%04X", p)) n++ }
		END { print n + 0 }' /proc/$1/net/tcp /proc/$1/net/tcp6 2> /dev/null
}
watcher() { pgrep -f -- "gc $1 --yes" > /dev/null; }	# memtop gc or its child
settled() {	# pid: no memtop left for it and no inspector in its netns
	! watcher $1 && [ "$(rows $1 9229)" -eq 0 ]
}
ready() { wait_for 30 grep -q "${2:-ready}" "$T/$1.out" || { fail "node $1 did not start"; cat "$T/$1.out"; }; }

# 1. hangup of the session while a busy main thread holds the GC
node_ns busy "$NODEDIR/busy.js"; P=$SPAWNED; ready busy busy
setsid "$MEMTOP" gc $P --yes --verbose --watch $WATCH > "$T/hup.out" 2>&1 & M=$!
register_pid $M
check "hangup: the GC reached the inspector" wait_for 15 grep -q "collecting garbage" "$T/hup.out"
check "hangup: inspector listening (premise)" test "$(rows $P 9229)" -eq 1
kill -HUP -- -$M
check "hangup: no inspector left, watcher gone within ${BOUND}s" wait_for $BOUND settled $P
check "hangup: says what it did" grep -q "closed again" "$T/hup.out"
check "hangup: target alive" kill -0 $P

# 2. SIGTERM and Ctrl-C (SIGINT to the process group) 5 ms and 50 ms in
node_ns idle "$NODEDIR/idle.js"; P=$SPAWNED; ready idle
for sig in TERM INT; do
	for d in 0.005 0.05; do
		setsid "$MEMTOP" gc $P --yes --watch $WATCH > "$T/c.out" 2>&1 & M=$!
		sleep $d
		# the group, as Ctrl-C; the process if setsid has not run yet
		kill -$sig -- -$M 2> /dev/null || kill -$sig $M
		check "SIG$sig at ${d}s: settled within ${BOUND}s" wait_for $BOUND settled $P
		check "SIG$sig at ${d}s: target alive" kill -0 $P
	done
done
# ... and 5 s in, while the main thread is blocked in a syscall for 10 s
for sig in TERM INT; do
	node_ns blk$sig "$NODEDIR/block.js" 10; P=$SPAWNED; ready blk$sig blocked
	setsid "$MEMTOP" gc $P --yes --verbose --watch $WATCH > "$T/b.out" 2>&1 & M=$!
	register_pid $M
	wait_for 5 grep -q SIGUSR1 "$T/b.out"
	sleep 5	# the scenario itself: the signal 5 s into the GC
	kill -$sig -- -$M
	check "SIG$sig at 5s: memtop gc exits at once" wait_for 5 sh -c "! kill -0 $M"
	check "SIG$sig at 5s: says the watcher goes on" grep -q "keeps watching" "$T/b.out"
	check "SIG$sig at 5s: the block ends" wait_for 15 grep -q unblocked "$T/blk$sig.out"
	check "SIG$sig at 5s: the late inspector is closed" wait_for $BOUND settled $P
	check "SIG$sig at 5s: it had opened (premise)" grep -q "Debugger listening" "$T/blk$sig.out"
	check "SIG$sig at 5s: target alive" kill -0 $P
done

# 3. many listeners: 300 in the namespace, 70 of the process's own
node_ns many "$NODEDIR/idle.js"; P=$SPAWNED; ready many
nsenter -t $P -n node "$NODEDIR/listeners.js" 300 > "$T/l.out" 2>&1 & register_pid $!
wait_for 30 grep -q ready "$T/l.out"
check "300 listeners in its namespace (premise)" test "$(rows $P)" -ge 300
"$MEMTOP" gc $P --yes --json > "$T/many.json"; rc=$?
check "300 netns listeners: GC ok ($(q .error "$T/many.json"))" test "$rc-$(q .ok "$T/many.json")" = "0-true"
check "300 netns listeners: closed" test "$(rows $P 9229)" -eq 0
node_ns own "$NODEDIR/idle.js" 70; P=$SPAWNED; ready own
check "70 own servers (premise)" test "$(rows $P)" -eq 70
"$MEMTOP" gc $P --yes --json > "$T/own.json"; rc=$?
check "70 own servers: GC ok ($(q .error "$T/own.json"))" test "$rc-$(q .ok "$T/own.json")" = "0-true"
check "70 own servers: closed" test "$(rows $P 9229)" -eq 0

# 4. loopback down: refused before any signal, with the reason and a way
spawn_in "$T/lo.out" -- unshare -n node "$NODEDIR/idle.js"; P=$SPAWNED; ready lo
start=$(date +%s)
"$MEMTOP" gc $P --yes --json > "$T/lo.json"; rc=$?
check "lo down: refused (exit 1)" test $rc -eq 1
check "lo down: says why ($(q .error "$T/lo.json"))" sh -c "jq -r .error '$T/lo.json' | grep -q 'loopback is down.*ip link set lo up'"
check "lo down: no signal sent" test "$(q .signalled "$T/lo.json")" = false
check "lo down: at once" test $(( $(date +%s) - start )) -le 3
check "lo down: nothing listening" test "$(rows $P)" -eq 0
check "lo down: target alive" kill -0 $P

# 5. an inspector already open on another address: used, never signalled
export SAFETY_COUNT_USR1=1
node_ns a2 --inspect=127.0.0.2:9230 "$NODEDIR/idle.js"; P=$SPAWNED; ready a2
unset SAFETY_COUNT_USR1
start=$(date +%s)
"$MEMTOP" gc $P --yes --json > "$T/a2.json"; rc=$?
check "127.0.0.2: GC ok ($(q .error "$T/a2.json"))" test "$rc-$(q .ok "$T/a2.json")" = "0-true"
check "127.0.0.2: found there" test "$(q .address "$T/a2.json")" = "127.0.0.2:9230"
check "127.0.0.2: was open, left open" test "$(q .inspector_was_open "$T/a2.json")-$(rows $P 9230)" = "true-1"
check "127.0.0.2: no SIGUSR1" sh -c "! grep -q usr1 '$T/a2.out' && test \"\$(jq .signalled '$T/a2.json')\" = false"
check "127.0.0.2: quick" test $(( $(date +%s) - start )) -le 10
# an address of an interface inside a namespace made here, as a pod IP
# (a dummy interface, or a veth pair with both ends inside where the kernel
# has no dummy module): no traffic leaves this machine
IP=10.213.$(( $$ % 250 )).7
cat > "$T/ifup.sh" << EOF
ip link set lo up || exit 1
if ip link add d0 type dummy 2> /dev/null; then
	ip addr add $IP/32 dev d0 && ip link set d0 up || exit 1
else
	ip link add v0 type veth peer name v1 && ip addr add $IP/32 dev v0 &&
	    ip link set v0 up && ip link set v1 up || exit 1
fi
SAFETY_COUNT_USR1=1 exec node --inspect=$IP:9230 "$NODEDIR/idle.js"
EOF
spawn_in "$T/if.out" -- unshare -n sh "$T/ifup.sh"; P=$SPAWNED; ready if
"$MEMTOP" gc $P --yes --json > "$T/if.json"; rc=$?
check "$IP: GC ok ($(q .error "$T/if.json"))" test "$rc-$(q .ok "$T/if.json")" = "0-true"
check "$IP: found on $IP:9230" test "$(q .address "$T/if.json")" = "$IP:9230"
check "$IP: was open, left open" test "$(q .inspector_was_open "$T/if.json")-$(rows $P 9230)" = "true-1"
check "$IP: no SIGUSR1" sh -c "! grep -q usr1 '$T/if.out' && test \"\$(jq .signalled '$T/if.json')\" = false"

# two GCs of one PID: the second is refused while the first runs
node_ns two "$NODEDIR/busy.js"; P=$SPAWNED; ready two busy
"$MEMTOP" gc $P --yes --verbose --gc-timeout 8 --watch $WATCH > "$T/first.out" 2>&1 & F=$!
register_pid $F
wait_for 15 grep -q "collecting garbage" "$T/first.out"
"$MEMTOP" gc $P --yes --json > "$T/second.json"; rc=$?
check "second GC: refused ($(q .error "$T/second.json"))" sh -c "test $rc -eq 1 && jq -r .error '$T/second.json' | grep -q 'a GC of pid $P is running'"
check "second GC: sent nothing" test "$(q .signalled "$T/second.json")" = false
wait $F
check "first GC: ends, its inspector closed" wait_for $BOUND settled $P

# a zombie is refused as a zombie
sh -c 'node -e 0 & exec sleep 1000' & S=$!; register_pid $S
wait_for 10 sh -c "grep -q '^State:.*Z' /proc/\$(pgrep -P $S)/status"
Z=$(pgrep -P $S)
"$MEMTOP" gc $Z --yes --json > "$T/z.json"
check "zombie: refused as a zombie ($(q .error "$T/z.json"))" sh -c "jq -r .error '$T/z.json' | grep -q zombie"

# a target that exits during the GC
node_ns gone "$NODEDIR/block.js" 30; P=$SPAWNED; ready gone blocked
"$MEMTOP" gc $P --yes --json --verbose --watch $WATCH > "$T/gone.json" 2> "$T/gone.err" & M=$!
wait_for 5 grep -q SIGUSR1 "$T/gone.err"
kill -9 $P
wait $M
check "target exits: says so ($(q .error "$T/gone.json"))" sh -c "jq -r .error '$T/gone.json' | grep -q 'exited during the GC'"
check "target exits: target_exited" test "$(q .target_exited "$T/gone.json")" = true

# past the bound: an inspector that opens after open-timeout + watch is not
# closed, and memtop said so beforehand with pid, netns and port
node_ns late "$NODEDIR/block.js" 6; P=$SPAWNED; ready late blocked
"$MEMTOP" gc $P --yes --json --open-timeout 1 --watch 1 > "$T/late.json" 2> "$T/late.err"; rc=$?
check "past the bound: exit 1" test $rc -eq 1
check "past the bound: says it stays open, with pid, netns and port ($(q .closer "$T/late.json"))" sh -c "jq -r .closer '$T/late.json' | grep -q 'no inspector opened in pid $P (netns net:\[[0-9]*\]) within 2 s of SIGUSR1; if one opens later (port 9229) it stays open'"
check "past the bound: on stderr too" grep -q "stays open" "$T/late.err"
kill -9 $P
finish
