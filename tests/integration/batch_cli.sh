#!/bin/sh
# The command line without a terminal: options documented in --help and the
# man page, bad arguments refused, -b/-n/-d frames, JSON per line, a pipe that
# closes early, and unknown figures as null (never 0) for a user who cannot
# read other users' smaps_rollup.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
lib_init
T=$LIB_TMP

"$MEMTOP" --help > "$T/help" || fail "--help exit status"
# every long option in main.c's table is in --help and in memtop.1
for opt in $(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)",.*/\1/p' "$TOP_SRCDIR/src/main.c"); do
	check "--$opt in --help" grep -q -- "--$opt" "$T/help"
	pat=$(printf '%s' "--$opt" | sed 's/-/\\-/g')
	check "--$opt in memtop.1" grep -qF -- "$pat" "$TOP_SRCDIR/memtop.1"
done
check "--version" sh -c "'$MEMTOP' --version | grep -q '^memtop [0-9]'"

"$MEMTOP" --bogus > /dev/null 2> "$T/err"; rc=$?
check "unknown option exits 2" test $rc -eq 2
"$MEMTOP" -b -n abc > /dev/null 2> "$T/err"; rc=$?
check "bad -n exits 2 with a message" sh -c "test $rc -eq 2 && grep -q 'not a count' '$T/err'"
"$MEMTOP" -b --sort nope > /dev/null 2> "$T/err"; rc=$?
check "bad --sort exits 2" test $rc -eq 2
"$MEMTOP" -b -n 1 --cgroup-root /nonexistent > /dev/null 2> "$T/err"; rc=$?
check "missing --cgroup-root exits 2 with a message" sh -c "test $rc -eq 2 && grep -q 'no cgroup hierarchy' '$T/err'"

"$MEMTOP" -b -n 3 -d 0.1 > "$T/text" 2> "$T/err" || fail "-b -n 3 exit status"
check "-b -n 3: three frames" test "$(grep -c '^memtop - ' "$T/text")" -eq 3
check "-b: no error output" test ! -s "$T/err"

"$MEMTOP" -b -n 2 -d 0.1 --json > "$T/json" 2> "$T/err" || fail "--json exit status"
check "--json: two lines" test "$(wc -l < "$T/json")" -eq 2
check "--json: each line valid JSON with time and groups" \
    sh -c "jq -e 'has(\"time\") and (.groups | type == \"array\")' '$T/json' > /dev/null"
check "--json: group keys" sh -c "jq -e '[.groups[] | has(\"kind\") and has(\"cgroup\") and has(\"pod_uid\") and has(\"qos\") and has(\"memory\") and has(\"containers\")] | all' '$T/json' | grep -qx 'true
true'"
check "--json: memtop itself is listed" sh -c "jq -e '[.groups[].containers[].processes[] | select(.comm == \"memtop\")] | length >= 1' '$T/json' > /dev/null"
check "--sort pss_anon orders processes" sh -c "'$MEMTOP' -b -n 1 --json --sort pss_anon | jq -e '[.groups[].containers[] | [.processes[].pss_anon | select(. != null)] | . == (sort | reverse)] | all' > /dev/null"

# a reader that goes away: clean exit, nothing on stderr
"$MEMTOP" -b -d 0.05 2> "$T/err" | head -1 > /dev/null
rc=$?
check "memtop -b | head -1: no stderr" test ! -s "$T/err"
check "memtop -b | head -1: exit 0" test $rc -eq 0
( "$MEMTOP" -b -d 0.05 --json; echo "rc=$?" > "$T/rc" ) | head -c 10 > /dev/null
wait_for 10 test -s "$T/rc"
check "JSON writer stops when the pipe closes" grep -q 'rc=0' "$T/rc"

# not root: other users' processes have unknown PSS (null), never 0
if [ "$(id -u)" = 0 ] && id nobody > /dev/null 2>&1; then
	chmod 755 "$T"
	sleep 30 & register_pid $!
	spid=$!
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$MEMTOP" -b -n 1 --json > "$T/nobody.json" 2> "$T/err" || fail "as nobody: exit status"
	p='[.groups[].containers[].processes[] | select(.pid == '$spid')][0]'
	check "as nobody: root's sleep listed" test "$(jq -r "$p.pid" "$T/nobody.json")" = "$spid"
	check "as nobody: its rss known" test "$(jq -r "$p.rss > 0" "$T/nobody.json")" = true
	check "as nobody: its pss unknown (null)" test "$(jq -r "$p.pss" "$T/nobody.json")" = null
	check "as nobody: its pss_anon unknown (null)" test "$(jq -r "$p.pss_anon" "$T/nobody.json")" = null
	check "as nobody: own process has pss" test "$(jq -r '[.groups[].containers[].processes[] | select(.comm == "memtop" and .uid == 65534)][0].pss > 0' "$T/nobody.json")" = true
	"$MEMTOP" -b -n 1 > /dev/null 2>&1 &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$MEMTOP" -b -n 1 > "$T/nobody.txt" 2>&1
	check "as nobody: text shows '-' for the unknown" sh -c "grep -E '^ +$spid +sleep' '$T/nobody.txt' | grep -q ' - '"
fi
finish
