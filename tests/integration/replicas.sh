#!/bin/sh
# Replicas on one node: three pods of a StatefulSet (shop/cart-0..2, names
# from kubelet log dirs, real v1 cgroups), one sick: the sick pod is an
# outlier, its excess over its siblings' median and the ratio match /proc,
# sorting by vs-replicas puts it first; the healthy ones are not outliers; a
# workload with one pod on the node has no baseline (null, '-'), never an
# invented one; a Deployment's pods are siblings by their name stem.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
need_v1

H=$LIB_TMP/host
mkdir -p "$H/etc"
echo test-node-1 > "$H/etc/hostname"
pod() {	# NAMESPACE POD MIB -> pid in $SPAWNED, uid in $UID_
	UID_=$(rand_uuid); cid=$(rand_hex64)
	mkdir -p "$H/var/log/pods/$1_$2_$UID_/app" "$H/var/log/containers"
	ln -s "/var/log/pods/$1_$2_$UID_/app/0.log" "$H/var/log/containers/$2_$1_app-$cid.log"
	mkcg "$V1/kubepods/burstable/pod$UID_/$cid" || exit 99
	spawn_in "$LIB_TMP/$2" "$V1/kubepods/burstable/pod$UID_/$cid/cgroup.procs" -- "$HELPERS/alloc_anon" "$3"
	wait_for 20 grep -q ready "$LIB_TMP/$2" || { echo "helper $2 did not start"; exit 99; }
}
pod shop cart-0 40; p0=$SPAWNED
pod shop cart-1 200; p1=$SPAWNED
pod shop cart-2 48; p2=$SPAWNED
pod shop lonely-0 30; pl=$SPAWNED
pod shop api-7d9f7d8f5b-xk2lp 20; pa1=$SPAWNED
pod shop api-7d9f7d8f5b-2bq4k 22; pa2=$SPAWNED
pod shop etcd-test-node-1 10; ps=$SPAWNED

J=$LIB_TMP/out.json
"$MEMTOP" -b -n 1 --json --host-root "$H" --sort vs-replicas > "$J" 2> "$LIB_TMP/err" || fail "memtop exit status"
q() { jq -r "$@" "$J"; }
g() { echo '.groups[] | select(.pod == "'$1'")'; }
anon() { awk '/^RssAnon:/ { print $2 * 1024 }' /proc/$1/status; }
a0=$(anon $p0); a1=$(anon $p1); a2=$(anon $p2)
# the median of two siblings is their mean
med=$(( (a0 + a2) / 2 ))
check "cart-1: a statefulset's pod" test "$(q "$(g cart-1) | .replicas.workload")" = statefulset
check "cart-1: workload stem cart" test "$(q "$(g cart-1) | .workload")" = cart
check "cart-1: two siblings" test "$(q "$(g cart-1) | .replicas.siblings")" = 2
check "cart-1: an outlier" test "$(q "$(g cart-1) | .replicas.outlier")" = true
ex=$(q "$(g cart-1) | .replicas.excess")
check "cart-1: excess $ex within 5 % of /proc's $((a1 - med))" within "$ex" "$((a1 - med))" 5
ratio=$(q "$(g cart-1) | .replicas.ratio")
want=$(awk -v a=$a1 -v m=$med 'BEGIN { print a / m }')
check "cart-1: ratio $ratio within 5 % of $want" within "$ratio" "$want" 5
check "cart-1's container app: against the siblings' app" test "$(q "$(g cart-1) | .containers[0].replicas.outlier")" = true
check "cart-0: not an outlier" test "$(q "$(g cart-0) | .replicas.outlier")" = false
check "cart-2: not an outlier" test "$(q "$(g cart-2) | .replicas.outlier")" = false
check "sorted by vs-replicas: cart-1 first of the pods" test "$(q '[.groups[] | select(.pod != null)][0].pod')" = cart-1
check "lonely-0: no sibling here" test "$(q "$(g lonely-0) | .replicas.siblings")" = 0
check "lonely-0: no baseline (null median, null excess)" test "$(q "$(g lonely-0) | [.replicas.median, .replicas.excess] | map(tostring) | join(\",\")")" = "null,null"
check "lonely-0: not an outlier" test "$(q "$(g lonely-0) | .replicas.outlier")" = false
check "api-*: deployment siblings" test "$(q "$(g api-7d9f7d8f5b-xk2lp) | \"\(.replicas.workload) \(.replicas.siblings) \(.workload)\"")" = "deployment 1 api"
check "etcd-test-node-1: a static pod of this node" test "$(q "$(g etcd-test-node-1) | \"\(.replicas.workload) \(.workload)\"")" = "static etcd"
check "a system service has no replicas" test "$(q '[.groups[] | select(.kind == "service")][0].replicas')" = null

# text: the column, and '-' for the lonely pod
T=$LIB_TMP/out.txt
"$MEMTOP" -b -n 1 --host-root "$H" > "$T" 2>&1
check "text: vsReplicas column" grep -q "vsReplicas" "$T"
check "text: cart-1 shows its excess and ratio" sh -c "grep -E '^pod +shop/cart-1 ' '$T' | grep -Eq '\\+[0-9.]+M x[0-9.]+ *\$'"
check "text: lonely-0 has no baseline ('-')" sh -c "grep -E '^pod +shop/lonely-0 ' '$T' | grep -Eq ' - *\$'"

# memtop diff --replica: the same comparison without the dashboard
D=$LIB_TMP/diff.json
"$MEMTOP" diff --replica shop/cart-1 --json --host-root "$H" > "$D" 2> "$LIB_TMP/derr" || fail "diff --replica: exit status"
check "diff --replica: A is cart-0 (the healthiest)" test "$(jq -r .a.pod "$D")" = shop/cart-0
check "diff --replica: B is cart-1" test "$(jq -r .b.pod "$D")" = shop/cart-1
dv=$(jq -r .diff.rss_anon "$D")
check "diff --replica: RssAnon B - A ($dv) within 5 % of /proc's $(( $(anon $p1) - $(anon $p0) ))" within "$dv" "$(( $(anon $p1) - $(anon $p0) ))" 5
"$MEMTOP" diff --replica cart-1 --host-root "$H" > "$LIB_TMP/diff.txt" 2>&1
check "diff --replica text: a FIGURE table with B - A" grep -q "B - A" "$LIB_TMP/diff.txt"
"$MEMTOP" diff --replica lonely-0 --host-root "$H" > /dev/null 2> "$LIB_TMP/derr2"; rc=$?
check "diff --replica on a pod without replicas: exit 1" test $rc -eq 1
check "diff --replica on a pod without replicas: says so" grep -q "no other replica" "$LIB_TMP/derr2"
"$MEMTOP" diff --replica no-such-pod-9 --host-root "$H" > /dev/null 2> "$LIB_TMP/derr3"
check "diff --replica on a missing pod: says so" grep -q "no pod no-such-pod-9" "$LIB_TMP/derr3"

# the dashboard: v on the sick pod compares it with its healthiest replica
tui_init
$TM new-session -d -s mt -x 160 -y 40 "\"$MEMTOP\" -d 0.5 --host-root \"$H\"; sleep 60"
wait_for 20 screen_has "NAME" || fail "the dashboard did not start"
$TM send-keys -t mt / cart-1 Enter
wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -q 'shop/cart-1'"
$TM send-keys -t mt Home v
check "v opens the compare screen" wait_for 10 screen_has "memtop compare"
check "A is the healthiest replica (cart-0), B the sick one" wait_for 5 sh -c "$TM capture-pane -p -t mt | grep -Eq 'shop/cart-0 .*shop/cart-1'"
# the mapping page of a pod with one process is that process's
$TM send-keys -t mt Escape Home Enter
wait_for 10 screen_has "memtop detail"
$TM send-keys -t mt Tab
check "mapping page of a one-process pod: its only process" wait_for 10 screen_has "its only process: $p1 alloc_anon"
check "mapping page of a one-process pod: the histogram" wait_for 15 screen_has "anon size"
$TM send-keys -t mt Escape Escape / lonely-0 Enter
wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -q 'shop/lonely-0'"
$TM send-keys -t mt Home v
check "v on a pod without replicas says so" wait_for 10 screen_has "no other replica on this node"
finish
