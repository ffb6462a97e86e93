#!/bin/bash
# The kernel model's verdict acted on (attach --class-mark, --class-priority)
# on a veth pair to a namespace made here: a call-like UDP exchange (RTP
# packets every 20 ms both ways) is marked from its verdict on, in both
# directions, as counted by an HTB class fed by a bpf classifier on the mark
# on egress and an nftables rule on ingress; skb->priority picks an HTB class
# itself; a bulk TCP download through the same interface is not marked; after
# detaching, nothing is.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/veth.sh"
need_root

live_setup k 10.210.0
NFT_TABLE=flowscope_test_$$
trap 'nft delete table inet "$NFT_TABLE" 2>/dev/null; live_cleanup "$IF"' EXIT
MODEL=$ROOT/models/default.model
# The packet at which the shipped kernel model decides (docs/MODEL.md).
CHECKPOINT=$(sed -n 's/^kernel [12] \([0-9]*\) .*/\1/p' "$MODEL")
CALL_PACKETS=60 # each way

check_true "the shipped model has a kernel model" test -n "$CHECKPOINT"

# Egress: HTB, class 1:10 for marked packets, 1:20 for skb->priority
# 0x10020, the rest to 1:30. Ingress: nftables counts marks. u32's 'match
# mark' is no use here: without CONFIG_CLS_U32_MARK (this kernel's) it
# matches every packet. The mark test is classic BPF for the bpf classifier
# (docs/LIVE.md): ld mark; and 0xff; jeq 1 ? match (-1: the flowid) : no (0).
MARK_IS_1="5,32 0 0 4294963220,84 0 0 255,21 0 1 1,6 0 0 4294967295,6 0 0 0"
tc qdisc add dev "$IF" root handle 1: htb default 30 r2q 1000 &&
	for c in 10 20 30; do tc class add dev "$IF" parent 1: classid "1:$c" htb rate 1gbit; done &&
	tc filter add dev "$IF" parent 1: protocol ip prio 1 bpf bytecode "$MARK_IS_1" flowid 1:10 &&
	nft -f - <<EOF || fail "cannot set up HTB and nftables"
table inet $NFT_TABLE {
	chain pre {
		type filter hook prerouting priority -300;
		iifname "$IF" meta mark & 0xff == 0x1 counter
		iifname "$IF" udp dport 5000-5999 counter
	}
}
EOF

htb_packets() { # class minor
	tc -s class show dev "$IF" classid "1:$1" | sed -n 's/^ Sent [0-9]* bytes \([0-9]*\) pkt.*/\1/p'
}
nft_packets() { # rule number (1: marked, 2: call packets in)
	nft list chain inet "$NFT_TABLE" pre | grep -o 'counter packets [0-9]*' | sed -n "$1s/.* //p"
}

mkdir -p "$TMP/www" && head -c 3000000 /dev/urandom >"$TMP/www/bulk.bin"
ip netns exec "$NS" "$PY" -m http.server 8080 --bind "$SUBNET.2" --directory "$TMP/www" \
	>/dev/null 2>&1 &
PIDS+=($!)

# One side of a call on PORT: RTP version 2, payload type 111, 160 bytes of
# audio, every 20 ms, to the other side's same port, which answers in kind.
cat >"$TMP/rtp.py" <<'EOF'
import socket, struct, sys, time
me, peer, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((me, port))
ssrc = 0x1234 if me.endswith(".1") else 0x5678
start = time.monotonic()
for seq in range(n):
    s.sendto(struct.pack("!BBHII", 0x80, 111, seq, seq * 160, ssrc) + bytes(160), (peer, port))
    time.sleep(max(0, start + (seq + 1) * 0.02 - time.monotonic()))
EOF
call() { # port: both sides, CALL_PACKETS each way
	ip netns exec "$NS" "$PY" "$TMP/rtp.py" "$SUBNET.2" "$SUBNET.1" "$1" "$CALL_PACKETS" &
	local peer=$!
	"$PY" "$TMP/rtp.py" "$SUBNET.1" "$SUBNET.2" "$1" "$CALL_PACKETS"
	wait "$peer"
}
# Every packet of the call is in: nftables counted CALL_PACKETS coming in.
call_in_counted() { # before
	[ "$(nft_packets 2)" = $(($1 + CALL_PACKETS)) ]
}

attach() { # args...
	"$FLOWSCOPE" attach -q --model "$MODEL" --hook tc -o "$TMP/records.csv" "$@" "$IF" \
		2>"$TMP/flowscope.err" &
	FS_PID=$!
	PIDS+=("$FS_PID")
	wait_for "flowscope to attach" grep -q "^flowscope: $IF: attached" "$TMP/flowscope.err"
}
detach() {
	kill -INT "$FS_PID" && wait "$FS_PID"
	check_eq "attach's exit status after SIGINT" "$?" 0
}

# --- XDP cannot act
"$FLOWSCOPE" attach --model "$MODEL" --hook xdp --class-mark call=1 "$IF" 2>"$TMP/xdp.err"
check_eq "--class-mark with --hook xdp: a usage error" "$?" 2
check_match "... saying why" "$(cat "$TMP/xdp.err")" "XDP runs before the kernel has an skb to mark"
"$FLOWSCOPE" attach --model "$MODEL" --class-mark nosuch=1 "$IF" 2>"$TMP/class.err"
check_eq "--class-mark with a class the model lacks: a usage error" "$?" 2

# --- Marks: HTB's u32 filter on egress, nftables on ingress
attach --class-mark call=0x1/0xff
in_before=$(nft_packets 2)
call 5004
wait_for "the call's last packet in" call_in_counted "$in_before"
curl -s -o /dev/null "http://$SUBNET.2:8080/bulk.bin" || fail "the download failed"
marked_out=$(htb_packets 10)
marked_in=$(nft_packets 1)
# The kernel's own count of the call's packets from its verdict on, through the pins.
status=$("$FLOWSCOPE" status "$IF")
detach
# The flow's first CHECKPOINT - 1 packets go before the verdict; every other is marked.
check_eq "call packets marked, both ways: all but the first $((CHECKPOINT - 1))" \
	$((marked_out + marked_in)) $((2 * CALL_PACKETS - CHECKPOINT + 1))
check_true "marked both ways (out $marked_out, in $marked_in)" \
	test "$marked_out" -ge $((CALL_PACKETS - CHECKPOINT)) -a "$marked_in" -ge $((CALL_PACKETS - CHECKPOINT))
check_eq "flowscope status: the calls the kernel decided, and their packets since (those marked)" \
	"$(printf '%s\n' "$status" | grep -o ' call [0-9]* flows [0-9]* moved [0-9]* packets')" \
	" call 1 flows 0 moved $((marked_out + marked_in)) packets"
check_eq "the call's record: the kernel model said call" \
	"$(csv_get "$TMP/records.csv" "src_port=5004,proto=17" kernel_class)" call
kernel_bulk=$(csv_get "$TMP/records.csv" "dst_port=8080" kernel_class)
check_true "the download's record has a kernel verdict ($kernel_bulk), not call" \
	test -n "$kernel_bulk" -a "$kernel_bulk" != call

# --- skb->priority: HTB takes the class it names, before any filter
attach --class-priority call=0x10020
in_before=$(nft_packets 2)
before20=$(htb_packets 20)
call 5006
wait_for "the call's last packet in" call_in_counted "$in_before"
by_priority=$(($(htb_packets 20) - before20))
detach
check_true "priority 1:20 on the call's packets out after its verdict ($by_priority)" \
	test "$by_priority" -ge $((CALL_PACKETS - CHECKPOINT + 1)) -a "$by_priority" -le "$CALL_PACKETS"

# --- Detached: no program, no mark
out_before=$(htb_packets 10)
p20_before=$(htb_packets 20)
marks_before=$(nft_packets 1)
in_before=$(nft_packets 2)
call 5008
wait_for "the call's last packet in" call_in_counted "$in_before"
check_eq "after detaching, no packet out is marked" "$(htb_packets 10)" "$out_before"
check_eq "after detaching, no packet out has the priority" "$(htb_packets 20)" "$p20_before"
check_eq "after detaching, no packet in is marked" "$(nft_packets 1)" "$marks_before"
finish
