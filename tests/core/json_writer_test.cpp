#include "radstream/core/json_writer.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace {

using radstream::core::append_json_number;
using radstream::core::append_json_string;
using radstream::core::json_object_writer;
using radstream::core::truncate_utf8;

// U+FFFD REPLACEMENT CHARACTER in UTF-8.
constexpr std::string_view replacement = "\xEF\xBF\xBD";

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

std::string json_number(double value) {
    std::string out;
    append_json_number(out, value);
    return out;
}

} // namespace

TEST_CASE("JSON strings escape quotes and backslashes", "[core]") {
    CHECK(json_string("") == R"("")");
    CHECK(json_string("plain text") == R"("plain text")");
    CHECK(json_string(R"(say "hi")") == R"("say \"hi\"")");
    CHECK(json_string(R"(C:\data\log)") == R"("C:\\data\\log")");
    CHECK(json_string("a/b") == R"("a/b")");
}

TEST_CASE("JSON strings escape control characters", "[core]") {
    SECTION("short escapes") {
        CHECK(json_string("a\nb") == R"("a\nb")");
        CHECK(json_string("a\rb") == R"("a\rb")");
        CHECK(json_string("a\tb") == R"("a\tb")");
        CHECK(json_string("a\bb") == R"("a\bb")");
        CHECK(json_string("a\fb") == R"("a\fb")");
    }
    SECTION("other control characters as \\u00XX") {
        CHECK(json_string("\x01") == R"("\u0001")");
        CHECK(json_string("\x1F") == R"("\u001f")");
        CHECK(json_string(std::string_view{"a\0b", 3}) == R"("a\u0000b")");
    }
    SECTION("DEL") {
        CHECK(json_string("\x7F") == R"("\u007f")");
    }
}

TEST_CASE("JSON strings keep valid UTF-8", "[core]") {
    // Two, three and four bytes: U+00B5, U+20AC and U+1D11E.
    CHECK(json_string("\xC2\xB5Sv/h") == "\"\xC2\xB5Sv/h\"");
    CHECK(json_string("\xE2\x82\xAC") == "\"\xE2\x82\xAC\"");
    CHECK(json_string("\xF0\x9D\x84\x9E") == "\"\xF0\x9D\x84\x9E\"");
    // The highest code point, U+10FFFF.
    CHECK(json_string("\xF4\x8F\xBF\xBF") == "\"\xF4\x8F\xBF\xBF\"");
    // Japanese place name Fukushima.
    CHECK(json_string("\xE7\xA6\x8F\xE5\xB3\xB6") == "\"\xE7\xA6\x8F\xE5\xB3\xB6\"");
}

TEST_CASE("JSON strings replace invalid UTF-8", "[core]") {
    // Each byte that does not start a valid sequence becomes one U+FFFD, and
    // the bytes after it are read again from the start.
    const std::string one_replacement = std::string{replacement};
    const std::string two_replacements = one_replacement + one_replacement;
    const std::string three_replacements = two_replacements + one_replacement;

    SECTION("lone lead byte") {
        CHECK(json_string("a\xF2z") == "\"a" + one_replacement + "z\"");
        CHECK(json_string("\xF2") == "\"" + one_replacement + "\"");
    }
    SECTION("lone continuation byte") {
        CHECK(json_string("\x80") == "\"" + one_replacement + "\"");
    }
    SECTION("sequence cut by the end of the text") {
        // E2 82 is the start of U+20AC without its last byte.
        CHECK(json_string("a\xE2\x82") == "\"a" + two_replacements + "\"");
    }
    SECTION("sequence cut by an ASCII byte") {
        CHECK(json_string("\xE2\x82z") == "\"" + two_replacements + "z\"");
    }
    SECTION("overlong encoding of /") {
        CHECK(json_string("\xC0\xAF") == "\"" + two_replacements + "\"");
    }
    SECTION("overlong three-byte encoding") {
        CHECK(json_string("\xE0\x80\xAF") == "\"" + three_replacements + "\"");
    }
    SECTION("UTF-16 surrogate U+D800") {
        CHECK(json_string("\xED\xA0\x80") == "\"" + three_replacements + "\"");
    }
    SECTION("code point above U+10FFFF") {
        CHECK(json_string("\xF4\x90\x80\x80") == "\"" + three_replacements + one_replacement + "\"");
    }
    SECTION("bytes that never occur in UTF-8") {
        CHECK(json_string("\xFE\xFF") == "\"" + two_replacements + "\"");
    }
}

TEST_CASE("JSON numbers use the shortest exact text", "[core]") {
    CHECK(json_number(42.0) == "42");
    CHECK(json_number(0.1) == "0.1");
    CHECK(json_number(-2.5) == "-2.5");
    CHECK(json_number(34.6260916666667) == "34.6260916666667");
    CHECK(json_number(0.0) == "0");
    CHECK(json_number(-0.0) == "0");
}

TEST_CASE("JSON numbers write non-finite values as null", "[core]") {
    CHECK(json_number(std::numeric_limits<double>::quiet_NaN()) == "null");
    CHECK(json_number(std::numeric_limits<double>::infinity()) == "null");
    CHECK(json_number(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("truncate_utf8 never splits a sequence", "[core]") {
    SECTION("text within the limit is unchanged") {
        CHECK(truncate_utf8("abc", 3) == "abc");
        CHECK(truncate_utf8("abc", 10) == "abc");
        CHECK(truncate_utf8("", 0).empty());
    }
    SECTION("ASCII is cut at the limit") {
        CHECK(truncate_utf8("abcdef", 3) == "abc");
        CHECK(truncate_utf8("abcdef", 0).empty());
    }
    SECTION("two-byte sequence") {
        // "a" + U+00E9 (C3 A9) + "b": a cut at 2 would leave C3 alone.
        const std::string_view text = "a\xC3\xA9" "b";
        CHECK(truncate_utf8(text, 1) == "a");
        CHECK(truncate_utf8(text, 2) == "a");
        CHECK(truncate_utf8(text, 3) == "a\xC3\xA9");
    }
    SECTION("three-byte sequence") {
        // U+20AC is E2 82 AC.
        const std::string_view text = "\xE2\x82\xAC\xE2\x82\xAC";
        CHECK(truncate_utf8(text, 1).empty());
        CHECK(truncate_utf8(text, 2).empty());
        CHECK(truncate_utf8(text, 3) == "\xE2\x82\xAC");
        CHECK(truncate_utf8(text, 5) == "\xE2\x82\xAC");
    }
    SECTION("four-byte sequence") {
        // U+1D11E is F0 9D 84 9E.
        const std::string_view text = "x\xF0\x9D\x84\x9E";
        CHECK(truncate_utf8(text, 4) == "x");
        CHECK(truncate_utf8(text, 5) == text);
    }
}

// BUG: truncate_utf8 steps back over every continuation byte before the cut,
// although a valid sequence has at most 3 of them. On invalid input such as
// a corrupted bGeigie line it can drop far more than the sequence it protects.
TEST_CASE("truncate_utf8 drops at most 3 bytes", "[core]") {
    SECTION("a run of stray continuation bytes before the cut") {
        // "abc", five 0x80 bytes, "xyz": the cut at 7 falls inside the run.
        const std::string text = "abc\x80\x80\x80\x80\x80xyz";
        CHECK(truncate_utf8(text, 7).size() >= 4);
    }
    SECTION("a long corrupted line") {
        // 7 + 2000 stray bytes cut to 1024: no sequence is split, so
        // nothing more than the cut goes.
        const std::string text = "$BNRDD," + std::string(2000, '\x80');
        CHECK(truncate_utf8(text, 1024).size() >= 1021);
    }
}

TEST_CASE("json_object_writer builds one exact object", "[core]") {
    std::string out = "stale text is cleared";
    json_object_writer json(out);
    json.field("name", "Fukushima \"Daiichi\"")
        .field("cpm", 42.0)
        .field("dose", std::numeric_limits<double>::quiet_NaN())
        .field("offset", std::int64_t{-3})
        .field("count", std::numeric_limits<std::uint64_t>::max())
        .field("critical", true)
        .field("valid", false)
        .null_field("height")
        .raw_field("extra", R"([1,{"a":2}])")
        .optional_field("empty", std::string_view{})
        .optional_field("absent", std::optional<double>{})
        .optional_field("device_id", "bGeigie-1")
        .optional_field("speed", std::optional<double>{0.5})
        .field("line\n", "tab\there");
    json.finish();

    CHECK(out == R"({"name":"Fukushima \"Daiichi\"","cpm":42,"dose":null,"offset":-3,)"
                 R"("count":18446744073709551615,"critical":true,"valid":false,"height":null,)"
                 R"("extra":[1,{"a":2}],"device_id":"bGeigie-1","speed":0.5,"line\n":"tab\there"})");
}

TEST_CASE("json_object_writer writes an empty object", "[core]") {
    std::string out = "x";
    json_object_writer json(out);
    json.finish();
    CHECK(out == "{}");
}
