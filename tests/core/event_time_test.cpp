#include "radstream/core/event_time.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace {

using namespace std::chrono;
using radstream::core::event_time;
using radstream::core::format_timestamp;
using radstream::core::parse_timestamp;

// Builds a UTC instant from its calendar fields.
event_time make_time(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0) {
    return event_time{sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s}
                      + milliseconds{ms}};
}

} // namespace

TEST_CASE("parse_timestamp reads the Safecast spellings", "[core]") {
    const event_time expected = make_time(2012, 3, 29, 7, 10, 34);

    SECTION("T separator with Z") {
        const auto parsed = parse_timestamp("2012-03-29T07:10:34Z");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == expected);
        // 2012-03-29T07:10:34Z is 1333005034 s after the Unix epoch (Python calendar.timegm).
        CHECK(parsed->time_since_epoch() == milliseconds{1'333'005'034'000});
    }
    SECTION("space separator without a zone is UTC") {
        const auto parsed = parse_timestamp("2012-03-29 07:10:34");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == expected);
    }
    SECTION("lower-case t and z") {
        const auto parsed = parse_timestamp("2012-03-29t07:10:34z");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == expected);
    }
    SECTION("surrounding spaces and tabs are ignored") {
        const auto parsed = parse_timestamp(" \t2012-03-29T07:10:34Z\t ");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == expected);
    }
    SECTION("zero milliseconds") {
        const auto parsed = parse_timestamp("2024-01-01T00:00:17.000Z");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == make_time(2024, 1, 1, 0, 0, 17));
    }
    SECTION("29 February of a leap year") {
        const auto parsed = parse_timestamp("2012-02-29T12:00:00Z");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == make_time(2012, 2, 29, 12, 0, 0));
    }
}

TEST_CASE("parse_timestamp keeps milliseconds of fractions", "[core]") {
    SECTION("one digit is tenths") {
        const auto parsed = parse_timestamp("2012-03-29T07:10:34.5Z");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == make_time(2012, 3, 29, 7, 10, 34, 500));
    }
    SECTION("three digits are milliseconds") {
        const auto parsed = parse_timestamp("2012-03-29T07:10:34.042Z");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == make_time(2012, 3, 29, 7, 10, 34, 42));
    }
    SECTION("microseconds are truncated") {
        const auto parsed = parse_timestamp("2012-03-29T07:10:34.123456Z");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == make_time(2012, 3, 29, 7, 10, 34, 123));
    }
    SECTION("truncation does not round up") {
        const auto parsed = parse_timestamp("2012-03-29T07:10:34.9999");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == make_time(2012, 3, 29, 7, 10, 34, 999));
    }
}

TEST_CASE("parse_timestamp applies zone offsets", "[core]") {
    const event_time expected = make_time(2012, 3, 29, 7, 10, 34);

    SECTION("east of UTC with a colon") {
        // 16:10:34 at +09:00 is 16:10:34 - 9 h = 07:10:34 UTC.
        const auto parsed = parse_timestamp("2012-03-29T16:10:34+09:00");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == expected);
    }
    SECTION("west of UTC without a colon") {
        // 02:10:34 at -05:00 is 02:10:34 + 5 h = 07:10:34 UTC.
        const auto parsed = parse_timestamp("2012-03-29T02:10:34-0500");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == expected);
    }
    SECTION("offset with minutes") {
        // 12:40:34 at +05:30 is 12:40:34 - 5 h 30 min = 07:10:34 UTC.
        const auto parsed = parse_timestamp("2012-03-29T12:40:34+05:30");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == expected);
    }
    SECTION("offset that crosses midnight") {
        // 2012-03-30T01:10:34 at +18:00 is 2012-03-29T07:10:34 UTC.
        const auto parsed = parse_timestamp("2012-03-30T01:10:34+18:00");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == expected);
    }
    SECTION("fraction and offset together") {
        const auto parsed = parse_timestamp("2012-03-29T16:10:34.250+09:00");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == make_time(2012, 3, 29, 7, 10, 34, 250));
    }
}

TEST_CASE("parse_timestamp rejects impossible or malformed text", "[core]") {
    const char* text = GENERATE(as<const char*>{},
                                "",                           // empty
                                "(corrupt)",                  // not a date at all
                                "2012-13-01T00:00:00Z",       // month 13
                                "2012-00-10T00:00:00Z",       // month 0
                                "2012-02-30T00:00:00Z",       // 30 February
                                "2013-02-29T00:00:00Z",       // 29 February of a common year
                                "2012-03-29T25:00:00Z",       // hour 25
                                "2012-03-29T24:00:00Z",       // hour 24
                                "2012-03-29T07:60:00Z",       // minute 60
                                "2012-06-30T23:59:60Z",       // leap second
                                "2012-03-29T07:10:34Zjunk",   // text after the zone
                                "2012-03-29T07:10:34 junk",   // text after the time
                                "2012-03-29T07:10:34.Z",      // dot without digits
                                "2012-03-29T07:10",           // no seconds
                                "2012-03-29",                 // date only
                                "2012/03/29 07:10:34",        // wrong date separator
                                "2012-03-29X07:10:34Z",       // wrong date-time separator
                                "2012-03-29T07:10:34+09",     // offset without minutes
                                "2012-03-29T07:10:34+24:00",  // offset hour 24
                                "2012-03-29T07:10:34+09:60",  // offset minute 60
                                "2012-03-29T07:10:34+09:00Z", // offset and Z
                                "12-03-29T07:10:34Z");        // two-digit year
    INFO("text: \"" << text << "\"");
    CHECK_FALSE(parse_timestamp(text).has_value());
}

TEST_CASE("format_timestamp writes UTC with optional milliseconds", "[core]") {
    SECTION("whole seconds have no fraction") {
        CHECK(format_timestamp(make_time(2012, 3, 29, 7, 10, 34)) == "2012-03-29T07:10:34Z");
    }
    SECTION("nonzero milliseconds get three digits") {
        CHECK(format_timestamp(make_time(2012, 3, 29, 7, 10, 34, 5)) == "2012-03-29T07:10:34.005Z");
        CHECK(format_timestamp(make_time(2012, 3, 29, 7, 10, 34, 500)) == "2012-03-29T07:10:34.500Z");
    }
    SECTION("the Unix epoch") {
        CHECK(format_timestamp(event_time{}) == "1970-01-01T00:00:00Z");
    }
    SECTION("an instant before the epoch") {
        // One millisecond before 1970-01-01T00:00:00Z.
        CHECK(format_timestamp(event_time{milliseconds{-1}}) == "1969-12-31T23:59:59.999Z");
    }
    SECTION("append_timestamp appends the same text") {
        std::string out = "at ";
        radstream::core::append_timestamp(out, make_time(2024, 1, 1, 0, 0, 17, 123));
        CHECK(out == "at 2024-01-01T00:00:17.123Z");
    }
}

TEST_CASE("timestamps round-trip through format and parse", "[core]") {
    SECTION("each spelling of one instant formats alike") {
        const char* text = GENERATE(as<const char*>{}, "2012-03-29T07:10:34Z", "2012-03-29 07:10:34",
                                    "2012-03-29T07:10:34.000Z", "2012-03-29T16:10:34+09:00",
                                    "2012-03-29T02:10:34-0500");
        INFO("text: \"" << text << "\"");
        const auto parsed = parse_timestamp(text);
        REQUIRE(parsed.has_value());
        CHECK(format_timestamp(*parsed) == "2012-03-29T07:10:34Z");
    }
    SECTION("formatted text parses back to the same instant") {
        const event_time time = GENERATE(make_time(2012, 3, 29, 7, 10, 34), make_time(2011, 3, 11, 5, 46, 18, 1),
                                         make_time(2024, 12, 31, 23, 59, 59, 999), event_time{milliseconds{-1}});
        const std::string text = format_timestamp(time);
        INFO("text: \"" << text << "\"");
        const auto parsed = parse_timestamp(text);
        REQUIRE(parsed.has_value());
        CHECK(*parsed == time);
    }
}
