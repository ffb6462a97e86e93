#!/bin/bash
# A flow table too small for the traffic (docs/RELIABILITY.md, "Sizing the
# table"): the packets and flows it refuses are counted, replay's summary,
# attach's summary and `flowscope status` show them, nothing crashes, and
# recording resumes once ended flows are drained and space frees.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/veth.sh"
need_root
require_engines
make_captures

# 1. Replay, a 4-flow table (tests/make_captures.py, overload()): A-D are
#    recorded, E-H refused (4 flows, 12 packets), and I-L, which come after
#    A-D have been idle for longer than the timeout, are recorded.
for engine in "${ENGINES[@]}"; do
	# shellcheck disable=SC2046
	err=$("$FLOWSCOPE" replay --no-model $(engine_args "$engine") --max-flows 4 \
		--idle-timeout 5s -o "$TMP/ov.$engine.csv" "$TMP/cap/overload.pcap" 2>&1)
	check_eq "replay, 4-flow table ($engine): exit status" "$?" 0
	check_match "replay, 4-flow table ($engine): 12 packets of 4 flows refused" "$err" \
		" 12 unrecorded \(table full 12, .*\) of 4 flows refused;"
	check_eq "replay, 4-flow table ($engine): the recorded flows" \
		"$(csv_get "$TMP/ov.$engine.csv" '' src_port | sort | tr '\n' ' ')" \
		"5001 5002 5003 5004 6001 6002 6003 6004 "
	check_eq "replay, 4-flow table ($engine): their packets" \
		"$(csv_totals "$TMP/ov.$engine.csv" | cut -d' ' -f1)" 24
done

# 2. Live, an 8-flow table, its summary on stderr. 20 flows of 5 packets at
#    once: 8 are recorded, 12 refused. Once those 8 have been idle 2 s and are
#    drained, 5 new flows are all recorded.
live_setup o 10.204.0
# A listener, so that the peer sends no ICMP "port unreachable" flows back.
ip netns exec "$NS" "$PY" -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.204.0.2", 9100))
while True:
    s.recv(2048)' &
PIDS+=($!)

# flows FIRST_PORT N: N flows of 5 datagrams to port 9100, all within ~50 ms.
flows() {
	"$PY" -c '
import socket, sys, time
first, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for port in range(first, first + n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", port))
    socks.append(s)
for _ in range(5):
    for s in socks:
        s.sendto(b"x" * 100, ("10.204.0.2", 9100))
    time.sleep(0.01)' "$1" "$2"
}

status_line() { "$FLOWSCOPE" status "$IF" | grep -E "$1"; }
status_has() { status_line "$1" | grep -Eq -- "$2"; }
summary_has() { grep 'packets seen' "$TMP/attach.err" | tail -n 1 | grep -Eq -- "$1"; }

"$FLOWSCOPE" attach --no-model --max-flows 8 --idle-timeout 2s --drain-interval 100ms \
	--interval 200ms -o "$TMP/live.csv" "$IF" 2>"$TMP/attach.err" &
FS_PID=$!
PIDS+=("$FS_PID")
wait_for "flowscope to attach" grep -q "^flowscope: $IF: attached" "$TMP/attach.err"
flows 31001 20
check_match "status: the table is full" "$(status_line 'flow table')" "8 of 8 entries in use"
check_match "status: 60 packets of 12 flows refused" "$(status_line 'packets seen')" \
	"packets seen 100; not in a record: 0 non-IP, 0 bad IP header, 60 unrecorded \(table full 60, .*\) of 12 flows refused;"
# The 8 go idle (2 s) and are drained.
wait_for "the idle flows to be drained" status_has 'flow table' " 0 of 8 entries in use"
flows 32001 5
wait_for "the summary to count the 5 new flows" summary_has "packets seen 125 "
check_match "summary: 60 packets of 12 flows refused" "$(grep 'packets seen' "$TMP/attach.err" | tail -n 1)" \
	"not in a record: 0 non-IP, 0 bad IP header, 60 unrecorded \(table full 60, .*\) of 12 flows refused;"
kill -INT "$FS_PID"
wait "$FS_PID"
check_eq "attach: exit status after SIGINT" "$?" 0
check_match "attach: its last line accounts for every packet" "$(tail -n 1 "$TMP/attach.err")" \
	"^flowscope: 125 packets seen, 13 records holding 65; not in a record: 0 non-IP, 0 bad IP header, 60 unrecorded"
check_eq "live: flows recorded, before and after the table freed" \
	"$(awk -F, 'NR > 1 { print int($3 / 1000) }' "$TMP/live.csv" | sort | uniq -c | awk '{ print $2 ":" $1 }' | tr '\n' ' ')" \
	"31:8 32:5 "
check_eq "live: their packets" "$(csv_totals "$TMP/live.csv" | cut -d' ' -f1)" 65
finish
