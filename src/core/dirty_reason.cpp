#include "radstream/core/dirty_reason.hpp"

namespace radstream::core {

std::string_view to_string(dirty_reason reason) {
    switch (reason) {
    case dirty_reason::unparseable: return "unparseable";
    case dirty_reason::missing_field: return "missing_field";
    case dirty_reason::time_unparseable: return "time_unparseable";
    case dirty_reason::time_before_minimum: return "time_before_minimum";
    case dirty_reason::time_in_future: return "time_in_future";
    case dirty_reason::latitude_invalid: return "latitude_invalid";
    case dirty_reason::longitude_invalid: return "longitude_invalid";
    case dirty_reason::no_gps_fix: return "no_gps_fix";
    case dirty_reason::value_invalid: return "value_invalid";
    case dirty_reason::unit_unknown: return "unit_unknown";
    case dirty_reason::checksum_mismatch: return "checksum_mismatch";
    case dirty_reason::cpm_void: return "cpm_void";
    case dirty_reason::gps_void: return "gps_void";
    case dirty_reason::late: return "late";
    }
    return "unknown";
}

std::optional<dirty_reason> parse_dirty_reason(std::string_view name) {
    for (const auto reason : all_dirty_reasons) {
        if (to_string(reason) == name) {
            return reason;
        }
    }
    return std::nullopt;
}

} // namespace radstream::core
