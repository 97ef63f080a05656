#include "radstream/graph/record.hpp"

#include "radstream/core/composite_key.hpp"
#include "radstream/core/json_writer.hpp"
#include "radstream/core/number_text.hpp"

#include <simdjson.h>

#include <cmath>
#include <functional>

namespace radstream::graph {
namespace {

namespace od = simdjson::ondemand;

// Reads one JSON value as text: strings unescaped, anything else as written.
// Returns false when the value is null, so the caller treats it as missing.
bool read_text(od::value value, std::string& out) {
    od::json_type type;
    if (value.type().get(type)) {
        return false;
    }
    if (type == od::json_type::null) {
        return false;
    }
    if (type == od::json_type::string) {
        std::string_view text;
        if (value.get_string().get(text)) {
            return false;
        }
        out.assign(text);
        return true;
    }
    std::string_view raw = value.raw_json_token();
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
        raw.remove_suffix(1);
    }
    out.assign(raw);
    return true;
}

void read_numeric(od::value value, numeric_field& out) {
    out.present = read_text(value, out.text) && !out.text.empty();
    out.number = out.present ? core::parse_finite_number(out.text) : std::nullopt;
}

void reset(record& out) {
    std::string payload = std::move(out.payload);
    std::string origin = std::move(out.origin);
    out = record{};
    out.payload = std::move(payload);
    out.origin = std::move(origin);
}

void assign_field(std::string_view name, od::value value, record& out) {
    if (name == "latitude") {
        read_numeric(value, out.latitude);
    } else if (name == "longitude") {
        read_numeric(value, out.longitude);
    } else if (name == "value") {
        read_numeric(value, out.value);
    } else if (name == "height") {
        read_numeric(value, out.height);
    } else if (name == "captured_time") {
        out.has_captured_time = read_text(value, out.captured_time) && !out.captured_time.empty();
    } else if (name == "unit") {
        read_text(value, out.unit);
    } else if (name == "device_id") {
        read_text(value, out.device_id);
    } else if (name == "location_name") {
        read_text(value, out.location_name);
    } else if (name == "ingestion_timestamp") {
        read_text(value, out.ingestion_timestamp);
    } else if (name == "source") {
        read_text(value, out.source);
    } else if (name == "defect") {
        read_text(value, out.defect);
    } else if (name == "defect_message") {
        read_text(value, out.defect_message);
    } else if (name == "raw") {
        read_text(value, out.raw);
    }
}

void compute_key(record& out) {
    if (out.has_captured_time) {
        out.captured = core::parse_timestamp(out.captured_time);
    }
    out.normal_unit = core::normalize_unit(out.unit);
    if (!out.latitude.number || !out.longitude.number || !out.value.number || !out.captured
        || out.normal_unit.empty()) {
        return;
    }
    out.key = core::make_composite_key(*out.latitude.number, *out.longitude.number, *out.value.number, *out.captured,
                                       out.normal_unit);
    out.key_hash = std::hash<std::string>{}(out.key);
}

} // namespace

std::string_view to_string(level value) {
    switch (value) {
    case level::low: return "low";
    case level::moderate: return "moderate";
    case level::high: return "high";
    }
    return "unknown";
}

void decode_message(record& out) {
    thread_local od::parser parser;
    reset(out);
    if (out.payload.capacity() < out.payload.size() + simdjson::SIMDJSON_PADDING) {
        out.payload.reserve(out.payload.size() + simdjson::SIMDJSON_PADDING);
    }

    od::document document;
    od::object object;
    auto error = parser.iterate(out.payload.data(), out.payload.size(), out.payload.capacity()).get(document);
    if (!error) {
        error = document.get_object().get(object);
    }
    if (!error) {
        for (auto field : object) {
            std::string_view name;
            od::value value;
            if ((error = field.unescaped_key().get(name)) || (error = field.value().get(value))) {
                break;
            }
            // The key view dies with the next field, so compare before moving on.
            assign_field(name, value, out);
        }
    }
    if (error) {
        out.reject(core::dirty_reason::unparseable,
                   std::string{"message is not a JSON object: "} + simdjson::error_message(error));
        return;
    }
    compute_key(out);
}

void write_output_json(const record& in, std::string& out) {
    core::json_object_writer json(out);
    json.field("status", in.critical ? "critical" : "processed")
        .field("timestamp", in.captured ? core::format_timestamp(*in.captured) : in.captured_time)
        .field("lat", *in.latitude.number)
        .field("lon", *in.longitude.number)
        .field("value", *in.value.number)
        .field("unit", in.normal_unit)
        .field("level", to_string(in.reading_level))
        .field("critical", in.critical)
        .field("cpm", in.cpm)
        .field("dose_usvh", in.dose_usvh)
        .optional_field("device_id", in.device_id)
        .optional_field("location_name", in.location_name)
        .optional_field("height", in.height.number)
        .optional_field("ingestion_timestamp", in.ingestion_timestamp)
        .optional_field("source", in.source)
        .field("origin", in.origin)
        .field("key", in.key);
    json.finish();
}

void write_dirty_json(const record& in, std::size_t raw_max_bytes, std::string& out) {
    const std::string_view raw = in.raw.empty() ? std::string_view{in.payload} : std::string_view{in.raw};
    core::json_object_writer json(out);
    json.field("status", "dirty")
        .field("reason", core::to_string(in.reason))
        .field("message", in.message)
        .field("raw", core::truncate_utf8(raw, raw_max_bytes))
        .field("raw_truncated", raw.size() > raw_max_bytes)
        .optional_field("source", in.source)
        .field("origin", in.origin)
        .optional_field("timestamp", in.captured ? core::format_timestamp(*in.captured) : in.captured_time);
    json.finish();
}

} // namespace radstream::graph
