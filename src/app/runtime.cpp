#include "radstream/app/runtime.hpp"

#include "radstream/core/json_writer.hpp"
#include "radstream/core/logging.hpp"
#include "radstream/graph/process_stage.hpp"
#include "radstream/ingest/ingest_stage.hpp"
#include "radstream/sink/topic_sink.hpp"
#include "radstream/topic/embedded_backend.hpp"
#include "radstream/web/http_server.hpp"
#include "radstream/web/websocket_sink.hpp"

#include <fmt/format.h>

#include <csignal>
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

struct run_status {
    const graph::process_stage& process;
    const ingest::ingest_stage& ingest;
    const web::live_hub* hub;
    std::chrono::steady_clock::time_point started;
};

// The counts as one JSON object: the summary line and /api/stats.
std::string stats_json(const run_status& status) {
    const auto counts = status.process.counters();
    std::string by_reason;
    {
        core::json_object_writer reasons(by_reason);
        for (const auto reason : core::all_dirty_reasons) {
            reasons.field(core::to_string(reason), counts.dirty_by_reason[static_cast<std::size_t>(reason)]);
        }
        reasons.finish();
    }
    const std::chrono::duration<double> uptime = std::chrono::steady_clock::now() - status.started;
    std::string out;
    core::json_object_writer json(out);
    json.field("input", counts.input)
        .field("processed", counts.processed)
        .field("critical", counts.critical)
        .field("dirty", counts.dirty)
        .field("duplicates", counts.duplicates)
        .field("filtered", counts.filtered)
        .raw_field("dirty_by_reason", by_reason)
        .field("ingested", status.ingest.readings_sent())
        .field("ingest_done", status.ingest.done())
        .field("playback_speed", status.ingest.playback_speed())
        .field("dedup_entries", counts.dedup_entries)
        .field("dedup_evicted_ttl", counts.dedup_evicted_ttl)
        .field("dedup_evicted_capacity", counts.dedup_evicted_capacity)
        .field("websocket_clients", static_cast<std::uint64_t>(status.hub ? status.hub->client_count() : 0))
        .field("websocket_slow_disconnects", status.hub ? status.hub->slow_client_disconnects() : 0)
        .field("uptime_seconds", uptime.count());
    json.finish();
    return out;
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
    if (!config.kafka.brokers.empty()) {
        throw std::runtime_error(fmt::format("{}: kafka.brokers is set to \"{}\", but this build runs only on "
                                             "embedded topics; remove kafka.brokers",
                                             config.file.string(), config.kafka.brokers));
    }

    // Block the stop signals before any thread starts, so that every thread
    // inherits the mask and only the waits below receive them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    topic::embedded_backend backend(config.embedded.partitions,
                                    static_cast<std::size_t>(config.embedded.partition_capacity));
    graph::process_stage process(config, backend, wall_clock_now);
    auto producer = backend.make_producer();
    ingest::ingest_stage ingest(config, *producer, !options.exit_when_done);

    std::optional<web::live_hub> hub;
    std::unique_ptr<web::http_server> server;
    const run_status status{process, ingest, nullptr, std::chrono::steady_clock::now()};
    run_status live_status = status;
    if (config.web.enabled) {
        hub.emplace(config.web.batch_interval, web_history_readings);
        live_status.hub = &*hub;
        server = std::make_unique<web::http_server>(config.web, *hub, [&live_status] { return stats_json(live_status); },
                                                    web::bundled_assets());
        sink::sink_registry::instance().set("websocket", [&hub](const sink::sink_context& context) {
            return web::make_websocket_sink(context, *hub);
        });
    }

    std::vector<std::unique_ptr<sink::topic_sink>> sinks;
    const sink::sink_context sink_context{config, backend};
    for (const auto& name : config.sinks) {
        if (name == "websocket" && !config.web.enabled) {
            log->info("sink \"websocket\" skipped because web.enabled is false");
            continue;
        }
        sinks.push_back(sink::sink_registry::instance().create(name, sink_context));
    }

    log->info("embedded topics: {} partitions each, {} records per partition before writers wait",
              config.embedded.partitions, config.embedded.partition_capacity);
    log->info("process: {} partitions running {}", config.process.partitions, fmt::join(config.process.operators, " > "));
    for (auto& item : sinks) {
        item->start();
    }
    process.start();
    if (hub) {
        hub->start();
        server->start();
        log->info("map: {}", server->url());
    }
    ingest.start();

    auto last_log = std::chrono::steady_clock::now();
    const auto log_progress = [&] {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_log >= progress_log_interval) {
            last_log = now;
            log->info("progress: {}", stats_json(live_status));
        }
    };
    bool signaled = false;
    if (options.exit_when_done) {
        signaled = wait_for_signal_or([&] { return ingest.done(); }, log_progress);
    } else {
        signaled = wait_for_signal_or([] { return false; }, log_progress);
    }
    if (signaled) {
        log->info("stop signal received; draining (a second signal exits at once)");
        exit_on_next_signal();
    }

    ingest.stop();
    ingest.join();
    backend.close_topic(config.topics.input);
    process.join();
    for (auto& item : sinks) {
        item->join();
    }
    if (server) {
        server->stop();
        hub->stop();
    }

    const std::string summary = stats_json(live_status);
    std::fputs(summary.c_str(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    log->info("stopped: {}", summary);
    return exit_ok;
}

} // namespace radstream::app
