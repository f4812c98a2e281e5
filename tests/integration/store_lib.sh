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
