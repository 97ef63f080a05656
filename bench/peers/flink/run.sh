#!/usr/bin/env bash
# Runs the Apache Flink peer of `radstream process` (see README.md beside
# this script). Builds the jar with Maven when it is missing, then passes
# every argument to the job, for example:
#   bash bench/peers/flink/run.sh --brokers 127.0.0.1:9092 --input radiation-data \
#     --processed processed-flink --critical critical-flink --dirty dirty-flink \
#     --group-id bench-flink --guarantee exactly_once [--parallelism 2] [--checkpoint-interval-ms 1000]
# The job prints one JSON line of counts and timings on stdout and logs to stderr.
# FLINK_PEER_JAVA_OPTS adds JVM options (default: none).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
jar="$here/target/radstream-flink-peer-0.1.0.jar"

if [[ ! -f "$jar" ]]; then
  echo "run.sh: building $jar with Maven" >&2
  mvn -B -q -f "$here/pom.xml" package -DskipTests >&2
fi

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Word-split on purpose: the variable may contain several JVM options.
# shellcheck disable=SC2086
exec "$java_bin" ${FLINK_PEER_JAVA_OPTS:-} \
  --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.lang=ALL-UNNAMED \
  -jar "$jar" "$@"
