#!/bin/sh
# A restart seen by a memtop that is already running, without a history
# store: a pod's container is killed and a new one of the same name starts
# under a new container cgroup in the same pod (kubelet's next log file),
# the old cgroup removed, while a -b --json -d 0.3 stream and the dashboard
# run. The stream's refreshes after it carry restarts 1, restarted_at (the
# refresh that first saw the new container) and restarted_from on the new
# container and on the pod, and keep them in the later refreshes; the ones
# before it have null (unknown without a store, never 0). The dashboard
# marks the pod's sparkline ('|') and its detail view says "restarted at
# HH:MM (container A → B)".
. "${TOP_SRCDIR:-.}/tests/integration/store_lib.sh"

U=$(rand_uuid); C1=$(rand_hex64); C2=$(rand_hex64)
kubelet_logs "$H" st-l live-0 "$U" app "$C1"
mkcg "$V1/kubepods/burstable/pod$U/$C1" || exit 99
spawn_in "$T/p1" "$V1/kubepods/burstable/pod$U/$C1/cgroup.procs" -- "$HELPERS/alloc_anon" 60; P1=$SPAWNED
wait_for 30 grep -q ready "$T/p1" || exit 99

"$MEMTOP" -b --json -d 0.3 --store none --host-root "$H" > "$T/stream" 2> "$T/stream.err" & B=$!
register_pid $B
tui_init
tui_session 200 40 "sh -c '\"$MEMTOP\" -d 1 --store none --host-root \"$H\"; sleep 60'" || exit 99

# the stream's complete refreshes (the last line may be half written), and
# the newest of them
docs() { head -n -1 "$T/stream"; }
last() { tail -n 2 "$T/stream" | head -n 1; }
ctr() { last | jq -c --arg c "$1" ".groups[].containers[] | select(.id == \$c) | $2"; }
pod() { last | jq -c --arg u "$U" ".groups[] | select(.pod_uid == \$u) | $1"; }
named() { ctr "$C1" .name | grep -q '"app"'; }
check "the stream shows the first container with its name" wait_for 30 named
wait_for 15 screen_has "NAME" || fail "the dashboard did not start"
$TM send-keys -t mt / live-0 Enter
check "the dashboard shows the pod" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -Eq '^. st-l/live-0'"

# --- the restart
restart_container st-l live-0 "$U" $P1 "$C1" "$C2"
t0=$(date +%s.%N)
spawn_in "$T/p2" "$V1/kubepods/burstable/pod$U/$C2/cgroup.procs" -- "$HELPERS/alloc_anon" 40; P2=$SPAWNED
wait_for 30 grep -q ready "$T/p2" || exit 99

# the dashboard first: its sparkline holds 40 refreshes of 1 s, and the
# new container is matched once its name is known (kubelet's log links are
# read again at most every 5 s, a miss retried after 10 s)
marked() { screen | grep -E '^. st-l/live-0' | grep -q '[▁▂▃▄▅▆▇█ ]|[▁▂▃▄▅▆▇█ ]*$'; }
wait_for 30 marked || screen | grep -E 'NAME|st-l/live-0'
check "the dashboard marks the restart in the pod's sparkline (|)" marked

restarted() { ctr "$C2" .restarts | grep -qx 1; }
check "the new container: restarts 1" wait_for 30 restarted
from=$(ctr "$C2" .restarted_from)
check "the new container: restarted_from ctr:$C1 ($from)" test "$from" = "\"ctr:$C1\""
at=$(ctr "$C2" .restarted_at)
seen=$(docs | jq -r --arg c "$C2" 'select([.groups[].containers[] | select(.id == $c)] | length > 0) | .time' | head -n 1)
echo "restart at $at; the new container first in the refresh of $seen; spawned at $t0"
check "restarted_at is the refresh that first saw the new container" \
    awk -v a="$at" -v s="$seen" 'BEGIN { exit !(a - s < 0.01 && s - a < 0.01) }'
check "which is after the new container was started" awk -v a="$at" -v t="$t0" 'BEGIN { exit !(a >= t) }'
check "the pod: restarts 1" test "$(pod .restarts)" = 1
check "the pod: restarted_from the old container" test "$(pod .restarted_from)" = "\"ctr:$C1\""
check "the pod: restarted_at as its container's" test "$(pod .restarted_at)" = "$at"
# before it: unknown (no store), never 0 and never a restart
before=$(docs | jq -c --arg u "$U" --arg c "$C2" 'select([.groups[].containers[] | select(.id == $c)] | length == 0) | .groups[] | select(.pod_uid == $u) | .restarts' | sort -u)
check "the pod's restarts before the restart: null ($before)" test "$before" = null
old=$(docs | jq -c --arg c "$C1" '.groups[].containers[] | select(.id == $c) | .restarts' | sort -u)
check "the old container's restarts: null ($old)" test "$old" = null
# later refreshes keep it
n=$(docs | wc -l)
wait_for 30 sh -c "[ \$(head -n -1 '$T/stream' | wc -l) -ge $((n + 5)) ]" || fail "the stream stopped"
check "five refreshes later the container still says restarts 1" test "$(ctr "$C2" .restarts)" = 1
check "and the pod too" test "$(pod .restarts)" = 1
check "the stream wrote no error" test ! -s "$T/stream.err"

# --- the dashboard's detail view
$TM send-keys -t mt Enter
c1=$(echo "$C1" | cut -c1-12); c2=$(echo "$C2" | cut -c1-12)
said() { screen_has "restarted at [0-9][0-9]:[0-9][0-9] (container $c1 → $c2)"; }
wait_for 10 said || screen
check "the detail view says restarted at HH:MM (container $c1 → $c2)" said
$TM send-keys -t mt q
finish
