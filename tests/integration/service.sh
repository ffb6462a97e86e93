#!/bin/bash
# The service (dist/flowscope@.service.in): systemd-analyze verify reads the
# unit without a word, and its ExecStart, as systemd would run it for an
# interface (%I), works with no more than the unit's CapabilityBoundingSet
# (setpriv gives root exactly those), records a UDP stream into the state
# directory, stops clean on SIGTERM, and its ExecStopPost finds nothing to
# undo. This machine's PID 1 is not systemd, so the unit itself cannot be
# started here; its command line and capabilities are what is run.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/veth.sh"
need_root
live_setup s 10.207.0
PY=/usr/bin/python3

# The unit and config as `make install` makes them, with this build's flowscope.
mkdir -p "$TMP/etc/flowscope" "$TMP/state/flowscope"
cp "$ROOT/dist/flowscope.conf" "$TMP/etc/flowscope/"
sed -e "s|@SBINDIR@|$BUILD|g" -e "s|@SYSCONFDIR@|$TMP/etc|g" "$ROOT/dist/flowscope@.service.in" \
	>"$TMP/flowscope@$IF.service"
# Its Documentation= must name a page this build makes: verify looks it up.
mkdir -p "$TMP/man/man8" && cp "$BUILD"/man/*.8 "$TMP/man/man8/"
out=$(MANPATH=$TMP/man systemd-analyze verify "$TMP/flowscope@$IF.service" 2>&1)
check_eq "systemd-analyze verify: exit status" "$?" 0
check_eq "systemd-analyze verify: nothing to say" "$out" ""

unit_value() { # KEY: the unit's value, its specifiers as systemd fills them for $IF
	sed -n "s/^$1=//p" "$TMP/flowscope@$IF.service" |
		sed -e "s|%S|$TMP/state|g" -e "s|%[iI]|$IF|g"
}
caps=$(unit_value CapabilityBoundingSet | tr 'A-Z ' 'a-z\n' | sed 's/^cap_/+/' | paste -sd,)
check_eq "the capabilities: CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON" "$caps" "+bpf,+net_admin,+perfmon"
check_eq "the ambient capabilities are the same" "$(unit_value AmbientCapabilities)" \
	"$(unit_value CapabilityBoundingSet)"
read -ra start <<<"$(unit_value ExecStart)"
read -ra stop_post <<<"$(unit_value ExecStopPost)"

# One fewer and the kernel refuses the program, with a line that says which it needs.
err=$(setpriv --bounding-set=-all,+bpf,+net_admin --inh-caps=-all "${start[@]}" 2>&1 >/dev/null)
check_eq "without CAP_PERFMON: exit status" "$?" 1
check_match "without CAP_PERFMON: says what it needs" "$err" "CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON"

setpriv --bounding-set=-all,"$caps" --inh-caps=-all "${start[@]}" 2>"$TMP/service.err" &
PID=$!
PIDS+=("$PID")
wait_for "the service to attach" grep -q "^flowscope: $IF: attached" "$TMP/service.err"
ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" "$SUBNET.1" 9011 30 300 200
kill -TERM "$PID"
wait "$PID"
check_eq "SIGTERM: exit status" "$?" 0
check_eq "its stream, recorded in the state directory" \
	"$(csv_get "$TMP/state/flowscope/$IF.csv" dst_port=9011 fwd_packets)" 30
check_eq "--quiet: no summary" "$(grep -c 'active flows' "$TMP/service.err")" 0
check_eq "a clean stop: no pins left" "$(ls /sys/fs/bpf/flowscope 2>/dev/null)" ""
"${stop_post[@]}" >"$TMP/stop.out" 2>&1
check_eq "ExecStopPost after a clean stop: exit status" "$?" 0
finish
