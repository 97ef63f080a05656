#include "radstream/app/runtime.hpp"

#include "radstream/core/json_writer.hpp"
#include "radstream/core/logging.hpp"
#include "radstream/graph/process_stage.hpp"
#include "radstream/ingest/ingest_stage.hpp"
#include "radstream/kafka/kafka_backend.hpp"
#include "radstream/operators/builtin_operators.hpp"
#include "radstream/sink/topic_sink.hpp"
#include "radstream/topic/embedded_backend.hpp"
#include "radstream/web/http_server.hpp"
#include "radstream/web/websocket_sink.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <csignal>
#include <deque>
#include <map>
#include <mutex>
#include <cstdio>
#include <optional>
#include <stdexcept>

namespace radstream::app {
namespace {

// Readings kept for a browser that connects late.
constexpr std::size_t web_history_readings = 5000;
constexpr auto progress_log_interval = std::chrono::seconds{10};

core::event_time wall_clock_now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// Records written per topic, sampled about once a second, so /api/stats
// can report a rate over the last few seconds.
class topic_rates {
public:
    using totals = std::map<std::string, std::uint64_t>;

    void sample(totals current) {
        std::lock_guard lock(mutex_);
        samples_.emplace_back(std::chrono::steady_clock::now(), std::move(current));
        while (samples_.size() > window_samples) {
            samples_.pop_front();
        }
    }

    // Records per second of each topic between the oldest and newest sample.
    std::map<std::string, double> per_second() const {
        std::lock_guard lock(mutex_);
        std::map<std::string, double> rates;
        if (samples_.size() < 2) {
            return rates;
        }
        const auto& [first_time, first] = samples_.front();
        const auto& [last_time, last] = samples_.back();
        const double seconds = std::chrono::duration<double>(last_time - first_time).count();
        for (const auto& [topic, count] : last) {
            const auto before = first.find(topic);
            const std::uint64_t earlier = before == first.end() ? 0 : before->second;
            rates[topic] = seconds > 0 ? static_cast<double>(count - earlier) / seconds : 0.0;
        }
        return rates;
    }

private:
    static constexpr std::size_t window_samples = 5;
    mutable std::mutex mutex_;
    std::deque<std::pair<std::chrono::steady_clock::time_point, totals>> samples_;
};

struct run_status {
    const config::app_config* config = nullptr;
    const graph::process_stage* process = nullptr;
    ingest::ingest_stage* ingest = nullptr;
    const web::live_hub* hub = nullptr;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    topic_rates rates;
};

// Records written to each topic by the stages of this process.
topic_rates::totals topic_totals(const run_status& status) {
    const auto counts = status.process ? status.process->counters() : graph::counters_snapshot{};
    const auto& topics = status.config->topics;
    topic_rates::totals totals{{topics.processed, counts.processed},
                               {topics.critical, counts.critical},
                               {topics.dirty, counts.dirty}};
    totals[topics.input] = status.ingest ? status.ingest->readings_sent() : counts.input;
    return totals;
}

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

// The counts as one JSON object: the summary line and /api/stats. Stages
// this process does not run count zero.
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
        .field("websocket_thinned", status.hub ? status.hub->readings_thinned() : 0)
        .field("uptime_seconds", uptime.count());
    json.finish();
    return out;
}

web::api_response playback_json(double speed) {
    std::string body;
    core::json_object_writer json(body);
    json.field("speed", speed);
    json.finish();
    return {200, body};
}

web::api_response api_error(unsigned status, std::string_view message) {
    std::string body;
    core::json_object_writer json(body);
    json.field("error", message);
    json.finish();
    return {status, body};
}

// Sets the ingest's event-time playback speed from `{"speed": x}`.
web::api_response set_playback(ingest::ingest_stage* ingest, const std::string& body) {
    if (ingest == nullptr) {
        return api_error(409, "this process runs no ingest (radstream serve); change the speed where ingest runs");
    }
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    double speed = -1;
    if (parser.parse(body).get(root) != simdjson::SUCCESS || root["speed"].get(speed) != simdjson::SUCCESS
        || !(speed >= 0 && speed <= 1e9)) {
        return api_error(400, "expected {\"speed\": x} with x from 0 (as fast as possible) to 1e9; 1 replays in "
                              "real time");
    }
    ingest->set_playback_speed(speed);
    core::stage_logger("ingest")->info("playback speed set to {} from the web API", speed);
    return playback_json(speed);
}

web::api_routes api_routes(run_status& status) {
    web::api_routes routes;
    routes[{"GET", "/api/stats"}] = [&status](const std::string&) { return web::api_response{200, stats_json(status)}; };
    routes[{"GET", "/api/playback"}] = [&status](const std::string&) {
        return status.ingest ? playback_json(status.ingest->playback_speed())
                             : api_error(409, "this process runs no ingest (radstream serve)");
    };
    routes[{"POST", "/api/playback"}] = [&status](const std::string& body) { return set_playback(status.ingest, body); };
    return routes;
}

// Waits for SIGINT or SIGTERM (blocked in every thread by the caller) while
// `done` is false. Returns true when a signal arrived.
template<typename Done>
bool wait_for_signal_or(Done done, const std::function<void()>& on_tick) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    const timespec tick{0, 200'000'000};
    while (!done()) {
        if (sigtimedwait(&signals, nullptr, &tick) > 0) {
            return true;
        }
        on_tick();
    }
    return false;
}

// The configured sinks. The JSON Lines files copy embedded topics; in Kafka
// mode the topics themselves are the durable copy, so that sink is skipped.
std::vector<std::unique_ptr<sink::topic_sink>> make_sinks(const config::app_config& config, topic::backend& backend,
                                                          bool kafka_mode) {
    auto log = core::stage_logger("radstream");
    std::vector<std::unique_ptr<sink::topic_sink>> sinks;
    const sink::sink_context context{config, backend};
    for (const auto& name : config.sinks) {
        if (name == "websocket" && !config.web.enabled) {
            log->info("sink \"websocket\" skipped because web.enabled is false");
            continue;
        }
        if (name == "jsonl" && kafka_mode) {
            log->info("sink \"jsonl\" skipped in Kafka mode; read the output topics instead");
            continue;
        }
        sinks.push_back(sink::sink_registry::instance().create(name, context));
    }
    return sinks;
}

// After the first signal, a second one ends the process at once.
void exit_on_next_signal() {
    std::thread([] {
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        int received = 0;
        sigwait(&signals, &received);
        std::fputs("radstream: second signal, exiting without draining\n", stderr);
        std::_Exit(130);
    }).detach();
}

} // namespace

int run_all(const config::app_config& config, const run_options& options) {
    auto log = core::stage_logger("radstream");
    const bool kafka_mode = !config.kafka.brokers.empty();
    const bool runs_ingest = options.stages == role::all || options.stages == role::ingest;
    const bool runs_process = options.stages == role::all || options.stages == role::process;
    const bool runs_serve = options.stages == role::all || options.stages == role::serve;

    // Block the stop signals before any thread starts, so that every thread
    // inherits the mask and only the waits below receive them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    std::unique_ptr<topic::backend> backend;
    if (kafka_mode) {
        backend = std::make_unique<kafka::kafka_backend>(config);
    } else {
        backend = std::make_unique<topic::embedded_backend>(
            config.embedded.partitions, static_cast<std::size_t>(config.embedded.partition_capacity));
        log->info("embedded topics: {} partitions each, {} records per partition before writers wait",
                  config.embedded.partitions, config.embedded.partition_capacity);
    }

    // Consumers are created before anything is produced, so that embedded
    // topics keep every record for them.
    run_status status;
    status.config = &config;
    std::unique_ptr<graph::process_stage> process;
    if (runs_process) {
        // Only capture times that pass validation move event time.
        auto counts_for_event_time = [&config](const graph::record& item) {
            return !operators::find_problem(item, config.validate, wall_clock_now()).has_value();
        };
        process = std::make_unique<graph::process_stage>(config, *backend, wall_clock_now, counts_for_event_time);
        status.process = process.get();
    }

    // LIMITATION: only serve and the all-stages run start the web server,
    // so a lone `radstream process` reports its counts in log lines only.
    std::optional<web::live_hub> hub;
    std::unique_ptr<web::http_server> server;
    if (runs_serve && config.web.enabled) {
        hub.emplace(config.web.batch_interval, web_history_readings,
                    static_cast<std::size_t>(config.web.max_batch_readings));
        status.hub = &*hub;
        server = std::make_unique<web::http_server>(config.web, *hub, api_routes(status), web::bundled_assets());
        sink::sink_registry::instance().set("websocket", [&hub](const sink::sink_context& context) {
            return web::make_websocket_sink(context, *hub);
        });
    }
    std::vector<std::unique_ptr<sink::topic_sink>> sinks;
    if (runs_serve) {
        sinks = make_sinks(config, *backend, kafka_mode);
    }

    std::unique_ptr<topic::producer> ingest_producer;
    std::unique_ptr<ingest::ingest_stage> ingest;
    if (runs_ingest) {
        ingest_producer = backend->make_producer();
        ingest = std::make_unique<ingest::ingest_stage>(config, *ingest_producer, !options.exit_when_done);
        status.ingest = ingest.get();
    }

    for (auto& item : sinks) {
        item->start();
    }
    if (process) {
        log->info("process: {} partitions running {}", config.process.partitions,
                  fmt::join(config.process.operators, " > "));
        process->start();
    }
    if (server) {
        hub->start();
        server->start();
        log->info("map: {}", server->url());
    }
    if (ingest) {
        ingest->start();
    }

    auto last_log = std::chrono::steady_clock::now();
    auto last_sample = std::chrono::steady_clock::now();
    bool input_closed = false;
    const auto on_tick = [&] {
        const auto now = std::chrono::steady_clock::now();
        // With embedded topics nothing else writes the input topic, so once
        // ingest is done the input has ended: process releases its open
        // event-time groups instead of holding the last seconds until
        // shutdown, and the map keeps serving.
        if (!kafka_mode && ingest && ingest->done() && !input_closed) {
            input_closed = true;
            backend->close_topic(config.topics.input);
        }
        if (now - last_sample >= std::chrono::seconds{1}) {
            last_sample = now;
            status.rates.sample(topic_totals(status));
        }
        if (now - last_log >= progress_log_interval) {
            last_log = now;
            log->info("progress: {}", stats_json(status));
        }
    };
    const auto finished = [&] {
        const bool failed = process && !process->failure().empty();
        return failed || (options.exit_when_done && ingest && ingest->done());
    };
    if (wait_for_signal_or(finished, on_tick)) {
        log->info("stop signal received; draining (a second signal exits at once)");
        exit_on_next_signal();
    }

    if (ingest) {
        ingest->stop();
        ingest->join();
    }
    if (process) {
        // Embedded topics are drained to their end; a Kafka topic keeps what
        // was not read, and the committed offsets mark where to resume.
        if (options.stages == role::all && (!kafka_mode || options.exit_when_done)) {
            backend->close_topic(config.topics.input);
        } else {
            process->stop();
        }
        process->join();
    }
    for (auto& item : sinks) {
        if (kafka_mode && !(options.stages == role::all && options.exit_when_done)) {
            item->stop();
        }
        item->join();
    }
    if (server) {
        server->stop();
        hub->stop();
    }

    const std::string summary = stats_json(status);
    std::fputs(summary.c_str(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    log->info("stopped: {}", summary);
    if (process && !process->failure().empty()) {
        log->error("stopped after a failure: {}", process->failure());
        return exit_runtime_failure;
    }
    return exit_ok;
}

} // namespace radstream::app
