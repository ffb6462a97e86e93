# Shared by the integration tests: assertions, CSV look-ups, test fixtures.
# Each test script sources this, calls check_* and ends with `finish`.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The build under test: build/, or build/san for the sanitizer run (tests/run.sh).
BUILD=${BUILD:-$ROOT/build}
FLOWSCOPE=${FLOWSCOPE:-$BUILD/flowscope}
PY=/usr/bin/python3 # Debian's Python: scapy lives there
CAPTURES=${FLOWSCOPE_CAPTURES:-$ROOT/../shared/pcaps}
TEST_NAME=$(basename "$0" .sh)
checks=0
failures=0

TMP=$(mktemp -d "/tmp/flowscope-$TEST_NAME.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Killed or interrupted, still run the EXIT traps (netns, links, programs, pins).
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
	echo "  FAIL: $*"
	failures=$((failures + 1))
}

check_eq() { # what actual expected
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

check_match() { # what text extended-regex
	checks=$((checks + 1))
	printf '%s' "$2" | grep -Eq -- "$3" || fail "$1: '$2' does not match /$3/"
}

check_true() { # what command...
	local what=$1
	shift
	checks=$((checks + 1))
	"$@" || fail "$what"
}

# Values of COLUMN in the CSV rows where every name=value of WHERE holds.
# csv_get FILE 'src_port=40000,end_reason=tcp_fin' fwd_bytes
csv_get() {
	awk -F, -v where="$2" -v col="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; n = split(where, w, ",");
			  if (!(col in idx)) { print "no column " col; exit 1 } next }
		{ ok = 1
		  for (j = 1; j <= n; j++) { split(w[j], kv, "="); if ($idx[kv[1]] != kv[2]) ok = 0 }
		  if (ok) print $idx[col] }' "$1"
}

csv_rows() { # FILE: data rows
	echo $(($(wc -l <"$1") - 1))
}

# Packets and bytes summed over all records: "PACKETS BYTES".
csv_totals() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; next }
		 { p += $idx["fwd_packets"] + $idx["bwd_packets"]; b += $idx["fwd_bytes"] + $idx["bwd_bytes"] }
		 END { print p + 0, b + 0 }' "$1"
}

# Sets ENGINES, the ways to replay: the kernel engine through the XDP program
# ("kernel") or the TC program ("tc"), and the user engine. The kernel ones
# need root; CI runs as root, and there a missing one fails the test at once.
# Call it directly, not in $(...): its exit must end the test.
require_engines() {
	if [ "$(id -u)" = 0 ]; then
		ENGINES=(kernel tc user)
	elif [ -n "${CI:-}" ]; then
		echo "  FAIL: not root: the kernel engine cannot be tested, and CI must test it"
		exit 1
	else
		echo "  note: not root, testing the user engine only"
		ENGINES=(user)
	fi
}

# replay's options for one of engines()'s names.
engine_args() {
	case $1 in
	tc) echo "--engine kernel --hook tc" ;;
	*) echo "--engine $1" ;;
	esac
}

# The shared captures, or a skip (exit 77) where a clone has none.
need_captures() {
	if [ ! -f "$CAPTURES/MANIFEST.tsv" ]; then
		if [ -n "${CI:-}" ]; then
			echo "  FAIL: no captures at $CAPTURES (set FLOWSCOPE_CAPTURES)"
			exit 1
		fi
		echo "  SKIP: no captures at $CAPTURES (set FLOWSCOPE_CAPTURES)"
		exit 77
	fi
}

# The crafted captures, made once per test into $TMP/cap.
make_captures() {
	"$PY" "$ROOT/tests/make_captures.py" "$TMP/cap" || {
		echo "  FAIL: could not make the crafted captures"
		exit 1
	}
}

# A port nothing listens on at 127.0.0.1 now (TCP, or UDP with "udp").
free_port() {
	"$PY" -c 'import socket, sys
s = socket.socket(type=socket.SOCK_DGRAM if sys.argv[1:] == ["udp"] else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "$@"
}

wait_long() { # what seconds command...: for conditions that wait on a server
	local what=$1 tenths=$(($2 * 10)) i
	shift 2
	for i in $(seq "$tenths"); do "$@" && return 0; sleep 0.1; done
	fail "timed out waiting for $what"
	return 1
}

finish() {
	echo "  $checks checks, $failures failed"
	[ "$failures" = 0 ]
}
