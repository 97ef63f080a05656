#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace radstream::core {

// Why a reading went to the dirty-data topic. The names are the `reason`
// codes written to dirty-data and shown in /api/stats, so they are part of
// the output format: add new values, never rename old ones.
enum class dirty_reason {
    unparseable,          // the row or message could not be parsed at all
    missing_field,        // a required field is absent or empty
    time_unparseable,     // the capture time is not an ISO-8601 date-time
    time_before_minimum,  // before validate.min_capture_time
    time_in_future,       // later than now plus validate.max_clock_skew_seconds
    latitude_invalid,     // not a finite number in [-90, 90]
    longitude_invalid,    // not a finite number in [-180, 180]
    no_gps_fix,           // exactly (0, 0), which devices report without a fix
    value_invalid,        // not a finite number above 0
    unit_unknown,         // a unit with no conversion factor to CPM in validate.units
    checksum_mismatch,    // a bGeigie line whose XOR checksum does not match
    cpm_void,             // a bGeigie line whose CPM validity flag is V
    gps_void,             // a bGeigie line whose GPS validity flag is V
    late,                 // its capture second was already released (event_time.late_readings = "dirty")
};

inline constexpr std::array all_dirty_reasons{
    dirty_reason::unparseable,      dirty_reason::missing_field,     dirty_reason::time_unparseable,
    dirty_reason::time_before_minimum, dirty_reason::time_in_future, dirty_reason::latitude_invalid,
    dirty_reason::longitude_invalid, dirty_reason::no_gps_fix,       dirty_reason::value_invalid,
    dirty_reason::unit_unknown,     dirty_reason::checksum_mismatch, dirty_reason::cpm_void,
    dirty_reason::gps_void,         dirty_reason::late,
};
inline constexpr std::size_t dirty_reason_count = all_dirty_reasons.size();

std::string_view to_string(dirty_reason reason);

// The reason whose name is `name`, for the `defect` field that ingest writes.
std::optional<dirty_reason> parse_dirty_reason(std::string_view name);

} // namespace radstream::core
