#!/bin/bash
# flowscope's k-means and MLP against scikit-learn's (tools/sklearn_crosscheck.py)
# on the same standardised rows of the shared captures: k-means inertia within
# 1% of KMeans(n_init=10), MLP accuracy within 2 points of MLPClassifier.
. "$(dirname "$0")/../lib.sh"
need_captures

"$FLOWSCOPE" train --engine user --manifest "$CAPTURES/MANIFEST.tsv" -o "$TMP/m.model" \
	--dump-inputs "$TMP/inputs.csv" >/dev/null 2>&1
check_eq "train --dump-inputs: exit" "$?" 0
check_eq "inputs: every labelled row" "$(($(wc -l <"$TMP/inputs.csv") - 1))" \
	"$(awk '/^scores/ { print $4 + $6 }' "$TMP/m.model")"
"$PY" "$ROOT/tools/sklearn_crosscheck.py" "$TMP/inputs.csv" "$BUILD/flowscope-crosscheck" \
	12 64,32 3 >"$TMP/out.txt" 2>/dev/null
status=$?
sed 's/^/  /' "$TMP/out.txt"
check_eq "within scikit-learn's figures" "$status" 0
finish
