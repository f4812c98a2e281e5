#!/bin/sh
# The local store first, Prometheus for its gaps: a store recorded in two
# runs two hours apart (the first run, 10 s long, moved back 2 h with
# sqlite3) has no recorder between them; the real Prometheus of
# prometheus_history.sh has the sick pod shop/store-3 there (working set
# 270 -> 440 -> 680 MiB over the last 3 h, 270 MiB before), while the pod
# holds 100 MiB now. --history 2000: slots of 3.6 s, so the first run
# fills some. With --prometheus the working set's history reaches
# 680 MiB (only the gap has it: before the store Prometheus says 270, the
# store and /proc about 100); without, it stays near 100. A store made
# before the working_set column: read as unknown (a reader), filled from
# Prometheus the same way, and given the column by a recorder.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
command -v sqlite3 > /dev/null || { echo "SKIP: no sqlite3"; exit 77; }
T=$LIB_TMP
NODE=node-g-$$
prom_cluster "$NODE"
URL=http://127.0.0.1:$PROM_PORT
kubelet_pod "$H" shop store-3 db 100
MIB=1048576

DB=$T/history.db
runs_done() {	# N SECONDS: N runs, the last one over SECONDS long
	test "$(sqlite3 "$DB" "SELECT count(*) || ' ' || (max(last) > max(started) + $2) FROM run" 2>/dev/null)" = "$1 1"
}
record() {	# N SECONDS: a recorder until the store holds N runs
	"$MEMTOP" record --store "$DB" -d 0.3 --host-root "$H" 2>> "$T/rec.err" & REC=$!
	register_pid $REC
	wait_for 180 runs_done "$1" "$2" || { cat "$T/rec.err"; fail "recorder run $1"; finish; }
	kill $REC; wait $REC
}
record 1 10
sqlite3 "$DB" "UPDATE sample SET t = t - 7200; UPDATE run SET started = started - 7200, last = last - 7200; UPDATE entity SET first_seen = first_seen - 7200" ||
    fail "moving the first run back 2 h"
record 2 0.5
check "premise: the store has two runs 2 h apart" \
    test "$(sqlite3 "$DB" 'SELECT max(started) - min(last) BETWEEN 7100 AND 7300 FROM run')" = 1

g='.groups[] | select(.pod == "store-3")'
wsmax() { jq -r "$g | .memory.working_set_history.max // empty" "$1"; }
"$MEMTOP" -b -n 1 --history 2000 --json --store "$DB" --host-root "$H" > "$T/local.json" \
    2> "$T/local.err" || fail "memtop with the store alone: exit status"
m=$(wsmax "$T/local.json")
check "premise: the store alone: working set at most ${m:-?} (< 200 MiB)" \
    test "${m:-999999999999}" -lt $((200 * MIB))
"$MEMTOP" -b -n 1 --history 2000 --json --store "$DB" --host-root "$H" --prometheus "$URL" \
    > "$T/gap.json" 2> "$T/gap.err" || fail "memtop with the store and Prometheus: exit status"
cat "$T/gap.err"
m=$(wsmax "$T/gap.json")
check "the gap filled from Prometheus: working set max ${m:-?} within 2 % of 680 MiB" \
    within "${m:-0}" $((680 * MIB)) 2
check "says where the working set came from" \
    grep -q "working set from memtop_container_memory_working_set_bytes" "$T/gap.err"
c=$(jq -r "$g | .containers[] | select(.name == \"db\") | .memory.working_set_history.max // empty" "$T/gap.json")
check "its container db too: ${c:-?} within 2 % of 680 MiB" within "${c:-0}" $((680 * MIB)) 2

# a store made before the working_set column
OLD=$T/old.db
sqlite3 "$DB" ".backup '$OLD'" && sqlite3 "$OLD" "ALTER TABLE sample DROP COLUMN working_set" ||
    fail "making a store without working_set"
"$MEMTOP" -b -n 1 --history 2000 --json --store "$OLD" --host-root "$H" > "$T/old.json" \
    2> "$T/old.err"; rc=$?
check "an old store is read (exit $rc, no error)" sh -c "test $rc = 0 && ! grep -q 'no history' '$T/old.err'"
check "an old store: its working set unknown, the live one only (first = now)" \
    test "$(jq -r "$g | .memory.working_set_history.first == .memory.working_set" "$T/old.json")" = true
"$MEMTOP" -b -n 1 --history 2000 --json --store "$OLD" --host-root "$H" --prometheus "$URL" \
    > "$T/oldp.json" 2> "$T/oldp.err" || fail "old store and Prometheus: exit status"
m=$(wsmax "$T/oldp.json")
check "an old store: its unknown span filled from Prometheus (max ${m:-?}, 680 MiB)" \
    within "${m:-0}" $((680 * MIB)) 2
DB=$OLD
record 3 0.5
check "a recorder adds the column to an old store" \
    sh -c "sqlite3 '$OLD' 'PRAGMA table_info(sample)' | grep -q '|working_set|'"
check "and writes it" \
    test "$(sqlite3 "$OLD" 'SELECT count(working_set) FROM sample')" -gt 0
finish
