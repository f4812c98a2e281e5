#!/bin/sh
# Names chosen by a process's owner in text output: a cgroup name and a
# HOSTNAME full of terminal escapes (ESC, BEL, TAB) print no byte below 0x20
# but newlines in `-b` (they show as ^[, ^G, ^I); names in CJK and with
# combining marks keep the columns of `-b` and of the dashboard aligned
# (padding by display cells, not bytes).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
T=$LIB_TMP
need_v1
command -v python3 > /dev/null || { echo "ERROR: no python3"; exit 99; }

tag=mt$$
esc=$(printf '%s-esc\033]0;pwned\007\tx\033[31mred\033[0m' $tag)
cjk=$(printf '%s-\346\227\245\346\234\254\350\252\236\343\201\256\345\220\215\345\211\215' $tag)	# 日本語の名前
comb=$(printf '%s-cafe\314\201-nai\314\210ve' $tag)	# café, naïve with combining marks
long=$cjk$(printf '\346\227\245%.0s' $(seq 40))	# 40 more wide characters
# mkcg and LIB_CGROUPS split paths at the TAB: this one by hand
mkdir "$V1/$esc" || exit 99
rm_esc() { rmdir "$V1/$esc"; }
LIB_CLEANUPS="$LIB_CLEANUPS rm_esc"
for n in "$cjk" "$comb" "$long"; do
	mkcg "$V1/$n" || exit 99
done
# sleep_in CGROUP: a sleep in it (spawn_in splits its paths at the TAB)
sleep_in() {
	sh -c 'echo $$ > "$1/cgroup.procs" && exec sleep 300' sh "$1" & register_pid $!
	wait_for 10 grep -q "^[0-9]" "$1/cgroup.procs" || exit 99
}
for n in "$esc" "$cjk" "$comb" "$long"; do
	sleep_in "$V1/$n"
done
# a pod without runtime state or logs: named from HOSTNAME in its environ
uid=$(rand_uuid); cid=$(rand_hex64)
mkcg "$V1/kubepods/burstable/pod$uid/$cid" || exit 99
hn=$(printf 'web\033]2;title\007\t7\033c')
spawn_in "$T/pod.out" "$V1/kubepods/burstable/pod$uid/$cid/cgroup.procs" -- \
    env HOSTNAME="$hn" sleep 300
wait_for 10 sh -c "grep -q '^0::\|memory:/kubepods/burstable/pod$uid' /proc/$SPAWNED/cgroup"
# and exec'd (the shell that moved itself has no HOSTNAME yet)
wait_for 10 sh -c "tr '\\0' '\\n' < /proc/$SPAWNED/environ | grep -q '^HOSTNAME=web'"

"$MEMTOP" -b -n 1 > "$T/out" 2> "$T/err" || fail "memtop -b exit status"
check "no error output" test ! -s "$T/err"
check "-b: the escape cgroup is listed" grep -q "$tag-esc" "$T/out"
check "-b: the HOSTNAME pod is listed" grep -q "web^\[\]2;title^G^I7" "$T/out"
bad=$(LC_ALL=C tr -d '\n\040-\176\200-\377' < "$T/out" | wc -c)
check "-b: no byte below 0x20 but newlines, no DEL ($bad found)" test "$bad" = 0
check "-b: ESC, BEL and TAB shown as ^[, ^G, ^I" grep -qF "$tag-esc^[]0;pwned^G^Ix^[[31mred^[[0m" "$T/out"

# every table row (the KIND header onwards) has the same display width, and
# the RSS column ends at the same cell on each: python's own idea of widths
# (East Asian wide = 2, combining = 0)
cat > "$T/width.py" <<'EOF'
import sys, unicodedata
def w(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("KIND"))
# table rows, not the diagnosis lines under a group ("  why ...")
rows = [l for l in lines[start:] if l and not l.startswith("  why ")]
widths = {w(l) for l in rows}
mine = [l for l in rows if sys.argv[2] in l]
print("%d rows, widths %s, %d of ours" % (len(rows), sorted(widths), len(mine)))
for l in mine:
    print(l)
sys.exit(0 if len(widths) == 1 and len(mine) >= 4 else 1)
EOF
check "-b: CJK and combining names keep every row the same width" \
    python3 "$T/width.py" "$T/out" "$tag"
LANG=C LC_ALL=C "$MEMTOP" -b -n 1 > "$T/out.c" 2>&1
check "-b under LC_ALL=C: the same widths" python3 "$T/width.py" "$T/out.c" "$tag"

# the dashboard: the RSS column of a long CJK cgroup row where the header has it
if command -v tmux > /dev/null; then
	tui_init
	$TM new-session -d -s mt -x 160 -y 60 "\"$MEMTOP\" -d 0.5; sleep 60"
	# only our rows: filter by the tag (the node has more than a screenful)
	wait_for 10 screen_has "NAME"
	$TM send-keys -t mt / "$tag" Enter
	# wait for all four (the first refresh draws them together)
	wait_for 10 sh -c "[ \$($TM capture-pane -p -t mt | grep -c '$tag-') -ge 4 ]" ||
	    fail "dashboard: our rows not shown"
	screen > "$T/screen"
	cat > "$T/cols.py" <<'EOF'
import re, sys, unicodedata
def w(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
def ends(l):
    return {w(l[:m.end()]) for m in re.finditer(r"\S+", l)}
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = next(l for l in lines if " PSS " in l and "PssAnon" in l)
want = {w(head[:m.end()]) for m in
        re.finditer(r"\b(PSS|PssAnon|PssFile|ShrClean|PrvDirty)\b", head)}
# group rows start with a fold marker (the filter line has the tag too)
mine = [l for l in lines if sys.argv[2] in l and l[:1] in "\u25b8\u25be+-"]
for l in mine:
    print(l)
print("columns end at", sorted(want))
sys.exit(0 if len(want) == 5 and len(mine) == 4 and
         all(want <= ends(l) for l in mine) else 1)
EOF
	check "dashboard: CJK, combining and long CJK rows: figures under their titles" \
	    python3 "$T/cols.py" "$T/screen" "$tag"
fi
finish
