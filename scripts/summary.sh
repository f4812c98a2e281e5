#!/bin/sh
# Prints "N passed, N failed" from automake's .trs files under the given
# build directories; exits 1 if any failed or none ran.
pass=0; failn=0
for d in "$@"; do
	[ -d "$d" ] || continue
	for f in $(find "$d" -name '*.trs'); do
		while read -r key val; do
			[ "$key" = ":test-result:" ] || continue
			case $val in
			PASS|XFAIL) pass=$((pass + 1)) ;;
			FAIL|XPASS|ERROR) failn=$((failn + 1)); echo "failed: $f" >&2 ;;
			esac
		done < "$f"
	done
done
echo "$pass passed, $failn failed"
[ $failn -eq 0 ] && [ $pass -gt 0 ]
