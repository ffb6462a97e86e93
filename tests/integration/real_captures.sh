#!/bin/bash
# Every capture in $FLOWSCOPE_CAPTURES: packets over all records equal tshark's
# count of IP frames, bytes equal the sum of IP lengths (tools/
# tshark_ip_totals.py), and the kernel engine (through the XDP and the TC
# program) and the user engine write identical records.
. "$(dirname "$0")/../lib.sh"
need_captures
require_engines

# tshark's totals for a capture, kept by its sha256 for the sanitized pass,
# which replays the same files: tshark takes most of this test's time.
REF_CACHE=$ROOT/build/tshark-ref
mkdir -p "$REF_CACHE"
tshark_totals() { # capture
	local sum
	sum=$(sha256sum <"$1" | cut -d' ' -f1)
	if [ ! -s "$REF_CACHE/$sum" ]; then
		"$PY" "$ROOT/tools/tshark_ip_totals.py" "$1" >"$REF_CACHE/$sum.tmp" &&
			mv "$REF_CACHE/$sum.tmp" "$REF_CACHE/$sum" || return 1
	fi
	cat "$REF_CACHE/$sum"
}

# Every capture the manifest lists, whatever its name ends in (.pcap, .pcapng, .cap).
n=0
while IFS=$'\t' read -r name _ <&3; do
	cap=$CAPTURES/$name
	n=$((n + 1))
	ref=$(tshark_totals "$cap") || {
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
done 3< <(tail -n +2 "$CAPTURES/MANIFEST.tsv")
check_eq "every capture of the manifest replayed" "$n" "$(ls "$CAPTURES" | grep -cE '\.(pcap|pcapng|cap)$')"
echo "  $n captures"
finish
