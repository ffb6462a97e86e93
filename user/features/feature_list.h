/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Every flow feature, once: FS_FEATURE(ID, name, CICFlowMeter name or NULL,
 * kind, unit, definition). It makes the enum, the output columns, the
 * `flowscope features` list and docs/FEATURES.md. Include it only from
 * flow_features.h and flow_features.c, with FS_FEATURE defined.
 *
 * "payload" is the L4 payload (CICFlowMeter's "packet length"), "header" the
 * L4 header, "IP length" the IP header's length field and "frame" the frame
 * on the wire. Forward is the direction of the flow's first packet. Times are
 * microseconds since the flow's first packet, each cut to a whole us; means
 * and standard deviations are over the sample (std with n - 1, 0 below 2).
 */

/* CICFlowMeter's 76, in its column order. */
FS_FEATURE(DURATION, "flow_duration", "Flow Duration", COUNT, "us",
	   "time from the first to the last packet")
FS_FEATURE(FWD_PKTS, "fwd_packets", "Tot Fwd Pkts", COUNT, "packets", "forward packets")
FS_FEATURE(BWD_PKTS, "bwd_packets", "Tot Bwd Pkts", COUNT, "packets", "backward packets")
FS_FEATURE(FWD_PAYLOAD, "fwd_payload_bytes", "TotLen Fwd Pkts", COUNT, "bytes",
	   "sum of forward payloads")
FS_FEATURE(BWD_PAYLOAD, "bwd_payload_bytes", "TotLen Bwd Pkts", COUNT, "bytes",
	   "sum of backward payloads")
FS_FEATURE(FWD_PAYLOAD_MAX, "fwd_payload_max", "Fwd Pkt Len Max", COUNT, "bytes",
	   "largest forward payload")
FS_FEATURE(FWD_PAYLOAD_MIN, "fwd_payload_min", "Fwd Pkt Len Min", COUNT, "bytes",
	   "smallest forward payload")
FS_FEATURE(FWD_PAYLOAD_MEAN, "fwd_payload_mean", "Fwd Pkt Len Mean", REAL, "bytes",
	   "mean forward payload")
FS_FEATURE(FWD_PAYLOAD_STD, "fwd_payload_std", "Fwd Pkt Len Std", REAL, "bytes",
	   "standard deviation of forward payloads")
FS_FEATURE(BWD_PAYLOAD_MAX, "bwd_payload_max", "Bwd Pkt Len Max", COUNT, "bytes",
	   "largest backward payload")
FS_FEATURE(BWD_PAYLOAD_MIN, "bwd_payload_min", "Bwd Pkt Len Min", COUNT, "bytes",
	   "smallest backward payload")
FS_FEATURE(BWD_PAYLOAD_MEAN, "bwd_payload_mean", "Bwd Pkt Len Mean", REAL, "bytes",
	   "mean backward payload")
FS_FEATURE(BWD_PAYLOAD_STD, "bwd_payload_std", "Bwd Pkt Len Std", REAL, "bytes",
	   "standard deviation of backward payloads")
FS_FEATURE(FLOW_BYTES_PER_S, "flow_bytes_per_s", "Flow Byts/s", REAL, "bytes/s",
	   "payload bytes of both directions over the duration; 0 if the duration is 0")
FS_FEATURE(FLOW_PKTS_PER_S, "flow_packets_per_s", "Flow Pkts/s", REAL, "packets/s",
	   "packets of both directions over the duration; 0 if the duration is 0")
FS_FEATURE(FLOW_IAT_MEAN, "flow_iat_mean", "Flow IAT Mean", REAL, "us",
	   "mean gap between consecutive packets of either direction")
FS_FEATURE(FLOW_IAT_STD, "flow_iat_std", "Flow IAT Std", REAL, "us",
	   "standard deviation of those gaps")
FS_FEATURE(FLOW_IAT_MAX, "flow_iat_max", "Flow IAT Max", COUNT, "us", "largest of those gaps")
FS_FEATURE(FLOW_IAT_MIN, "flow_iat_min", "Flow IAT Min", COUNT, "us", "smallest of those gaps")
FS_FEATURE(FWD_IAT_TOTAL, "fwd_iat_total", "Fwd IAT Tot", COUNT, "us",
	   "sum of gaps between consecutive forward packets")
FS_FEATURE(FWD_IAT_MEAN, "fwd_iat_mean", "Fwd IAT Mean", REAL, "us", "mean forward gap")
FS_FEATURE(FWD_IAT_STD, "fwd_iat_std", "Fwd IAT Std", REAL, "us",
	   "standard deviation of forward gaps")
FS_FEATURE(FWD_IAT_MAX, "fwd_iat_max", "Fwd IAT Max", COUNT, "us", "largest forward gap")
FS_FEATURE(FWD_IAT_MIN, "fwd_iat_min", "Fwd IAT Min", COUNT, "us", "smallest forward gap")
FS_FEATURE(BWD_IAT_TOTAL, "bwd_iat_total", "Bwd IAT Tot", COUNT, "us",
	   "sum of gaps between consecutive backward packets")
FS_FEATURE(BWD_IAT_MEAN, "bwd_iat_mean", "Bwd IAT Mean", REAL, "us", "mean backward gap")
FS_FEATURE(BWD_IAT_STD, "bwd_iat_std", "Bwd IAT Std", REAL, "us",
	   "standard deviation of backward gaps")
FS_FEATURE(BWD_IAT_MAX, "bwd_iat_max", "Bwd IAT Max", COUNT, "us", "largest backward gap")
FS_FEATURE(BWD_IAT_MIN, "bwd_iat_min", "Bwd IAT Min", COUNT, "us", "smallest backward gap")
FS_FEATURE(FWD_PSH, "fwd_psh", "Fwd PSH Flags", COUNT, "packets", "forward packets with PSH")
FS_FEATURE(BWD_PSH, "bwd_psh", "Bwd PSH Flags", COUNT, "packets", "backward packets with PSH")
FS_FEATURE(FWD_URG, "fwd_urg", "Fwd URG Flags", COUNT, "packets", "forward packets with URG")
FS_FEATURE(BWD_URG, "bwd_urg", "Bwd URG Flags", COUNT, "packets", "backward packets with URG")
FS_FEATURE(FWD_HEADER, "fwd_header_bytes", "Fwd Header Len", COUNT, "bytes",
	   "sum of forward L4 headers (TCP with options; UDP, ICMP 8)")
FS_FEATURE(BWD_HEADER, "bwd_header_bytes", "Bwd Header Len", COUNT, "bytes",
	   "sum of backward L4 headers")
FS_FEATURE(FWD_PKTS_PER_S, "fwd_packets_per_s", "Fwd Pkts/s", REAL, "packets/s",
	   "forward packets over the duration; 0 if the duration is 0")
FS_FEATURE(BWD_PKTS_PER_S, "bwd_packets_per_s", "Bwd Pkts/s", REAL, "packets/s",
	   "backward packets over the duration; 0 if the duration is 0")
FS_FEATURE(PAYLOAD_MIN, "payload_min", "Pkt Len Min", COUNT, "bytes",
	   "smallest payload, either direction")
FS_FEATURE(PAYLOAD_MAX, "payload_max", "Pkt Len Max", COUNT, "bytes",
	   "largest payload, either direction")
FS_FEATURE(PAYLOAD_MEAN, "payload_mean", "Pkt Len Mean", REAL, "bytes",
	   "mean payload, either direction")
FS_FEATURE(PAYLOAD_STD, "payload_std", "Pkt Len Std", REAL, "bytes",
	   "standard deviation of payloads, either direction")
FS_FEATURE(PAYLOAD_VAR, "payload_var", "Pkt Len Var", REAL, "bytes^2",
	   "sample variance of payloads, either direction")
FS_FEATURE(FIN, "fin", "FIN Flag Cnt", COUNT, "packets", "packets with FIN")
FS_FEATURE(SYN, "syn", "SYN Flag Cnt", COUNT, "packets", "packets with SYN")
FS_FEATURE(RST, "rst", "RST Flag Cnt", COUNT, "packets", "packets with RST")
FS_FEATURE(PSH, "psh", "PSH Flag Cnt", COUNT, "packets", "packets with PSH")
FS_FEATURE(ACK, "ack", "ACK Flag Cnt", COUNT, "packets", "packets with ACK")
FS_FEATURE(URG, "urg", "URG Flag Cnt", COUNT, "packets", "packets with URG")
FS_FEATURE(CWR, "cwr", "CWE Flag Count", COUNT, "packets",
	   "packets with CWR (CICFlowMeter's column name has the typo)")
FS_FEATURE(ECE, "ece", "ECE Flag Cnt", COUNT, "packets", "packets with ECE")
FS_FEATURE(DOWN_UP_RATIO, "down_up_ratio", "Down/Up Ratio", REAL, "ratio",
	   "backward packets over forward packets")
FS_FEATURE(PKT_SIZE_AVG, "packet_size_avg", "Pkt Size Avg", REAL, "bytes",
	   "payload bytes over packets, both directions")
FS_FEATURE(FWD_SEG_AVG, "fwd_segment_avg", "Fwd Seg Size Avg", REAL, "bytes",
	   "forward payload bytes over forward packets")
FS_FEATURE(BWD_SEG_AVG, "bwd_segment_avg", "Bwd Seg Size Avg", REAL, "bytes",
	   "backward payload bytes over backward packets")
FS_FEATURE(FWD_BULK_BYTES, "fwd_bulk_bytes_avg", "Fwd Byts/b Avg", REAL, "bytes",
	   "forward payload bytes in bulks over forward bulks (a bulk: >= 4 payload packets in a "
	   "row in one direction, each within 1 s of the last, the other direction silent)")
FS_FEATURE(FWD_BULK_PKTS, "fwd_bulk_packets_avg", "Fwd Pkts/b Avg", REAL, "packets",
	   "forward packets in bulks over forward bulks")
FS_FEATURE(FWD_BULK_RATE, "fwd_bulk_rate", "Fwd Blk Rate Avg", REAL, "bytes/s",
	   "forward payload bytes in bulks over the bulks' total duration")
FS_FEATURE(BWD_BULK_BYTES, "bwd_bulk_bytes_avg", "Bwd Byts/b Avg", REAL, "bytes",
	   "backward payload bytes in bulks over backward bulks")
FS_FEATURE(BWD_BULK_PKTS, "bwd_bulk_packets_avg", "Bwd Pkts/b Avg", REAL, "packets",
	   "backward packets in bulks over backward bulks")
FS_FEATURE(BWD_BULK_RATE, "bwd_bulk_rate", "Bwd Blk Rate Avg", REAL, "bytes/s",
	   "backward payload bytes in bulks over the bulks' total duration")
FS_FEATURE(SUBFLOW_FWD_PKTS, "subflow_fwd_packets", "Subflow Fwd Pkts", REAL, "packets",
	   "forward packets over subflows (a new subflow starts after a gap > 1 s)")
FS_FEATURE(SUBFLOW_FWD_BYTES, "subflow_fwd_bytes", "Subflow Fwd Byts", REAL, "bytes",
	   "forward payload bytes over subflows")
FS_FEATURE(SUBFLOW_BWD_PKTS, "subflow_bwd_packets", "Subflow Bwd Pkts", REAL, "packets",
	   "backward packets over subflows")
FS_FEATURE(SUBFLOW_BWD_BYTES, "subflow_bwd_bytes", "Subflow Bwd Byts", REAL, "bytes",
	   "backward payload bytes over subflows")
FS_FEATURE(FWD_INIT_WIN, "fwd_init_win", "Init Fwd Win Byts", COUNT, "bytes",
	   "TCP window field of the first forward packet; 0 without TCP")
FS_FEATURE(BWD_INIT_WIN, "bwd_init_win", "Init Bwd Win Byts", COUNT, "bytes",
	   "TCP window field of the first backward packet; 0 without one")
FS_FEATURE(FWD_DATA_PKTS, "fwd_data_packets", "Fwd Act Data Pkts", COUNT, "packets",
	   "forward packets with at least 1 payload byte")
FS_FEATURE(FWD_HEADER_MIN, "fwd_header_min", "Fwd Seg Size Min", COUNT, "bytes",
	   "smallest forward L4 header")
FS_FEATURE(ACTIVE_MEAN, "active_mean", "Active Mean", REAL, "us",
	   "mean active period (packets with gaps <= 5 s; the last period counts)")
FS_FEATURE(ACTIVE_STD, "active_std", "Active Std", REAL, "us",
	   "standard deviation of active periods")
FS_FEATURE(ACTIVE_MAX, "active_max", "Active Max", COUNT, "us", "longest active period")
FS_FEATURE(ACTIVE_MIN, "active_min", "Active Min", COUNT, "us", "shortest active period")
FS_FEATURE(IDLE_MEAN, "idle_mean", "Idle Mean", REAL, "us", "mean idle period (a gap > 5 s)")
FS_FEATURE(IDLE_STD, "idle_std", "Idle Std", REAL, "us", "standard deviation of idle periods")
FS_FEATURE(IDLE_MAX, "idle_max", "Idle Max", COUNT, "us", "longest idle period")
FS_FEATURE(IDLE_MIN, "idle_min", "Idle Min", COUNT, "us", "shortest idle period")

/*
 * The first seed's 21, under its names. Meant for host pairs (--unit pair),
 * where uplink is from the pair's client (the source of its first packet);
 * for a flow, uplink is forward. Volumes are frame lengths.
 */
FS_FEATURE(SESSION_TIME, "session_time", NULL, REAL, "s", "time from the first to the last packet")
FS_FEATURE(TCP_SHARE, "%tcp_protocol", NULL, REAL, "%", "TCP packets, percent of packets")
FS_FEATURE(UDP_SHARE, "%udp_protocol", NULL, REAL, "%", "UDP packets, percent of packets")
FS_FEATURE(UL_VOLUME, "ul_data_volume", NULL, COUNT, "bytes", "sum of uplink frames")
FS_FEATURE(UL_MAX, "max_ul_volume", NULL, COUNT, "bytes", "largest uplink frame")
FS_FEATURE(UL_MIN, "min_ul_volume", NULL, COUNT, "bytes", "smallest uplink frame")
FS_FEATURE(UL_MEAN, "avg_ul_volume", NULL, REAL, "bytes", "mean uplink frame")
FS_FEATURE(UL_STD, "std_ul_volume", NULL, REAL, "bytes",
	   "sample standard deviation of uplink frames")
FS_FEATURE(UL_VOLUME_SHARE, "%ul_volume", NULL, REAL, "%", "uplink frame bytes, percent of all")
FS_FEATURE(DL_VOLUME, "dl_data_volume", NULL, COUNT, "bytes", "sum of downlink frames")
FS_FEATURE(DL_MAX, "max_dl_volume", NULL, COUNT, "bytes", "largest downlink frame")
FS_FEATURE(DL_MIN, "min_dl_volume", NULL, COUNT, "bytes", "smallest downlink frame")
FS_FEATURE(DL_MEAN, "avg_dl_volume", NULL, REAL, "bytes", "mean downlink frame")
FS_FEATURE(DL_STD, "std_dl_volume", NULL, REAL, "bytes",
	   "sample standard deviation of downlink frames")
FS_FEATURE(DL_VOLUME_SHARE, "%dl_volume", NULL, REAL, "%", "downlink frame bytes, percent of all")
FS_FEATURE(UL_PACKETS, "nb_uplink_packet", NULL, COUNT, "packets", "uplink packets")
FS_FEATURE(DL_PACKETS, "nb_downlink_packet", NULL, COUNT, "packets", "downlink packets")
FS_FEATURE(UL_PACKET_SHARE, "%ul_packet", NULL, REAL, "%", "uplink packets, percent of all")
FS_FEATURE(DL_PACKET_SHARE, "%dl_packet", NULL, REAL, "%", "downlink packets, percent of all")
FS_FEATURE(KB_PER_S, "kB/s", NULL, REAL, "kB/s",
	   "frame bytes / 1000 over session_time; 0 if it is 0")
FS_FEATURE(PACKETS_PER_S, "nb_packet/s", NULL, REAL, "packets/s",
	   "packets over session_time; 0 if it is 0")

/* Ours: volumes, shapes and timing that separate video, calls and browsing. */
FS_FEATURE(FLOWS, "flows", NULL, COUNT, "count", "flows in the record: 1, or a pair's flows")
FS_FEATURE(SERVER_PORT, "server_port", NULL, COUNT, "port",
	   "destination port of the first packet, as a feature (0 for pairs)")
FS_FEATURE(FWD_BYTES, "fwd_bytes", NULL, COUNT, "bytes", "sum of forward IP lengths")
FS_FEATURE(BWD_BYTES, "bwd_bytes", NULL, COUNT, "bytes", "sum of backward IP lengths")
FS_FEATURE(FWD_FRAME_MIN, "fwd_frame_min", NULL, COUNT, "bytes",
	   "smallest forward frame (capped at 65535)")
FS_FEATURE(FWD_FRAME_MAX, "fwd_frame_max", NULL, COUNT, "bytes", "largest forward frame")
FS_FEATURE(FWD_FRAME_MEAN, "fwd_frame_mean", NULL, REAL, "bytes", "mean forward frame")
FS_FEATURE(FWD_FRAME_STD, "fwd_frame_std", NULL, REAL, "bytes",
	   "standard deviation of forward frames")
FS_FEATURE(BWD_FRAME_MIN, "bwd_frame_min", NULL, COUNT, "bytes", "smallest backward frame")
FS_FEATURE(BWD_FRAME_MAX, "bwd_frame_max", NULL, COUNT, "bytes", "largest backward frame")
FS_FEATURE(BWD_FRAME_MEAN, "bwd_frame_mean", NULL, REAL, "bytes", "mean backward frame")
FS_FEATURE(BWD_FRAME_STD, "bwd_frame_std", NULL, REAL, "bytes",
	   "standard deviation of backward frames")
FS_FEATURE(BWD_DATA_PKTS, "bwd_data_packets", NULL, COUNT, "packets",
	   "backward packets with at least 1 payload byte")
FS_FEATURE(FWD_FIN, "fwd_fin", NULL, COUNT, "packets", "forward packets with FIN")
FS_FEATURE(BWD_FIN, "bwd_fin", NULL, COUNT, "packets", "backward packets with FIN")
FS_FEATURE(FWD_SYN, "fwd_syn", NULL, COUNT, "packets", "forward packets with SYN")
FS_FEATURE(BWD_SYN, "bwd_syn", NULL, COUNT, "packets", "backward packets with SYN")
FS_FEATURE(FWD_RST, "fwd_rst", NULL, COUNT, "packets", "forward packets with RST")
FS_FEATURE(BWD_RST, "bwd_rst", NULL, COUNT, "packets", "backward packets with RST")
FS_FEATURE(FWD_ACK, "fwd_ack", NULL, COUNT, "packets", "forward packets with ACK")
FS_FEATURE(BWD_ACK, "bwd_ack", NULL, COUNT, "packets", "backward packets with ACK")
FS_FEATURE(DOWN_UP_BYTES, "down_up_bytes_ratio", NULL, REAL, "ratio",
	   "backward IP bytes over forward IP bytes")
FS_FEATURE(FWD_HIST_0, "fwd_len_lt64", NULL, COUNT, "packets", "forward packets of IP length < 64")
FS_FEATURE(FWD_HIST_1, "fwd_len_64_127", NULL, COUNT, "packets",
	   "forward packets of IP length 64-127")
FS_FEATURE(FWD_HIST_2, "fwd_len_128_255", NULL, COUNT, "packets",
	   "forward packets of IP length 128-255")
FS_FEATURE(FWD_HIST_3, "fwd_len_256_511", NULL, COUNT, "packets",
	   "forward packets of IP length 256-511")
FS_FEATURE(FWD_HIST_4, "fwd_len_512_1023", NULL, COUNT, "packets",
	   "forward packets of IP length 512-1023")
FS_FEATURE(FWD_HIST_5, "fwd_len_1024_1199", NULL, COUNT, "packets",
	   "forward packets of IP length 1024-1199")
FS_FEATURE(FWD_HIST_6, "fwd_len_ge1200", NULL, COUNT, "packets",
	   "forward packets of IP length >= 1200 (near the MTU)")
FS_FEATURE(BWD_HIST_0, "bwd_len_lt64", NULL, COUNT, "packets", "backward packets of IP length < 64")
FS_FEATURE(BWD_HIST_1, "bwd_len_64_127", NULL, COUNT, "packets",
	   "backward packets of IP length 64-127")
FS_FEATURE(BWD_HIST_2, "bwd_len_128_255", NULL, COUNT, "packets",
	   "backward packets of IP length 128-255")
FS_FEATURE(BWD_HIST_3, "bwd_len_256_511", NULL, COUNT, "packets",
	   "backward packets of IP length 256-511")
FS_FEATURE(BWD_HIST_4, "bwd_len_512_1023", NULL, COUNT, "packets",
	   "backward packets of IP length 512-1023")
FS_FEATURE(BWD_HIST_5, "bwd_len_1024_1199", NULL, COUNT, "packets",
	   "backward packets of IP length 1024-1199")
FS_FEATURE(BWD_HIST_6, "bwd_len_ge1200", NULL, COUNT, "packets",
	   "backward packets of IP length >= 1200 (near the MTU)")
FS_FEATURE(NEAR_MTU_SHARE, "near_mtu_share", NULL, REAL, "ratio",
	   "share of packets of IP length >= 1200, both directions")
FS_FEATURE(SMALL_SHARE, "small_share", NULL, REAL, "ratio",
	   "share of packets of IP length < 128, both directions")
FS_FEATURE(SUBFLOWS, "subflows", NULL, COUNT, "count", "1 + gaps > 1 s between packets")
FS_FEATURE(BURSTS, "bursts", NULL, COUNT, "count",
	   "runs of packets, either direction, whose gaps are all <= 250 ms")
FS_FEATURE(BURST_MAX_BYTES, "burst_max_bytes", NULL, COUNT, "bytes",
	   "IP bytes of the largest burst")
FS_FEATURE(BURST_GAP_MEAN, "burst_gap_mean", NULL, REAL, "us",
	   "mean gap between bursts; 0 with one burst")
FS_FEATURE(UDP_IAT_CV, "udp_iat_cv", NULL, REAL, "ratio",
	   "UDP flows: flow IAT std over flow IAT mean (low for real-time media); 0 otherwise")
FS_FEATURE(FWD_PACED_SHARE, "fwd_paced_share", NULL, REAL, "ratio",
	   "forward gaps within 2 ms of 20, 40, ... 200 ms (real-time media's pace) over all "
	   "forward gaps")
FS_FEATURE(BWD_PACED_SHARE, "bwd_paced_share", NULL, REAL, "ratio", "the same for backward gaps")
FS_FEATURE(CHUNKS, "chunks", NULL, COUNT, "count",
	   "bursts (gaps <= 250 ms) of at least 80 kB IP bytes: a player's segment fetches")
FS_FEATURE(CHUNK_BYTES_SHARE, "chunk_bytes_share", NULL, REAL, "ratio",
	   "IP bytes in those bursts over all IP bytes")
FS_FEATURE(CHUNK_PERIOD_MEAN, "chunk_period_mean", NULL, REAL, "us",
	   "mean time from one chunk's first packet to the next's, within a flow; 0 below 2 chunks")
FS_FEATURE(CHUNK_PERIOD_CV, "chunk_period_cv", NULL, REAL, "ratio",
	   "their standard deviation over their mean (low for a player's steady fetches)")

/*
 * Payload shapes (enum fs_shape in include/flow.h): the share of a
 * direction's packets whose first payload bytes look like a protocol's
 * header, over the flow and over its first 16 packets. A capture that cut
 * the payload off (snap length) shows none.
 */
#define FS_SHAPE_FEATURES(DIR, dir, SHAPE, shape, what)                                            \
	FS_FEATURE(DIR##_SHAPE_##SHAPE, #dir "_" #shape "_share", NULL, REAL, "ratio",             \
		   #dir "ward packets whose payload starts with " what)                            \
	FS_FEATURE(DIR##_SHAPE16_##SHAPE, #dir "_" #shape "_share16", NULL, REAL, "ratio",         \
		   "the same share among the " #dir "ward packets of the flow's first 16")
#define FS_SHAPE_FEATURES_DIR(DIR, dir)                                                            \
	FS_SHAPE_FEATURES(DIR, dir, RTP, rtp,                                                      \
			  "an RTP v2 header whose sequence number is 1-16 past the last of one "   \
			  "of the direction's two latest RTP streams")                             \
	FS_SHAPE_FEATURES(DIR, dir, RTCP, rtcp, "an RTCP header (version 2, type 200-213)")        \
	FS_SHAPE_FEATURES(DIR, dir, STUN, stun,                                                    \
			  "a STUN/TURN message (magic cookie 0x2112A442, a length that fits)")     \
	FS_SHAPE_FEATURES(DIR, dir, DTLS, dtls,                                                    \
			  "a DTLS record header (type 20-23, version 0xFEFF or 0xFEFD)")           \
	FS_SHAPE_FEATURES(DIR, dir, QUIC_LONG, quic_long,                                          \
			  "a QUIC long header of a known version (v1, v2, drafts, Google's)")      \
	FS_SHAPE_FEATURES(DIR, dir, QUIC_SHORT, quic_short,                                        \
			  "a QUIC short header, once either direction has sent a long one")        \
	FS_SHAPE_FEATURES(DIR, dir, TLS, tls,                                                      \
			  "a TLS record header (TCP; type 20-23, version 3.0-3.4)")
FS_SHAPE_FEATURES_DIR(FWD, fwd)
FS_SHAPE_FEATURES_DIR(BWD, bwd)
#undef FS_SHAPE_FEATURES_DIR
#undef FS_SHAPE_FEATURES

/*
 * The first 16 packets: IP length, signed by direction (+ forward,
 * - backward, 0 past the flow's end), and the gap since the previous packet.
 */
#define FS_SEQ_FEATURE(n)                                                                          \
	FS_FEATURE(SEQ_LEN_##n, "seq" #n "_len", NULL, REAL, "bytes",                              \
		   "packet " #n ": IP length, negative if backward, 0 if none")                    \
	FS_FEATURE(SEQ_IAT_##n, "seq" #n "_iat", NULL, COUNT, "us",                                \
		   "packet " #n ": gap since the previous packet (exact below 32768 us, else "     \
		   "1024 us steps up to 33.5 s)")
FS_SEQ_FEATURE(1)
FS_SEQ_FEATURE(2)
FS_SEQ_FEATURE(3)
FS_SEQ_FEATURE(4)
FS_SEQ_FEATURE(5)
FS_SEQ_FEATURE(6)
FS_SEQ_FEATURE(7)
FS_SEQ_FEATURE(8)
FS_SEQ_FEATURE(9)
FS_SEQ_FEATURE(10)
FS_SEQ_FEATURE(11)
FS_SEQ_FEATURE(12)
FS_SEQ_FEATURE(13)
FS_SEQ_FEATURE(14)
FS_SEQ_FEATURE(15)
FS_SEQ_FEATURE(16)
#undef FS_SEQ_FEATURE
