#!/bin/sh
# Process churn: thousands of short-lived processes, with pids reused fast,
# while memtop takes 50 refreshes 0.1 s apart. Every line is valid JSON, no
# error output, and every churn process memtop reports has the start time
# that process really had (identity = pid + start time).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
T=$LIB_TMP
: > "$T/log"
"$HELPERS/churn" 4000 "$T/log" 40 & C=$!; register_pid $C
"$MEMTOP" -b -n 50 -d 0.1 --json > "$T/out" 2> "$T/err"; rc=$?
wait $C
check "memtop exit 0" test $rc -eq 0
check "no error output" test ! -s "$T/err"
check "50 documents" test "$(wc -l < "$T/out")" -eq 50
check "every line is valid JSON" sh -c "jq -e '.groups | type == \"array\"' '$T/out' > /dev/null"
check "churn really happened ($(wc -l < "$T/log") children)" test "$(wc -l < "$T/log")" -ge 3000
check "pids were reused" test "$(cut -d' ' -f1 "$T/log" | sort | uniq -d | wc -l)" -gt 10
jq -r '.groups[].containers[].processes[] | select(.comm | startswith("churn-")) | "\(.pid) \(.start_time)"' "$T/out" | sort -u > "$T/seen"
check "memtop saw churn processes ($(wc -l < "$T/seen"))" test "$(wc -l < "$T/seen")" -gt 0
sort -u "$T/log" > "$T/truth"
check "every (pid, start) memtop reported is one that existed" test -z "$(comm -23 "$T/seen" "$T/truth")"
finish
