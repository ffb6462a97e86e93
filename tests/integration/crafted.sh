#!/bin/bash
# Crafted captures (tests/make_captures.py) through both engines. Expected
# values are worked out by hand from the packets' sizes and timestamps.
. "$(dirname "$0")/../lib.sh"
make_captures
C=$TMP/cap
require_engines

# The feature list: docs/FEATURES.md carries it as made (make docs).
check_eq "docs/FEATURES.md's table is current (make docs)" \
	"$(sed '1,/^## The features$/d' "$ROOT/docs/FEATURES.md" | sed 1d)" "$("$FLOWSCOPE" features --markdown)"
check_eq "deepmad: 55 columns" "$("$FLOWSCOPE" features --features deepmad | sed 1d | wc -l)" 55
check_eq "deepmad: first and last" "$("$FLOWSCOPE" features --features deepmad | sed -n '2p;$p' | cut -d' ' -f1-2 | tr '\n' '/')" "Destination Port/Idle Min/"

for engine in "${ENGINES[@]}"; do
	echo "  engine: $engine"
	# shellcheck disable=SC2046
	run() { "$FLOWSCOPE" replay -q $(engine_args "$engine") "$@"; }

	# A TCP connection: 5 packets forward (client), 4 backward.
	run "$C/tcp_session.pcap" >"$TMP/tcp.csv"
	f=$TMP/tcp.csv
	w='src_port=40000,end_reason=tcp_fin'
	check_eq "tcp records" "$(csv_rows "$f")" 3
	check_eq "tcp src_ip" "$(csv_get "$f" "$w" src_ip)" 10.1.0.1
	check_eq "tcp dst_ip" "$(csv_get "$f" "$w" dst_ip)" 10.1.0.2
	check_eq "tcp dst_port" "$(csv_get "$f" "$w" dst_port)" 80
	check_eq "tcp proto" "$(csv_get "$f" "$w" proto)" 6
	check_eq "tcp first_seen" "$(csv_get "$f" "$w" first_seen)" 2023-11-14T22:13:20.000000Z
	check_eq "tcp last_seen" "$(csv_get "$f" "$w" last_seen)" 2023-11-14T22:13:20.071000Z
	check_eq "tcp duration" "$(csv_get "$f" "$w" flow_duration)" 71000
	check_eq "tcp fwd_packets" "$(csv_get "$f" "$w" fwd_packets)" 5
	check_eq "tcp bwd_packets" "$(csv_get "$f" "$w" bwd_packets)" 4
	# 4 x 40 + (40 + 100); 40 + 1040 + 540 + 40
	check_eq "tcp fwd_bytes" "$(csv_get "$f" "$w" fwd_bytes)" 300
	check_eq "tcp bwd_bytes" "$(csv_get "$f" "$w" bwd_bytes)" 1660
	check_eq "tcp fwd_payload" "$(csv_get "$f" "$w" fwd_payload_bytes)" 100
	check_eq "tcp bwd_payload" "$(csv_get "$f" "$w" bwd_payload_bytes)" 1500
	check_eq "tcp fwd_header" "$(csv_get "$f" "$w" fwd_header_bytes)" 100
	check_eq "tcp bwd_header" "$(csv_get "$f" "$w" bwd_header_bytes)" 80
	# forward payloads 0 0 100 0 0: deviations -20 -20 80 -20 -20, sqrt(8000 / 4)
	check_eq "tcp fwd_payload_min" "$(csv_get "$f" "$w" fwd_payload_min)" 0
	check_eq "tcp fwd_payload_max" "$(csv_get "$f" "$w" fwd_payload_max)" 100
	check_eq "tcp bwd_payload_max" "$(csv_get "$f" "$w" bwd_payload_max)" 1000
	check_eq "tcp fwd_payload_mean" "$(csv_get "$f" "$w" fwd_payload_mean)" 20
	check_eq "tcp fwd_payload_std" "$(csv_get "$f" "$w" fwd_payload_std)" 44.72135955
	check_eq "tcp fwd_frame_min" "$(csv_get "$f" "$w" fwd_frame_min)" 54
	check_eq "tcp bwd_frame_max" "$(csv_get "$f" "$w" bwd_frame_max)" 1054
	# forward gaps 11, 9, 40, 11 ms; backward 40, 1, 19 ms
	check_eq "tcp fwd_iat_min" "$(csv_get "$f" "$w" fwd_iat_min)" 9000
	check_eq "tcp fwd_iat_max" "$(csv_get "$f" "$w" fwd_iat_max)" 40000
	check_eq "tcp fwd_iat_mean" "$(csv_get "$f" "$w" fwd_iat_mean)" 17750
	check_eq "tcp fwd_iat_total" "$(csv_get "$f" "$w" fwd_iat_total)" 71000
	check_eq "tcp bwd_iat_min" "$(csv_get "$f" "$w" bwd_iat_min)" 1000
	check_eq "tcp bwd_iat_mean" "$(csv_get "$f" "$w" bwd_iat_mean)" 20000
	# flow gaps 10 1 9 30 1 9 10 1 ms: mean 8.875 ms, sample std sqrt(634.875 / 7) ms
	check_eq "tcp flow_iat_mean" "$(csv_get "$f" "$w" flow_iat_mean)" 8875
	check_eq "tcp flow_iat_std" "$(csv_get "$f" "$w" flow_iat_std)" 9523.467256
	check_eq "tcp flow_iat_min/max" "$(csv_get "$f" "$w" flow_iat_min)/$(csv_get "$f" "$w" flow_iat_max)" 1000/30000
	# 1600 payload bytes and 9 packets in 71 ms
	check_eq "tcp flow_bytes_per_s" "$(csv_get "$f" "$w" flow_bytes_per_s)" 22535.21127
	check_eq "tcp flow_packets_per_s" "$(csv_get "$f" "$w" flow_packets_per_s)" 126.7605634
	check_eq "tcp down_up_ratio" "$(csv_get "$f" "$w" down_up_ratio)" 0.8
	check_eq "tcp fwd_header_min" "$(csv_get "$f" "$w" fwd_header_min)" 20
	check_eq "tcp fwd_data_packets" "$(csv_get "$f" "$w" fwd_data_packets)" 1
	check_eq "tcp bwd size bins" "$(csv_get "$f" "$w" bwd_len_lt64) $(csv_get "$f" "$w" bwd_len_512_1023) $(csv_get "$f" "$w" bwd_len_1024_1199)" "2 1 1"
	check_eq "tcp bursts (gaps all < 250 ms)" "$(csv_get "$f" "$w" bursts)/$(csv_get "$f" "$w" burst_max_bytes)" 1/1960
	check_eq "tcp fwd_syn" "$(csv_get "$f" "$w" fwd_syn)" 1
	check_eq "tcp fwd_ack" "$(csv_get "$f" "$w" fwd_ack)" 4
	check_eq "tcp fwd_psh" "$(csv_get "$f" "$w" fwd_psh)" 1
	check_eq "tcp fwd_fin" "$(csv_get "$f" "$w" fwd_fin)" 1
	check_eq "tcp bwd_syn" "$(csv_get "$f" "$w" bwd_syn)" 1
	check_eq "tcp bwd_ack" "$(csv_get "$f" "$w" bwd_ack)" 4
	check_eq "tcp bwd_fin" "$(csv_get "$f" "$w" bwd_fin)" 1
	check_eq "tcp fwd_init_win" "$(csv_get "$f" "$w" fwd_init_win)" 64240
	check_eq "tcp bwd_init_win" "$(csv_get "$f" "$w" bwd_init_win)" 65160
	# the sequence: +40@0 -40@10 +40@1 +140@9 -1040@30 -540@1 +40@9 -40@10 +40@1 (ms)
	check_eq "tcp seq 1" "$(csv_get "$f" "$w" seq1_len)@$(csv_get "$f" "$w" seq1_iat)" 40@0
	check_eq "tcp seq 2" "$(csv_get "$f" "$w" seq2_len)@$(csv_get "$f" "$w" seq2_iat)" -40@10000
	check_eq "tcp seq 5" "$(csv_get "$f" "$w" seq5_len)@$(csv_get "$f" "$w" seq5_iat)" -1040@30000
	check_eq "tcp seq 9" "$(csv_get "$f" "$w" seq9_len)@$(csv_get "$f" "$w" seq9_iat)" 40@1000
	check_eq "tcp seq 10 (none)" "$(csv_get "$f" "$w" seq10_len)@$(csv_get "$f" "$w" seq10_iat)" 0@0
	# The same tuple reopened by a SYN 0.5 s after the close: a new flow.
	w='src_port=40000,end_reason=end_of_input'
	check_eq "reopen first_seen" "$(csv_get "$f" "$w" first_seen)" 2023-11-14T22:13:20.571000Z
	check_eq "reopen packets" "$(csv_get "$f" "$w" fwd_packets)/$(csv_get "$f" "$w" bwd_packets)" 2/1
	check_eq "reopen init_win" "$(csv_get "$f" "$w" fwd_init_win)/$(csv_get "$f" "$w" bwd_init_win)" 1000/2000
	w='src_port=40001'
	check_eq "rst end" "$(csv_get "$f" "$w" end_reason)" tcp_rst
	check_eq "rst bwd_rst" "$(csv_get "$f" "$w" bwd_rst)" 1

	# CICFlowMeter's quirks (docs/FEATURES.md): ours, then --cic-compat.
	run --no-model --format cic "$C/cic_quirks.pcap" >"$TMP/cic.csv"
	run --no-model --format cic --cic-compat "$C/cic_quirks.pcap" >"$TMP/compat.csv"
	f=$TMP/cic.csv
	check_eq "cic header" "$(head -1 "$f" | cut -d, -f1-9)" "Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Tot Fwd Pkts"
	check_eq "cic last columns" "$(head -1 "$f" | rev | cut -d, -f1-3 | rev)" "Idle Max,Idle Min,Label"
	check_eq "cic columns" "$(head -1 "$f" | tr ',' '\n' | wc -l)" 84
	check_eq "cic rows" "$(csv_rows "$f")/$(csv_rows "$TMP/compat.csv")" 2/3
	w='Src Port=41000'
	check_eq "cic flow id" "$(csv_get "$f" "$w" 'Flow ID')" 10.9.0.1-10.9.0.2-41000-443-6
	check_eq "cic timestamp" "$(csv_get "$f" "$w" Timestamp)" "14/11/2023 10:13:20 PM"
	# 14 packets, 901 + 4000 payload bytes; 1 + 4 forward data packets
	check_eq "cic packets" "$(csv_get "$f" "$w" 'Tot Fwd Pkts')/$(csv_get "$f" "$w" 'Tot Bwd Pkts')" 8/6
	check_eq "cic pkt len mean" "$(csv_get "$f" "$w" 'Pkt Len Mean')" 350.0714286
	check_eq "cic pkt size avg" "$(csv_get "$f" "$w" 'Pkt Size Avg')" 350.0714286
	check_eq "cic act data" "$(csv_get "$f" "$w" 'Fwd Act Data Pkts')" 5
	check_eq "cic init bwd win: the first" "$(csv_get "$f" "$w" 'Init Bwd Win Byts')" 2000
	check_eq "cic down/up" "$(csv_get "$f" "$w" 'Down/Up Ratio')" 0.75
	# one gap over 1 s: 2 subflows
	check_eq "cic subflow" "$(csv_get "$f" "$w" 'Subflow Fwd Pkts')/$(csv_get "$f" "$w" 'Subflow Fwd Byts')" 4/450.5
	# backward run 20-50 ms (4 x 1000), forward run 70-100 ms (4 x 200)
	check_eq "cic fwd bulk" "$(csv_get "$f" "$w" 'Fwd Byts/b Avg')/$(csv_get "$f" "$w" 'Fwd Pkts/b Avg')/$(csv_get "$f" "$w" 'Fwd Blk Rate Avg')" 800/4/26666.66667
	check_eq "cic bwd bulk" "$(csv_get "$f" "$w" 'Bwd Byts/b Avg')/$(csv_get "$f" "$w" 'Bwd Blk Rate Avg')" 4000/133333.3333
	check_eq "cic active: the open period counts" "$(csv_get "$f" "$w" 'Active Mean')" 1130000
	f=$TMP/compat.csv
	w='Src Port=41000,Tot Fwd Pkts=7'
	check_eq "compat: the first FIN ends the flow" "$(csv_get "$f" "$w" 'Tot Bwd Pkts')" 5
	check_eq "compat: FIN, ACK after it" "$(csv_get "$f" 'Src Port=443' 'Tot Fwd Pkts')/$(csv_get "$f" 'Src Port=443' 'Tot Bwd Pkts')" 1/1
	# payload 901 + 4000 + the first packet's 101 again, over 13 and 12
	check_eq "compat pkt len mean" "$(csv_get "$f" "$w" 'Pkt Len Mean')" 384.7692308
	check_eq "compat pkt size avg" "$(csv_get "$f" "$w" 'Pkt Size Avg')" 416.8333333
	check_eq "compat act data" "$(csv_get "$f" "$w" 'Fwd Act Data Pkts')" 4
	check_eq "compat init bwd win: the last" "$(csv_get "$f" "$w" 'Init Bwd Win Byts')" 6000
	check_eq "compat down/up: 5 / 7 in longs" "$(csv_get "$f" "$w" 'Down/Up Ratio')" 0
	check_eq "compat subflow in longs" "$(csv_get "$f" "$w" 'Subflow Fwd Pkts')/$(csv_get "$f" "$w" 'Subflow Fwd Byts')" 3/450
	# every payload packet in the backward detector: one run of 9, 0-100 ms
	check_eq "compat fwd bulk" "$(csv_get "$f" "$w" 'Fwd Byts/b Avg')" 0
	check_eq "compat bwd bulk" "$(csv_get "$f" "$w" 'Bwd Byts/b Avg')/$(csv_get "$f" "$w" 'Bwd Pkts/b Avg')/$(csv_get "$f" "$w" 'Bwd Blk Rate Avg')" 4901/9/49010
	check_eq "compat active: no open period" "$(csv_get "$f" "$w" 'Active Mean')" 0
	# The UDP flow splits the same in both modes: only the documented columns differ.
	check_eq "compat: UDP columns that differ" "$("$PY" - "$TMP/cic.csv" "$f" <<'PY'
import csv, sys
rows = [next(r for r in csv.DictReader(open(p)) if r["Src Port"] == "5004") for p in sys.argv[1:]]
print(",".join(k for k in rows[0] if rows[0][k] != rows[1][k]))
PY
)" "Pkt Len Mean,Pkt Len Std,Pkt Len Var,Down/Up Ratio,Pkt Size Avg,Bwd Byts/b Avg,Bwd Pkts/b Avg,Bwd Blk Rate Avg,Subflow Fwd Pkts,Fwd Act Data Pkts,Active Mean,Active Std,Active Min"
	f=$TMP/cic.csv
	w='Src Port=5004'
	# payloads 160 60 160 60 160 160 160 1300 1300; flow gaps 10 10 10 10 20 20 6000 20 ms
	check_eq "udp pkt len std" "$(csv_get "$f" "$w" 'Pkt Len Std')" 517.0213836
	check_eq "udp active" "$(csv_get "$f" "$w" 'Active Mean')/$(csv_get "$f" "$w" 'Active Std')/$(csv_get "$f" "$w" 'Active Max')/$(csv_get "$f" "$w" 'Active Min')" 50000/42426.40687/80000/20000
	check_eq "udp idle" "$(csv_get "$f" "$w" 'Idle Mean')/$(csv_get "$f" "$w" 'Idle Max')" 6000000/6000000
	check_eq "udp compat pkt len std" "$(csv_get "$TMP/compat.csv" "$w" 'Pkt Len Std')" 492.9007112
	run "$C/cic_quirks.pcap" >"$TMP/ours.csv"
	f=$TMP/ours.csv
	w='src_port=5004'
	check_eq "udp iat cv" "$(csv_get "$f" "$w" udp_iat_cv)" 2.775443104
	check_eq "udp bursts" "$(csv_get "$f" "$w" bursts)/$(csv_get "$f" "$w" burst_max_bytes)/$(csv_get "$f" "$w" burst_gap_mean)" 2/2656/6000000
	check_eq "udp shares" "$(csv_get "$f" "$w" near_mtu_share)/$(csv_get "$f" "$w" small_share)" 0.2222222222/0.2222222222
	check_eq "udp fwd bins" "$(csv_get "$f" "$w" fwd_len_128_255)/$(csv_get "$f" "$w" fwd_len_ge1200)" 5/2
	# backward 2 x 88 IP bytes, forward 5 x 188 + 2 x 1328
	check_eq "udp down/up bytes" "$(csv_get "$f" "$w" down_up_bytes_ratio)" 0.0489432703

	# Host pairs (--unit pair): C-S has 3 flows, one begun by S; C-D one packet.
	run --unit pair "$C/pairs.pcap" >"$TMP/pairs.csv"
	f=$TMP/pairs.csv
	w='src_ip=10.7.0.1,dst_ip=10.7.0.2'
	check_eq "pairs: rows" "$(csv_rows "$f")" 2
	check_eq "pairs: flows, ports, protocol" "$(csv_get "$f" "$w" flows)/$(csv_get "$f" "$w" src_port)/$(csv_get "$f" "$w" proto)" 3/0/0
	check_eq "pairs: session_time" "$(csv_get "$f" "$w" session_time)" 1
	# 4 TCP and 3 UDP packets
	check_eq "pairs: %tcp/%udp" "$(csv_get "$f" "$w" %tcp_protocol)/$(csv_get "$f" "$w" %udp_protocol)" 57.14285714/42.85714286
	# uplink (from the client C) frames 72 54 154; downlink 132 54 242 1054
	check_eq "pairs: ul volume" "$(csv_get "$f" "$w" ul_data_volume)/$(csv_get "$f" "$w" max_ul_volume)/$(csv_get "$f" "$w" min_ul_volume)" 280/154/54
	check_eq "pairs: ul avg/std" "$(csv_get "$f" "$w" avg_ul_volume)/$(csv_get "$f" "$w" std_ul_volume)" 93.33333333/53.30415869
	check_eq "pairs: dl volume" "$(csv_get "$f" "$w" dl_data_volume)/$(csv_get "$f" "$w" max_dl_volume)/$(csv_get "$f" "$w" min_dl_volume)" 1482/1054/54
	check_eq "pairs: dl avg/std" "$(csv_get "$f" "$w" avg_dl_volume)/$(csv_get "$f" "$w" std_dl_volume)" 370.5/462.1468021
	check_eq "pairs: volume shares" "$(csv_get "$f" "$w" %ul_volume)/$(csv_get "$f" "$w" %dl_volume)" 15.89103292/84.10896708
	check_eq "pairs: packets" "$(csv_get "$f" "$w" nb_uplink_packet)/$(csv_get "$f" "$w" nb_downlink_packet)/$(csv_get "$f" "$w" %ul_packet)/$(csv_get "$f" "$w" %dl_packet)" 3/4/42.85714286/57.14285714
	check_eq "pairs: rates" "$(csv_get "$f" "$w" kB/s)/$(csv_get "$f" "$w" nb_packet/s)" 1.762/7
	check_eq "pairs: flow features add up" "$(csv_get "$f" "$w" fwd_packets)/$(csv_get "$f" "$w" bwd_packets)/$(csv_get "$f" "$w" fwd_payload_bytes)" 3/4/130
	w='src_ip=10.7.0.1,dst_ip=10.7.0.3'
	check_eq "pairs: one packet" "$(csv_get "$f" "$w" session_time)/$(csv_get "$f" "$w" kB/s)/$(csv_get "$f" "$w" ul_data_volume)" 0/0/72

	# Timeouts, on capture time. UDP packets of 20 + 8 + 72 and 20 + 8 + 12 bytes.
	run "$C/timeouts.pcap" >"$TMP/to.csv"
	f=$TMP/to.csv
	w='src_port=5000,first_seen=2023-11-14T22:13:20.000000Z'
	check_eq "idle: before the silence" "$(csv_get "$f" "$w" fwd_packets)" 2
	check_eq "idle: bytes" "$(csv_get "$f" "$w" fwd_bytes)" 200
	check_eq "idle: reason" "$(csv_get "$f" "$w" end_reason)" idle_timeout
	check_eq "idle: after the silence" \
		"$(csv_get "$f" 'src_port=5000,first_seen=2023-11-14T22:14:22.000000Z' fwd_packets)" 1
	w='src_port=7000,end_reason=active_timeout'
	check_eq "active: packets 0..120 s" "$(csv_get "$f" "$w" fwd_packets)" 13
	check_eq "active: bytes" "$(csv_get "$f" "$w" fwd_bytes)" 520
	check_eq "active: the rest" "$(csv_get "$f" 'src_port=7000,end_reason=end_of_input' fwd_packets)" 3
	run --idle-timeout 5s "$C/timeouts.pcap" >"$TMP/to5.csv"
	check_eq "--idle-timeout 5s splits every 10 s packet" \
		"$(csv_get "$TMP/to5.csv" src_port=7000 fwd_packets | tr '\n' ' ')" \
		"1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 "
	run --active-timeout 30s "$C/timeouts.pcap" >"$TMP/to30.csv"
	check_eq "--active-timeout 30s: 4 packets a record" \
		"$(csv_get "$TMP/to30.csv" src_port=7000 fwd_packets | tr '\n' ' ')" "4 4 4 4 "

	# VLANs: the outer VID is part of the key.
	run "$C/vlans.pcap" >"$TMP/vlan.csv"
	check_eq "802.1Q vid" "$(csv_get "$TMP/vlan.csv" vlan_id=10 fwd_bytes)" 48
	check_eq "QinQ outer vid" "$(csv_get "$TMP/vlan.csv" vlan_id=300 fwd_bytes)" 48

	# IPv6: 40 + 8 hop-by-hop + 8 destination options + 20 TCP + 10 payload.
	run "$C/ipv6.pcap" >"$TMP/v6.csv"
	f=$TMP/v6.csv
	check_eq "v6 ext headers: bytes" "$(csv_get "$f" dst_port=443 fwd_bytes)" 86
	check_eq "v6 ext headers: payload" "$(csv_get "$f" dst_port=443 fwd_payload_bytes)" 10
	check_eq "v6 ext headers: header" "$(csv_get "$f" dst_port=443 fwd_header_bytes)" 20
	check_eq "v6 ext headers: src" "$(csv_get "$f" dst_port=443 src_ip)" 2001:db8::1
	# A 3008-byte UDP datagram in 3 fragments: first with ports, others ports 0.
	check_eq "v6 first fragment" "$(csv_get "$f" dst_port=5555 fwd_packets)" 1
	check_eq "v6 later fragments" "$(csv_get "$f" 'dst_port=0,proto=17' fwd_packets)" 2
	check_eq "v6 fragment bytes: 3 x (40 + 8) + 3008" \
		$(($(csv_get "$f" dst_port=5555 fwd_bytes) + $(csv_get "$f" 'dst_port=0,proto=17' fwd_bytes))) 3152

	# IPv4: options (IHL 6), and a 3008-byte UDP datagram in 3 fragments.
	run "$C/ipv4_frags.pcap" >"$TMP/v4.csv"
	f=$TMP/v4.csv
	check_eq "v4 options: bytes 24 + 8 + 30" "$(csv_get "$f" dst_port=2222 fwd_bytes)" 62
	check_eq "v4 options: payload" "$(csv_get "$f" dst_port=2222 fwd_payload_bytes)" 30
	check_eq "v4 first fragment" "$(csv_get "$f" dst_port=4444 fwd_bytes)" 1500
	check_eq "v4 later fragments" "$(csv_get "$f" 'dst_port=0,proto=17' fwd_packets)" 2
	check_eq "v4 fragment bytes: 3 x 20 + 3008" \
		$(($(csv_get "$f" dst_port=4444 fwd_bytes) + $(csv_get "$f" 'dst_port=0,proto=17' fwd_bytes))) 3068

	# ICMP, ICMPv6, GRE (ports 0), and ARP counted as non-IP.
	run "$C/icmp_other.pcap" >"$TMP/icmp.csv" 2>/dev/null
	f=$TMP/icmp.csv
	check_eq "icmp echo: 20 + 8 + 56 each way" \
		"$(csv_get "$f" proto=1 fwd_bytes)/$(csv_get "$f" proto=1 bwd_bytes)" 84/84
	check_eq "icmpv6 echo" "$(csv_get "$f" proto=58 fwd_bytes)/$(csv_get "$f" proto=58 bwd_bytes)" 48/48
	check_eq "gre: 20 + 4 + 16" "$(csv_get "$f" proto=47 fwd_bytes)" 40
	check_eq "gre ports" "$(csv_get "$f" proto=47 src_port)/$(csv_get "$f" proto=47 dst_port)" 0/0
	summary=$("$FLOWSCOPE" replay $(engine_args "$engine") "$C/icmp_other.pcap" 2>&1 >/dev/null)
	check_match "ARP counted as non-IP" "$summary" '^flowscope: 7 packets seen, 3 records holding 5; not in a record: 2 non-IP, 0 bad IP header, 0 unrecorded'

	# Every link type gives the same flow: 20 + 8 + 10 forward, 20 + 8 + 20 back.
	for l in ethernet raw raw101 sll sll2 null 80211 ppi ppi_ethernet; do
		run "$C/link_$l.pcap" >"$TMP/l.csv"
		check_eq "link $l" "$(csv_get "$TMP/l.csv" src_ip=10.3.0.1 fwd_bytes)/$(csv_get "$TMP/l.csv" src_ip=10.3.0.1 bwd_bytes)/$(csv_rows "$TMP/l.csv")" 38/48/1
	done
	summary=$("$FLOWSCOPE" replay $(engine_args "$engine") "$C/link_80211_beacon.pcap" 2>&1 >/dev/null)
	check_match "802.11 beacon is non-IP" "$summary" '1 non-IP'

	# Small snap lengths: with 54 bytes every header is whole, so nothing changes;
	# with 38 (IP header and ports only) lengths still come from the IP header.
	editcap -s 54 "$C/tcp_session.pcap" "$TMP/snap54.pcap" >/dev/null
	editcap -s 38 "$C/tcp_session.pcap" "$TMP/snap38.pcap" >/dev/null
	check_eq "snaplen 54: same records" "$(run "$TMP/snap54.pcap" | md5sum)" "$(md5sum <"$TMP/tcp.csv")"
	run "$TMP/snap38.pcap" >"$TMP/snap38.csv"
	check_eq "snaplen 38: same totals" "$(csv_totals "$TMP/snap38.csv")" "$(csv_totals "$TMP/tcp.csv")"

	# Payload shapes (make_captures.py, payload_shapes): counted by hand.
	run "$C/payload_shapes.pcap" >"$TMP/shapes.csv"
	f=$TMP/shapes.csv
	shares() { # WHERE DIR SHAPE: its share over the flow / over the first 16
		echo "$(csv_get "$f" "$1" "${2}_${3}_share")/$(csv_get "$f" "$1" "${2}_${3}_share16")"
	}
	# forward: 14 packets, RTP counted 11 times (not seq 100, nor the second stream's first)
	check_eq "rtp: forward" "$(shares dst_port=5006 fwd rtp)" 0.7857142857/0.7857142857
	check_eq "rtcp: forward" "$(shares dst_port=5006 fwd rtcp)" 0.07142857143/0.07142857143
	# backward 65534 65535 0 1: 3 of 4 continue; only 2 are among the first 16 packets
	check_eq "rtp: backward, across the wrap" "$(shares dst_port=5006 bwd rtp)" 0.75/0.5
	check_eq "rtp: sequence numbers that jump are not RTP" "$(shares dst_port=5010 fwd rtp)" 0/0
	check_eq "stun: forward 1 of 5 (a cookie whose length does not fit is not)" \
		"$(shares dst_port=3478 fwd stun)" 0.2/0.2
	check_eq "stun: backward" "$(shares dst_port=3478 bwd stun)" 0.5/0.5
	check_eq "dtls: forward, 1.2 records" "$(shares dst_port=3478 fwd dtls)" 0.4/0.4
	check_eq "dtls: backward, a 1.0 record" "$(shares dst_port=3478 bwd dtls)" 0.5/0.5
	check_eq "quic: forward long (v1, not an unknown version)" "$(shares 'dst_port=443,proto=17' fwd quic_long)" 0.2/0.2
	check_eq "quic: forward short, after the long only" "$(shares 'dst_port=443,proto=17' fwd quic_short)" 0.4/0.4
	check_eq "quic: backward (a draft version)" \
		"$(shares 'dst_port=443,proto=17' bwd quic_long):$(shares 'dst_port=443,proto=17' bwd quic_short)" 0.5/0.5:0.5/0.5
	check_eq "tls: 2 of 5 forward, 1 of 3 backward" \
		"$(shares 'dst_port=443,proto=6' fwd tls):$(shares 'dst_port=443,proto=6' bwd tls)" 0.4/0.4:0.3333333333/0.3333333333
	check_eq "tls flow: no UDP shape" "$(shares 'dst_port=443,proto=6' fwd rtp)$(shares 'dst_port=443,proto=6' bwd quic_long)" 0/00/0
	# A snap length that keeps 4 payload bytes leaves no shape to read.
	editcap -s 46 "$C/payload_shapes.pcap" "$TMP/shapes46.pcap" >/dev/null
	run "$TMP/shapes46.pcap" >"$TMP/shapes46.csv"
	check_eq "snaplen 46: no payload shape" "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /_(rtp|rtcp|stun|dtls|quic_long|quic_short|tls)_share/) c[i] = 1; next }
		{ for (i in c) s += $i } END { print s + 0 }' "$TMP/shapes46.csv")" 0
	check_eq "snaplen 46: same totals" "$(csv_totals "$TMP/shapes46.csv")" "$(csv_totals "$f")"

	# Pace and chunks (make_captures.py, pace_and_chunks).
	run "$C/pace_chunks.pcap" >"$TMP/pace.csv"
	f=$TMP/pace.csv
	# gaps 20, 21.5, 22.5, 38.5, 60, 10, 30, 200, 202.5, 17.9 ms: 5 within 2 ms of k x 20 ms
	check_eq "paced gaps: 5 of 10 forward, none backward" \
		"$(csv_get "$f" dst_port=7002 fwd_paced_share)/$(csv_get "$f" dst_port=7002 bwd_paced_share)" 0.5/0
	check_eq "paced flow: no chunk" "$(csv_get "$f" dst_port=7002 chunks)" 0
	# bursts of 128 + 60 x 1400 = 84128 bytes at 0, 2 and 7 s (the last open at the
	# end), 14128 at 5 s: 3 x 84128 of 266512 bytes; periods 2 and 5 s
	check_eq "chunks: 3 of 4 bursts, the open one included" "$(csv_get "$f" dst_port=443 chunks)/$(csv_get "$f" dst_port=443 bursts)" 3/4
	check_eq "chunks: share of bytes" "$(csv_get "$f" dst_port=443 chunk_bytes_share)" 0.9469892538
	check_eq "chunks: period mean, us" "$(csv_get "$f" dst_port=443 chunk_period_mean)" 3500000
	# sample std of 2 and 5 s: 1.5 x sqrt(2) s, over 3.5 s
	check_eq "chunks: period cv" "$(csv_get "$f" dst_port=443 chunk_period_cv)" 0.6060915267

	# pcapng reads the same as pcap.
	editcap -F pcapng "$C/tcp_session.pcap" "$TMP/tcp.pcapng" >/dev/null
	check_eq "pcapng = pcap" "$(run "$TMP/tcp.pcapng" | md5sum)" "$(md5sum <"$TMP/tcp.csv")"

	# Several captures: each one's flows end with it.
	check_eq "two captures" "$(run "$C/tcp_session.pcap" "$C/vlans.pcap" | tail -n +2 | wc -l)" 5

	# JSON lines carry the same columns as the CSV header.
	run --format json "$C/tcp_session.pcap" >"$TMP/tcp.json"
	check_eq "json keys = csv header" \
		"$("$PY" -c 'import json,sys; print(",".join(json.loads(open(sys.argv[1]).readline())))' "$TMP/tcp.json")" \
		"$(head -1 "$TMP/tcp.csv")"
	check_eq "json fwd_bytes" \
		"$("$PY" -c 'import json,sys; print(sorted(json.loads(l)["fwd_bytes"] for l in open(sys.argv[1])))' "$TMP/tcp.json")" \
		"[40, 80, 300]"

	# -o writes the file only when complete.
	run -o "$TMP/out.csv" "$C/tcp_session.pcap"
	check_eq "-o file = stdout" "$(md5sum <"$TMP/out.csv")" "$(md5sum <"$TMP/tcp.csv")"
done

finish
