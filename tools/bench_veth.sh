#!/bin/bash
# make bench, part 2: the highest packet rate on a veth pair at which flowscope
# counts every packet. A namespace made here sends UDP over 1024 flows at rising
# rates to the root side, where `flowscope attach` (TC ingress and egress) runs
# with 100 ms drains and a 500 ms active timeout, so flows are exported while
# the traffic runs. Counted: the packets over all records. Delivered: what the
# interface's rx and tx counters moved (the sent datagrams and the ICMP port
# unreachables they cause). Needs root.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FLOWSCOPE=${FLOWSCOPE:-$ROOT/build/flowscope}
BLAST=${BLAST:-$ROOT/build/udp-blast}
NS=fs-bench-$$
IF=fsv$$
TMP=$(mktemp -d /dev/shm/flowscope-bench-veth.XXXXXX)
SECONDS_PER_RATE=2
RATES="50000 100000 200000 400000 0"

# The tests' veth helpers: make_peer_ns, veth_pair (IPv6 and offloads off), live_cleanup.
. "$ROOT/tests/veth.sh"
PIDS=()
trap 'live_cleanup "$IF"' EXIT

setup() {
	make_peer_ns && veth_pair "$IF" 10.209.0 &&
		# No ARP during the runs: it is not IP, and the counters would count it.
		ip netns exec "$NS" ip neigh replace 10.209.0.1 lladdr "$(cat /sys/class/net/$IF/address)" dev "${IF}p" &&
		ip neigh replace 10.209.0.2 lladdr "$(ip netns exec "$NS" cat /sys/class/net/${IF}p/address)" dev "$IF"
}

counter() { cat "/sys/class/net/$IF/statistics/$1"; }

# run RATE: prints "sent delivered counted"
run() {
	local out=$TMP/rate.csv rx0 tx0 sent
	rm -f "$out"
	"$FLOWSCOPE" attach -q -o "$out" --drain-interval 100ms --active-timeout 500ms "$IF" \
		2>"$TMP/err" &
	FS_PID=$!
	PIDS=("$FS_PID")
	for _ in $(seq 50); do grep -q ": attached" "$TMP/err" && break; sleep 0.1; done
	rx0=$(counter rx_packets)
	tx0=$(counter tx_packets)
	sent=$(ip netns exec "$NS" "$BLAST" 10.209.0.1 20000 1024 "$1" "$SECONDS_PER_RATE" 64)
	sleep 0.3
	kill -INT "$FS_PID"
	wait "$FS_PID"
	PIDS=()
	echo "$sent $(($(counter rx_packets) - rx0 + $(counter tx_packets) - tx0))" \
		"$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ s += $c["fwd_packets"] + $c["bwd_packets"] } END { print s + 0 }' "$out")"
}

if [ "$(id -u)" != 0 ]; then
	echo "bench_veth: needs root" >&2
	exit 1
fi
setup || { echo "bench_veth: cannot make the namespace and veth pair" >&2; exit 1; }
echo
echo "Live on a veth pair: TC ingress+egress, 1024 UDP flows of 64-byte datagrams, ${SECONDS_PER_RATE} s a rate"
printf "%-12s %10s %12s %12s %10s %12s\n" "offered pps" "sent" "delivered/s" "counted" "uncounted" "lossless"
best=0
for rate in $RATES; do
	read -r sent delivered counted <<<"$(run "$rate")"
	per_s=$((delivered / SECONDS_PER_RATE))
	lossless=no
	if [ "$counted" = "$delivered" ]; then
		lossless=yes
		[ "$per_s" -gt "$best" ] && best=$per_s
	fi
	label=$rate
	[ "$rate" = 0 ] && label="max"
	printf "%-12s %10s %12s %12s %10s %12s\n" "$label" "$sent" "$per_s" "$counted" \
		"$((delivered - counted))" "$lossless"
done
echo "highest rate with no packet uncounted: $best packets/s delivered (the sender's CPU is the limit at 'max')"
