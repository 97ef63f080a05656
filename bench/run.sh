#!/usr/bin/env bash
# Runs every benchmark and writes the report to build/bench-report.md:
# the micro benchmarks, then end-to-end runs on generated readings
# (embedded; Kafka ingest; Kafka process at_least_once and exactly_once),
# the Flink peer job on the same topic, paced latency runs with a WebSocket
# client, and the broker's own producer and consumer ceilings, all on one
# local broker. RADSTREAM_BENCH_ROWS sets the number of readings (1,000,000).
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

# CPU seconds the broker has used so far (user + system), or 0 before it runs.
broker_cpu() {
  local pid
  pid="$(cat "$broker_dir/broker.pid" 2>/dev/null)" || { echo 0; return; }
  awk -v ticks="$(getconf CLK_TCK)" '{ print ($14 + $15) / ticks }' "/proc/$pid/stat" 2>/dev/null || echo 0
}

# Runs the command after the run's name and prints "seconds peak_kilobytes
# user_cpu system_cpu broker_cpu records": wall seconds, peak RSS, the CPU
# seconds of the command and of the broker during it, and the summary's
# input count (or the field SUMMARY_FIELD names).
timed_run() {
  local name="$1"
  shift
  local broker_before
  broker_before="$(broker_cpu)"
  /usr/bin/time -f "%e %M %U %S" -o "$work/$name.time" "$@" >"$work/$name.summary" 2>"$work/$name.err" || {
    echo "bench: the $name run failed:" >&2
    tail -5 "$work/$name.err" >&2
    exit 1
  }
  local input broker_used
  broker_used="$(awk -v a="$broker_before" -v b="$(broker_cpu)" 'BEGIN { print b - a }')"
  input="$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline()).get(sys.argv[2], 0))' \
    "$work/$name.summary" "${SUMMARY_FIELD:-input}")"
  echo "$(tail -1 "$work/$name.time") $broker_used $input"
}

echo "bench: embedded run" >&2
printf '%s\n[embedded]\npartitions = 2\noutput_dir = "%s/out"\n' "$inputs" "$work" >"$work/embedded.toml"
embedded="$(timed_run embedded build/radstream --config "$work/embedded.toml" --exit-when-done)"

echo "bench: starting a Kafka broker" >&2
bootstrap="$(scripts/kafka-broker.sh start --dir "$broker_dir" | sed -n 's/^bootstrap=//p')"
# A fresh broker JVM is slower until its code is compiled: the first
# timed run on a cold broker measured ingest about 30% slower. Every
# timed run here, radstream's, Flink's and the perf tools', gets a warm one.
echo "bench: warming the broker up" >&2
scripts/kafka-broker.sh tool topics --bootstrap-server "$bootstrap" --create --topic warm-up --partitions 2 \
  --replication-factor 1 >/dev/null
scripts/kafka-broker.sh tool producer-perf-test --topic warm-up --num-records 1000000 --record-size 250 \
  --throughput -1 --producer-props "bootstrap.servers=$bootstrap" acks=all linger.ms=5 batch.size=1048576 \
  compression.type=lz4 enable.idempotence=true >/dev/null 2>&1
scripts/kafka-broker.sh tool consumer-perf-test --bootstrap-server "$bootstrap" --topic warm-up \
  --messages 1000000 --timeout 60000 >/dev/null 2>&1
kafka_config() {
  printf '%s\n[kafka]\nbrokers = "%s"\ngroup_id = "bench-%s"\n[topics]\ninput = { name = "radiation-data", partitions = 2 }\nprocessed = "processed-%s"\ncritical = "critical-%s"\ndirty = "dirty-%s"\n[process]\nguarantee = "%s"\n' \
    "$inputs" "$bootstrap" "$1" "$1" "$1" "$1" "$2" >"$work/$1.toml"
}
kafka_config alo at_least_once
kafka_config eo exactly_once

echo "bench: Kafka ingest" >&2
ingest="$(SUMMARY_FIELD=ingested timed_run ingest build/radstream ingest --config "$work/alo.toml" --exit-when-done)"
echo "bench: Kafka process, at_least_once" >&2
alo="$(timed_run alo build/radstream process --config "$work/alo.toml" --exit-when-done)"
echo "bench: Kafka process, exactly_once" >&2
eo="$(timed_run eo build/radstream process --config "$work/eo.toml" --exit-when-done)"

# The same job as an Apache Flink DataStream job (bench/peers/flink), on a
# local mini-cluster with one task slot per core, reading the same topic.
flink_jar=bench/peers/flink/target/radstream-flink-peer-0.1.0.jar
if [ ! -f "$flink_jar" ]; then
  echo "bench: building the Flink peer with Maven" >&2
  mvn -B -q -f bench/peers/flink/pom.xml package -DskipTests >&2
fi
flink_run() {
  timed_run "flink-$1" bash bench/peers/flink/run.sh --brokers "$bootstrap" --input radiation-data \
    --processed "processed-flink-$1" --critical "critical-flink-$1" --dirty "dirty-flink-$1" \
    --group-id "bench-flink-$1" --guarantee "$2" --parallelism "$(nproc)"
}
echo "bench: Flink peer, at_least_once" >&2
flink_alo="$(flink_run alo at_least_once)"
echo "bench: Flink peer, exactly_once" >&2
flink_eo="$(flink_run eo exactly_once)"

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

python3 - "$work" "$rows" "$embedded" "$ingest" "$alo" "$eo" "$paced_rows" "$flink_alo" "$flink_eo" \
  >build/bench-report.md <<'PY'
import json, platform, re, subprocess, sys, datetime
work, rows = sys.argv[1], int(sys.argv[2])
runs = {"embedded (ingest and process in one process)": sys.argv[3], "Kafka ingest": sys.argv[4],
        "Kafka process, at_least_once": sys.argv[5], "Kafka process, exactly_once": sys.argv[6],
        "Flink peer, at_least_once": sys.argv[8], "Flink peer, exactly_once": sys.argv[9]}
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
cores = int(subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip())
print("CPU columns: CPU seconds (user + system) of the run's own process and of the Kafka broker during the run; "
      f"'busy' is both together as a share of the {cores} cores over the run's wall time.\n")
print("| run | records | seconds | records/s | peak RSS | CPU s | broker CPU s | busy |\n|---|---|---|---|---|---|---|---|")
for name, line in runs.items():
    seconds, kilobytes, user, system, broker, records = line.split()
    seconds, records, own = float(seconds), int(records), float(user) + float(system)
    busy = (own + float(broker)) / (seconds * cores)
    print(f"| {name} | {records:,} | {seconds:.2f} | {records / seconds:,.0f} | {int(kilobytes) / 1024:.0f} MiB | "
          f"{own:.1f} | {float(broker):.1f} | {busy:.0%} |")
def summary(name):
    return json.loads(open(f"{work}/{name}.summary").readline())
def wall_rate(line):
    seconds, _, _, _, _, records = line.split()
    return int(records) / float(seconds)
print("\n## Side by side with Flink\n")
print("The same job (dedup, validate, enrich, route to three topics) on the same topic and broker, "
      f"{cores} cores each (Flink: parallelism {cores} on a local mini-cluster). 'Flink net' leaves out the JVM "
      "and mini-cluster start and the final checkpoint: it counts from Flink's first record to its last.\n")
print("| guarantee | radstream records/s | Flink records/s | ratio | Flink net records/s | ratio to net | "
      "counts equal |\n|---|---|---|---|---|---|---|")
for guarantee, ours, theirs in (("at_least_once", "alo", "flink-alo"), ("exactly_once", "eo", "flink-eo")):
    mine, peer = summary(ours), summary(theirs)
    fields = ("input", "processed", "critical", "dirty", "duplicates")
    equal = all(mine[f] == peer[f] for f in fields) and mine["dirty_by_reason"] == {
        reason: peer["dirty_by_reason"].get(reason, 0) for reason in mine["dirty_by_reason"]}
    radstream_rate = wall_rate(sys.argv[5] if ours == "alo" else sys.argv[6])
    flink_rate = wall_rate(sys.argv[8] if ours == "alo" else sys.argv[9])
    net = peer.get("first_to_last_record_seconds") or peer["seconds"]
    net_rate = peer["input"] / net
    print(f"| {guarantee} | {radstream_rate:,.0f} | {flink_rate:,.0f} | {radstream_rate / flink_rate:.1f}x | "
          f"{net_rate:,.0f} | {radstream_rate / net_rate:.1f}x | {'yes' if equal else 'no'} |")
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
