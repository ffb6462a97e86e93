#!/bin/bash
# Runs every test: cmocka unit tests, C tests of the BPF program, and the
# integration scripts, on each build named (default build/; `make test` names
# build/ and build/san, the same code under ASan and UBSan), then every fuzz
# target over its seeds and past findings (tests/fuzz/regress.sh, needs
# $FUZZ_BUILD). Ends with "N passed, N failed, N skipped".
# A test exiting 77 is skipped (no root, no shared captures) — never in CI.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
passed=0
failed=0
skipped=0
failed_names=()

run_test() { # name command...
	local name=$1 status start=$SECONDS
	shift
	echo "== $name"
	"$@"
	status=$?
	echo "  ($((SECONDS - start)) s)"
	if [ $status = 0 ]; then
		passed=$((passed + 1))
	elif [ $status = 77 ] && [ -z "${CI:-}" ]; then
		skipped=$((skipped + 1))
	else
		failed=$((failed + 1))
		failed_names+=("$name")
	fi
}

# Tests of the kernel program need root; elsewhere they skip, in CI they fail.
as_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "  SKIP: needs root (CAP_BPF)"
		return 77
	fi
	"$@"
}

if [ "$(id -u)" = 0 ] && ! mountpoint -q /sys/fs/bpf; then
	mount -t bpf bpf /sys/fs/bpf
fi

# A sanitizer's finding fails the test; leaks included.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

[ $# = 0 ] && set -- build
for build in "$@"; do
	BUILD=$(cd "$build" && pwd) || exit 1
	export BUILD
	tag=${build#build}
	tag=${tag#/}
	tag=${tag:+$tag/}
	for t in "$BUILD"/tests/unit/*; do
		run_test "${tag}unit/$(basename "$t")" "$t"
	done
	run_test "${tag}concurrency" as_root "$BUILD/tests/concurrency" --drain-runs 10
	run_test "${tag}frame_sizes" as_root "$BUILD/tests/frame_sizes"
	for t in tests/integration/*.sh; do
		run_test "${tag}integration/$(basename "$t" .sh)" bash "$t"
	done
done
if [ -n "${FUZZ_BUILD:-}" ]; then
	run_test fuzz/regressions bash tests/fuzz/regress.sh
fi

echo
[ $failed = 0 ] || echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
