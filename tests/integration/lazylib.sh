#!/bin/sh
# The libraries memtop opens only when a feature needs them (SQLite for a
# store, libcurl for --prometheus, libmicrohttpd for --serve, libproc2 for
# the node's memory) are not linked; and with SQLite unloadable (bind-mounted
# over by an empty file, in a mount namespace of this test's own) every
# command that wanted a store says why once and does the rest: -b prints its
# document, the exporter writes its textfile, `record` alone exits 1.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
T=$LIB_TMP
command -v unshare > /dev/null || { echo "SKIP: no unshare"; exit 77; }

linked=$(ldd "$MEMTOP" 2>&1)
for l in libsqlite3 libcurl libmicrohttpd libproc2; do
	check "$l is not linked (opened when used)" sh -c "! printf '%s\n' \"\$1\" | grep -q '$l'" - "$linked"
done

# a store recorded with SQLite there
"$MEMTOP" record -n 2 -d 0.2 --store "$T/h.db" 2> "$T/rec.err" || fail "record exit status"
check "a store was recorded" test -s "$T/h.db"

so=$(ldconfig -p | awk '/libsqlite3\.so\.0 .*x86-64/ { print $NF; exit }')
[ -n "$so" ] || so=$(ldconfig -p | awk '/libsqlite3\.so\.0 / { print $NF; exit }')
[ -n "$so" ] && so=$(readlink -f "$so")
[ -f "$so" ] || { fail "libsqlite3.so.0 not found"; finish; }
mkdir "$T/tf"
cat > "$T/run.sh" <<SH
mount --bind /dev/null "$so" || exit 98
"$MEMTOP" -b -n 1 --json --store "$T/h.db" > "$T/b.json" 2> "$T/b.err"; echo \$? > "$T/b.rc"
"$MEMTOP" record -n 1 --store "$T/h2.db" 2> "$T/r.err"; echo \$? > "$T/r.rc"
"$MEMTOP" --textfile "$T/tf" -n 1 --record --store "$T/h3.db" 2> "$T/x.err"; echo \$? > "$T/x.rc"
SH
unshare -m --propagation private sh "$T/run.sh"
rc=$?
check "the mount namespace ran (exit $rc)" test $rc = 0
says_once() {	# FILE: one line, naming SQLite and the loader's cause
	test "$(grep -c 'the history store needs SQLite' "$1")" = 1 &&
	    grep -q 'libsqlite3.so.0' "$1"
}
check "-b: exit 0" test "$(cat "$T/b.rc")" = 0
check "-b: the document is printed" sh -c "jq -e '.groups | length > 0' '$T/b.json' > /dev/null"
check "-b: says once why there is no history" says_once "$T/b.err"
check "record: exit 1" test "$(cat "$T/r.rc")" = 1
check "record: says why once" says_once "$T/r.err"
check "record: no store made" test ! -e "$T/h2.db"
check "exporter: exit 0" test "$(cat "$T/x.rc")" = 0
check "exporter: the textfile is written" grep -q '^memtop_' "$T/tf/memtop.prom"
check "exporter: says once it exports without recording" sh -c "says_once() { test \"\$(grep -c 'the history store needs SQLite' \"\$1\")\" = 1; }; says_once '$T/x.err' && grep -q 'exporting without recording' '$T/x.err'"
# outside the namespace, the library is back: the store reads
"$MEMTOP" -b -n 1 --json --store "$T/h.db" > "$T/b2.json" 2> "$T/b2.err"
check "with SQLite: -b reads the store without a word" test ! -s "$T/b2.err"
finish
