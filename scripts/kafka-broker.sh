#!/usr/bin/env bash
# Runs single-node Apache Kafka 4.4.0 brokers (KRaft, loopback only) and the
# Kafka command-line tools, for radstream's tests and for trying radstream
# against a real broker. The jars come from Maven (scripts/kafka/pom.xml).
# Run `scripts/kafka-broker.sh --help` for the commands.
set -euo pipefail

readonly PROG=kafka-broker.sh
readonly KAFKA_VERSION=4.4.0
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
readonly SCRIPT_DIR
readonly KAFKA_FILES="$SCRIPT_DIR/kafka"
readonly KAFKA_HOME="${RADSTREAM_KAFKA_HOME:-$HOME/.cache/radstream/kafka-$KAFKA_VERSION}"
readonly LIBS="$KAFKA_HOME/libs"
# Checksum of the pom the jars in $LIBS were copied for. A changed pom fetches again.
readonly FETCH_STAMP="$KAFKA_HOME/fetched-pom.sha256"
readonly JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
readonly MIN_JAVA_MAJOR=17

# Word-split on purpose: each variable contains several JVM options.
readonly BROKER_HEAP_OPTS="${RADSTREAM_KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
readonly TOOL_HEAP_OPTS="${RADSTREAM_KAFKA_TOOL_HEAP_OPTS:--Xmx256m}"

# First line of every server.properties this script writes. `stop` deletes
# only folders whose server.properties starts with it.
readonly CONFIG_MARKER="# Written by scripts/kafka-broker.sh for a single-node KRaft broker."

# Tool names (as in Kafka's bin/kafka-NAME.sh) and their main classes, all
# checked against the Kafka 4.4.0 jars.
readonly TOOLS=(
  "topics org.apache.kafka.tools.TopicCommand"
  "console-producer org.apache.kafka.tools.ConsoleProducer"
  "console-consumer org.apache.kafka.tools.consumer.ConsoleConsumer"
  "producer-perf-test org.apache.kafka.tools.ProducerPerformance"
  "consumer-perf-test org.apache.kafka.tools.ConsumerPerformance"
  "consumer-groups org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"
  "get-offsets org.apache.kafka.tools.GetOffsetShell"
  "delete-records org.apache.kafka.tools.DeleteRecordsCommand"
  "configs org.apache.kafka.tools.ConfigCommand"
  "transactions org.apache.kafka.tools.TransactionsCommand"
  "broker-api-versions org.apache.kafka.tools.BrokerApiVersionsCommand"
  "metadata-quorum org.apache.kafka.tools.MetadataQuorumCommand"
  "log-dirs org.apache.kafka.tools.LogDirsCommand"
  "storage kafka.tools.StorageTool"
)

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

usage() {
  cat <<EOF
Usage: scripts/$PROG COMMAND [OPTIONS]

Runs single-node Apache Kafka $KAFKA_VERSION brokers (KRaft, combined broker and
controller) on 127.0.0.1 and the Kafka command-line tools. Several brokers can
run at once, each in its own folder and on its own ports.

Commands:
  fetch
      Copy the Kafka $KAFKA_VERSION jars into the cache folder with Maven. The
      first run downloads the jars that ~/.m2 lacks from Maven Central. Later
      runs work offline and return at once when the cache has the jars.

  start [--port N] [--controller-port N] [--dir DIR] [--timeout SECONDS]
      Fetch if needed, write a broker config and start the broker in the
      background. Waits until the broker's log reports that it started and it
      returns a topic list on its port, then prints these lines on stdout:
        bootstrap=127.0.0.1:PORT
        controller=127.0.0.1:CONTROLLER_PORT
        dir=DIR
        pid=PID
        log=DIR/broker.log
      --port N             client (PLAINTEXT) port. Default: a free port.
      --controller-port N  KRaft controller port. Default: a free port.
      --dir DIR            broker folder (config, data, log). It must be new or
                           empty, or contain a broker kept by 'stop --keep',
                           which then restarts with its data and ports.
                           Default: a new folder from mktemp -d.
      --timeout SECONDS    time allowed for startup (default 60). A broker
                           that is not ready by then is killed.

  stop --dir DIR [--keep] [--timeout SECONDS]
      Stop the broker of DIR with SIGTERM, wait up to SECONDS (default 30)
      for a clean shutdown, then send SIGKILL. Deletes DIR unless --keep.

  tool NAME [ARGS...]
      Run a Kafka command-line tool from the same jars. Tool logs go to stderr
      at WARN, so stdout carries only the tool's output. Names:
$(for entry in "${TOOLS[@]}"; do printf '        %-20s %s\n' "${entry%% *}" "${entry#* }"; done)

  --help, -h, help
      Print this help.

Environment:
  RADSTREAM_KAFKA_HOME            cache folder for the jars
                                  (default: ~/.cache/radstream/kafka-$KAFKA_VERSION)
  RADSTREAM_KAFKA_HEAP_OPTS       broker heap options (default: -Xms256m -Xmx512m)
  RADSTREAM_KAFKA_TOOL_HEAP_OPTS  tool heap options (default: -Xmx256m)
  JAVA_HOME                       Java $MIN_JAVA_MAJOR or newer (default: java on PATH)

Example:
  eval "\$(scripts/$PROG start)"      # sets bootstrap, dir, pid, ...
  scripts/$PROG tool topics --bootstrap-server "\$bootstrap" \\
      --create --topic measurements --partitions 3
  scripts/$PROG stop --dir "\$dir"
EOF
}

# ---------------------------------------------------------------------------
# fetch

pom_checksum() {
  sha256sum "$KAFKA_FILES/pom.xml" | cut -d ' ' -f 1
}

is_fetched() {
  [[ -f "$FETCH_STAMP" && -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] &&
    [[ "$(cat "$FETCH_STAMP")" == "$(pom_checksum)" ]]
}

# Copies the jars listed by scripts/kafka/pom.xml into $LIBS. Tries Maven
# offline first, so nothing contacts Maven Central once ~/.m2 contains the jars.
# All output goes to stderr, because `start` keeps stdout for its result lines.
fetch_jars() {
  if is_fetched; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found; install Maven 3 to fetch the Kafka jars"
  mkdir -p "$KAFKA_HOME"

  # Concurrent fetches (parallel tests) wait here instead of racing on $LIBS.
  exec 9>"$KAFKA_HOME/fetch.lock"
  flock 9
  if is_fetched; then
    exec 9>&-
    return 0
  fi

  # Staging folders left by an interrupted fetch; no other fetch runs now.
  rm -rf "$KAFKA_HOME"/libs.staging.*
  local staging
  staging="$(mktemp -d "$KAFKA_HOME/libs.staging.XXXXXX")"
  local mvn_args=(
    -B -q -Dstyle.color=never -f "$KAFKA_FILES/pom.xml"
    dependency:copy-dependencies
    -DincludeScope=runtime
    "-DoutputDirectory=$staging"
  )
  log "copying the Kafka $KAFKA_VERSION jars into $LIBS"
  if ! mvn -o "${mvn_args[@]}" >/dev/null 2>&1; then
    log "some jars are not in the local Maven repository; downloading them from Maven Central"
    if ! mvn "${mvn_args[@]}" >&2; then
      rm -rf "$staging"
      die "mvn failed to fetch the jars of $KAFKA_FILES/pom.xml; check access to Maven Central (see the Maven output above)"
    fi
  fi

  rm -rf "$LIBS"
  mv "$staging" "$LIBS"
  pom_checksum >"$FETCH_STAMP"
  exec 9>&-
  log "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars into $LIBS"
}

cmd_fetch() {
  [[ $# -eq 0 ]] || die "fetch takes no arguments, got: $*"
  if is_fetched; then
    log "Kafka $KAFKA_VERSION jars are already in $LIBS"
    return 0
  fi
  fetch_jars
}

# ---------------------------------------------------------------------------
# Java

check_java() {
  command -v "$JAVA" >/dev/null || die "java not found; install Java $MIN_JAVA_MAJOR or newer, or set JAVA_HOME"
  local version major
  version="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  major="${version%%[.+-]*}"
  if [[ "$major" == 1 ]]; then
    # Java 8 and older report 1.MAJOR.
    major="$(cut -d . -f 2 <<<"$version")"
  fi
  [[ "$major" =~ ^[0-9]+$ ]] || die "failed to read the Java version from the output of '$JAVA -version'"
  ((major >= MIN_JAVA_MAJOR)) ||
    die "Kafka $KAFKA_VERSION needs Java $MIN_JAVA_MAJOR or newer, but $JAVA is version $version; set JAVA_HOME"
}

# Prints the main class of a tool name, or fails for an unknown name.
tool_class() {
  local entry
  for entry in "${TOOLS[@]}"; do
    if [[ "${entry%% *}" == "$1" ]]; then
      printf '%s\n' "${entry#* }"
      return 0
    fi
  done
  return 1
}

# Fills TOOL_COMMAND with the java command that runs a Kafka main class with
# the tool logging setup. -XX:+DisplayVMOutputToStderr keeps JVM warnings out
# of the tool's stdout.
TOOL_COMMAND=()
set_tool_command() {
  # shellcheck disable=SC2206
  TOOL_COMMAND=(
    "$JAVA" $TOOL_HEAP_OPTS -XX:+DisplayVMOutputToStderr -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$KAFKA_FILES/log4j2-tools.properties"
    -cp "$LIBS/*" "$1"
  )
}

cmd_tool() {
  [[ $# -ge 1 ]] || die "tool needs a NAME; run '$PROG --help' for the list"
  local name="$1" class
  shift
  class="$(tool_class "$name")" || die "unknown tool '$name'; run '$PROG --help' for the list"
  fetch_jars
  check_java
  set_tool_command "$class"
  exec "${TOOL_COMMAND[@]}" "$@"
}

# ---------------------------------------------------------------------------
# start

is_port() {
  [[ "$1" =~ ^[1-9][0-9]{0,4}$ ]] && (($1 <= 65535))
}

# Prints COUNT distinct free TCP ports on 127.0.0.1, one per line. The kernel
# picks them (bind to port 0). Another process can take a port before the
# broker binds it, so cmd_start retries with new ports on a bind failure.
pick_free_ports() {
  command -v python3 >/dev/null ||
    die "python3 not found, so no free port can be picked; pass --port and --controller-port"
  python3 - "$1" <<'PY'
import socket
import sys

sockets = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    sockets.append(s)
for s in sockets:
    print(s.getsockname()[1])
    s.close()
PY
}

# Prints a random Kafka cluster id: 16 random bytes in unpadded URL-safe base64
# (22 characters), the format of org.apache.kafka.common.Uuid. Like
# Uuid.randomUuid() in Kafka 4.4.0, it draws again when the id contains '-',
# so the id never reads as a command-line option.
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    if [[ "$id" != *-* ]]; then
      printf '%s\n' "$id"
      return 0
    fi
  done
}

# Prints the value of KEY from a KEY=VALUE file, or nothing.
read_setting() {
  sed -n "s/^$1=//p" "$2" | tail -n 1
}

write_broker_config() {
  local dir="$1" port="$2" controller_port="$3"
  cat >"$dir/server.properties" <<EOF
$CONFIG_MARKER
# The broker and its controller run in one process and listen on loopback only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT

log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=false

# One broker, so every internal topic has one replica. One partition each
# keeps the first group and transaction requests fast (the defaults are 50).
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Consumers in tests join a group without the default 3 s wait.
group.initial.rebalance.delay.ms=0
EOF
}

# Seconds that `start` allows for startup (--timeout).
STARTUP_TIMEOUT=60

# Broker started by this invocation of `start` that is not ready yet, and its
# folder. The EXIT trap kills it, so a failed or interrupted start leaves no
# java process.
STARTING_PID=""
STARTING_DIR=""

on_start_exit() {
  if [[ -n "$STARTING_PID" ]]; then
    log "startup did not finish; stopping the starting broker (pid $STARTING_PID)"
    kill_starting_broker
    log "the broker folder $STARTING_DIR is kept for inspection; delete it with: scripts/$PROG stop --dir '$STARTING_DIR'"
  fi
}

kill_starting_broker() {
  if [[ -n "$STARTING_PID" ]] && kill -0 "$STARTING_PID" 2>/dev/null; then
    kill -TERM "$STARTING_PID" 2>/dev/null || true
    local waited=0
    while kill -0 "$STARTING_PID" 2>/dev/null && ((waited < 100)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    kill -KILL "$STARTING_PID" 2>/dev/null || true
    wait "$STARTING_PID" 2>/dev/null || true
  fi
  STARTING_PID=""
}

# Kills the starting broker, prints the tail of its log to stderr and exits.
fail_start() {
  local dir="$1" message="$2"
  kill_starting_broker
  rm -f "$dir/broker.pid"
  log "error: $message"
  if grep -q -E '^\[[^]]*\] (ERROR|FATAL) ' "$dir/broker.log" 2>/dev/null; then
    log "first errors in $dir/broker.log:"
    grep -m 5 -E '^\[[^]]*\] (ERROR|FATAL) ' "$dir/broker.log" >&2
  fi
  if [[ -s "$dir/broker.log" ]]; then
    log "last 20 lines of $dir/broker.log:"
    tail -n 20 "$dir/broker.log" >&2
  fi
  log "the broker folder $dir is kept for inspection; delete it with: scripts/$PROG stop --dir '$dir'"
  exit 1
}

# Log lines of Kafka 4.4.0 that wait_until_ready looks for.
readonly STARTED_LINE='Kafka Server started'
readonly BIND_ERROR_LINE='Address already in use'

# Waits until the broker has started and returns a topic list on PORT, which
# needs working metadata. Returns 0 when ready, 1 when the process exited
# (broker.log contains the reason), 2 when DEADLINE (in $SECONDS) passed, and
# 3 when the broker could not bind a port.
#
# A topic list alone proves nothing, because another process may have taken
# PORT and returned the list while this broker failed. So the broker's own log
# must first report that it started, which it does only after binding its
# listeners.
wait_until_ready() {
  local pid="$1" port="$2" deadline="$3" dir="$4"

  while ! grep -q "$STARTED_LINE" "$dir/broker.log"; do
    if grep -q "$BIND_ERROR_LINE" "$dir/broker.log"; then
      return 3
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    ((SECONDS < deadline)) || return 2
    sleep 0.2
  done

  local remaining
  while :; do
    kill -0 "$pid" 2>/dev/null || return 1
    remaining=$((deadline - SECONDS))
    ((remaining > 0)) || return 2
    # --foreground keeps the tool in the terminal's process group, so Ctrl-C
    # reaches it.
    if timeout --foreground "$remaining" "$SCRIPT_DIR/$PROG" tool topics \
      --bootstrap-server "127.0.0.1:$port" --list >/dev/null 2>"$dir/ready-check.log"; then
      rm -f "$dir/ready-check.log"
      return 0
    fi
    sleep 1
  done
}

# Formats the storage if needed, launches the broker and waits for it. Exits
# the script on failure, except when the broker could not bind its ports: then
# it sets BIND_FAILED=true, so the caller can pick other ports.
BIND_FAILED=false
start_broker() {
  local dir="$1" port="$2" controller_port="$3" cluster_id="$4" deadline="$5"

  write_broker_config "$dir" "$port" "$controller_port"
  cat >"$dir/broker.env" <<EOF
PORT=$port
CONTROLLER_PORT=$controller_port
CLUSTER_ID=$cluster_id
EOF

  if [[ ! -f "$dir/data/meta.properties" ]]; then
    set_tool_command kafka.tools.StorageTool
    if ! "${TOOL_COMMAND[@]}" format --cluster-id "$cluster_id" \
      --config "$dir/server.properties" >"$dir/storage-format.log" 2>&1; then
      log "error: formatting the broker storage in $dir/data failed:"
      cat "$dir/storage-format.log" >&2
      log "the broker folder $dir is kept for inspection; delete it with: scripts/$PROG stop --dir '$dir'"
      exit 1
    fi
  fi

  # The background job opens broker.log itself, maybe after wait_until_ready
  # first reads it, so the file is created here.
  : >"$dir/broker.log"
  # Background commands of a non-interactive shell ignore SIGINT, so Ctrl-C
  # in the terminal does not stop the broker. `stop` sends SIGTERM.
  # shellcheck disable=SC2086
  "$JAVA" $BROKER_HEAP_OPTS -XX:+UseG1GC -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$KAFKA_FILES/log4j2-broker.properties" \
    -cp "$LIBS/*" kafka.Kafka "$dir/server.properties" \
    </dev/null >"$dir/broker.log" 2>&1 &
  STARTING_PID=$!
  printf '%s\n' "$STARTING_PID" >"$dir/broker.pid"

  BIND_FAILED=false
  local status=0
  wait_until_ready "$STARTING_PID" "$port" "$deadline" "$dir" || status=$?
  case "$status" in
    0) return 0 ;;
    3)
      kill_starting_broker
      BIND_FAILED=true
      return 0
      ;;
    1)
      fail_start "$dir" "the broker (pid $STARTING_PID) exited during startup; its log is $dir/broker.log"
      ;;
    *)
      local detail=""
      if [[ -s "$dir/ready-check.log" ]]; then
        detail="; the last topic list attempt wrote: $(tail -n 3 "$dir/ready-check.log" | tr '\n' ' ')"
      fi
      fail_start "$dir" "the broker on 127.0.0.1:$port was not ready within the startup timeout of ${STARTUP_TIMEOUT} s (--timeout)${detail}; its log is $dir/broker.log"
      ;;
  esac
}

cmd_start() {
  local port="" controller_port="" dir="" timeout_seconds=60
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port) port="${2:-}"; shift 2 || die "--port needs a value" ;;
      --controller-port) controller_port="${2:-}"; shift 2 || die "--controller-port needs a value" ;;
      --dir) dir="${2:-}"; shift 2 || die "--dir needs a value" ;;
      --timeout) timeout_seconds="${2:-}"; shift 2 || die "--timeout needs a value" ;;
      *) die "unknown start option '$1'; run '$PROG --help'" ;;
    esac
  done
  if [[ -n "$port" ]] && ! is_port "$port"; then
    die "invalid --port '$port'; expected a TCP port number from 1 to 65535"
  fi
  if [[ -n "$controller_port" ]] && ! is_port "$controller_port"; then
    die "invalid --controller-port '$controller_port'; expected a TCP port number from 1 to 65535"
  fi
  if [[ -n "$port" && "$port" == "$controller_port" ]]; then
    die "--port and --controller-port must differ, both are $port"
  fi
  [[ "$timeout_seconds" =~ ^[1-9][0-9]*$ ]] ||
    die "invalid --timeout '$timeout_seconds'; expected a whole number of seconds, at least 1"

  fetch_jars
  check_java

  local cluster_id=""
  # The path is resolved with pwd -P because `stop` finds the broker process
  # by the exact path of its server.properties.
  # log.dirs is a comma-separated list, and a backslash starts an escape in a
  # properties file.
  [[ "$dir" != *[,\\]* ]] || die "the broker folder path '$dir' must not contain ',' or '\\'"
  if [[ -z "$dir" ]]; then
    dir="$(mktemp -d "${TMPDIR:-/tmp}/radstream-kafka.XXXXXX")"
    dir="$(cd "$dir" && pwd -P)"
  else
    mkdir -p "$dir" || die "failed to create the broker folder '$dir'"
    dir="$(cd "$dir" && pwd -P)"
    if [[ -f "$dir/data/meta.properties" && -f "$dir/broker.env" ]]; then
      local old_pid
      old_pid="$(cat "$dir/broker.pid" 2>/dev/null || true)"
      if [[ -n "$old_pid" ]] && is_broker_of "$old_pid" "$dir"; then
        die "a broker is already running in $dir (pid $old_pid); stop it with: scripts/$PROG stop --dir '$dir'"
      fi
      # A broker kept by `stop --keep` restarts with its cluster id, data and ports.
      cluster_id="$(read_setting CLUSTER_ID "$dir/broker.env")"
      port="${port:-$(read_setting PORT "$dir/broker.env")}"
      controller_port="${controller_port:-$(read_setting CONTROLLER_PORT "$dir/broker.env")}"
      log "restarting the broker kept in $dir"
    elif [[ -n "$(ls -A "$dir")" ]]; then
      die "the broker folder $dir is not empty and contains no broker kept by 'stop --keep'; pass a new or empty folder"
    fi
  fi
  # The resolved path can differ from the one given (symbolic links).
  [[ "$dir" != *[,\\]* ]] || die "the broker folder path '$dir' must not contain ',' or '\\'"
  cluster_id="${cluster_id:-$(new_cluster_id)}"

  STARTING_DIR="$dir"
  trap on_start_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  STARTUP_TIMEOUT="$timeout_seconds"
  local deadline=$((SECONDS + timeout_seconds))
  local pick_port=false pick_controller_port=false attempt
  [[ -n "$port" ]] || pick_port=true
  [[ -n "$controller_port" ]] || pick_controller_port=true
  for attempt in 1 2 3; do
    if $pick_port || $pick_controller_port; then
      local free_ports=()
      mapfile -t free_ports < <(pick_free_ports 2)
      [[ ${#free_ports[@]} -eq 2 ]] || die "picking free ports on 127.0.0.1 failed"
      if $pick_port; then port="${free_ports[0]}"; fi
      if $pick_controller_port; then controller_port="${free_ports[1]}"; fi
      # A given --port can equal the port the kernel picked for the controller.
      if [[ "$port" == "$controller_port" ]]; then controller_port="${free_ports[0]}"; fi
    fi

    start_broker "$dir" "$port" "$controller_port" "$cluster_id" "$deadline"
    $BIND_FAILED || break

    local busy_port
    busy_port="$(sed -n 's/.*failed to bind to 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/broker.log" | head -n 1)"
    if ((attempt == 3)) ||
      { [[ "$busy_port" == "$port" ]] && ! $pick_port; } ||
      { [[ "$busy_port" == "$controller_port" ]] && ! $pick_controller_port; }; then
      fail_start "$dir" "the broker could not bind 127.0.0.1:${busy_port:-$port} because another process uses it; pick another port or stop that process; the broker log is $dir/broker.log"
    fi
    log "port ${busy_port:-$port} was taken before the broker bound it; retrying with other ports"
    # Only a new broker picks ports (a restart reuses its own), so its storage
    # contains no data yet. Formatting again drops any record of the old ports.
    rm -rf "$dir/data"
  done

  local pid="$STARTING_PID"
  STARTING_PID=""
  trap - EXIT INT TERM

  printf 'bootstrap=127.0.0.1:%s\n' "$port"
  printf 'controller=127.0.0.1:%s\n' "$controller_port"
  printf 'dir=%s\n' "$dir"
  printf 'pid=%s\n' "$pid"
  printf 'log=%s\n' "$dir/broker.log"
}

# ---------------------------------------------------------------------------
# stop

# Succeeds when PID is a live broker process started for DIR. A recycled PID,
# an exited broker and a zombie (empty command line) all fail.
is_broker_of() {
  local pid="$1" dir="$2" cmdline
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    cmdline="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  else
    cmdline="$(ps -o args= -p "$pid" 2>/dev/null)" || return 1
  fi
  [[ "$cmdline" == *kafka.Kafka*"$dir/server.properties"* ]]
}

cmd_stop() {
  local dir="" keep=false timeout_seconds=30
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --dir) dir="${2:-}"; shift 2 || die "--dir needs a value" ;;
      --keep) keep=true; shift ;;
      --timeout) timeout_seconds="${2:-}"; shift 2 || die "--timeout needs a value" ;;
      *) die "unknown stop option '$1'; run '$PROG --help'" ;;
    esac
  done
  [[ -n "$dir" ]] || die "stop needs --dir DIR (the dir= line printed by start)"
  [[ "$timeout_seconds" =~ ^[0-9]+$ ]] ||
    die "invalid --timeout '$timeout_seconds'; expected a whole number of seconds"
  [[ -d "$dir" ]] || die "broker folder not found: $dir"
  dir="$(cd "$dir" && pwd -P)"
  if [[ "$(head -n 1 "$dir/server.properties" 2>/dev/null)" != "$CONFIG_MARKER" ]]; then
    die "$dir has no server.properties written by $PROG, so it is left untouched"
  fi

  local pid
  pid="$(cat "$dir/broker.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && is_broker_of "$pid" "$dir"; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + timeout_seconds))
    while is_broker_of "$pid" "$dir" && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if is_broker_of "$pid" "$dir"; then
      log "the broker (pid $pid) did not shut down within ${timeout_seconds} s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while is_broker_of "$pid" "$dir"; do
        sleep 0.1
      done
    fi
    log "stopped the broker of $dir (pid $pid)"
  else
    log "no broker is running in $dir"
  fi
  rm -f "$dir/broker.pid"

  if $keep; then
    log "kept $dir; start it again with: scripts/$PROG start --dir '$dir'"
  else
    rm -rf "$dir"
  fi
}

# ---------------------------------------------------------------------------

main() {
  if [[ $# -eq 0 ]]; then
    usage >&2
    exit 2
  fi
  local command="$1"
  shift
  case "$command" in
    fetch) cmd_fetch "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    tool) cmd_tool "$@" ;;
    --help | -h | help) usage ;;
    *) die "unknown command '$command'; run '$PROG --help'" ;;
  esac
}

main "$@"
