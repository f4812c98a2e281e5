#!/bin/sh
# memtop maps / diff on live processes: a helper with a known layout (run
# under the name "node"), the same helper under its own name, and a real Node
# process that made garbage. The histogram from maps must agree with smaps.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
lib_init
T=$LIB_TMP
J=$T/out.json

cp "$HELPERS/maps_layout" "$T/node"
cp "$HELPERS/maps_layout" "$T/layout"
"$T/node" 600 20 5 4 > "$T/n.out" & PN=$!; register_pid $PN
"$T/layout" 600 20 5 4 > "$T/l.out" & PL=$!; register_pid $PL
wait_for 20 grep -q ready "$T/n.out" || exit 99
wait_for 20 grep -q ready "$T/l.out" || exit 99

"$MEMTOP" maps $PN --json > "$J" 2> "$T/err" || fail "maps exit status"
q() { jq -r "$@" "$J"; }
cl() { q "[.clusters[] | select(.size == $1) | .count][0]"; }
check "no error output" test ! -s "$T/err"
check "mapping count = lines of /proc/PID/maps" test "$(q .mappings)" = "$(wc -l < /proc/$PN/maps)"
check "600 x 256 KiB cluster" test "$(cl 262144)" = 600
check "5 x 8 MiB maps + 4 thread stacks = 9 x 8 MiB" test "$(cl 8388608)" = 9
check ">= 20 x 4 KiB" test "$(cl 4096)" -ge 20
check "256 KiB bin holds the 600" test "$(q '.bins[] | select(.min == 262144) | .count')" -ge 600
check "coarse 64K-1M holds the 600" test "$(q '.coarse_bins[1].count')" -ge 600
check "bins add up to anon_mappings" test "$(q '[.bins[].count] | add')" = "$(q .anon_mappings)"
check "v8-pages finding: 600 pages" test "$(q '.findings[] | select(.rule == "v8-pages") | .count')" = 600
check "glibc-arenas finding: >= 2 arenas" test "$(q '.findings[] | select(.rule == "glibc-arenas") | .count')" -ge 2
check "thread-stacks finding: 4" test "$(q '.findings[] | select(.rule == "thread-stacks") | .count')" = 4
check "findings have text" test "$(q '[.findings[].text | length > 10] | all')" = true

# the same layout in a process that is not Node: no V8 finding
"$MEMTOP" maps $PL --json > "$J" || fail "maps (layout) exit status"
check "not Node: no v8-pages" test "$(q '[.findings[] | select(.rule == "v8-pages")] | length')" = 0
check "not Node: arenas still found" test "$(q '[.findings[] | select(.rule == "glibc-arenas")] | length')" = 1

# --rss: resident per cluster from smaps; the 600 pages were touched
"$MEMTOP" maps $PN --json --rss > "$J" || fail "maps --rss exit status"
check "256 KiB cluster resident ~ 150 MiB" within "$(q '.clusters[] | select(.size == 262144) | .rss')" $((600 * 262144)) 3
# the histogram (maps) agrees with the per-mapping sizes in smaps
smaps_anon=$(awk '
	/^[0-9a-f]+-[0-9a-f]+ / { anon = ($5 == 0 && ($6 == "" || ($6 ~ /^\[/ && $6 !~ /^\[(vdso|vvar|vsyscall)/))) }
	/^Size:/ { if (anon) s += $2 * 1024 }
	END { print s }' /proc/$PN/smaps)
check "anon size from maps = sum of smaps Size ($smaps_anon)" test "$(q .anon_size)" = "$smaps_anon"
check "bin sizes add up to anon_size" test "$(q '[.bins[].size] | add')" = "$(q .anon_size)"

# text
"$MEMTOP" maps $PN > "$T/out.txt" || fail "maps text exit status"
check "text: the cluster line" grep -q "600 x 256K = 150M" "$T/out.txt"
check "text: the finding" grep -q "\[v8-pages\] 600 x 256 KiB V8 heap pages" "$T/out.txt"

# diff: sick vs healthy style
"$MEMTOP" diff $PL $PN --json > "$J" || fail "diff exit status"
check "diff: both pids" test "$(q '"\(.a.pid) \(.b.pid)"')" = "$PL $PN"
check "diff: rows carry b - a" test "$(q '[.rows[] | select(.diff != null) | .diff == .b - .a] | all')" = true
check "diff: Pss rows from smaps_rollup" test "$(q '.rows[] | select(.name == "PSS") | .a > 0')" = true
"$MEMTOP" diff $PL $PN > "$T/diff.txt" || fail "diff text exit status"
check "diff text: a PssAnon line" grep -q "^PssAnon" "$T/diff.txt"
check "diff text: findings of B" grep -q "^B \[v8-pages\]" "$T/diff.txt"

# 50 000 mappings (under the default vm.max_map_count): read as they come,
# never held as an array, so the peak RSS of `memtop maps` barely moves
# (the array and the text were ~8 MiB more than on a small process)
"$T/layout" 0 50000 0 0 > "$T/big.out" & PB=$!; register_pid $PB
wait_for 60 grep -q ready "$T/big.out" || fail "50 000-mapping helper did not start"
"$HELPERS/maxrss" "$T/rss.small" "$MEMTOP" maps $PL --json > /dev/null || fail "maps (small) exit status"
"$HELPERS/maxrss" "$T/rss.big" "$MEMTOP" maps $PB --json > "$J" || fail "maps (big) exit status"
check "big: all 50 000 mappings counted" test "$(q .mappings)" = "$(wc -l < /proc/$PB/maps)"
check "big: the 4 KiB cluster has them" test "$(cl 4096)" -ge 50000
check "big: peak RSS $(cat "$T/rss.big") KiB within 2 MiB of a small process's $(cat "$T/rss.small") KiB" \
	test "$(cat "$T/rss.big")" -le $(($(cat "$T/rss.small") + 2048))

# bad input
"$MEMTOP" maps 999999999 > /dev/null 2> "$T/err"; rc=$?
check "maps of a bad pid: exit 2" test $rc -eq 2
sleep 0.01 & gone=$!; wait $gone
"$MEMTOP" maps $gone > /dev/null 2> "$T/err"; rc=$?
check "maps of a vanished pid: exit 1 with a message" sh -c "test $rc -eq 1 && grep -q 'no such process' '$T/err'"

# a real Node process that made garbage
if command -v node > /dev/null; then
	node --no-memory-reducer "$TOP_SRCDIR/tests/node/garbage.js" > "$T/node.out" & PJ=$!; register_pid $PJ
	wait_for 60 grep -q ready "$T/node.out" || fail "node workload did not start"
	"$MEMTOP" maps $PJ --json > "$J" || fail "maps node exit status"
	check "real node: v8-pages finding" test "$(q '[.findings[] | select(.rule == "v8-pages")] | length')" = 1
	check "real node: hundreds of 256 KiB pages" test "$(q '.findings[] | select(.rule == "v8-pages") | .count')" -ge 400
fi
finish
