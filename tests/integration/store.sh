#!/bin/sh
# The history store with real processes in kubelet-shaped cgroups: a
# recorder runs while a pod's anon memory steps up twice; then a *new*
# memtop's first -b --json refresh reports the pod's growth since its
# container started (within 5 % of the steps), and the dashboard, sorted by
# anon growth, puts it first and says where the history starts; sorted by
# PssAnon (read after the first screen) its sparkline has the steps too. A second
# recorder refuses, naming the first one's pid. kill -9 of the recorder 20
# times: the store opens, every earlier sample is still there. A store on a
# full tmpfs: one message, the textfile keeps coming, recording resumes when
# space is freed. A garbage file and a newer schema: clear refusals, nothing
# overwritten.
. "${TOP_SRCDIR:-.}/tests/integration/store_lib.sh"

U1=$(rand_uuid); C1=$(rand_hex64)	# st-a/steps-0: grows in steps
U2=$(rand_uuid); C2=$(rand_hex64)	# st-b/flat-0: bigger, flat
for x in "st-a_steps-0_$U1 steps-0_st-a_app-$C1" "st-b_flat-0_$U2 flat-0_st-b_app-$C2"; do
	set -- $x
	mkdir -p "$H/var/log/pods/$1/app" "$H/var/log/containers"
	ln -s "/var/log/pods/$1/app/0.log" "$H/var/log/containers/$2.log"
done
mkcg "$V1/kubepods/burstable/pod$U1/$C1" || exit 99
mkcg "$V1/kubepods/burstable/pod$U2/$C2" || exit 99
spawn_in "$T/p2" "$V1/kubepods/burstable/pod$U2/$C2/cgroup.procs" -- "$HELPERS/alloc_anon" 500; P2=$SPAWNED
wait_for 30 grep -q ready "$T/p2" || exit 99

q() { sqlite3 -batch "$DB" "$@"; }
# the newest recorded RssAnon of pod U1, in MiB
pod_anon() {
	q "SELECT s.rss_anon / $MiB FROM sample s JOIN entity e ON e.id = s.entity WHERE e.ident = 'pod:$U1' ORDER BY s.t DESC LIMIT 1" 2>/dev/null
}
pod_anon_ge() { v=$(pod_anon); [ "${v:-0}" -ge "$1" ]; }
runs_gt() { v=$(q "SELECT count(*) FROM run" 2>/dev/null); [ "${v:-0}" -gt "$1" ]; }
refreshes() { awk '/^memtop_refreshes_total/ { print $2 }' "$T/tf/memtop.prom"; }
refreshes_gt() { v=$(refreshes); [ "${v:-0}" -gt "$1" ]; }
run_moved() { [ "$(sqlite3 "$T/full/h.db" "SELECT max(last) > $1 FROM run")" = 1 ]; }

# --- the recorder while the pod steps 80 -> 250 -> 420 MiB (the pod is
# at 80 when the recorder starts: its first sample is the baseline; the
# first step comes 30 s later, after the recorder's first refresh: that
# reads every process fully, up to 20 s on a busy node in the ASan build;
# should it come later, the first sample is not 80 and a check says so)
spawn_in "$T/p1" "$V1/kubepods/burstable/pod$U1/$C1/cgroup.procs" -- "$HELPERS/alloc_anon" 80 170 30 2; P1=$SPAWNED
wait_for 30 grep -q ready "$T/p1" || exit 99
"$MEMTOP" record --store "$DB" -d 0.2 --host-root "$H" 2> "$T/rec.err" & REC=$!
register_pid $REC
check "the recorder says it records" wait_for 20 grep -q "recording $DB" "$T/rec.err"
wait_for 60 pod_anon_ge 70
wait_for 90 grep -q "step 2" "$T/p1" || { fail "stepping helper did not finish"; cat "$T/p1"; }
check "the recorder wrote the pod's last step" wait_for 20 pod_anon_ge 400
check "the store has the pod with its names" test "$(q "SELECT namespace || '/' || pod FROM entity WHERE ident = 'pod:$U1'")" = "st-a/steps-0"
check "the first sample of the pod is about 80 MiB" within "$(q "SELECT s.rss_anon / $MiB FROM sample s JOIN entity e ON e.id = s.entity WHERE e.ident = 'pod:$U1' ORDER BY s.t LIMIT 1")" 80 10
check "PRAGMA journal_mode is wal" test "$(q 'PRAGMA journal_mode')" = wal
check "schema version 1" test "$(q 'PRAGMA user_version')" = 1

# --- a second recorder refuses, naming the first
"$MEMTOP" record --store "$DB" -n 1 2> "$T/rec2.err"; rc=$?
check "a second recorder exits 1" test $rc = 1
check "and names the first one's pid ($REC)" grep -q "pid $REC" "$T/rec2.err"

# --- a new memtop, while the recorder goes on: growth since container start
steps=$(( $(rollup_kib $P1 Anonymous) / 1024 - 80 ))
"$MEMTOP" -b --json -n 1 --store "$DB" --host-root "$H" > "$T/json" 2> "$T/json.err"
g=$(jq -r --arg u "$U1" '.groups[] | select(.pod_uid == $u) | .anon_growth' "$T/json")
echo "growth since container start: $g bytes; the steps: $steps MiB"
check "first -b --json refresh: pod growth within 5 % of the steps" within "$(( ${g:-0} / MiB ))" "$steps" 5
g2=$(jq -r --arg u "$U2" '.groups[] | select(.pod_uid == $u) | .anon_growth' "$T/json")
check "the flat pod's growth is small (${g2:-?} bytes)" test "${g2:-999999999}" -lt $((8 * MiB))
check "no error output" test ! -s "$T/json.err"
# without the store: growth only since memtop started
"$MEMTOP" -b --json -n 1 --store none --host-root "$H" > "$T/json0"
g0=$(jq -r --arg u "$U1" '.groups[] | select(.pod_uid == $u) | .anon_growth' "$T/json0")
check "with --store none it is 0 ($g0)" test "$g0" = 0

# --- the dashboard: sorted by anon growth, the stepping pod first
tui_init
# (-d 5: the recorder's minute or two fit the sparkline, a slot per refresh)
$TM new-session -d -s mt -x 180 -y 40 "sh -c '\"$MEMTOP\" -d 5 --sort anon-growth --store \"$DB\" --host-root \"$H\"; sleep 60'"
wait_for 15 screen_has "NAME"
$TM send-keys -t mt / st- Enter
check "the header says where the history starts" wait_for 10 screen_has "history since .* from $DB"
check "sorted by anon growth, the stepping pod is first" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -E '^. st-' | head -1 | grep -q steps-0"
check "its growth is shown (+3xxM)" sh -c "$TM capture-pane -p -t mt | grep -E '^. st-a/steps-0' | grep -Eq '\+3[0-9][0-9]M'"
levels=$(screen | grep -E '^. st-a/steps-0' | grep -o '[▁▂▃▄▅▆▇█]' | sort -u | wc -l)
check "its sparkline shows the steps from before launch ($levels levels)" test "$levels" -ge 3
$TM send-keys -t mt q
# sorted by pss_anon, the sparkline is PssAnon's: a figure read once the
# first screen is drawn (the start reads RssAnon, RSS, charge, working set)
$TM kill-server 2>/dev/null
wait_for 5 sh -c "! $(echo "$TM") has-session 2>/dev/null"
$TM new-session -d -s mt -x 180 -y 40 "sh -c '\"$MEMTOP\" -d 5 --sort pss_anon --store \"$DB\" --host-root \"$H\"; sleep 60'"
wait_for 15 screen_has "NAME"
$TM send-keys -t mt / steps- Enter
plevels() { screen | grep -E '^. st-a/steps-0' | grep -o '[▁▂▃▄▅▆▇█]' | sort -u | wc -l; }
psteps() { [ "$(plevels)" -ge 3 ]; }
wait_for 10 psteps
check "sorted by pss_anon, its sparkline shows the steps too ($(plevels) levels)" test "$(plevels)" -ge 3
$TM send-keys -t mt q
tui_cleanup
"$MEMTOP" -b -n 1 --store "$T/absent.db" > /dev/null 2> "$T/absent.err"
check "no store: -b says nothing" test ! -s "$T/absent.err"

kill $REC; wait $REC
check "the recorder stops on SIGTERM" test ! -d /proc/$REC

# --- kill -9 while it writes, 20 times
bad=0
for i in $(seq 1 20); do
	before=$(q "SELECT count(*) FROM sample")
	runs=$(q "SELECT count(*) FROM run")
	"$MEMTOP" record --store "$DB" -d 0.05 2>> "$T/kill.err" & K=$!
	register_pid $K
	# wait for this run's row and some of its refreshes, then kill it
	wait_for 20 runs_gt "$runs"
	mid=$(q "SELECT count(*) FROM sample")
	kill -9 $K; wait $K 2>/dev/null
	after=$(q "SELECT count(*) FROM sample")
	ok=$(q "PRAGMA quick_check")
	if [ "$ok" != ok ] || [ "${after:-0}" -lt "$mid" ] || [ "$mid" -lt "$before" ]; then
		bad=$((bad + 1)); echo "kill $i: check=$ok before=$before mid=$mid after=$after"
	fi
done
check "20 x kill -9: the store opens and keeps every earlier sample" test $bad = 0
"$MEMTOP" -b -n 1 --store "$DB" > /dev/null 2> "$T/after.err"
check "and memtop reads it without complaint" test ! -s "$T/after.err"

# --- garbage and a newer schema: refused, untouched
head -c 100000 /dev/urandom > "$T/garbage.db"; cp "$T/garbage.db" "$T/garbage.orig"
"$MEMTOP" record --store "$T/garbage.db" -n 1 2> "$T/g.err"; rc=$?
check "garbage store: recorder exits 1" test $rc = 1
check "garbage store: says it is not a store" grep -q "not a memtop history store" "$T/g.err"
check "garbage store: left as it was" cmp -s "$T/garbage.db" "$T/garbage.orig"
"$MEMTOP" -b -n 1 --store "$T/garbage.db" > "$T/g.out" 2> "$T/g2.err"
check "garbage store: -b says so and still prints" sh -c "grep -q 'not a memtop history store' '$T/g2.err' && grep -q '^KIND' '$T/g.out'"
"$MEMTOP" record --store "$T/garbage.db" --store-reset -n 1 2> /dev/null
check "--store-reset replaces it" test "$(sqlite3 "$T/garbage.db" 'PRAGMA user_version')" = 1
cp "$DB" "$T/future.db"; sqlite3 "$T/future.db" "PRAGMA user_version = 2"
"$MEMTOP" record --store "$T/future.db" -n 1 2> "$T/f.err"; rc=$?
check "newer schema: recorder refuses" sh -c "[ $rc = 1 ] && grep -q 'schema version 2' '$T/f.err'"

# --- a full tmpfs: say so once, keep exporting, resume
mkdir "$T/full" "$T/tf"
mount -t tmpfs -o size=3m memtop-store$$ "$T/full" || exit 99
LIB_CLEANUPS="$LIB_CLEANUPS umount_full"
umount_full() { umount "$T/full" 2>/dev/null; }
"$MEMTOP" --textfile "$T/tf" --record --store "$T/full/h.db" -d 0.1 2> "$T/full.err" & F=$!
register_pid $F
wait_for 20 grep -q "recording" "$T/full.err" || { fail "no recorder on tmpfs"; cat "$T/full.err"; }
wait_for 20 test -s "$T/full/h.db"
dd if=/dev/zero of="$T/full/filler" bs=64k 2> /dev/null
check "disk full: said once" wait_for 20 grep -q "cannot write" "$T/full.err"
r1=$(refreshes)
check "the textfile keeps coming" wait_for 30 refreshes_gt $((r1 + 3))
check "the message is not repeated" test "$(grep -c 'cannot write' "$T/full.err")" = 1
check "the recorder is alive" test -d /proc/$F
rm -f "$T/full/filler"
check "space freed: recording again" wait_for 20 grep -q "recording again" "$T/full.err"
n1=$(sqlite3 "$T/full/h.db" "SELECT max(last) FROM run")
check "and the store moves on" wait_for 10 run_moved "$n1"
kill $F; wait $F
cat "$T/full.err"
finish
