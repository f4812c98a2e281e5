#!/bin/sh
# The working set (usage minus inactive file pages, as kubelet and kubectl
# top count it) of a real v1 cgroup holding page cache: a process in the
# pod writes and reads a 64 MiB file, then holds 32 MiB of its own and
# idles. memtop's JSON and its exporter agree
# with the cgroup's own files within 1 %, and the working set is below the
# charge by the inactive file pages.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
need_v1
uid=$(rand_uuid); cid=$(rand_hex64)
cg=$V1/kubepods/burstable/pod$uid/$cid
mkcg "$cg" || exit 99
# written from inside the pod: its page cache is charged to the pod
spawn_in "$LIB_TMP/r" "$cg/cgroup.procs" -- sh -c 'head -c 67108864 /dev/urandom > "$0" && cat "$0" > /dev/null; exec "$1" 32' "$LIB_TMP/file" "$HELPERS/alloc_anon"
wait_for 30 grep -q ready "$LIB_TMP/r" || { echo "reader did not start"; exit 99; }
inactive() { awk '$1 == "total_inactive_file" { print $2 }' "$cg/memory.stat"; }
check "premise: the cgroup holds inactive file pages ($(inactive))" test "$(inactive)" -gt $((16 << 20))

pod=$V1/kubepods/burstable/pod$uid
wset() { echo $(( $(cat $1/memory.usage_in_bytes) - $(awk '$1 == "total_inactive_file" { print $2 }' $1/memory.stat) )); }
# the files read just before and just after memtop: its figure lies between
# them, give or take 1 %
between() {	# value a b
	awk -v v="$1" -v a="$2" -v b="$3" 'BEGIN { lo = a < b ? a : b; hi = a < b ? b : a
		exit !(v >= lo * 0.99 && v <= hi * 1.01) }'
}
w0=$(wset $pod); c0=$(wset $cg)
"$MEMTOP" -b -n 1 --json > "$LIB_TMP/j" 2> "$LIB_TMP/err" || fail "memtop exit status"
w1=$(wset $pod); c1=$(wset $cg)
got=$(jq -r '.groups[] | select(.pod_uid == "'$uid'") | .memory.working_set' "$LIB_TMP/j")
check "pod working set $got between the cgroup files' $w0 and $w1 (1 %)" between "$got" "$w0" "$w1"
charge=$(jq -r '.groups[] | select(.pod_uid == "'$uid'") | .memory.current' "$LIB_TMP/j")
check "working set below the charge ($got < $charge)" test "$got" -lt "$charge"
ctr=$(jq -r '.groups[] | select(.pod_uid == "'$uid'") | .containers[0].memory.working_set' "$LIB_TMP/j")
check "container working set $ctr between $c0 and $c1 (1 %)" between "$ctr" "$c0" "$c1"

mkdir "$LIB_TMP/tf"
c0=$(wset $cg)
"$MEMTOP" --textfile "$LIB_TMP/tf" -n 1 2> "$LIB_TMP/err2" || fail "exporter exit status"
c1=$(wset $cg)
m=$(awk -v re="^memtop_container_memory_working_set_bytes\\\\{.*pod_uid=\"$uid\"" '$0 ~ re { n++; v = $2 } END { if (n == 1) print v }' "$LIB_TMP/tf/memtop.prom")
check "metric memtop_container_memory_working_set_bytes ($m) between $c0 and $c1 (1 %)" between "${m:-0}" "$c0" "$c1"

"$MEMTOP" -b -n 1 --sort working-set > "$LIB_TMP/t" 2>&1
check "text: a WSet column" grep -q " WSet " "$LIB_TMP/t"
finish
