#include "radstream/core/composite_key.hpp"

#include "radstream/core/event_time.hpp"
#include "radstream/core/number_text.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using namespace std::chrono;
using radstream::core::event_time;
using radstream::core::kafka_partition_for_key;
using radstream::core::make_composite_key;
using radstream::core::murmur2;
using radstream::core::normalize_unit;

event_time parse_time(std::string_view text) {
    const auto parsed = radstream::core::parse_timestamp(text);
    REQUIRE(parsed.has_value());
    return *parsed;
}

double parse_number(std::string_view text) {
    const auto parsed = radstream::core::parse_finite_number(text);
    REQUIRE(parsed.has_value());
    return *parsed;
}

// The key of a reading whose numbers and time are given as text, the way
// producers spell them.
std::string make_key_from_text(std::string_view latitude, std::string_view longitude, std::string_view value,
                               std::string_view captured_time, std::string_view unit) {
    return make_composite_key(parse_number(latitude), parse_number(longitude), parse_number(value),
                              parse_time(captured_time), normalize_unit(unit));
}

// Kafka's murmur2 result as the Java client's signed int shows it.
std::int32_t murmur2_as_java_int(std::string_view data) {
    return static_cast<std::int32_t>(murmur2(data));
}

} // namespace

TEST_CASE("composite key has the documented text", "[core]") {
    const std::string key = make_composite_key(34.6260916666667, 138.138006666667, 33.0,
                                               parse_time("2013-02-02T18:42:29Z"), "cpm");
    CHECK(key == "34.6260916666667|138.138006666667|33|2013-02-02T18:42:29Z|cpm");
}

TEST_CASE("composite key keeps milliseconds and signs", "[core]") {
    const std::string key = make_composite_key(-33.8688, -151.2093, 0.125, parse_time("2024-01-01T00:00:17.250Z"),
                                               "usv/h");
    CHECK(key == "-33.8688|-151.2093|0.125|2024-01-01T00:00:17.250Z|usv/h");
}

TEST_CASE("composite key ignores number and time spelling", "[core]") {
    const std::string reference =
        make_key_from_text("34.5", "138.25", "42", "2012-03-29T07:10:34Z", "cpm");
    REQUIRE(reference == "34.5|138.25|42|2012-03-29T07:10:34Z|cpm");

    SECTION("42 and 42.0") {
        CHECK(make_key_from_text("34.5", "138.25", "42.0", "2012-03-29T07:10:34Z", "cpm") == reference);
    }
    SECTION("exponent and plus sign") {
        CHECK(make_key_from_text("+34.50", "1.3825e2", "4.2e1", "2012-03-29T07:10:34Z", "cpm") == reference);
    }
    SECTION("space-separated time without a zone") {
        CHECK(make_key_from_text("34.5", "138.25", "42", "2012-03-29 07:10:34", "cpm") == reference);
    }
    SECTION("time with an offset and zero milliseconds") {
        CHECK(make_key_from_text("34.5", "138.25", "42", "2012-03-29T16:10:34.000+09:00", "cpm") == reference);
    }
    SECTION("unit in upper case with a trailing space") {
        CHECK(make_key_from_text("34.5", "138.25", "42", "2012-03-29T07:10:34Z", "CPM ") == reference);
    }
}

TEST_CASE("composite key writes both zeros as 0", "[core]") {
    const event_time time = parse_time("2012-03-29T07:10:34Z");
    const std::string positive = make_composite_key(0.0, 0.0, 42, time, "cpm");
    const std::string negative = make_composite_key(-0.0, -0.0, 42, time, "cpm");
    CHECK(positive == "0|0|42|2012-03-29T07:10:34Z|cpm");
    CHECK(negative == positive);
    CHECK(make_key_from_text("-0", "-0.0", "42", "2012-03-29T07:10:34Z", "cpm") == positive);
}

TEST_CASE("normalize_unit folds case, space and micro", "[core]") {
    SECTION("ASCII case and surrounding spaces") {
        CHECK(normalize_unit("CPM ") == "cpm");
        CHECK(normalize_unit(" \tCpm\t") == "cpm");
        CHECK(normalize_unit("uSv/h") == "usv/h");
    }
    SECTION("micro sign U+00B5") {
        CHECK(normalize_unit("\xC2\xB5Sv/h") == "usv/h");
    }
    SECTION("Greek small mu U+03BC") {
        CHECK(normalize_unit("\xCE\xBCSv/h") == "usv/h");
    }
    SECTION("other UTF-8 is kept as is") {
        // U+00C9 (capital E with acute) is not ASCII, so it is not lower-cased.
        CHECK(normalize_unit("\xC3\x89V") == "\xC3\x89v");
    }
    SECTION("a lone lead byte at the end is kept") {
        CHECK(normalize_unit("SV\xC2") == "sv\xC2");
    }
    SECTION("empty and blank") {
        CHECK(normalize_unit("").empty());
        CHECK(normalize_unit("  \t ").empty());
    }
}

TEST_CASE("normalize_unit trims line breaks", "[core]") {
    CHECK(normalize_unit("cpm\r") == "cpm");
    CHECK(normalize_unit("cpm\r\n") == "cpm");
    CHECK(normalize_unit("\ncpm") == "cpm");
    CHECK(normalize_unit("\v\fcpm\f") == "cpm");
}

TEST_CASE("murmur2 matches the Kafka Java client", "[core]") {
    // Expected values are the vectors of UtilsTest.testMurmur2 in the Kafka
    // Java client (clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java),
    // written as Java ints. Each one was also recomputed once with a separate
    // Python port of Utils.murmur2 before it was put here.
    CHECK(murmur2_as_java_int("21") == -973932308);
    CHECK(murmur2_as_java_int("foobar") == -790332482);
    CHECK(murmur2_as_java_int("a-little-bit-long-string") == -985981536);
    CHECK(murmur2_as_java_int("a-little-bit-longer-string") == -1486304829);
    CHECK(murmur2_as_java_int("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
    CHECK(murmur2_as_java_int("abc") == 479470107);
}

TEST_CASE("murmur2 covers every tail length", "[core]") {
    // Kafka publishes no vectors for these. The values come from the Python
    // port mentioned above, which reads bytes as unsigned (`& 0xff`) the way
    // the Java code does, so bytes of 0x80 and above are covered too.
    SECTION("empty input has only the seed mixed in") {
        CHECK(murmur2("") == 275646681U);
    }
    SECTION("one whole word and no tail") {
        CHECK(murmur2_as_java_int("abcd") == -1323649548);
    }
    SECTION("two-byte tail above 0x7F") {
        CHECK(murmur2("\xC3\xA9") == 186971271U);
    }
    SECTION("three-byte tail above 0x7F") {
        CHECK(murmur2("\xFF\xFF\xFF") == 1548199422U);
    }
    SECTION("word and tail above 0x7F") {
        CHECK(murmur2("\x80\x81\x82\x83\xFF") == 59675667U);
    }
}

TEST_CASE("kafka_partition_for_key clears the sign bit", "[core]") {
    SECTION("negative Java hashes") {
        // "foobar": 0xD0E47BBE & 0x7FFFFFFF = 1357151166; 1357151166 % 4 = 2 and % 12 = 6.
        CHECK(kafka_partition_for_key("foobar", 4) == 2);
        CHECK(kafka_partition_for_key("foobar", 12) == 6);
        // "a-little-bit-longer-string": 0xA768C9C3 & 0x7FFFFFFF = 661178819; % 4 = 3, % 12 = 11.
        CHECK(kafka_partition_for_key("a-little-bit-longer-string", 4) == 3);
        CHECK(kafka_partition_for_key("a-little-bit-longer-string", 12) == 11);
        // "lkjh...h8": 0xFC7D49CD & 0x7FFFFFFF = 2088585677; % 4 = 1.
        CHECK(kafka_partition_for_key("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", 4) == 1);
    }
    SECTION("positive Java hash") {
        // "abc": 479470107 % 4 = 3.
        CHECK(kafka_partition_for_key("abc", 4) == 3);
    }
    SECTION("one partition") {
        CHECK(kafka_partition_for_key("foobar", 1) == 0);
    }
    SECTION("a composite key") {
        // murmur2 of this key is 0xE9005E34 (Python port); & 0x7FFFFFFF = 1761631796; % 3 = 2.
        CHECK(kafka_partition_for_key("34.6260916666667|138.138006666667|33|2013-02-02T18:42:29Z|cpm", 3) == 2);
    }
}
