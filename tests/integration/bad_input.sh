#!/bin/bash
# Bad input: one line "flowscope: FILE: what is wrong", a non-zero exit, and
# never a half-written output file. A capture cut mid-record is read up to the
# damage, with a warning, and exits 0 (docs/FLOWS.md).
. "$(dirname "$0")/../lib.sh"
make_captures
C=$TMP/cap
require_engines

# expect_error WHAT REGEX CAPTURE...: exit 1, one stderr line matching, no output file.
expect_error() {
	local what=$1 regex=$2 err status
	shift 2
	for engine in "${ENGINES[@]}"; do
		# shellcheck disable=SC2046
		err=$("$FLOWSCOPE" replay $(engine_args "$engine") -o "$TMP/out/r.csv" "$@" 2>&1 >/dev/null)
		status=$?
		check_eq "$what ($engine): exit status" "$status" 1
		check_eq "$what ($engine): one line on stderr" "$(printf '%s\n' "$err" | wc -l)" 1
		check_match "$what ($engine): message" "$err" "^flowscope: $regex"
		check_eq "$what ($engine): no output file, no temporary file" "$(ls -A "$TMP/out")" ""
	done
}
mkdir -p "$TMP/out"

: >"$TMP/empty.pcap"
expect_error "empty file" "$TMP/empty.pcap: empty file" "$TMP/empty.pcap"
head -c 4096 /dev/urandom >"$TMP/random.pcap"
expect_error "random bytes" "$TMP/random.pcap: not a pcap or pcapng capture" "$TMP/random.pcap"
printf 'src,dst\n1.2.3.4,5.6.7.8\n' >"$TMP/text.csv"
expect_error "a text file" "$TMP/text.csv: not a pcap or pcapng capture" "$TMP/text.csv"
expect_error "missing file" "$TMP/nope.pcap: No such file or directory" "$TMP/nope.pcap"
expect_error "a directory" "$TMP: is a directory" "$TMP"
expect_error "unknown link type" "$C/link_usb.pcap: unsupported link type USB_LINUX \\(189\\)" "$C/link_usb.pcap"
head -c 12 "$C/tcp_session.pcap" >"$TMP/header_cut.pcap"
expect_error "file header cut short" "$TMP/header_cut.pcap: not a complete capture" "$TMP/header_cut.pcap"
# A good capture then a bad one: still no output file.
expect_error "good then bad capture" "$TMP/random.pcap: not a pcap" "$C/tcp_session.pcap" "$TMP/random.pcap"

# Cut mid-record: the 14th record loses its last 10 bytes.
size=$(stat -c %s "$C/tcp_session.pcap")
head -c $((size - 10)) "$C/tcp_session.pcap" >"$TMP/cut.pcap"
for engine in "${ENGINES[@]}"; do
	# shellcheck disable=SC2046
	err=$("$FLOWSCOPE" replay -q $(engine_args "$engine") -o "$TMP/cut.csv" "$TMP/cut.pcap" 2>&1)
	check_eq "cut mid-record ($engine): exit status" "$?" 0
	check_match "cut mid-record ($engine): warning" "$err" \
		"^flowscope: $TMP/cut.pcap: warning: capture damaged after 13 packets"
	check_eq "cut mid-record ($engine): the 13 whole packets are in records" \
		"$(csv_totals "$TMP/cut.csv" | cut -d' ' -f1)" 13
done

# Output that cannot be written.
err=$("$FLOWSCOPE" replay --engine user -o "$TMP/no/such/dir/r.csv" "$C/tcp_session.pcap" 2>&1)
check_eq "unwritable output: exit status" "$?" 1
check_match "unwritable output: message" "$err" "^flowscope: $TMP/no/such/dir/r.csv: cannot create output file"
if [ -w /dev/full ]; then
	err=$("$FLOWSCOPE" replay -q --engine user "$C/tcp_session.pcap" 2>&1 >/dev/full)
	check_eq "disk full on stdout: exit status" "$?" 1
	check_match "disk full on stdout: message" "$err" "^flowscope: stdout: write failed: No space left"
fi

# Without root or CAP_BPF: the user engine works, the kernel engine names what is missing.
if [ "$(id -u)" = 0 ]; then
	mkdir -m 755 "$TMP/pub"
	cp "$FLOWSCOPE" "$C/tcp_session.pcap" "$TMP/pub/"
	chmod 755 "$TMP" "$TMP/pub/flowscope"
	chmod 644 "$TMP/pub/tcp_session.pcap"
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
	out=$(as_nobody "$TMP/pub/flowscope" replay -q --engine user "$TMP/pub/tcp_session.pcap")
	check_eq "unprivileged, user engine: exit status" "$?" 0
	check_eq "unprivileged, user engine: records" "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" 3
	err=$(as_nobody "$TMP/pub/flowscope" replay --engine kernel "$TMP/pub/tcp_session.pcap" 2>&1 >/dev/null)
	check_eq "unprivileged, kernel engine: exit status" "$?" 1
	check_eq "unprivileged, kernel engine: one line" "$(printf '%s\n' "$err" | wc -l)" 1
	check_match "unprivileged, kernel engine: names the privilege" "$err" \
		"^flowscope: kernel engine: loading the BPF program needs root, or CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON"
	chmod 1777 "$TMP/pub"
	err=$(as_nobody "$TMP/pub/flowscope" attach --no-model -o "$TMP/pub/live.csv" lo 2>&1 >/dev/null)
	check_eq "unprivileged attach: exit status" "$?" 1
	check_eq "unprivileged attach: names the privilege, and only that" "$err" \
		"flowscope: kernel engine: loading the BPF program needs root, or CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON (Operation not permitted)"
	check_eq "unprivileged attach: no output file" "$(ls "$TMP/pub" | grep -c live)" 0
fi

# Usage errors exit 2 with one line.
for args in "--engine nope x.pcap" "--idle-timeout abc x.pcap" "--max-flows 0 x.pcap" \
	"--bogus x.pcap" ""; do
	err=$("$FLOWSCOPE" replay $args 2>&1)
	check_eq "usage error '$args': exit status" "$?" 2
	check_eq "usage error '$args': one line" "$(printf '%s\n' "$err" | wc -l)" 1
done
# Options may follow the captures, as with GNU tools; "--" ends them.
before=$("$FLOWSCOPE" replay --engine user --no-model -q --format json "$C/tcp_session.pcap")
check_eq "options after the capture: same records" \
	"$("$FLOWSCOPE" replay "$C/tcp_session.pcap" --engine user --no-model -q --format json)" "$before"
err=$("$FLOWSCOPE" replay --engine user -q -- "$C/tcp_session.pcap" -q 2>&1 >/dev/null)
check_eq "after --, '-q' is a capture: exit status" "$?" 1
check_match "after --, '-q' is a capture: message" "$err" "^flowscope: -q: "
err=$("$FLOWSCOPE" status fs-no-such0 2>&1)
check_eq "status of an interface flowscope is not on: exit" "$?" 1
check_match "status of an interface flowscope is not on: message" "$err" "^flowscope: fs-no-such0: flowscope is not attached here"
check_match "replay --help lists the options" "$("$FLOWSCOPE" replay --help)" "--idle-timeout DURATION"
finish
