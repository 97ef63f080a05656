#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace radstream::core {

// Capture time of a reading: UTC, millisecond resolution.
using event_time = std::chrono::sys_time<std::chrono::milliseconds>;

// Parses an ISO-8601 date-time in the spellings Safecast files use:
// `2012-03-29T07:10:34Z`, `2012-03-29 07:10:34`, `2024-01-01T00:00:17.000Z`,
// `2012-03-29T16:10:34+09:00`. A time without a zone is UTC. Fractions beyond
// milliseconds are truncated. Returns nothing for any other text, including
// out-of-range fields such as month 13 or 25:00.
std::optional<event_time> parse_timestamp(std::string_view text);

// Formats as `2012-03-29T07:10:34Z`, with `.123` before the `Z` only when the
// milliseconds are not zero, so that equal instants always format alike.
std::string format_timestamp(event_time time);

// Appends the same text as format_timestamp to `out`.
void append_timestamp(std::string& out, event_time time);

} // namespace radstream::core
