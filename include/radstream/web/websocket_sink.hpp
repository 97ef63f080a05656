#pragma once

#include "radstream/sink/topic_sink.hpp"
#include "radstream/web/live_hub.hpp"

namespace radstream::web {

// Feeds the processed and critical topics to the live hub, in its own
// consumer group, so the map reads the same topics as any other consumer.
// It starts the hub's history size before the end of the topics and
// commits nothing, so a restarted map shows the recent readings again.
std::unique_ptr<sink::topic_sink> make_websocket_sink(const sink::sink_context& context, live_hub& hub);

} // namespace radstream::web
