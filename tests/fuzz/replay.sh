#!/bin/sh
# Replays every fuzz target's seed corpus and saved crash files (the
# libFuzzer runs themselves are not part of make check: see README).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
lib_init
fuzz=$TOP_BUILDDIR/tests/fuzz
for t in cgroup memstat maps runtime status http ws theme prom promapi; do
	bin=$fuzz/fuzz_$t
	corpus=$TOP_SRCDIR/tests/fuzz/corpus/$t
	crashes=$TOP_SRCDIR/tests/fuzz/crashes/$t
	check "fuzz_$t built" test -x "$bin"
	check "fuzz_$t has a seed corpus" test -n "$(ls "$corpus" 2>/dev/null)"
	if "$bin" -help=1 2>&1 | grep -q libFuzzer; then
		check "fuzz_$t replays (libFuzzer)" sh -c "'$bin' -runs=0 '$corpus' $( [ -d "$crashes" ] && ls "$crashes" | sed "s|^|'$crashes/|; s|\$|'|" ) > '$LIB_TMP/$t.log' 2>&1"
	else
		check "fuzz_$t replays corpus and crashes" sh -c "'$bin' '$corpus' '$crashes' > '$LIB_TMP/$t.log' 2>&1"
	fi
done
finish
