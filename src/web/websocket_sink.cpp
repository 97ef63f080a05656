#include "radstream/web/websocket_sink.hpp"

namespace radstream::web {
namespace {

class websocket_sink final : public sink::topic_sink {
public:
    websocket_sink(const sink::sink_context& context, live_hub& hub)
        : topic_sink(context.backend, context.config.kafka.group_id + "-web",
                     {context.config.topics.processed, context.config.topics.critical},
                     static_cast<std::int64_t>(hub.history_size())),
          hub_(hub) {}

    ~websocket_sink() override { stop_and_join(); }

private:
    void write(const topic::consumed_message& record) override { hub_.publish(record.value); }

    live_hub& hub_;
};

} // namespace

std::unique_ptr<sink::topic_sink> make_websocket_sink(const sink::sink_context& context, live_hub& hub) {
    return std::make_unique<websocket_sink>(context, hub);
}

} // namespace radstream::web
