#pragma once

#include "radstream/core/event_time.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace radstream::config {

// One section struct per table of radstream.toml. Every default here is the
// documented default in docs/configuration.md.

struct kafka_config {
    std::string brokers;  // bootstrap servers; empty selects the embedded topics
    std::string group_id = "radstream";
    std::string compression = "lz4";  // none, gzip, snappy, lz4 or zstd
    std::chrono::milliseconds linger{5};
    int batch_size_bytes = 1 << 20;
    // How long to retry an unreachable cluster at start before giving up.
    std::chrono::seconds startup_timeout{60};
    // The process stage's transactional.id with exactly_once; empty means
    // "radstream-<group_id>". Each instance needs its own, stable across restarts.
    std::string transactional_id;
    // librdkafka properties passed through unchanged (security.protocol,
    // sasl.mechanism, sasl.username, ssl.ca.location, ...).
    std::map<std::string, std::string> client;
};

// Settings used to create a topic in Kafka when it is missing, and to check it when it exists.
struct topic_settings {
    int partitions = 4;
    int replication_factor = 1;
    std::int64_t retention_ms = 7LL * 24 * 3600 * 1000;
};

struct topics_config {
    std::string input = "radiation-data";
    std::string processed = "processed-data-output";
    std::string critical = "critical-data";
    std::string dirty = "dirty-data";
    topic_settings input_settings;
    topic_settings processed_settings;
    topic_settings critical_settings;
    topic_settings dirty_settings;
};

struct embedded_config {
    int partitions = 4;               // partitions of every embedded topic
    int partition_capacity = 8192;    // unread records a partition holds before its writers wait
    std::filesystem::path output_dir = "out";  // JSON Lines copies of the output topics
};

// One input file and how to read it.
struct input_config {
    std::filesystem::path path;
    std::string format;  // a registered source: safecast_csv, csv or bgeigie
    // For format "csv": radstream field name -> CSV header name.
    std::map<std::string, std::string> columns;
    // Field values used when the row has no such column or the cell is empty.
    std::map<std::string, std::string> defaults;
};

struct ingest_config {
    int batch_size = 500;                       // records per send to radiation-data
    std::chrono::milliseconds send_delay{0};    // pause after each batch
    double playback_speed = 0;                  // 1 = as captured, 0 = as fast as possible
    std::chrono::milliseconds playback_max_pause{2000};  // longer gaps in event time are cut to this
    bool sort_by_capture_time = true;           // sort each chunk by capture time before sending
    int chunk_records = 10000;                  // records read and sorted together
};

enum class guarantee { exactly_once, at_least_once };

struct process_config {
    int partitions = 2;  // in-process partitions, each one thread
    std::vector<std::string> operators{"dedup", "validate", "enrich", "route"};
    int queue_capacity = 64;  // batches waiting per partition
    // How often delivered outputs are checkpointed and input offsets committed.
    std::chrono::milliseconds commit_interval{1000};
    // In Kafka mode, whether each commit is one transaction (exactly_once)
    // or outputs are delivered before offsets are committed (at_least_once).
    guarantee processing = guarantee::exactly_once;
};

struct dedup_config {
    std::chrono::seconds ttl{std::chrono::hours{24 * 7}};  // in event time
    std::int64_t max_entries = 1'000'000;                  // per process, split over partitions
};

struct validate_config {
    core::event_time min_capture_time{std::chrono::sys_days{std::chrono::year{2011} / 3 / 1}};
    std::chrono::seconds max_clock_skew{300};
    bool reject_null_island = true;
    // Normalized unit -> CPM per one unit; cpm is always 1.
    std::map<std::string, double> units{{"cpm", 1.0}};
    int raw_max_bytes = 1024;  // raw input kept in a dirty record
};

struct enrich_config {
    double moderate_cpm = 50;    // low below this
    double high_cpm = 200;       // moderate below this, high from it
    double critical_cpm = 1000;  // critical at or above
    double cpm_per_usvh = 334;   // LND 7317 tube of the bGeigie
};

// The treatment of a valid reading whose capture second was already released.
enum class late_policy {
    flag,   // released at once to its normal topic with "late": true
    dirty,  // sent to dirty-data with reason late
    topic,  // sent to event_time.late_topic
};

struct event_time_config {
    bool enabled = true;  // hold valid readings and release them by capture second
    std::chrono::milliseconds out_of_orderness{5000};
    std::chrono::milliseconds idle_timeout{30000};
    late_policy late = late_policy::flag;
    std::string late_topic = "late-data";
    // Records the dispatcher may hold while it waits for a quiet input
    // partition to take the next record in capture-time order.
    std::int64_t alignment_buffer_records = 200'000;
};

struct web_config {
    bool enabled = true;
    std::string address = "127.0.0.1";
    int port = 8000;
    std::chrono::milliseconds batch_interval{100};
    int client_queue_batches = 64;  // batches queued per browser before it is disconnected
    int max_batch_readings = 2000;  // above this per batch, readings are thinned per map cell
};

struct log_config {
    std::string level = "info";
    std::string format = "text";  // text or json
    std::chrono::milliseconds progress_interval{10000};  // between progress log lines
};

struct shutdown_config {
    // How long SIGINT or SIGTERM may take to drain, flush and commit before
    // the process exits with the runtime-failure code.
    std::chrono::milliseconds timeout{30000};
};

struct app_config {
    std::filesystem::path file;  // the file read, for messages
    kafka_config kafka;
    topics_config topics;
    embedded_config embedded;
    std::vector<input_config> inputs;
    ingest_config ingest;
    process_config process;
    dedup_config dedup;
    validate_config validate;
    enrich_config enrich;
    event_time_config event_time;
    web_config web;
    std::vector<std::string> sinks{"jsonl", "websocket"};
    log_config log;
    shutdown_config shutdown;
};

// The process stage's identity with exactly_once: its transactional.id
// and its consumer's group.instance.id (kafka.transactional_id, or
// "radstream-<group_id>").
std::string process_instance_id(const app_config& config);

// Reads and checks a config file with the process environment's overrides
// (see parse_config), then applies apply_environment. Relative
// paths in it are resolved against the file's folder. Throws config_error listing every problem found, each
// as `file:line:column: key: what is wrong; what is allowed`.
app_config load_config(const std::filesystem::path& file);

// Applies the environment variables that override the file, so secrets and
// broker addresses need not sit in it: RADSTREAM_KAFKA_BROKERS,
// RADSTREAM_KAFKA_GROUP_ID, and RADSTREAM_KAFKA_CLIENT_<PROPERTY> for a
// librdkafka property, with `_` read as `.` (RADSTREAM_KAFKA_CLIENT_SASL_PASSWORD
// sets sasl.password). load_config calls it with the process environment.
void apply_environment(app_config& config, char** environment);

// Reads and checks TOML text as load_config does; `name` stands for the
// file in messages and `base` resolves relative paths. With `environment`
// (a null-terminated array of NAME=value strings), RADSTREAM_<SECTION>__<KEY>
// variables override the keys they name, such as RADSTREAM_WEB__PORT=9000
// or RADSTREAM_EVENT_TIME__IDLE_TIMEOUT_MS=60000, and are checked like them.
app_config parse_config(std::string_view text, const std::string& name, const std::filesystem::path& base,
                        char** environment = nullptr);

class config_error : public std::runtime_error {
public:
    explicit config_error(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const { return problems_; }

private:
    std::vector<std::string> problems_;
};

} // namespace radstream::config
