#!/bin/sh
# Set up and run the whole test suite twice: a plain build (build/) and an
# AddressSanitizer + UBSan build (build-asan/). Run as root: the integration
# tests create cgroups, network namespaces and processes.
#   sudo scripts/test.sh
cd "$(dirname "$0")/.."
rc=0
scripts/setup.sh --test || exit 1
scripts/setup.sh --test --sanitizers || exit 1
for d in build build-asan; do
	echo "== make check in $d"
	find "$d/tests" -name '*.trs' -delete 2>/dev/null
	(cd "$d" && make -j"$(nproc)" check > check.out 2>&1) || rc=1
	grep -E '^(PASS|FAIL|ERROR|SKIP|XFAIL|XPASS):' "$d/check.out"
	if [ $rc -ne 0 ]; then
		for l in $(find "$d/tests" -name '*.log'); do
			t=${l%.log}.trs
			if grep -qE ':test-result: (FAIL|ERROR|XPASS)' "$t" 2>/dev/null; then
				echo "---- $l"; tail -40 "$l"
			fi
		done
	fi
done
scripts/summary.sh build build-asan || rc=1
exit $rc
