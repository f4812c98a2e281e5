#!/bin/sh
# memtop as a DaemonSet pod on cgroup v2 runs in a private cgroup namespace:
# other processes' /proc/PID/cgroup paths are relative to its own cgroup
# ("0::/../../kubepods-besteffort.slice/..."). Here memtop runs in a real
# cgroup namespace (unshare -C) rooted at a kubelet-shaped container cgroup,
# with the host's cgroup2 tree given as --cgroup-root, and must report the
# other pod's absolute cgroup path, in JSON and in the metrics.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
T=$LIB_TMP
V2=/sys/fs/cgroup/unified
[ -f $V2/cgroup.procs ] || { echo "SKIP: no cgroup2 at $V2"; exit 77; }
unshare -C true 2>/dev/null || { echo "SKIP: unshare -C does not work here"; exit 77; }

uida=$(rand_uuid); cida=$(rand_hex64); uida_=$(echo "$uida" | tr - _)
uidb=$(rand_uuid); cidb=$(rand_hex64); uidb_=$(echo "$uidb" | tr - _)
arel=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$uida_.slice/cri-containerd-$cida.scope
bpod=/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$uidb_.slice
brel=$bpod/cri-containerd-$cidb.scope
mkcg "$V2$arel" || exit 99
mkcg "$V2$brel" || exit 99
spawn_in "$T/b.out" "$V2$brel/cgroup.procs" -- "$HELPERS/alloc_anon" 20; pb=$SPAWNED
wait_for 20 grep -q ready "$T/b.out" || exit 99
# and a process in a cgroup of no pod, two levels below the common ancestor
orel=/kubepods.slice/kubepods-burstable.slice/memtop-test-$$.scope
mkcg "$V2$orel" || exit 99
spawn_in "$T/o.out" "$V2$orel/cgroup.procs" -- sleep 600

# in_ns CMD...: CMD in container a's cgroup, in a new cgroup namespace
in_ns() { sh -c 'echo $$ > "$0/cgroup.procs" && exec unshare -C "$@"' "$V2$arel" "$@"; }

seen=$(in_ns cat /proc/$pb/cgroup | sed -n 's/^0:://p')
echo "from inside the namespace, process b is at $seen"
check "precondition: the path is relative inside the namespace" \
    test "$seen" = "/../../../kubepods-besteffort.slice/kubepods-besteffort-pod$uidb_.slice/cri-containerd-$cidb.scope"

in_ns "$MEMTOP" --cgroup-root $V2 -b -n 1 --json --log "$T/log" > "$T/out.json" 2> "$T/err" ||
    fail "memtop exit status"
q() { jq -r "$@" "$T/out.json"; }
check "the log names the namespace root" grep -qF "rooted at $arel" "$T/log"
check "pod b: its absolute cgroup path" test "$(q '.groups[] | select(.pod_uid == "'$uidb'") | .cgroup')" = "$bpod"
check "pod b: besteffort" test "$(q '.groups[] | select(.pod_uid == "'$uidb'") | .qos')" = besteffort
check "container b: absolute path" test "$(q '.groups[] | select(.pod_uid == "'$uidb'") | .containers[0].cgroup')" = "$brel"
check "process b in container b" test "$(q '.groups[] | select(.pod_uid == "'$uidb'") | .containers[] | select(.id == "'$cidb'") | .processes[0].pid')" = "$pb"
check "memtop itself in pod a, absolute" test "$(q '.groups[] | select(.pod_uid == "'$uida'") | .containers[0].cgroup')" = "$arel"

# the exporter in the namespace: container b's series, and memtop's own
# (not a container here: no ID, so known by its cgroup path) absolute
mkdir "$T/tf"
in_ns "$MEMTOP" --cgroup-root $V2 --textfile "$T/tf" -n 1 2> "$T/err" || fail "memtop --textfile exit status"
check "metrics: container b, one process" \
    grep -qF "memtop_container_processes{pod_uid=\"$uidb\",container_id=\"$cidb\"} 1" "$T/tf/memtop.prom"
check "metrics: a group without a container ID labelled with its absolute path" \
    grep -qF "memtop_container_processes{cgroup=\"$orel\"} 1" "$T/tf/memtop.prom"

# a --cgroup-root that is not the host's tree: a clear warning, and memtop
# still lists the process in its pod (named from the path), just unresolved
F=$T/notthehost; mkdir "$F"; echo "memory pids" > "$F/cgroup.controllers"
in_ns "$MEMTOP" --cgroup-root "$F" -b -n 1 --json --log "$T/log2" > "$T/out.json" 2> "$T/err" ||
    fail "memtop exit status (wrong root)"
check "wrong root: the warning says so" grep -q "cgroup namespace: memtop's own cgroup is not under $F" "$T/log2"
check "wrong root: process b still in pod b" test "$(q '.groups[] | select(.pod_uid == "'$uidb'") | .containers[] | select(.id == "'$cidb'") | .processes[0].pid')" = "$pb"
finish
