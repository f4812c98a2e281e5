#!/bin/sh
# make soak runs for 300 refreshes: its report has every line, its canary
# ran beside the memtops on the same clock (what lines a slow refresh up
# with a slow canary), and it leaves no process or cgroup behind. Its
# verdict is not checked: 300 refreshes on a busy machine prove nothing.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
mkdir "$LIB_TMP/timing"
SOAK_REFRESHES=300 SOAK_TIMING=$LIB_TMP/timing MEMTOP=$MEMTOP \
    TOP_BUILDDIR=$TOP_BUILDDIR TOP_SRCDIR=$TOP_SRCDIR \
    sh "$TOP_SRCDIR/bench/soak.sh" > "$LIB_TMP/out" 2>&1
cat "$LIB_TMP/out"
check "soak: 300 refreshes of -b" grep -q '^-b --json: 300 refreshes at -d 0.05' "$LIB_TMP/out"
check "soak prints the refreshes' CPU" grep -Eq '^refresh CPU ms \(median, 99.9th, max; over 5x the median\): -b [0-9.]+ [0-9.]+ [0-9.]+; [0-9]+ / dashboard [0-9.]+ [0-9.]+ [0-9.]+; [0-9]+$' "$LIB_TMP/out"
check "soak prints the canary's CPU, nothing on its stderr" grep -Eq '^canary CPU ms \(median, 99.9th, max; over 3x the median\): [0-9.]+ [0-9.]+ [0-9.]+; [0-9]+ of [1-9][0-9]* rounds; stderr 0 bytes$' "$LIB_TMP/out"
check "soak prints the share of refreshes with the canary slow near" grep -Eq '^refreshes with the canary slow within 1 s: -b [0-9.]+, dashboard [0-9.]+$' "$LIB_TMP/out"
check "soak prints the noisy 5 minutes, not judged" grep -Eq '^in noisy 5 minutes \(.*\): -b [0-9.]+ of the refreshes, [0-9]+ slow; dashboard [0-9.]+, [0-9]+ slow$' "$LIB_TMP/out"
check "soak prints the slow ones that were the machine's" grep -Eq '^over 5x the median with the canary slow too, in quiet 5 minutes \(the machine.s\): -b [0-9]+ of [0-9]+, dashboard [0-9]+ of [0-9]+$' "$LIB_TMP/out"
check "soak prints each phase's median CPU (-b and the dashboard)" sh -c "grep -Eq '^median phase CPU ms, -b: .*scan [0-9.]+ .*' '$LIB_TMP/out' && grep -Eq '^median phase CPU ms, dashboard: .*rollups [0-9.]+.*' '$LIB_TMP/out'"
check "soak prints the slow ones by 5 minutes, canary beside" grep -Eq '^ +0- +5 min: [0-9]+ [0-9]+ [0-9]+$' "$LIB_TMP/out"
check "soak's awk wrote no stray file (a '>' in print taken as a redirection)" sh -c "! ls '$TOP_BUILDDIR'/0 2> /dev/null"
check "soak prints RSS and open files" grep -Eq '^open files per process, first and last third: -b [0-9.]+ -> [0-9.]+, dashboard [0-9.]+ -> [0-9.]+$' "$LIB_TMP/out"
check "soak ends in PASS or a MISS line" grep -Eq '^(PASS|MISS: )' "$LIB_TMP/out"
# the canary, every 10 ms for the run's 15 s or more: hundreds of rounds
check "the canary's rounds kept" test "$(grep -c '^canary cpu_ms [0-9.]* wall_ms [0-9.]* at [0-9.]*$' "$LIB_TMP/timing/c.timing")" -ge 300
# one clock: -b's refreshes fall between the canary's first and last round
first=$(awk 'NR == 1 { print $7 }' "$LIB_TMP/timing/c.timing")
last=$(awk 'END { print $7 }' "$LIB_TMP/timing/c.timing")
check "-b's refreshes within the canary's time ($first-$last)" awk -v a="$first" -v b="$last" '!($13 >= a && $13 <= b + 1) { exit 1 }' "$LIB_TMP/timing/b.timing"
check "no canary left running" sh -c '! pgrep -x canary > /dev/null'
check "no soak cgroup left behind" sh -c "! ls -d /sys/fs/cgroup/memory/kubepods/burstable/soak* 2> /dev/null"
finish
