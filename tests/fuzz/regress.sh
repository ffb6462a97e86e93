#!/bin/bash
# Every fuzz target ($FUZZ_BUILD/fuzz_*, built by `make SANITIZE=fuzz`) over
# its seeds (tools/fuzz_seeds.sh: the crafted and shared captures, the
# shipped model, manifests, CSVs) and over every input that once made it
# fail (tests/fuzz/regressions/TARGET/): each must run clean under ASan and
# UBSan. A crash `make fuzz` finds is added there (docs/RELIABILITY.md).
. "$(dirname "$0")/../lib.sh"
FUZZ_BUILD=${FUZZ_BUILD:-$ROOT/build/fuzz}
export FLOWSCOPE_MODEL=$ROOT/models/default.model

if [ ! -f "$CAPTURES/MANIFEST.tsv" ]; then
	[ -n "${CI:-}" ] && need_captures # fails: CI has them
	echo "  note: no shared captures at $CAPTURES: seeds are the crafted captures only"
fi
"$ROOT/tools/fuzz_seeds.sh" "$TMP/seeds" || exit 1
for t in capture model manifest csv flow_labels records; do
	target=$FUZZ_BUILD/fuzz_$t
	check_true "fuzz_$t is built" test -x "$target"
	files=("$TMP/seeds/$t"/*)
	past=("$ROOT/tests/fuzz/regressions/$t"/*)
	[ -e "${past[0]}" ] || past=()
	"$target" -error_exitcode=1 -timeout=60 -rss_limit_mb=4096 "${files[@]}" "${past[@]}" \
		>"$TMP/$t.log" 2>&1
	status=$?
	check_eq "fuzz_$t: ${#files[@]} seeds and ${#past[@]} past findings run clean" "$status" 0
	[ $status = 0 ] || grep -m 5 -E "ERROR|runtime error|SUMMARY|Running" "$TMP/$t.log" | tail -n 5
done
finish
