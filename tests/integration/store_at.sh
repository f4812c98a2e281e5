#!/bin/sh
# memtop --at TIME on a recorded store: a recorder runs while a pod in
# kubelet-shaped cgroups steps from 40 to 90 MiB and a second pod starts
# after the step; then -b --json --at prints, for a moment before the step
# and one after, the values the store holds for that moment (checked
# against the rows with sqlite3), the pod's process placed under its
# container, the second pod only after it started, "at" and "recorded":
# true, null for what is not recorded (ppid, uid); a moment before the
# recording and one in a gap between two recorders are refused (exit 1),
# saying when the store has data; a bad TIME is refused (exit 2).
. "${TOP_SRCDIR:-.}/tests/integration/store_lib.sh"

U1=$(rand_uuid); C1=$(rand_hex64); U2=$(rand_uuid); C2=$(rand_hex64)
kubelet_logs "$H" at-a step-0 "$U1" app "$C1"
kubelet_logs "$H" at-b late-0 "$U2" app "$C2"
mkcg "$V1/kubepods/burstable/pod$U1/$C1" || exit 99
mkcg "$V1/kubepods/burstable/pod$U2/$C2" || exit 99

# A = B, and not empty
eq() { [ -n "$1" ] && [ "$1" = "$2" ]; }
# the store's value of a column of entity $1 at moment $2 (its last sample)
stored() {
	q "SELECT s.$3 FROM sample s JOIN entity e ON e.id = s.entity WHERE e.ident = '$1' AND s.t <= $2 ORDER BY s.t DESC LIMIT 1"
}

spawn_in "$T/p1" "$V1/kubepods/burstable/pod$U1/$C1/cgroup.procs" -- "$HELPERS/alloc_anon" 40 50 15 1; P1=$SPAWNED
wait_for 30 grep -q ready "$T/p1" || exit 99
"$MEMTOP" record --store "$DB" -d 0.2 --host-root "$H" 2> "$T/rec.err" & REC=$!
register_pid $REC
check "the recorder says it records" wait_for 20 grep -q "recording $DB" "$T/rec.err"
check "the pod is recorded at 40 MiB" wait_for 60 anon_ge "pod:$U1" 39
# (a moment just after the sample: sqlite3 prints 15 digits, which may
# round the sample's own time down, before it)
ta=$(q "SELECT max(s.t) + 0.05 FROM sample s JOIN entity e ON e.id = s.entity WHERE e.ident = 'pod:$U1'")
wait_for 60 grep -q "step 1" "$T/p1" || fail "stepping helper did not step"
check "the step is recorded" wait_for 60 anon_ge "pod:$U1" 88
# the second pod starts after the step
spawn_in "$T/p2" "$V1/kubepods/burstable/pod$U2/$C2/cgroup.procs" -- "$HELPERS/alloc_anon" 20; P2=$SPAWNED
wait_for 30 grep -q ready "$T/p2" || exit 99
check "the second pod is recorded" wait_for 60 anon_ge "pod:$U2" 19
tb=$(q "SELECT max(t) + 0.05 FROM sample")
kill $REC; wait $REC
# a gap (the clock moves on: no recorder runs for 3 s), then a second recorder
sleep_until=$(( $(date +%s) + 3 ))
wait_for 10 sh -c "[ \$(date +%s) -ge $sleep_until ]"
"$MEMTOP" record --store "$DB" -d 0.2 -n 3 --host-root "$H" 2> /dev/null
tgap=$(q "SELECT (a.last + b.started) / 2 FROM run a, run b WHERE b.id = a.id + 1 ORDER BY a.id DESC LIMIT 1")

at() { "$MEMTOP" --json --at "@$1" --store "$DB" --host-root "$H" > "$T/at.json" 2> "$T/at.err"; }
pod() { jq -r --arg u "$1" ".groups[] | select(.pod_uid == \$u) | $2" "$T/at.json"; }
at "$ta"; rc=$?
check "--json --at (before the step): exit 0" test $rc = 0
check "no error output" test ! -s "$T/at.err"
check "\"recorded\": true and \"at\" is the moment" test "$(jq -r '.recorded, (.at | floor)' "$T/at.json" | tr '\n' ' ')" = "true ${ta%.*} "
check "the pod's RssAnon is the stored one ($(stored "pod:$U1" "$ta" rss_anon))" test "$(pod "$U1" .totals.rss_anon)" = "$(stored "pod:$U1" "$ta" rss_anon)"
check "its charge is the stored one" eq "$(pod "$U1" .memory.current)" "$(stored "pod:$U1" "$ta" charge)"
check "its PSS is the stored one" eq "$(pod "$U1" .totals.pss)" "$(stored "pod:$U1" "$ta" pss)"
check "the pod is about 40 MiB then" within "$(( $(pod "$U1" .totals.rss_anon) / MiB ))" 40 10
check "its names" test "$(pod "$U1" '.namespace + "/" + .pod')" = "at-a/step-0"
check "its container, named" test "$(pod "$U1" '.containers[] | select(.id == "'$C1'") | .name')" = app
check "its process under the container, pid $P1" test "$(pod "$U1" '.containers[].processes[].pid')" = "$P1"
check "the process's RssAnon is the stored one" eq "$(pod "$U1" '.containers[].processes[].rss_anon')" "$(q "SELECT s.rss_anon FROM sample s JOIN entity e ON e.id = s.entity WHERE e.ident LIKE 'proc:%:$P1:%' AND s.t <= $ta ORDER BY s.t DESC LIMIT 1")"
check "what is not recorded is null (ppid, uid)" test "$(pod "$U1" '.containers[].processes[] | [.ppid, .uid] | map(tostring) | join(",")')" = "null,null"
check "the second pod is not there yet" test -z "$(pod "$U2" .pod_uid)"

at "$tb"
check "--json --at (after the step): the pod's RssAnon is the stored one" eq "$(pod "$U1" .totals.rss_anon)" "$(stored "pod:$U1" "$tb" rss_anon)"
check "the pod is about 90 MiB then" within "$(( $(pod "$U1" .totals.rss_anon) / MiB ))" 90 10
check "and its growth since its first sample is the step (~50 MiB)" within "$(( $(pod "$U1" .anon_growth) / MiB ))" 50 15
check "the second pod is there, as stored" eq "$(pod "$U2" .totals.rss_anon)" "$(stored "pod:$U2" "$tb" rss_anon)"

"$MEMTOP" -b --at "@$tb" --store "$DB" > "$T/at.txt" 2> "$T/at.err"
check "-b --at: says it is recorded, and prints the pods" sh -c "head -1 '$T/at.txt' | grep -q '^recorded at .* (read-only)' && grep -q 'at-a/step-0' '$T/at.txt'"

first=$(q "SELECT min(started) FROM run")
"$MEMTOP" -b --at "@$(echo "$first" | awk '{ printf "%d", $1 - 3600 }')" --store "$DB" > /dev/null 2> "$T/before.err"; rc=$?
check "before the recording: refused (exit 1) saying when the store has data" sh -c "[ $rc = 1 ] && grep -q 'nothing recorded at .*holds' '$T/before.err'"
if [ -n "$tgap" ]; then
	"$MEMTOP" --json --at "@$tgap" --store "$DB" > /dev/null 2> "$T/gap.err"; rc=$?
	check "in the gap between two recorders: refused (exit 1)" sh -c "[ $rc = 1 ] && grep -q 'no recorder ran then' '$T/gap.err'"
else
	fail "no gap between the two recorders in the run table"
fi
# --- the dashboard at the moment: header, values, [ ] { } and g refused
tui_init
moment() { screen | grep -o 'at [0-9-]* [0-9:]* (recorded)'; }
tui_session 200 40 "sh -c '\"$MEMTOP\" --at @$ta --store \"$DB\"; sleep 60'" || exit 99
check "the dashboard: the header shows the moment, (recorded)" wait_for 15 screen_has "at $(date -d "@${ta%.*}" '+%Y-%m-%d %H:%M:%S') (recorded)"
check "the dashboard: line 1 says recorded, not a refresh interval" sh -c "$(echo "$TM") capture-pane -p -t mt | sed -n 1p | grep -q 'procs  recorded'"
$TM send-keys -t mt / step-0 Enter
check "the pod's row, at about 40 MiB" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -E '^. at-a/step-0 ' | grep -Eq ' (39|4[0-4])M '"
m0=$(moment)
moment_is() { [ "$(moment)" = "$1" ]; }
moment_not() { m=$(moment); [ -n "$m" ] && [ "$m" != "$1" ]; }
# ten samples (0.2 s apart: the header shows seconds)
$TM send-keys -t mt ']' ']' ']' ']' ']' ']' ']' ']' ']' ']'
check "] steps on through the samples: the moment moves on" wait_for 30 moment_not "$m0"
$TM send-keys -t mt '[' '[' '[' '[' '[' '[' '[' '[' '[' '['
# back to the last sample at or before the moment it started at (which
# was 0.05 s after a sample, and may be in the next second)
s0=$(q "SELECT cast(max(t) AS int) FROM sample WHERE t <= $ta")
m_s0="at $(date -d "@$s0" '+%Y-%m-%d %H:%M:%S') (recorded)"
check "[ steps back as many: the sample at or before the moment it started at ($m_s0)" wait_for 30 moment_is "$m_s0"
echo "the moment shown: $(moment)"
$TM send-keys -t mt '}'
check "} ten minutes on: nothing recorded there, said" wait_for 10 screen_has "no recorded sample after this one"
$TM send-keys -t mt g
check "g is refused (read-only)" wait_for 10 screen_has "read-only"
$TM send-keys -t mt q
# after the step: the sparkline holds the recorded past, both levels
tui_session 200 40 "sh -c '\"$MEMTOP\" --at @$tb --store \"$DB\"; sleep 60'" || exit 99
wait_for 15 screen_has "(recorded)"
$TM send-keys -t mt / step-0 Enter
check "the pod's row, at about 90 MiB" wait_for 10 sh -c "$TM capture-pane -p -t mt | grep -E '^. at-a/step-0 ' | grep -Eq ' (8[89]|9[0-4])M '"
levels=$(screen | grep -E '^. at-a/step-0 ' | grep -o '[▁▂▃▄▅▆▇█]' | sort -u | wc -l)
check "its sparkline shows the recorded step ($levels levels)" test "$levels" -ge 2
$TM send-keys -t mt q
tui_cleanup

"$MEMTOP" -b --at yesterday-ish --store "$DB" > /dev/null 2> "$T/bad.err"; rc=$?
check "a bad TIME: exit 2 with the forms" sh -c "[ $rc = 2 ] && grep -q 'not a time' '$T/bad.err'"
"$MEMTOP" -b --at -1h --store "$T/absent.db" > /dev/null 2> "$T/absent.err"; rc=$?
check "no store: exit 1, said" sh -c "[ $rc = 1 ] && grep -q 'no history store' '$T/absent.err'"
finish
