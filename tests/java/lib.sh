# Helpers for the JVM tests; source after tests/lib.sh and lib_init.
command -v java > /dev/null && command -v javac > /dev/null ||
    { echo "SKIP: no java/javac (openjdk-17-jdk-headless)"; exit 77; }
unshare --pid --net --fork --kill-child --mount-proc true 2> /dev/null ||
    { echo "SKIP: unshare --pid --net --mount-proc does not work"; exit 77; }

# The JVMs' cwds and class files: outside /tmp, which each JVM gets a
# tmpfs of its own over (java looks its class path up by absolute path).
JDIR=$(mktemp -d /var/tmp/memtop-jvm.XXXXXX) || exit 99
LIB_CLEANUPS="$LIB_CLEANUPS jvm_cleanup"
jvm_cleanup() { rm -rf "$JDIR"; }
# The test subject, compiled now (javac takes a few seconds): no build step,
# and the class file can never be older than its source.
javac -d "$JDIR/classes" "$TOP_SRCDIR/tests/java/Garbage.java" ||
    { echo "javac failed"; exit 99; }

# jvm_ns NAME [PREFIX...] -- JAVA_ARGS...: java (as PREFIX says, e.g.
# setpriv to run it as nobody) as PID 1 of its own PID, network and mount
# namespaces, with its own /tmp (a tmpfs, as a container's) and cwd
# $JDIR/NAME.cwd (holding Garbage.class), in a fresh kubelet-shaped pod
# cgroup (v1 memory), or in $JVM_CG when set. Its host pid is left in $JPID once it runs, its
# stdout in $LIB_TMP/NAME.out.
jvm_ns() {
	name=$1; shift
	prefix=""
	while [ "$1" != "--" ]; do prefix="$prefix $1"; shift; done
	shift
	cg=${JVM_CG:-/sys/fs/cgroup/memory/kubepods/burstable/pod$(rand_uuid)/$(rand_hex64)}
	mkcg "$cg" || exit 99
	mkdir -p "$JDIR/$name.cwd"
	cp "$JDIR/classes/Garbage.class" "$JDIR/$name.cwd/"
	chmod 755 "$JDIR" "$JDIR/$name.cwd"
	spawn_in "$LIB_TMP/$name.out" "$cg/cgroup.procs" -- \
	    unshare --pid --net --mount --fork --kill-child --mount-proc \
	    sh -c 'cd "$0" && ip link set lo up &&
	        mount -t tmpfs -o mode=1777 tmpfs /tmp && exec "$@"' \
	    "$JDIR/$name.cwd" $prefix java -cp . "$@"
	# one child of unshare (a CI run once got two pids here, cause not
	# found: say so rather than use both)
	wait_for 30 sh -c "[ \$(pgrep -P $SPAWNED | wc -l) -eq 1 ]" ||
	    { echo "$name: not one java under unshare: $(pgrep -aP $SPAWNED)"; exit 99; }
	JPID=$(pgrep -P $SPAWNED)
	register_pid "$JPID"
}

# jvm_ready NAME: waits (generously: a JVM starts in seconds, slower on a
# loaded machine) for its "ready"
jvm_ready() {
	wait_for 120 grep -q ready "$LIB_TMP/$1.out" ||
	    { echo "$1 did not start"; cat "$LIB_TMP/$1.out"; exit 99; }
}

# sigcgt_has PID SIGNAL: whether the process catches the signal
sigcgt_has() {
	v=$(awk '/^SigCgt/ { print $2 }' "/proc/$1/status")
	[ -n "$v" ] && [ $(( (0x$v >> ($2 - 1)) & 1 )) -eq 1 ]
}
