#!/bin/bash
# Hostile header bytes through every engine (tests/hostile_frames.py): VLAN
# stacks, IPv4 IHL and lengths, IPv6 extension chains, TCP data offsets,
# truncated and 64 kB frames. Each frame must land in the flow the documented
# rules give it, once, or in the non-IP or bad-IP counter; nothing is lost.
. "$(dirname "$0")/../lib.sh"
require_engines

for seed in 1 2 3; do
	"$PY" "$ROOT/tests/hostile_frames.py" make "$TMP" "$seed" || exit 1
	exp() { awk -v k="$1" '$1 == k { print $2 }' "$TMP/expected.txt"; }
	for engine in "${ENGINES[@]}"; do
		what="seed $seed, $engine"
		# shellcheck disable=SC2046
		err=$("$FLOWSCOPE" replay --no-model $(engine_args "$engine") -o "$TMP/$engine.csv" \
			"$TMP/hostile.pcap" 2>&1)
		check_eq "$what: exit status" "$?" 0
		check_match "$what: frames" "$err" "^flowscope: $(exp frames) packets seen,"
		check_match "$what: non-IP counter" "$err" " $(exp non_ip) non-IP,"
		check_match "$what: bad IP counter" "$err" " $(exp bad_ip) bad IP header,"
		check_match "$what: none lost" "$err" " 0 unrecorded \(.*\) of 0 flows refused;"
		out=$("$PY" "$ROOT/tests/hostile_frames.py" check "$TMP/expected.txt" "$TMP/$engine.csv")
		check_eq "$what: every flow's packets and IP bytes as the rules give them" "$?" 0
		printf '%s\n' "$out" | tail -n 6 | sed 's/^/  /'
	done
	if [ -f "$TMP/kernel.csv" ]; then
		check_true "seed $seed: XDP and user engine records agree" \
			cmp -s "$TMP/kernel.csv" "$TMP/user.csv"
		check_true "seed $seed: TC and user engine records agree" cmp -s "$TMP/tc.csv" "$TMP/user.csv"
	fi
done
finish
