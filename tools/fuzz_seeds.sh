#!/bin/bash
# fuzz_seeds.sh OUT: seed inputs for each fuzz target (tests/fuzz/), in
# OUT/TARGET/. Each seed starts with the option byte its target reads first.
#   capture:  the first 200 packets of the crafted test captures, 400
#             hostile frames (tests/hostile_frames.py), and 24 packets of
#             every shared capture ($FLOWSCOPE_CAPTURES, if there), with
#             option bytes spread over all combinations
#   model:    the shipped model as it is, and as a body to be checksummed
#   manifest: the shared MANIFEST.tsv and a small one
#   flow_labels: the first 300 rows of the shared FLOW_LABELS.tsv and a small one
#   csv:      CICFlowMeter-format and flowscope CSVs of the crafted captures,
#             40 rows each
#   records:  flowscope's records of the crafted captures, CSV and JSON
#             lines, 40 rows each
# Nothing here is committed: the shared captures are not ours to give away.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1
FLOWSCOPE=${FLOWSCOPE:-$ROOT/build/flowscope}
CAPTURES=${FLOWSCOPE_CAPTURES:-$ROOT/../shared/pcaps}
PY=/usr/bin/python3
mkdir -p "$OUT"/{capture,model,manifest,csv,flow_labels,records}
work=$(mktemp -d /tmp/flowscope-seeds.XXXXXX)
trap 'rm -rf "$work"' EXIT

# seed TARGET NAME OPTION FILE: OUT/TARGET/NAME is the option byte, then FILE.
seed() {
	{
		printf "\\x$(printf %02x "$3")"
		cat "$4"
	} >"$OUT/$1/$2"
}

"$PY" "$ROOT/tests/make_captures.py" "$work/cap" >/dev/null
i=0
for f in "$work"/cap/*.pcap; do
	"$PY" "$ROOT/tools/capture_head.py" 200 "$f" "$work/head"
	seed capture "crafted-$(basename "$f")" $((i * 37 % 256)) "$work/head"
	i=$((i + 1))
done
"$PY" "$ROOT/tests/hostile_frames.py" make "$work" 1
"$PY" "$ROOT/tools/capture_head.py" 400 "$work/hostile.pcap" "$work/head"
seed capture hostile-frames 0 "$work/head"
if [ -f "$CAPTURES/MANIFEST.tsv" ]; then
	for f in "$CAPTURES"/*.pcap "$CAPTURES"/*.pcapng; do
		[ -f "$f" ] || continue
		"$PY" "$ROOT/tools/capture_head.py" 24 "$f" "$work/head"
		seed capture "shared-$(basename "$f")" $((i * 37 % 256)) "$work/head"
		i=$((i + 1))
	done
	cp "$CAPTURES/MANIFEST.tsv" "$OUT/manifest/shared-MANIFEST.tsv"
	head -300 "$CAPTURES/FLOW_LABELS.tsv" >"$OUT/flow_labels/shared-head.tsv"
fi

model=$ROOT/models/default.model
seed model default-as-is 0 "$model"
head -n -1 "$model" >"$work/body"
seed model default-body 1 "$work/body"

printf 'file\tclass\tapp\na.pcap\tcall\tZoom\nsub/b.pcap\tvideo\t\nc.pcapng\tcall\tx\n' \
	>"$OUT/manifest/small.tsv"
printf 'file\ttransport\tendpoint_a\tendpoint_b\trole\tlabel\tevidence\na.pcap\tTCP\t10.0.0.1:443\t10.0.0.2:50000\tactivity\tcall\tx\na.pcap\tUDP\t2001:db8::1:53\t2001:db8::2:5000\tbackground\tother\t\na.pcap\tOTHER\t10.0.0.1:\t:\tunsure\t\t\n' \
	>"$OUT/flow_labels/small.tsv"

rm "$work/cap/link_usb.pcap" # the one flowscope refuses
"$FLOWSCOPE" replay -q --engine user --format cic -o "$work/all.csv" "$work"/cap/*.pcap
head -41 "$work/all.csv" >"$work/cic.csv"
seed csv cic 0 "$work/cic.csv"             # label column "Label"
seed csv cic-grouped $((0 | 2 << 2)) "$work/cic.csv"
"$FLOWSCOPE" replay -q --engine user -o "$work/all.csv" "$work"/cap/*.pcap
head -41 "$work/all.csv" >"$work/ours.csv"
seed csv ours 2 "$work/ours.csv"           # label column "class"
seed csv ours-grouped $((2 | 1 << 2)) "$work/ours.csv"
cp "$work/ours.csv" "$OUT/records/ours.csv"
"$FLOWSCOPE" replay -q --engine user --format json -o "$work/all.json" "$work"/cap/*.pcap
head -40 "$work/all.json" >"$OUT/records/ours.json"
