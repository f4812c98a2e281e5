#!/bin/sh
# make soak: memtop for a long run at -d 0.05 while processes and pods come
# and go: `memtop -b --json > /dev/null` and the dashboard in tmux, side by
# side, each writing a line per refresh to MEMTOP_TIMING (memtop.1: the
# refresh's CPU and wall time). Pass: after warm-up, RSS flat within 2 MiB
# and open fds flat (both sampled at the same point of every pod burst: the
# burst gone), and for each memtop no refresh whose CPU is over 5x its
# median. The wall time is printed too: on a loaded machine it counts the
# waits for a CPU that other processes hold, which are not memtop's work.
# A canary (tests/helpers/canary) does a fixed piece of /proc reads every
# 10 ms beside them, timed the same way: a refresh over 5x the median while
# the canary too was slow (over 3x its median, within a second of it) is
# counted as the machine's and reported apart, provided the canary is
# slow near few refreshes of those 5 minutes (5 % or less: else it tells
# nothing, and those 5 minutes are noisy: not judged, and a run that is
# noisy for over a quarter of its refreshes fails; bench/soak_judge.awk).
# Run as root (pods are kubelet-shaped cgroups).
#   SOAK_REFRESHES   refreshes of the -b run (default 60000)
#   SOAK_DELAY       -d (default 0.05, the smallest memtop takes)
#   SOAK_PODS        pods per burst (default 40)
#   SOAK_SAMPLES     a file to keep the per-burst samples in
#   SOAK_TIMING      a directory to keep the two MEMTOP_TIMING files in
set -u
B=${TOP_BUILDDIR:-$(pwd)}
S=${TOP_SRCDIR:-$(dirname "$0")/..}
MEMTOP=${MEMTOP:-$B/memtop}
BURST=$B/tests/helpers/cgburst
CANARY=$B/tests/helpers/canary
N=${SOAK_REFRESHES:-60000}
D=${SOAK_DELAY:-0.05}
PODS=${SOAK_PODS:-40}
[ "$(id -u)" = 0 ] || { echo "soak: run as root"; exit 77; }
if [ -d /sys/fs/cgroup/memory ]; then
	CG=/sys/fs/cgroup/memory/kubepods/burstable/soak$$
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	CG=/sys/fs/cgroup/kubepods.slice/soak$$
else
	echo "soak: no memory cgroup hierarchy"; exit 77
fi
T=$(mktemp -d /tmp/memtop-soak.XXXXXX)
TM="tmux -L memtopsoak$$ -f /dev/null"
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	$TM kill-server 2>/dev/null
	wait 2>/dev/null
	for d in $(find "$CG" -depth -type d 2>/dev/null); do rmdir "$d" 2>/dev/null; done
	# and the parents mkdir -p made (kubepods/burstable on a bare node),
	# or that tests made and left to the last one out (tests/lib.sh)
	for d in $MADE; do rmdir "$d" 2>/dev/null; done
	if [ -f "$MARK" ]; then
		rmdir "${CG%/*}" "${CG%/*/*}" 2>/dev/null
		[ -d "${CG%/*/*}" ] || rm -f "$MARK"
	fi
	rm -rf "$T"
}
# INT and TERM exit (the EXIT trap cleans up): a trap that only cleaned up
# left the script running on, holding nothing (bench/run.sh --hold)
trap cleanup EXIT
trap "exit 130" INT TERM
MADE=""
d=$(dirname "$CG")
while [ ! -d "$d" ]; do MADE="$MADE $d"; d=$(dirname "$d"); done
MARK=/tmp/memtop-tests-made-kubepods
case $CG in */memory/kubepods/burstable/*) [ -n "$MADE" ] && : > "$MARK" ;; esac
mkdir -p "$CG" || exit 1

# the canary: 100 preads of /proc/1/stat and status every 10 ms
"$CANARY" 0.01 100 "$T/c.timing" 2> "$T/c.err" & canary=$!; PIDS="$PIDS $canary"
# process churn: short-lived processes all the time
sh -c 'while :; do /bin/true; done' & churn=$!; PIDS="$PIDS $churn"
# the two memtops
MEMTOP_TIMING=$T/b.timing "$MEMTOP" -b --json -d "$D" -n "$N" --store none 2> "$T/b.err" > /dev/null &
bjob=$!	# memtop itself (the assignment is not a shell of its own)
PIDS="$PIDS $bjob"
bp=$bjob
# exec: the pane's pid is memtop's whatever the shell (dash forks)
$TM new-session -d -x 200 -y 50 "exec env MEMTOP_TIMING=$T/d.timing $MEMTOP -d $D --store none"
n=0; while ! grep -q '^first-screen' "$T/d.timing" 2> /dev/null && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
dp=$($TM list-panes -F '#{pane_pid}' 2> /dev/null | head -1)
[ -n "$bp" ] && [ -n "$dp" ] || { echo "soak: memtop did not start"; exit 1; }
echo "soak: $N refreshes at -d $D; -b pid $bp, dashboard pid $dp; bursts of $PODS pods"
# pods: a burst comes, lives 2 s, goes; after each, both memtops are sampled
: > "$T/samples"
k=0
while kill -0 "$bp" 2> /dev/null; do
	mkfifo "$T/in.$k"
	"$BURST" "$CG" "$PODS" 30 < "$T/in.$k" > "$T/burst.$k" 2>&1 &
	exec 3> "$T/in.$k"
	m=0; while ! grep -q ready "$T/burst.$k" 2> /dev/null && [ $m -lt 100 ]; do sleep 0.1; m=$((m + 1)); done
	sleep 2
	exec 3>&-
	m=0; while ! grep -q gone "$T/burst.$k" 2> /dev/null && [ $m -lt 100 ]; do sleep 0.1; m=$((m + 1)); done
	rm -f "$T/in.$k" "$T/burst.$k"
	sleep 1		# a few refreshes without the burst
	for p in $bp $dp; do
		r=$(awk '/^VmRSS:/ { print $2 }' /proc/$p/status 2> /dev/null)
		f=$(ls /proc/$p/fd 2> /dev/null | wc -l)
		printf '%s %s %s %s ' "$p" "${r:-0}" "$f" "$(ls -d /proc/[0-9]* 2> /dev/null | wc -l)"
	done >> "$T/samples"
	echo >> "$T/samples"
	k=$((k + 1))
done
kill "$churn" "$canary" 2> /dev/null
wait "$bjob"; brc=$?
wait
alive=$($TM has-session 2> /dev/null && echo yes || echo no)
$TM kill-server 2>/dev/null

# the refreshes after warm-up (the first 100: the start, the dashboard's
# catch-up), CPU ($3) and wall ($5) milliseconds
grep '^refresh ' "$T/b.timing" | tail -n +101 > "$T/b.ref"
grep '^refresh ' "$T/d.timing" | tail -n +101 > "$T/d.ref"
grep '^canary ' "$T/c.timing" > "$T/c.ref" 2> /dev/null
refreshes=$(($(grep -c '^refresh ' "$T/b.timing") + 0))
drefreshes=$(($(grep -c '^refresh ' "$T/d.timing") + 0))
stats() {	# file column: "median p99.9 max over-5x-median"
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ a[NR] = $1 }
	    END { if (NR == 0) { print "0 0 0 0"; exit }
		m = a[int((NR + 1) / 2)]; s = 0
		for (i = 1; i <= NR; i++) if (a[i] > 5 * m) s++
		p = int(NR * 0.999); if (p < 1) p = 1
		printf "%.2f %.2f %.2f %d\n", m, a[p], a[NR], s }'
}
set -- $(stats "$T/b.ref" 3); bmed=$1 bp999=$2 bmax=$3 bslow=$4
set -- $(stats "$T/b.ref" 5); bwmed=$1 bwp999=$2 bwmax=$3 bwslow=$4
set -- $(stats "$T/d.ref" 3); dmed=$1 dp999=$2 dmax=$3 dslow=$4
set -- $(stats "$T/d.ref" 5); dwmed=$1 dwp999=$2 dwmax=$3 dwslow=$4
# the canary's CPU: median, 99.9th, max, and rounds over 3x its median
cmed=$(awk '{ print $3 }' "$T/c.ref" | sort -n | awk '{ a[NR] = $1 } END { print NR ? a[int((NR + 1) / 2)] : 0 }')
judge() {	# timing file, median: bench/soak_judge.awk's line
	awk -v m="$2" -v cm="$cmed" -f "$S/bench/soak_judge.awk" "$T/c.ref" "$1"
}
set -- $(judge "$T/b.ref" "$bmed"); bcan=$2; bown=$3; bnoisy=$4; bnshare=$5; bshare=$6
set -- $(judge "$T/d.ref" "$dmed"); dcan=$2; down=$3; dnoisy=$4; dnshare=$5; dshare=$6
# after warm-up: the first fifth of the samples left out
ns=$(wc -l < "$T/samples")
w=$((ns / 5 + 1))
flat() {	# column: max - min after warm-up (0: the process had exited)
	tail -n +$w "$T/samples" | awk -v c="$1" 'NF >= c && $c > 0 { v = $c; if (min == "" || v < min) min = v; if (v > max) max = v } END { print max - min }'
}
# open files follow the processes on the node (up to four per process,
# collect/fdcache.h, and five per cgroup): a leak is files per process that
# grow, the last third of the samples against the first (after warm-up)
fdtrend() {	# fds column, processes column: "first last" files per process
	tail -n +$w "$T/samples" | awk -v f="$1" -v p="$2" 'NF >= f && $f > 0 { n++; r[n] = $f / $p } END { t = int(n / 3); if (t < 1) { print "0 0"; exit } for (i = 1; i <= t; i++) { a += r[i]; b += r[n - t + i] } printf "%.2f %.2f\n", a / t, b / t }'
}
echo
echo "memtop soak, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "-b --json: $refreshes refreshes at -d $D ($k pod bursts of $PODS, process churn); stderr $(wc -c < "$T/b.err") bytes"
echo "dashboard: $drefreshes refreshes"
echo "refresh CPU ms (median, 99.9th, max; over 5x the median): -b $bmed $bp999 $bmax; $bslow / dashboard $dmed $dp999 $dmax; $dslow"
echo "refresh wall ms (the same): -b $bwmed $bwp999 $bwmax; $bwslow / dashboard $dwmed $dwp999 $dwmax; $dwslow"
set -- $(stats "$T/c.ref" 3)
echo "canary CPU ms (median, 99.9th, max; over 3x the median): $cmed $2 $3; $(awk -v m="$cmed" '$3 > 3 * m { n++ } END { print n + 0 }' "$T/c.ref") of $(wc -l < "$T/c.ref") rounds; stderr $(wc -c < "$T/c.err" 2> /dev/null || echo 0) bytes"
echo "refreshes with the canary slow within 1 s: -b $bshare, dashboard $dshare"
echo "in noisy 5 minutes (the canary slow near over 0.05 of their refreshes; not judged): -b $bnshare of the refreshes, $bnoisy slow; dashboard $dnshare, $dnoisy slow"
echo "over 5x the median with the canary slow too, in quiet 5 minutes (the machine's): -b $bcan of $bslow, dashboard $dcan of $dslow"
# the slow ones, with what MEMTOP_TIMING says of them: page faults (memory
# given back and touched again) and preemptions (a cold cache after)
slow() {	# file median: the refreshes over 5x the median, at most 10
	awk -v m="$2" -v cm="$cmed" 'FNR == NR { c[++nc] = $7; v[nc] = $3; next }
	    $3 > 5 * m { lo = $13 - $5 / 1000 - 1; hi = $13 + 1; x = 0
		for (i = 1; i <= nc; i++) if (c[i] >= lo && c[i] <= hi && v[i] > x) x = v[i]
		printf "  refresh %d: cpu %s ms, wall %s ms, procs %s, minflt %s, nivcsw %s; canary within 1 s at most %s ms (%.1fx its median)\n", FNR + 100, $3, $5, $7, $9, $11, x, (cm > 0 ? x / cm : 0)
		p = "    phases (cpu/wall ms):"
		for (i = 15; i < NF; i += 2) p = p " " $i " " $(i + 1)
		print p
		if (++n == 10) exit }' "$T/c.ref" "$1"
}
# each phase's median CPU ms over the run (MEMTOP_TIMING's phases), to set
# a slow refresh's phases against
phasemed() {
	awk '{ for (i = 15; i < NF; i += 2) { split($(i + 1), f, "/"); print $i, f[1] } }' "$1" |
	    sort -k1,1 -k2,2n | awk '$1 != k { if (k != "") o = o " " k " " a[int((n + 1) / 2)]; k = $1; n = 0 }
		{ a[++n] = $2 } END { if (k != "") o = o " " k " " a[int((n + 1) / 2)]; print substr(o, 2) }'
}
fltmed() { awk '{ print $9 }' "$1" | sort -n | awk '{ a[NR] = $1 } END { print NR ? a[int((NR + 1) / 2)] : 0 }'; }
echo "median minor faults per refresh: -b $(fltmed "$T/b.ref"), dashboard $(fltmed "$T/d.ref")"
echo "median phase CPU ms, -b: $(phasemed "$T/b.ref")"
echo "median phase CPU ms, dashboard: $(phasemed "$T/d.ref")"
# when, by 5 minutes from the canary's start: its slow rounds beside the
# slow refreshes (a machine slow for a while shows in all three columns)
echo "by 5 minutes: canary rounds over 3x its median, -b and dashboard refreshes over 5x theirs:"
awk -v cm="$cmed" -v bm="$bmed" -v dm="$dmed" 'FNR == 1 { f++ } f == 1 && FNR == 1 { t0 = $7 }
    { t = f == 1 ? $7 : $13; k = int((t - t0) / 300); if (k > last) last = k }
    f == 1 && $3 > 3 * cm { c[k]++ } f == 2 && $3 > 5 * bm { b[k]++ } f == 3 && $3 > 5 * dm { d[k]++ }
    END { for (k = 0; k <= last; k++) printf "  %3d-%3d min: %d %d %d\n", k * 5, k * 5 + 5, c[k], b[k], d[k] }' "$T/c.ref" "$T/b.ref" "$T/d.ref"
[ "$bslow" -eq 0 ] || { echo "-b, over 5x the median:"; slow "$T/b.ref" "$bmed"; }
[ "$dslow" -eq 0 ] || { echo "dashboard, over 5x the median:"; slow "$T/d.ref" "$dmed"; }
echo "samples after each burst: $ns ($((w - 1)) warm-up left out)"
echo "-b --json: RSS $(tail -n +$w "$T/samples" | awk 'NF && $2 > 0 { print $2 }' | sort -n | sed -n '1p;$p' | tr '\n' ' ')KiB (range $(flat 2) KiB), fds range $(flat 3)"
echo "dashboard: RSS $(tail -n +$w "$T/samples" | awk 'NF >= 6 { print $6 }' | sort -n | sed -n '1p;$p' | tr '\n' ' ')KiB (range $(flat 6) KiB), fds range $(flat 7); still running: $alive"
echo "processes on the node at the samples: $(tail -n +$w "$T/samples" | awk 'NF { print $4 }' | sort -n | sed -n '1p;$p' | tr '\n' ' ')"
ok=1
[ "$(flat 2)" -le 2048 ] || { echo "MISS: -b RSS not flat"; ok=0; }
[ "$(flat 6)" -le 2048 ] || { echo "MISS: dashboard RSS not flat"; ok=0; }
[ "$bown" -eq 0 ] || { echo "MISS: -b: $bown refreshes over 5x the median CPU, not the machine's"; ok=0; }
[ "$down" -eq 0 ] || { echo "MISS: dashboard: $down refreshes over 5x the median CPU, not the machine's"; ok=0; }
awk -v a="$bnshare" -v b="$dnshare" 'BEGIN { exit !(a <= 0.25 && b <= 0.25) }' ||
    { echo "MISS: the machine was noisy for over a quarter of the run (-b $bnshare, dashboard $dnshare of the refreshes): it proves nothing, run it again"; ok=0; }
[ -s "$T/c.ref" ] || { echo "MISS: no canary timings"; ok=0; }
[ -s "$T/b.ref" ] && [ -s "$T/d.ref" ] || { echo "MISS: no refresh timings (a memtop without MEMTOP_TIMING lines?)"; ok=0; }
set -- $(fdtrend 3 4); fb1=$1; fb2=$2
set -- $(fdtrend 7 8); fd1=$1; fd2=$2
echo "open files per process, first and last third: -b $fb1 -> $fb2, dashboard $fd1 -> $fd2"
awk -v a="$fb1" -v b="$fb2" 'BEGIN { exit !(b <= a * 1.25 + 0.25) }' || { echo "MISS: -b open files grow"; ok=0; }
awk -v a="$fd1" -v b="$fd2" 'BEGIN { exit !(b <= a * 1.25 + 0.25) }' || { echo "MISS: dashboard open files grow"; ok=0; }
[ "$alive" = yes ] || { echo "MISS: the dashboard exited"; ok=0; }
[ -s "$T/b.err" ] && { echo "MISS: -b wrote to stderr:"; head -5 "$T/b.err"; ok=0; }
[ "$brc" = 0 ] && [ "$refreshes" = "$N" ] || { echo "MISS: -b ended with status $brc after $refreshes of $N refreshes"; ok=0; }
cp "$T/samples" "${SOAK_SAMPLES:-/dev/null}" 2>/dev/null
[ -n "${SOAK_TIMING:-}" ] && mkdir -p "$SOAK_TIMING" && cp "$T/b.timing" "$T/d.timing" "$T/c.timing" "$SOAK_TIMING/"
[ $ok = 1 ] && echo "PASS"
[ $ok = 1 ]
