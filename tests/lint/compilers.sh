#!/bin/sh
# gcc and clang both build memtop and every test program without a
# warning (configure adds -Wall -Wextra): each in a build directory of its
# own under /tmp, linked as well (clang does not inline what gcc does: a
# call to floor() without -lm linked with gcc only).
top=$(cd "${TOP_SRCDIR:-.}" && pwd)
[ -x "$top/configure" ] || { echo "ERROR: no configure in $top"; exit 99; }
tmp=$(mktemp -d /tmp/memtop-cc.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT
# run by make check: the make that runs this test hands its variables down
# (TEST_LOGS=<every test>), which would make the builds below run the whole
# suite, this test included
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
fail=0
for cc in gcc clang; do
	command -v $cc > /dev/null ||
	    { echo "ERROR: no $cc (scripts/setup.sh --test installs it)"; exit 99; }
	mkdir "$tmp/$cc"
	if ! (cd "$tmp/$cc" && CC=$cc "$top/configure" -q > configure.out 2>&1 &&
	    make -j"$(nproc)" all > make.out 2>&1 &&
	    make -j"$(nproc)" check TESTS= TEST_LOGS= >> make.out 2>&1); then
		echo "FAIL: $cc: the build failed"
		tail -20 "$tmp/$cc/configure.out" "$tmp/$cc/make.out" 2>/dev/null
		fail=1
		continue
	fi
	n=$(grep -c 'warning:' "$tmp/$cc/make.out")
	if [ "$n" -ne 0 ]; then
		echo "FAIL: $cc: $n warnings"
		grep 'warning:' "$tmp/$cc/make.out" | head -20
		fail=1
	else
		echo "ok: $cc builds memtop and the tests without a warning"
	fi
done
exit $fail
