#!/bin/sh
# The libraries memtop opens only when a feature needs them (SQLite for a
# store, libcurl for --prometheus, libmicrohttpd and zlib for --serve,
# libproc2 for the node's memory, wslay and nettle for a GC of a Node
# process) are not linked; and with SQLite unloadable (bind-mounted
# over by an empty file, in a mount namespace of this test's own) every
# command that wanted a store says why once and does the rest: -b prints its
# document, the exporter writes its textfile, `record` alone exits 1, and
# `record --store-reset` neither removes nor locks the store it cannot open.
# With libproc2 unloadable, -b and the exporter say once that the node's
# memory is unknown, and it is null. With zlib unloadable, --serve answers
# uncompressed and says so once; with wslay unloadable, `memtop gc` of a
# Node process refuses before it sends anything (no SIGUSR1, no inspector).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
T=$LIB_TMP
command -v unshare > /dev/null || { echo "SKIP: no unshare"; exit 77; }

linked=$(ldd "$MEMTOP" 2>&1)
# (a failing ldd would make every "not linked" below true)
printf '%s\n' "$linked" | grep -q 'libc\.so' || { fail "ldd $MEMTOP: $linked"; finish; }
for l in libsqlite3 libcurl libmicrohttpd libproc2 libnettle libwslay libz; do
	check "$l is not linked (opened when used)" sh -c "! printf '%s\n' \"\$1\" | grep -q '$l'" - "$linked"
done

# a store recorded with SQLite there
"$MEMTOP" record -n 2 -d 0.2 --store "$T/h.db" 2> "$T/rec.err" || fail "record exit status"
check "a store was recorded" test -s "$T/h.db"

# every copy the loader could find, hidden
sos=$(ldconfig -p | awk '/libsqlite3\.so\.0 / { print $NF }' | while read -r f; do readlink -f "$f"; done | sort -u)
[ -n "$sos" ] || { fail "libsqlite3.so.0 not found"; finish; }
unshare -m --propagation private true 2> /dev/null ||
    { echo "SKIP: no mount namespace (unshare -m)"; exit 77; }
mkdir "$T/tf"
{
	for f in $sos; do echo "mount --bind /dev/null '$f' || exit 98"; done
	cat <<SH
"$MEMTOP" -b -n 1 --json --store "$T/h.db" > "$T/b.json" 2> "$T/b.err"; echo \$? > "$T/b.rc"
"$MEMTOP" record -n 1 --store "$T/h2.db" 2> "$T/r.err"; echo \$? > "$T/r.rc"
"$MEMTOP" --textfile "$T/tf" -n 1 --record --store "$T/h3.db" 2> "$T/x.err"; echo \$? > "$T/x.rc"
"$MEMTOP" record -n 1 --store "$T/h.db" --store-reset 2> "$T/z.err"; echo \$? > "$T/z.rc"
SH
} > "$T/run.sh"
unshare -m --propagation private sh "$T/run.sh"
rc=$?
check "the mount namespace ran (exit $rc)" test $rc = 0
# says_once FILE: one line, naming SQLite and the loader's cause
cat > "$T/says_once" <<'SH'
#!/bin/sh
test "$(grep -c 'the history store needs SQLite' "$1")" = 1 &&
    grep -q 'libsqlite3.so.0' "$1"
SH
chmod +x "$T/says_once"
PATH=$T:$PATH; export PATH
check "-b: exit 0" test "$(cat "$T/b.rc")" = 0
check "-b: the document is printed" sh -c "jq -e '.groups | length > 0' '$T/b.json' > /dev/null"
check "-b: says once why there is no history" says_once "$T/b.err"
check "record: exit 1" test "$(cat "$T/r.rc")" = 1
check "record: says why once" says_once "$T/r.err"
check "record: no store, no lock file made" sh -c "test ! -e '$T/h2.db' && test ! -e '$T/h2.db.lock'"
check "exporter: exit 0" test "$(cat "$T/x.rc")" = 0
check "exporter: the textfile is written" grep -q '^memtop_' "$T/tf/memtop.prom"
check "exporter: says once it exports without recording" sh -c "says_once '$T/x.err' && grep -q 'exporting without recording' '$T/x.err'"
check "record --store-reset: exit 1, saying why" sh -c "test \"\$(cat '$T/z.rc')\" = 1 && says_once '$T/z.err'"
# libproc2 hidden: the node's memory is unknown (null), said once on stderr
# by -b and by the exporter, which both do the rest
p2s=$(ldconfig -p | awk '/libproc2\.so\.0 / { print $NF }' | while read -r f; do readlink -f "$f"; done | sort -u)
if [ -n "$p2s" ]; then
	mkdir "$T/tf2"
	{
		for f in $p2s; do echo "mount --bind /dev/null '$f' || exit 98"; done
		cat <<SH
"$MEMTOP" -b -n 2 -d 0.2 --json --store none > "$T/p.json" 2> "$T/p.err"; echo \$? > "$T/p.rc"
"$MEMTOP" --textfile "$T/tf2" -n 1 --store none 2> "$T/q.err"; echo \$? > "$T/q.rc"
SH
	} > "$T/run2.sh"
	unshare -m --propagation private sh "$T/run2.sh"
	check "libproc2 hidden: -b exits 0 with two documents" sh -c "test \"\$(cat '$T/p.rc')\" = 0 && test \"\$(jq -c .groups '$T/p.json' | wc -l)\" = 2"
	check "libproc2 hidden: the node's memory is null, not 0" sh -c "test \"\$(jq -r '[.mem_total, .mem_available] | map(tostring) | join(\" \")' '$T/p.json' | sort -u)\" = 'null null'"
	check "libproc2 hidden: -b says why once" sh -c "test \"\$(grep -c \"the node's memory is unknown: .*libproc2\" '$T/p.err')\" = 1"
	check "libproc2 hidden: the exporter writes its textfile and says why once" sh -c "test \"\$(cat '$T/q.rc')\" = 0 && grep -q '^memtop_' '$T/tf2/memtop.prom' && test \"\$(grep -c \"the node's memory is unknown: .*libproc2\" '$T/q.err')\" = 1"
else
	fail "libproc2.so.0 not found"
fi

# hidden: every copy the loader could find of soname $1
hidden() {
	ldconfig -p | awk -v l="$1" '$1 == l { print $NF }' | while read -r f; do readlink -f "$f"; done | sort -u
}

# zlib hidden: --serve answers every scrape uncompressed, and says so once
# (curl, which links zlib, scrapes from outside the namespace)
zs=$(hidden libz.so.1)
if [ -n "$zs" ]; then
	{
		for f in $zs; do echo "mount --bind /dev/null '$f' || exit 98"; done
		echo "exec '$MEMTOP' --serve 127.0.0.1:0 -d 1 --store none"
	} > "$T/run3.sh"
	unshare -m --propagation private sh "$T/run3.sh" 2> "$T/s.err" &
	SPID=$!; LIB_PIDS="$LIB_PIDS $SPID"
	wait_for 20 grep -q 'serving http://' "$T/s.err"
	url=$(sed -n 's|.*serving \(http://[^ ]*\).*|\1|p' "$T/s.err")
	check "zlib hidden: --serve listens, saying once it answers without gzip" sh -c "test -n '$url' && test \"\$(grep -c 'answered without gzip: .*libz' '$T/s.err')\" = 1"
	wait_for 20 sh -c "curl -s -H 'Accept-Encoding: gzip' -D '$T/s.hdr' -o '$T/s.txt' '$url' && grep -q '^memtop_' '$T/s.txt'"
	check "zlib hidden: a scrape asking for gzip gets the exposition, uncompressed" sh -c "grep -q '^memtop_' '$T/s.txt' && ! grep -qi '^content-encoding: *gzip' '$T/s.hdr'"
	kill $SPID 2> /dev/null
	wait $SPID 2> /dev/null
else
	fail "libz.so.1 not found"
fi

# wslay hidden: a GC of a Node process is refused before anything is sent
ws=$(hidden libwslay.so.1)
if command -v node > /dev/null && unshare -n true 2> /dev/null && [ -n "$ws" ]; then
	node_ns gcn --no-memory-reducer "$TOP_SRCDIR/tests/node/garbage.js"; N=$SPAWNED
	wait_for 90 grep -q ready "$T/gcn.out" || { echo "node did not start"; cat "$T/gcn.out"; exit 99; }
	{
		for f in $ws; do echo "mount --bind /dev/null '$f' || exit 98"; done
		echo "'$MEMTOP' gc $N --json --yes > '$T/g.json' 2> '$T/g.err'; echo \$? > '$T/g.rc'"
	} > "$T/run4.sh"
	unshare -m --propagation private sh "$T/run4.sh"
	check "wslay hidden: gc exits non-zero" sh -c "test \"\$(cat '$T/g.rc')\" != 0"
	check "wslay hidden: gc says it needs libwslay and that nothing was sent" sh -c "jq -r .error '$T/g.json' | grep -q 'needs libwslay and libnettle.*libwslay.*nothing was sent'"
	check "wslay hidden: no SIGUSR1 was sent" test "$(jq -r .signalled "$T/g.json")" = false
	check "wslay hidden: node opened no inspector" sh -c "! grep -q 'Debugger listening' '$T/gcn.out'"
	check "wslay hidden: nothing listens in its namespace" test "$(awk 'NR > 1 && $4 == "0A"' /proc/$N/net/tcp /proc/$N/net/tcp6 | wc -l)" -eq 0
	check "wslay hidden: node still runs" kill -0 $N
else
	echo "(no node, no network namespace or no libwslay.so.1: the GC part is not run)"
fi

# outside the namespace, the library is back: the store reads (and was not
# reset by the record above, which could not open it)
"$MEMTOP" -b -n 1 --json --store "$T/h.db" > "$T/b2.json" 2> "$T/b2.err"
rc=$?
check "with SQLite: -b reads the store, exit 0 ($rc), without a word" sh -c "test $rc = 0 && test ! -s '$T/b2.err'"
check "with SQLite: -b printed its document" sh -c "jq -e '.groups | length > 0' '$T/b2.json' > /dev/null"
check "the store survived the failed --store-reset" sh -c "test \"\$(sqlite3 '$T/h.db' 'SELECT count(*) FROM sample')\" -gt 0"
finish
