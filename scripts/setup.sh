#!/bin/sh
# Installs what memtop needs from Debian 12 (only what is missing), then
# builds it in build/ (or build-asan/ with --sanitizers).
#   scripts/setup.sh [--test] [--sanitizers] [--print-packages]
# --test also installs what the test suite uses (jq, tmux, node, clang...).
# --print-packages prints the build packages (the list the Dockerfile's build
# stage installs; tests/lint/dockerfile.sh checks that they agree) and exits.
set -e
cd "$(dirname "$0")/.."
top=$(pwd)

want_test=0; san=0; print=0
for a in "$@"; do
	case $a in
	--test) want_test=1 ;;
	--print-packages) print=1 ;;
	--sanitizers) san=1 ;;
	*) echo "setup.sh: unknown argument $a" >&2; exit 2 ;;
	esac
done

pkgs="autoconf automake libtool pkg-config gcc make libncurses-dev
libproc2-dev libjansson-dev libcmocka-dev libwslay-dev libmicrohttpd-dev
nettle-dev zlib1g-dev libsqlite3-dev libcurl4-openssl-dev"
if [ $print = 1 ]; then
	printf '%s\n' $pkgs
	exit 0
fi
[ $want_test = 1 ] && pkgs="$pkgs jq tmux clang iproute2 util-linux procps curl prometheus python3-yaml sqlite3 openjdk-17-jdk-headless htop"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
if [ $want_test = 1 ] && ! command -v node > /dev/null 2>&1; then
	missing="$missing nodejs"
fi
if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "setup: need root to install packages (run with sudo)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y --no-install-recommends $missing ||
	    { apt-get update && apt-get install -y --no-install-recommends $missing; }
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
	autoreconf -fi
fi
if [ $san = 1 ]; then
	dir=build-asan; flags="--enable-sanitizers"
else
	dir=build; flags=""
fi
mkdir -p "$dir"
cd "$dir"
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
	"$top/configure" -q $flags
fi
make -j"$(nproc)" > make.out 2>&1 || { cat make.out; exit 1; }
grep -E 'warning:' make.out || true
