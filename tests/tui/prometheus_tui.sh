#!/bin/sh
# The dashboard with --prometheus (a real Prometheus holding 6 h of
# generated history; see tests/integration/prometheus_history.sh): on the
# first screen, line 2 says where the replicas and the history came from,
# the sick pod (stepped 230 -> 400 -> 640 MiB over the last 3 h) shows its
# growth since then, its excess over the cluster's median, and a sparkline
# with the steps, and so does its working set in the detail view; the
# dashboard keeps refreshing while Prometheus is stopped, says so on line
# 2, and q exits 0.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root
lib_init
tui_init
T=$LIB_TMP
NODE=node-t-$$
prom_cluster "$NODE"
kubelet_pod "$H" shop store-0 db 24
kubelet_pod "$H" shop store-3 db 640; P3=$SPAWNED

tui_session 180 30 "sh -c '\"$MEMTOP\" -d 0.5 --store none --host-root \"$H\" --prometheus http://127.0.0.1:$PROM_PORT --prometheus-interval 2 --sort growth; echo EXIT=\$?; sleep 60'" || exit 99
wait_for 60 screen_has "NAME"
$TM send-keys -t mt / store- Enter
check "line 2: the cluster's replicas and history from Prometheus" \
    wait_for 120 screen_has "prometheus: 60 replicas, history since .*(memtop_container_rss_anon_bytes)"
row() { screen | grep -E '^. shop/store-3 ' | head -1; }
check "the sick pod is on the first screen" wait_for 30 sh -c "$(echo "$TM") capture-pane -p -t mt | grep -qE '^. shop/store-3 '"
screen > "$T/screen.txt"
cat "$T/screen.txt"
r=$(row)
# growth since 3 h ago: /proc's anon now minus Prometheus's 230 MiB
want=$(awk '/^RssAnon:/ { printf "%d", $2 / 1024 - 230 }' /proc/$P3/status)
g=$(echo "$r" | grep -oE '\+[0-9.]+M' | head -1)
check "growth shown $g, /proc's anon - 230 MiB = ${want}M" within "$(echo "$g" | tr -d '+M')" "$want" 3
check "vs replicas: over the cluster's median, with a ratio" sh -c "echo '$r' | grep -qE '\\+[0-9.]+M ×[2-3]\\.[0-9]'"
# the sparkline: its lowest glyph (230 MiB) comes before the highest (640)
spark=$(echo "$r" | grep -oE '[▁▂▃▄▅▆▇█]+' | tail -1)
levels=$(printf '%s' "$spark" | grep -o . | sort -u | wc -l)
check "sparkline '$spark' has the steps (3 levels or more)" test "$levels" -ge 3
first=$(printf '%s' "$spark" | grep -o . | head -1)
last=$(printf '%s' "$spark" | grep -o . | tail -1)
check "sparkline rises: starts at ▁, ends at █" test "$first$last" = "▁█"

# the detail view: the working set's history from Prometheus too
$TM send-keys -t mt Escape
$TM send-keys -t mt / store-3 Enter
check "filtered to store-3" wait_for 30 sh -c "$(echo "$TM") capture-pane -p -t mt | grep -qE '^. shop/store-3 ' && ! $(echo "$TM") capture-pane -p -t mt | grep -q 'shop/store-0'"
# the pod's row (the first): a process's detail has no working set
$TM send-keys -t mt Home
wait_for 10 sh -c "$(echo "$TM") capture-pane -p -t mt | sed -n 3p | grep -q '^shop/store-3'"
$TM send-keys -t mt Enter
check "the detail view has a Working set row" wait_for 30 screen_has "^ Working set "
ws=$(screen | grep -E '^ Working set ' | grep -oE '[▁▂▃▄▅▆▇█]+' | tail -1)
levels=$(printf '%s' "$ws" | grep -o . | sort -u | wc -l)
check "its sparkline '$ws' has the steps (3 levels or more)" test "$levels" -ge 3
$TM send-keys -t mt Escape
$TM send-keys -t mt / store- Enter
check "back to the tree" wait_for 30 sh -c "$(echo "$TM") capture-pane -p -t mt | grep -qE '^. shop/store-3 '"

# Prometheus stopped: the dashboard keeps refreshing and says why
prom_stop
check "line 2: Prometheus unreachable" wait_for 60 screen_has "prometheus: cannot connect: Connection refused"
# a refresh redraws the header: its process count moves when one starts
h0=$(screen | head -1)
kubelet_pod "$H" shop store-1 db 32
if wait_for 60 sh -c "test \"\$($(echo "$TM") capture-pane -p -t mt | head -1)\" != '$h0'"; then
	ok "still refreshing: the header moved"
else
	fail "still refreshing: the header moved"
	screen
fi
check "the sick pod keeps its cluster baseline" sh -c "$(echo "$TM") capture-pane -p -t mt | grep -E '^. shop/store-3 ' | grep -q '×'"
$TM send-keys -t mt q
check "q exits 0" wait_for 30 screen_has "EXIT=0"
finish
