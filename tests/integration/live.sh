#!/bin/bash
# flowscope attach on veth pairs to network namespaces made here, with real
# traffic (curl against python's http.server, steady UDP streams), GSO/GRO and
# IPv6 off so that every packet on the wire is one IP packet we sent.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/veth.sh"
need_root

TAG=$$
NS=fs-peer-$TAG
IF=fsa$TAG      # root side; the peer is ${IF}p in $NS
IF2=fsb$TAG     # a second pair, same namespace
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	xdp-filter unload "$IF" >/dev/null 2>&1 # section 2b's, with its pins
	live_cleanup "$IF" "$IF2"
}
trap cleanup EXIT

make_peer_ns || { echo "  FAIL: cannot make a network namespace"; exit 1; }
veth_pair "$IF" 10.201.0 && veth_pair "$IF2" 10.202.0 || { echo "  FAIL: cannot make veth pairs"; exit 1; }
mkdir -p "$TMP/www" && head -c 200000 /dev/urandom >"$TMP/www/blob.bin"
ip netns exec "$NS" /usr/bin/python3 -m http.server 8080 --bind 10.201.0.2 --directory "$TMP/www" \
	>/dev/null 2>&1 &
PIDS+=($!)
# A sink for tcpdump's probes (start_tcpdump), so that they draw no ICMP errors.
"$PY" -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.201.0.1", 9))
while True:
    s.recv(2048)' &
PIDS+=($!)
# Resolve MAC addresses now: ARP is not IP, but waiting on it skews timing.
ip netns exec "$NS" ip neigh replace 10.201.0.1 lladdr "$(cat /sys/class/net/$IF/address)" dev "${IF}p"
ip neigh replace 10.201.0.2 lladdr "$(ip netns exec "$NS" cat /sys/class/net/${IF}p/address)" dev "$IF"

start_flowscope() { # output args...
	local out=$1
	shift
	"$FLOWSCOPE" attach -q -o "$out" "$@" 2>"$TMP/flowscope.err" &
	FS_PID=$!
	PIDS+=("$FS_PID")
	# Its own word, not the pins: after a SIGKILL, stale pins are there already.
	wait_for "flowscope to attach" grep -q "^flowscope: ${!#}: attached" "$TMP/flowscope.err"
}

stop_flowscope() {
	kill -INT "$FS_PID"
	wait "$FS_PID"
	check_eq "flowscope exit status after SIGINT" "$?" 0
	grep -v ': attached (' "$TMP/flowscope.err" | sed 's/^/    stderr: /'
}

# From attach's last line: the packets in its records, and those it could not record.
closing_count() { # holding|unrecorded
	local n=2
	[ "$1" = holding ] && n=1
	tail -n 1 "$TMP/flowscope.err" | sed -En \
		"s/^flowscope: [0-9]+ packets seen, [0-9]+ records holding ([0-9]+); .* bad IP header, ([0-9]+) unrecorded .*/\\$n/p"
}

start_tcpdump() { # direction: in or inout
	# Direction by the kernel's filter, not -Q (which libpcap applies after counting),
	# so that tcpdump's own "received by filter" counts only what it is to write.
	local filter=ip
	[ "$1" = in ] && filter="inbound and ip"
	# Immediate mode: without it the packets of a block not yet handed over are lost at SIGINT.
	tcpdump --immediate-mode -i "$IF" -nn -U -w "$TMP/wire.pcap" "$filter" 2>"$TMP/tcpdump.err" &
	TD_PID=$!
	PIDS+=("$TD_PID")
	wait_for "tcpdump to listen" grep -q listening "$TMP/tcpdump.err"
	# "listening" comes before the socket takes every packet: wait until it has
	# written a probe of its own (to the sink on port 9, left out of the count).
	wait_for "tcpdump to capture" probe_captured
	# A probe its socket took before it ran may be in "received" but never written.
	tcpdump_stats_now
	TD_BASE=$(tcpdump_backlog)
}

probe_captured() {
	ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" 10.201.0.1 9 1 1000 10
	tcpdump -r "$TMP/wire.pcap" -nn 'udp dst port 9' 2>/dev/null | grep -q .
}

# tcpdump's own count, from the statistics it prints on SIGUSR1 and at exit.
tcpdump_stat() { # captured|received|dropped
	local what=$1
	[ "$what" = received ] && what="received by filter"
	[ "$what" = dropped ] && what="dropped by kernel"
	grep -Eo "[0-9]+ packets? $what" "$TMP/tcpdump.err" | tail -n 1 | cut -d' ' -f1
}

# tcpdump's statistics as of now: it prints them on SIGUSR1.
tcpdump_stats_now() {
	local n
	n=$(grep -c 'packets\? captured' "$TMP/tcpdump.err")
	kill -USR1 "$TD_PID"
	wait_for "tcpdump's statistics" eval '[ "$(grep -c "packets\? captured" "$TMP/tcpdump.err")" -gt "$n" ]'
}

# Packets its socket received but it has not written yet.
tcpdump_backlog() {
	echo $(($(tcpdump_stat received) - $(tcpdump_stat captured)))
}

# Every packet that reached tcpdump's socket since it started for real has been written.
tcpdump_caught_up() {
	tcpdump_stats_now && [ "$(tcpdump_backlog)" = "$TD_BASE" ]
}

stop_tcpdump() { # sets wire: the IP packets tcpdump wrote
	wait_for "tcpdump to write every packet it received" tcpdump_caught_up
	kill -INT "$TD_PID"
	wait "$TD_PID" 2>/dev/null
	check_eq "tcpdump: nothing dropped by the kernel" "$(tcpdump_stat dropped)" 0
	check_eq "tcpdump: every packet received since its probe was captured" "$(tcpdump_backlog)" \
		"$TD_BASE"
	wire=$(tcpdump -r "$TMP/wire.pcap" -nn 'not udp port 9' 2>/dev/null | wc -l)
}

# No TCP connection on PORT (default: the HTTP server's) still has a packet to
# send: each is gone or in TIME-WAIT on both sides. curl returns before its
# connection closes.
tcp_quiet() { # [PORT]
	local busy="state established state syn-sent state syn-recv state fin-wait-1 state fin-wait-2
		    state close-wait state last-ack state closing" port=${1:-8080}
	# shellcheck disable=SC2086
	[ -z "$(ss -Htn $busy "( sport = :$port or dport = :$port )")" ] &&
		[ -z "$(ip netns exec "$NS" ss -Htn $busy "( sport = :$port or dport = :$port )")" ]
}

traffic() {
	for i in 1 2 3; do
		curl -s -o /dev/null "http://10.201.0.2:8080/blob.bin" || fail "curl failed"
	done
	# Both directions, steady rates, in parallel with each other.
	"$PY" "$ROOT/tests/traffic.py" 10.201.0.2 9000 400 800 200 &
	local up=$!
	ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" 10.201.0.1 9001 300 600 900 &
	wait "$up" $!
	wait_for "the TCP connections to close" tcp_quiet
}

no_traces_left() { # label
	check_eq "$1: no TC filter left" "$(tc filter show dev "$IF" ingress; tc filter show dev "$IF" egress)" ""
	check_eq "$1: no XDP program left" "$(ip -o link show "$IF" | grep -c 'prog/xdp')" 0
	check_eq "$1: no pins left" "$(ls /sys/fs/bpf/flowscope 2>/dev/null)" ""
}

# 1. Each hook set: packets over all records = IP packets tcpdump saw there.
#    tc and both see both directions; xdp only what the interface receives.
for hooks in tc xdp both; do
	dir=inout
	[ "$hooks" = xdp ] && dir=in
	# tcpdump first, so that it is capturing before flowscope sees a packet, and
	# stopped last. A short active timeout and 100 ms drains: flows are cut and
	# exported while traffic runs, so a packet lost between reading and deleting would show.
	start_tcpdump "$dir"
	start_flowscope "$TMP/$hooks.csv" --hook "$hooks" --drain-interval 100ms --active-timeout 300ms "$IF" || continue
	status=$("$FLOWSCOPE" status)
	case $hooks in
	tc) check_match "tc: status" "$status" "xdp prog 0, tc ingress prog [1-9][0-9]*, tc egress prog [1-9]" ;;
	xdp) check_match "xdp: status" "$status" "xdp prog [1-9][0-9]*, tc ingress prog 0, tc egress prog 0" ;;
	both) check_match "both: status" "$status" "xdp prog [1-9][0-9]*, tc ingress prog 0, tc egress prog [1-9]" ;;
	esac
	traffic
	stop_flowscope
	stop_tcpdump
	read -r packets _ <<<"$(csv_totals "$TMP/$hooks.csv")"
	check_true "$hooks: traffic was seen ($wire packets)" [ "$wire" -gt 500 ]
	check_eq "$hooks: packets over all records = IP packets on the wire" "$packets" "$wire"
	check_eq "$hooks: attach's last line: packets in records" "$(closing_count holding)" "$wire"
	check_eq "$hooks: attach's last line: none unrecorded" "$(closing_count unrecorded)" 0
	check_true "$hooks: flows were cut by the active timeout while running" \
		[ "$(csv_get "$TMP/$hooks.csv" end_reason=active_timeout flow_id | wc -l)" -gt 2 ]
	no_traces_left "$hooks"
done
# XDP sees only what the interface receives: no record has a second direction.
check_eq "xdp: received packets only" \
	"$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { s += $c["bwd_packets"] } END { print s + 0 }' "$TMP/xdp.csv")" 0
check_true "xdp: the HTTP responses were seen" [ -n "$(csv_get "$TMP/xdp.csv" src_port=8080 fwd_packets)" ]

# 1b. With segmentation and receive offloads on, a TSO/GSO or GRO super-packet is
#     one packet to the stack, to tcpdump and to flowscope alike (docs/FLOWS.md).
ethtool -K "$IF" gso on gro on tso on >/dev/null 2>&1
ip netns exec "$NS" ethtool -K "${IF}p" gso on gro on tso on >/dev/null 2>&1
start_tcpdump inout
start_flowscope "$TMP/gso.csv" "$IF"
for i in 1 2 3; do curl -s -o /dev/null "http://10.201.0.2:8080/blob.bin" || fail "curl failed"; done
# TCP data sits in an skb's page fragments, past the TC program's data_end:
# the payload's first bytes are read with bpf_skb_load_bytes, both ways.
ip netns exec "$NS" "$PY" "$ROOT/tests/tls_echo.py" serve 10.201.0.2 9443 &
PIDS+=($!)
echo_listening() { [ -n "$(ip netns exec "$NS" ss -Htln '( sport = :9443 )')" ]; }
wait_for "the echo server to listen" echo_listening
"$PY" "$ROOT/tests/tls_echo.py" send 10.201.0.2 9443 20 || fail "tls_echo failed"
wait_for "the TCP connections to close" tcp_quiet
wait_for "the echo connection to close" tcp_quiet 9443
stop_flowscope
stop_tcpdump
read -r packets _ <<<"$(csv_totals "$TMP/gso.csv")"
largest=$(tcpdump -r "$TMP/wire.pcap" -nn -v 2>/dev/null | grep -o 'proto TCP (6), length [0-9]*' |
	awk '$NF > m { m = $NF } END { print m + 0 }')
check_true "offloads on: super-packets went by (largest IP packet $largest bytes)" [ "$largest" -gt 1500 ]
check_eq "offloads on: packets over all records = IP packets tcpdump saw" "$packets" "$wire"
tls_records() { # fwd|bwd: segments of the echo flow that start a TLS record
	awk -F, -v d="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["dst_port"] == 9443 { printf "%.0f\n", $c[d "_tls_share"] * $c[d "_packets"] }' "$TMP/gso.csv"
}
check_eq "offloads on: the 20 TLS records each way are seen at the TC hooks" \
	"$(tls_records fwd)/$(tls_records bwd)" 20/20
ethtool -K "$IF" gso off gro off tso off >/dev/null 2>&1
ip netns exec "$NS" ethtool -K "${IF}p" gso off gro off tso off >/dev/null 2>&1
no_traces_left "offloads on"

# 2. SIGKILL leaves the TC filters and pins; a new attach replaces them; detach removes them.
start_flowscope "$TMP/k1.csv" "$IF"
kill -KILL "$FS_PID"
wait "$FS_PID" 2>/dev/null
check_true "after SIGKILL: stale TC filter still there" [ -n "$(tc filter show dev "$IF" ingress)" ]
start_flowscope "$TMP/k2.csv" "$IF"
check_match "a new attach after SIGKILL runs" "$("$FLOWSCOPE" status)" "$IF"
"$PY" "$ROOT/tests/traffic.py" 10.201.0.2 9002 50 500 100
stop_flowscope
check_eq "after SIGKILL and re-attach: the new run records" \
	"$(csv_get "$TMP/k2.csv" dst_port=9002 fwd_packets)" 50
no_traces_left "re-attach after SIGKILL"
start_flowscope "$TMP/k3.csv" "$IF"
kill -KILL "$FS_PID"
wait "$FS_PID" 2>/dev/null
"$FLOWSCOPE" detach "$IF"
check_eq "flowscope detach: exit status" "$?" 0
no_traces_left "detach after SIGKILL"

# flowscope detach also takes an XDP link away from a running flowscope.
start_flowscope "$TMP/k4.csv" --hook xdp "$IF"
check_eq "xdp attached" "$(ip -o link show "$IF" | grep -c 'prog/xdp')" 1
"$FLOWSCOPE" detach "$IF"
check_eq "detach removes a running flowscope's XDP link" "$(ip -o link show "$IF" | grep -c 'prog/xdp')" 0
stop_flowscope
no_traces_left "detach of a running XDP attach"

# 2b. Sharing the XDP hook with xdp-tools' xdp-filter. Where the kernel
#     allows freplace programs, libxdp puts both in its dispatcher; where it
#     refuses them (as some hardened kernels do), xdp-filter's program sits
#     on the hook alone and flowscope must leave it be.
xdp_progs() { ip -o link show "$IF" | grep -o 'prog/xdp id [0-9]* name [a-z_]*' | sed 's/.* name //'; }
xdp-filter load -m skb "$IF" 2>"$TMP/xdp-filter.err" || fail "xdp-filter load: $(cat "$TMP/xdp-filter.err")"
in_dispatcher() { # program name: how many of it are in the dispatcher
	xdp-loader status "$IF" | grep -c "$1"
}
if xdp-loader status "$IF" | grep -q xdp_dispatcher; then
	start_flowscope "$TMP/d1.csv" --hook xdp "$IF"
	check_match "dispatcher: status names it" "$("$FLOWSCOPE" status)" \
		"xdp prog [1-9][0-9]* \\(in libxdp dispatcher prog [1-9]"
	check_eq "dispatcher: both programs in it" "$(in_dispatcher flowscope_xdp):$(in_dispatcher xdpfilt_)" 1:1
	ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" 10.201.0.1 9005 60 600 100
	stop_flowscope
	check_eq "dispatcher: the stream was counted" "$(csv_get "$TMP/d1.csv" dst_port=9005 fwd_packets)" 60
	check_eq "dispatcher: SIGINT takes ours out, xdp-filter's stays" \
		"$(in_dispatcher flowscope_xdp):$(in_dispatcher xdpfilt_)" 0:1
	start_flowscope "$TMP/d2.csv" --hook xdp "$IF"
	kill -KILL "$FS_PID"
	wait "$FS_PID" 2>/dev/null
	check_eq "dispatcher: after SIGKILL ours is still in it" "$(in_dispatcher flowscope_xdp)" 1
	start_flowscope "$TMP/d3.csv" --hook xdp "$IF"
	check_eq "dispatcher: re-attach replaces the stale one" "$(in_dispatcher flowscope_xdp)" 1
	kill -KILL "$FS_PID"
	wait "$FS_PID" 2>/dev/null
	"$FLOWSCOPE" detach "$IF"
	check_eq "dispatcher: detach after SIGKILL takes ours out, xdp-filter's stays" \
		"$(in_dispatcher flowscope_xdp):$(in_dispatcher xdpfilt_)" 0:1
else
	echo "  NOTE: this kernel refuses freplace programs, so libxdp runs no dispatcher here:"
	echo "        checking that flowscope leaves a lone XDP program alone, and --xdp-dispatcher's fallback"
	check_eq "xdp-filter's program is on the hook alone" "$(xdp_progs)" xdpfilt_alw_all
	"$FLOWSCOPE" attach -q -o "$TMP/x1.csv" --hook xdp "$IF" 2>"$TMP/x1.err"
	check_eq "attach over a lone foreign XDP program: exit status" "$?" 1
	check_match "attach over a lone foreign XDP program: why" "$(cat "$TMP/x1.err")" \
		"^flowscope: $IF: XDP program xdpfilt_alw_all \\(id [0-9]+\\) is attached, alone: .*use --hook tc"
	check_eq "attach over a lone foreign XDP program: it stays" "$(xdp_progs)" xdpfilt_alw_all
	check_true "attach over a lone foreign XDP program: no output file" [ ! -e "$TMP/x1.csv" ]
	check_eq "attach over a lone foreign XDP program: no pins" "$(ls /sys/fs/bpf/flowscope 2>/dev/null)" ""
	xdp-filter unload "$IF"
	start_flowscope "$TMP/x2.csv" --hook xdp --xdp-dispatcher "$IF"
	check_match "--xdp-dispatcher without a dispatcher: says so" "$(cat "$TMP/flowscope.err")" \
		"libxdp cannot run its dispatcher on this kernel .*attaching XDP by a BPF link"
	check_eq "--xdp-dispatcher without a dispatcher: our program on the hook" "$(xdp_progs)" flowscope_xdp
	ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" 10.201.0.1 9006 60 600 100
	stop_flowscope
	check_eq "--xdp-dispatcher without a dispatcher: the stream was counted" \
		"$(csv_get "$TMP/x2.csv" dst_port=9006 fwd_packets)" 60
fi
xdp-filter unload "$IF" 2>/dev/null
no_traces_left "sharing XDP"

# 3. Two interfaces at once, with an alert for every flow the model puts in any
#    class, or is unsure of (unknown).
CLASSES=$(awk '$1 == "class" { printf "%s%s", sep, $2; sep = "," }' "$ROOT/models/default.model"),unknown
start_flowscope "$TMP/two.csv" --alert "$CLASSES" --alert-log "$TMP/alerts.log" "$IF" "$IF2"
"$PY" "$ROOT/tests/traffic.py" 10.201.0.2 9003 40 400 100
"$PY" "$ROOT/tests/traffic.py" 10.202.0.2 9004 60 400 100
stop_flowscope
check_eq "two interfaces: first" "$(csv_get "$TMP/two.csv" dst_port=9003 fwd_packets)" 40
check_eq "two interfaces: second" "$(csv_get "$TMP/two.csv" dst_port=9004 fwd_packets)" 60
check_eq "two interfaces: no pins left" "$(ls /sys/fs/bpf/flowscope 2>/dev/null)" ""
check_eq "live alerts: a line per classified record" "$(wc -l <"$TMP/alerts.log")" "$(csv_rows "$TMP/two.csv")"
check_eq "live alerts: the first interface's stream" \
	"$(grep -c 'proto=udp src=10\.201\.0\.1:[0-9]* dst=10\.201\.0\.2:9003 packets=40 ' "$TMP/alerts.log")" 1

# 4. The summary on a terminal (a pseudo-terminal by script(1)), redrawn like top.
#    Stopped once it has redrawn a few times with the stream in it, not after a
#    fixed time: a slow start must not leave too few redraws. The stream outlasts
#    any wait; timeout(1) only bounds a run that hangs, and passes SIGINT on.
"$PY" "$ROOT/tests/traffic.py" 10.201.0.2 9005 60000 1000 100 &
BG=$!
PIDS+=("$BG")
redraws() { grep -c 'active flows' "$TMP/tty.txt" 2>/dev/null; }
script -q -f -e -c "sh -c 'echo \$\$ >$TMP/tty.pid; exec timeout --preserve-status -s INT 120 $FLOWSCOPE attach --interval 300ms $IF'" \
	"$TMP/tty.txt" >/dev/null &
TTY_PID=$!
PIDS+=("$TTY_PID")
wait_for "the summary to start" test -s "$TMP/tty.pid"
wait_for "the summary's redraws with the stream classified" eval \
	'[ "$(redraws)" -gt 3 ] && grep -Eq "10\.201\.0\.2:9005 .* (${CLASSES//,/|}) +(0\.[0-9]{2}|1\.00)" "$TMP/tty.txt"'
kill -INT "$(cat "$TMP/tty.pid")"
wait "$TTY_PID"
check_eq "summary: exit status" "$?" 0
screen=$(cat "$TMP/tty.txt")
check_match "summary: title" "$screen" "flowscope on $IF \\(tc ingress\\+egress\\)"
check_match "summary: rates" "$screen" "active flows [1-9][0-9]*   packets/s [1-9]"
check_match "summary: counters" "$screen" "not in a record: [0-9]+ non-IP, 0 bad IP header, 0 unrecorded \\("
check_match "summary: top flows, classified early" "$screen" \
	"10\\.201\\.0\\.1:[0-9]+ +10\\.201\\.0\\.2:9005 +udp +[0-9.kM]+ +[0-9.kM]+ +[0-9.kM]+ +[0-9]+s +(${CLASSES//,/|}) +(0\\.[0-9]{2}|1\\.00)"
check_match "summary: the class table" "$screen" "CLASS +ACTIVE +BYTES/S +FINISHED +BYTES"
check_match "summary: the stream's class has an active flow and a rate" "$screen" \
	"(${CLASSES//,/|}) +[1-9][0-9]* +[0-9.]+[kM] +[0-9]+ +[0-9.]+[kM]"
check_true "summary: redrawn with escape codes" grep -q $'\033\\[2J' "$TMP/tty.txt"
check_eq "summary: refreshed several times" "$(($(redraws) > 3))" 1
kill "$BG"
wait "$BG" 2>/dev/null
no_traces_left "summary run"

# 5. The host table: a host's verdict from its flows ended in the window and
#    those still open. 10.201.0.2 opens one flow that ends, then one that stays.
last_summary() { # the last refresh printed
	awk '/^flowscope on /{ b = "" } { b = b $0 "\n" } END { printf "%s", b }' "$TMP/hosts.err"
}
host_row() { # FLOWS: the last refresh's row for 10.201.0.2 with that many flows
	last_summary | grep -E "^10\.201\.0\.2 +$1 +[0-9.kM]+ +(${CLASSES//,/|}) +[0-9]\.[0-9]{2}$"
}
"$FLOWSCOPE" attach -o "$TMP/hosts.csv" --idle-timeout 1s --interval 200ms --host-window 1h \
	"$IF" 2>"$TMP/hosts.err" &
FS_PID=$!
PIDS+=("$FS_PID")
wait_for "the first refresh" eval 'last_summary | grep -q "^HOST "'
check_match "host table: its header" "$(last_summary)" \
	"HOST +FLOWS +BYTES +ACTIVITY +SCORE +\([0-9]+ hosts, last 3600s\)"
ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" 10.201.0.1 9007 20 200 300
wait_for "the first flow's record" eval '[ -n "$(csv_get "$TMP/hosts.csv" dst_port=9007 class)" ]'
wait_for "a refresh with the ended flow" eval "host_row 1 >/dev/null"
row=$(host_row 1)
# One flow: the host's class is the flow's, its score the flow's confidence plus
# half the share of the hour the flow covers (0.1 s: nothing at two decimals).
# The record's own class is the same, or unknown where its confidence is under
# the model's unknown_below: the host's verdict is never unknown.
check_eq "host table: one ended flow, its class" "$(echo "$row" | awk '{ print $4 }')" \
	"$(csv_get "$TMP/hosts.csv" dst_port=9007 host_class)"
below=$(awk '$1 == "unknown_below" { print $2 }' "$ROOT/models/default.model")
check_true "the record's class: its host's, or unknown under ${below:-0}" awk -F, -v t="${below:-0}" \
	'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["dst_port"] == 9007 {
		n++; ok = $c["class"] == $c["host_class"] || ($c["class"] == "unknown" && $c["confidence"] < t) }
	END { exit !(n == 1 && ok) }' "$TMP/hosts.csv"
check_eq "host table: one ended flow, its bytes (20 x 328)" "$(echo "$row" | awk '{ print $3 }')" 6.6k
check_true "host table: one ended flow, its score is its confidence" awk -v s="$(echo "$row" | awk '{ print $5 }')" \
	-v c="$(csv_get "$TMP/hosts.csv" dst_port=9007 confidence)" 'BEGIN { exit !(s - c < 0.006 && c - s < 0.006) }'
check_true "the record's host_score: the table's score" awk -v s="$(echo "$row" | awk '{ print $5 }')" \
	-v c="$(csv_get "$TMP/hosts.csv" dst_port=9007 host_score)" 'BEGIN { exit !(s - c < 0.006 && c - s < 0.006) }'
ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" 10.201.0.1 9008 1500 500 300 &
BG=$!
PIDS+=("$BG")
wait_for "a refresh with the ended flow and the open one" eval "host_row 2 >/dev/null"
wait "$BG"
kill -INT "$FS_PID"
wait "$FS_PID"
check_eq "host table run: exit status" "$?" 0
no_traces_left "host table run"
finish
