#!/bin/sh
# docs/metrics.md and `memtop --list-metrics` name the same families: every
# family memtop can emit is documented, and the page names no family that
# memtop does not have.
: "${MEMTOP:=$PWD/memtop}"
top=${TOP_SRCDIR:-.}
doc=$top/docs/metrics.md
fail=0
"$MEMTOP" --list-metrics | cut -f1 | sort -u > list.$$ || exit 99
[ -s list.$$ ] || { echo "FAIL: --list-metrics printed nothing"; rm -f list.$$; exit 1; }
grep -o 'memtop_[a-z0-9_]*' "$doc" | sort -u > doc.$$
for m in $(cat list.$$); do
	grep -qF "\`$m\`" "$doc" || { echo "FAIL: $m not in docs/metrics.md"; fail=1; }
done
# the page may name a family's series in queries, never an unknown family
for m in $(cat doc.$$); do
	case $m in memtop_container_|memtop_process_|memtop_node_|memtop_refresh) continue ;; esac
	grep -qx "$m" list.$$ || { echo "FAIL: docs/metrics.md names $m, memtop has no such family"; fail=1; }
done
echo "$(wc -l < list.$$) families checked"
rm -f list.$$ doc.$$
exit $fail
