#!/bin/sh
# --prometheus with a real Prometheus holding 6 hours of generated history:
# a StatefulSet shop/store-0..59, 20 replicas on each of 3 nodes, one
# (store-3, on this node) stepping 230 -> 400 -> 640 MiB over the last 3 h;
# cAdvisor-style series for all, memtop-style for this node's. This node
# runs kubelet-shaped pods with the same names. Checks, in -b --json: the
# sick pod's growth reaches back 3 h (from 230 MiB, not from when memtop
# started), its baseline is the median of its 59 other replicas
# cluster-wide (within 2 % of the generated data), memtop's own series are
# preferred; without a node match it says what it tried and falls back to
# the node's replicas; a bad token file is refused at start.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
T=$LIB_TMP
NODE=node-a-$$
prom_cluster "$NODE"
med=$PROM_MED
URL=http://127.0.0.1:$PROM_PORT
q1() { curl -s --max-time 5 --data-urlencode "query=$1" "$URL/api/v1/query" |
    jq -r '.data.result[0].value[1] // empty'; }
check "Prometheus answers the generated history (60 replicas)" \
    test "$(q1 'count(container_memory_rss{namespace="shop",container="db"})')" = 60

kubelet_pod "$H" shop store-0 db 24; p0=$SPAWNED
kubelet_pod "$H" shop store-1 db 24; p1=$SPAWNED
kubelet_pod "$H" shop store-3 db 640; p3=$SPAWNED
anon() { awk '/^RssAnon:/ { print $2 * 1024 }' /proc/$1/status; }

J=$T/out.json
"$MEMTOP" -b -n 1 --json --store none --host-root "$H" --prometheus "$URL" \
    > "$J" 2> "$T/err" || fail "memtop exit status"
cat "$T/err"
g() { echo '.groups[] | select(.pod == "'$1'")'; }
q() { jq -r "$@" "$J"; }
check "stderr: the replicas and the history came from Prometheus" \
    grep -q "prometheus: 60 replicas, history since .*(memtop_container_rss_anon_bytes)" "$T/err"
check "store-3: baseline from prometheus" test "$(q "$(g store-3) | .baseline.source")" = prometheus
check "store-3: over its 59 other replicas" test "$(q "$(g store-3) | .baseline.replicas")" = 59
got=$(q "$(g store-3) | .baseline.median")
check "store-3: cluster median $got within 2 % of the generated $med" within "${got:-0}" "$med" 2
check "store-3: replicas.source says prometheus too" test "$(q "$(g store-3) | .replicas.source")" = prometheus
check "store-3: an outlier against the cluster" test "$(q "$(g store-3) | .replicas.outlier")" = true
check "store-3: a spread (p25 <= median <= p75)" \
    test "$(q "$(g store-3) | .baseline | (.p25 <= .median and .median <= .p75)")" = true
check "store-3's container db: against the cluster's db containers" \
    test "$(q "$(g store-3) | .containers[] | select(.name == \"db\") | .baseline.source")" = prometheus
# growth since 3 h ago: from the 230 MiB Prometheus had, to what /proc says now
a3=$(anon $p3)
want=$((a3 - 230 * 1048576))
gr=$(q "$(g store-3) | .anon_growth")
check "store-3: growth $gr within 2 % of /proc's anon - 230 MiB ($want)" within "${gr:-0}" "$want" 2
gc=$(q "$(g store-3) | .containers[] | select(.name == \"db\") | .anon_growth")
check "store-3's db container: growth $gc from 230 MiB too" within "${gc:-0}" "$want" 2
check "store-0: not an outlier (below the cluster)" test "$(q "$(g store-0) | .replicas.outlier")" = false
check "store-0: 59 others too" test "$(q "$(g store-0) | .baseline.replicas")" = 59

# with a history store: the store first, Prometheus for the time before it
DB=$T/history.db
"$MEMTOP" record --store "$DB" -d 0.3 --host-root "$H" 2> "$T/rec.err" & REC=$!
register_pid $REC
check "the recorder records" wait_for 180 sh -c "command -v sqlite3 > /dev/null && test \"\$(sqlite3 '$DB' 'SELECT count(*) FROM run WHERE last > started + 0.5' 2>/dev/null)\" = 1"
kill $REC; wait $REC
"$MEMTOP" -b -n 1 --json --store "$DB" --host-root "$H" --prometheus "$URL" \
    > "$T/store.json" 2> "$T/store.err" || fail "memtop with a store: exit status"
gs=$(jq -r "$(g store-3) | .anon_growth" "$T/store.json")
check "with a store: growth $gs still from Prometheus's 230 MiB ($want), before the store began" within "${gs:-0}" "$want" 2
check "with a store: baseline from prometheus" test "$(jq -r "$(g store-3) | .baseline.source" "$T/store.json")" = prometheus

# the text view: the vs-replicas column compares with the cluster
"$MEMTOP" -b -n 1 --store none --host-root "$H" --prometheus "$URL" > "$T/out.txt" 2>&1
check "text: store-3's excess over the cluster median" \
    sh -c "grep -E '^pod +shop/store-3 ' '$T/out.txt' | grep -Eq '\\+[0-9.]+M x[0-9.]+ *\$'"

# MEMTOP_PROMETHEUS, and a node Prometheus does not know
MEMTOP_PROMETHEUS=$URL "$MEMTOP" -b -n 1 --json --store none --host-root "$H" \
    --prometheus-node nosuchnode > "$T/nomatch.json" 2> "$T/nomatch.err"
check "unknown node: says what it tried" \
    grep -q 'no memory series for node nosuchnode (tried node=nosuchnode; instance nosuchnode (with or without a port))' "$T/nomatch.err"
check "unknown node: the cluster's replicas are still used" \
    test "$(jq -r "$(g store-3) | .baseline.source" "$T/nomatch.json")" = prometheus
check "unknown node: growth only since memtop started (no history)" \
    test "$(jq -r "$(g store-3) | .anon_growth" "$T/nomatch.json")" -lt $((64 * 1048576))
# by instance, as a LABEL=VALUE
"$MEMTOP" -b -n 1 --json --store none --host-root "$H" --prometheus "$URL" \
    --prometheus-node "instance=$NODE:9852" > "$T/inst.json" 2> "$T/inst.err"
check "--prometheus-node instance=...: history found" grep -q "history since" "$T/inst.err"

# without Prometheus: the node's replicas, and said so
"$MEMTOP" -b -n 1 --json --store none --host-root "$H" > "$T/local.json" 2>/dev/null
check "without --prometheus: baseline from the node (2 others)" \
    test "$(jq -r "$(g store-3) | \"\(.baseline.source) \(.baseline.replicas)\"" "$T/local.json")" = "node 2"

# configuration refused at start, with a message
"$MEMTOP" -b -n 1 --store none --prometheus "$URL" --prometheus-token-file "$T/none" \
    > /dev/null 2> "$T/tok.err"; rc=$?
check "missing token file: exit 1" test $rc -eq 1
check "missing token file: says so" grep -q "prometheus-token-file $T/none: No such file" "$T/tok.err"
"$MEMTOP" -b -n 1 --store none --prometheus "$URL" --prometheus-token-file "$T" \
    > /dev/null 2> "$T/tok2.err"; rc=$?
check "unreadable token file (a directory): exit 1 and says why" \
    sh -c "test $rc -eq 1 && grep -q 'Is a directory' '$T/tok2.err'"
"$MEMTOP" -b -n 1 --store none --prometheus "http://me:pw@127.0.0.1:$PROM_PORT" \
    > /dev/null 2> "$T/ui.err"; rc=$?
check "user:password in the URL: refused with advice" \
    sh -c "test $rc -eq 1 && grep -q 'token-file' '$T/ui.err' && ! grep -q pw '$T/ui.err'"
finish
