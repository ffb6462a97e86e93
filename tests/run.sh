#!/bin/bash
# Runs every test: cmocka unit tests, C tests of the BPF program, and the
# integration scripts. Ends with "N passed, N failed, N skipped".
# A test exiting 77 is skipped (no root, no shared captures) — never in CI.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
passed=0
failed=0
skipped=0
failed_names=()

run_test() { # name command...
	local name=$1 status
	shift
	echo "== $name"
	"$@"
	status=$?
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

for t in build/tests/unit/*; do
	run_test "unit/$(basename "$t")" "$t"
done
run_test concurrency as_root build/tests/concurrency
for t in tests/integration/*.sh; do
	run_test "integration/$(basename "$t" .sh)" bash "$t"
done

echo
[ $failed = 0 ] || echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
