#!/bin/sh
# memtop --textfile DIR for node_exporter's textfile collector: the file is
# replaced atomically each refresh, so a reader racing the writer always gets
# a whole exposition; no temporary file is left; a directory memtop cannot
# write to is refused at start (exit 1); a full filesystem removes the stale
# file and says so once, and again when writing works again.
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

# a directory memtop cannot write to: refused at start, exit 1, one line
: > "$T/regular"
refused() {
	what=$1; shift
	"$MEMTOP" --textfile "$@" -d 0.05 -n 2 > /dev/null 2> "$T/err.bad"; rc=$?
	check "$what: exit 1 ($rc)" test $rc = 1
	check "$what: one line on stderr ($(cat "$T/err.bad"))" \
	    test "$(wc -l < "$T/err.bad")" = 1 -a "$(grep -c -- --textfile "$T/err.bad")" = 1
}
refused "missing directory" "$T/missing"
check "missing directory: the message names it" grep -q "$T/missing: No such file" "$T/err.bad"
refused "a regular file" "$T/regular"
check "a regular file: says not a directory" grep -q "not a directory" "$T/err.bad"
refused "an empty name" ""
if [ "$(id -u)" = 0 ]; then
	mkdir "$T/ro"
	mount -t tmpfs -o ro,size=64k memtop-test-ro "$T/ro" && LIB_CLEANUPS="$LIB_CLEANUPS umount_ro"
	umount_ro() { umount "$T/ro"; }
	refused "a read-only filesystem" "$T/ro"
	check "read-only: says why" grep -q "Read-only file system" "$T/err.bad"
	if id nobody > /dev/null 2>&1; then
		chmod 755 "$T"; mkdir -m 755 "$T/rootonly"
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$MEMTOP" \
		    --textfile "$T/rootonly" -d 0.05 -n 2 > /dev/null 2> "$T/err.bad"; rc=$?
		check "as nobody, root's 0755 directory: exit 1 ($rc)" test $rc = 1
		check "as nobody: says Permission denied" grep -q "cannot write there: Permission denied" "$T/err.bad"
	fi

	# a full filesystem (tmpfs of 64 KiB, nearly full): the
	# stale file is removed, one message however many refreshes fail; then
	# room again: the file is back, and memtop says so, once
	mkdir "$T/full"
	mount -t tmpfs -o size=64k memtop-test-full "$T/full" || exit 99
	umount_full() { umount "$T/full"; }
	LIB_CLEANUPS="$LIB_CLEANUPS umount_full"
	# an exposition can be smaller than 64 KiB on a quiet machine: leave
	# about 4 KiB
	head -c 61440 /dev/zero > "$T/full/filler"
	echo "memtop_stale 1" > "$T/full/memtop.prom"
	"$MEMTOP" --textfile "$T/full" -d 0.05 -n 30 2> "$T/err.full"; rc=$?
	check "full: 30 refreshes, exit 0 ($rc)" test $rc = 0
	check "full: the stale file is removed" test ! -e "$T/full/memtop.prom"
	check "full: one message in 30 refreshes ($(cat "$T/err.full"))" test "$(wc -l < "$T/err.full")" = 1
	check "full: it says ENOSPC and that the file was removed" grep -q "No space left on device: removed it" "$T/err.full"
	check "full: no temporary file left" test "$(ls -A "$T/full")" = filler
	"$MEMTOP" --textfile "$T/full" -d 0.05 2> "$T/err.full" & MF=$!; register_pid $MF
	check "full again: says so" wait_for 20 grep -q "No space left on device" "$T/err.full"
	rm "$T/full/filler"
	mount -o remount,size=64m "$T/full"
	check "room again: memtop.prom is back" wait_for 20 test -s "$T/full/memtop.prom"
	check "room again: a whole exposition" wait_for 5 sh -c "promtool check metrics < $T/full/memtop.prom"
	check "room again: said once" wait_for 5 grep -q "memtop.prom written again" "$T/err.full"
	check "room again: two lines on stderr in all" test "$(wc -l < "$T/err.full")" = 2
	check "room again: still running" kill -0 $MF
	kill $MF
fi
finish
