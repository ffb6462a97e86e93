#!/bin/bash
# flowscope report: one HTML page of a run, checked by tools that did not
# draw it. xmllint reads the page and each SVG in it; headless Chromium loads
# it (no console message, nothing fetched); the figures in the page are the
# records' own columns summed here, and the packets seen are tshark's count.
. "$(dirname "$0")/../lib.sh"
need_captures
if ! command -v chromium >/dev/null || ! command -v xmllint >/dev/null; then
	echo "  FAIL: chromium and xmllint are needed (tools/install-deps.sh)"
	exit 1
fi
R=("$FLOWSCOPE" report -q --engine user)
first_of() { # class app-pattern: the first manifest capture of both
	awk -F'\t' -v c="$1" -v a="$2" 'NR > 1 && $2 == c && $1 ~ a { print $1; exit }' \
		"$CAPTURES/MANIFEST.tsv"
}
VIDEO=$CAPTURES/$(first_of video requet)
CALL=$CAPTURES/$(first_of call zoom)

# The class table's data-value cells, "class flows packets bytes" a line, sorted.
page_classes() {
	python3 - "$1" <<'EOF'
import re, sys
page = open(sys.argv[1]).read()
table = page[page.index('<table id="classes">'):]
table = table[:table.index('</table>')]
for cls, row in re.findall(r'<tr data-class="([^"]*)">(.*?)</tr>', table):
    print(cls or '-', *re.findall(r'data-value="(\d+)"', row))
EOF
}
# The same sums from a records CSV, by its own columns.
records_classes() {
	python3 - "$@" <<'EOF'
import csv, sys, collections
sums = collections.defaultdict(lambda: [0, 0, 0])
for path in sys.argv[1:]:
    for r in csv.DictReader(open(path)):
        s = sums[r['class'] or '-']
        s[0] += 1
        s[1] += int(r['fwd_packets']) + int(r['bwd_packets'])
        s[2] += int(r['fwd_bytes']) + int(r['bwd_bytes'])
for cls, s in sorted(sums.items()):
    print(cls, *s)
EOF
}
counter() { # page key
	grep -o "<tr data-counter=\"$2\"><td>[^<]*</td><td class=\"n\" data-value=\"[0-9]*\"" "$1" |
		grep -o '[0-9]*"$' | tr -d '"'
}
# Loads page in headless Chromium: its console messages on stdout, its DOM in page.dom.
chromium_console() {
	timeout 120 chromium --headless=new --no-sandbox --disable-gpu --enable-logging=stderr \
		--v=0 --dump-dom "file://$1" >"$1.dom" 2>"$1.log"
	echo "status $?"
	grep 'CONSOLE' "$1.log"
}

"$FLOWSCOPE" replay -q --engine user -o "$TMP/video.csv" "$VIDEO"
"$FLOWSCOPE" replay -q --engine user --format json -o "$TMP/video.json" "$VIDEO"
"${R[@]}" -o "$TMP/video.html" "$VIDEO"
check_eq "a capture: exit status" "$?" 0
page=$TMP/video.html

# The page and each of its SVGs, well-formed XML.
check_true "xmllint: the page is well-formed" xmllint --noout "$page"
python3 - "$page" "$TMP/svg" <<'EOF'
import re, sys
for i, svg in enumerate(re.findall(r'<svg .*?</svg>', open(sys.argv[1]).read(), re.S)):
    open('%s%d.svg' % (sys.argv[2], i), 'w').write(svg)
EOF
check_eq "two SVGs: the timeline and the hosts" "$(ls "$TMP"/svg*.svg | wc -l)" 2
for svg in "$TMP"/svg*.svg; do
	check_true "xmllint: $(basename "$svg") is well-formed SVG" xmllint --noout "$svg"
done
check_eq "self-contained: no script, style sheet, image, frame or link" \
	"$(grep -Eci '<script|<link|<img|<iframe|<object|src=|href=|url\(|@import' "$page")" 0

# Headless Chromium: it loads, draws both SVGs, and says nothing on the console.
# The control page proves a console message would be seen.
printf '<!DOCTYPE html><html><body><script>console.error("seen")</script></body></html>' \
	>"$TMP/control.html"
check_match "chromium: the control page's console message is seen" \
	"$(chromium_console "$TMP/control.html")" '"seen"'
check_eq "chromium: the report loads, no console message" "$(chromium_console "$page")" "status 0"
check_eq "chromium: both SVGs in the DOM" "$(grep -c '<svg id=' "$page.dom")" 2

# The figures: the class table is the records' sums; the packets seen are tshark's.
check_eq "class table = the records' flows, packets and bytes per class" \
	"$(page_classes "$page" | sort)" "$(records_classes "$TMP/video.csv")"
check_eq "total flows = records" "$(grep -o '<span id="total-flows">[0-9]*' "$page" | grep -o '[0-9]*$')" \
	"$(csv_rows "$TMP/video.csv")"
frames=$(tshark -r "$VIDEO" 2>/dev/null | wc -l)
check_eq "packets seen = tshark's frames" "$(counter "$page" packets)" "$frames"
check_eq "non-IP = tshark's frames neither IPv4 nor IPv6" "$(counter "$page" non_ip)" \
	"$(tshark -r "$VIDEO" -Y 'not ip and not ipv6' 2>/dev/null | wc -l)"
check_eq "packets seen = in records + non-IP + bad IP" \
	"$(counter "$page" packets)" \
	$(($(counter "$page" records) + $(counter "$page" non_ip) + $(counter "$page" bad_ip_header)))

# Hosts: one row per initiator, the most bytes first, its verdict the class of most of its bytes.
hosts=$(python3 - "$TMP/video.csv" <<'EOF'
import csv, sys, collections
total = collections.Counter()
per = collections.defaultdict(collections.Counter)
for r in csv.DictReader(open(sys.argv[1])):
    b = int(r['fwd_bytes']) + int(r['bwd_bytes'])
    total[r['src_ip']] += b
    per[r['src_ip']][r['class']] += b
top = total.most_common(1)[0][0]
print(min(len(total), 40), top + ': ' + per[top].most_common(1)[0][0])
EOF
)
check_eq "hosts drawn: every initiator, at most 40" "$(grep -c '<text class="host"' "$page")" \
	"${hosts%% *}"
check_eq "the first host: the most bytes, and its verdict" \
	"$(grep -o '<text class="host"[^>]*>[^<]*' "$page" | head -1 | sed 's/.*>//')" "${hosts#* }"
check_eq "top flow: the records' largest" \
	"$(python3 -c '
import re, sys
page = open(sys.argv[1]).read()
print(re.search(r"data-value=.(\d+)", page[page.index("<table id=\"top-flows\">"):]).group(1))' "$page")" \
	"$(python3 -c '
import csv, sys
print(max(int(r["fwd_bytes"]) + int(r["bwd_bytes"]) for r in csv.DictReader(open(sys.argv[1]))))' "$TMP/video.csv")"

# Records files, CSV and JSON lines, detected by their content: the same figures.
"${R[@]}" -o "$TMP/from_csv.html" "$TMP/video.csv"
check_eq "a records CSV: exit status" "$?" 0
"${R[@]}" -o "$TMP/from_json.html" "$TMP/video.json"
check_eq "a records JSON lines file: exit status" "$?" 0
check_eq "records CSV: the capture's class table" "$(page_classes "$TMP/from_csv.html")" \
	"$(page_classes "$page")"
check_eq "records JSON: the capture's class table" "$(page_classes "$TMP/from_json.html")" \
	"$(page_classes "$page")"
check_match "records file: counters said to be unknown" "$(cat "$TMP/from_csv.html")" \
	'<p id="counters">Not known'
check_true "records JSON: well-formed" xmllint --noout "$TMP/from_json.html"

# Several inputs, a capture and a records file: their sums.
"$FLOWSCOPE" replay -q --engine user -o "$TMP/call.csv" "$CALL"
"${R[@]}" -o "$TMP/both.html" "$CALL" "$TMP/video.csv"
check_eq "two inputs: exit status" "$?" 0
check_eq "two inputs: the class table sums both" "$(page_classes "$TMP/both.html" | sort)" \
	"$(records_classes "$TMP/video.csv" "$TMP/call.csv")"
"$FLOWSCOPE" report -q --engine user --no-model -o "$TMP/nomodel.html" "$CALL"
check_eq "--no-model: one row, not classified" "$(page_classes "$TMP/nomodel.html" | cut -d' ' -f1)" -

# eval --report: the scorecard eval prints, drawn; every number as the text has it.
{ # every 20th capture, by its full path
	head -1 "$CAPTURES/MANIFEST.tsv"
	awk -F'\t' -v OFS='\t' -v dir="$CAPTURES" 'NR > 1 && NR % 20 == 2 { $1 = dir "/" $1; print }' \
		"$CAPTURES/MANIFEST.tsv"
} >"$TMP/small.tsv"
"$FLOWSCOPE" eval --engine user --model "$ROOT/models/default.model" \
	--manifest "$TMP/small.tsv" --flow-labels "$CAPTURES/FLOW_LABELS.tsv" \
	--report "$TMP/eval.html" >"$TMP/eval.txt" 2>/dev/null
check_eq "eval --report: exit status" "$?" 0
check_true "eval --report: well-formed" xmllint --noout "$TMP/eval.html"
check_eq "eval --report: self-contained" \
	"$(grep -Eci '<script|<link|<img|<iframe|<object|src=|href=|url\(|@import' "$TMP/eval.html")" 0
check_eq "eval --report: chromium loads it, no console message" \
	"$(chromium_console "$TMP/eval.html")" "status 0"
python3 - "$TMP/eval.txt" "$TMP/eval.html" >"$TMP/eval.diff" <<'EOF2'
import re, sys
text, page = open(sys.argv[1]).read(), open(sys.argv[2]).read()
ids = {'MLP, captures': 'capture-mlp',
       "MLP, the host's verdict per capture (no flow labels)": 'capture-host-mlp',
       'MLP, flows carrying the activity': 'flow-mlp', 'k-means, captures': 'capture-kmeans',
       'k-means, flows carrying the activity': 'flow-kmeans'}
checked = 0
for block in re.split(r'\n(?=\S)', text):
    title = block.split(':')[0]
    if title not in ids or 'truth \\ said' not in block:
        continue
    lines = block.splitlines()
    said = lines[1].split()[3:-3]  # after "truth \ said", before precision recall F1
    svg = re.search(r'<svg id="%s".*?</svg>' % ids[title], page, re.S).group(0)
    cells = {(t, s): c for t, s, c in re.findall(
        r'data-truth="([^"]*)" data-said="([^"]*)" data-count="(\d+)"', svg)}
    for row in lines[2:]:
        f = row.split()
        if len(f) != len(said) + 4 or not all(x.isdigit() for x in f[1:1 + len(said)]):
            break  # the matrix ends: calibration or background lines follow
        for name, count in zip(said, f[1:1 + len(said)]):
            if cells.get((f[0], name)) != count:
                print(title, f[0], name, 'text', count, 'page', cells.get((f[0], name)))
            checked += 1
early = re.search(r'packets +reached +macro-F1.*?\n(.*?)\n\n', text + '\n\n', re.S).group(1)
for row in early.splitlines():
    f = row.split()
    if not f or not (f[0].isdigit() or f[0] == 'end'):
        continue
    point, f1 = (f[0], f[1]) if f[0] == 'end' else (f[0], f[2])
    dot = re.search(r'data-series="macro-F1" data-point="%s" data-value="([0-9.]+)"' % point, page)
    if not dot or dot.group(1) != f1:
        print('early', point, 'text', f1, 'page', dot and dot.group(1))
    checked += 1
wrong_text = re.findall(r'^  (\S+) +(\S+) +said (\S+)$', text, re.M)
wrong_page = re.findall(r'<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', page)
if [w[0].split('/')[-1] for w in wrong_text] != [w[0].split('/')[-1] for w in wrong_page]:
    print('wrong captures differ', wrong_text, wrong_page)
print('checked', checked)
EOF2
check_eq "eval --report: every confusion cell and early point as eval prints it" \
	"$(grep -v '^checked' "$TMP/eval.diff")" ""
check_match "eval --report: cells and points were compared" "$(cat "$TMP/eval.diff")" \
	'^checked [1-9][0-9]+$'

# Bad input: one line, exit 1, no page.
bad() { # what expected-message input...
	local what=$1 want=$2 out
	shift 2
	rm -f "$TMP/bad.html"
	out=$("${R[@]}" -o "$TMP/bad.html" "$@" 2>&1)
	check_eq "$what: exit status" "$?" 1
	check_match "$what: one line" "$out" "^flowscope: [^ ]*: $want"
	check_eq "$what: one line only" "$(printf '%s\n' "$out" | wc -l)" 1
	check_true "$what: no page" [ ! -e "$TMP/bad.html" ]
}
"$FLOWSCOPE" replay -q --engine user --format cic -o "$TMP/cic.csv" "$CALL"
bad "CICFlowMeter's CSV" "no src_ip column" "$TMP/cic.csv"
printf '{"src_ip": "10.0.0.1",\n' >"$TMP/broken.json"
bad "a broken JSON line" "line 1: not a JSON object" "$TMP/broken.json"
{ head -2 "$TMP/video.csv"; sed -n 3p "$TMP/video.csv" | awk -F, -v OFS=, '{ $2 = "10.0.0"; print }'; } \
	>"$TMP/badaddr.csv"
bad "a bad address" "line 3: src_ip is not an IP address" "$TMP/badaddr.csv"
head -c 100 "$CALL" >"$TMP/cut.pcap"
bad "a capture cut short" "not a complete capture" "$TMP/cut.pcap"
: >"$TMP/empty"
bad "an empty file" "empty" "$TMP/empty"
finish
