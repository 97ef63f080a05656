#pragma once

// Helpers shared by the Kafka producer, consumer and admin code; private to src/kafka.

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace radstream::kafka {

// Builds a librdkafka configuration. Throws std::runtime_error naming the
// property when librdkafka rejects a name or value.
std::unique_ptr<RdKafka::Conf> make_conf(const std::map<std::string, std::string>& properties);

// Sends librdkafka's log lines and errors to the "kafka" logger, logging
// each distinct error text at most once a minute, because a cluster that
// is down makes librdkafka repeat the same error many times a second.
class event_logger final : public RdKafka::EventCb {
public:
    void event_cb(RdKafka::Event& event) override;

private:
    std::mutex mutex_;
    std::map<std::string, std::chrono::steady_clock::time_point> last_logged_;
};

// One logger for every client of the process.
event_logger& shared_event_logger();

} // namespace radstream::kafka
