#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

namespace radstream::core {

// Sets the level of every stage logger, from a name such as "info" or
// "debug". Throws std::invalid_argument for an unknown name.
void set_log_level(std::string_view level);

// The named logger of one stage ("ingest", "process", "web", ...), created on
// first use. Every logger writes to stderr, so stdout stays free for the run
// summary.
std::shared_ptr<spdlog::logger> stage_logger(std::string_view stage);

} // namespace radstream::core
