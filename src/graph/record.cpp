#include "radstream/graph/record.hpp"

#include "radstream/core/composite_key.hpp"
#include "radstream/core/json_writer.hpp"
#include "radstream/core/number_text.hpp"

#include <simdjson.h>

#include <cmath>
#include <functional>

namespace radstream::graph {
namespace {

namespace dom = simdjson::dom;

// Reads one JSON value as text: strings unescaped, numbers and other
// values as minified JSON. Returns false when the value is null, so the
// caller treats it as missing.
bool read_text(dom::element value, std::string& out) {
    switch (value.type()) {
    case dom::element_type::NULL_VALUE: return false;
    case dom::element_type::STRING: out.assign(std::string_view{value.get_string().value_unsafe()}); return true;
    case dom::element_type::INT64: out = std::to_string(value.get_int64().value_unsafe()); return true;
    case dom::element_type::UINT64: out = std::to_string(value.get_uint64().value_unsafe()); return true;
    default: out = simdjson::minify(value); return true;
    }
}

void read_numeric(dom::element value, numeric_field& out) {
    out.present = read_text(value, out.text) && !out.text.empty();
    if (!out.present) {
        out.number = std::nullopt;
    } else if (value.is_double()) {
        // Keep the parsed double: its minified text can differ in spelling.
        out.number = value.get_double().value_unsafe();
    } else {
        out.number = core::parse_finite_number(out.text);
    }
}

void reset(record& out) {
    std::string payload = std::move(out.payload);
    std::string origin = std::move(out.origin);
    const int input_partition = out.input_partition;
    const std::int64_t input_offset = out.input_offset;
    out = record{};
    out.payload = std::move(payload);
    out.origin = std::move(origin);
    out.input_partition = input_partition;
    out.input_offset = input_offset;
}

void assign_field(std::string_view name, dom::element value, record& out) {
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
    // The DOM parser validates the whole message, trailing content
    // included, before any field is read.
    thread_local dom::parser parser;
    reset(out);
    if (out.payload.capacity() < out.payload.size() + simdjson::SIMDJSON_PADDING) {
        out.payload.reserve(out.payload.size() + simdjson::SIMDJSON_PADDING);
    }
    dom::element document;
    dom::object object;
    auto error = parser.parse(out.payload.data(), out.payload.size(), false).get(document);
    if (!error) {
        error = document.get_object().get(object);
    }
    if (error) {
        // A number outside the range of a double fails the whole parse too,
        // so the message names the parser's reason instead of guessing.
        out.reject(core::dirty_reason::unparseable,
                   error == simdjson::INCORRECT_TYPE
                       ? std::string{"message is JSON but not an object; send one JSON object per reading"}
                       : std::string{"message is not valid JSON: "} + simdjson::error_message(error));
        return;
    }
    for (const auto field : object) {
        assign_field(field.key, field.value, out);
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
    if (in.late) {
        json.field("late", true);
    }
    if (in.group) {
        json.field("group_second", in.group->second).field("group_size", static_cast<std::uint64_t>(in.group->size));
    }
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
