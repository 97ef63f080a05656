#!/usr/bin/env bash
# Runs every benchmark and writes the report to build/bench-report.md:
# the micro benchmarks, then end-to-end runs on generated readings
# (embedded; Kafka ingest; Kafka process at_least_once and exactly_once),
# paced latency runs with a WebSocket client, and the broker's own producer
# and consumer ceilings, all on one local broker. RADSTREAM_BENCH_ROWS sets the number of readings (1,000,000).
set -euo pipefail
cd "$(dirname "$0")/.."

rows="${RADSTREAM_BENCH_ROWS:-1000000}"
bash scripts/build.sh radstream bench
work="$(mktemp -d)"
broker_dir="$work/broker"
cleanup() {
  scripts/kafka-broker.sh stop --dir "$broker_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench: micro benchmarks" >&2
build/bench/radstream_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true >"$work/micro.txt" 2>&1

echo "bench: generating $rows readings" >&2
build/bench/radstream_generate --rows "$rows" --out "$work/readings.csv" >"$work/generated.json"

inputs="[[inputs]]
path = \"$work/readings.csv\"
format = \"safecast_csv\"
[ingest]
sort_by_capture_time = false
[web]
port = 0
[log]
level = \"warn\""

# Runs radstream with the arguments after the run's name, and prints
# "seconds peak_kilobytes records" (records: the summary's input count,
# or the field SUMMARY_FIELD names).
timed_run() {
  local name="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" build/radstream "$@" >"$work/$name.summary" 2>"$work/$name.err" || {
    echo "bench: the $name run failed:" >&2
    tail -5 "$work/$name.err" >&2
    exit 1
  }
  local input
  input="$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline()).get(sys.argv[2], 0))' \
    "$work/$name.summary" "${SUMMARY_FIELD:-input}")"
  echo "$(cat "$work/$name.time") $input"
}

echo "bench: embedded run" >&2
printf '%s\n[embedded]\npartitions = 2\noutput_dir = "%s/out"\n' "$inputs" "$work" >"$work/embedded.toml"
embedded="$(timed_run embedded --config "$work/embedded.toml" --exit-when-done)"

echo "bench: starting a Kafka broker" >&2
bootstrap="$(scripts/kafka-broker.sh start --dir "$broker_dir" | sed -n 's/^bootstrap=//p')"
kafka_config() {
  printf '%s\n[kafka]\nbrokers = "%s"\ngroup_id = "bench-%s"\n[topics]\ninput = { name = "radiation-data", partitions = 2 }\nprocessed = "processed-%s"\ncritical = "critical-%s"\ndirty = "dirty-%s"\n[process]\nguarantee = "%s"\n' \
    "$inputs" "$bootstrap" "$1" "$1" "$1" "$1" "$2" >"$work/$1.toml"
}
kafka_config alo at_least_once
kafka_config eo exactly_once

echo "bench: Kafka ingest" >&2
ingest="$(SUMMARY_FIELD=ingested timed_run ingest ingest --config "$work/alo.toml" --exit-when-done)"
echo "bench: Kafka process, at_least_once" >&2
alo="$(timed_run alo process --config "$work/alo.toml" --exit-when-done)"
echo "bench: Kafka process, exactly_once" >&2
eo="$(timed_run eo process --config "$work/eo.toml" --exit-when-done)"

# Latency at a steady rate below capacity: Kafka mode with every stage in
# one process and a WebSocket client attached, ingest paced to about
# 10,000 readings/s (100 per batch, 10 ms apart).
paced_rows=$(( rows < 100000 ? rows : 100000 ))
build/bench/radstream_generate --rows "$paced_rows" --out "$work/paced.csv" >/dev/null
paced_run() {
  local name="$1" guarantee="$2" extra="${3:-}" port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  printf '[[inputs]]\npath = "%s/paced.csv"\nformat = "safecast_csv"\n[ingest]\nsort_by_capture_time = false\nbatch_size = 100\nsend_delay_ms = 10\n[web]\nport = %s\n[log]\nlevel = "warn"\n[kafka]\nbrokers = "%s"\ngroup_id = "bench-%s"\n[topics]\ninput = { name = "paced-%s", partitions = 2 }\nprocessed = "processed-%s"\ncritical = "critical-%s"\ndirty = "dirty-%s"\n[process]\nguarantee = "%s"\n%s\n' \
    "$work" "$port" "$bootstrap" "$name" "$name" "$name" "$name" "$name" "$guarantee" "$extra" >"$work/$name.toml"
  build/radstream --config "$work/$name.toml" --exit-when-done >"$work/$name.summary" 2>"$work/$name.err" &
  local run=$!
  python3 - "$port" <<'WAIT'
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=1)
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("bench: the paced run's web server did not answer within 30 s")
WAIT
  node $websocket_flag bench/ws_listen.mjs "ws://127.0.0.1:$port/ws" >"$work/$name.ws" 2>&1 &
  local listener=$!
  wait "$run" || {
    echo "bench: the $name run failed:" >&2
    tail -5 "$work/$name.err" >&2
    exit 1
  }
  wait "$listener" || true
}
websocket_flag=""
node -e 'if (typeof WebSocket === "undefined") process.exit(1)' 2>/dev/null || websocket_flag="--experimental-websocket"
echo "bench: paced latency run, at_least_once" >&2
paced_run paced-alo at_least_once
echo "bench: paced latency run, exactly_once" >&2
paced_run paced-eo exactly_once
echo "bench: paced latency run, at_least_once without event-time ordering" >&2
paced_run paced-unordered at_least_once $'[event_time]\nenabled = false'

# The broker's ceiling with radstream's producer settings and records of
# the average size of radstream's input messages.
size="$(scripts/kafka-broker.sh tool console-consumer --bootstrap-server "$bootstrap" --topic radiation-data \
  --from-beginning --max-messages 1000 --timeout-ms 20000 2>/dev/null \
  | awk '{ bytes += length($0) } END { print (NR > 0 ? int(bytes / NR) : 250) }')"
echo "bench: producer ceiling" >&2
scripts/kafka-broker.sh tool topics --bootstrap-server "$bootstrap" --create --topic perf --partitions 2 \
  --replication-factor 1 >/dev/null
scripts/kafka-broker.sh tool producer-perf-test --topic perf --num-records "$rows" --record-size "$size" \
  --throughput -1 --producer-props "bootstrap.servers=$bootstrap" acks=all linger.ms=5 batch.size=1048576 \
  compression.type=lz4 enable.idempotence=true >"$work/producer-perf.txt" 2>&1
echo "bench: consumer ceiling" >&2
scripts/kafka-broker.sh tool consumer-perf-test --bootstrap-server "$bootstrap" --topic radiation-data \
  --messages "$rows" --timeout 60000 >"$work/consumer-perf.txt" 2>&1

python3 - "$work" "$rows" "$embedded" "$ingest" "$alo" "$eo" "$paced_rows" >build/bench-report.md <<'PY'
import json, platform, re, subprocess, sys, datetime
work, rows = sys.argv[1], int(sys.argv[2])
runs = {"embedded (ingest and process in one process)": sys.argv[3], "Kafka ingest": sys.argv[4],
        "Kafka process, at_least_once": sys.argv[5], "Kafka process, exactly_once": sys.argv[6]}
summaries = {"embedded (ingest and process in one process)": "embedded", "Kafka process, at_least_once": "alo",
             "Kafka process, exactly_once": "eo"}
def latency(name, which):
    return json.loads(open(f"{work}/{name}.summary").readline())["latency"][which]
def latency_row(label, figures):
    return (f"| {label} | {figures['count']:,} | {figures['p50_ms']:,.1f} | {figures['p90_ms']:,.1f} | "
            f"{figures['p99_ms']:,.1f} | {figures['p999_ms']:,.1f} | {figures['max_ms']:,.1f} |")
def model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()
print(f"# radstream benchmark report\n\n{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {rows:,} generated readings, "
      f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores ({model()}).\n")
print("Generated:", open(f"{work}/generated.json").read().strip(), "\n")
print("| run | records | seconds | records/s | peak RSS |\n|---|---|---|---|---|")
for name, line in runs.items():
    seconds, kilobytes, records = line.split()
    seconds, records = float(seconds), int(records)
    print(f"| {name} | {records:,} | {seconds:.2f} | {records / seconds:,.0f} | {int(kilobytes) / 1024:.0f} MiB |")
print("\nLatency at full load, from polling a record to handing its output to the producer (consume to "
      "produce; held readings include the wait for their capture second), in milliseconds:\n")
print("| run | records | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|---|")
for label, name in summaries.items():
    print(latency_row(label, latency(name, "consume_to_produce")))
paced_rows = int(sys.argv[7])
print(f"\nLatency at about 10,000 readings/s ({paced_rows:,} readings; Kafka mode, every stage in one process, "
      "one WebSocket client attached), in milliseconds. Ingest to WebSocket runs from the reading's "
      "ingestion_timestamp to its batch being queued for the client:\n")
print("| run | measure | records | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|---|---|")
for guarantee, name in (("at_least_once", "paced-alo"), ("exactly_once", "paced-eo"),
                        ("at_least_once, event time off", "paced-unordered")):
    for which in ("consume_to_produce", "ingest_to_websocket"):
        print(latency_row(f"{guarantee} | {which.replace('_', ' ')}", latency(name, which)))
producer = open(f"{work}/producer-perf.txt").read()
match = re.findall(r"([\d.]+) records/sec", producer)
print("\nBroker ceiling (Kafka's own perf tools, same broker):\n")
if match:
    print(f"- producer-perf-test: {float(match[-1]):,.0f} records/s")
consumer = open(f"{work}/consumer-perf.txt").read().strip().splitlines()
if len(consumer) >= 2:
    header = [h.strip() for h in consumer[-2].split(",")]
    values = [v.strip() for v in consumer[-1].split(",")]
    fields = dict(zip(header, values))
    if "nMsg.sec" in fields:
        print(f"- consumer-perf-test: {float(fields['nMsg.sec']):,.0f} records/s")
print("\n## Micro benchmarks\n\n```")
print(open(f"{work}/micro.txt").read().strip())
print("```")
PY
echo "bench: report in build/bench-report.md" >&2
cat build/bench-report.md
