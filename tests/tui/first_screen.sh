#!/bin/sh
# The dashboard's first screen (issue 19): on a node with a few hundred
# processes it is drawn before every smaps_rollup and maps is read (the
# MEMTOP_TIMING line of the first screen says how many were left); until a
# process is read its PSS cell is '-' (the catch-up held with p typed
# ahead); then, at -d 600 and without a key, the catch-up reads them all and
# no PSS is unknown, whatever the sort (flat list, PSS, unknowns last, End).
# Sorted by PSS before the catch-up, the rows on top are the ones read.
# At 200x50 and at 80x24.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
need_v1
tui_init

NPODS=30; NPER=10
P=$(rand_uuid | cut -c1-8)
i=0
while [ $i -lt $NPODS ]; do
	U=$P-0000-4000-8000-$(printf '%012d' $i)
	C=$(rand_hex64)
	mkcg "$V1/kubepods/burstable/pod$U/$C" || exit 99
	j=0
	while [ $j -lt $NPER ]; do
		spawn_in "$LIB_TMP/r$i.$j" "$V1/kubepods/burstable/pod$U/$C/cgroup.procs" -- "$HELPERS/alloc_anon" $((1 + j % 3))
		j=$((j + 1))
	done
	i=$((i + 1))
done
all_ready() {
	for f in "$LIB_TMP"/r*; do grep -q ready "$f" || return 1; done
}
wait_for 60 all_ready || { echo "the $((NPODS * NPER)) processes did not start"; exit 99; }

TIMING=$LIB_TMP/timing
start_ui() {	# W H extra args...
	w=$1 h=$2; shift 2
	rm -f "$TIMING"
	tui_session "$w" "$h" "sh -c 'MEMTOP_TIMING=\"$TIMING\" \"$MEMTOP\" -d 600 $*; echo EXIT=\$?; sleep 60'"
}
# the PSS cells (4th field: pid, comm, RSS, PSS) of our processes' rows
pss_cells() { screen | awk '$2 == "alloc_anon" { print $4 }'; }
unknown_pss() { pss_cells | grep -qx -- '-'; }
known_pss() { [ -n "$(pss_cells)" ] && ! unknown_pss; }
timing_has() { grep -q "^$1 " "$TIMING"; }
unread_at_first() { awk '/^first-screen/ { print $5 }' "$TIMING"; }

for size in 200x50 80x24; do
	w=${size%x*}; h=${size#*x}
	# p typed ahead: read after the first screen is drawn, it holds the
	# catch-up so that the screen can be looked at before it
	start_ui "$w" "$h"
	$TM send-keys -t mt p
	check "$size: the first screen is drawn" wait_for 30 timing_has first-screen
	n=$(unread_at_first)
	check "$size: ... with processes left unread ($n)" test "${n:-0}" -gt 0
	check "$size: paused, the catch-up waits" wait_for 10 screen_has PAUSED
	# our smallest pods (the tree sorted by RSS, End): not on the first
	# screen
	$TM send-keys -t mt / "$P" Enter End
	check "$size: an unread process's PSS is '-'" wait_for 10 unknown_pss
	check "$size: ... and not 0" sh -c "! $(echo "$TM") capture-pane -p -t mt | awk '\$2 == \"alloc_anon\" { print \$4 }' | grep -qx 0"
	timing_has all-read && fail "$size: caught up while paused"
	$TM send-keys -t mt Escape
	$TM send-keys -t mt p
	check "$size: resumed, the catch-up ends" wait_for 60 timing_has all-read
	$TM send-keys -t mt / "$P" Enter t P End
	check "$size: every PSS known, flat list by PSS, last rows" wait_for 10 known_pss
	$TM send-keys -t mt q
	check "$size: q exits 0" wait_for 10 screen_has EXIT=0

	# no key at all: -d 600, the catch-up still ends
	start_ui "$w" "$h"
	check "$size: no key: the catch-up ends at -d 600" wait_for 60 timing_has all-read
	# a line per tick (the first screen's and the catch-up's), each with
	# the node's processes (ours among them) and CPU within its wall time
	check "$size: MEMTOP_TIMING: refresh lines, each with our processes" awk -v n=$((NPODS * NPER)) '
	    /^refresh / { k++; if (!($7 >= n && $3 > 0 && $3 <= $5 * 1.05 + 0.5)) bad++ }
	    END { exit !(k >= 2 && bad == 0) }' "$TIMING"
	$TM send-keys -t mt / "$P" Enter t P End
	check "$size: no key: every PSS known" wait_for 10 known_pss
	$TM send-keys -t mt q
	wait_for 10 screen_has EXIT=0 || fail "$size: q exits 0"
done

# sorted by PSS before anything but the first screen is read: the process
# rows on top have their PSS (the first screen was picked by RSS, the rows
# read sort first, unknowns last)
start_ui 200 50 --sort pss
$TM send-keys -t mt p
check "--sort pss: the first screen is drawn" wait_for 30 timing_has first-screen
wait_for 10 screen_has PAUSED || fail "--sort pss: paused"
first_proc_pss() { screen | sed -n '5,$p' | awk '$1 ~ /^[0-9]+$/ { print $4; exit }'; }
v=$(first_proc_pss)
check "--sort pss: the first process row's PSS is known ($v)" sh -c "[ -n '$v' ] && [ '$v' != '-' ]"
$TM send-keys -t mt q
wait_for 10 screen_has EXIT=0 || fail "--sort pss: q exits 0"
finish
