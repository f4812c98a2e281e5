#!/bin/sh
# Names from local files only. A host-root tree built from the shared runtime
# state (containerd, CRI-O, docker) plus kubelet log directories, and real
# cgroups with real processes whose container ids match that state; plus pods
# whose state is missing (one with a HOSTNAME to guess from), a hostNetwork
# pod named only by its logs, a CRI-O conmon outside the pod, and a malformed
# config.json.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
V1=/sys/fs/cgroup/memory
V2=/sys/fs/cgroup/unified
[ -f $V1/memory.usage_in_bytes ] && [ -f $V2/cgroup.procs ] || { echo "SKIP: needs v1 memory and cgroup2"; exit 77; }

H=$LIB_TMP/host
cp -r "$FIXTURES/k8s-cgroups/runtime-state/fake-root" "$H"
chmod -R u+w "$H"
CTRD=8cb3438991e90a4b415fd7920bd8b67f59e90c62ae82b89c081ac320f31cf427
SANDBOX=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
CRIO=5eed917563583925ffdbd40a64efb2aaffe58638e57add8becaf460fe74f5b1c
DOCKER=902093a5baef883ae52ad163ff157a2bc5d579d446d044735aa6c6a7de274a7e
DSANDBOX=d9fbd25cdc03d67498999645be72c84267f65b7d1e06ce6abbdfd8d629ece55e
U_CTRD=3d0df1aa-a48c-4cff-88be-9222491bdcb7
U_CRIO=a5c1f8d5-1919-434d-add7-4afaafdaef89
U_DOCK=16a4a44fea21553f3c41d03e478379f0

slice() {	# uid -> systemd pod slice path (burstable)
	echo "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$(echo "$1" | tr - _).slice"
}
start() {	# cgroup-dir [env...] : a sleeping process in that cgroup
	dir=$1; shift
	mkcg "$dir" || exit 99
	spawn_in "$LIB_TMP/out.$$" "$dir/cgroup.procs" -- env "$@" sleep 1000
}

# containerd (systemd driver, cgroup2): a container and its sandbox
start "$V2$(slice $U_CTRD)/cri-containerd-$CTRD.scope"; P_CTRD=$SPAWNED
start "$V2$(slice $U_CTRD)/cri-containerd-$SANDBOX.scope"; P_SAND=$SPAWNED
# CRI-O (systemd driver) and its conmon in system.slice (the default)
start "$V2$(slice $U_CRIO)/crio-$CRIO.scope"; P_CRIO=$SPAWNED
start "$V2/system.slice/crio-conmon-$CRIO.scope"; P_CONMON=$SPAWNED
# docker under kubelet (cgroupfs driver, v1): a bare id; and its sandbox,
# whose labels carry kubelet's annotation config.source "file": static
start "$V1/kubepods/burstable/pod$U_DOCK/$DOCKER"; P_DOCK=$SPAWNED
start "$V1/kubepods/burstable/pod$U_DOCK/$DSANDBOX"; P_DSAND=$SPAWNED
# CRI-O's sandbox of calico-node-hx7cw (a DaemonSet's pod: its labels as
# the DaemonSet controller sets them, which CRI-O keeps as a JSON string)
CRIO_SB=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
CS=run/containers/storage/overlay-containers
mkdir -p "$H/$CS/$CRIO_SB/userdata"
jq '.annotations["io.kubernetes.cri-o.ContainerType"] = "sandbox" |
    .annotations["io.kubernetes.container.name"] = "POD" |
    .annotations["io.kubernetes.cri-o.Labels"] = ({"k8s-app": "calico-node",
	"controller-revision-hash": "7b9c5d6f4", "pod-template-generation": "2",
	"io.kubernetes.pod.name": "calico-node-hx7cw",
	"io.kubernetes.pod.namespace": "kube-system"} | tojson)' \
    "$H/$CS/$CRIO/userdata/config.json" > "$H/$CS/$CRIO_SB/userdata/config.json" || exit 99
start "$V2$(slice $U_CRIO)/crio-$CRIO_SB.scope"; P_CSAND=$SPAWNED

# a pod known only from kubelet's log directories
U_LOG=$(rand_uuid); C_LOG=$(rand_hex64)
mkdir -p "$H/var/log/pods/team-a_web-7_$U_LOG/app" "$H/var/log/containers"
: > "$H/var/log/pods/team-a_web-7_$U_LOG/app/0.log"
ln -s "/var/log/pods/team-a_web-7_$U_LOG/app/0.log" "$H/var/log/containers/web-7_team-a_app-$C_LOG.log"
start "$V1/kubepods/burstable/pod$U_LOG/$C_LOG" HOSTNAME=not-this-name; P_LOG=$SPAWNED
# a hostNetwork pod: HOSTNAME is the node's, the logs give the real name
U_HN=$(rand_uuid); C_HN=$(rand_hex64)
mkdir -p "$H/var/log/pods/kube-system_hostnet-pod_$U_HN/agent"
ln -s "/var/log/pods/kube-system_hostnet-pod_$U_HN/agent/0.log" "$H/var/log/containers/hostnet-pod_kube-system_agent-$C_HN.log"
start "$V2$(slice $U_HN)/cri-containerd-$C_HN.scope" HOSTNAME=$(hostname); P_HN=$SPAWNED
# state missing, HOSTNAME present: a guess
U_G=$(rand_uuid); C_G=$(rand_hex64)
start "$V2$(slice $U_G)/cri-containerd-$C_G.scope" HOSTNAME=guess-pod-7f9c; P_G=$SPAWNED
# state missing, nothing to guess from
U_N=$(rand_uuid); C_N=$(rand_hex64)
start "$V2$(slice $U_N)/cri-containerd-$C_N.scope" -u HOSTNAME; P_N=$SPAWNED
# a malformed config.json (truncated) for an otherwise normal container
U_B=$(rand_uuid); C_B=$(rand_hex64)
mkdir -p "$H/run/containerd/io.containerd.runtime.v2.task/k8s.io/$C_B"
head -c 200 "$H/run/containerd/io.containerd.runtime.v2.task/k8s.io/$CTRD/config.json" > "$H/run/containerd/io.containerd.runtime.v2.task/k8s.io/$C_B/config.json"
start "$V2$(slice $U_B)/cri-containerd-$C_B.scope" -u HOSTNAME; P_B=$SPAWNED

wait_for 10 sh -c "grep -q cri-containerd-$C_B /proc/$P_B/cgroup" || { echo "processes did not start"; exit 99; }

J=$LIB_TMP/out.json
"$MEMTOP" -b -n 1 --json --host-root "$H" --log "$LIB_TMP/log" > "$J" 2> "$LIB_TMP/err" || fail "exit status"
check "no error output" test ! -s "$LIB_TMP/err"
q() { jq -r "$@" "$J"; }
g() { echo ".groups[] | select(.pod_uid == \"$1\")"; }
c() { echo "$(g "$1") | .containers[] | select(.id == \"$2\")"; }
has_pid() { q "$(c "$1" "$2") | .processes[].pid" | grep -qx "$3"; }

check "containerd: namespace/pod" test "$(q "$(g $U_CTRD) | \"\(.namespace)/\(.pod)\"")" = observability/alertmanager-main-1
check "containerd: container name" test "$(q "$(c $U_CTRD $CTRD) | .name")" = alertmanager
check "containerd: process in it" has_pid $U_CTRD $CTRD $P_CTRD
check "containerd: sandbox shown as such" test "$(q "$(c $U_CTRD $SANDBOX) | .sandbox")" = true
check "containerd: name source" test "$(q "$(g $U_CTRD) | .name_source")" = containerd
check "cri-o: namespace/pod" test "$(q "$(g $U_CRIO) | \"\(.namespace)/\(.pod)\"")" = kube-system/calico-node-hx7cw
check "cri-o: container name" test "$(q "$(c $U_CRIO $CRIO) | .name")" = calico-node
check "cri-o: conmon grouped with its container" has_pid $U_CRIO $CRIO $P_CONMON
check "cri-o: container process there too" has_pid $U_CRIO $CRIO $P_CRIO
check "cri-o: group cgroup is the pod's" test "$(q "$(g $U_CRIO) | .cgroup")" = "$(slice $U_CRIO)"
check "docker: pod name" test "$(q "$(g $U_DOCK) | .pod")" = kube-controller-manager-ip-10-0-101-216.eu-west-1.compute.internal
check "docker: container name" test "$(q "$(c $U_DOCK $DOCKER) | .name")" = kube-controller-manager
check "docker: sandbox process in its pod" has_pid $U_DOCK $DSANDBOX $P_DSAND
check "docker: a static pod, by its sandbox's labels (the name alone cannot tell without the node's name)" \
    test "$(q "$(g $U_DOCK) | .replicas | \"\(.workload) \(.workload_from)\"")" = "static labels"
check "cri-o: a DaemonSet, by its sandbox's labels (the name says daemonset/job)" \
    test "$(q "$(g $U_CRIO) | \"\(.workload) \(.replicas.workload) \(.replicas.workload_from)\"")" = "calico-node daemonset labels"
check "cri-o: sandbox process in its pod" has_pid $U_CRIO $CRIO_SB $P_CSAND
check "containerd: no labels on disk: the name decides" \
    test "$(q "$(g $U_CTRD) | .replicas | \"\(.workload) \(.workload_from)\"")" = "statefulset name"
check "logs: team-a/web-7" test "$(q "$(g $U_LOG) | \"\(.namespace)/\(.pod) \(.name_source)\"")" = "team-a/web-7 kubelet-logs"
check "logs: container app" test "$(q "$(c $U_LOG $C_LOG) | .name")" = app
check "hostNetwork pod: logs win over HOSTNAME" test "$(q "$(g $U_HN) | \"\(.pod) \(.name_source)\"")" = "hostnet-pod kubelet-logs"
check "missing state: HOSTNAME guess marked" test "$(q "$(g $U_G) | \"\(.pod) \(.name_source) \(.namespace)\"")" = "guess-pod-7f9c environ null"
check "missing state: container name null" test "$(q "$(c $U_G $C_G) | .name")" = null
check "missing everything: still in its pod" has_pid $U_N $C_N $P_N
check "missing everything: pod and name null" test "$(q "$(g $U_N) | \"\(.pod) \(.namespace)\"") $(q "$(c $U_N $C_N) | .name")" = "null null null"
check "malformed config.json: unnamed, still listed" has_pid $U_B $C_B $P_B
check "malformed config.json: logged" grep -q "$(echo $C_B | cut -c1-12).*not valid JSON" "$LIB_TMP/log"

# --group-by
"$MEMTOP" -b -n 1 --json --host-root "$H" --group-by namespace > "$J" || fail "group-by namespace"
check "by namespace: kube-system holds calico and kube-controller-manager" test \
    "$(q '.groups[] | select(.kind == "namespace" and .namespace == "kube-system") | [.containers[].name] | map(select(. != null)) | sort | join(",")')" = "agent,calico-node,kube-controller-manager"
"$MEMTOP" -b -n 1 --json --host-root "$H" --group-by container > "$J" || fail "group-by container"
check "by container: one group per container" test "$(q '[.groups[] | select(.kind == "container" and .containers[0].id == "'$CTRD'")] | length')" = 1
"$MEMTOP" -b -n 1 --json --host-root "$H" --group-by cgroup > "$J" || fail "group-by cgroup"
check "by cgroup: conmon in its own group" test "$(q '.groups[] | select(.cgroup == "/system.slice/crio-conmon-'$CRIO'.scope") | .containers[0].processes[0].pid')" = "$P_CONMON"

# text view: namespace/pod and container names, short id when unnamed
"$MEMTOP" -b -n 1 --host-root "$H" > "$LIB_TMP/out.txt" || fail "text"
T=$LIB_TMP/out.txt
check "text: observability/alertmanager-main-1" grep -q "observability/alertmanager-main-1" "$T"
check "text: container name with short id" grep -q "alertmanager $(echo $CTRD | cut -c1-12)" "$T"
check "text: guess marked" grep -q "guess-pod-7f9c (guess)" "$T"
check "text: unnamed container by short id" grep -q "containerd $(echo $C_N | cut -c1-12)" "$T"
finish
