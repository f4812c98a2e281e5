#!/bin/sh
# memtop --serve under a slow-header ("slowloris") load: 1100 connections
# that send one header byte every 3 s, first all from one address, then
# from 110 addresses (10 each), while curl asks for /metrics and /healthz
# from 127.0.0.1: every request answered 200 within 2 s, every time. The
# DaemonSet's liveness probe (/healthz) depends on it. Loopback only: the
# slow clients come from 127.0.1.1 and 127.0.2.1-110.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
lib_init
T=$LIB_TMP
command -v curl > /dev/null || { echo "ERROR: no curl"; exit 99; }
[ -x "$HELPERS/slowclients" ] || { echo "ERROR: no $HELPERS/slowclients"; exit 99; }

"$MEMTOP" --serve 127.0.0.1:0 -d 1 2> "$T/serve.err" & MT=$!; register_pid $MT
wait_for 10 grep -q serving "$T/serve.err" || { cat "$T/serve.err"; exit 99; }
port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/metrics|\1|p' "$T/serve.err")
B=http://127.0.0.1:$port
wait_for 20 curl -s -f -o /dev/null "$B/metrics" || { echo "no first refresh"; exit 99; }

# connected FILE: the helper has opened all 1100 at least once
connected() {
	awk -F'connects=' 'NF > 1 && $2 + 0 >= 1100 { f = 1 } END { exit !f }' "$1"
}

# load NAME SRC NSRC: 1100 slow clients for 12 s from 127.0.SRC.1..NSRC;
# meanwhile /metrics and /healthz back to back, each with a 2 s limit (how
# many rounds fit depends on how busy the machine is: at least 4 are asked
# for; what is checked is that every one is answered)
load() {
	"$HELPERS/slowclients" "$port" 1100 12 3 "$2" "$3" > "$T/$1.slow" & S=$!
	register_pid $S
	# the load is on once the helper has opened all 1100
	wait_for 10 connected "$T/$1.slow" ||
	    fail "$1: the slow clients did not connect"
	n=0; bad=0; maxfd=0
	while [ -d /proc/$S ] && kill -0 $S 2>/dev/null; do
		for u in healthz metrics; do
			c=$(curl -s -o /dev/null --max-time 2 -w '%{http_code} %{time_total}' "$B/$u")
			n=$((n + 1))
			case $c in
			200\ *) ;;
			*) bad=$((bad + 1)); echo "$1: /$u: $c" ;;
			esac
		done
		# sockets only: memtop keeps /proc and cgroup files open too
		fds=$(ls -l /proc/$MT/fd 2>/dev/null | grep -c 'socket:')
		[ "$fds" -gt "$maxfd" ] && maxfd=$fds
		sleep 0.2	# pace of the probes while the load lasts
	done
	wait $S
	echo "$1: $n requests, $bad not answered in 2 s; memtop had up to $maxfd sockets; slow clients: $(tail -n 1 "$T/$1.slow")"
}

load one 1 1
check "one address, 1100 slow clients: $n requests all answered 200 in 2 s" test $bad = 0
check "one address: enough requests made ($n >= 8)" test $n -ge 8
check "one address: its connections were limited (memtop had $maxfd sockets, < 200)" test $maxfd -lt 200

load many 2 110
check "110 addresses, 1100 slow clients: $n requests all answered 200 in 2 s" test $bad = 0
check "110 addresses: enough requests made ($n >= 8)" test $n -ge 8
check "110 addresses: memtop really held them (up to $maxfd sockets >= 500)" test $maxfd -ge 500
closed=$(sed -n 's/.*closed=\([0-9]*\).*/\1/p' "$T/many.slow" | tail -n 1)
check "110 addresses: slow headers timed out ($closed closed by memtop)" test "${closed:-0}" -ge 1000

check "memtop still running" kill -0 $MT
kill -TERM $MT
wait $MT; rc=$?
check "SIGTERM: exit 0 ($rc)" test $rc = 0
finish
