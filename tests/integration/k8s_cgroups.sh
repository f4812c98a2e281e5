#!/bin/sh
# Real kubelet-shaped cgroups on this machine, under the v1 memory controller
# (cgroupfs driver) and under cgroup2 (systemd driver), with real processes
# that touch a known amount of anonymous memory. memtop's JSON must put each
# in the right pod and container with figures matching /proc, and read the
# pod's cgroup charge. Then the same processes against a pure-v2 fixture
# root given with --cgroup-root.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init

V1=/sys/fs/cgroup/memory
V2=/sys/fs/cgroup/unified
[ -f $V1/memory.usage_in_bytes ] || { echo "SKIP: no v1 memory controller"; exit 77; }
[ -f $V2/cgroup.procs ] || { echo "SKIP: no cgroup2 at $V2"; exit 77; }

uid1=$(rand_uuid); cid1=$(rand_hex64)
uid2=$(rand_uuid); cid2=$(rand_hex64)
uid2_=$(echo "$uid2" | tr - _)

# pod 1: v1, cgroupfs driver: /kubepods/burstable/pod<uid>/<cid>
pod1=$V1/kubepods/burstable/pod$uid1
mkcg "$pod1/$cid1" || exit 99
echo $((512 * 1024 * 1024)) > "$pod1/memory.limit_in_bytes"
# pod 2: cgroup2, systemd driver
pod2rel=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$uid2_.slice
pod2=$V2$pod2rel
mkcg "$pod2/cri-containerd-$cid2.scope" || exit 99

spawn_in "$LIB_TMP/p1" "$pod1/$cid1/cgroup.procs" -- "$HELPERS/alloc_anon" 40; p1=$SPAWNED
spawn_in "$LIB_TMP/p2" "$pod2/cri-containerd-$cid2.scope/cgroup.procs" -- "$HELPERS/alloc_anon" 90; p2=$SPAWNED
wait_for 20 grep -q ready "$LIB_TMP/p1" || { echo "helper 1 did not start"; cat "$LIB_TMP/p1"; exit 99; }
wait_for 20 grep -q ready "$LIB_TMP/p2" || { echo "helper 2 did not start"; cat "$LIB_TMP/p2"; exit 99; }

"$MEMTOP" -b -n 1 --json > "$LIB_TMP/out.json" 2> "$LIB_TMP/err" || fail "memtop exit status"
k1_anon=$(rollup_kib "$p1" Pss_Anon); k1_rss=$(rollup_kib "$p1" Rss)
k2_anon=$(rollup_kib "$p2" Pss_Anon); k2_rss=$(rollup_kib "$p2" Rss)
check "no error output" test ! -s "$LIB_TMP/err"
check "one JSON document" test "$(wc -l < "$LIB_TMP/out.json")" -eq 1
J=$LIB_TMP/out.json

q() { jq -r "$@" "$J"; }
proc1='.groups[] | select(.pod_uid == "'$uid1'") | .containers[] | select(.id == "'$cid1'") | .processes[] | select(.pid == '$p1')'
proc2='.groups[] | select(.pod_uid == "'$uid2'") | .containers[] | select(.id == "'$cid2'") | .processes[] | select(.pid == '$p2')'

check "pod 1 is a burstable pod on v1" test "$(q '.groups[] | select(.pod_uid == "'$uid1'") | "\(.kind) \(.qos) \(.hierarchy)"')" = "pod burstable v1"
check "process 1 in pod 1, container 1" test "$(q "$proc1 | .pid")" = "$p1"
check "container 1 runtime unknown (bare id, cgroupfs)" test "$(q '.groups[] | select(.pod_uid == "'$uid1'") | .containers[0].runtime')" = unknown
check "process 1 pss_anon within 3% of smaps_rollup ($k1_anon KiB)" within "$(q "$proc1 | .pss_anon")" $((k1_anon * 1024)) 3
check "process 1 rss within 3% of smaps_rollup ($k1_rss KiB)" within "$(q "$proc1 | .rss")" $((k1_rss * 1024)) 3
check "process 1 has >= 40 MiB anon" test "$(q "$proc1 | .rss_anon")" -ge $((40 << 20))
cur1=$(cat "$pod1/memory.usage_in_bytes")
check "pod 1 charge read (memtop $(q '.groups[] | select(.pod_uid == "'$uid1'") | .memory.current'), kernel $cur1)" \
    within "$(q '.groups[] | select(.pod_uid == "'$uid1'") | .memory.current')" "$cur1" 10
check "pod 1 charge covers the 40 MiB" test "$(q '.groups[] | select(.pod_uid == "'$uid1'") | .memory.current')" -ge $((40 << 20))
check "pod 1 limit 512 MiB" test "$(q '.groups[] | select(.pod_uid == "'$uid1'") | .memory.limit')" = $((512 << 20))
check "container 1 has no limit" test "$(q '.groups[] | select(.pod_uid == "'$uid1'") | .containers[0].memory.unlimited')" = true

check "pod 2 is a burstable pod on v2" test "$(q '.groups[] | select(.pod_uid == "'$uid2'") | "\(.kind) \(.qos) \(.hierarchy)"')" = "pod burstable v2"
check "process 2 in pod 2, containerd container 2" test "$(q "$proc2 | .pid")" = "$p2"
check "container 2 runtime containerd" test "$(q '.groups[] | select(.pod_uid == "'$uid2'") | .containers[0].runtime')" = containerd
check "process 2 pss_anon within 3% of smaps_rollup ($k2_anon KiB)" within "$(q "$proc2 | .pss_anon")" $((k2_anon * 1024)) 3
check "process 2 rss within 3% of smaps_rollup" within "$(q "$proc2 | .rss")" $((k2_rss * 1024)) 3
# the unified tree here has no memory controller: unknown, not 0
check "pod 2 charge unknown (null), not 0" test "$(q '.groups[] | select(.pod_uid == "'$uid2'") | .memory.current')" = null
check "pod 2 cgroup path" test "$(q '.groups[] | select(.pod_uid == "'$uid2'") | .cgroup')" = "$pod2rel"

# every process object has the documented keys
for k in pid ppid comm cmdline start_time rss pss pss_anon pss_file pss_shmem shared_clean shared_dirty private_clean private_dirty swap rss_anon rss_file; do
	check "process key $k" test "$(q "$proc1 | has(\"$k\")")" = true
done
check "start_time matches /proc/PID/stat" test "$(q "$proc1 | .start_time")" = "$(awk '{ sub(/.*\) /, ""); print $20 }' /proc/$p1/stat)"

# pure cgroup v2 node: a fixture root with memory files for pod 2's path
F=$LIB_TMP/v2root
mkdir -p "$F$pod2rel/cri-containerd-$cid2.scope"
echo "cpuset cpu io memory pids" > "$F/cgroup.controllers"
echo 123456789 > "$F$pod2rel/memory.current"
echo max > "$F$pod2rel/memory.max"
printf 'anon 100000000\nfile 20000000\nshmem 0\n' > "$F$pod2rel/memory.stat"
printf 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n' > "$F$pod2rel/memory.events"
echo 99999999 > "$F$pod2rel/cri-containerd-$cid2.scope/memory.current"
echo 268435456 > "$F$pod2rel/cri-containerd-$cid2.scope/memory.max"
"$MEMTOP" -b -n 1 --json --cgroup-root "$F" > "$J" 2> "$LIB_TMP/err" || fail "memtop --cgroup-root exit status"
g2='.groups[] | select(.pod_uid == "'$uid2'")'
check "v2 root: pod 2 current from memory.current" test "$(q "$g2 | .memory.current")" = 123456789
check "v2 root: pod 2 unlimited" test "$(q "$g2 | .memory.unlimited")" = true
check "v2 root: pod 2 anon/file from memory.stat" test "$(q "$g2 | \"\(.memory.anon) \(.memory.file)\"")" = "100000000 20000000"
check "v2 root: pod 2 oom_kill from memory.events" test "$(q "$g2 | .memory.oom_kill")" = 1
check "v2 root: container 2 limit" test "$(q "$g2 | .containers[0].memory.limit")" = 268435456
check "v2 root: pod 1 (v1 only) charge unknown" test "$(q '.groups[] | select(.pod_uid == "'$uid1'") | .memory.current')" = null

# text output shows both pods with their ids
"$MEMTOP" -b -n 1 > "$LIB_TMP/out.txt" || fail "text exit status"
check "text: pod 1 listed" grep -q "pod $uid1" "$LIB_TMP/out.txt"
check "text: container 2 short id" grep -q "containerd $(echo $cid2 | cut -c1-12)" "$LIB_TMP/out.txt"
check "text: process 1 row" grep -Eq "^ +$p1 +alloc_anon" "$LIB_TMP/out.txt"
finish
