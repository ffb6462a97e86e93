#!/bin/bash
# --ipfix, against Debian's collectors on 127.0.0.1: two shared captures
# (IPv4 and IPv6) replayed to each, and every record the CSV holds arrives
# with the same identity, packets and bytes both ways, class and confidence:
#   - libfixbuf-tools' ipfixDump decodes the TCP stream as sent (with
#     --ipfix-features all, every feature; RFC 5610 names every element);
#   - nfdump's nfcapd stores the flows, nfdump -r shows the standard fields;
#   - pmacct's nfacctd, with aggregate_primitives for flowscope's elements,
#     prints them as JSON.
# Live on a veth pair, nfacctd gets the flows while attach drains, and its
# packet total equals tcpdump's count. A collector that is not there costs
# the flows sent to it, counted, and never the records.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/veth.sh"
need_root
need_captures
for tool in ipfixDump nfcapd nfdump nfacctd tcpdump promtool curl; do
	command -v "$tool" >/dev/null || { echo "  FAIL: no $tool (tools/install-deps.sh)"; exit 1; }
done
live_setup x 10.209.0
PEN=32473
CAPS=("$CAPTURES/call__adarbachar__zoom.pcap" "$CAPTURES/browsing__ndpi__http_ipv6.pcap")

replay() { # replay's options...: the two captures, user engine
	"$FLOWSCOPE" replay --engine user --quiet "$@" "${CAPS[@]}"
}

# A collector of our own for the TCP stream: its bytes, as they came, into a file.
PORT=$(free_port)
"$PY" -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
c, _ = s.accept()
with open(sys.argv[2], "wb") as f:
    while b := c.recv(65536):
        f.write(b)' "$PORT" "$TMP/wire.ipfix" &
SINK=$!
PIDS+=("$SINK")
wait_for "the TCP sink" sh -c "ss -Hltn 'sport = :$PORT' | grep -q ."
replay -o "$TMP/rec.csv" --ipfix "tcp://127.0.0.1:$PORT" --ipfix-features all 2>"$TMP/replay.err"
check_eq "replay --ipfix tcp://: exit status" "$?" 0
wait "$SINK"
rows=$(csv_rows "$TMP/rec.csv")
check_match "replay --ipfix: says what it sent" "$(cat "$TMP/replay.err")" \
	"ipfix to tcp://127.0.0.1:$PORT: $rows flows exported, 0 dropped"
ipfixDump --rfc5610 -i "$TMP/wire.ipfix" 2>"$TMP/dump.err" | "$PY" "$ROOT/tests/ipfix_records.py" \
	>"$TMP/wire.jsonl"
check_eq "ipfixDump: no complaint" "$(cat "$TMP/dump.err")" ""

# Every CSV row against what the wire says (decoded by ipfixDump, not by us).
"$PY" - "$TMP/rec.csv" "$TMP/wire.jsonl" "$PEN" >"$TMP/wire.check" <<'EOF'
import csv, ipaddress, json, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
recs = [json.loads(l) for l in open(sys.argv[2])]
pen = sys.argv[3]
flows = {int(r["fields"]["flowId"]): r["fields"] for r in recs
         if "flowStartMilliseconds" in r["fields"]}
features = {}
for r in recs:
    f = r["fields"]
    if "flowId" in f and "flowStartMilliseconds" not in f:
        features.setdefault(int(f["flowId"]), {}).update(f)
names = {r["fields"]["informationElementName"] for r in recs
         if r["fields"].get("privateEnterpriseNumber") == pen}
bad = []
def same(a, b, tol):
    a, b = float(a), float(b)
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)
for row in rows:
    fid = int(row["flow_id"], 16)
    f = flows.get(fid)
    if f is None:
        bad.append("no flow record for " + row["flow_id"])
        continue
    v6 = ":" in row["src_ip"]
    src = f["sourceIPv6Address" if v6 else "sourceIPv4Address"]
    dst = f["destinationIPv6Address" if v6 else "destinationIPv4Address"]
    src, dst = str(ipaddress.ip_address(src)), str(ipaddress.ip_address(dst))
    want = [row["src_ip"], row["dst_ip"], row["src_port"], row["dst_port"], row["proto"],
            row["fwd_packets"], row["fwd_bytes"], row["bwd_packets"], row["bwd_bytes"],
            row["class"], row["kmeans_class"], row["host_class"], row["kernel_class"]]
    got = [src, dst, f["sourceTransportPort"], f["destinationTransportPort"],
           f["protocolIdentifier"], f["packetDeltaCount"], f["octetDeltaCount"],
           f["reversePacketDeltaCount"], f["reverseOctetDeltaCount"],
           f.get("flowscope_class", ""), f.get("flowscope_kmeans_class", ""),
           f.get("flowscope_host_class", ""), f.get("flowscope_kernel_class", "")]
    if want != got:
        bad.append(f"{row['flow_id']}: {got} != {want}")
    if not same(f["flowscope_confidence"], row["confidence"], 1e-6):
        bad.append(f"{row['flow_id']}: confidence {f['flowscope_confidence']} != {row['confidence']}")
    feats = features.get(fid, {})
    for col, value in row.items():
        name = "flowscope_" + col
        if name in names and col not in ("class", "confidence", "cluster", "kmeans_class",
                                          "host_class", "host_score", "kernel_class"):
            if name not in feats or not same(feats[name], value, 1e-6):
                bad.append(f"{row['flow_id']}: {col} {feats.get(name)} != {value}")
print(len(flows), len(features), len(names), "flowscope_class" in names,
      "flowscope_flow_duration" in names)
print("\n".join(bad[:5]) if bad else "ok")
EOF
read -r nflows nfeat nnames has_class has_duration <"$TMP/wire.check"
check_eq "ipfixDump: a flow record per CSV row" "$nflows" "$rows"
check_eq "ipfixDump: features for every flow" "$nfeat" "$rows"
check_eq "RFC 5610 names flowscope's elements" "$has_class $has_duration" "True True"
check_true "RFC 5610: the seven verdict elements and every feature" [ "$nnames" -gt 150 ]
check_eq "ipfixDump: every field as in the CSV" "$(tail -n +2 "$TMP/wire.check")" ok
check_true "the kernel model decided some of them (flowscope_kernel_class)" \
	[ -n "$(csv_get "$TMP/rec.csv" proto=17 kernel_class | grep -v '^$')" ]
check_true "the captures give IPv4 and IPv6 flows" sh -c \
	"grep -q sourceIPv6Address '$TMP/wire.jsonl' && grep -q sourceIPv4Address '$TMP/wire.jsonl'"

# nfdump's nfcapd, over UDP.
PORT=$(free_port udp)
mkdir "$TMP/nf"
nfcapd -w "$TMP/nf" -b 127.0.0.1 -p "$PORT" >"$TMP/nfcapd.log" 2>&1 &
NFCAPD=$!
PIDS+=("$NFCAPD")
wait_for "nfcapd" sh -c "ss -Hlun 'sport = :$PORT' | grep -q ."
replay -o "$TMP/rec2.csv" --ipfix "udp://127.0.0.1:$PORT" 2>/dev/null
check_eq "replay --ipfix udp://: exit status" "$?" 0
got_all() { grep -q "Flows: $rows," "$TMP/nfcapd.log"; }
kill -TERM "$NFCAPD"
wait "$NFCAPD"
check_true "nfcapd counted every flow" got_all
nfdump -R "$TMP/nf" -q -N -6 -o 'fmt:%sa|%sp|%da|%dp|%pr|%ipkt|%ibyt|%opkt|%obyt' | tr -d ' ' |
	sort >"$TMP/nfdump.txt"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ print $c["src_ip"] "|" $c["src_port"] "|" $c["dst_ip"] "|" $c["dst_port"] "|" $c["proto"] "|" \
		$c["fwd_packets"] "|" $c["fwd_bytes"] "|" $c["bwd_packets"] "|" $c["bwd_bytes"] }' \
	"$TMP/rec2.csv" | sort >"$TMP/csv.txt"
check_eq "nfdump -r: the CSV's flows, packets and bytes both ways" \
	"$(diff "$TMP/nfdump.txt" "$TMP/csv.txt" | head -5)" ""

# pmacct's nfacctd, with flowscope's elements as custom primitives.
start_nfacctd() { # PORT OUTPUT
	cat >"$TMP/primitives.lst" <<EOF
name=fs_class field_type=$PEN:10 len=vlen semantics=str
name=fs_confidence field_type=$PEN:11 len=4 semantics=hex
name=fs_kernel_class field_type=$PEN:16 len=vlen semantics=str
name=rev_packets field_type=29305:2 len=8 semantics=u_int
name=rev_bytes field_type=29305:1 len=8 semantics=u_int
EOF
	cat >"$TMP/nfacctd.conf" <<EOF
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $1
aggregate_primitives: $TMP/primitives.lst
plugins: print[flows]
aggregate[flows]: src_host, dst_host, src_port, dst_port, proto, timestamp_start, fs_class, fs_confidence, fs_kernel_class, rev_packets, rev_bytes
print_output[flows]: json
print_output_file[flows]: $2
print_output_file_append[flows]: true
print_refresh_time[flows]: 1
EOF
	setsid nfacctd -f "$TMP/nfacctd.conf" >"$TMP/nfacctd.log" 2>&1 &
	NFACCTD=$!
	PIDS+=("$NFACCTD")
	# Ready when both the collector and its print plugin say so.
	wait_long "nfacctd" 10 grep -q "waiting for NetFlow/IPFIX data" "$TMP/nfacctd.log"
	wait_long "nfacctd's plugin" 10 grep -q "JSON: setting object handlers" "$TMP/nfacctd.log"
}
stop_nfacctd() { kill -KILL -- "-$NFACCTD" 2>/dev/null; wait "$NFACCTD" 2>/dev/null; }
lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

PORT=$(free_port udp)
start_nfacctd "$PORT" "$TMP/acct.json"
replay -o "$TMP/rec3.csv" --ipfix "udp://127.0.0.1:$PORT" 2>/dev/null
all_in() { [ "$(lines "$TMP/acct.json")" -ge "$rows" ]; }
wait_long "nfacctd's JSON" 20 all_in
stop_nfacctd
"$PY" - "$TMP/rec3.csv" "$TMP/acct.json" >"$TMP/acct.check" <<'EOF'
import csv, json, math, struct, sys
proto = {"tcp": "6", "udp": "17", "icmp": "1", "ipv6-icmp": "58"}
got = sorted((j["ip_src"], str(j["port_src"]), j["ip_dst"], str(j["port_dst"]),
              proto.get(j["ip_proto"], j["ip_proto"]), str(j["packets"]), str(j["bytes"]),
              j["rev_packets"], j["rev_bytes"], j["fs_class"], j["fs_kernel_class"],
              "%.6f" % struct.unpack(">f", bytes.fromhex(j["fs_confidence"].rjust(8, "0")))[0])
             for j in map(json.loads, open(sys.argv[2])))
want = sorted((r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"], r["proto"],
               r["fwd_packets"], r["fwd_bytes"], r["bwd_packets"], r["bwd_bytes"], r["class"],
               r["kernel_class"], "%.6f" % float(r["confidence"]))
              for r in csv.DictReader(open(sys.argv[1])))
print("ok" if got == want else [g for g in got if g not in want][:3] + ["!="] +
      [w for w in want if w not in got][:3])
EOF
check_eq "nfacctd JSON: the CSV's flows, packets, bytes, class, confidence and kernel class" \
	"$(cat "$TMP/acct.check")" ok

# Live: nfacctd gets the flows while attach runs; its packets are tcpdump's.
PORT=$(free_port udp)
start_nfacctd "$PORT" "$TMP/live.json"
tcpdump -i "$IF" -nn -w "$TMP/live.pcap" ip 2>"$TMP/tcpdump.err" &
TCPDUMP=$!
PIDS+=("$TCPDUMP")
wait_for "tcpdump" grep -q "listening on" "$TMP/tcpdump.err"
MPORT=$(free_port)
"$FLOWSCOPE" attach --quiet -o "$TMP/live.csv" --idle-timeout 1s --drain-interval 200ms \
	--interval 200ms --metrics "127.0.0.1:$MPORT" --ipfix "udp://127.0.0.1:$PORT" "$IF" \
	2>"$TMP/attach.err" &
ATTACH=$!
PIDS+=("$ATTACH")
wait_for "attach" grep -q "^flowscope: $IF: attached" "$TMP/attach.err"
ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" "$SUBNET.1" 9001 200 1000 300
ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" "$SUBNET.1" 9002 50 500 80
streams_in() {
	grep -q '"port_dst": 9001' "$TMP/live.json" 2>/dev/null &&
		grep -q '"port_dst": 9002' "$TMP/live.json"
}
wait_long "nfacctd to get the streams while attach runs" 20 streams_in
check_true "attach still running as they arrived" kill -0 "$ATTACH"
exported_metric() {
	curl -sf "http://127.0.0.1:$MPORT/metrics" >"$TMP/page" &&
		[ "$(awk '$1 == "flowscope_ipfix_flows_total{result=\"exported\"}" { print $2 }' \
			"$TMP/page")" = "$(csv_rows "$TMP/live.csv")" ]
}
wait_long "the metrics to count the flows exported" 10 exported_metric
check_eq "the metrics page with the export's figures: promtool check metrics" \
	"$(promtool check metrics <"$TMP/page" 2>&1)" ""
kill -TERM "$ATTACH"
wait "$ATTACH"
check_eq "attach --ipfix: exit status" "$?" 0
kill -TERM "$TCPDUMP"
wait "$TCPDUMP"
wire=$(tcpdump -nn -r "$TMP/live.pcap" 2>/dev/null | wc -l)
collected() { # the packets in nfacctd's JSON, both ways
	"$PY" -c 'import json, sys
print(sum(j["packets"] + int(j["rev_packets"]) for j in map(json.loads, open(sys.argv[1]))))' "$1"
}
all_packets_in() { [ "$(collected "$TMP/live.json")" = "$wire" ]; }
wait_long "nfacctd's packet total to reach tcpdump's" 10 all_packets_in
check_eq "live: nfacctd's packet total is tcpdump's count" "$(collected "$TMP/live.json")" "$wire"
check_true "live: tcpdump saw the streams" [ "$wire" -ge 250 ]
stop_nfacctd

# No collector: the drain goes on, the flows sent nowhere are counted.
PORT=$(free_port)
"$FLOWSCOPE" attach --quiet -o "$TMP/down.csv" --idle-timeout 1s --drain-interval 200ms \
	--ipfix "tcp://127.0.0.1:$PORT" "$IF" 2>"$TMP/down.err" &
ATTACH=$!
PIDS+=("$ATTACH")
wait_for "attach" grep -q "^flowscope: $IF: attached" "$TMP/down.err"
ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" "$SUBNET.1" 9003 20 500 100
stream_recorded() { [ "$(csv_get "$TMP/down.csv" dst_port=9003 fwd_packets 2>/dev/null)" = 20 ]; }
wait_long "the stream's record with the collector down" 10 stream_recorded
kill -TERM "$ATTACH"
wait "$ATTACH"
check_eq "attach, collector down: exit status" "$?" 0
down=$(csv_rows "$TMP/down.csv")
check_match "attach, collector down: every flow counted as dropped" "$(cat "$TMP/down.err")" \
	"ipfix to tcp://127.0.0.1:$PORT: 0 flows exported, $down dropped \(queue full 0, send failed $down\)"

PORT=$(free_port)
err=$(replay -o "$TMP/rec4.csv" --ipfix "tcp://127.0.0.1:$PORT" 2>&1)
check_eq "replay to a closed TCP port: exit status" "$?" 1
check_match "... counts what it could not send" "$err" \
	"ipfix to tcp://127.0.0.1:$PORT: 0 flows exported, $rows dropped \(queue full 0, send failed $rows\)"
check_eq "... and still writes every record" "$(csv_rows "$TMP/rec4.csv")" "$rows"
err=$(replay --ipfix "127.0.0.1" 2>&1)
check_eq "--ipfix without a port: exit status" "$?" 1
check_eq "--ipfix without a port: one line" "$err" \
	"flowscope: --ipfix '127.0.0.1': not [udp://|tcp://]HOST:PORT"
finish
