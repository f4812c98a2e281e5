#!/bin/sh
# A process that memtop saw first in one cgroup and that then moves to
# another (as a container's first process does when the runtime, or a
# shell writing itself to cgroup.procs, moves it right after it starts;
# systemd moves processes too) is counted in its new cgroup by the same
# running memtop: a young process's /proc/PID/cgroup is read on every
# refresh in its first second, every second until it is 10 s old, an older
# one's about every minute.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init

need_v1
uid=$(rand_uuid); cid=$(rand_hex64)
ctr=$V1/kubepods/burstable/pod$uid/$cid
mkcg "$ctr" || exit 99

# the process starts where the test runs, outside any pod
"$HELPERS/alloc_anon" 20 > "$LIB_TMP/p" 2>&1 & P=$!
register_pid $P
"$HELPERS/alloc_anon" 20 > "$LIB_TMP/old" 2>&1 & OLD=$!
register_pid $OLD
wait_for 20 grep -q ready "$LIB_TMP/p" || { echo "helper did not start"; exit 99; }
wait_for 20 grep -q ready "$LIB_TMP/old" || { echo "helper did not start"; exit 99; }

"$MEMTOP" -b --json -d 0.3 > "$LIB_TMP/out" 2> "$LIB_TMP/err" & M=$!
register_pid $M
# the pod's group of the last complete document, or nothing
pid_in_pod() {
	tail -n 2 "$LIB_TMP/out" | head -n 1 | jq -e --arg u "$uid" --argjson p "$1" \
	    '.groups[] | select(.pod_uid == $u) | .containers[] | select(.id == "'$cid'") | .processes[] | select(.pid == $p)' > /dev/null 2>&1
}
older() { [ "$(ps -o etimes= -p "$1")" -gt "$2" ]; }
check "memtop sees both processes outside the pod first" wait_for 30 sh -c "grep -q '\"pid\":$P,' '$LIB_TMP/out' && grep -q '\"pid\":$OLD,' '$LIB_TMP/out'"
check "(premise) not in the pod yet" sh -c "! grep '$uid' '$LIB_TMP/out' | grep -q '\"pid\":$P,'"
echo $P > "$ctr/cgroup.procs"
check "a young process that moves is counted in the pod's container at once" wait_for 30 pid_in_pod $P
# one a few seconds old (past the first second, read every second): within
# a few seconds, not at the slow round's minute
"$HELPERS/alloc_anon" 20 > "$LIB_TMP/mid" 2>&1 & MID=$!
register_pid $MID
wait_for 20 grep -q ready "$LIB_TMP/mid" || { echo "helper did not start"; exit 99; }
check "memtop sees the third process outside the pod" wait_for 30 sh -c "grep -q '\"pid\":$MID,' '$LIB_TMP/out'"
wait_for 20 older $MID 2 || fail "(premise) the third helper is 2 s old"
echo $MID > "$ctr/cgroup.procs"
t0=$(date +%s)
check "a process 2-10 s old that moves is counted there within 5 s" wait_for 5 pid_in_pod $MID
check "(premise) it was under 10 s old when it moved" test $(($(ps -o etimes= -p $MID) - ($(date +%s) - t0))) -lt 9
# an older one (past the 10 s in which every refresh looks) within the
# minute and a half of the slow round
wait_for 60 older $OLD 12 || fail "(premise) the old helper is 12 s old"
echo $OLD > "$ctr/cgroup.procs"
check "an older process that moves is counted there within 90 s" wait_for 100 pid_in_pod $OLD
check "no error output" test ! -s "$LIB_TMP/err"
kill $M; wait $M 2>/dev/null
finish
