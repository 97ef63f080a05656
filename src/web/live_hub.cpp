#include "radstream/web/live_hub.hpp"

#include "radstream/core/event_time.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace radstream::web {

namespace {

// Keeps every critical reading and the newest reading of each 0.1 degree
// cell; returns the kept readings in their order.
std::vector<std::string> thin_per_cell(std::vector<std::string>& readings) {
    simdjson::dom::parser parser;
    std::map<std::pair<long, long>, std::size_t> newest;  // cell -> index of its newest reading
    std::vector<bool> keep(readings.size(), false);
    for (std::size_t i = 0; i < readings.size(); ++i) {
        simdjson::dom::element record;
        double latitude = 0;
        double longitude = 0;
        bool critical = false;
        if (parser.parse(readings[i]).get(record) != simdjson::SUCCESS || record["lat"].get(latitude)
            || record["lon"].get(longitude)) {
            keep[i] = true;  // not a reading the hub understands: never drop it
            continue;
        }
        if (record["critical"].get(critical) == simdjson::SUCCESS && critical) {
            keep[i] = true;
        }
        newest[{std::lround(latitude * 10), std::lround(longitude * 10)}] = i;
    }
    for (const auto& [cell, index] : newest) {
        keep[index] = true;
    }
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < readings.size(); ++i) {
        if (keep[i]) {
            kept.push_back(std::move(readings[i]));
        }
    }
    return kept;
}

// The ingestion_timestamp of an output record, found by its text, because
// write_output_json writes the field name exactly so and parsing every
// reading would cost more than the rest of the batch.
std::optional<core::event_time> ingestion_time_of(std::string_view reading) {
    constexpr std::string_view field = R"("ingestion_timestamp":")";
    const auto begin = reading.find(field);
    if (begin == std::string_view::npos) {
        return std::nullopt;
    }
    const auto text = reading.substr(begin + field.size());
    const auto end = text.find('"');
    return end == std::string_view::npos ? std::nullopt : core::parse_timestamp(text.substr(0, end));
}

} // namespace

live_hub::live_hub(std::chrono::milliseconds batch_interval, std::size_t history_size, std::size_t max_batch_readings)
    : batch_interval_(batch_interval), history_size_(history_size), max_batch_readings_(max_batch_readings) {}

live_hub::~live_hub() {
    stop();
}

void live_hub::start() {
    thread_ = std::thread([this] { run(); });
}

void live_hub::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void live_hub::publish(std::string record_json) {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(record_json));
    published_.fetch_add(1, std::memory_order_relaxed);
}

void live_hub::subscribe(const std::shared_ptr<client>& subscriber) {
    std::shared_ptr<const std::string> history;
    {
        std::lock_guard lock(mutex_);
        clients_.push_back(subscriber);
        history = make_message_from("history", history_);
    }
    if (!subscriber->offer(std::move(history))) {
        slow_disconnects_.fetch_add(1);
    }
}

void live_hub::close_clients() {
    for (const auto& target : connected_clients()) {
        target->close_for_shutdown();
    }
}

std::vector<std::shared_ptr<live_hub::client>> live_hub::connected_clients() const {
    std::vector<std::shared_ptr<client>> targets;
    std::lock_guard lock(mutex_);
    for (const auto& weak : clients_) {
        if (auto strong = weak.lock()) {
            targets.push_back(std::move(strong));
        }
    }
    return targets;
}

std::size_t live_hub::client_count() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(clients_.begin(), clients_.end(), [](const auto& weak) { return !weak.expired(); }));
}

void live_hub::run() {
    std::vector<std::string> readings;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, batch_interval_, [&] { return stopping_; });
        readings.clear();
        readings.swap(pending_);
        for (const auto& reading : readings) {
            history_.push_back(reading);
        }
        while (history_.size() > history_size_) {
            history_.pop_front();
        }
        std::erase_if(clients_, [](const auto& weak) { return weak.expired(); });
        lock.unlock();
        broadcast(readings);
        lock.lock();
    }
}

// Serializes once and shares the buffer. Clients are copied under the lock
// and offered the message outside it, so a slow offer blocks no other thread.
void live_hub::broadcast(std::vector<std::string>& readings) {
    if (readings.empty()) {
        return;
    }
    std::size_t thinned = 0;
    if (readings.size() > max_batch_readings_) {
        const std::size_t before = readings.size();
        readings = thin_per_cell(readings);
        thinned = before - readings.size();
        thinned_.fetch_add(thinned, std::memory_order_relaxed);
    }
    const auto message = make_message_from("readings", readings, thinned);
    const auto targets = connected_clients();
    for (const auto& target : targets) {
        if (!target->offer(message)) {
            slow_disconnects_.fetch_add(1);
        }
    }
    if (!targets.empty()) {
        const auto now = std::chrono::system_clock::now();
        for (const auto& reading : readings) {
            if (const auto ingested = ingestion_time_of(reading)) {
                ingest_to_websocket_.record(std::chrono::duration_cast<std::chrono::steady_clock::duration>(now - *ingested));
            }
        }
    }
}

template<typename Container>
std::shared_ptr<const std::string> live_hub::make_message_from(std::string_view type, const Container& readings,
                                                               std::size_t thinned) {
    std::size_t size = 64;
    for (const auto& reading : readings) {
        size += reading.size() + 1;
    }
    std::string text;
    text.reserve(size);
    text.append(R"({"type":")").append(type).append(R"(","thinned":)").append(std::to_string(thinned));
    text.append(R"(,"readings":[)");
    bool first = true;
    for (const auto& reading : readings) {
        if (!first) {
            text.push_back(',');
        }
        first = false;
        text.append(reading);
    }
    text.append("]}");
    return std::make_shared<const std::string>(std::move(text));
}

} // namespace radstream::web
