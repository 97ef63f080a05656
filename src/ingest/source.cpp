#include "radstream/ingest/source.hpp"

#include "radstream/core/composite_key.hpp"
#include "radstream/core/json_writer.hpp"
#include "radstream/core/number_text.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace radstream::ingest {
namespace {

// Writes a number field as a JSON number when the text is a finite number,
// as a string when it is not (so validate can quote it), and not at all when
// it is empty.
void numeric_field(core::json_object_writer& json, std::string_view name, std::string_view text) {
    if (text.empty()) {
        return;
    }
    if (const auto number = core::parse_finite_number(text)) {
        json.field(name, *number);
    } else {
        json.field(name, text);
    }
}

} // namespace

source_registry::source_registry() {
    factories_["safecast_csv"] = make_safecast_csv_source;
    factories_["csv"] = make_mapped_csv_source;
    factories_["bgeigie"] = make_bgeigie_source;
}

source_registry& source_registry::instance() {
    static source_registry registry;
    return registry;
}

void source_registry::add(const std::string& name, source_factory factory) {
    std::lock_guard lock(mutex_);
    if (!factories_.emplace(name, std::move(factory)).second) {
        throw std::invalid_argument(fmt::format("input format \"{}\" is already registered; pick another name", name));
    }
}

std::unique_ptr<source> source_registry::create(const config::input_config& input) const {
    source_factory factory;
    {
        std::lock_guard lock(mutex_);
        const auto it = factories_.find(input.format);
        if (it == factories_.end()) {
            throw std::invalid_argument(fmt::format("{}: unknown input format \"{}\"; known formats: {}",
                                                    input.path.string(), input.format,
                                                    fmt::join(names_locked(), ", ")));
        }
        factory = it->second;
    }
    return factory(input);
}

std::vector<std::string> source_registry::names() const {
    std::lock_guard lock(mutex_);
    return names_locked();
}

std::vector<std::string> source_registry::names_locked() const {
    std::vector<std::string> names;
    for (const auto& [name, factory] : factories_) {
        names.push_back(name);
    }
    return names;
}

void write_reading_json(const source_reading& reading, std::string_view ingestion_timestamp, std::string& out) {
    core::json_object_writer json(out);
    json.optional_field("captured_time", reading.captured_time);
    numeric_field(json, "latitude", reading.latitude);
    numeric_field(json, "longitude", reading.longitude);
    numeric_field(json, "value", reading.value);
    json.optional_field("unit", reading.unit)
        .optional_field("device_id", reading.device_id)
        .optional_field("location_name", reading.location_name);
    numeric_field(json, "height", reading.height);
    json.optional_field("ingestion_timestamp", ingestion_timestamp)
        .optional_field("source", reading.source)
        .optional_field("defect", reading.defect)
        .optional_field("defect_message", reading.defect_message)
        .optional_field("raw", reading.raw);
    json.finish();
}

std::string reading_key(const source_reading& reading) {
    const auto latitude = core::parse_finite_number(reading.latitude);
    const auto longitude = core::parse_finite_number(reading.longitude);
    const auto value = core::parse_finite_number(reading.value);
    const auto unit = core::normalize_unit(reading.unit);
    if (!latitude || !longitude || !value || !reading.captured || unit.empty()) {
        return reading.source;
    }
    return core::make_composite_key(*latitude, *longitude, *value, *reading.captured, unit);
}

} // namespace radstream::ingest
