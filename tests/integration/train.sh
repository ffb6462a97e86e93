#!/bin/bash
# flowscope train and eval on the shared captures: a model trains in seconds,
# the same seed gives the same model, eval reads it back and scores it, and
# bad input fails with one line. Quality figures are in the issue notes; here
# only what must hold whatever the tuning: the model fits its own training
# captures well.
. "$(dirname "$0")/../lib.sh"
need_captures
M=$CAPTURES/MANIFEST.tsv
NCAPTURES=$(tail -n +2 "$M" | grep -c .) # every capture the manifest lists
T=("$FLOWSCOPE" train --engine user --manifest "$M")

"${T[@]}" --cv 3 -o "$TMP/a.model" >"$TMP/cv.txt" 2>"$TMP/train.err"
check_eq "train: exit status" "$?" 0
check_match "train --cv: captures scored" "$(cat "$TMP/cv.txt")" "MLP, captures: $NCAPTURES, macro-F1 0\\.[0-9]{3}"
check_match "train --cv: k-means scored" "$(cat "$TMP/cv.txt")" "k-means, flows carrying the activity: [0-9]+, macro-F1"
check_match "train --cv: early classification scored" "$(cat "$TMP/cv.txt")" "Early classification of the [0-9]+ flows carrying the activity"
check_match "model: version line" "$(head -1 "$TMP/a.model")" "^flowscope-model 1$"
check_match "model: scores kept" "$(sed -n 4p "$TMP/a.model")" "^scores grouped 3-fold CV macro-F1: MLP captures 0\\.[0-9]{3}"
check_eq "model: classes in manifest order, then background" "$(grep '^class ' "$TMP/a.model" | tr '\n' ' ')" "class call class video class browsing class other "

"${T[@]}" -o "$TMP/b.model" 2>/dev/null
"${T[@]}" -o "$TMP/c.model" 2>/dev/null
# The training date and the checksum over it are all that may differ.
body() { sed '/^created /d; /^end /d' "$1"; }
check_true "same seed, same model" cmp -s <(body "$TMP/b.model") <(body "$TMP/c.model")
"${T[@]}" --seed 2 -o "$TMP/d.model" 2>/dev/null
cmp -s <(body "$TMP/b.model") <(body "$TMP/d.model")
check_eq "another seed, another model" "$?" 1
# --ensemble 2: a second network from the next seed, on the same rows.
"${T[@]}" --ensemble 2 -o "$TMP/e.model" 2>/dev/null
network() { # MODEL N: the Nth network's lines
	awk -v n="$2" '/^mlp / { i++ } /^(mlp|w|b) / && i == n' "$1"
}
check_eq "--ensemble 2: two networks" "$(grep -c '^mlp ' "$TMP/e.model")" 2
check_true "--ensemble 2: the first is the seed's own" cmp -s <(network "$TMP/e.model" 1) <(network "$TMP/b.model" 1)
cmp -s <(network "$TMP/e.model" 1) <(network "$TMP/e.model" 2)
check_eq "--ensemble 2: the second is another" "$?" 1
"$FLOWSCOPE" eval --engine user --model "$TMP/e.model" --manifest "$M" >"$TMP/eval_e.txt" 2>/dev/null
check_match "--ensemble 2: eval scores with it" "$(cat "$TMP/eval_e.txt")" "MLP, captures: $NCAPTURES, macro-F1 0\\.[0-9]{3}"

# --unknown-accuracy: the networks are the same; the flows under a threshold,
# chosen so those above it were right 99% of the time on the early-stopping
# captures, are shown as unknown, and the others are more often right.
"${T[@]}" --unknown-accuracy 0.99 -o "$TMP/u.model" 2>/dev/null
check_true "--unknown-accuracy: the same network" cmp -s <(network "$TMP/u.model" 1) <(network "$TMP/b.model" 1)
check_match "--unknown-accuracy 0.99: a threshold" "$(grep '^unknown_below ' "$TMP/u.model")" "^unknown_below 0\.[0-9]+$"
"$FLOWSCOPE" eval --engine user --model "$TMP/u.model" --manifest "$M" >"$TMP/eval_u.txt" 2>/dev/null
all=$(awk '/^MLP confidence on those flows/ { sub(";", "", $12); print $12 }' "$TMP/eval_u.txt")
read -r unknown others < <(awk '/^  shown as unknown:/ { print $4, $NF }' "$TMP/eval_u.txt")
check_true "--unknown-accuracy 0.99: some flows unknown ($unknown)" test "${unknown:-0}" -gt 0
check_true "--unknown-accuracy 0.99: the others more often right ($others > $all)" \
	awk -v o="$others" -v a="$all" 'BEGIN { exit !(o > a) }'

"$FLOWSCOPE" eval --engine user --model "$TMP/b.model" --manifest "$M" >"$TMP/eval.txt"
check_eq "eval: exit status" "$?" 0
f1=$(awk '/^MLP, captures/ { print $NF }' "$TMP/eval.txt")
check_true "eval: fits its own training captures (macro-F1 $f1 > 0.85)" awk -v f="$f1" 'BEGIN { exit !(f > 0.85) }'
# Seven tables of three classes: captures, hosts and flows by the MLP, captures
# and flows by k-means, captures and flows by the kernel model.
check_eq "eval: per-class rows" "$(grep -cE '^  (call|video|browsing) ' "$TMP/eval.txt")" 21
check_match "eval: the kernel model, and how often it agrees with the full model" \
	"$(cat "$TMP/eval.txt")" "Kernel model, deciding at packet 8: [0-9]+ of the [0-9]+ activity flows reach it;"
check_match "eval: the kernel model decides unsure flows again, at the default later checkpoints" \
	"$(cat "$TMP/eval.txt")" "decided again at the later checkpoints \\(32 128\\): [0-9]+ of those activity flows"
# Every capture also gets its host's verdict from all its flows, as a host does live.
check_match "eval: the host's verdict, every capture" "$(cat "$TMP/eval.txt")" \
	"MLP, the host's verdict per capture \\(no flow labels\\): $NCAPTURES, macro-F1 0\\.[0-9]{3}"
check_eq "model: background flows learn a class of their own" "$(grep '^class ' "$TMP/b.model" | tail -1)" "class other"

# The rule of docs/CLASSIFY.md, applied here by awk to every flow that replay
# writes: background if not TCP/UDP or on an infrastructure port; activity if
# not background, >= 5% of the capture's IP bytes and >= 4 packets. eval must
# count the same flows.
tail -n +2 "$M" | while IFS=$'\t' read -r file _; do
	"$FLOWSCOPE" replay -q --engine user --no-model "$CAPTURES/$file" |
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ print $col["proto"], $col["src_port"] + 0, $col["dst_port"] + 0,
			$col["fwd_packets"] + $col["bwd_packets"], $col["fwd_bytes"] + $col["bwd_bytes"] }' |
		awk 'BEGIN { split("53 67 68 123 137 138 139 546 547 1900 3702 5353 5355", p, " ");
			for (i in p) infra[p[i]] = 1 }
		{ proto[NR] = $1; sp[NR] = $2; dp[NR] = $3; pk[NR] = $4; by[NR] = $5; total += $5 }
		END { for (i = 1; i <= NR; i++) {
			bg = (proto[i] != 6 && proto[i] != 17) || (sp[i] in infra) || (dp[i] in infra)
			if (bg) b++
			else if (by[i] >= 0.05 * total && pk[i] >= 4) a++
		} print a + 0, b + 0 }'
done | awk '{ a += $1; b += $2 } END { print a, b }' >"$TMP/roles.txt"
read -r activity background <"$TMP/roles.txt"
check_match "rule: activity flows as awk counts them ($activity)" "$(cat "$TMP/eval.txt")" "MLP, flows carrying the activity: $activity, "
check_match "rule: background flows as awk counts them ($background)" "$(cat "$TMP/eval.txt")" "background flows: $background, said 'other': (0\\.9|1\\.0)"
check_true "rule: most flows of the captures are background or activity ($activity + $background)" \
	test $((activity + background)) -gt 1500

# --cv names each capture it got wrong: as many as the capture matrix's
# off-diagonal cells hold.
right=$(awk '/^MLP, captures/ { on = 1; next } on && /^  truth/ { split($0, h); next }
	on && /^  [a-z]/ { n++; right += $(n + 1) } on && /^[^ ]/ { on = 0 } END { print right }' "$TMP/cv.txt")
wrong=$(sed -n '/^Captures whose verdict (MLP) is wrong:/,/^[^ C]/p' "$TMP/cv.txt" | grep -c '\.pcap')
check_eq "train --cv: wrong captures listed by name ($wrong + $right right)" $((wrong + right)) "$NCAPTURES"

# `make model` reruns to the shipped file, byte for byte.
SOURCE_DATE_EPOCH=0 "$FLOWSCOPE" train --engine user --seed 1 --ensemble 3 --cv 5 --manifest "$M" \
	--flow-labels "$CAPTURES/FLOW_LABELS.tsv" -o "$TMP/default.model" >/dev/null 2>&1
check_true "models/default.model is what make model makes" cmp -s "$TMP/default.model" "$ROOT/models/default.model"

# From a feature CSV: flowscope's own --format cic output of every capture,
# its Label set to the capture's class, a capture column for the groups.
first=1
tail -n +2 "$M" | while IFS=$'\t' read -r file class _; do
	"$FLOWSCOPE" replay -q --engine user --no-model --format cic "$CAPTURES/$file" >"$TMP/one.csv"
	[ $first = 1 ] && head -1 "$TMP/one.csv" | sed 's/$/,capture/' && first=0
	tail -n +2 "$TMP/one.csv" | awk -F, -v OFS=, -v c="$class" -v f="$file" '{ $NF = c; print $0, f }'
done >"$TMP/all.csv"
"$FLOWSCOPE" train --csv "$TMP/all.csv" --group-column capture -o "$TMP/csv.model" 2>/dev/null
check_eq "train --csv: exit" "$?" 0
check_eq "train --csv: CICFlowMeter's 76 features, by their CIC names" "$(grep -c '^feature ' "$TMP/csv.model")" 76
check_eq "train --csv: classes in order of appearance" "$(grep '^class ' "$TMP/csv.model" | tr '\n' ' ')" "class call class video class browsing "
"$FLOWSCOPE" eval --engine user --model "$TMP/csv.model" --manifest "$M" >"$TMP/eval-csv.txt"
f1=$(awk '/^MLP, captures/ { print $NF }' "$TMP/eval-csv.txt")
check_true "train --csv: the model classifies captures (macro-F1 $f1 > 0.6)" awk -v f="$f1" 'BEGIN { exit !(f > 0.6) }'
err=$("$FLOWSCOPE" train --csv "$TMP/all.csv" --cv 3 -o "$TMP/x.model" 2>&1)
check_eq "train --csv --cv: usage" "$?" 2

# Per-flow labels: eval scores, as activity flows, the records of the flows
# FLOW_LABELS.tsv calls activity (a long flow may be cut into several records).
L=$CAPTURES/FLOW_LABELS.tsv
"$FLOWSCOPE" eval --engine user --model "$ROOT/models/default.model" --manifest "$M" \
	--flow-labels "$L" >"$TMP/eval_labels.txt" 2>"$TMP/eval_labels.err"
check_eq "eval --flow-labels: exit status" "$?" 0
rows=$(awk -F'\t' 'NR > 1 && $5 == "activity"' "$L" | wc -l)
scored=$(awk '/^MLP, flows carrying the activity:/ { sub(",", "", $6); print $6 }' "$TMP/eval_labels.txt")
check_true "eval --flow-labels: every activity row scored ($scored records for $rows rows)" \
	test "$scored" -ge "$rows" -a "$scored" -le $((rows + rows / 10))
unmatched=$(grep -o '[0-9]* of [0-9]* flows' "$TMP/eval_labels.err" | cut -d' ' -f1)
check_true "eval --flow-labels: few flows without a row (${unmatched:-0})" test "${unmatched:-0}" -lt 50

# --cv-group: each group of the manifest's group column is scored, whole.
ngroups=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "group") c = i; next }
	{ print $c }' "$M" | sort -u | wc -l)
"${T[@]}" --model-type kmeans --cv 3 --cv-draws 2 --cv-group group --flow-labels "$L" \
	-o "$TMP/g.model" >"$TMP/cvg.txt" 2>/dev/null
check_eq "train --cv-group: exit status" "$?" 0
check_eq "train --cv-group: a line per group" \
	"$(sed -n '/^Captures right (k-means) per group:/,/^[^ ]/p' "$TMP/cvg.txt" | grep -c 'captures ')" "$ngroups"
check_match "train --cv-draws: mean and spread kept in the model" "$(sed -n 4p "$TMP/g.model")" \
	"^scores grouped 3-fold CV by group, several draws, macro-F1: .*k-means captures 0\.[0-9]{3} \+- 0\.[0-9]{3}"

# The first seed's experiment rebuilt: its 21-feature tables, trained on one and
# scored on the other (eval --csv), with its labels 1-3 as the classes.
SEED_TABLES=$CAPTURES/../seed-tables
if [ -f "$SEED_TABLES/train_file.csv" ]; then
	"$FLOWSCOPE" train --csv "$SEED_TABLES/train_file.csv" --label-column output \
		-o "$TMP/seed.model" 2>/dev/null
	"$FLOWSCOPE" eval --model "$TMP/seed.model" --csv "$SEED_TABLES/test_file.csv" \
		--label-column output >"$TMP/seed_eval.txt"
	check_eq "eval --csv: exit status" "$?" 0
	check_eq "eval --csv: the 100 test rows scored" \
		"$(awk '/^MLP, rows:/ { sub(",", "", $3); print $3 }' "$TMP/seed_eval.txt")" 100
	f1=$(awk '/^MLP, rows/ { print $NF }' "$TMP/seed_eval.txt")
	check_true "seed tables: test macro-F1 $f1 >= 0.95" awk -v f="$f1" 'BEGIN { exit !(f >= 0.95) }'
else
	[ -n "${CI:-}" ] && check_true "the seed tables are at $SEED_TABLES" false
	echo "  note: no seed tables at $SEED_TABLES: the seed's experiment is not rebuilt"
fi

# Bad input: one line, non-zero.
printf 'file\ttransport\tendpoint_a\tendpoint_b\trole\tlabel\nx.pcap\tTCP\t10.0.0.1:80\t10.0.0.2:1\tmaybe\t\n' >"$TMP/bad_labels.tsv"
err=$("$FLOWSCOPE" eval --engine user --model "$ROOT/models/default.model" --manifest "$M" \
	--flow-labels "$TMP/bad_labels.tsv" 2>&1)
check_eq "bad flow labels: exit" "$?" 1
check_match "bad flow labels: one line naming the line" "$err" "^flowscope: $TMP/bad_labels.tsv: line 2: needs a file, a transport"
err=$("${T[@]}" --cv 3 --cv-group nosuch -o "$TMP/x.model" 2>&1)
check_match "train --cv-group, no such column" "$err" "^flowscope: $M: line 1: no column 'nosuch' to group captures by$"
err=$("$FLOWSCOPE" eval --engine user --model "$TMP/none.model" --manifest "$M" 2>&1)
check_eq "eval, no model: exit" "$?" 1
check_match "eval, no model: message" "$err" "^flowscope: $TMP/none.model: cannot open the model"
head -c 5000 "$TMP/b.model" >"$TMP/cut.model"
err=$("$FLOWSCOPE" eval --engine user --model "$TMP/cut.model" --manifest "$M" 2>&1)
check_match "eval, truncated model" "$err" "^flowscope: $TMP/cut.model: the model is truncated"
printf 'name\tlabel\nx.pcap\tcall\n' >"$TMP/bad.tsv"
err=$("$FLOWSCOPE" train --engine user --manifest "$TMP/bad.tsv" -o "$TMP/x.model" 2>&1)
check_match "train, bad manifest" "$err" "^flowscope: $TMP/bad.tsv: line 1: the header must name the columns 'file' and 'class'$"
check_eq "train, bad manifest: no model left" "$(ls "$TMP" | grep -c '^x\.model')" 0
err=$("$FLOWSCOPE" train --engine user -o "$TMP/x.model" 2>&1)
check_eq "train without a manifest: usage" "$?" 2
finish
