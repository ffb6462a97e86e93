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
check_eq "every record has a class of the model's, or unknown" \
	"$(awk -F, 'NR > 1 && $11 !~ /^(call|video|browsing|other|unknown)$/' "$f" | wc -l)" 0
# Unknown exactly where the confidence is below the model's unknown_below.
below=$(awk '$1 == "unknown_below" { print $2 }' "$ROOT/models/default.model")
check_eq "unknown where the confidence is below ${below:-0}" \
	"$(awk -F, -v t="${below:-0}" 'NR > 1 && (($11 == "unknown") != ($12 < t))' "$f" | wc -l)" 0
check_eq "confidence is a probability above 1/4 (4 classes)" \
	"$(awk -F, 'NR > 1 && !($12 > 0.25 && $12 <= 1)' "$f" | wc -l)" 0
# The model never sees a port: it knows a DNS lookup by its shape.
check_eq "the two DNS lookups of pairs.pcap are background: other" \
	"$(awk -F, 'NR > 1 && ($3 == 53 || $5 == 53) { print $11 }' "$f" | tr '\n' ' ')" "other other "
check_eq "clusters are numbered" "$(awk -F, 'NR > 1 && $13 !~ /^[0-9]+$/' "$f" | wc -l)" 0
if [ "${#ENGINES[@]}" = 3 ]; then
	check_true "kernel and user engines classify alike" cmp -s "$TMP/kernel.csv" "$f"
fi

"$FLOWSCOPE" replay -q --engine user --format cic "$C/cic_quirks.pcap" >"$TMP/cic.csv"
check_eq "cic Label is the class" "$(awk -F, 'NR > 1 { print $NF }' "$TMP/cic.csv" | grep -cvE '^(call|video|browsing|other|unknown)$')" 0

"$FLOWSCOPE" replay -q --engine user --no-model "$C/pairs.pcap" >"$TMP/none.csv"
check_eq "--no-model: no class column" "$(head -1 "$TMP/none.csv" | tr ',' '\n' | grep -c '^class$')" 0
"$FLOWSCOPE" replay -q --engine user --no-model --format cic "$C/pairs.pcap" >"$TMP/none.csv"
check_eq "--no-model: CICFlowMeter's label" "$(awk -F, 'NR == 2 { print $NF }' "$TMP/none.csv")" NeedManualLabel

cp "$ROOT/models/default.model" "$TMP/same.model"
"$FLOWSCOPE" replay -q --engine user --model "$TMP/same.model" -o "$TMP/same.csv" "$C/cic_quirks.pcap" "$C/pairs.pcap"
check_true "--model: the same model, the same records" cmp -s "$TMP/same.csv" "$f"

# --alert: one line per flow of the watched classes, appended to --alert-log
# and/or sent to syslog; the flows shown as unknown when unknown is watched.
CLASSES=$(awk '$1 == "class" { printf "%s%s", sep, $2; sep = "," }' "$ROOT/models/default.model"),unknown
"$FLOWSCOPE" replay -q --engine user --alert "$CLASSES" --alert-log "$TMP/all.log" -o "$TMP/al.csv" \
	"$C/cic_quirks.pcap" "$C/pairs.pcap"
check_eq "--alert on every class: exit" "$?" 0
check_eq "--alert on every class: a line per record" "$(wc -l <"$TMP/all.log")" "$(csv_rows "$TMP/al.csv")"
for c in ${CLASSES//,/ }; do
	check_eq "--alert: as many $c lines as $c records" "$(grep -c " class=$c " "$TMP/all.log")" \
		"$(csv_get "$TMP/al.csv" "class=$c" flow_id | wc -l)"
done
line=$(head -1 "$TMP/all.log")
check_match "an alert line: time, class, confidence, endpoints, totals" "$line" \
	"^20[0-9-]+T[0-9:.]+Z class=[a-z]+ confidence=0\.[0-9]{3} cluster=[0-9]+ kmeans_class=[a-z]+ proto=(tcp|udp|icmp) src=[0-9.]+:[0-9]+ dst=[0-9.]+:[0-9]+ packets=[0-9]+ bytes=[0-9]+ duration=[0-9.]+ end=[a-z_]+$"
# The first alert is the first record: same endpoints and packet count.
first=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { print "src=" $c["src_ip"] ":" $c["src_port"] " dst=" $c["dst_ip"] ":" $c["dst_port"] " packets=" $c["fwd_packets"] + $c["bwd_packets"] }' "$TMP/al.csv")
check_match "the first alert is the first record's flow" "$line" "$first "
one=${CLASSES%%,*}
"$FLOWSCOPE" replay -q --engine user --alert "$one" --alert-log "$TMP/one.log" -o /dev/null \
	"$C/cic_quirks.pcap" "$C/pairs.pcap"
"$FLOWSCOPE" replay -q --engine user --alert "$one" --alert-log "$TMP/one.log" -o /dev/null \
	"$C/cic_quirks.pcap" "$C/pairs.pcap"
check_eq "--alert $one: only its flows, appended run after run" "$(grep -c " class=$one " "$TMP/one.log")" \
	"$((2 * $(csv_get "$TMP/al.csv" "class=$one" flow_id | wc -l)))"
check_eq "--alert $one: no other class" "$(grep -vc " class=$one " "$TMP/one.log")" 0

# syslog: a datagram socket in /dev/log's place (a private mount if a daemon has it).
cat >"$TMP/syslog.py" <<'PYEOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(5)
open(sys.argv[2], "w").close()
with open(sys.argv[2], "a") as out:
    try:
        while True:
            out.write(s.recv(4096).decode() + "\n")
            out.flush()
    except socket.timeout:
        pass
PYEOF
"$PY" "$TMP/syslog.py" "$TMP/log.sock" "$TMP/syslog.txt" &
SYSLOG_PID=$!
for i in $(seq 50); do [ -S "$TMP/log.sock" ] && break; sleep 0.1; done
if [ "$(id -u)" = 0 ]; then
	# Without a syslog daemon there is no /dev/log to mount over: make an empty
	# one, and take it away at exit whatever happens.
	if [ ! -e /dev/log ] && touch /dev/log; then
		trap 'rm -rf "$TMP"; rm -f /dev/log' EXIT
	fi
	unshare -m sh -c "mount --bind '$TMP/log.sock' /dev/log &&
		'$FLOWSCOPE' replay -q --engine user --alert '$CLASSES' --alert-syslog -o /dev/null '$C/pairs.pcap'"
	check_eq "--alert-syslog: exit" "$?" 0
	wait "$SYSLOG_PID"
	check_eq "--alert-syslog: a message per record" "$(grep -c 'flowscope\[[0-9]*\]: alert class=' "$TMP/syslog.txt")" \
		"$("$FLOWSCOPE" replay -q --engine user -o - "$C/pairs.pcap" | tail -n +2 | wc -l)"
	check_match "--alert-syslog: daemon.warning" "$(head -1 "$TMP/syslog.txt")" '^<28>'
else
	kill "$SYSLOG_PID"
	echo "  SKIP: --alert-syslog needs a private mount (root)"
fi
err=$("$FLOWSCOPE" replay -q --engine user --alert nosuch "$C/pairs.pcap" 2>&1 >/dev/null)
check_eq "--alert with an unknown class: exit" "$?" 1
check_eq "--alert with an unknown class: message" "$err" "flowscope: --alert: 'nosuch' is not one of the model's classes, nor unknown"
err=$("$FLOWSCOPE" replay -q --engine user --no-model --alert "$one" "$C/pairs.pcap" 2>&1 >/dev/null)
check_eq "--alert without a model: message" "$err" "flowscope: --alert: needs a model, and none is loaded"
err=$("$FLOWSCOPE" replay -q --engine user --alert-log "$TMP/x.log" "$C/pairs.pcap" 2>&1 >/dev/null)
check_eq "--alert-log without --alert: message" "$err" "flowscope: --alert-log: name the classes to alert on with --alert"
err=$("$FLOWSCOPE" replay -q --engine user --alert-syslog "$C/pairs.pcap" 2>&1 >/dev/null)
check_eq "--alert-syslog without --alert: message" "$err" "flowscope: --alert-syslog: name the classes to alert on with --alert"

# eval's early classification reads snapshots of each flow after 2, 4, 8, ...
# packets: a 40-packet UDP flow reaches 32, a 6-packet TCP flow only 4.
mkdir -p "$TMP/early"
"$PY" - "$TMP/early" <<'PYEOF'
import sys
from scapy.all import Ether, IP, UDP, TCP, Raw, wrpcap
d = sys.argv[1]
a = []
for i in range(40):
    p = Ether() / IP(src="10.9.0.1", dst="10.9.0.2") / UDP(sport=5000, dport=6000) / Raw(b"v" * 1000)
    p.time = 1000.0 + 0.02 * i
    a.append(p)
wrpcap(d + "/a.pcap", a)
b = []
for i, (src, dst, flags) in enumerate([(1, 2, "S"), (2, 1, "SA"), (1, 2, "A"), (1, 2, "PA"), (2, 1, "PA"), (1, 2, "A")]):
    p = Ether() / IP(src="10.9.1.%d" % src, dst="10.9.1.%d" % dst) / TCP(sport=40000 if src == 1 else 80, dport=80 if src == 1 else 40000, flags=flags) / Raw(b"w" * 100)
    p.time = 2000.0 + 0.05 * i
    b.append(p)
wrpcap(d + "/b.pcap", b)
PYEOF
printf 'file\tclass\na.pcap\tstream\nb.pcap\tweb\n' >"$TMP/early/MANIFEST.tsv"
"$FLOWSCOPE" train --engine user --model-type mlp --manifest "$TMP/early/MANIFEST.tsv" -o "$TMP/early.model" 2>/dev/null
"$FLOWSCOPE" eval --engine user --model "$TMP/early.model" --manifest "$TMP/early/MANIFEST.tsv" >"$TMP/early.txt"
check_eq "eval --early: exit" "$?" 0
check_match "eval: early classification of both flows" "$(cat "$TMP/early.txt")" "Early classification of the 2 flows carrying the activity"
check_eq "eval: flows reaching 2, 4, ... 256 packets" \
	"$(awk '/^Early/ { on = 1; next } on && $1 ~ /^[0-9]+$/ { printf "%s:%s ", $1, $2 }' "$TMP/early.txt")" \
	"2:2 4:2 8:1 16:1 32:1 64:0 128:0 256:0 "
if [ "${#ENGINES[@]}" = 3 ]; then
	"$FLOWSCOPE" eval --model "$TMP/early.model" --manifest "$TMP/early/MANIFEST.tsv" >"$TMP/early-kernel.txt"
	check_true "eval: the kernel engine's snapshots are the user engine's" cmp -s "$TMP/early.txt" "$TMP/early-kernel.txt"
fi
check_match "eval: when half the flows are right for good" "$(cat "$TMP/early.txt")" "Half the flows have their right class for good by packet [0-9]+\\."

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
