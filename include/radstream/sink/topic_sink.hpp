#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/topic/topic.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace radstream::sink {

// A consumer of output topics that runs on its own thread, in its own
// consumer group, and hands every record to write(). It ends when its
// topics end (bounded runs) or on stop().
class topic_sink {
public:
    // Creates the consumer at once, so it sees every record produced later.
    // `tail_records` is passed to backend::make_consumer.
    topic_sink(topic::backend& backend, const std::string& group, const std::vector<std::string>& topics,
               std::optional<std::int64_t> tail_records = std::nullopt);
    virtual ~topic_sink();

    void start();
    void stop();
    void join();

protected:
    virtual void write(const topic::consumed_message& record) = 0;
    // Called when a poll found nothing new, and at the end.
    virtual void flush() {}

    // Called by the derived destructor before its members go away.
    void stop_and_join();

private:
    void run();

    std::unique_ptr<topic::consumer> consumer_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

struct sink_context {
    const config::app_config& config;
    topic::backend& backend;
};

using sink_factory = std::function<std::unique_ptr<topic_sink>(const sink_context&)>;

// Sinks by the name `pipeline.sinks` uses. "jsonl" is built in; the program
// registers "websocket", which needs the web server.
class sink_registry {
public:
    static sink_registry& instance();

    // Replaces an earlier factory of the same name.
    void set(const std::string& name, sink_factory factory);
    // Throws std::invalid_argument naming the known sinks when `name` is unknown.
    std::unique_ptr<topic_sink> create(const std::string& name, const sink_context& context) const;

private:
    sink_registry();

    mutable std::mutex mutex_;
    std::map<std::string, sink_factory> factories_;
};

// Appends each output topic to `<embedded.output_dir>/<topic>.jsonl`, one
// record per line; the files are truncated when the sink starts.
std::unique_ptr<topic_sink> make_jsonl_sink(const sink_context& context);

} // namespace radstream::sink
