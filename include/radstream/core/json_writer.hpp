#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace radstream::core {

// Builds one strict JSON object in a caller-owned string: strings are escaped
// per RFC 8259 (control characters as \u00XX, invalid UTF-8 replaced by
// U+FFFD so the output is always valid UTF-8), and a number that is not
// finite is written as null, because JSON has no NaN or Infinity.
class json_object_writer {
public:
    // Clears `out` and opens the object.
    explicit json_object_writer(std::string& out);

    json_object_writer& field(std::string_view name, std::string_view value);
    json_object_writer& field(std::string_view name, const char* value) { return field(name, std::string_view{value}); }
    json_object_writer& field(std::string_view name, double value);
    json_object_writer& field(std::string_view name, std::int64_t value);
    json_object_writer& field(std::string_view name, std::uint64_t value);
    json_object_writer& field(std::string_view name, bool value);
    json_object_writer& null_field(std::string_view name);
    // Writes `json` unchanged; the caller guarantees it is one valid JSON value.
    json_object_writer& raw_field(std::string_view name, std::string_view json);

    // Skips the field when the value is empty or absent.
    json_object_writer& optional_field(std::string_view name, std::string_view value);
    json_object_writer& optional_field(std::string_view name, std::optional<double> value);

    // Closes the object; the writer must not be used afterwards.
    void finish();

private:
    void begin_field(std::string_view name);

    std::string& out_;
    bool first_ = true;
};

// Appends `text` as a quoted, escaped JSON string.
void append_json_string(std::string& out, std::string_view text);

// Appends the shortest decimal text that reads back as the same double
// (`42`, `0.1`, `34.6260916666667`), or `null` when it is not finite.
void append_json_number(std::string& out, double value);

// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes);

} // namespace radstream::core
