#!/bin/bash
# flowscope export: a scaler fitted once on a training set, then datasets of
# uint8 features scaled with it, as CSV and HDF5 (read back with h5py).
# Expected values are worked out by hand from tests/make_captures.py.
. "$(dirname "$0")/../lib.sh"
make_captures
C=$TMP/cap
X=("$FLOWSCOPE" export -q --engine user)
TRAIN=("$C/cic_quirks.pcap" "$C/tcp_session.pcap" "$C/pairs.pcap")

# Fit: 9 flows. Durations 0 .. 6.1 s (the UDP flow of cic_quirks); server
# ports 53 .. 6000.
"${X[@]}" --features deepmad --fit "$TMP/scaler.tsv" "${TRAIN[@]}"
check_eq "fit: exit status" "$?" 0
check_eq "fit: magic line" "$(head -1 "$TMP/scaler.tsv")" "flowscope-scaler 1"
check_eq "fit: 55 deepmad features" "$(sed 1d "$TMP/scaler.tsv" | wc -l)" 55
check_eq "fit: first, in the seed's order" "$(sed -n 2p "$TMP/scaler.tsv")" "$(printf 'server_port\t53\t6000')"
check_eq "fit: duration range" "$(grep '^flow_duration' "$TMP/scaler.tsv")" "$(printf 'flow_duration\t0\t6100000')"

# Scale the training set itself.
"${X[@]}" --scaler "$TMP/scaler.tsv" --label call -o "$TMP/train.csv" "${TRAIN[@]}"
check_eq "csv: exit status" "$?" 0
f=$TMP/train.csv
check_eq "csv: rows" "$(csv_rows "$f")" 9
check_eq "csv: header starts with the scaler's order" "$(head -1 "$f" | cut -d, -f1-3)" "server_port,flow_duration,fwd_packets"
check_eq "csv: last column is the label" "$(head -1 "$f" | rev | cut -d, -f1 | rev)" label
# UDP 5004 -> 5006: (5006 - 53) / 5947 * 255 = 212.4; 6.1 s is the maximum
check_eq "csv: the longest flow" "$(csv_get "$f" server_port=212 flow_duration)" 255
# TCP 41000 -> 443: 390 / 5947 * 255 = 16.7; 1.13 / 6.1 * 255 = 47.2
check_eq "csv: rounding" "$(csv_get "$f" server_port=17 flow_duration)" 47
check_eq "csv: every value is a byte" "$(sed 1d "$f" | tr ',' '\n' | grep -v call | awk '$1 < 0 || $1 > 255 || $1 != int($1)' | wc -l)" 0
check_eq "csv: labels" "$(sed 1d "$f" | awk -F, '{ print $NF }' | sort -u)" call

# The predecessor recomputed the ranges per batch; a saved scaler gives a flow
# the same row whatever else is in the batch.
"${X[@]}" --scaler "$TMP/scaler.tsv" --label call -o "$TMP/one.csv" "$C/cic_quirks.pcap"
check_eq "batch: rows" "$(csv_rows "$TMP/one.csv")" 2
check_eq "batch: the same rows as in the whole set" \
	"$(sed 1d "$TMP/one.csv" | grep -cxFf - "$f")" 2

# Values beyond the training range clip: fitted on tcp_session (durations up
# to 71 ms, ports 80-81), pairs' TCP flow lasts 0.9 s to port 80, its DNS port 53.
"${X[@]}" --features deepmad --fit "$TMP/small.tsv" "$C/tcp_session.pcap"
"${X[@]}" --scaler "$TMP/small.tsv" -o "$TMP/clip.csv" "$C/pairs.pcap"
check_eq "clip: above the range" "$(csv_get "$TMP/clip.csv" server_port=0 flow_duration | sort -n | tail -1)" 255
check_eq "clip: below the range" "$(awk -F, 'NR > 1 { print $1 }' "$TMP/clip.csv" | sort -u | tr '\n' ' ')" "0 255 "

# HDF5: the same rows, with the names and the ranges.
"${X[@]}" --scaler "$TMP/scaler.tsv" --label call -o "$TMP/train.h5" "${TRAIN[@]}"
check_eq "hdf5: exit status" "$?" 0
check_eq "hdf5: read back by h5py" "$("$PY" - "$TMP/train.h5" "$f" "$TMP/scaler.tsv" <<'PY'
import csv, sys, h5py
h = h5py.File(sys.argv[1], "r")
rows = list(csv.reader(open(sys.argv[2])))
scaler = [l.split("\t") for l in open(sys.argv[3]).read().splitlines()[1:]]
feats = h["features"]
ok = [feats.dtype == "uint8", feats.shape == (9, 55),
      [c.decode() for c in h["columns"][:]] == rows[0][:-1],
      [list(map(int, r[:-1])) for r in rows[1:]] == feats[:].tolist(),
      [l.decode() for l in h["label"][:]] == ["call"] * 9,
      list(h["scaler_min"][:]) == [float(s[1]) for s in scaler],
      list(h["scaler_max"][:]) == [float(s[2]) for s in scaler]]
print(" ".join("ok" if x else "bad" for x in ok))
PY
)" "ok ok ok ok ok ok ok"

# Bad input: one line, non-zero exit, no output left behind.
err=$("${X[@]}" --scaler "$TMP/none.tsv" -o "$TMP/x.csv" "$C/pairs.pcap" 2>&1)
check_eq "missing scaler: exit" "$?" 1
check_match "missing scaler: message" "$err" "^flowscope: $TMP/none.tsv: cannot open the scaler"
printf 'flowscope-scaler 1\nflow_duration\t5\t1\n' >"$TMP/bad.tsv"
err=$("${X[@]}" --scaler "$TMP/bad.tsv" -o "$TMP/x.csv" "$C/pairs.pcap" 2>&1)
check_match "bad range: message" "$err" "^flowscope: $TMP/bad.tsv: line 2: MIN and MAX must be numbers, MIN <= MAX$"
printf 'flowscope-scaler 1\nno_such_feature\t0\t1\n' >"$TMP/bad.tsv"
err=$("${X[@]}" --scaler "$TMP/bad.tsv" -o "$TMP/x.csv" "$C/pairs.pcap" 2>&1)
check_match "unknown feature: message" "$err" "^flowscope: $TMP/bad.tsv: line 2: 'no_such_feature' is not a feature$"
echo "not a scaler" >"$TMP/bad.tsv"
err=$("${X[@]}" --scaler "$TMP/bad.tsv" -o "$TMP/x.csv" "$C/pairs.pcap" 2>&1)
check_match "no magic: message" "$err" "^flowscope: $TMP/bad.tsv: not a flowscope scaler"
err=$("${X[@]}" --scaler "$TMP/scaler.tsv" --fit "$TMP/s2.tsv" -o "$TMP/x.csv" "$C/pairs.pcap" 2>&1)
check_eq "both --fit and --scaler: usage exit" "$?" 2
err=$("${X[@]}" --scaler "$TMP/scaler.tsv" -o "$TMP/x.h5" "$C/pairs.pcap" "$TMP/no.pcap" 2>&1)
check_eq "missing capture: exit" "$?" 1
check_eq "missing capture: no dataset left" "$(ls "$TMP" | grep -c '^x\.h5')" 0
check_eq "missing capture: one line" "$(printf '%s\n' "$err" | wc -l)" 1
finish
