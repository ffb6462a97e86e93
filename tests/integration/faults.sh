#!/bin/bash
# Faults that must end well, with one clear line (docs/RELIABILITY.md): the
# interface deleted under a running attach, bpffs not mounted (and not
# mountable), the output disk full (replay's file, attach's append), and a
# table too small for the traffic. Real veth pairs into a namespace made here;
# mounts are made in private mount namespaces (unshare -m), so the machine's
# own /sys/fs/bpf and file systems are never touched.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/veth.sh"
need_root

live_setup f 10.203.0

# udp COUNT [SPORT]: COUNT datagrams of 100 bytes to the peer, port 9100, 1000/s.
udp() {
	"$PY" "$ROOT/tests/traffic.py" 10.203.0.2 9100 "$1" 1000 100 "${2:-0}"
}

# Packets of the records of flows to port 9100 in a CSV of records.
udp_packets() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		 $c["dst_port"] == 9100 || $c["src_port"] == 9100 { p += $c["fwd_packets"] + $c["bwd_packets"] }
		 END { print p + 0 }' "$1"
}

# Every line of a CSV has the header's number of fields, and the file ends in a newline.
whole_records() {
	[ ! -s "$1" ] || [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] &&
		awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }' "$1"
}

attached() { grep -q "^flowscope: $IF: attached" "$1"; }

# 1. The interface is deleted while attached: the flows seen so far are
#    written, one line says why it stopped, and nothing is left behind.
"$FLOWSCOPE" attach -q --no-model --drain-interval 100ms -o "$TMP/gone.csv" "$IF" \
	2>"$TMP/gone.err" &
FS_PID=$!
PIDS+=("$FS_PID")
wait_for "flowscope to attach" attached "$TMP/gone.err"
udp 200
ip link del "$IF"
wait "$FS_PID"
check_eq "interface gone: exit status" "$?" 1
check_eq "interface gone: says why" "$(grep -v 'packets seen' "$TMP/gone.err" | tail -n 1)" \
	"flowscope: $IF: the interface is gone; stopping"
check_eq "interface gone: every packet sent is in a record" "$(udp_packets "$TMP/gone.csv")" 200
check_match "interface gone: the last line accounts for every packet" "$(tail -n 1 "$TMP/gone.err")" \
	"^flowscope: [0-9]+ packets seen, [0-9]+ records holding [0-9]+; not in a record: .* 0 unrecorded"
check_eq "interface gone: no pins left" "$(ls /sys/fs/bpf/flowscope/"$IF" 2>/dev/null)" ""

# 2. bpffs not mounted. In a mount namespace of its own, with /sys/fs/bpf
#    unmounted there: attach mounts it and pins its maps in it; without
#    CAP_SYS_ADMIN it cannot, and says how to. (A new pair: section 1 deleted it.)
peer_link
cat >"$TMP/bpffs.sh" <<EOF
while mountpoint -q /sys/fs/bpf; do umount /sys/fs/bpf || exit 9; done
# Only CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON: no CAP_SYS_ADMIN to mount with.
setpriv --inh-caps=-all --bounding-set=-all,+bpf,+net_admin,+perfmon \
	"$FLOWSCOPE" attach -q --no-model -o "$TMP/nomount.csv" "$IF" 2>"$TMP/nomount.err"
echo \$? >"$TMP/nomount.status"
mountpoint -q /sys/fs/bpf && echo mounted >"$TMP/nomount.mounted"
"$FLOWSCOPE" attach -q --no-model -o "$TMP/bpffs.csv" "$IF" 2>"$TMP/bpffs.err" &
pid=\$!
for i in \$(seq 50); do grep -q attached "$TMP/bpffs.err" && break; sleep 0.1; done
mountpoint -q /sys/fs/bpf && echo yes >"$TMP/bpffs.mounted"
ls /sys/fs/bpf/flowscope/$IF >"$TMP/bpffs.pins"
kill -INT \$pid
wait \$pid
echo \$? >"$TMP/bpffs.status"
EOF
unshare -m --propagation private bash "$TMP/bpffs.sh"
check_eq "no bpffs, no CAP_SYS_ADMIN: exit status" "$(cat "$TMP/nomount.status")" 1
check_eq "no bpffs, no CAP_SYS_ADMIN: one line" "$(wc -l <"$TMP/nomount.err")" 1
check_match "no bpffs, no CAP_SYS_ADMIN: says how to mount it" "$(cat "$TMP/nomount.err")" \
	"^flowscope: /sys/fs/bpf: bpffs is not mounted and mounting it failed \(Operation not permitted\); run 'mount -t bpf bpf /sys/fs/bpf'"
check_eq "no bpffs, no CAP_SYS_ADMIN: nothing mounted" "$(cat "$TMP/nomount.mounted" 2>/dev/null)" ""
check_eq "no bpffs: attach mounts it" "$(cat "$TMP/bpffs.mounted" 2>/dev/null)" yes
check_match "no bpffs: the maps are pinned there" "$(cat "$TMP/bpffs.pins" 2>/dev/null)" "flows"
check_eq "no bpffs: exit status after SIGINT" "$(cat "$TMP/bpffs.status" 2>/dev/null)" 0
check_true "the machine's own bpffs is still mounted" mountpoint -q /sys/fs/bpf

# 3. The output disk fills up (a 16 kB tmpfs, in a mount namespace of its own).
make_captures
cat >"$TMP/full.sh" <<EOF
mount -t tmpfs -o size=16k flowscope-full "$TMP/full" || exit 9
rm "$TMP/cap/link_usb.pcap" # the one capture flowscope refuses
"$FLOWSCOPE" replay --engine user --no-model -o "$TMP/full/r.csv" "$TMP/cap/"*.pcap \
	2>"$TMP/replay-full.err"
echo \$? >"$TMP/replay-full.status"
ls -A "$TMP/full" >"$TMP/replay-full.left"
# attach appends record by record: it stops at the first that does not fit.
"$FLOWSCOPE" attach -q --no-model --drain-interval 100ms --idle-timeout 1s -o "$TMP/full/a.csv" \
	"$IF" 2>"$TMP/attach-full.err" &
pid=\$!
for i in \$(seq 50); do grep -q attached "$TMP/attach-full.err" && break; sleep 0.1; done
for port in \$(seq 20000 20400); do
	"$PY" "$ROOT/tests/traffic.py" 10.203.0.2 9100 1 1000 100 \$port
	kill -0 \$pid 2>/dev/null || break
done
# The flows go idle and are drained until the disk is full and flowscope stops.
for i in \$(seq 100); do kill -0 \$pid 2>/dev/null || break; sleep 0.1; done
kill -INT \$pid 2>/dev/null
wait \$pid
echo \$? >"$TMP/attach-full.status"
cp "$TMP/full/a.csv" "$TMP/attach-full.csv"
EOF
mkdir "$TMP/full"
unshare -m --propagation private bash "$TMP/full.sh"
check_eq "disk full, replay: exit status" "$(cat "$TMP/replay-full.status")" 1
check_eq "disk full, replay: one line" "$(wc -l <"$TMP/replay-full.err")" 1
check_match "disk full, replay: says so" "$(cat "$TMP/replay-full.err")" \
	"^flowscope: $TMP/full/r.csv: write failed: No space left on device"
check_eq "disk full, replay: no output file, no temporary file" "$(cat "$TMP/replay-full.left")" ""
check_eq "disk full, attach: exit status" "$(cat "$TMP/attach-full.status")" 1
check_match "disk full, attach: says so" "$(grep -v attached "$TMP/attach-full.err")" \
	"^flowscope: $TMP/full/a.csv: write failed: No space left on device"
check_true "disk full, attach: only whole records in the file" whole_records "$TMP/attach-full.csv"
check_true "disk full, attach: some records were written before it filled" \
	[ "$(csv_rows "$TMP/attach-full.csv")" -gt 10 ]
echo "  attach on a full disk: $(csv_rows "$TMP/attach-full.csv") records, then: $(grep -v attached "$TMP/attach-full.err")"
for mask in 022 077; do
	(umask $mask && "$FLOWSCOPE" replay -q --engine user -o "$TMP/mode$mask.csv" "$TMP/cap/pairs.pcap")
done
check_eq "an output file's mode follows the umask" \
	"$(stat -c %a "$TMP/mode022.csv") $(stat -c %a "$TMP/mode077.csv")" "644 600"
check_eq "disk full, attach: no pins left" "$(ls /sys/fs/bpf/flowscope/"$IF" 2>/dev/null)" ""
finish
