#include "radstream/app/runtime.hpp"

#include "ingest_progress.hpp"
#include "run_status.hpp"

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

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <thread>
#include <unistd.h>

namespace radstream::app {
namespace {

// Readings kept for a browser that connects late.
constexpr std::size_t web_history_readings = 5000;

core::event_time wall_clock_now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
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
    routes[{"GET", "/metrics"}] = [&status](const std::string&) {
        return web::api_response{200, metrics_text(status), "text/plain; version=0.0.4; charset=utf-8"};
    };
    routes[{"GET", "/ready"}] = [&status](const std::string&) {
        auto result = check_ready(status);
        return web::api_response{result.ready ? 200u : 503u, std::move(result.body)};
    };
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

// Probes the Kafka cluster every few seconds for GET /ready, so that the
// HTTP thread never waits on the network.
class reachability_probe {
public:
    reachability_probe(topic::backend& backend, std::atomic<int>& result)
        : thread_([&backend, &result](std::stop_token stop) {
              constexpr auto interval = std::chrono::seconds{5};
              std::mutex mutex;
              std::condition_variable_any wake;
              while (!stop.stop_requested()) {
                  result.store(backend.reachable() ? 1 : 0);
                  std::unique_lock lock(mutex);
                  wake.wait_for(lock, stop, interval, [] { return false; });
              }
          }) {}

private:
    std::jthread thread_;
};

// Ends the process with exit_runtime_failure when the drain after a stop
// signal takes longer than shutdown.timeout_ms. Destroying it disarms it.
class shutdown_deadline {
public:
    explicit shutdown_deadline(std::chrono::milliseconds timeout)
        : thread_([timeout](std::stop_token stop) {
              std::mutex mutex;
              std::condition_variable_any wake;
              std::unique_lock lock(mutex);
              if (wake.wait_for(lock, stop, timeout, [] { return false; }) || stop.stop_requested()) {
                  return;
              }
              core::stage_logger("radstream")->error(
                  "shutdown did not finish within shutdown.timeout_ms ({} ms); exiting without finishing the drain. "
                  "Records not yet committed are read again at the next start; raise shutdown.timeout_ms if the "
                  "drain needs longer",
                  timeout.count());
              spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { logger->flush(); });
              std::_Exit(exit_runtime_failure);
          }) {}

private:
    std::jthread thread_;
};

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
    status.kafka_mode = kafka_mode;
    std::unique_ptr<graph::process_stage> process;
    if (runs_process) {
        // Only capture times that pass validation move event time.
        auto counts_for_event_time = [&config](const graph::record& item) {
            return !operators::find_problem(item, config.validate, wall_clock_now()).has_value();
        };
        process = std::make_unique<graph::process_stage>(config, *backend, wall_clock_now, counts_for_event_time);
        status.process = process.get();
    }

    // A lone `radstream process` serves /health, /ready, /metrics and
    // /api/stats too (and the map's system panel); readings reach the map
    // only where the serve stage runs. `radstream ingest` has no server.
    const bool runs_web = (runs_serve || runs_process) && config.web.enabled;
    std::optional<web::live_hub> hub;
    std::unique_ptr<web::http_server> server;
    if (runs_web) {
        hub.emplace(config.web.batch_interval, web_history_readings,
                    static_cast<std::size_t>(config.web.max_batch_readings));
        status.hub = &*hub;
        server = std::make_unique<web::http_server>(config.web, *hub, api_routes(status), web::bundled_assets());
        status.server = server.get();
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
    if (process && options.stages == role::process && options.exit_when_done) {
        // A bounded run: the records the input topic contains now.
        backend->close_topic(config.topics.input);
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

    // The bar would break JSON log lines, so JSON logs get log lines instead.
    std::optional<ingest_progress> progress;
    if (ingest) {
        progress.emplace(*ingest, isatty(STDERR_FILENO) == 1 && config.log.format == "text",
                         config.log.progress_interval);
    }

    std::optional<reachability_probe> probe;
    if (kafka_mode) {
        probe.emplace(*backend, status.kafka_reachable);
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
        if (progress) {
            progress->update(now);
        }
        if (now - last_sample >= std::chrono::seconds{1}) {
            last_sample = now;
            status.rates.sample(topic_totals(status));
        }
        if (now - last_log >= config.log.progress_interval) {
            last_log = now;
            log->info("progress: {}", stats_json(status));
        }
    };
    const auto finished = [&] {
        const bool failed = process && !process->failure().empty();
        const bool process_only = options.stages == role::process;
        return failed || (options.exit_when_done && ingest && ingest->done())
               || (options.exit_when_done && process_only && process->drained());
    };
    std::optional<shutdown_deadline> deadline;
    if (wait_for_signal_or(finished, on_tick)) {
        log->info("stop signal received; draining within {} ms (a second signal exits at once)",
                  config.shutdown.timeout.count());
        exit_on_next_signal();
        deadline.emplace(config.shutdown.timeout);
    }

    if (ingest) {
        ingest->stop();
        ingest->join();
    }
    if (progress) {
        progress->finish();
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
