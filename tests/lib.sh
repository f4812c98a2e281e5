# Shared helpers for memtop's shell tests. Source it; then call lib_init.
# Everything a test creates is registered and removed by the EXIT trap, also
# when the test fails.

: "${MEMTOP:=$PWD/memtop}"
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOP_BUILDDIR:=$(dirname "$MEMTOP")}"
HELPERS=$TOP_BUILDDIR/tests/helpers

LIB_PIDS=""
LIB_CGROUPS=""
LIB_CLEANUPS=""
LIB_FAILED=0

lib_cleanup() {
	for p in $LIB_PIDS; do kill -9 "$p" 2>/dev/null; done
	for p in $LIB_PIDS; do
		# wait for the kernel to release it so its cgroup can go
		i=0
		while [ -d "/proc/$p" ] && [ $i -lt 100 ]; do
			sleep 0.05; i=$((i + 1))
		done
	done
	for c in $LIB_CLEANUPS; do eval "$c"; done
	# what is still in a cgroup the test made (a spawned process's child,
	# like node's execSync sleep, is not in LIB_PIDS) keeps it from going
	for d in $LIB_CGROUPS; do
		[ -f "$d/cgroup.procs" ] || continue
		for p in $(cat "$d/cgroup.procs" 2>/dev/null); do
			kill -9 "$p" 2>/dev/null
		done
	done
	for d in $LIB_CGROUPS; do
		i=0
		# (cgroupfs files say size 0: read it)
		while [ -n "$(cat "$d/cgroup.procs" 2>/dev/null)" ] &&
		    [ $i -lt 100 ]; do
			sleep 0.05; i=$((i + 1))	# bounded: 5 s
		done
	done
	# deepest first: they were registered parent before child
	for d in $(printf '%s\n' $LIB_CGROUPS | awk '{ print length, $0 }' |
	    sort -rn | cut -d' ' -f2-); do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	kubepods_last_out
	[ -n "$LIB_TMP" ] && rm -rf "$LIB_TMP"
}

lib_init() {
	LIB_TMP=$(mktemp -d /tmp/memtop-test.XXXXXX)
	trap 'rc=$?; lib_cleanup; exit $rc' EXIT
	trap 'exit 99' INT TERM
}

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: needs root"; exit 77
	fi
}

# need_v1: the v1 memory controller, in $V1 (kubelet's cgroupfs layout is
# made under it)
need_v1() {
	V1=/sys/fs/cgroup/memory
	[ -f $V1/memory.usage_in_bytes ] ||
	    { echo "SKIP: no v1 memory controller"; exit 77; }
}

fail() {
	echo "FAIL: $*"
	LIB_FAILED=1
}

ok() {
	echo "ok: $*"
}

# check DESCRIPTION COMMAND...: runs the command, records a failure if false
check() {
	desc=$1; shift
	if "$@"; then ok "$desc"; else fail "$desc"; return 1; fi
}

finish() {
	if [ $LIB_FAILED -ne 0 ]; then exit 1; fi
	exit 0
}

# mkcg DIR: creates a cgroup directory and all its parents, registering each
mkcg() {
	d=$1
	parts=""
	while [ ! -d "$d" ]; do
		parts="$d $parts"
		d=$(dirname "$d")
	done
	for p in $parts; do
		mkdir "$p" || return 1
		LIB_CGROUPS="$LIB_CGROUPS $p"
		case $p in */kubepods) : > "$KUBEPODS_MARK" ;; esac
	done
}

# The kubelet parents (kubepods, kubepods/burstable) are shared by tests
# running in parallel: the one that made them may end while another still
# has a pod under them, and its rmdir fails. A mark says tests made them;
# every test's cleanup then removes them once they are empty, and the mark
# with them (bench/soak.sh does the same).
KUBEPODS_MARK=/tmp/memtop-tests-made-kubepods
kubepods_last_out() {
	[ -f "$KUBEPODS_MARK" ] || return 0
	rmdir /sys/fs/cgroup/memory/kubepods/burstable \
	    /sys/fs/cgroup/memory/kubepods 2>/dev/null
	[ -d /sys/fs/cgroup/memory/kubepods ] || rm -f "$KUBEPODS_MARK"
}

# wait_for TIMEOUT_SECONDS COMMAND...: polls until the command succeeds
wait_for() {
	t=$1; shift
	end=$(( $(date +%s) + t ))
	while ! "$@" 2>/dev/null; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.05	# poll interval; the deadline above bounds it
	done
	return 0
}

# spawn_in OUTFILE CGROUP_PROCS_FILES... -- COMMAND...: starts COMMAND after
# moving itself into each cgroup (so its memory is charged there); its pid is
# left in $SPAWNED (not printed: a $(...) subshell would lose the cleanup
# registration). The command's stdout goes to OUTFILE.
spawn_in() {
	out=$1; shift
	procs=""
	while [ "$1" != "--" ]; do procs="$procs $1"; shift; done
	shift
	sh -c 'for f in $0; do echo $$ > "$f" || exit 1; done; exec "$@"' \
	    "$procs" "$@" > "$out" 2>&1 &
	SPAWNED=$!
	LIB_PIDS="$LIB_PIDS $SPAWNED"
}

register_pid() {
	LIB_PIDS="$LIB_PIDS $1"
}

# rollup_kib PID FIELD: the kernel's own smaps_rollup figure, in KiB
rollup_kib() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/smaps_rollup"
}

# within A B PERCENT: |A - B| <= PERCENT % of B
within() {
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN {
		d = a - b; if (d < 0) d = -d; exit !(b > 0 && d * 100 <= p * b) }'
}

rand_hex64() {
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

rand_uuid() {
	cat /proc/sys/kernel/random/uuid
}

# tui_init: a private tmux server ($TM) removed at exit, a UTF-8 locale, no
# memtoprc, and screen/screen_has/screen_lacks on session "mt".
tui_init() {
	command -v tmux > /dev/null || { echo "SKIP: no tmux"; exit 77; }
	TM="tmux -L memtop$$ -f /dev/null"
	LIB_CLEANUPS="$LIB_CLEANUPS tui_cleanup"
	export LANG=C.UTF-8 LC_ALL=C.UTF-8
	# no memtoprc: the dashboard starts with its defaults, whatever W
	# wrote on this machine (tests/tui/memtoprc.sh unsets it)
	export MEMTOPRC=
}
tui_cleanup() { $TM kill-server 2>/dev/null; }
# tui_session W H COMMAND: a fresh server (the old one gone first) running
# COMMAND in session "mt" of W x H
tui_session() {
	$TM kill-server 2>/dev/null
	wait_for 5 sh -c "! $(echo "$TM") has-session 2>/dev/null"
	i=0
	until $TM new-session -d -s mt -x "$1" -y "$2" "$3" 2>/dev/null; do
		i=$((i + 1)); [ $i -ge 20 ] && return 1
		sleep 0.1	# retry bounded by the count above
	done
}
screen() { $TM capture-pane -p -t mt; }
# tui_select_pid PID: after a pid filter, End, then up until line 3 (the
# selected row in full) is PID's: the filter also matches exited rows
# whose pids hold the same digits
tui_select_pid() {
	$TM send-keys -t mt End
	for i in 1 2 3 4 5 6 7 8; do
		wait_for 2 sh -c "$(echo "$TM") capture-pane -p -t mt | sed -n 3p | grep -q '^$1 '" && return 0
		$TM send-keys -t mt Up
	done
	return 1
}
screen_has() { screen | grep -q -- "$1"; }
screen_lacks() { ! screen | grep -q -- "$1"; }

# node_ns NAME [node args...]: node in a new network namespace (lo up) and in
# a fresh kubelet-shaped pod cgroup (v1 memory), like a container; its pid is
# left in $SPAWNED, its stdout in $LIB_TMP/NAME.out.
node_ns() {
	name=$1; shift
	cg=/sys/fs/cgroup/memory/kubepods/burstable/pod$(rand_uuid)/$(rand_hex64)
	mkcg "$cg" || exit 99
	spawn_in "$LIB_TMP/$name.out" "$cg/cgroup.procs" -- unshare -n sh -c \
	    'ip link set lo up && exec node "$@"' sh "$@"
}

# free_port: a TCP port on 127.0.0.1 nobody listens on now (20000-39999)
free_port() {
	for try in 1 2 3 4 5 6 7 8; do
		cand=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000 ))
		ss -ltn | grep -q ":$cand " || { echo "$cand"; return 0; }
	done
	return 1
}

# kubelet_logs HOSTROOT NAMESPACE POD UID CONTAINER CONTAINER-ID [RESTART]:
# the pod's log directory and the container's log link under HOSTROOT, as
# kubelet makes them (they name the pod and container)
kubelet_logs() {
	mkdir -p "$1/var/log/pods/$2_$3_$4/$5" "$1/var/log/containers"
	ln -s "/var/log/pods/$2_$3_$4/$5/${7:-0}.log" \
	    "$1/var/log/containers/$3_$2_$5-$6.log"
}

# kubelet_pod HOSTROOT NAMESPACE POD CONTAINER MIB: a kubelet-shaped pod
# (kubelet log directories under HOSTROOT name it; a v1 memory cgroup)
# running alloc_anon MIB; its pid in $SPAWNED, once it is ready
kubelet_pod() {
	_uid=$(rand_uuid); _cid=$(rand_hex64)
	_cg=/sys/fs/cgroup/memory/kubepods/burstable/pod$_uid/$_cid
	kubelet_logs "$1" "$2" "$3" "$_uid" "$4" "$_cid"
	mkcg "$_cg" || exit 99
	spawn_in "$LIB_TMP/pod-$3" "$_cg/cgroup.procs" -- "$HELPERS/alloc_anon" "$5"
	wait_for 120 grep -q ready "$LIB_TMP/pod-$3" ||
	    { echo "pod $3 did not start"; exit 99; }
}

# prom_serve TSDB_DIR: a real Prometheus (Debian's) on that data directory,
# listening on 127.0.0.1:$PROM_PORT (picked if unset), pid $PROM_PID
# (killed at exit); waits until it answers a query
prom_serve() {
	[ -n "$PROM_PORT" ] || PROM_PORT=$(free_port) || exit 99
	printf 'global:\n  scrape_interval: 1h\n' > "$LIB_TMP/prom.yml"
	prometheus --config.file="$LIB_TMP/prom.yml" --storage.tsdb.path="$1" \
	    --storage.tsdb.retention.time=30d --log.level=warn \
	    --web.listen-address=127.0.0.1:$PROM_PORT >> "$LIB_TMP/prom.log" 2>&1 &
	PROM_PID=$!
	register_pid $PROM_PID
	wait_for 90 prom_answers || { tail -5 "$LIB_TMP/prom.log"; return 1; }
}
prom_answers() {
	curl -sf --max-time 2 --data-urlencode 'query=vector(1)' \
	    "http://127.0.0.1:$PROM_PORT/api/v1/query" | grep -q success
}
# prom_stop: stops prom_serve's server and waits until it is gone
prom_stop() {
	kill "$PROM_PID" 2>/dev/null
	wait_for 60 sh -c "! kill -0 $PROM_PID"
}

# prom_cluster NODE [HOURS]: the cluster of tests/helpers/prom_history.py
# (StatefulSet shop/store-0..59, 20 replicas on NODE and on two other nodes,
# store-3 the sick one; HOURS of history, default 6) in a real Prometheus
# (prom_serve); this node is NODE in the host root $H; the median of
# store-3's other replicas is in $PROM_MED. Skips without the tools or a v1
# memory controller (the pods are v1 cgroups).
prom_cluster() {
	for c in prometheus promtool python3 curl jq; do
		command -v $c > /dev/null || { echo "SKIP: no $c"; exit 77; }
	done
	[ -f /sys/fs/cgroup/memory/memory.usage_in_bytes ] ||
	    { echo "SKIP: no v1 memory controller"; exit 77; }
	H=$LIB_TMP/host
	mkdir -p "$H/etc"
	echo "$1" > "$H/etc/hostname"
	python3 "$TOP_SRCDIR/tests/helpers/prom_history.py" "$(date +%s)" \
	    shop store "$1,$1-b,$1-c" 20 3 "${2:-6}" > "$LIB_TMP/om.txt" \
	    2> "$LIB_TMP/gen.txt" || exit 99
	PROM_MED=$(awk '$1 == "median_others" { print $3 }' "$LIB_TMP/gen.txt")
	promtool tsdb create-blocks-from openmetrics "$LIB_TMP/om.txt" \
	    "$LIB_TMP/tsdb" > "$LIB_TMP/promtool.out" 2>&1 ||
	    { cat "$LIB_TMP/promtool.out"; exit 99; }
	prom_serve "$LIB_TMP/tsdb" || exit 99
}
