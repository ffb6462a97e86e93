#!/bin/bash
# attach --metrics: the page passes promtool's checks, adds up (every packet
# seen is in a record or an unrecorded reason), agrees with the records
# written, and a real Prometheus server (Debian's) scrapes it: its query API
# returns, per class, the flows recorded under that class. A port in use, or
# an address that is not one, ends attach with one line before it attaches.
# The same run's --report: drawn on SIGUSR1 and at exit, its class table the
# records' and its packets seen the metrics'.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/veth.sh"
need_root
for tool in promtool prometheus curl; do
	command -v "$tool" >/dev/null || { echo "  FAIL: no $tool (tools/install-deps.sh)"; exit 1; }
done
live_setup m 10.208.0

PORT=$(free_port)
METRICS=http://127.0.0.1:$PORT/metrics

# Bad addresses end attach before it attaches: one line, exit status 1.
err=$("$FLOWSCOPE" attach --quiet --metrics 127.0.0.1:http-ish "$IF" 2>&1 >/dev/null)
check_eq "--metrics without a port: exit status" "$?" 1
check_eq "--metrics without a port: one line" "$err" \
	"flowscope: --metrics '127.0.0.1:http-ish': not [ADDR:]PORT"
"$PY" -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(30)' \
	"$PORT" &
BUSY=$!
PIDS+=("$BUSY")
wait_for "a listener on the port" sh -c "ss -Hltn 'sport = :$PORT' | grep -q ."
err=$("$FLOWSCOPE" attach --quiet --metrics "127.0.0.1:$PORT" "$IF" 2>&1 >/dev/null)
check_eq "--metrics on a port in use: exit status" "$?" 1
check_eq "--metrics on a port in use: one line" "$err" \
	"flowscope: --metrics '127.0.0.1:$PORT': cannot listen: Address already in use"
check_eq "... and nothing was attached" "$(ls "/sys/fs/bpf/flowscope/$IF" 2>/dev/null)" ""
kill "$BUSY"
wait "$BUSY" 2>/dev/null

"$FLOWSCOPE" attach --quiet -o "$TMP/rec.csv" --idle-timeout 1s --drain-interval 200ms \
	--interval 200ms --metrics "127.0.0.1:$PORT" --report "$TMP/live.html" "$IF" \
	2>"$TMP/attach.err" &
ATTACH=$!
PIDS+=("$ATTACH")
wait_for "attach" grep -q "^flowscope: $IF: attached" "$TMP/attach.err"
check_eq "GET / names the page" "$(curl -s "http://127.0.0.1:$PORT/")" \
	"flowscope: the metrics are at /metrics"
check_eq "GET /other: 404" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/x")" 404
check_eq "POST /metrics: 405" \
	"$(curl -s -o /dev/null -w '%{http_code}' -d x "$METRICS")" 405

# Streams of several shapes, so that the records fall in more than one class.
traffic=()
for stream in "9001 40 400 1200" "9002 25 50 160" "9003 3 100 60"; do
	# shellcheck disable=SC2086
	ip netns exec "$NS" "$PY" "$ROOT/tests/traffic.py" "$SUBNET.1" $stream &
	traffic+=($!)
done
wait "${traffic[@]}"

metric() { # NAME{LABELS}: its value on the page in $TMP/page
	awk -v m="$1" '$1 == m { print $2 }' "$TMP/page"
}
drained() { # the streams are records, the table empty
	curl -sf "$METRICS" >"$TMP/page" && [ "$(metric "flowscope_table_flows{interface=\"$IF\"}")" = 0 ] &&
		[ -s "$TMP/rec.csv" ] &&
		[ "$(metric flowscope_records_total)" = "$(csv_rows "$TMP/rec.csv")" ]
}
wait_long "the streams' records" 30 drained
check_eq "the 40-datagram stream, recorded" "$(csv_get "$TMP/rec.csv" dst_port=9001 fwd_packets)" 40

out=$(promtool check metrics <"$TMP/page" 2>&1)
check_eq "promtool check metrics: exit status" "$?" 0
check_eq "promtool check metrics: nothing to say" "$out" ""
check_match "the info metric names the model" "$(grep '^flowscope_info' "$TMP/page")" \
	'^flowscope_info\{version="[0-9.]+",model="default.model",.*model_checksum="[0-9a-f]{8}".*\} 1$'

read -r rec_packets rec_bytes <<<"$(csv_totals "$TMP/rec.csv")"
check_eq "records' packets" "$(metric flowscope_record_packets_total)" "$rec_packets"
check_eq "bytes in flows: all in records now" "$(metric flowscope_bytes_total)" "$rec_bytes"
unrecorded=$(awk '/^flowscope_packets_unrecorded_total/ { s += $2 } END { print s + 0 }' "$TMP/page")
check_eq "every packet seen: in a record or unrecorded for a reason" \
	"$(metric "flowscope_packets_total{interface=\"$IF\"}")" "$((rec_packets + unrecorded))"
check_eq "the table's size" "$(metric "flowscope_table_size_flows{interface=\"$IF\"}")" 65536
check_true "drains measured" [ "$(metric flowscope_drain_duration_seconds_count)" -gt 5 ]
check_eq "drains: the +Inf bucket is the count" \
	"$(metric 'flowscope_drain_duration_seconds_bucket{le="+Inf"}')" \
	"$(metric flowscope_drain_duration_seconds_count)"

# Per class, from the records' class column (every class the model has, zero or not).
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "class") c = i; next } { n[$c]++ }
	 END { for (k in n) print k, n[k] }' "$TMP/rec.csv" | sort >"$TMP/classes.csv"
sed -n 's/^flowscope_finished_flows_total{class="\([^"]*\)"} \([0-9]*\)$/\1 \2/p' "$TMP/page" |
	awk '$2 > 0' | sort >"$TMP/classes.page"
check_eq "finished flows per class: the records' classes" "$(cat "$TMP/classes.page")" \
	"$(cat "$TMP/classes.csv")"
check_true "more than one class recorded" [ "$(wc -l <"$TMP/classes.csv")" -gt 1 ]
# The kernel model's verdicts, counted in the kernel: the records' kernel_class column.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "kernel_class") c = i; next }
	 $c != "" { n[$c]++ } END { for (k in n) print k, n[k] }' "$TMP/rec.csv" | sort >"$TMP/kclasses.csv"
# A class's flows now: those given it, less those a later checkpoint moved on.
sed -n "s/^flowscope_kernel_class_\(flows\|moved\)_total{interface=\"$IF\",class=\"\([^\"]*\)\"} \([0-9]*\)\$/\1 \2 \3/p" \
	"$TMP/page" | awk '{ n[$2] += $1 == "flows" ? $3 : -$3 }
	END { for (k in n) if (n[k] > 0) print k, n[k] }' | sort >"$TMP/kclasses.page"
check_eq "flows the kernel model decided, less those moved on, per class: the records' kernel_class" \
	"$(cat "$TMP/kclasses.page")" "$(cat "$TMP/kclasses.csv")"
check_true "the kernel model decided flows" [ -s "$TMP/kclasses.csv" ]

# A real Prometheus scrapes it every second; its query API gives the same per class.
PROM_PORT=$(free_port)
cat >"$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: flowscope
    static_configs:
      - targets: ["127.0.0.1:$PORT"]
EOF
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$TMP/prometheus.log" 2>&1 &
PIDS+=($!)
query() { # PROMQL: "LABEL VALUE" per series (just VALUE without labels), sorted
	curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" |
		"$PY" -c 'import json, sys
for r in json.load(sys.stdin)["data"]["result"]:
    print(*list(r["metric"].values())[:1], r["value"][1])' 2>/dev/null | sort
}
scraped() { [ "$(query 'sum(flowscope_records_total)')" = "$(csv_rows "$TMP/rec.csv")" ]; }
wait_long "Prometheus to scrape the records" 30 scraped
check_eq "Prometheus: the target is up" "$(query 'sum(up{job="flowscope"})')" 1
check_eq "Prometheus: finished flows per class, as recorded" \
	"$(query 'sum by (class) (flowscope_finished_flows_total) > 0')" "$(cat "$TMP/classes.csv")"
check_eq "Prometheus: packets in records" \
	"$(query 'sum(flowscope_record_packets_total)')" "$rec_packets"

# --report: SIGUSR1 draws the flows ended so far, the run going on.
report_classes() { # PAGE: "class flows" a line, as the records' classes are listed
	"$PY" -c 'import re, sys
page = open(sys.argv[1]).read()
for c, n in re.findall(r"<tr data-class=\"([^\"]*)\">.*?data-value=\"(\d+)\"", page):
    print(c, n)' "$1" | sort
}
check_true "no report before it is asked for" [ ! -e "$TMP/live.html" ]
kill -USR1 "$ATTACH"
wait_for "the report on SIGUSR1" test -s "$TMP/live.html"
check_true "SIGUSR1: attach runs on" kill -0 "$ATTACH"
check_true "SIGUSR1: the report is well-formed" xmllint --noout "$TMP/live.html"
check_eq "SIGUSR1: the report's classes are the records'" "$(report_classes "$TMP/live.html")" \
	"$(cat "$TMP/classes.csv")"
curl -sf "$METRICS" >"$TMP/page"
check_eq "SIGUSR1: packets seen, as the metrics count them" \
	"$(grep -o '<tr data-counter="packets"><td>[^<]*</td><td class="n" data-value="[0-9]*' \
		"$TMP/live.html" | grep -o '[0-9]*$')" "$(metric "flowscope_packets_total{interface=\"$IF\"}")"
rm "$TMP/live.html"

kill -TERM "$ATTACH"
wait "$ATTACH"
check_eq "SIGTERM: exit status" "$?" 0
check_true "at exit: the report drawn again" xmllint --noout "$TMP/live.html"
check_eq "at exit: the report's classes are the records'" "$(report_classes "$TMP/live.html")" \
	"$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "class") c = i; next } { n[$c]++ }
		END { for (k in n) print k, n[k] }' "$TMP/rec.csv" | sort)"
check_true "the port is closed after exit" sh -c "! curl -s '$METRICS' >/dev/null"
finish
