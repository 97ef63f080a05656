#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

namespace radstream::core {

class status_line_sink;

enum class log_format {
    text,  // 2026-12-04T10:00:00.123 info [process] message
    json,  // one JSON object per line: time (UTC), level, logger, message
};

// Sets the level of every stage logger, from a name such as "info" or
// "debug". Throws std::invalid_argument for an unknown name.
void set_log_level(std::string_view level);

// Sets the line format of every stage logger, present and future.
void set_log_format(log_format format);

// The named logger of one stage ("ingest", "process", "web", ...), created on
// first use. Every logger writes to stderr, so stdout stays free for the run
// summary.
std::shared_ptr<spdlog::logger> stage_logger(std::string_view stage);

// Returns the status line below the log on stderr, for a progress bar. A
// log line erases it before it is written.
status_line_sink& stderr_status_line();

} // namespace radstream::core
