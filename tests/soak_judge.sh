#!/bin/sh
# make soak's verdict (bench/soak_judge.awk) on made-up timings: three
# 5-minute windows of canary rounds (1 ms each, every 10 ms) and refreshes
# (2 ms each, every 50 ms); in the first two the canary is slow twice, in
# the third every second. A slow refresh far from a slow canary round is
# memtop's; one beside a slow round in a quiet window is the machine's;
# one in the noisy window is not judged, and that window's share is said.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
lib_init
J=$TOP_SRCDIR/bench/soak_judge.awk
# the canary: slow (9 ms) at 200.5 s, 450.5 s, and every second from 600 s
awk 'BEGIN { for (i = 0; i < 90000; i++) { t = i / 100; c = 1
	if (i == 20050 || i == 45050 || (t >= 600 && i % 100 == 0)) c = 9
	printf "canary cpu_ms %s wall_ms %s at %.2f\n", c, c, t } }' > "$LIB_TMP/c.ref"
# refreshes: slow (20 ms) at the times given
refreshes() {
	awk -v slow="$*" 'BEGIN { n = split(slow, s, " "); for (i = 0; i < 18000; i++) {
		t = i / 20; c = 2; for (k = 1; k <= n; k++) if (t == s[k]) c = 20
		printf "refresh cpu_ms %s wall_ms %s procs 300 minflt 0 nivcsw 0 at %.2f\n", c, c, t } }'
}
judge() { awk -v m=2 -v cm=1 -f "$J" "$LIB_TMP/c.ref" "$LIB_TMP/r.ref"; }

# memtop's own slow refresh (100 s: no slow canary round within 1 s)
refreshes 100 > "$LIB_TMP/r.ref"
set -- $(judge)
check "a slow refresh far from a slow canary is memtop's: $*" test "$1 $2 $3 $4" = "1 0 1 0"
check "the noisy window's share of the refreshes: $5" test "$5" = 0.333
# beside the slow canary round at 200.5 s, in a quiet window
refreshes 201 > "$LIB_TMP/r.ref"
set -- $(judge)
check "a slow refresh beside a slow canary, quiet window: the machine's: $*" test "$1 $2 $3 $4" = "1 1 0 0"
# the same slow refresh 2 s later: too far from the canary to be excused
refreshes 203 > "$LIB_TMP/r.ref"
set -- $(judge)
check "2 s after the slow canary round: memtop's: $*" test "$1 $2 $3 $4" = "1 0 1 0"
# in the noisy window: not judged either way
refreshes 700.5 > "$LIB_TMP/r.ref"
set -- $(judge)
check "a slow refresh in the noisy window is not judged: $*" test "$1 $2 $3 $4" = "1 0 0 1"
# all three kinds at once
refreshes 100 201 700.5 750 > "$LIB_TMP/r.ref"
set -- $(judge)
check "each slow refresh counted once where it belongs: $*" test "$1 $2 $3 $4" = "4 1 1 2"
# the share of refreshes with the canary slow near: the noisy third (all of
# it) and two 2-second stretches of the quiet ones
check "the share with the canary slow: $6" awk -v s="$6" 'BEGIN { exit !(s >= 0.335 && s <= 0.34) }'
finish
