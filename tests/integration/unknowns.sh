#!/bin/sh
# Unknown is never 0, and a sum over members some of which are unknown says
# so. As nobody, root's processes have no readable smaps_rollup: a pod whose
# only process is root's has null sums (JSON) and no PSS series (exporter);
# a pod with one root and one nobody process has the known part, listed in
# "partial", and the exporter counts the unreadable process.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
id nobody > /dev/null 2>&1 || { echo "SKIP: no user nobody"; exit 77; }
need_v1
NOBODY=$(id -u nobody)

uidA=$(rand_uuid); cidA=$(rand_hex64)	# root only
uidB=$(rand_uuid); cidB=$(rand_hex64)	# root + nobody
mkcg "$V1/kubepods/burstable/pod$uidA/$cidA" || exit 99
mkcg "$V1/kubepods/burstable/pod$uidB/$cidB" || exit 99
chmod 755 "$LIB_TMP"
spawn_in "$LIB_TMP/a" "$V1/kubepods/burstable/pod$uidA/$cidA/cgroup.procs" -- "$HELPERS/alloc_anon" 20; pa=$SPAWNED
spawn_in "$LIB_TMP/b1" "$V1/kubepods/burstable/pod$uidB/$cidB/cgroup.procs" -- "$HELPERS/alloc_anon" 30; pb1=$SPAWNED
spawn_in "$LIB_TMP/b2" "$V1/kubepods/burstable/pod$uidB/$cidB/cgroup.procs" -- setpriv --reuid=nobody --regid=nogroup --clear-groups "$HELPERS/alloc_anon" 10; pb2=$SPAWNED
for f in a b1 b2; do
	wait_for 20 grep -q ready "$LIB_TMP/$f" || { echo "helper $f did not start"; cat "$LIB_TMP/$f"; exit 99; }
done
check "premise: pod B's second process runs as nobody" test "$(awk '/^Uid:/ { print $2 }' /proc/$pb2/status)" = "$NOBODY"

J=$LIB_TMP/nobody.json
setpriv --reuid=nobody --regid=nogroup --clear-groups "$MEMTOP" -b -n 1 --json > "$J" 2> "$LIB_TMP/err" || fail "memtop as nobody: exit status"
gA='.groups[] | select(.pod_uid == "'$uidA'")'
gB='.groups[] | select(.pod_uid == "'$uidB'")'
q() { jq -r "$@" "$J"; }
check "pod A listed, one member" test "$(q "$gA | .members")" = 1
check "pod A: pss of its only (root's) process unknown: null, not 0" test "$(q "$gA | .totals.pss")" = null
check "pod A: pss_anon null" test "$(q "$gA | .totals.pss_anon")" = null
check "pod A: swap null" test "$(q "$gA | .totals.swap")" = null
check "pod A: nothing partial (all unknown)" test "$(q "$gA | .partial | length")" = 0
check "pod A: rss known (status is readable)" test "$(q "$gA | .totals.rss > 0")" = true
check "pod A's container: pss null too" test "$(q "$gA | .containers[0].totals.pss")" = null
check "pod B: two members" test "$(q "$gB | .members")" = 2
check "pod B: pss partial" test "$(q "$gB | .partial | index(\"pss\") != null")" = true
own=$(q "$gB | .containers[0].processes[] | select(.pid == $pb2) | .pss")
check "pod B: the known part is nobody's own process's pss ($own)" test "$(q "$gB | .totals.pss")" = "$own"
check "pod B: rss not partial" test "$(q "$gB | .partial | index(\"rss\") == null")" = true
kib=$(rollup_kib "$pb2" Pss)
check "pod B: known part matches /proc ($own vs $kib KiB)" within "$own" "$((kib * 1024))" 5
# anywhere in the document: a group whose live processes all have unknown
# PSS shows null, never a number
check "no all-unknown group sum shown as a number" test "$(q '[.groups[] | select(.members > 0 and ([.containers[].processes[].pss | select(. != null)] | length) == 0) | select(.totals.pss != null)] | length')" = 0
check "premise: such groups exist in this run" test "$(q '[.groups[] | select(.members > 0 and ([.containers[].processes[].pss | select(. != null)] | length) == 0)] | length > 0')" = true

# the text view: '-' for pod A's PSS, '>' before pod B's
setpriv --reuid=nobody --regid=nogroup --clear-groups "$MEMTOP" -b -n 1 > "$LIB_TMP/nobody.txt" 2>&1
# one row: KIND, "pod UID", then RSS RssAnon PSS: the PSS is field 6
field6() { awk -v re="^pod +pod $1" '$0 ~ re { n++; v = $6 } END { if (n != 1) exit 1; print v }' "$LIB_TMP/nobody.txt"; }
check "text: pod A's PSS '-'" test "$(field6 "$uidA")" = "-"
check "text: pod B's PSS marked partial ($(field6 "$uidB"))" sh -c "field6() { awk -v re=\"^pod +pod \$1\" '\$0 ~ re { n++; v = \$6 } END { if (n != 1) exit 1; print v }' '$LIB_TMP/nobody.txt'; }; field6 $uidB | grep -q '^>'"

# the exporter, as nobody: no PSS series for pod A's container, the count
# of unreadable processes for both
mkdir "$LIB_TMP/tf" && chown nobody "$LIB_TMP/tf"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$MEMTOP" --textfile "$LIB_TMP/tf" -n 1 > /dev/null 2> "$LIB_TMP/err2" || fail "exporter as nobody: exit status"
M=$LIB_TMP/tf/memtop.prom
# metric NAME UID: the value of the one series of that pod (fails if none)
metric() { awk -v re="^$1\\{.*pod_uid=\"$2\"" '$0 ~ re { n++; v = $2 } END { if (n != 1) exit 1; print v }' "$M"; }
check "exporter wrote its file" test -s "$M"
check "exporter: pod A's rss series there" test -n "$(metric memtop_container_rss_bytes "$uidA")"
check "exporter: no pss series for pod A" test "$(grep -c "^memtop_container_pss_bytes{.*pod_uid=\"$uidA\"" "$M")" = 0
check "exporter: pod A's unreadable count is 1" test "$(metric memtop_container_pss_unknown_processes "$uidA")" = 1
check "exporter: pod B's unreadable count is 1" test "$(metric memtop_container_pss_unknown_processes "$uidB")" = 1
kib=$(rollup_kib "$pb2" Pss)
check "exporter: pod B's pss is the known part (nobody's process, /proc $kib KiB)" within "$(metric memtop_container_pss_bytes "$uidB")" "$((kib * 1024))" 5
finish
