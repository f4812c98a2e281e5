# make soak's verdict on one memtop's slow refreshes, judged against the
# canary in the refresh's own 5 minutes (bench/soak.sh).
#
#   awk -v m=MEDIAN -v cm=CANARY_MEDIAN -f soak_judge.awk c.ref x.ref
#
# c.ref: the canary's rounds, "canary cpu_ms X wall_ms Y at S".
# x.ref: MEMTOP_TIMING refresh lines ($3 CPU ms, $5 wall ms, $13 `at`).
# A refresh is slow over 5x m; the canary is slow over 3x cm. A refresh
# "has the canary slow" when a slow round fell within 1 s of it (from its
# start, $13 less its wall time, to 1 s after its end).
#
# The run is cut in 5-minute windows from the canary's first round. In a
# window where 5 % of the refreshes or fewer have the canary slow, a slow
# refresh with the canary slow is the machine's (that it met a slow canary
# by chance is unlikely) and one without it is memtop's. A window where
# more have it is noisy: the canary says the machine was busy for much of
# it, and coincidence tells nothing there; its slow refreshes are counted
# apart, not judged. soak.sh fails a run whose noisy windows hold over a
# quarter of the refreshes: that run proves nothing either way.
#
# Prints: "slow machine own noisy_slow noisy_share share"
#   slow        refreshes over 5x m
#   machine     of them, in a quiet window with the canary slow
#   own         of them, in a quiet window without it: memtop's
#   noisy_slow  of them, in a noisy window
#   noisy_share the share of all refreshes in noisy windows
#   share       the share of all refreshes with the canary slow
FNR == NR {
	if (FNR == 1)
		t0 = $7
	if ($3 > 3 * cm)
		s[++ns] = $7
	next
}
{
	lo = $13 - $5 / 1000 - 1
	hi = $13 + 1
	while (j < ns && s[j + 1] < lo)
		j++
	hit = j < ns && s[j + 1] <= hi
	k = int(($13 - t0) / 300)
	if (k < 0)
		k = 0
	if (k > last)
		last = k
	n[k]++
	h[k] += hit
	if ($3 > 5 * m) {
		slow++
		if (hit)
			sh[k]++
		else
			sn[k]++
	}
}
END {
	for (k = 0; k <= last; k++) {
		all += n[k]
		hits += h[k]
		if (n[k] && h[k] / n[k] > 0.05) {
			noisy += n[k]
			noisy_slow += sh[k] + sn[k]
		} else {
			machine += sh[k]
			own += sn[k]
		}
	}
	printf "%d %d %d %d %.3f %.3f\n", slow, machine, own, noisy_slow,
	    all ? noisy / all : 0, all ? hits / all : 0
}
