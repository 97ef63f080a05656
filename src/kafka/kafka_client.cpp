#include "kafka_client.hpp"

#include "radstream/core/logging.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace radstream::kafka {

std::unique_ptr<RdKafka::Conf> make_conf(const std::map<std::string, std::string>& properties) {
    std::unique_ptr<RdKafka::Conf> conf{RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL)};
    std::string error;
    for (const auto& [name, value] : properties) {
        if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) {
            throw std::runtime_error(fmt::format("kafka.client.\"{}\": {}; check the librdkafka property name and "
                                                 "value",
                                                 name, error));
        }
    }
    if (conf->set("event_cb", static_cast<RdKafka::EventCb*>(&shared_event_logger()), error) != RdKafka::Conf::CONF_OK) {
        throw std::runtime_error("kafka: cannot install the event callback: " + error);
    }
    return conf;
}

void event_logger::event_cb(RdKafka::Event& event) {
    auto log = core::stage_logger("kafka");
    switch (event.type()) {
    case RdKafka::Event::EVENT_ERROR: {
        const std::string text = RdKafka::err2str(event.err()) + ": " + event.str();
        const auto now = std::chrono::steady_clock::now();
        {
            std::lock_guard lock(mutex_);
            auto& last = last_logged_[text];
            if (last != std::chrono::steady_clock::time_point{} && now - last < std::chrono::minutes{1}) {
                return;
            }
            last = now;
        }
        if (event.fatal()) {
            log->error("fatal client error: {}", text);
        } else {
            log->warn("{} (librdkafka retries on its own; repeats are logged once a minute)", text);
        }
        break;
    }
    case RdKafka::Event::EVENT_LOG:
        // Failures also arrive as EVENT_ERROR, logged above; the log lines
        // add detail for debugging.
        log->debug("librdkafka {}: {}", event.fac(), event.str());
        break;
    default:
        break;
    }
}

event_logger& shared_event_logger() {
    static event_logger logger;
    return logger;
}

} // namespace radstream::kafka
