#!/bin/sh
# The benchmark builds and runs for one round on a tiny synthetic node.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
TOP_BUILDDIR=$TOP_BUILDDIR TOP_SRCDIR=$TOP_SRCDIR sh "$TOP_SRCDIR/bench/run.sh" --smoke > "$LIB_TMP/out" 2>&1
rc=$?
cat "$LIB_TMP/out"
check "bench exits 0" test $rc -eq 0
check "bench prints the full-refresh ratio and its verdict" grep -Eq '^one full refresh .* [0-9.]+ +[0-9.]+ +[0-9.]+ +<= 1.2 +(PASS|MISS)$' "$LIB_TMP/out"
for w in "dashboard first screen" "steady refresh" "exporter: steady refresh" "memtop maps on" "CPU ms/s at 1 s, dashboard" "CPU ms/s at 1 s, -b --json"; do
	check "bench prints the row '$w' with its target" grep -Eq "^$w.* <= [0-9.]+ +(PASS|MISS|-)\$" "$LIB_TMP/out"
done
check "bench prints the dashboard's CPU until every figure is read (no target)" grep -Eq '^dashboard, CPU until every figure is read +[0-9.]+ +[0-9.]+ +[0-9.]+$' "$LIB_TMP/out"
check "bench prints the CPU spent before memtop's exec, taken off the first screen's" grep -Eq "^dashboard: CPU ms before memtop's exec \(off\) +[0-9.]+\$" "$LIB_TMP/out"
check "bench prints the maps ratio" grep -Eq '^memtop maps on [0-9]+ mappings' "$LIB_TMP/out"
check "bench prints the full refresh's page faults beside the raw reader's, with what a fault costs here" grep -Eq '^  page faults: full refresh vs raw process +[0-9]+ +[0-9]+ +[0-9.]+ +\(info: -?[0-9]+ more x [0-9.]+ us a fault = -?[0-9.]+ ms\)$' "$LIB_TMP/out"
check "bench prints memtop maps' page faults beside the raw reader's" grep -Eq '^  page faults: memtop maps vs raw process +[0-9]+ +[0-9]+ +[0-9.]+ +\(info: ' "$LIB_TMP/out"
check "bench prints memtop maps' own parse, apart from the kernel's" grep -Eq '^  \(info\) memtop maps: its parse, ms +-?[0-9]+\.[0-9]+$' "$LIB_TMP/out"
check "bench prints memtop maps' parse and report, apart from the kernel's" grep -Eq '^  \(info\) memtop maps: parse \+ report, ms +-?[0-9]+\.[0-9]+$' "$LIB_TMP/out"
check "bench prints peak RSS and its verdict" grep -Eq '^peak RSS MiB.* [0-9.]+ +<= 16 +(PASS|MISS)$' "$LIB_TMP/out"
check "no cgroup left behind" test ! -d /sys/fs/cgroup/memory/kubepods/burstable/pod00000999-0000-4000-8000-000000000000
finish
