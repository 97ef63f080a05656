#include "radstream/web/live_hub.hpp"

#include <algorithm>

namespace radstream::web {

live_hub::live_hub(std::chrono::milliseconds batch_interval, std::size_t history_size)
    : batch_interval_(batch_interval), history_size_(history_size) {}

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
        if (!history_.empty()) {
            history = make_message_from(history_);
        }
    }
    if (history && !subscriber->offer(std::move(history))) {
        slow_disconnects_.fetch_add(1);
    }
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

// Serializes once and shares the buffer; clients are snapshotted under the
// lock and offered the message outside it, so a slow offer blocks nobody.
void live_hub::broadcast(std::vector<std::string>& readings) {
    if (readings.empty()) {
        return;
    }
    const auto message = make_message_from(readings);
    std::vector<std::shared_ptr<client>> targets;
    {
        std::lock_guard lock(mutex_);
        for (const auto& weak : clients_) {
            if (auto strong = weak.lock()) {
                targets.push_back(std::move(strong));
            }
        }
    }
    for (const auto& target : targets) {
        if (!target->offer(message)) {
            slow_disconnects_.fetch_add(1);
        }
    }
}

template<typename Container>
std::shared_ptr<const std::string> live_hub::make_message_from(const Container& readings) {
    std::size_t size = 32;
    for (const auto& reading : readings) {
        size += reading.size() + 1;
    }
    std::string text;
    text.reserve(size);
    text.append(R"({"type":"readings","readings":[)");
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
