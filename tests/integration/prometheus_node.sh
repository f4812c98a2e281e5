#!/bin/sh
# Matching this node in Prometheus by its address: the cluster of
# prometheus_history.sh, but this node's series carry no node label and
# their instance is this machine's IPv4 address (cAdvisor's with port
# 10250, memtop's without a port), while the host root names the node
# something Prometheus does not know. memtop finds the node by the address
# (getifaddrs), with and without the port: the sick pod's working set
# history reaches its 680 MiB of the last 40 min (it holds 64 MiB now) and
# memtop's own family is used. Named with --prometheus-node,
# that name only is tried, and nothing matching is said clearly (what was
# tried, and how to name the node), while the cluster's replicas are still
# used.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
T=$LIB_TMP
IP=$(ip -o -4 addr show up scope global | awk '{ sub("/.*", "", $4); print $4; exit }')
[ -n "$IP" ] || { echo "SKIP: no global IPv4 address"; exit 77; }
NODE=node-n-$$
PROM_FIRST_INSTANCE=$IP
export PROM_FIRST_INSTANCE
prom_cluster "$NODE"
unset PROM_FIRST_INSTANCE
URL=http://127.0.0.1:$PROM_PORT
echo "unknown-$$" > "$H/etc/hostname"
q1() { curl -s --max-time 5 --data-urlencode "query=$1" "$URL/api/v1/query" |
    jq -r '.data.result[0].value[1] // empty'; }
check "premise: this node's series have no node label, instance $IP" \
    test "$(q1 "count(memtop_container_rss_anon_bytes{instance=\"$IP\"}) + count(container_memory_rss{container=\"db\",instance=\"$IP:10250\",node=\"\"})")" = 40

kubelet_pod "$H" shop store-3 db 64
g='.groups[] | select(.pod == "store-3")'

"$MEMTOP" -b -n 1 --json --store none --host-root "$H" --prometheus "$URL" \
    > "$T/ip.json" 2> "$T/ip.err" || fail "memtop exit status"
cat "$T/ip.err"
check "found by address: history from memtop's own family (instance $IP, no port)" \
    grep -q "prometheus: 60 replicas, history since .*(memtop_container_rss_anon_bytes)" "$T/ip.err"
wsmax() { jq -r "$g | .memory.working_set_history.max // empty" "$1"; }
m=$(wsmax "$T/ip.json")
check "store-3: its past from Prometheus (working set max ${m:-?}, 680 MiB)" \
    within "${m:-0}" $((680 * 1048576)) 2

# the address with a port: cAdvisor's series alone (memtop's dropped)
"$MEMTOP" -b -n 1 --json --store none --host-root "$H" --prometheus "$URL" \
    --prometheus-node "instance=$IP:10250" > "$T/port.json" 2> "$T/port.err"
check "instance=$IP:10250: cAdvisor's history, its working set too" \
    grep -q "history since .*(container_memory_rss), working set from container_memory_working_set_bytes" "$T/port.err"
m=$(wsmax "$T/port.json")
check "cAdvisor's working set: max ${m:-?}, 680 MiB" within "${m:-0}" $((680 * 1048576)) 2

# a name Prometheus does not know: that name only, and said clearly
"$MEMTOP" -b -n 1 --json --store none --host-root "$H" --prometheus "$URL" \
    --prometheus-node "nosuch-$$" > "$T/none.json" 2> "$T/none.err"; rc=$?
cat "$T/none.err"
check "no match: exit 0" test $rc = 0
check "no match: says what it tried and what to do" \
    grep -q "prometheus: no memory series for node nosuch-$$ (tried node=nosuch-$$; instance nosuch-$$ (with or without a port)): name it with --prometheus-node NAME or LABEL=VALUE" "$T/none.err"
check "no match: no address tried when a name is given" sh -c "! grep -q '$IP' '$T/none.err'"
check "no match: the cluster's replicas still used" \
    test "$(jq -r "$g | .baseline.source" "$T/none.json")" = prometheus
m=$(wsmax "$T/none.json")
check "no match: no past (working set max ${m:-?}, about 64 MiB)" \
    test "${m:-999999999999}" -lt $((200 * 1048576))
finish
