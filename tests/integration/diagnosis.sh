#!/bin/sh
# The sick replica and why. Three pods of one StatefulSet (chat/ws-0..2,
# names from kubelet log dirs, real v1 cgroups): ws-0 runs Node with
# hundreds of MiB of V8 garbage, ws-1 and ws-2 an idle Node. A pod of its
# own runs a C program whose 8 threads leave freed-but-retained malloc
# memory in glibc arenas, with a secret in its environment. memtop's JSON
# and text name V8 garbage for ws-0 with the bytes of its 256 KiB clusters
# above its replicas', the arenas for the C program; the dashboard's line 2
# says why on the first screen; the secret appears in no output.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
need_v1
command -v node > /dev/null || { echo "SKIP: no node"; exit 77; }
NODEDIR=$TOP_SRCDIR/tests/node
SECRET=s3cr3t-$(rand_hex64 | cut -c1-12)

H=$LIB_TMP/host
mkdir -p "$H/etc"
echo test-node-2 > "$H/etc/hostname"
pod() {	# NAMESPACE POD OUTNAME COMMAND...
	ns=$1 name=$2 out=$3; shift 3
	u=$(rand_uuid); cid=$(rand_hex64)
	mkdir -p "$H/var/log/pods/${ns}_${name}_$u/app" "$H/var/log/containers"
	ln -s "/var/log/pods/${ns}_${name}_$u/app/0.log" "$H/var/log/containers/${name}_${ns}_app-$cid.log"
	mkcg "$V1/kubepods/burstable/pod$u/$cid" || exit 99
	spawn_in "$LIB_TMP/$out" "$V1/kubepods/burstable/pod$u/$cid/cgroup.procs" -- "$@"
}
# each Node in a network namespace of its own, like a pod's (g opens its
# inspector there)
pod chat ws-0 sick unshare -n sh -c 'ip link set lo up && exec "$0" "$@"' node --no-memory-reducer "$NODEDIR/garbage.js"; SICK=$SPAWNED
pod chat ws-1 ok1 unshare -n sh -c 'ip link set lo up && exec "$0" "$@"' node -e 'console.log("ready"); setInterval(() => {}, 1e9)'; OK1=$SPAWNED
pod chat ws-2 ok2 unshare -n sh -c 'ip link set lo up && exec "$0" "$@"' node -e 'console.log("ready"); setInterval(() => {}, 1e9)'; OK2=$SPAWNED
pod batch native-0 ar env SECRET_TOKEN=$SECRET MALLOC_ARENA_MAX=16 "$HELPERS/arenas" 8 24; AR=$SPAWNED
pod batch capped-0 ar2 env MALLOC_ARENA_MAX=2 "$HELPERS/arenas" 8 24; AR2=$SPAWNED
pod batch plain-0 ar3 env -u MALLOC_ARENA_MAX "$HELPERS/arenas" 8 24; AR3=$SPAWNED
for f in sick ok1 ok2 ar ar2 ar3; do
	wait_for 120 grep -q ready "$LIB_TMP/$f" || { echo "$f did not start"; cat "$LIB_TMP/$f"; exit 99; }
done

J=$LIB_TMP/out.json
"$MEMTOP" -b -n 1 --json --host-root "$H" > "$J" 2> "$LIB_TMP/err" || fail "memtop exit status"
q() { jq -r "$@" "$J"; }
g() { echo '.groups[] | select(.pod == "'$1'")'; }
# the V8 page cluster: anonymous rw mappings of exactly 256 KiB
v8bytes() {
	n=0
	while read -r range perms off dev inode rest; do
		[ "$inode" = 0 ] && [ -z "$rest" ] || continue
		case $perms in rw*) ;; *) continue ;; esac
		[ $(( 0x${range#*-} - 0x${range%-*} )) -eq 262144 ] && n=$((n + 1))
	done < /proc/$1/maps
	echo $((n * 262144))
}
b0=$(v8bytes $SICK); b1=$(v8bytes $OK1); b2=$(v8bytes $OK2)
want=$(( b0 - (b1 + b2) / 2 ))
check "premise: ws-0 holds a big V8 page cluster ($b0 bytes)" test "$b0" -gt $((200 * 1024 * 1024))
check "ws-0 is an outlier among its replicas" test "$(q "$(g ws-0) | .replicas.outlier")" = true
check "ws-0: first verdict is v8-garbage" test "$(q "$(g ws-0) | .diagnosis[0].rule")" = v8-garbage
got=$(q "$(g ws-0) | .diagnosis[0].bytes")
check "ws-0: it explains $got bytes, the cluster above the replicas' is $want" within "$got" "$want" 10
check "ws-0: says press g" sh -c "jq -r '$(g ws-0) | .diagnosis[0].text' '$J' | grep -q 'press g'"
check "ws-0: the verdicts explain no more than the excess" test "$(q "$(g ws-0) | ([.diagnosis[] | select(.explains) | .bytes] | add) <= .replicas.excess")" = true
check "ws-1: healthy, nothing to say" test "$(q "$(g ws-1) | .diagnosis | length")" = 0
check "native-0: no sibling, its own memory is the budget" test "$(q "$(g native-0) | .replicas.siblings")" = 0
check "native-0: glibc-arenas" test "$(q "$(g native-0) | [.diagnosis[].rule] | index(\"glibc-arenas\") != null")" = true
check "native-0: counts the 8 arenas" sh -c "jq -r '$(g native-0) | .diagnosis[] | select(.rule == \"glibc-arenas\") | .text' '$J' | grep -q ' 8 glibc arenas'"
advice() { jq -r "$(g $1) | .diagnosis[] | select(.rule == \"$2\") | .advice" "$J"; }
check "native-0: the advice reads MALLOC_ARENA_MAX=16 from its environment" sh -c "echo '$(advice native-0 glibc-arenas)' | grep -q 'MALLOC_ARENA_MAX=16 is set.*lower it to 2'"
check "capped-0 (MALLOC_ARENA_MAX=2): still the arenas rule, and the advice says it is set" sh -c "echo '$(advice capped-0 glibc-arenas)' | grep -q 'MALLOC_ARENA_MAX=2 is set'" ||
	{ echo "capped-0 as memtop saw it:"; q "$(g capped-0) | {anon, diagnosis}"; grep -E '^VmRSS|^RssAnon' /proc/$AR2/status; }
check "plain-0 (unset): the advice says so and how many are in use" sh -c "echo '$(advice plain-0 glibc-arenas)' | grep -Eq 'MALLOC_ARENA_MAX unset: 8 arenas per core allowed, [0-9]+ in use'"
advice ws-0 v8-garbage > "$LIB_TMP/ws0.advice"
check "ws-0: the advice says --max-old-space-size is not set" grep -q 'max-old-space-size is not set' "$LIB_TMP/ws0.advice"
check "the process row has its own diagnosis" test "$(q "$(g native-0) | .containers[0].processes[0].diagnosis[0].rule")" = glibc-arenas

T=$LIB_TMP/out.txt
"$MEMTOP" -b -n 1 --host-root "$H" > "$T" 2>&1
check "text: a why line under ws-0" sh -c "grep -A1 -E '^pod +chat/ws-0 ' '$T' | grep -Eq '^  why +V8 heap pages'"

# the first screen: line 2 names the sick pod and why, no key pressed
tui_init
$TM new-session -d -s mt -x 160 -y 30 "\"$MEMTOP\" -d 0.5 --host-root \"$H\"; sleep 60"
check "first screen: line 2 names ws-0 and V8 garbage" wait_for 20 sh -c "$TM capture-pane -p -t mt | sed -n 2p | grep -q 'chat/ws-0.*V8 heap pages'"
screen > "$LIB_TMP/screen.txt"
$TM send-keys -t mt / ws-0 Enter
wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -q 'chat/ws-0'"
$TM send-keys -t mt Home Enter
check "detail of ws-0: where it stands against its replicas" wait_for 10 screen_has "over the median of 2 other replicas"
check "detail of ws-0: an env: suggestion for the pod spec" sh -c "$TM capture-pane -p -t mt | grep -q 'name: NODE_OPTIONS'"
check "detail of ws-0: why, with the advice" sh -c "$TM capture-pane -p -t mt | grep -q 'why .*V8 heap pages' && $TM capture-pane -p -t mt | grep -q 'max-old-space-size'"
screen >> "$LIB_TMP/screen.txt"


# no output carries the secret
mkdir "$LIB_TMP/tf"
"$MEMTOP" --textfile "$LIB_TMP/tf" -n 1 --host-root "$H" 2> "$LIB_TMP/tf.err"
# the JSON right after the metrics: the figures compared below moved since
# $J was taken (Node's heap lives on; the dashboard ran in between)
"$MEMTOP" -b -n 1 --json --host-root "$H" > "$LIB_TMP/native.json" 2>&1
"$MEMTOP" diff --replica chat/ws-0 --host-root "$H" > "$LIB_TMP/diff.txt" 2>&1
"$MEMTOP" diff --replica chat/ws-0 --json --host-root "$H" > "$LIB_TMP/diff.json" 2>&1
for f in "$J" "$T" "$LIB_TMP/screen.txt" "$LIB_TMP/tf/memtop.prom" "$LIB_TMP/diff.txt" "$LIB_TMP/diff.json" "$LIB_TMP/native.json"; do
	check "no secret in $(basename "$f") (and it has content)" sh -c "test -s '$f' && ! grep -q '$SECRET' '$f'"
done
check "no secret on memtop's stderr" sh -c "! grep -q '$SECRET' '$LIB_TMP/err'"
pm=$(awk '/^memtop_pod_diagnosis_bytes\{.*pod="ws-0".*rule="v8-garbage"/ { n++; v = $2 } END { if (n == 1) print v }' "$LIB_TMP/tf/memtop.prom")
nq() { jq -r "$@" "$LIB_TMP/native.json"; }
got2=$(nq "$(g ws-0) | .diagnosis[0].bytes")
check "metric: ws-0's v8-garbage bytes ($pm) within 10 % of the JSON's ($got2)" within "${pm:-0}" "${got2:-1}" 10
px=$(awk '/^memtop_pod_replicas_excess_bytes\{.*pod="ws-0"/ { n++; v = $2 } END { if (n == 1) print v }' "$LIB_TMP/tf/memtop.prom")
check "metric: ws-0's excess over its replicas ($px)" within "${px:-0}" "$(nq "$(g ws-0) | .replicas.excess")" 10
check "metric: no excess series for a pod without siblings" sh -c "! grep -q 'memtop_pod_replicas_excess_bytes{.*pod=\"native-0\"' '$LIB_TMP/tf/memtop.prom'"
check "premise: the secret is in the process's environment" sh -c "tr '\\0' '\\n' < /proc/$AR/environ | grep -q '$SECRET'"
# g on ws-0's Node process: afterwards line 2 and the detail say what the
# GC proved, with the pod's standing against its replicas
tui_session 180 40 "\"$MEMTOP\" -d 0.5 --yes --host-root \"$H\"; sleep 60"
wait_for 20 screen_has "NAME" || fail "the dashboard did not start again"
$TM send-keys -t mt / ws-0 Enter
wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -Eq '^ +$SICK node'"
# g from the detail view (where the verdict says press g)
$TM send-keys -t mt End Enter
wait_for 10 screen_has "memtop detail"
$TM send-keys -t mt g
check "after g: the detail says what the GC proved" wait_for 60 screen_has "GC proved"
check "after g: the pod-spec suggestion, measured" wait_for 5 sh -c "$TM capture-pane -p -t mt | grep -q 'value: \"--max-old-space-size=[0-9]*\" *(twice the heap in use after the GC; V8.s limit now [0-9.]*[KMG])'"
screen >> "$LIB_TMP/screen.txt"
# back to the tree, the filter cleared: line 2 (the selection stays on it)
$TM send-keys -t mt Escape Escape
check "after g: line 2 says it too, with the pod against its replicas" wait_for 10 sh -c "$TM capture-pane -p -t mt | sed -n 2p | grep -Eq 'chat/ws-0: GC freed .* RSS \\([0-9]+ %\\): (it|part of it) was V8 garbage; the pod is now'"
screen | head -3
finish
