#pragma once

// Topic administration for the Kafka backend; private to src/kafka.

#include "radstream/config/app_config.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace radstream::kafka {

// Waits for the cluster (retrying with backoff until
// kafka.startup_timeout_seconds), creates the configured topics that are
// missing, and logs a warning for each existing topic whose partition
// count, replication factor or retention differs from the config. Throws
// std::runtime_error when the cluster stays unreachable or a topic cannot
// be created.
void ensure_topics(const config::app_config& config);

// The current end offset of every partition of `topic`.
std::vector<std::int64_t> high_watermarks(const config::app_config& config, const std::string& topic);

} // namespace radstream::kafka
