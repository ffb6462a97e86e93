#!/bin/bash
# replay classifies every record with the shipped model (models/default.model),
# or another (--model, $FLOWSCOPE_MODEL), or none (--no-model).
. "$(dirname "$0")/../lib.sh"
make_captures
C=$TMP/cap
require_engines

for engine in "${ENGINES[@]}"; do
	# shellcheck disable=SC2046
	"$FLOWSCOPE" replay -q $(engine_args "$engine") -o "$TMP/$engine.csv" "$C/cic_quirks.pcap" "$C/pairs.pcap"
done
f=$TMP/user.csv
check_eq "class columns follow end_reason" "$(head -1 "$f" | cut -d, -f10-14)" "end_reason,class,confidence,cluster,kmeans_class"
check_eq "every record has a class of the model's" \
	"$(awk -F, 'NR > 1 && $11 !~ /^(call|video|browsing)$/' "$f" | wc -l)" 0
check_eq "confidence is a probability above 1/3" \
	"$(awk -F, 'NR > 1 && !($12 > 0.3333 && $12 <= 1)' "$f" | wc -l)" 0
check_eq "clusters are numbered" "$(awk -F, 'NR > 1 && $13 !~ /^[0-9]+$/' "$f" | wc -l)" 0
if [ "${#ENGINES[@]}" = 3 ]; then
	check_true "kernel and user engines classify alike" cmp -s "$TMP/kernel.csv" "$f"
fi

"$FLOWSCOPE" replay -q --engine user --format cic "$C/cic_quirks.pcap" >"$TMP/cic.csv"
check_eq "cic Label is the class" "$(awk -F, 'NR > 1 { print $NF }' "$TMP/cic.csv" | grep -cvE '^(call|video|browsing)$')" 0

"$FLOWSCOPE" replay -q --engine user --no-model "$C/pairs.pcap" >"$TMP/none.csv"
check_eq "--no-model: no class column" "$(head -1 "$TMP/none.csv" | tr ',' '\n' | grep -c '^class$')" 0
"$FLOWSCOPE" replay -q --engine user --no-model --format cic "$C/pairs.pcap" >"$TMP/none.csv"
check_eq "--no-model: CICFlowMeter's label" "$(awk -F, 'NR == 2 { print $NF }' "$TMP/none.csv")" NeedManualLabel

cp "$ROOT/models/default.model" "$TMP/same.model"
"$FLOWSCOPE" replay -q --engine user --model "$TMP/same.model" -o "$TMP/same.csv" "$C/cic_quirks.pcap" "$C/pairs.pcap"
check_true "--model: the same model, the same records" cmp -s "$TMP/same.csv" "$f"

head -c 3000 "$ROOT/models/default.model" >"$TMP/cut.model"
err=$(FLOWSCOPE_MODEL=$TMP/cut.model "$FLOWSCOPE" replay -q --engine user "$C/pairs.pcap" 2>&1 >/dev/null)
check_eq "a broken model: exit" "$?" 1
check_eq "a broken model: one line" "$err" "flowscope: $TMP/cut.model: the model is truncated (no 'end' line)"
# Training from a CSV as CIC-IDS2017 publishes them: V3 names with leading
# spaces; identifiers and unknown columns are not inputs.
{
	echo "Flow ID, Source IP, Timestamp, Destination Port, Flow Duration, Total Fwd Packets, Fwd Header Length.1, Flow IAT Mean, Label"
	for i in $(seq 1 60); do
		echo "f$i,10.0.0.$i,t,80,$((1000 + i)),$((2 + i % 3)),20,$((100 + i)),BENIGN"
		echo "g$i,10.0.1.$i,t,80,$((9000000 + i)),$((400 + i)),20,$((9 + i % 2)),DDoS"
	done
} >"$TMP/ids2017.csv"
"$FLOWSCOPE" train --csv "$TMP/ids2017.csv" --label-column Label -o "$TMP/ids.model" 2>/dev/null
check_eq "CIC-IDS2017 CSV: exit" "$?" 0
check_eq "CIC-IDS2017 CSV: the inputs, resolved" "$(awk '/^feature / { print $2 }' "$TMP/ids.model" | tr '\n' ' ')" "flow_duration fwd_packets flow_iat_mean "
check_eq "CIC-IDS2017 CSV: its classes" "$(grep '^class ' "$TMP/ids.model" | tr '\n' ' ')" "class BENIGN class DDoS "
printf 'a,b\n1,2\n' >"$TMP/nolabel.csv"
err=$("$FLOWSCOPE" train --csv "$TMP/nolabel.csv" -o "$TMP/x.model" 2>&1)
check_eq "CSV without a label column: exit" "$?" 1
check_eq "CSV without a label column: message" "$err" "flowscope: $TMP/nolabel.csv: line 1: needs the label column 'Label' and feature columns"
finish
