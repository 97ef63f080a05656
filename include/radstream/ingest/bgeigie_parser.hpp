#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace radstream::ingest {

// Device family, from the sentence type at the start of the line.
enum class bgeigie_model {
    bgeigie,  // $BGRDD, the original bGeigie
    mini,     // $BMRDD, bGeigie Mini
    nano,     // $BNRDD, bGeigie Nano and bGeigie Zen
};

// Problems of a reading line, from the most to the least severe.
enum class bgeigie_defect {
    none,
    unparseable,        // the line is not a well-formed reading, and `message` names the field
    checksum_mismatch,  // well-formed, but the checksum differs from the computed one
    cpm_void,           // the device flagged the CPM value as void (V)
    gps_void,           // the device flagged the GPS fix as void (V)
};

// One `$BxRDD` reading. Messages number the fields from 0, as the bGeigie
// log header does:
//   0 sentence type   4 counts in the last 5 s   8 N/S          12 GPS flag
//   1 device id       5 total counts             9 longitude    13, 14 GPS quality
//   2 time            6 CPM flag                10 E/W
//   3 CPM             7 latitude                11 altitude
// The meaning of fields 13 and 14 differs between models, so they must be
// numbers but are not stored.
struct bgeigie_reading {
    bgeigie_model model = bgeigie_model::bgeigie;
    std::string device_id;
    // As written in the line, for example 2012-03-29T07:10:34Z.
    std::string captured_time;
    double cpm = 0.0;
    std::uint64_t counts_5s = 0;
    std::uint64_t total_counts = 0;
    // Decimal degrees, negative in the south and the west.
    double latitude = 0.0;
    double longitude = 0.0;
    double altitude_m = 0.0;
    bool cpm_valid = false;
    bool gps_valid = false;
    // The first problem found, checked in the order of bgeigie_defect. When
    // it is `unparseable`, only the fields before the bad one are filled.
    bgeigie_defect defect = bgeigie_defect::none;
    // Empty for bgeigie_defect::none, otherwise what is wrong and what to do.
    // It has no location, so the caller prefixes `file:line`.
    std::string message;
};

enum class bgeigie_line_kind { reading, comment, blank };

// One log line. `reading` is filled only when `kind` is reading.
struct bgeigie_line {
    bgeigie_line_kind kind = bgeigie_line_kind::blank;
    bgeigie_reading reading;
};

// Parses one line of a bGeigie log, without its line break; one trailing CR
// is ignored. A line that starts with `#` is a comment, and an empty or
// whitespace-only line is blank. Every other line is a reading, possibly with
// a defect. Any byte sequence is accepted: malformed input sets `defect` and
// does not throw.
bgeigie_line parse_bgeigie_line(std::string_view line);

}  // namespace radstream::ingest
