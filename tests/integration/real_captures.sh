#!/bin/bash
# Every capture in $FLOWSCOPE_CAPTURES: packets over all records equal tshark's
# count of IP frames, bytes equal the sum of IP lengths (tools/
# tshark_ip_totals.py), and the kernel engine (through the XDP and the TC
# program) and the user engine write identical records: with the shipped
# model, whose kernel model decides every flow at its checkpoint and again
# at later ones while unsure, that includes kernel_class and
# kernel_class_at, so the BPF program's verdicts equal the user engine's on
# every flow, first and later. A record has a kernel_class exactly when its
# flow reached the checkpoint.
. "$(dirname "$0")/../lib.sh"
need_captures
require_engines

# tshark's totals for a capture, kept by its sha256 for the sanitized pass,
# which replays the same files: tshark takes most of this test's time.
REF_CACHE=$ROOT/build/tshark-ref
mkdir -p "$REF_CACHE"
tshark_totals() { # capture
	local sum
	sum=$(sha256sum <"$1" | cut -d' ' -f1)
	if [ ! -s "$REF_CACHE/$sum" ]; then
		"$PY" "$ROOT/tools/tshark_ip_totals.py" "$1" >"$REF_CACHE/$sum.tmp" &&
			mv "$REF_CACHE/$sum.tmp" "$REF_CACHE/$sum" || return 1
	fi
	cat "$REF_CACHE/$sum"
}

# Replays CAPTURES... with each engine into $TMP/ENGINE.csv; 0 if every
# engine's records hold EXPECTED ("PACKETS BYTES") and the kernel's equal the
# user engine's. One process per engine replays them all (each file is its
# own run, its flows end with it): the kernel engine's load is most of a
# small capture's time.
replay_agrees() { # EXPECTED CAPTURE...
	local expected=$1 engine
	shift
	for engine in "${ENGINES[@]}"; do
		# shellcheck disable=SC2046
		"$FLOWSCOPE" replay -q $(engine_args "$engine") -o "$TMP/$engine.csv" "$@" || return 1
		[ "$(csv_totals "$TMP/$engine.csv")" = "$expected" ] || return 1
	done
	[ "${#ENGINES[@]}" != 3 ] ||
		{ cmp -s "$TMP/kernel.csv" "$TMP/user.csv" && cmp -s "$TMP/tc.csv" "$TMP/user.csv"; } ||
		return 1
	verdicts_where_due "$TMP/user.csv"
}

# The packet at which the shipped kernel model decides (docs/MODEL.md).
CHECKPOINT=$(sed -n 's/^kernel [12] \([0-9]*\) .*/\1/p' "$ROOT/models/default.model")
DECIDED=0
REDECIDED=0
# 0 if every record of FILE with CHECKPOINT packets or more has a kernel
# class and no other has, given at the checkpoint or at a later packet the
# flow reached; adds those decided to DECIDED, and those whose class stands
# from a later checkpoint to REDECIDED.
verdicts_where_due() { # FILE
	local n
	n=$(awk -F, -v cp="$CHECKPOINT" '
		NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; next }
		{ p = $idx["fwd_packets"] + $idx["bwd_packets"]; k = $idx["kernel_class"]
		  at = $idx["kernel_class_at"]
		  if ((p >= cp) != (k != "") || (k != "" && (at < cp || at > p))) { bad = 1; exit }
		  decided += k != ""; later += k != "" && at > cp }
		END { if (bad || !("kernel_class_at" in idx)) exit 1; print decided + 0, later + 0 }' \
		"$1") || return 1
	DECIDED=$((DECIDED + ${n% *}))
	REDECIDED=$((REDECIDED + ${n#* }))
}

# Every capture the manifest lists, whatever its name ends in (.pcap,
# .pcapng, .cap), in batches; a batch that fails is replayed capture by
# capture to name the ones at fault.
BATCH=32
n=0
batch=()
batch_ref=(0 0)
check_batch() {
	local cap ref named=0
	[ "${#batch[@]}" = 0 ] && return
	checks=$((checks + 1))
	if ! replay_agrees "${batch_ref[0]} ${batch_ref[1]}" "${batch[@]}"; then
		for cap in "${batch[@]}"; do
			ref=$(tshark_totals "$cap")
			replay_agrees "$ref" "$cap" && continue
			fail "$(basename "$cap"): an engine's packets and bytes differ from tshark's ($ref), or the engines' records differ"
			named=1
		done
		[ $named = 1 ] || fail "the ${#batch[@]} captures from $(basename "${batch[0]}"): each alone agrees, together they do not"
	fi
	batch=()
	batch_ref=(0 0)
}
while IFS=$'\t' read -r name _ <&3; do
	cap=$CAPTURES/$name
	n=$((n + 1))
	ref=$(tshark_totals "$cap") || {
		fail "$name: tshark could not read it"
		continue
	}
	read -r frames bytes <<<"$ref"
	batch+=("$cap")
	batch_ref=($((batch_ref[0] + frames)) $((batch_ref[1] + bytes)))
	[ "${#batch[@]}" -ge $BATCH ] && check_batch
done 3< <(tail -n +2 "$CAPTURES/MANIFEST.tsv")
check_batch
check_eq "every capture of the manifest replayed" "$n" "$(ls "$CAPTURES" | grep -cE '\.(pcap|pcapng|cap)$')"
check_true "the kernel model decided flows ($DECIDED), in all three engines alike" test "$DECIDED" -gt 1000
check_true "... and decided again at later checkpoints ($REDECIDED), alike" test "$REDECIDED" -gt 100
echo "  $n captures"
finish
