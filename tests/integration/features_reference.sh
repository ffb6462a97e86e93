#!/bin/bash
# Every capture in $FLOWSCOPE_CAPTURES: flowscope's CICFlowMeter features of
# every TCP and UDP flow, and the 21 host-pair features of every pair
# (--unit pair), agree with tools/feature_reference.py, an independent
# reimplementation on tshark's decoding (integers exactly, reals within 1e-6
# relative), and neither side has a flow or pair the other lacks. The user
# engine is enough here: real_captures.sh holds the kernel engine to
# identical records.
. "$(dirname "$0")/../lib.sh"
need_captures

# tshark decodes each capture once for both passes of make test (build and build/san).
export FS_TSHARK_CACHE=$ROOT/build/tshark-ref/decoded
n=0
flows=0
pairs=0
other_links=0
# Every capture the manifest lists, whatever its name ends in.
while IFS=$'\t' read -r name _ <&3; do
	cap=$CAPTURES/$name
	n=$((n + 1))
	if ! "$FLOWSCOPE" replay -q -e user -o "$TMP/ours.csv" "$cap"; then
		fail "$name: replay failed"
		continue
	fi
	"$PY" "$ROOT/tools/feature_reference.py" "$cap" "$TMP/ours.csv" >"$TMP/cmp.txt" 2>&1
	status=$?
	check_true "$name: features agree with the reference ($(head -3 "$TMP/cmp.txt" | tr '\n' ' '))" \
		[ "$status" = 0 ]
	flows=$((flows + $(awk '/flows compared/ { print $1 }' "$TMP/cmp.txt")))

	"$FLOWSCOPE" replay -q -e user --unit pair -o "$TMP/pairs.csv" "$cap" ||
		fail "$name: replay --unit pair failed"
	"$PY" "$ROOT/tools/feature_reference.py" --pairs "$cap" "$TMP/pairs.csv" >"$TMP/cmp.txt" 2>&1
	status=$?
	check_true "$name: pair features agree with the reference ($(head -3 "$TMP/cmp.txt" | tr '\n' ' '))" \
		[ "$status" = 0 ]
	# Frame lengths of other link types are not comparable (802.11 FCS, headers).
	if grep -q "not Ethernet" "$TMP/cmp.txt"; then
		other_links=$((other_links + 1))
	else
		pairs=$((pairs + $(awk '/pairs compared/ { print $1 }' "$TMP/cmp.txt")))
	fi
done 3< <(tail -n +2 "$CAPTURES/MANIFEST.tsv")
check_eq "every capture of the manifest compared" "$n" "$(ls "$CAPTURES" | grep -cE '\.(pcap|pcapng|cap)$')"
check_true "flows compared" [ "$flows" -gt 1000 ]
check_true "pairs compared" [ "$pairs" -gt 500 ]
check_true "most captures are Ethernet" [ "$other_links" -lt 10 ]
echo "  $n captures, $flows TCP and UDP flows, $pairs host pairs ($other_links captures not Ethernet)"
finish
