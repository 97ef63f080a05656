#include "radstream/core/json_writer.hpp"

#include <fmt/format.h>

#include <cmath>

namespace radstream::core {
namespace {

// Length of the valid UTF-8 sequence starting at `text[pos]`, or 0 when the
// bytes there are not one (overlong forms and surrogates included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    std::size_t length = 0;
    unsigned min_second = 0x80;
    unsigned max_second = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) {
            min_second = 0xA0;
        } else if (lead == 0xED) {
            max_second = 0x9F;
        }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) {
            min_second = 0x90;
        } else if (lead == 0xF4) {
            max_second = 0x8F;
        }
    } else {
        return 0;
    }
    if (pos + length > text.size() || byte(pos + 1) < min_second || byte(pos + 1) > max_second) {
        return 0;
    }
    for (std::size_t i = pos + 2; i < pos + length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) {
            return 0;
        }
    }
    return length;
}

} // namespace

namespace {

// Printable ASCII other than the two characters JSON strings escape.
constexpr bool is_plain_ascii(unsigned char c) {
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    std::size_t pos = 0;
    while (pos < text.size()) {
        // Most text is printable ASCII that needs no escape: copy such a run
        // in one append instead of byte by byte.
        std::size_t run = pos;
        while (run < text.size() && is_plain_ascii(static_cast<unsigned char>(text[run]))) {
            ++run;
        }
        out.append(text.data() + pos, run - pos);
        pos = run;
        if (pos == text.size()) {
            break;
        }
        const auto c = static_cast<unsigned char>(text[pos]);
        if (c >= 0x80) {
            const std::size_t length = utf8_sequence_length(text, pos);
            if (length == 0) {
                out.append("\xEF\xBF\xBD");
                ++pos;
            } else {
                out.append(text.substr(pos, length));
                pos += length;
            }
            continue;
        }
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default:
            if (c < 0x20 || c == 0x7F) {
                fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
            } else {
                out.push_back(static_cast<char>(c));
            }
        }
        ++pos;
    }
    out.push_back('"');
}

void append_json_number(std::string& out, double value) {
    if (!std::isfinite(value)) {
        out.append("null");
        return;
    }
    if (value == 0.0) {
        // Both zeros print as 0 so that -0 and 0 give one key.
        out.push_back('0');
        return;
    }
    fmt::format_to(std::back_inserter(out), "{}", value);
}

std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return text;
    }
    // Only a valid sequence that the cut would split is dropped, so at most
    // 3 bytes go; stray continuation bytes are not part of any sequence and
    // stay (the JSON writer replaces them with U+FFFD).
    for (std::size_t back = 1; back <= 3 && back <= max_bytes; ++back) {
        const std::size_t start = max_bytes - back;
        const auto byte = static_cast<unsigned char>(text[start]);
        if ((byte & 0xC0) != 0x80) {
            const std::size_t length = utf8_sequence_length(text, start);
            return text.substr(0, length > back ? start : max_bytes);
        }
    }
    return text.substr(0, max_bytes);
}

json_object_writer::json_object_writer(std::string& out) : out_(out) {
    out_.clear();
    out_.push_back('{');
}

void json_object_writer::begin_field(std::string_view name) {
    if (!first_) {
        out_.push_back(',');
    }
    first_ = false;
    append_json_string(out_, name);
    out_.push_back(':');
}

json_object_writer& json_object_writer::field(std::string_view name, std::string_view value) {
    begin_field(name);
    append_json_string(out_, value);
    return *this;
}

json_object_writer& json_object_writer::field(std::string_view name, double value) {
    begin_field(name);
    append_json_number(out_, value);
    return *this;
}

json_object_writer& json_object_writer::field(std::string_view name, std::int64_t value) {
    begin_field(name);
    fmt::format_to(std::back_inserter(out_), "{}", value);
    return *this;
}

json_object_writer& json_object_writer::field(std::string_view name, std::uint64_t value) {
    begin_field(name);
    fmt::format_to(std::back_inserter(out_), "{}", value);
    return *this;
}

json_object_writer& json_object_writer::field(std::string_view name, bool value) {
    begin_field(name);
    out_.append(value ? "true" : "false");
    return *this;
}

json_object_writer& json_object_writer::null_field(std::string_view name) {
    begin_field(name);
    out_.append("null");
    return *this;
}

json_object_writer& json_object_writer::raw_field(std::string_view name, std::string_view json) {
    begin_field(name);
    out_.append(json);
    return *this;
}

json_object_writer& json_object_writer::optional_field(std::string_view name, std::string_view value) {
    if (!value.empty()) {
        field(name, value);
    }
    return *this;
}

json_object_writer& json_object_writer::optional_field(std::string_view name, std::optional<double> value) {
    if (value) {
        field(name, *value);
    }
    return *this;
}

void json_object_writer::finish() {
    out_.push_back('}');
}

} // namespace radstream::core
