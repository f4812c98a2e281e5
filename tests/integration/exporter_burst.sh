#!/bin/sh
# The exporter gives memory back after a burst: 1500 pods with a process
# each appear, then go; memtop's RSS comes back within 2x of what it was
# before (plain build: ASan's quarantine keeps freed memory by design).
# The same for a `-b --json` memtop beside it (the refresh driver gives
# back for every mode: the arrays follow the node, the heap is trimmed).
# When: within 3 refreshes after memtop saw them go (the bound).
# The exporter keeps no exited process (nothing shows ghosts there), the
# history gives back the samples of pods left with exited processes at once,
# and the heap is trimmed after each refresh.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
T=$LIB_TMP
need_v1
if ldd "$MEMTOP" | grep -q libasan; then
	echo "SKIP: ASan keeps freed memory (quarantine): checked in the plain build"
	exit 77
fi
mkcg "$V1/kubepods/burstable" || exit 99

"$MEMTOP" --serve 127.0.0.1:0 -d 1 2> "$T/serve.err" & MT=$!; register_pid $MT
wait_for 10 grep -q serving "$T/serve.err" || { cat "$T/serve.err"; exit 99; }
port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/metrics|\1|p' "$T/serve.err")
URL=http://127.0.0.1:$port/metrics
metric() { curl -s --max-time 10 "$URL" | awk -v k="$1" '$1 == k { print $2 }'; }
rss() { awk '/^VmRSS:/ { print $2 }' /proc/$MT/status; }
# at_least METRIC N: the metric is >= N
at_least() { v=$(metric "$1"); [ -n "$v" ] && [ "$v" -ge "$2" ]; }
# containers: other tests on this machine come and go too, so count the
# containers memtop exports rather than all processes
ctrs() { curl -s --max-time 10 "$URL" | grep -c '^memtop_container_rss_bytes{'; }
ctrs_at_least() { [ "$(ctrs)" -ge "$1" ]; }
ctrs_at_most() { [ "$(ctrs)" -le "$1" ]; }

# -b --json beside it: its documents counted (not kept: 1500 pods are
# megabytes a line), its pid the one measured. Counted by their newlines
# (tr, unbuffered): mawk, once a line of megabytes grew its buffer, waits
# to fill it again before it sees the next small line (CI failed so)
mkfifo "$T/bj"
"$MEMTOP" -b --json -d 1 --store none > "$T/bj" 2> "$T/b.err" & MB=$!; register_pid $MB
stdbuf -o0 tr -cd '\n' < "$T/bj" > "$T/nl" & register_pid $!
docs() { wc -c < "$T/nl"; }
docs_at_least() { [ "$(docs)" -ge "$1" ]; }
rss_b() { awk '/^VmRSS:/ { print $2 }' /proc/$MB/status; }

# settled: 5 refreshes
wait_for 60 at_least memtop_refreshes_total 5 || { echo "no refreshes"; exit 99; }
wait_for 60 docs_at_least 5 || { echo "no -b documents"; cat "$T/b.err"; exit 99; }
rss0=$(rss); ctrs0=$(ctrs); rssb0=$(rss_b)
echo "before: $rss0 KiB, $ctrs0 containers; -b --json: $rssb0 KiB"

# 1500 pods come; cgburst keeps them until its stdin closes
mkfifo "$T/hold"
"$HELPERS/cgburst" "$V1/kubepods/burstable" 1500 300 < "$T/hold" > "$T/burst.out" 2>&1 & B=$!
register_pid $B
exec 3> "$T/hold"
wait_for 120 grep -q '^ready 1500' "$T/burst.out" || { cat "$T/burst.out"; exit 99; }
check "memtop sees the 1500 pods" wait_for 60 ctrs_at_least $((ctrs0 + 1400))
rss1=$(rss)
echo "with 1500 pods: $rss1 KiB"
check "the burst made memtop bigger ($rss0 -> $rss1 KiB)" test "$rss1" -gt $((rss0 * 2))
# -b saw them too: two documents after the exporter did
d=$(docs); wait_for 60 docs_at_least $((d + 2))
rssb1=$(rss_b)
check "the burst made -b --json bigger ($rssb0 -> $rssb1 KiB)" test "$rssb1" -gt $((rssb0 * 2))

# they go
exec 3>&-
wait_for 120 grep -q '^gone' "$T/burst.out" || { cat "$T/burst.out"; exit 99; }
check "memtop sees them gone" wait_for 60 ctrs_at_most $((ctrs0 + 100))
r0=$(metric memtop_refreshes_total)
# RSS after each of the next refreshes, until it is back
i=1; rss2=""
while [ $i -le 3 ]; do
	wait_for 30 at_least memtop_refreshes_total $((r0 + i)) || break
	rss2=$(rss); echo "refresh $((r0 + i)): $rss2 KiB"
	[ "$rss2" -le $((rss0 * 2)) ] && break
	i=$((i + 1))
done
check "RSS back within 2x of before ($rss0 -> $rss1 -> $rss2 KiB) $i refreshes after they went" \
    test -n "$rss2" -a "$rss2" -le $((rss0 * 2))
# -b: the same bound, counted from when it saw them go, which the test
# cannot tell (its documents of 1500 pods are slow to write: it lags the
# exporter by a few): its next 6 documents
d=$(docs); i=1; rssb2=""
while [ $i -le 6 ]; do
	wait_for 30 docs_at_least $((d + i)) || break
	rssb2=$(rss_b); echo "-b document $((d + i)): $rssb2 KiB"
	[ "$rssb2" -le $((rssb0 * 2)) ] && break
	i=$((i + 1))
done
check "-b --json: RSS back within 2x of before ($rssb0 -> $rssb1 -> $rssb2 KiB) $i documents after" \
    test -n "$rssb2" -a "$rssb2" -le $((rssb0 * 2))
finish
