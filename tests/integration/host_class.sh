#!/bin/bash
# A record's host_class and host_score: what the host that opened the flow was
# doing over --host-window up to the flow's end, judged on the flows of that
# host recorded before it and on itself (docs/CLASSIFY.md, "A host's verdict").
. "$(dirname "$0")/../lib.sh"
need_captures
ZOOM=$CAPTURES/call__adarbachar__zoom.pcap

"$FLOWSCOPE" replay -q --engine user -o "$TMP/zoom.csv" "$ZOOM"
check_eq "replay: exit status" "$?" 0
check_eq "host columns follow the class columns" "$(head -1 "$TMP/zoom.csv" | cut -d, -f11-16)" \
	"class,confidence,cluster,kmeans_class,host_class,host_score"

# A Zoom client's call: its media on UDP 8801 beside TLS flows to the same
# server, all from one host. A TLS flow recorded after the media is said to
# be browsing by itself and to be part of a call by its host.
media=$(awk -F, 'NR > 1 && $5 == 8801 && $6 == 17 && $11 == "call"' "$TMP/zoom.csv" | wc -l)
check_eq "the media flows are calls" "$media" 2
after=$(awk -F, 'NR > 1 { if ($5 == 8801) seen = 1; else if (seen && $6 == 6) print $11 "/" $15 }' \
	"$TMP/zoom.csv" | sort | uniq -c | awk '{ print $1, $2 }')
check_eq "the TLS flows after the media: browsing, their host in a call" "$after" "5 browsing/call"

# The first record has only itself to go by: its host's class is its own, its
# score its confidence plus half the share of the window it covers (all of
# it: it lasts 81 s, the window 60 s).
check_true "the first record: the host's class is the flow's, score confidence + 0.5" \
	awk -F, 'NR == 2 { d = $12 + 0.5 - $16; exit !($11 == $15 && d < 1e-6 && d > -1e-6) }' "$TMP/zoom.csv"
# A window of 100 s: the flow covers 81.6% of it.
"$FLOWSCOPE" replay -q --engine user --host-window 100s -o "$TMP/w100.csv" "$ZOOM"
check_true "--host-window 100s: the first record's score, confidence + 0.5 x 81.6/100" \
	awk -F, 'NR == 2 { d = $12 + 0.5 * 81.612862 / 100 - $16; exit !(d < 1e-6 && d > -1e-6) }' "$TMP/w100.csv"

# Both engines judge hosts alike (their records leave in the same order).
if [ "$(id -u)" = 0 ] || [ -n "${CI:-}" ]; then
	"$FLOWSCOPE" replay -q --engine kernel -o "$TMP/kernel.csv" "$ZOOM"
	check_true "kernel and user engines: the same host verdicts" cmp -s "$TMP/kernel.csv" "$TMP/zoom.csv"
fi

# Every capture at once, on two CPUs: the records' text is made on either
# thread (the engine's helps when the queue is full or done), and the host
# columns added in order. In line on one CPU it is made in one step: the
# same records, byte for byte, CSV and JSON lines.
mapfile -t all < <(tail -n +2 "$CAPTURES/MANIFEST.tsv" | cut -f1 | sed "s|^|$CAPTURES/|")
for fmt in csv json; do
	"$FLOWSCOPE" replay -q --engine user --format $fmt -o "$TMP/two.$fmt" "${all[@]}"
	taskset -c 0 "$FLOWSCOPE" replay -q --engine user --format $fmt -o "$TMP/one.$fmt" "${all[@]}"
	check_true "all captures, $fmt: made on two threads as in line on one CPU ($(wc -l <"$TMP/two.$fmt") lines)" \
		cmp -s "$TMP/two.$fmt" "$TMP/one.$fmt"
done
check_true "... with host verdicts in them" \
	awk -F, 'NR > 1 && $15 != "" { n++ } END { exit !(n > 1000) }' "$TMP/two.csv"

# No host verdict where there is no MLP, nor for host pairs (a pair is judged as itself).
"$FLOWSCOPE" replay -q --engine user --no-model -o "$TMP/none.csv" "$ZOOM"
check_eq "--no-model: no host_class column" "$(head -1 "$TMP/none.csv" | tr ',' '\n' | grep -c '^host_class$')" 0
"$FLOWSCOPE" replay -q --engine user --unit pair -o "$TMP/pair.csv" "$ZOOM"
check_eq "--unit pair: host_class empty" "$(awk -F, 'NR > 1 && $15 != ""' "$TMP/pair.csv" | wc -l)" 0
finish
