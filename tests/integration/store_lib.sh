# Sourced by the history store's tests (store_restart.sh, store_at.sh):
# tests/lib.sh, root, the v1 memory controller, sqlite3 and jq; a store in
# the test's temp directory, a fake host root for kubelet's log links, and
# queries on the store.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
need_v1
command -v sqlite3 > /dev/null || { echo "ERROR: no sqlite3 (scripts/setup.sh --test installs it)"; exit 99; }
command -v jq > /dev/null || { echo "ERROR: no jq"; exit 99; }
T=$LIB_TMP
DB=$T/history.db
MiB=1048576
H=$T/host

q() { sqlite3 -batch "$DB" "$@" 2>/dev/null; }
# the newest recorded RssAnon of an entity, in MiB
anon_of() {
	q "SELECT s.rss_anon / $MiB FROM sample s JOIN entity e ON e.id = s.entity WHERE e.ident = '$1' ORDER BY s.t DESC LIMIT 1"
}
anon_ge() { v=$(anon_of "$1"); [ "${v:-0}" -ge "$2" ]; }

# restart_container NS POD UID PID OLD-ID NEW-ID: the kubelet restarting
# container "app": its process (PID) killed, its cgroup emptied and removed, its
# log link gone; the new container's log link (kubelet's 1.log) and cgroup
# (the caller starts its process)
restart_container() {
	kill -9 "$4"; wait "$4" 2>/dev/null
	wait_for 10 sh -c "[ ! -s '$V1/kubepods/burstable/pod$3/$5/cgroup.procs' ]"
	rmdir "$V1/kubepods/burstable/pod$3/$5"
	rm "$H/var/log/containers/$2_$1_app-$5.log"
	kubelet_logs "$H" "$1" "$2" "$3" app "$6" 1
	mkcg "$V1/kubepods/burstable/pod$3/$6" || exit 99
}
