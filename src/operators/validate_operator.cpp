#include "radstream/operators/builtin_operators.hpp"

#include "radstream/core/json_writer.hpp"

#include <fmt/format.h>

#include <cmath>

namespace radstream::operators {
namespace {

using core::dirty_reason;

// Quotes echoed input, cut to 200 bytes so a huge field cannot flood a record.
std::string quote_input(std::string_view text) {
    std::string out;
    core::append_json_string(out, core::truncate_utf8(text, 200));
    return out;
}

const char* missing_field(const graph::record& item) {
    if (!item.has_captured_time) {
        return "captured_time";
    }
    if (!item.latitude.present) {
        return "latitude";
    }
    if (!item.longitude.present) {
        return "longitude";
    }
    if (!item.value.present) {
        return "value";
    }
    if (item.normal_unit.empty()) {
        return "unit";
    }
    return nullptr;
}

std::string describe_time_problem(const graph::record& item, dirty_reason reason, const config::validate_config& config) {
    switch (reason) {
    case dirty_reason::time_unparseable:
        return fmt::format("captured_time {} is not an ISO-8601 date-time such as 2012-03-29T07:10:34Z",
                           quote_input(item.captured_time));
    case dirty_reason::time_before_minimum:
        return fmt::format("captured_time {} is before the minimum {} (validate.min_capture_time); devices without a "
                           "clock fix report 2000-01-01",
                           core::format_timestamp(*item.captured), core::format_timestamp(config.min_capture_time));
    default:
        return fmt::format("captured_time {} is later than now plus {} s (validate.max_clock_skew_seconds)",
                           core::format_timestamp(*item.captured), config.max_clock_skew.count());
    }
}

// The message for a problem find_problem returned.
std::string describe_problem(const graph::record& item, dirty_reason reason, const config::validate_config& config) {
    switch (reason) {
    case dirty_reason::missing_field:
        return fmt::format("required field \"{}\" is missing or empty", missing_field(item));
    case dirty_reason::time_unparseable:
    case dirty_reason::time_before_minimum:
    case dirty_reason::time_in_future: return describe_time_problem(item, reason, config);
    case dirty_reason::latitude_invalid:
        return fmt::format("latitude {} is not a number in [-90, 90]", quote_input(item.latitude.text));
    case dirty_reason::longitude_invalid:
        return fmt::format("longitude {} is not a number in [-180, 180]", quote_input(item.longitude.text));
    case dirty_reason::no_gps_fix:
        return "position (0, 0) means the device had no GPS fix; set validate.reject_null_island = false to keep "
               "such readings";
    case dirty_reason::value_invalid:
        return fmt::format("value {} is not a finite number above 0", quote_input(item.value.text));
    case dirty_reason::unit_unknown:
        return fmt::format("unit {} is not known; add it with its CPM factor to validate.units", quote_input(item.unit));
    default:
        return item.defect_message.empty() ? fmt::format("ingest reported {}", quote_input(item.defect))
                                           : item.defect_message;
    }
}

class validate_operator final : public graph::record_operator {
public:
    explicit validate_operator(const graph::operator_context& context)
        : config_(context.config.validate), now_(context.now) {}

    void process(graph::record& item) override {
        if (const auto reason = find_problem(item, config_, now_())) {
            item.reject(*reason, describe_problem(item, *reason, config_));
        }
    }

private:
    const config::validate_config& config_;
    std::function<core::event_time()> now_;
};

} // namespace

std::optional<dirty_reason> find_problem(const graph::record& item, const config::validate_config& config,
                                         core::event_time now) {
    if (!item.defect.empty()) {
        return core::parse_dirty_reason(item.defect).value_or(dirty_reason::unparseable);
    }
    if (missing_field(item) != nullptr) {
        return dirty_reason::missing_field;
    }
    if (!item.captured) {
        return dirty_reason::time_unparseable;
    }
    if (*item.captured < config.min_capture_time) {
        return dirty_reason::time_before_minimum;
    }
    if (*item.captured > now + config.max_clock_skew) {
        return dirty_reason::time_in_future;
    }
    const auto& latitude = item.latitude.number;
    if (!latitude || *latitude < -90 || *latitude > 90) {
        return dirty_reason::latitude_invalid;
    }
    const auto& longitude = item.longitude.number;
    if (!longitude || *longitude < -180 || *longitude > 180) {
        return dirty_reason::longitude_invalid;
    }
    if (config.reject_null_island && *latitude == 0 && *longitude == 0) {
        return dirty_reason::no_gps_fix;
    }
    if (!item.value.number || !(*item.value.number > 0)) {
        return dirty_reason::value_invalid;
    }
    if (!config.units.contains(item.normal_unit)) {
        return dirty_reason::unit_unknown;
    }
    return std::nullopt;
}

bool capture_time_in_window(const config::validate_config& config, core::event_time captured, core::event_time now) {
    return captured >= config.min_capture_time && captured <= now + config.max_clock_skew;
}

std::unique_ptr<graph::record_operator> make_validate_operator(const graph::operator_context& context) {
    return std::make_unique<validate_operator>(context);
}

} // namespace radstream::operators
