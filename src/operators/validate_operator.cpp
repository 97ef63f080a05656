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

class validate_operator final : public graph::record_operator {
public:
    explicit validate_operator(const graph::operator_context& context)
        : config_(context.config.validate), now_(context.now) {}

    void process(graph::record& item) override {
        if (!item.defect.empty()) {
            reject_defect(item);
        } else if (!check_present(item)) {
            return;
        } else if (!check_time(item) || !check_coordinates(item) || !check_value(item)) {
            return;
        } else if (!config_.units.contains(item.normal_unit)) {
            item.reject(dirty_reason::unit_unknown,
                        fmt::format("unit {} is not known; add it with its CPM factor to validate.units",
                                    quote_input(item.unit)));
        }
    }

private:
    static void reject_defect(graph::record& item) {
        const auto reason = core::parse_dirty_reason(item.defect).value_or(dirty_reason::unparseable);
        std::string message = item.defect_message.empty() ? fmt::format("ingest reported {}", quote_input(item.defect))
                                                          : item.defect_message;
        item.reject(reason, std::move(message));
    }

    static bool check_present(graph::record& item) {
        const char* missing = nullptr;
        if (!item.has_captured_time) {
            missing = "captured_time";
        } else if (!item.latitude.present) {
            missing = "latitude";
        } else if (!item.longitude.present) {
            missing = "longitude";
        } else if (!item.value.present) {
            missing = "value";
        } else if (item.normal_unit.empty()) {
            missing = "unit";
        }
        if (missing != nullptr) {
            item.reject(dirty_reason::missing_field, fmt::format("required field \"{}\" is missing or empty", missing));
            return false;
        }
        return true;
    }

    bool check_time(graph::record& item) const {
        if (!item.captured) {
            item.reject(dirty_reason::time_unparseable,
                        fmt::format("captured_time {} is not an ISO-8601 date-time such as 2012-03-29T07:10:34Z",
                                    quote_input(item.captured_time)));
            return false;
        }
        if (*item.captured < config_.min_capture_time) {
            item.reject(dirty_reason::time_before_minimum,
                        fmt::format("captured_time {} is before the minimum {} (validate.min_capture_time); devices "
                                    "without a clock fix report 2000-01-01",
                                    core::format_timestamp(*item.captured),
                                    core::format_timestamp(config_.min_capture_time)));
            return false;
        }
        const auto latest = now_() + config_.max_clock_skew;
        if (*item.captured > latest) {
            item.reject(dirty_reason::time_in_future,
                        fmt::format("captured_time {} is later than now plus {} s (validate.max_clock_skew_seconds)",
                                    core::format_timestamp(*item.captured), config_.max_clock_skew.count()));
            return false;
        }
        return true;
    }

    bool check_coordinates(graph::record& item) const {
        const auto& latitude = item.latitude.number;
        if (!latitude || *latitude < -90 || *latitude > 90) {
            item.reject(dirty_reason::latitude_invalid,
                        fmt::format("latitude {} is not a number in [-90, 90]", quote_input(item.latitude.text)));
            return false;
        }
        const auto& longitude = item.longitude.number;
        if (!longitude || *longitude < -180 || *longitude > 180) {
            item.reject(dirty_reason::longitude_invalid,
                        fmt::format("longitude {} is not a number in [-180, 180]", quote_input(item.longitude.text)));
            return false;
        }
        if (config_.reject_null_island && *latitude == 0 && *longitude == 0) {
            item.reject(dirty_reason::no_gps_fix,
                        "position (0, 0) means the device had no GPS fix; set validate.reject_null_island = false "
                        "to keep such readings");
            return false;
        }
        return true;
    }

    static bool check_value(graph::record& item) {
        const auto& value = item.value.number;
        if (!value || !(*value > 0)) {
            item.reject(dirty_reason::value_invalid,
                        fmt::format("value {} is not a finite number above 0", quote_input(item.value.text)));
            return false;
        }
        return true;
    }

    const config::validate_config& config_;
    std::function<core::event_time()> now_;
};

} // namespace

bool capture_time_in_window(const config::validate_config& config, core::event_time captured, core::event_time now) {
    return captured >= config.min_capture_time && captured <= now + config.max_clock_skew;
}

std::unique_ptr<graph::record_operator> make_validate_operator(const graph::operator_context& context) {
    return std::make_unique<validate_operator>(context);
}

} // namespace radstream::operators
