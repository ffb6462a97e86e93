#!/bin/bash
# Every capture in $FLOWSCOPE_CAPTURES: packets over all records equal tshark's
# count of IP frames, bytes equal the sum of IP lengths (tools/
# tshark_ip_totals.py), and the kernel engine (through the XDP and the TC
# program) and the user engine write identical records.
. "$(dirname "$0")/../lib.sh"
need_captures
require_engines

n=0
for cap in "$CAPTURES"/*.pcap "$CAPTURES"/*.pcapng; do
	name=$(basename "$cap")
	n=$((n + 1))
	ref=$("$PY" "$ROOT/tools/tshark_ip_totals.py" "$cap") || {
		fail "$name: tshark could not read it"
		continue
	}
	for engine in "${ENGINES[@]}"; do
		# shellcheck disable=SC2046
		"$FLOWSCOPE" replay -q $(engine_args "$engine") -o "$TMP/$engine.csv" "$cap" ||
			fail "$name: replay with the $engine engine failed"
		check_eq "$name ($engine): packets and bytes vs tshark" "$(csv_totals "$TMP/$engine.csv")" "$ref"
	done
	if [ "${#ENGINES[@]}" = 3 ]; then
		check_true "$name: the kernel (XDP) and user engines disagree" cmp -s "$TMP/kernel.csv" "$TMP/user.csv"
		check_true "$name: the kernel (TC) and user engines disagree" cmp -s "$TMP/tc.csv" "$TMP/user.csv"
	fi
done
check_true "captures found" [ "$n" -gt 0 ]
echo "  $n captures"
finish
