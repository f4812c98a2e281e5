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
# the node's memory (libproc2's meminfo) against /proc/meminfo
"$MEMTOP" -b -n 1 --json > "$T/node.json" 2>&1
mt=$(( $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) * 1024 ))
check "node mem_total is /proc/meminfo's MemTotal ($mt)" test "$(jq .node.mem_total "$T/node.json")" = "$mt"
check "node mem_available is known" test "$(jq '.node.mem_available > 0' "$T/node.json")" = true
check "--version" sh -c "'$MEMTOP' --version | grep -q '^memtop [0-9]'"

"$MEMTOP" --bogus > /dev/null 2> "$T/err"; rc=$?
check "unknown option exits 2" test $rc -eq 2
"$MEMTOP" -b -n abc > /dev/null 2> "$T/err"; rc=$?
check "bad -n exits 2 with a message" sh -c "test $rc -eq 2 && grep -q 'not a count' '$T/err'"
"$MEMTOP" -b --sort nope > /dev/null 2> "$T/err"; rc=$?
check "bad --sort exits 2" test $rc -eq 2
"$MEMTOP" -b -n 1 --cgroup-root /nonexistent > /dev/null 2> "$T/err"; rc=$?
check "missing --cgroup-root exits 2 with a message" sh -c "test $rc -eq 2 && grep -q 'no cgroup hierarchy' '$T/err'"

# values memtop refuses, each with one line on stderr and nothing else
for a in "-d inf" "-d 1e19" "-d 1e300" "-d 1e400" "-d 0.01" "-d nan" "-d 5x" \
    "-n 99999999999999999999" "-n 1e3" "-n 0" "--history 1e3" \
    "--window inf" "--pss-max-age 1e300" "--pss-budget -1"; do
	"$MEMTOP" -b -n 1 $a > "$T/out" 2> "$T/err"; rc=$?
	check "$a: refused, exit 2 ($rc): $(cat "$T/err")" sh -c \
	    "test $rc = 2 && test \$(wc -l < '$T/err') = 1 && test ! -s '$T/out'"
done
"$MEMTOP" -b -n 1 -d 0.01 2> "$T/err"
check "-d 0.01: says the minimum" grep -q "below the minimum, 0.05 seconds" "$T/err"
check "-d 0.05 (the minimum) is taken" sh -c "'$MEMTOP' -b -n 2 -d 0.05 > /dev/null"
# MEMTOP_TIMING: a line per refresh, its procs those of the refresh's
# document, its CPU no more than its wall time (one thread)
MEMTOP_TIMING=$T/timing "$MEMTOP" -b --json -n 3 -d 0.05 > "$T/docs" 2> "$T/err"
check "MEMTOP_TIMING: three refresh lines" test "$(grep -c '^refresh cpu_ms [0-9.]* wall_ms [0-9.]* procs [0-9]* minflt [0-9]* nivcsw [0-9]* at [0-9.]* phases\( [a-z-]* [0-9.]*/[0-9.]*\)* rest [0-9.]*/[0-9.]*$' "$T/timing")" = 3
# phases: where each refresh's time went, the sampler's and the model's
# steps each once, adding up to the refresh's CPU and wall time (each
# figure rounded to 1 us)
check "MEMTOP_TIMING: the phases named" awk '{ for (i = 15; i <= NF; i += 2) n[$i]++ } END { split("scan names rollups cgroups tree history rest", w, " "); for (k in w) if (n[w[k]] != NR) exit 1 }' "$T/timing"
check "MEMTOP_TIMING: the phases add up to the refresh" awk '{ c = w = 0; for (i = 16; i <= NF; i += 2) { split($i, f, "/"); c += f[1]; w += f[2] } if (c - $3 > 0.02 || $3 - c > 0.02 || w - $5 > 0.02 || $5 - w > 0.02) { print; exit 1 } }' "$T/timing"
# the first refresh builds everything: its pages are new to the process
check "MEMTOP_TIMING: the first refresh's page faults counted" awk 'NR == 1 && !($9 > 0) { exit 1 }' "$T/timing"
check "MEMTOP_TIMING: procs as in each document" test "$(awk '{ print $7 }' "$T/timing" | tr '\n' ' ')" = "$(jq -r .node.processes "$T/docs" | tr '\n' ' ')"
check "MEMTOP_TIMING: CPU > 0 and within the wall time" awk '!($3 > 0 && $3 <= $5 * 1.05 + 0.5) { exit 1 }' "$T/timing"
# at: the monotonic clock at each refresh's end, a -d (0.05 s) or more apart
check "MEMTOP_TIMING: at S rises by -d or more" awk 'NR > 1 && !($13 >= last + 0.045) { exit 1 } { last = $13 }' "$T/timing"
check "MEMTOP_TIMING: nothing on stderr" test ! -s "$T/err"
# --pss-max-age: first readings fall due early (staggered, up to a quarter
# of it), none gets older than it and a refresh or two, over two rounds
"$MEMTOP" -b --json -d 0.05 --pss-max-age 4 -n 200 > "$T/ages" 2> "$T/err"
oldest=$(jq '[.. | objects | select(has("pss_age")) | .pss_age | numbers] | max // 0' "$T/ages" | sort -n | tail -1)
check "--pss-max-age 4: readings got old ($oldest s)" awk -v a="$oldest" 'BEGIN { exit !(a >= 3) }'
check "--pss-max-age 4: none older than 4.5 s ($oldest)" awk -v a="$oldest" 'BEGIN { exit !(a <= 4.5) }'
MEMTOP_TIMING=/dev/full "$MEMTOP" -b --json -n 3 -d 0.05 > "$T/out" 2> "$T/err"; rc=$?
check "MEMTOP_TIMING=/dev/full: exit 0 ($rc), three documents" sh -c "test $rc = 0 && test \$(wc -l < '$T/out') = 3"
check "MEMTOP_TIMING=/dev/full: the failed write said once" test "$(grep -c 'MEMTOP_TIMING /dev/full: cannot write: No space left on device; no more timing lines' "$T/err")" = 1
MEMTOP_TIMING=$T/no/such/dir/timing "$MEMTOP" -b -n 1 > "$T/out" 2> "$T/err"; rc=$?
check "MEMTOP_TIMING unwritable: exit 0 ($rc), a frame" sh -c "test $rc = 0 && grep -q '^memtop - ' '$T/out'"
check "MEMTOP_TIMING unwritable: says so once" test "$(grep -c 'MEMTOP_TIMING .*no/such/dir/timing: No such file or directory; no timing lines' "$T/err")" = 1
"$MEMTOP" --serve '[]:0' -n 1 > /dev/null 2> "$T/err"; rc=$?
check "--serve []:0: refused, exit 1 ($rc): $(cat "$T/err")" sh -c \
    "test $rc = 1 && grep -q 'no address in the brackets' '$T/err'"
"$MEMTOP" --serve :0 --json -n 1 > /dev/null 2> "$T/err"; rc=$?
check "--serve with --json: refused, exit 2 ($rc)" test $rc = 2

# on a terminal (script(1) gives one): --json without -b, an unknown TERM
if command -v script > /dev/null; then
	script -qec "'$MEMTOP' --json -n 1" /dev/null > "$T/tty" 2>&1; rc=$?
	check "--json without -b on a terminal: exit 2 ($rc)" test $rc = 2
	check "--json without -b on a terminal: says -b" grep -q -- "--json goes with -b" "$T/tty"
	TERM=unknown-xyz script -qec "'$MEMTOP' -n 1" /dev/null > "$T/tty" 2>&1; rc=$?
	check "TERM=unknown-xyz: exit 0 ($rc)" test $rc = 0
	check "TERM=unknown-xyz: a note" grep -q "terminal 'unknown-xyz' is unknown" "$T/tty"
	check "TERM=unknown-xyz: then text" grep -q "^memtop - " "$T/tty"
fi
"$MEMTOP" --json -n 1 > "$T/out" 2> "$T/err" < /dev/null
check "--json without -b into a pipe: JSON, no note" sh -c "jq -e .groups '$T/out' > /dev/null && test ! -s '$T/err'"

# --host-root that cannot give names: a warning, and memtop goes on
"$MEMTOP" -b -n 1 --host-root /nonexistent > "$T/out" 2> "$T/err"; rc=$?
check "--host-root /nonexistent: exit 0 ($rc), a frame" sh -c "test $rc = 0 && grep -q '^memtop - ' '$T/out'"
check "--host-root /nonexistent: warns ($(cat "$T/err"))" grep -q -- "--host-root /nonexistent: No such file" "$T/err"
mkdir "$T/emptyroot"
"$MEMTOP" -b -n 1 --host-root "$T/emptyroot" > /dev/null 2> "$T/err"
check "--host-root without runtime state or kubelet logs: warns" grep -q "no runtime state" "$T/err"
mkdir -p "$T/podroot/var/log/pods"
"$MEMTOP" -b -n 1 --host-root "$T/podroot" > /dev/null 2> "$T/err"
check "--host-root with var/log/pods: no warning" test ! -s "$T/err"

# -b takes its width from COLUMNS
for w in 200 250; do
	COLUMNS=$w "$MEMTOP" -b -n 1 > "$T/out" 2> "$T/err"
	check "COLUMNS=$w: the table is $w wide" test "$(grep '^KIND' "$T/out" | awk '{ print length($0) }')" = $w
done
COLUMNS=200 "$MEMTOP" -b -n 1 | grep '^KIND' > "$T/k200"
COLUMNS=80 "$MEMTOP" -b -n 1 | grep '^KIND' > "$T/k80"
# the name column at its minimum, 16: the 80-column table is the rest
# (L80 = fixed + 16) and its columns moved left by (200 - fixed) - 16
check "COLUMNS=80: the name column at its minimum, 16" awk -v a="$(cat "$T/k200")" -v b="$(cat "$T/k80")" \
    'BEGIN { exit !(index(a, "RSS") - index(b, "RSS") == 200 - length(b) && length(b) > 80) }'

COLUMNS=abc "$MEMTOP" -b -n 1 > "$T/out" 2> "$T/err"
check "COLUMNS=abc: a note, the default width" sh -c "grep -q 'COLUMNS=abc: not a width' '$T/err' && grep '^KIND' '$T/out' | grep -q '^KIND       NAME  *RSS' && test \$(grep '^KIND' '$T/out' | awk '{ print index(\$0, \"RSS\") }') -gt 50"

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
