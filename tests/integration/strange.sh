#!/bin/sh
# Huge and strange processes: 200 000 mappings; a name with spaces, ')',
# a newline and invalid UTF-8; a zombie; kernel threads. All shown, JSON
# valid, names on one line.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
T=$LIB_TMP
old=$(cat /proc/sys/vm/max_map_count)
LIB_CLEANUPS="$LIB_CLEANUPS restore_mmc"
restore_mmc() { echo "$old" > /proc/sys/vm/max_map_count; }
[ "$old" -lt 450000 ] && echo 450000 > /proc/sys/vm/max_map_count

"$HELPERS/maps_layout" 0 200000 0 0 > "$T/big.out" & BIG=$!; register_pid $BIG
weird=$(printf 'a b)\n(c\377zz')
cp "$(command -v sleep)" "$T/$weird"
"$T/$weird" 1000 & W=$!; register_pid $W
sh -c 'sleep 0 & exec sleep 1000' & Z=$!; register_pid $Z
wait_for 120 grep -q ready "$T/big.out" || exit 99
wait_for 5 sh -c "grep -q '^State:.*Z' /proc/\$(pgrep -P $Z | head -1)/status"
ZC=$(pgrep -P $Z | head -1)

"$MEMTOP" -b -n 1 --json --kernel-threads > "$T/out.json" 2> "$T/err" || fail "exit status"
J=$T/out.json
p() { echo "[.groups[].containers[].processes[] | select(.pid == $1)][0]"; }
check "no error output" test ! -s "$T/err"
check "valid JSON" jq -e . "$J" > /dev/null
check "200 000 mappings counted" test "$(jq "$(p $BIG).mappings" "$J")" -ge 200000
check "the big process has PSS" test "$(jq "$(p $BIG).pss > 0" "$J")" = true
# libproc2 shows the newline as '.', memtop the invalid byte as '?'
check "a strange name, sanitised to one line" sh -c "jq -r '$(p $W).comm' '$J' | grep -Eqx 'a b\)[.?]\(c\?zz'"
check "zombie listed with state Z" test "$(jq -r "$(p $ZC).state" "$J")" = Z
check "kernel thread kthreadd listed, figures unknown" test "$(jq -r "$(p 2) | \"\(.kthread) \(.rss) \(.pss)\"" "$J")" = "true null null"
"$MEMTOP" -b -n 1 > "$T/out.txt" || fail "text exit status"
check "text: the strange name on its own row" grep -Eq "^ +$W +a b\)[.?]\(c\?zz" "$T/out.txt"
check "text: no raw newline from the name" sh -c "! grep -q '^(c' '$T/out.txt'"
"$MEMTOP" maps $BIG --json > "$T/maps.json" || fail "maps exit status"
check "maps of 200 000 mappings" test "$(jq .mappings "$T/maps.json")" -ge 200000
check "their cluster: 200 000 x 4 KiB" test "$(jq '[.clusters[] | select(.size == 4096) | .count][0]' "$T/maps.json")" -ge 200000
finish
