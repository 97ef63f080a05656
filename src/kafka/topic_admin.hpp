#pragma once

// Topic administration for the Kafka backend; private to src/kafka.

#include "radstream/config/app_config.hpp"

#include <cstdint>
#include <optional>
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

// Creates `name` with cleanup.policy=compact and as many partitions as
// `partitioned_like` unless it exists, for a state changelog. Throws when
// `partitioned_like` is missing or `name` exists with another partition
// count.
void ensure_compacted_topic(const config::app_config& config, const std::string& name,
                            const std::string& partitioned_like);

// A broker setting such as transaction.max.timeout.ms, as the first broker
// in the metadata reports it, or nothing when it does not.
std::optional<std::string> broker_setting(const config::app_config& config, const std::string& name);

// The current end offset of every partition of `topic`.
std::vector<std::int64_t> high_watermarks(const config::app_config& config, const std::string& topic);

} // namespace radstream::kafka
