# Sourced after lib.sh by the tests that attach to real interfaces: a network
# namespace of the test's own, with veth pairs into it. The caller sets NS,
# makes it with make_peer_ns, and removes it (ip netns del) in its EXIT trap.

make_peer_ns() {
	ip netns add "$NS" && ip -n "$NS" link set lo up
}

# veth_pair NAME SUBNET: NAME here with .1, NAMEp in $NS with .2; IPv6 and
# offloads off, so that every packet on the wire is one IP packet we sent.
veth_pair() {
	ip link add "$1" type veth peer name "${1}p" &&
		ip link set "${1}p" netns "$NS" &&
		sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" &&
		ip netns exec "$NS" sysctl -qw "net.ipv6.conf.${1}p.disable_ipv6=1" &&
		ip addr add "$2.1/24" dev "$1" && ip link set "$1" up &&
		ip -n "$NS" addr add "$2.2/24" dev "${1}p" && ip -n "$NS" link set "${1}p" up &&
		ethtool -K "$1" gso off gro off tso off >/dev/null 2>&1 &&
		ip netns exec "$NS" ethtool -K "${1}p" gso off gro off tso off >/dev/null 2>&1
}

wait_for() { # what command...: up to 10 s
	local what=$1 i
	shift
	for i in $(seq 100); do "$@" && return 0; sleep 0.1; done
	fail "timed out waiting for $what"
	return 1
}

# Live tests need root; in CI a missing root fails, elsewhere it skips.
need_root() {
	if [ "$(id -u)" != 0 ]; then
		[ -n "${CI:-}" ] && { echo "  FAIL: live tests need root, and CI runs as root"; exit 1; }
		echo "  SKIP: live tests need root"
		exit 77
	fi
}

# live_cleanup IFACE...: for the EXIT trap. Kills the test's processes
# ($PIDS), takes flowscope off the interfaces, removes them and $NS.
live_cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	"$FLOWSCOPE" detach "$@" >/dev/null 2>&1
	ip netns del "$NS" 2>/dev/null
	for p in "$@"; do ip link del "$p" 2>/dev/null; done
	rm -rf "$TMP"
}

# live_setup LETTER SUBNET: for a test on one veth pair. Sets NS, IF
# (fsLETTER<pid>) and PIDS, cleans up on exit, and makes the pair.
live_setup() {
	NS=fs-$1-$$
	IF=fs$1$$
	SUBNET=$2
	PIDS=()
	trap 'live_cleanup "$IF"' EXIT
	make_peer_ns || { echo "  FAIL: cannot make a network namespace"; exit 1; }
	peer_link
}

# (Re)makes the pair $IF <-> ${IF}p on $SUBNET, the peer's MAC address known.
peer_link() {
	ip link del "$IF" 2>/dev/null
	veth_pair "$IF" "$SUBNET" || { echo "  FAIL: cannot make a veth pair"; exit 1; }
	ip neigh replace "$SUBNET.2" lladdr "$(ip netns exec "$NS" cat /sys/class/net/"${IF}"p/address)" \
		dev "$IF"
}
