#include "radstream/sink/topic_sink.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace radstream::sink {
namespace {

constexpr std::size_t poll_records = 4096;
constexpr auto poll_timeout = std::chrono::milliseconds{100};

} // namespace

topic_sink::topic_sink(topic::backend& backend, const std::string& group, const std::vector<std::string>& topics,
                       std::optional<std::int64_t> tail_records)
    : consumer_(backend.make_consumer(group, topics, tail_records)) {}

topic_sink::~topic_sink() {
    stop_and_join();
}

void topic_sink::start() {
    thread_ = std::thread([this] { run(); });
}

void topic_sink::stop() {
    stopping_.store(true);
}

void topic_sink::join() {
    if (thread_.joinable()) {
        thread_.join();
    }
}

void topic_sink::stop_and_join() {
    stop();
    join();
}

void topic_sink::run() {
    std::vector<topic::consumed_message> records;
    while (!stopping_.load()) {
        const auto status = consumer_->poll(records, poll_records, poll_timeout);
        for (const auto& record : records) {
            write(record);
        }
        if (status != topic::poll_status::records) {
            flush();
        }
        consumer_->commit();
        if (status == topic::poll_status::end) {
            break;
        }
    }
    flush();
}

sink_registry::sink_registry() {
    factories_["jsonl"] = make_jsonl_sink;
}

sink_registry& sink_registry::instance() {
    static sink_registry registry;
    return registry;
}

void sink_registry::set(const std::string& name, sink_factory factory) {
    std::lock_guard lock(mutex_);
    factories_[name] = std::move(factory);
}

std::unique_ptr<topic_sink> sink_registry::create(const std::string& name, const sink_context& context) const {
    sink_factory factory;
    {
        std::lock_guard lock(mutex_);
        const auto it = factories_.find(name);
        if (it == factories_.end()) {
            std::vector<std::string> names;
            for (const auto& [known, unused] : factories_) {
                names.push_back(known);
            }
            throw std::invalid_argument(
                fmt::format("pipeline.sinks: unknown sink \"{}\"; known sinks: {}", name, fmt::join(names, ", ")));
        }
        factory = it->second;
    }
    return factory(context);
}

} // namespace radstream::sink
