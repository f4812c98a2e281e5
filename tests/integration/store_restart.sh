#!/bin/sh
# A pod whose container restarted, seen by a *new* memtop from the history
# store: a recorder runs while the container's process is killed and a new
# one starts under a new container cgroup in the same pod (same container
# name, kubelet's next log file), the old cgroup removed. Then -b --json
# carries restarts / restarted_at / restarted_from on the container and
# the pod, the new container's growth is from its own first sample (not
# from the old container's), and the dashboard marks the restart in the
# pod's sparkline ('|') and says "restarted at HH:MM (container A -> B)" in
# the pod's detail view. A -b --json stream reading the store while the
# restart happens shows it too (the first container: 0 restarts from the
# store, the new one 1).
. "${TOP_SRCDIR:-.}/tests/integration/store_lib.sh"

U=$(rand_uuid); C1=$(rand_hex64); C2=$(rand_hex64)
kubelet_logs "$H" st-r rst-0 "$U" app "$C1"
mkcg "$V1/kubepods/burstable/pod$U/$C1" || exit 99

# entity rows of the store
has_entity() { [ "$(q "SELECT count(*) FROM entity WHERE ident = '$1' $2")" = 1 ]; }

# --- the first container: 100 MiB, flat
spawn_in "$T/p1" "$V1/kubepods/burstable/pod$U/$C1/cgroup.procs" -- "$HELPERS/alloc_anon" 100; P1=$SPAWNED
wait_for 30 grep -q ready "$T/p1" || exit 99
"$MEMTOP" record --store "$DB" -d 0.2 --host-root "$H" 2> "$T/rec.err" & REC=$!
register_pid $REC
check "the recorder says it records" wait_for 20 grep -q "recording $DB" "$T/rec.err"
check "the first container is recorded at 100 MiB" wait_for 60 anon_ge "ctr:$C1" 95

# a memtop reading the store runs while the restart happens (the store
# names the first container: restarts 0, not unknown)
wait_for 60 has_entity "ctr:$C1" "AND container = 'app'" || fail "the first container's name was not recorded"
"$MEMTOP" -b --json -d 0.3 --store "$DB" --host-root "$H" > "$T/stream" 2> "$T/stream.err" & B=$!
register_pid $B
live() { tail -n 2 "$T/stream" | head -n 1 | jq -c --arg c "$1" ".groups[].containers[] | select(.id == \$c) | $2"; }
restarts_are() { [ "$(live "$1" .restarts)" = "$2" ]; }
check "the running memtop: the first container has restarts 0" wait_for 30 restarts_are "$C1" 0

# --- the restart: the process killed, its cgroup gone, a new container
# of the same name (kubelet's 1.log) that starts at 40 MiB and steps to 70
restart_container st-r rst-0 "$U" $P1 "$C1" "$C2"
spawn_in "$T/p2" "$V1/kubepods/burstable/pod$U/$C2/cgroup.procs" -- "$HELPERS/alloc_anon" 40 30 6 1; P2=$SPAWNED
wait_for 30 grep -q ready "$T/p2" || exit 99
check "the recorder saw the old container go" wait_for 60 has_entity "ctr:$C1" "AND gone IS NOT NULL"
check "and records the new one with its name" wait_for 60 has_entity "ctr:$C2" "AND container = 'app' AND pod = 'rst-0'"

wait_for 60 grep -q "step 1" "$T/p2" || fail "stepping helper did not step"
check "the new container's step is recorded" wait_for 60 anon_ge "ctr:$C2" 68
check "the running memtop sees it: the new container has restarts 1" wait_for 30 restarts_are "$C2" 1
check "restarted_from the old container" test "$(live "$C2" .restarted_from)" = "\"ctr:$C1\""
check "and its pod has restarts 1" test "$(tail -n 2 "$T/stream" | head -n 1 | jq -c --arg u "$U" '.groups[] | select(.pod_uid == $u) | .restarts')" = 1
check "the stream wrote no error" test ! -s "$T/stream.err"
kill $B; wait $B 2>/dev/null
kill $REC; wait $REC

# --- a new memtop: -b --json
"$MEMTOP" -b --json -n 1 --store "$DB" --host-root "$H" > "$T/json" 2> "$T/json.err"
check "no error output" test ! -s "$T/json.err"
ctr() { jq -r --arg c "$C2" ".groups[].containers[] | select(.id == \$c) | $1" "$T/json"; }
pod() { jq -r --arg u "$U" ".groups[] | select(.pod_uid == \$u) | $1" "$T/json"; }
check "the container: restarts 1 ($(ctr .restarts))" test "$(ctr .restarts)" = 1
check "the container: restarted_from the old container" test "$(ctr .restarted_from)" = "ctr:$C1"
at=$(q "SELECT cast(first_seen AS int) FROM entity WHERE ident = 'ctr:$C2'")
check "the container: restarted_at is the new container's first sample ($at)" test "$(ctr '.restarted_at | floor')" = "$at"
check "the pod: restarts 1 ($(pod .restarts))" test "$(pod .restarts)" = 1
check "the pod: restarted_at as its container's" test "$(pod '.restarted_at | floor')" = "$at"
g=$(ctr .anon_growth)
# from its own first known sample (the shell that execs the helper, or the
# helper at 40 MiB), never from the old container's 100 MiB (that would be
# no growth at all: 70 < 100)
first2=$(q "SELECT s.rss_anon FROM sample s JOIN entity e ON e.id = s.entity WHERE e.ident = 'ctr:$C2' AND s.rss_anon IS NOT NULL ORDER BY s.t LIMIT 1")
now2=$(ctr .totals.rss_anon)
echo "new container: first sample ${first2:-?} bytes, now $now2, growth since its start $g"
check "growth since container start is from the new container's first sample" within "$g" "$((now2 - ${first2:-0}))" 3
check "and it is the step at least (30 MiB)" test "$g" -ge $((28 * MiB))
# the other containers and processes: restarts unknown or 0, never invented
check "a process has no restart count (null)" test "$(jq '[.groups[].containers[].processes[] | select(.restarts != null)] | length' "$T/json")" = 0

# --- the dashboard: the marker in the pod's sparkline, the detail's line
tui_init
tui_session 200 40 "sh -c '\"$MEMTOP\" -d 5 --store \"$DB\" --host-root \"$H\"; sleep 60'" || exit 99
wait_for 15 screen_has "NAME"
$TM send-keys -t mt / rst-0 Enter
check "the pod's row is shown" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -Eq '^. st-r/rst-0'"
check "its sparkline marks the restart (|)" sh -c "$TM capture-pane -p -t mt | grep -E '^. st-r/rst-0' | grep -q '[▁▂▃▄▅▆▇█ ]|[▁▂▃▄▅▆▇█ ]*$'"
$TM send-keys -t mt Enter
c1=$(echo "$C1" | cut -c1-12); c2=$(echo "$C2" | cut -c1-12)
check "the detail view says restarted at HH:MM (container $c1 → $c2)" wait_for 10 screen_has "restarted at [0-9][0-9]:[0-9][0-9] (container $c1 → $c2)"
$TM send-keys -t mt q
finish
