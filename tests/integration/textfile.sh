#!/bin/sh
# memtop --textfile DIR for node_exporter's textfile collector: the file is
# replaced atomically each refresh, so a reader racing the writer always gets
# a whole exposition; no temporary file is left; a directory that cannot be
# written is a warning, and memtop goes on.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
lib_init
T=$LIB_TMP
command -v promtool > /dev/null || { echo "ERROR: no promtool (scripts/setup.sh --test installs it)"; exit 99; }
mkdir "$T/tf"
F=$T/tf/memtop.prom

"$MEMTOP" --textfile "$T/tf" -d 0.05 -n 200 --log "$T/log" 2> "$T/err" & MT=$!
register_pid $MT
wait_for 20 test -s "$F" || { echo "no textfile"; cat "$T/err"; exit 99; }
types=$(grep -c '^# TYPE ' "$F")
# read as fast as we can while memtop rewrites the file 20 times a second
reads=0; partial=0; stamps=""
while [ -d /proc/$MT ]; do
	cp "$F" "$T/snap" 2>/dev/null || continue
	reads=$((reads + 1))
	last=$(tail -n 1 "$T/snap")
	case $last in
	memtop_last_refresh_timestamp_seconds\ *) ;;
	*) partial=$((partial + 1)); cp "$T/snap" "$T/partial.$partial" ;;
	esac
	[ "$(grep -c '^# TYPE ' "$T/snap")" = "$types" ] || partial=$((partial + 1))
	stamps="$stamps ${last#* }"
done
wait $MT; rc=$?
distinct=$(printf '%s\n' $stamps | sort -u | wc -l)
echo "$reads reads of $distinct different refreshes, $partial partial"
check "memtop --textfile -n 200 exits 0" test $rc = 0
check "no error output" test ! -s "$T/err"
check "the reader kept up (>= 50 reads)" test $reads -ge 50
check "the reads saw >= 20 different refreshes" test "$distinct" -ge 20
check "never a partial file" test $partial = 0
check "the final file passes promtool check metrics" sh -c "promtool check metrics < $F"
check "no temporary file left" test "$(ls -A "$T/tf")" = memtop.prom
check "file mode 0644 (node_exporter may run as another user)" test "$(stat -c %a "$F")" = 644
check "200 refreshes counted" grep -q '^memtop_refreshes_total 200$' "$F"
check "container series present" grep -q '^memtop_container_rss_bytes{' "$F"

# a directory that does not exist: warn (once per refresh), keep refreshing
"$MEMTOP" --textfile "$T/missing" -d 0.05 -n 3 --log "$T/log2" 2> "$T/err2"; rc=$?
check "missing directory: still exits 0 after 3 refreshes" test $rc = 0
check "missing directory: the warning names it" grep -q "$T/missing" "$T/log2"
check "missing directory: 3 warnings" test "$(grep -c 'textfile' "$T/log2")" = 3
finish
