#include "run_status.hpp"

#include "radstream/core/json_writer.hpp"

#include <fmt/format.h>

#include <cmath>

namespace radstream::app {

topic_rates::totals topic_totals(const run_status& status) {
    const auto counts = status.process ? status.process->counters() : graph::counters_snapshot{};
    const auto& topics = status.config->topics;
    topic_rates::totals totals{{topics.processed, counts.processed},
                               {topics.critical, counts.critical},
                               {topics.dirty, counts.dirty}};
    totals[topics.input] = status.ingest ? status.ingest->readings_sent() : counts.input;
    return totals;
}

namespace {

std::string topics_json(const run_status& status) {
    const auto rates = status.rates.per_second();
    std::string out;
    core::json_object_writer json(out);
    for (const auto& [topic, records] : topic_totals(status)) {
        std::string entry;
        core::json_object_writer item(entry);
        const auto rate = rates.find(topic);
        item.field("records", records).field("per_second", rate == rates.end() ? 0.0 : rate->second);
        item.finish();
        json.raw_field(topic, entry);
    }
    json.finish();
    return out;
}

std::string dirty_examples_json(const run_status& status) {
    std::string out = "[";
    if (status.process) {
        for (const auto& example : status.process->dirty_examples()) {
            std::string entry;
            core::json_object_writer item(entry);
            item.field("reason", core::to_string(example.reason))
                .field("message", example.message)
                .field("source", example.source)
                .field("timestamp", example.timestamp);
            item.finish();
            out += (out.size() > 1 ? "," : "") + entry;
        }
    }
    return out + "]";
}

// The event-time state: the overall watermark, each input partition's
// watermark and idle state, and the groups held for temporal ordering.
std::string event_time_json(const run_status& status) {
    const auto state = status.process ? status.process->event_time() : graph::event_time_status{};
    std::string partitions = "[";
    for (const auto& [partition, watermark] : state.partitions) {
        std::string entry;
        core::json_object_writer item(entry);
        item.field("partition", static_cast<std::int64_t>(partition));
        if (watermark.watermark) {
            item.field("watermark", core::format_timestamp(*watermark.watermark));
        } else {
            item.null_field("watermark");
        }
        item.field("idle", watermark.idle);
        item.finish();
        partitions += (partitions.size() > 1 ? "," : "") + entry;
    }
    partitions += "]";
    std::string out;
    core::json_object_writer json(out);
    if (state.watermark) {
        json.field("watermark", core::format_timestamp(*state.watermark));
    } else {
        json.null_field("watermark");
    }
    json.raw_field("partitions", partitions)
        .field("open_groups", static_cast<std::uint64_t>(state.open_groups))
        .field("held_readings", static_cast<std::uint64_t>(state.held_readings))
        .field("aligning_records", static_cast<std::uint64_t>(state.aligning_records));
    json.finish();
    return out;
}

// A latency distribution in milliseconds: count, quantiles and maximum.
std::string latency_json(const core::latency_histogram::summary& latency) {
    std::string out;
    core::json_object_writer json(out);
    const auto millis = [](std::uint64_t micros) { return static_cast<double>(micros) / 1e3; };
    json.field("count", latency.count)
        .field("p50_ms", millis(latency.p50_micros))
        .field("p90_ms", millis(latency.p90_micros))
        .field("p99_ms", millis(latency.p99_micros))
        .field("p999_ms", millis(latency.p999_micros))
        .field("max_ms", millis(latency.max_micros));
    json.finish();
    return out;
}

core::latency_histogram::summary consume_to_produce(const run_status& status) {
    return status.process ? status.process->consume_to_produce().summarize() : core::latency_histogram::summary{};
}

core::latency_histogram::summary ingest_to_websocket(const run_status& status) {
    return status.hub ? status.hub->ingest_to_websocket().summarize() : core::latency_histogram::summary{};
}

} // namespace

std::string stats_json(const run_status& status) {
    const auto counts = status.process ? status.process->counters() : graph::counters_snapshot{};
    std::string by_reason;
    {
        core::json_object_writer reasons(by_reason);
        for (const auto reason : core::all_dirty_reasons) {
            reasons.field(core::to_string(reason), counts.dirty_by_reason[static_cast<std::size_t>(reason)]);
        }
        reasons.finish();
    }
    const std::chrono::duration<double> uptime = std::chrono::steady_clock::now() - status.started;
    const std::uint64_t ingested = status.ingest ? status.ingest->readings_sent() : 0;
    std::string out;
    core::json_object_writer json(out);
    json.field("input", counts.input)
        .field("processed", counts.processed)
        .field("critical", counts.critical)
        .field("dirty", counts.dirty)
        .field("duplicates", counts.duplicates)
        .field("filtered", counts.filtered)
        .field("late", counts.late)
        .field("late_topic", counts.late_topic)
        .raw_field("dirty_by_reason", by_reason)
        .field("ingested", ingested)
        .field("ingest_done", status.ingest ? status.ingest->done() : false)
        .field("playback_speed", status.ingest ? status.ingest->playback_speed() : 0.0)
        .raw_field("event_time", event_time_json(status))
        .raw_field("topics", topics_json(status))
        .raw_field("dirty_examples", dirty_examples_json(status));
    // Records written to the input topic and not yet processed, when this
    // process runs both ends.
    if (status.process && status.ingest) {
        const std::uint64_t written = status.ingest->readings_sent();
        json.field("consumer_lag", written > counts.input ? written - counts.input : std::uint64_t{0});
    } else {
        json.null_field("consumer_lag");
    }
    if (const auto watermark = status.process ? status.process->event_time().watermark : std::nullopt) {
        json.field("watermark", core::format_timestamp(*watermark));
    } else {
        json.null_field("watermark");
    }
    json.field("dedup_entries", counts.dedup_entries)
        .field("dedup_evicted_ttl", counts.dedup_evicted_ttl)
        .field("dedup_evicted_capacity", counts.dedup_evicted_capacity)
        .field("map_readings", status.hub ? status.hub->readings_published() : 0)
        .field("websocket_clients", static_cast<std::uint64_t>(status.hub ? status.hub->client_count() : 0))
        .field("websocket_slow_disconnects", status.hub ? status.hub->slow_client_disconnects() : 0)
        .field("websocket_thinned", status.hub ? status.hub->readings_thinned() : 0);
    std::string latency;
    {
        core::json_object_writer latencies(latency);
        latencies.raw_field("consume_to_produce", latency_json(consume_to_produce(status)))
            .raw_field("ingest_to_websocket", latency_json(ingest_to_websocket(status)));
        latencies.finish();
    }
    json.raw_field("latency", latency).field("uptime_seconds", uptime.count());
    json.finish();
    return out;
}

namespace {

// Writes metric families in the Prometheus text exposition format (0.0.4):
// HELP and TYPE once per family, then one line per sample.
class metrics_writer {
public:
    explicit metrics_writer(std::string& out) : out_(out) {}

    metrics_writer& family(std::string_view name, std::string_view type, std::string_view help) {
        name_ = name;
        out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
        return *this;
    }

    // One sample of the current family; `labels` are name and value pairs.
    metrics_writer& sample(double value, std::initializer_list<std::pair<std::string_view, std::string_view>> labels = {}) {
        out_ += name_;
        if (labels.size() > 0) {
            out_ += '{';
            bool first = true;
            for (const auto& [label, text] : labels) {
                out_ += first ? "" : ",";
                first = false;
                out_ += label;
                out_ += "=\"";
                append_label_value(text);
                out_ += '"';
            }
            out_ += '}';
        }
        out_ += ' ';
        if (std::isfinite(value)) {
            out_ += fmt::format("{}", value);
        } else {
            out_ += std::isnan(value) ? "NaN" : (value > 0 ? "+Inf" : "-Inf");
        }
        out_ += '\n';
        return *this;
    }

    // A summary family from a latency histogram: quantile samples, then
    // _sum and _count.
    metrics_writer& latency_summary(std::string_view name, std::string_view help,
                                    const core::latency_histogram::summary& latency) {
        const auto seconds = [](std::uint64_t micros) { return static_cast<double>(micros) / 1e6; };
        family(name, "summary", help);
        sample(seconds(latency.p50_micros), {{"quantile", "0.5"}});
        sample(seconds(latency.p90_micros), {{"quantile", "0.9"}});
        sample(seconds(latency.p99_micros), {{"quantile", "0.99"}});
        sample(seconds(latency.p999_micros), {{"quantile", "0.999"}});
        out_ += fmt::format("{}_sum {}\n{}_count {}\n", name, seconds(latency.sum_micros), name, latency.count);
        return *this;
    }

private:
    // Escapes backslash, double quote and line feed, as the format requires.
    void append_label_value(std::string_view text) {
        for (const char c : text) {
            if (c == '\\') {
                out_ += "\\\\";
            } else if (c == '"') {
                out_ += "\\\"";
            } else if (c == '\n') {
                out_ += "\\n";
            } else {
                out_ += c;
            }
        }
    }

    std::string& out_;
    std::string_view name_;
};

double as_double(std::uint64_t value) {
    return static_cast<double>(value);
}

} // namespace

std::string metrics_text(const run_status& status) {
    const auto counts = status.process ? status.process->counters() : graph::counters_snapshot{};
    const auto event_time = status.process ? status.process->event_time() : graph::event_time_status{};
    const auto& topics = status.config->topics;
    std::string out;
    metrics_writer metrics(out);

    metrics.family("radstream_records_in_total", "counter", "Records the process stage read from its input topic.");
    metrics.sample(as_double(counts.input), {{"topic", topics.input}});

    metrics.family("radstream_records_out_total", "counter", "Records this process wrote, by topic.");
    metrics.sample(as_double(status.ingest ? status.ingest->readings_sent() : 0), {{"topic", topics.input}});
    metrics.sample(as_double(counts.processed), {{"topic", topics.processed}});
    metrics.sample(as_double(counts.critical), {{"topic", topics.critical}});
    metrics.sample(as_double(counts.dirty), {{"topic", topics.dirty}});
    if (status.config->event_time.late == config::late_policy::topic) {
        metrics.sample(as_double(counts.late_topic), {{"topic", status.config->event_time.late_topic}});
    }

    metrics.family("radstream_dirty_records_total", "counter", "Records written to the dirty topic, by reason.");
    for (const auto reason : core::all_dirty_reasons) {
        metrics.sample(as_double(counts.dirty_by_reason[static_cast<std::size_t>(reason)]),
                       {{"reason", core::to_string(reason)}});
    }
    metrics.family("radstream_duplicates_total", "counter", "Readings dropped as repeats of a key seen before.");
    metrics.sample(as_double(counts.duplicates));
    metrics.family("radstream_filtered_records_total", "counter",
                   "Records an operator left without a destination topic.");
    metrics.sample(as_double(counts.filtered));
    metrics.family("radstream_late_readings_total", "counter",
                   "Readings whose capture second was already released, whatever the late policy.");
    metrics.sample(as_double(counts.late));

    metrics.family("radstream_dedup_entries", "gauge", "Keys held in the dedup state.");
    metrics.sample(as_double(counts.dedup_entries));
    metrics.family("radstream_dedup_evictions_total", "counter", "Keys removed from the dedup state, by cause.");
    metrics.sample(as_double(counts.dedup_evicted_ttl), {{"cause", "ttl"}});
    metrics.sample(as_double(counts.dedup_evicted_capacity), {{"cause", "capacity"}});

    if (event_time.watermark) {
        const std::chrono::duration<double> delay = std::chrono::system_clock::now() - *event_time.watermark;
        metrics.family("radstream_watermark_delay_seconds", "gauge",
                       "Wall-clock time minus the event-time watermark (large when replaying old data).");
        metrics.sample(delay.count());
    }
    metrics.family("radstream_event_time_open_groups", "gauge", "Capture-second groups held for temporal ordering.");
    metrics.sample(as_double(event_time.open_groups));
    metrics.family("radstream_event_time_held_readings", "gauge", "Readings held in open capture-second groups.");
    metrics.sample(as_double(event_time.held_readings));

    metrics.family("radstream_consumer_lag_records", "gauge",
                   "Records of an input partition not yet read by the process stage.");
    for (const auto& [partition, lag] : event_time.lag) {
        metrics.sample(static_cast<double>(lag), {{"topic", topics.input}, {"partition", std::to_string(partition)}});
    }
    metrics.family("radstream_offset_commits_total", "counter", "Checkpoints that committed input offsets.");
    metrics.sample(as_double(event_time.commits));
    if (const auto transactions = status.process ? status.process->transactions() : std::nullopt) {
        metrics.family("radstream_state_restored_entries", "gauge",
                       "Changelog entries read by the last state restore (exactly_once).");
        metrics.sample(as_double(event_time.restored_entries));
        metrics.family("radstream_state_restore_seconds", "gauge", "Time the last state restore took.");
        metrics.sample(event_time.restore_seconds);
        metrics.family("radstream_state_restores_total", "counter",
                       "State restores: one at the first assignment of input partitions and one per change of it.");
        metrics.sample(as_double(event_time.restores));
        metrics.family("radstream_transactions_total", "counter",
                       "Kafka transactions of the process stage (exactly_once), by result.");
        metrics.sample(as_double(transactions->committed), {{"result", "committed"}});
        metrics.sample(as_double(transactions->aborted), {{"result", "aborted"}});
    }

    if (status.process) {
        metrics.latency_summary("radstream_consume_to_produce_seconds",
                                "Time from polling an input record to handing its output record to the producer.",
                                consume_to_produce(status));
    }
    if (status.hub) {
        metrics.latency_summary("radstream_ingest_to_websocket_seconds",
                                "Time from a reading's ingestion_timestamp to its batch being queued for browsers.",
                                ingest_to_websocket(status));
    }

    metrics.family("radstream_websocket_clients", "gauge", "Browsers connected to the live map.");
    metrics.sample(as_double(status.hub ? status.hub->client_count() : 0));
    metrics.family("radstream_websocket_disconnects_total", "counter",
                   "Browsers disconnected because their send queue was full.");
    metrics.sample(as_double(status.hub ? status.hub->slow_client_disconnects() : 0), {{"reason", "slow_client"}});
    metrics.family("radstream_websocket_thinned_readings_total", "counter",
                   "Readings left out of map batches by per-cell thinning.");
    metrics.sample(as_double(status.hub ? status.hub->readings_thinned() : 0));

    metrics.family("radstream_http_requests_total", "counter", "HTTP responses sent, by status code.");
    if (status.server) {
        for (const auto& [code, count] : status.server->responses_by_status()) {
            metrics.sample(as_double(count), {{"code", std::to_string(code)}});
        }
    }

    const std::chrono::duration<double> uptime = std::chrono::steady_clock::now() - status.started;
    metrics.family("radstream_uptime_seconds", "gauge", "Seconds since the process started.");
    metrics.sample(uptime.count());
    metrics.family("radstream_build_info", "gauge", "Always 1; the label carries the radstream version.");
    metrics.sample(1, {{"version", RADSTREAM_VERSION}});
    return out;
}

readiness check_ready(const run_status& status) {
    std::string checks;
    core::json_object_writer json(checks);
    bool ready = true;
    if (status.kafka_mode) {
        const bool reachable = status.kafka_reachable.load() == 1;
        json.field("kafka", reachable ? "reachable" : "unreachable");
        ready = ready && reachable;
    }
    if (status.process && status.process->transactions()) {
        // The state of the assigned input partitions is restored before any
        // of their records is processed, again after each assignment change.
        const bool restored = status.process->event_time().restores > 0;
        json.field("state", restored ? "restored" : "waiting for input partitions");
        ready = ready && restored;
    }
    if (status.process) {
        const auto event_time = status.process->event_time();
        const bool failed = !status.process->failure().empty();
        json.field("process", failed ? "failed" : (event_time.assigned ? "reading" : "waiting for input partitions"));
        ready = ready && !failed && event_time.assigned;
    }
    if (status.ingest) {
        json.field("ingest", status.ingest->done() ? "done" : "running");
    }
    json.finish();

    readiness out;
    out.ready = ready;
    core::json_object_writer body(out.body);
    body.field("ready", ready).raw_field("checks", checks);
    body.finish();
    return out;
}

} // namespace radstream::app
