#!/bin/sh
# Layers go one way: collect -> model -> analyse -> output/ui. Only src/ui may
# include curses. No source file over 800 lines.
top=${TOP_SRCDIR:-.}
cd "$top" || exit 99
fail=0
bad() { echo "FAIL: $*"; fail=1; }

for f in $(find src include -name '*.[ch]' ! -path 'src/ui/*' ! -path 'include/ui/*'); do
	if grep -Eq '#include[[:space:]]*<(n?curses|ncursesw/)' "$f"; then
		bad "$f includes curses outside src/ui"
	fi
done
check_layer() {	# layer, forbidden include prefixes...
	layer=$1; shift
	for f in $(find "src/$layer" "include/$layer" -name '*.[ch]' 2>/dev/null); do
		for up in "$@"; do
			if grep -Eq "#include \"$up/" "$f"; then
				bad "$f ($layer) includes $up/"
			fi
		done
	done
}
check_layer util collect model analyse output ui actions store
check_layer collect model analyse output ui actions store
check_layer model analyse output ui actions store
check_layer analyse output ui actions store
check_layer output ui actions
# the history store: util, collect and model below it
check_layer store analyse output ui actions
for f in $(find src include tests -name '*.[ch]'); do
	n=$(wc -l < "$f")
	[ "$n" -le 800 ] || bad "$f has $n lines (max 800)"
done
for f in $(find src -name '*.c'); do
	grep -m1 '^#include' "$f" | grep -q '#include "config.h"' || bad "$f: config.h must be the first include"
done
if grep -rn 'config.h' include >/dev/null; then
	bad "a header includes config.h"
fi
[ $fail -eq 0 ] && echo "layers ok"
exit $fail
