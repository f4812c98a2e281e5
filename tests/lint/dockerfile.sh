#!/bin/sh
# The Dockerfile cannot be built here (no container engine), so check what
# can be checked: its build stage installs exactly the packages
# scripts/setup.sh installs, and its runtime stage installs the package of
# every shared library the memtop binary needs (libc6 too: the base image
# has it, but the list should not depend on that).
: "${MEMTOP:=$PWD/memtop}"
top=${TOP_SRCDIR:-.}
df=$top/Dockerfile
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# the packages of the Nth "apt-get install" in the Dockerfile, one per line
stage_pkgs() {
	awk -v want="$1" '
		{ start = 1 }
		/apt-get install/ { n++
			if (n == want) { on = 1
				for (i = 1; i <= NF; i++) if ($i == "install") start = i + 1 } }
		on { for (i = start; i <= NF; i++) {
			if ($i == "&&") { on = 0; break }
			if ($i ~ /^[a-z0-9][a-z0-9.+-]*$/) print $i } }
	' "$df" | sort -u
}
stage_pkgs 1 > build.$$
stage_pkgs 2 > run.$$
sh "$top/scripts/setup.sh" --print-packages | sort -u > setup.$$
[ -s setup.$$ ] || bad "setup.sh --print-packages printed nothing"
if ! cmp -s build.$$ setup.$$; then
	bad "Dockerfile build stage and scripts/setup.sh differ:"
	diff setup.$$ build.$$ | sed 's/^/  /'
fi
for lib in $(readelf -d "$MEMTOP" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
	path=$(ldd "$MEMTOP" | awk -v l="$lib" '$1 == l { print $3 }')
	[ -n "$path" ] || { bad "$lib: not found by ldd"; continue; }
	pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1)
	[ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
	[ -n "$pkg" ] || { bad "$lib ($path): no Debian package owns it"; continue; }
	case $pkg in libasan*|libubsan*|liblsan*) continue ;; esac	# sanitizer builds
	if grep -qx "$pkg" run.$$; then
		echo "ok: $lib from $pkg, installed by the runtime stage"
	else
		bad "$lib comes from $pkg, which the Dockerfile's runtime stage does not install"
	fi
done
grep -q '^FROM debian:12' "$df" || bad "the Dockerfile is not based on Debian 12"
rm -f build.$$ run.$$ setup.$$
[ $fail = 0 ] && echo "Dockerfile ok"
exit $fail
