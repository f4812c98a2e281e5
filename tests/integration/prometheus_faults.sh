#!/bin/sh
# --prometheus when Prometheus misbehaves: answering slowly, HTTP 500, a
# 50 MB body, invalid JSON, no answer at all (a proxy, tests/helpers/
# prom_fault.py, in front of a real Prometheus), and Prometheus stopped
# mid-run: memtop -b keeps refreshing at its rate (frames counted while the
# fault lasts), says what is wrong on stderr, and recovers when Prometheus
# answers again. The token file's content is sent as Authorization: Bearer
# with every query (the proxy records it).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
T=$LIB_TMP
NODE=node-f-$$
prom_cluster "$NODE" 3
URL=http://127.0.0.1:$PROM_PORT
kubelet_pod "$H" shop store-3 db 16

FP=$(free_port) || exit 99
echo pass > "$T/mode"
python3 "$TOP_SRCDIR/tests/helpers/prom_fault.py" "$FP" "$URL" "$T/mode" \
    "$T/requests" > "$T/proxy.out" 2>&1 &
register_pid $!
wait_for 20 grep -q ready "$T/proxy.out" || { cat "$T/proxy.out"; exit 99; }
printf 's3cret-%s\n' $$ > "$T/token"

# run_mt URL NAME: memtop -b every 0.5 s, a round every second, 10 s per query
run_mt() {
	OUT=$T/$2.out; ERR=$T/$2.err
	"$MEMTOP" -b -d 0.5 --store none --host-root "$H" --prometheus "$1" \
	    --prometheus-interval 1 --prometheus-timeout 10 \
	    --prometheus-token-file "$T/token" > "$OUT" 2> "$ERR" &
	MT=$!
	register_pid $MT
}
frames() { grep -c '^memtop - ' "$OUT"; }
# six6: seconds until 6 more frames (at most 300)
six6() {
	f0=$(frames); t0=$(date +%s)
	wait_for 300 sh -c "test \$(grep -c '^memtop - ' '$OUT') -ge $((f0 + 6))"
	echo $(( $(date +%s) - t0 ))
}
# fault WHAT MESSAGE: the message appears, and meanwhile 6 more frames come
# within $BASE + 30 s, BASE being what 6 frames took while Prometheus
# answered (-d 0.5: 3 s, more on a loaded machine or under ASan):
# refreshes that waited on a query held for its 10 s timeout would take
# BASE + 60 s
fault() {
	check "$1: says '$2'" wait_for 120 grep -q -- "$2" "$ERR"
	dt=$(six6)
	check "$1: 6 more refreshes in ${dt}s (< $BASE + 30 s)" test $dt -lt $((BASE + 30))
}

run_mt "http://127.0.0.1:$FP" proxy
check "through the proxy: the cluster's replicas" \
    wait_for 60 grep -q "prometheus: 60 replicas" "$ERR"
check "every query carried Authorization: Bearer s3cret-$$" \
    sh -c "test -s '$T/requests' && ! grep -v ' Bearer s3cret-$$\$' '$T/requests'"
check "queries are POSTs to the query API" grep -q '^POST /api/v1/query_range ' "$T/requests"
BASE=$(six6)
echo "6 refreshes took ${BASE}s while Prometheus answered"
echo slow:30 > "$T/mode"
fault "slow Prometheus" "prometheus: timeout after 10 s (http://127.0.0.1:$FP)"
echo 500 > "$T/mode"
fault "HTTP 500" "prometheus: HTTP 500"
echo big > "$T/mode"
fault "50 MB body" "prometheus: answer over 16 MiB refused"
echo badjson > "$T/mode"
fault "invalid JSON" "prometheus: invalid JSON at line 1"
echo down > "$T/mode"
fault "no answer" "prometheus: Empty reply from server"
n0=$(grep -c "prometheus: 60 replicas" "$ERR")
echo pass > "$T/mode"
check "recovers when the answers are good again" \
    wait_for 60 sh -c "test \$(grep -c 'prometheus: 60 replicas' '$ERR') -gt $n0"
check "memtop still running" kill -0 $MT
grep 'prometheus:' "$ERR" | sort | uniq -c
kill $MT; wait $MT 2>/dev/null

# Prometheus itself stopped mid-run and started again
run_mt "$URL" direct
check "direct: the cluster's replicas" wait_for 60 grep -q "prometheus: 60 replicas" "$ERR"
BASE=$(six6)
prom_stop
fault "Prometheus stopped" "prometheus: cannot connect: Connection refused (http://127.0.0.1:$PROM_PORT)"
prom_serve "$T/tsdb" || exit 99
check "recovers when Prometheus is back" \
    wait_for 60 sh -c "test \$(grep -c 'prometheus: 60 replicas' '$ERR') -ge 2"
check "memtop still running" kill -0 $MT
kill $MT; wait $MT
check "memtop exits 0 on SIGTERM with the thread stopped" test $? -eq 0
cat "$ERR"
finish
