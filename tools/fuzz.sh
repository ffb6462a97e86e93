#!/bin/bash
# fuzz.sh [SECONDS]: `make fuzz`. Each fuzz target in $FUZZ_BUILD runs for
# SECONDS (default 60) from a corpus that starts as tools/fuzz_seeds.sh's
# seeds and keeps what the fuzzer adds, in $FUZZ_BUILD/corpus/TARGET. An input
# that crashes a target, leaks or trips a sanitizer is written to
# $FUZZ_BUILD/findings/; make it a regression test by copying it, minimised
# (TARGET -minimize_crash=1 -runs=10000 FILE), to tests/fuzz/regressions/TARGET/.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FUZZ_BUILD=${FUZZ_BUILD:-$ROOT/build/fuzz}
SECONDS_EACH=${1:-60}
export FLOWSCOPE_MODEL=$ROOT/models/default.model
mkdir -p "$FUZZ_BUILD/findings"
"$ROOT/tools/fuzz_seeds.sh" "$FUZZ_BUILD/corpus" || exit 1

printf '%-10s %10s %10s %8s %9s  %s\n' target runs "runs/s" edges corpus findings
found=0
for t in capture model manifest csv flow_labels records; do
	# A model is ~200 kB of text; the other inputs are cut to 64 kB.
	max_len=65536
	[ $t = model ] && max_len=262144
	log=$FUZZ_BUILD/findings/$t.log
	"$FUZZ_BUILD/fuzz_$t" -max_total_time="$SECONDS_EACH" -max_len=$max_len -timeout=30 \
		-rss_limit_mb=4096 -close_fd_mask=2 -print_final_stats=1 -error_exitcode=1 \
		-artifact_prefix="$FUZZ_BUILD/findings/$t-" "$FUZZ_BUILD/corpus/$t" >"$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	edges=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
	corpus=$(find "$FUZZ_BUILD/corpus/$t" -type f | wc -l)
	what=none
	if [ $status != 0 ]; then
		what="$(grep -m1 -E 'SUMMARY|ERROR' "$log") (see $log)"
		found=1
	fi
	printf '%-10s %10s %10s %8s %9s  %s\n' $t "${runs:-?}" "${rate:-?}" "${edges:-?}" "$corpus" "$what"
done
exit $found
