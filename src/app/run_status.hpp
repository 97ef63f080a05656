#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/graph/process_stage.hpp"
#include "radstream/ingest/ingest_stage.hpp"
#include "radstream/web/http_server.hpp"
#include "radstream/web/live_hub.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace radstream::app {

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

// The stages and counters of a run, for the HTTP routes and the summary line.
struct run_status {
    const config::app_config* config = nullptr;
    const graph::process_stage* process = nullptr;
    ingest::ingest_stage* ingest = nullptr;
    const web::live_hub* hub = nullptr;
    const web::http_server* server = nullptr;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    topic_rates rates;
    bool kafka_mode = false;
    // The result of the last Kafka probe: 1 reachable, 0 not, -1 not probed yet.
    std::atomic<int> kafka_reachable{-1};
};

// Records written to each topic by the stages of this process.
topic_rates::totals topic_totals(const run_status& status);

// The counts as one JSON object: the summary line and /api/stats. Stages
// this process does not run count zero.
std::string stats_json(const run_status& status);

// The counts in the Prometheus text exposition format, for GET /metrics.
std::string metrics_text(const run_status& status);

// Whether the process is ready for work, with the check that failed:
// Kafka replied to the last probe, the process stage reads its input
// partitions, and ingest runs (or finished without failing).
struct readiness {
    bool ready = false;
    std::string body;  // {"ready":...,"checks":{...}}
};
readiness check_ready(const run_status& status);

} // namespace radstream::app
