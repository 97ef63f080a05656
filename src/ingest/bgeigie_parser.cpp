#include "radstream/ingest/bgeigie_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace radstream::ingest {

namespace {

constexpr std::size_t field_count = 15;
constexpr std::size_t max_echo_bytes = 200;
constexpr std::string_view fix_hint = "skip the line or repair the field";

using field_array = std::array<std::string_view, field_count>;

// Names used in messages, indexed like the fields of a reading.
constexpr std::array<std::string_view, field_count> field_names = {
    "sentence type", "device id",   "time",       "cpm",          "counts in 5 s",
    "total counts",  "cpm flag",    "latitude",   "north/south",  "longitude",
    "east/west",     "altitude",    "gps flag",   "gps quality",  "gps quality",
};

bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_all_digits(std::string_view text) {
    for (char c : text) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return true;
}

// Returns `text` capped at max_echo_bytes, for quoting input in messages.
std::string_view echo(std::string_view text) { return text.substr(0, max_echo_bytes); }

// Reports an unparseable line and returns false.
bool reject(bgeigie_reading& reading, std::string message) {
    reading.defect = bgeigie_defect::unparseable;
    reading.message = std::move(message);
    return false;
}

bool reject_field(bgeigie_reading& reading, std::size_t index, std::string_view value, std::string_view problem) {
    return reject(reading, fmt::format("field {} ({}) \"{}\" {}; {}", index, field_names[index], echo(value),
                                       problem, fix_hint));
}

bool check_printable(bgeigie_reading& reading, std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        const auto byte = static_cast<unsigned char>(line[i]);
        if (byte < 0x20 || byte > 0x7E) {
            return reject(reading, fmt::format("byte 0x{:02X} at column {} is not printable ASCII; the line is "
                                               "corrupted, so skip it",
                                               byte, i + 1));
        }
    }
    return true;
}

bool parse_sentence_type(bgeigie_reading& reading, std::string_view line) {
    const std::string_view type = line.substr(0, line.find_first_of(",*"));
    if (type == "$BGRDD") {
        reading.model = bgeigie_model::bgeigie;
    } else if (type == "$BMRDD") {
        reading.model = bgeigie_model::mini;
    } else if (type == "$BNRDD") {
        reading.model = bgeigie_model::nano;
    } else {
        return reject(reading, fmt::format("sentence type \"{}\" is not a bGeigie reading; expected $BGRDD, $BMRDD "
                                           "or $BNRDD, so skip the line",
                                           echo(type)));
    }
    return true;
}

std::optional<int> parse_hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return std::nullopt;
}

// Splits the line into the text between `$` and `*` and the checksum after
// `*`, which must be two hex digits in either case.
bool split_checksum(bgeigie_reading& reading, std::string_view line, std::string_view& body, unsigned& checksum) {
    const std::size_t star = line.find('*');
    if (star == std::string_view::npos) {
        return reject(reading, "checksum is missing (no \"*\" in the line); the line is probably truncated, so skip it");
    }

    const std::string_view text = line.substr(star + 1);
    const auto high = text.size() == 2 ? parse_hex_digit(text[0]) : std::nullopt;
    const auto low = text.size() == 2 ? parse_hex_digit(text[1]) : std::nullopt;
    if (!high || !low) {
        return reject(reading, fmt::format("checksum \"{}\" after \"*\" is not two hex digits; the line is probably "
                                           "truncated, so skip it",
                                           echo(text)));
    }

    body = line.substr(1, star - 1);
    checksum = static_cast<unsigned>(*high * 16 + *low);
    return true;
}

bool split_fields(bgeigie_reading& reading, std::string_view body, field_array& fields) {
    std::size_t count = 0;
    std::size_t begin = 0;
    while (true) {
        const std::size_t comma = body.find(',', begin);
        const std::string_view field = body.substr(begin, comma == std::string_view::npos ? body.size() - begin
                                                                                           : comma - begin);
        if (count < field_count) {
            fields[count] = field;
        }
        ++count;
        if (comma == std::string_view::npos) {
            break;
        }
        begin = comma + 1;
    }

    if (count != field_count) {
        return reject(reading, fmt::format("expected {} comma-separated fields, found {}; the line is truncated or "
                                           "from an unknown firmware, so skip it",
                                           field_count, count));
    }
    return true;
}

// Checks the shape YYYY-MM-DDThh:mm:ssZ and the ranges of month, day, hour,
// minute and second (60 allows a leap second). Days are not checked against
// the month.
bool is_utc_time(std::string_view text) {
    constexpr std::string_view shape = "dddd-dd-ddTdd:dd:ddZ";
    if (text.size() != shape.size()) {
        return false;
    }
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == 'd' ? !is_digit(text[i]) : text[i] != shape[i]) {
            return false;
        }
    }

    auto two_digits = [&](std::size_t at) { return (text[at] - '0') * 10 + (text[at + 1] - '0'); };
    const int month = two_digits(5);
    const int day = two_digits(8);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && two_digits(11) <= 23 && two_digits(14) <= 59 &&
           two_digits(17) <= 60;
}

// std::from_chars is locale-independent and, unlike strtod, accepts no
// leading spaces or `+`. It does accept "inf" and "nan", which are rejected.
bool parse_decimal(bgeigie_reading& reading, const field_array& fields, std::size_t index, double& value) {
    const std::string_view text = fields[index];
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc::result_out_of_range) {
        return reject_field(reading, index, text, "is out of the range of a double");
    }
    if (error != std::errc{} || end != text.data() + text.size()) {
        return reject_field(reading, index, text, "is not a number");
    }
    if (!std::isfinite(value)) {
        return reject_field(reading, index, text, "is not a finite number");
    }
    return true;
}

bool parse_count(bgeigie_reading& reading, const field_array& fields, std::size_t index, std::uint64_t& value) {
    const std::string_view text = fields[index];
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc::result_out_of_range) {
        return reject_field(reading, index, text, "is too large for a 64-bit count");
    }
    if (error != std::errc{} || end != text.data() + text.size()) {
        return reject_field(reading, index, text, "is not a non-negative integer");
    }
    return true;
}

bool parse_flag(bgeigie_reading& reading, const field_array& fields, std::size_t index, bool& valid) {
    const std::string_view text = fields[index];
    if (text != "A" && text != "V") {
        return reject_field(reading, index, text, "is not A (valid) or V (void)");
    }
    valid = text == "A";
    return true;
}

// Converts an NMEA coordinate (ddmm.mmmm for latitude, dddmm.mmmm for
// longitude) and its hemisphere letter to decimal degrees: degrees plus
// minutes / 60, negated for `negative_letter` (S or W).
//
// Some firmware built on TinyGPS wrote a negative number together with W, as
// in "-8312.4727,W". The hemisphere letter alone decides the sign: the
// number's magnitude is used and the sign is applied once, so such a
// longitude is not negated twice into the east.
bool parse_coordinate(bgeigie_reading& reading, const field_array& fields, std::size_t index, double max_degrees,
                      char positive_letter, char negative_letter, double& value) {
    const std::string_view text = fields[index];
    const std::string_view letter = fields[index + 1];
    std::string_view magnitude = text;
    if (!magnitude.empty() && magnitude.front() == '-') {
        magnitude.remove_prefix(1);
    }

    const std::size_t dot = magnitude.find('.');
    const std::string_view whole = magnitude.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : magnitude.substr(dot + 1);
    const bool well_formed = !whole.empty() && is_all_digits(whole) && is_all_digits(fraction) &&
                             (dot == std::string_view::npos || !fraction.empty());
    if (!well_formed) {
        return reject_field(reading, index, text,
                            max_degrees > 90 ? "is not an NMEA longitude of the form dddmm.mmmm"
                                             : "is not an NMEA latitude of the form ddmm.mmmm");
    }

    // The last two digits before the dot and the fraction are the minutes.
    const std::size_t degree_digits = whole.size() > 2 ? whole.size() - 2 : 0;
    std::uint64_t degrees = 0;
    if (degree_digits > 0) {
        const auto [end, error] = std::from_chars(whole.data(), whole.data() + degree_digits, degrees);
        if (error != std::errc{}) {
            return reject_field(reading, index, text, fmt::format("has more than {} degrees", max_degrees));
        }
    }
    const std::string_view minutes_text = magnitude.substr(degree_digits);
    double minutes = 0.0;
    const auto minutes_result = std::from_chars(minutes_text.data(), minutes_text.data() + minutes_text.size(), minutes);
    if (minutes_result.ec != std::errc{} || minutes >= 60.0) {
        return reject_field(reading, index, text, fmt::format("has {} minutes, expected less than 60", minutes));
    }
    const double decimal = static_cast<double>(degrees) + minutes / 60.0;
    if (decimal > max_degrees) {
        return reject_field(reading, index, text, fmt::format("has more than {} degrees", max_degrees));
    }

    if (letter.size() != 1 || (letter[0] != positive_letter && letter[0] != negative_letter)) {
        return reject_field(reading, index + 1, letter,
                            fmt::format("is not {} or {}", positive_letter, negative_letter));
    }
    value = letter[0] == negative_letter ? -decimal : decimal;
    return true;
}

// Fills every field of `reading` from `fields`. Returns false at the first
// field that is not valid.
bool parse_fields(bgeigie_reading& reading, const field_array& fields) {
    if (fields[1].empty()) {
        return reject_field(reading, 1, fields[1], "is empty");
    }
    reading.device_id = fields[1];

    if (!is_utc_time(fields[2])) {
        return reject_field(reading, 2, fields[2], "is not a UTC time of the form YYYY-MM-DDThh:mm:ssZ");
    }
    reading.captured_time = fields[2];

    if (!parse_decimal(reading, fields, 3, reading.cpm)) {
        return false;
    }
    if (reading.cpm < 0.0) {
        return reject_field(reading, 3, fields[3], "is negative");
    }
    if (!parse_count(reading, fields, 4, reading.counts_5s) || !parse_count(reading, fields, 5, reading.total_counts) ||
        !parse_flag(reading, fields, 6, reading.cpm_valid)) {
        return false;
    }

    if (!parse_coordinate(reading, fields, 7, 90.0, 'N', 'S', reading.latitude) ||
        !parse_coordinate(reading, fields, 9, 180.0, 'E', 'W', reading.longitude)) {
        return false;
    }

    double gps_quality = 0.0;
    return parse_decimal(reading, fields, 11, reading.altitude_m) && parse_flag(reading, fields, 12, reading.gps_valid) &&
           parse_decimal(reading, fields, 13, gps_quality) && parse_decimal(reading, fields, 14, gps_quality);
}

unsigned compute_checksum(std::string_view body) {
    unsigned checksum = 0;
    for (char c : body) {
        checksum ^= static_cast<unsigned char>(c);
    }
    return checksum;
}

void parse_reading(bgeigie_reading& reading, std::string_view line) {
    if (!check_printable(reading, line) || !parse_sentence_type(reading, line)) {
        return;
    }

    // A `$` inside the line is where the logger started writing another
    // sentence (such as a GPS one) before this one was complete.
    const std::size_t second_sentence = line.find('$', 1);
    if (second_sentence != std::string_view::npos) {
        reject(reading, fmt::format("another sentence starts at column {} (\"{}\"); two sentences are interleaved, so "
                                    "skip the line",
                                    second_sentence + 1, echo(line.substr(second_sentence, 10))));
        return;
    }

    std::string_view body;
    unsigned written_checksum = 0;
    field_array fields;
    if (!split_checksum(reading, line, body, written_checksum) || !split_fields(reading, body, fields) ||
        !parse_fields(reading, fields)) {
        return;
    }

    const unsigned computed_checksum = compute_checksum(body);
    if (written_checksum != computed_checksum) {
        reading.defect = bgeigie_defect::checksum_mismatch;
        reading.message = fmt::format("checksum {:02X} does not match computed {:02X}; the line changed after the "
                                      "device wrote it, so treat its values as suspect",
                                      written_checksum, computed_checksum);
    } else if (!reading.cpm_valid) {
        reading.defect = bgeigie_defect::cpm_void;
        reading.message = "cpm flag is V (void), so the cpm value is not valid; leave it out of dose rates";
    } else if (!reading.gps_valid) {
        reading.defect = bgeigie_defect::gps_void;
        reading.message = "gps flag is V (void), so the position is not a valid fix; leave it off the map";
    }
}

}  // namespace

bgeigie_line parse_bgeigie_line(std::string_view line) {
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }

    bgeigie_line result;
    if (std::all_of(line.begin(), line.end(), is_ascii_space)) {
        result.kind = bgeigie_line_kind::blank;
        return result;
    }
    if (line.front() == '#') {
        result.kind = bgeigie_line_kind::comment;
        return result;
    }

    result.kind = bgeigie_line_kind::reading;
    parse_reading(result.reading, line);
    return result;
}

}  // namespace radstream::ingest
