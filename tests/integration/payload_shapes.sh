#!/bin/bash
# Payload shapes on real captures: per flow and direction, the STUN, DTLS and
# QUIC packets flowscope counts equal the frames tshark's dissectors find
# (tests/shape_counts.py), on every shared capture that tshark finds QUIC or
# STUN in (CAPTURE_DETAILS.tsv). Both engines' records are the same
# (real_captures.sh), so the user engine's are compared here.
. "$(dirname "$0")/../lib.sh"
need_captures

# WhatsApp sends STUN messages of methods tshark does not know (types 0x0801
# and 0x0802, cookie and length in place): tshark calls them data.
skip_reason() {
	case $1 in
	call__ndpi__wa_*) echo "WhatsApp's own STUN methods" ;;
	esac
}

n=0
while IFS=$'\t' read -r name quic stun <&3; do
	[ -n "$(skip_reason "$name")" ] && continue
	[ "$quic" -gt 0 ] || [ "$stun" -gt 0 ] || continue
	n=$((n + 1))
	"$FLOWSCOPE" replay -q --engine user --no-model -o "$TMP/r.csv" "$CAPTURES/$name" ||
		fail "$name: replay failed"
	check_true "$name: STUN, DTLS and QUIC per flow and direction = tshark's" \
		"$PY" "$ROOT/tests/shape_counts.py" "$CAPTURES/$name" "$TMP/r.csv" stun dtls quic_long quic_short
done 3< <(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$1 !~ /__ucdavis__/ { print $1 "\t" $c["quic_pkts"] "\t" $c["stun_pkts"] }' "$CAPTURES/CAPTURE_DETAILS.tsv")
check_true "captures with QUIC or STUN compared ($n)" [ "$n" -ge 20 ]

# The reconstructed UCDavis sessions keep one payload byte (0xC3, then 0x40):
# not enough to tell a QUIC header, so no shape at all.
cap=$(awk -F'\t' '$1 ~ /__ucdavis__/ { print $1; exit }' "$CAPTURES/MANIFEST.tsv")
"$FLOWSCOPE" replay -q --engine user --no-model -o "$TMP/u.csv" "$CAPTURES/$cap"
check_eq "$cap: a 43-byte snap length shows no shape" "$(awk -F, 'NR == 1 {
		for (i = 1; i <= NF; i++) if ($i ~ /_(rtp|rtcp|stun|dtls|quic_long|quic_short|tls)_share/) c[i] = 1; next }
	{ for (i in c) s += $i } END { print s + 0 }' "$TMP/u.csv")" 0

# The SIP/RTP calls: their media flows are RTP in at least 9 of 10 packets.
for cap in call__wireshark__SIP_DTMF2.cap call__ndpi__rtp.pcapng; do
	"$FLOWSCOPE" replay -q --engine user --no-model -o "$TMP/s.csv" "$CAPTURES/$cap"
	check_true "$cap: an RTP stream of 9 in 10 packets" [ "$(awk -F, 'NR == 1 {
		for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["fwd_packets"] >= 10 && $c["fwd_rtp_share"] >= 0.9 { n++ } END { print n + 0 }' "$TMP/s.csv")" -ge 1 ]
done
finish
