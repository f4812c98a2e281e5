#!/bin/sh
# Layers go one way: collect -> model -> analyse -> actions/output -> view.
# The table below is the one place that declares which layer may include
# which; every folder of src/ and include/ must be in it (a new folder fails
# until it is declared), and the top-level src/*.c (main and the commands)
# are the "top" layer. Only src/ui may include curses. No source file over
# 800 lines. config.h first in every .c, never in a header.
top=${TOP_SRCDIR:-.}
cd "$top" || exit 99
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# layer        may include (besides itself)
allowed() {
	case $1 in
	util)		echo "" ;;
	collect)	echo "util" ;;
	model)		echo "util collect" ;;
	analyse)	echo "util collect model" ;;
	store)		echo "util collect model" ;;
	actions)	echo "util collect model analyse" ;;
	output)		echo "util collect model analyse" ;;
	ui)		echo "util collect model analyse actions output store" ;;
	top)		echo "util collect model analyse actions output store ui" ;;
	*)		echo "UNDECLARED" ;;
	esac
}

check_file() {	# file, its layer
	ok=$(allowed "$2")
	if [ "$ok" = UNDECLARED ]; then
		bad "$1: layer '$2' is not declared in tests/lint/layers.sh"
		return
	fi
	for inc in $(grep -Eo '^#include "[a-z_]+/' "$1" | sed 's/#include "//; s|/$||' | sort -u); do
		[ "$inc" = "$2" ] && continue
		case " $ok " in
		*" $inc "*) ;;
		*) bad "$1 ($2) includes $inc/: not allowed (allowed: ${ok:-nothing})" ;;
		esac
	done
}

for f in $(find src include -name '*.[ch]'); do
	rel=${f#*/}
	case $rel in
	*/*) layer=${rel%%/*} ;;
	*) layer=top ;;
	esac
	check_file "$f" "$layer"
	if [ "$layer" != ui ] && [ "$layer" != top ] &&
	    grep -Eq '#include[[:space:]]*<(n?curses|ncursesw/|term\.h)' "$f"; then
		bad "$f includes curses outside src/ui"
	fi
done
# main and the commands may not draw: only src/ui includes curses
for f in src/*.c include/*.h; do
	grep -Eq '#include[[:space:]]*<(n?curses|ncursesw/)' "$f" &&
	    bad "$f includes curses outside src/ui"
done

# the check itself bites: a forbidden edge in a scratch file is caught
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
printf '#include "ui/ui.h"\n' > "$tmp/x.c"
if (fail=0; bad() { fail=1; }; check_file "$tmp/x.c" collect; [ $fail -eq 1 ]); then :; else
	bad "the layer check does not catch collect including ui/"
fi
printf '#include "util/fmt.h"\n' > "$tmp/y.c"
if (fail=0; bad() { fail=1; }; check_file "$tmp/y.c" newlayer; [ $fail -eq 1 ]); then :; else
	bad "the layer check does not catch an undeclared layer"
fi

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
