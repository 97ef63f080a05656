#include "radstream/config/app_config.hpp"
#include "radstream/core/dirty_reason.hpp"
#include "radstream/core/event_time.hpp"
#include "radstream/graph/counters.hpp"
#include "radstream/graph/record.hpp"
#include "radstream/graph/record_operator.hpp"
#include "radstream/operators/builtin_operators.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace std::chrono;
using radstream::config::app_config;
using radstream::core::dirty_reason;
using radstream::core::event_time;
using radstream::graph::disposition;
using radstream::graph::record;

// The fixed wall clock of every test: 2024-06-01T12:00:00Z.
const event_time fixed_now{sys_days{year{2024} / 6 / 1} + hours{12}};

// One message field as (name, JSON value text). A missing value drops the field.
using field_change = std::pair<std::string, std::optional<std::string>>;

// Builds a radiation-data message: a valid Safecast reading with `changes`
// applied, fields in a fixed order.
std::string make_message(const std::vector<field_change>& changes = {}) {
    std::vector<std::pair<std::string, std::optional<std::string>>> fields{
        {"captured_time", R"("2013-02-02T18:42:29Z")"},
        {"latitude", "34.6260916666667"},
        {"longitude", "138.138006666667"},
        {"value", "33"},
        {"unit", R"("cpm")"},
        {"device_id", R"("bGeigie-1")"},
    };
    for (const auto& [name, value] : changes) {
        bool replaced = false;
        for (auto& field : fields) {
            if (field.first == name) {
                field.second = value;
                replaced = true;
            }
        }
        if (!replaced) {
            fields.emplace_back(name, value);
        }
    }
    std::string json = "{";
    for (const auto& [name, value] : fields) {
        if (!value) {
            continue;
        }
        if (json.size() > 1) {
            json += ',';
        }
        json += '"' + name + "\":" + *value;
    }
    return json + "}";
}

// Builds a record the way the process stage does: payload, then decode.
record make_record(std::string payload) {
    record item;
    item.payload = std::move(payload);
    item.origin = "radiation-data/0@0";
    radstream::graph::decode_message(item);
    return item;
}

// A validate operator with its context, on a fixed clock.
struct validate_fixture {
    app_config config;
    radstream::graph::partition_counters counters;
    std::unique_ptr<radstream::graph::operator_context> context;
    std::unique_ptr<radstream::graph::record_operator> validate;

    // Creates the operator from the current `config`. Call it again after changing `config`.
    void start() {
        context = std::make_unique<radstream::graph::operator_context>(
            radstream::graph::operator_context{config, 0, 1, counters, [] { return fixed_now; }});
        validate = radstream::operators::make_validate_operator(*context);
    }

    // Decodes `payload` and runs validate on it as the process stage does,
    // which skips operators for records that are already rejected.
    record run(std::string payload) {
        if (!validate) {
            start();
        }
        record item = make_record(std::move(payload));
        if (item.state == disposition::pass || validate->sees_rejected()) {
            validate->process(item);
        }
        return item;
    }
};

void check_passes(const record& item) {
    CHECK(item.state == disposition::pass);
    CHECK(item.message.empty());
}

void check_dirty(const record& item, dirty_reason reason, const std::string& message) {
    CHECK(item.state == disposition::dirty);
    CHECK(radstream::core::to_string(item.reason) == radstream::core::to_string(reason));
    CHECK(item.message == message);
}

} // namespace

TEST_CASE("validate passes a clean reading", "[operators]") {
    validate_fixture fixture;
    check_passes(fixture.run(make_message()));
}

TEST_CASE("validate accepts numbers written as strings", "[operators]") {
    validate_fixture fixture;
    const record item = fixture.run(make_message({{"latitude", R"("34.5")"},
                                                  {"longitude", R"(" 138.25 ")"},
                                                  {"value", R"("+42.0")"}}));
    check_passes(item);
    REQUIRE(item.latitude.number.has_value());
    CHECK(*item.latitude.number == 34.5);
    REQUIRE(item.longitude.number.has_value());
    CHECK(*item.longitude.number == 138.25);
    REQUIRE(item.value.number.has_value());
    CHECK(*item.value.number == 42.0);
}

TEST_CASE("validate reports unparseable messages", "[operators]") {
    validate_fixture fixture;

    SECTION("payload that is not JSON") {
        // decode_message rejects it before validate, which skips rejected records.
        check_dirty(fixture.run("not json"), dirty_reason::unparseable,
                    "message is not valid JSON: Problem while parsing an atom starting with the letter 'n'");
    }
    SECTION("JSON array instead of an object") {
        check_dirty(fixture.run("[1,2]"), dirty_reason::unparseable,
                    "message is JSON but not an object; send one JSON object per reading");
    }
    SECTION("ingest defect with its message") {
        check_dirty(fixture.run(R"({"defect":"unparseable","defect_message":"line 7: 3 fields, expected 13",)"
                                R"("raw":"a,b,c","source":"log.csv:7"})"),
                    dirty_reason::unparseable, "line 7: 3 fields, expected 13");
    }
    SECTION("ingest defect without a message") {
        check_dirty(fixture.run(R"({"defect":"unparseable"})"), dirty_reason::unparseable,
                    R"(ingest reported "unparseable")");
    }
    SECTION("unknown defect name counts as unparseable") {
        check_dirty(fixture.run(make_message({{"defect", R"("cosmic_ray")"}})), dirty_reason::unparseable,
                    R"(ingest reported "cosmic_ray")");
    }
}

TEST_CASE("validate names the missing field", "[operators]") {
    validate_fixture fixture;
    const std::string field = GENERATE(as<std::string>{}, "captured_time", "latitude", "longitude", "value", "unit");

    SECTION("field absent") {
        INFO("field: " << field);
        check_dirty(fixture.run(make_message({{field, std::nullopt}})), dirty_reason::missing_field,
                    "required field \"" + field + "\" is missing or empty");
    }
    SECTION("field null") {
        INFO("field: " << field);
        check_dirty(fixture.run(make_message({{field, "null"}})), dirty_reason::missing_field,
                    "required field \"" + field + "\" is missing or empty");
    }
    SECTION("field empty string") {
        INFO("field: " << field);
        check_dirty(fixture.run(make_message({{field, R"("")"}})), dirty_reason::missing_field,
                    "required field \"" + field + "\" is missing or empty");
    }
}

TEST_CASE("validate treats a blank unit as missing", "[operators]") {
    validate_fixture fixture;
    check_dirty(fixture.run(make_message({{"unit", R"(" \t ")"}})), dirty_reason::missing_field,
                R"(required field "unit" is missing or empty)");
}

TEST_CASE("validate reports the first missing field", "[operators]") {
    validate_fixture fixture;
    // Checks run in the order captured_time, latitude, longitude, value, unit.
    check_dirty(fixture.run(make_message({{"longitude", std::nullopt}, {"unit", std::nullopt}})),
                dirty_reason::missing_field, R"(required field "longitude" is missing or empty)");
}

TEST_CASE("validate rejects an unparseable capture time", "[operators]") {
    validate_fixture fixture;

    SECTION("month 13") {
        check_dirty(fixture.run(make_message({{"captured_time", R"("2013-13-02T18:42:29Z")"}})),
                    dirty_reason::time_unparseable,
                    R"(captured_time "2013-13-02T18:42:29Z" is not an ISO-8601 date-time such as 2012-03-29T07:10:34Z)");
    }
    SECTION("corrupt text") {
        check_dirty(fixture.run(make_message({{"captured_time", R"json("(corrupt)")json"}})),
                    dirty_reason::time_unparseable,
                    R"json(captured_time "(corrupt)" is not an ISO-8601 date-time such as 2012-03-29T07:10:34Z)json");
    }
    SECTION("a JSON number") {
        check_dirty(fixture.run(make_message({{"captured_time", "1359830549"}})), dirty_reason::time_unparseable,
                    R"(captured_time "1359830549" is not an ISO-8601 date-time such as 2012-03-29T07:10:34Z)");
    }
}

TEST_CASE("validate enforces the minimum capture time", "[operators]") {
    validate_fixture fixture;

    SECTION("the 2000-01-01 of a device without a clock fix") {
        check_dirty(fixture.run(make_message({{"captured_time", R"("2000-01-01T00:00:00Z")"}})),
                    dirty_reason::time_before_minimum,
                    "captured_time 2000-01-01T00:00:00Z is before the minimum 2011-03-01T00:00:00Z "
                    "(validate.min_capture_time); devices without a clock fix report 2000-01-01");
    }
    SECTION("one millisecond before the minimum") {
        check_dirty(fixture.run(make_message({{"captured_time", R"("2011-02-28T23:59:59.999Z")"}})),
                    dirty_reason::time_before_minimum,
                    "captured_time 2011-02-28T23:59:59.999Z is before the minimum 2011-03-01T00:00:00Z "
                    "(validate.min_capture_time); devices without a clock fix report 2000-01-01");
    }
    SECTION("exactly the minimum passes") {
        check_passes(fixture.run(make_message({{"captured_time", R"("2011-03-01T00:00:00Z")"}})));
    }
}

TEST_CASE("validate rejects capture times in the future", "[operators]") {
    // now is 2024-06-01T12:00:00Z and the default skew is 300 s, so the
    // latest accepted time is 12:05:00.
    validate_fixture fixture;

    SECTION("now plus skew passes") {
        check_passes(fixture.run(make_message({{"captured_time", R"("2024-06-01T12:05:00Z")"}})));
    }
    SECTION("now plus skew plus 1 ms fails") {
        check_dirty(fixture.run(make_message({{"captured_time", R"("2024-06-01T12:05:00.001Z")"}})),
                    dirty_reason::time_in_future,
                    "captured_time 2024-06-01T12:05:00.001Z is later than now plus 300 s "
                    "(validate.max_clock_skew_seconds)");
    }
    SECTION("the skew comes from the config") {
        fixture.config.validate.max_clock_skew = seconds{0};
        fixture.start();
        check_passes(fixture.run(make_message({{"captured_time", R"("2024-06-01T12:00:00Z")"}})));
        check_dirty(fixture.run(make_message({{"captured_time", R"("2024-06-01T12:00:00.001Z")"}})),
                    dirty_reason::time_in_future,
                    "captured_time 2024-06-01T12:00:00.001Z is later than now plus 0 s "
                    "(validate.max_clock_skew_seconds)");
    }
    SECTION("an offset is applied before the comparison") {
        // 21:05:00+09:00 is 12:05:00Z, exactly the latest accepted time.
        check_passes(fixture.run(make_message({{"captured_time", R"("2024-06-01T21:05:00+09:00")"}})));
    }
}

TEST_CASE("validate rejects an invalid latitude", "[operators]") {
    validate_fixture fixture;

    SECTION("above 90") {
        check_dirty(fixture.run(make_message({{"latitude", "91"}})), dirty_reason::latitude_invalid,
                    R"(latitude "91" is not a number in [-90, 90])");
    }
    SECTION("just below -90") {
        check_dirty(fixture.run(make_message({{"latitude", "-90.0001"}})), dirty_reason::latitude_invalid,
                    R"(latitude "-90.0001" is not a number in [-90, 90])");
    }
    SECTION("not a number") {
        check_dirty(fixture.run(make_message({{"latitude", R"("abc")"}})), dirty_reason::latitude_invalid,
                    R"(latitude "abc" is not a number in [-90, 90])");
    }
    SECTION("NaN as a string") {
        check_dirty(fixture.run(make_message({{"latitude", R"("NaN")"}})), dirty_reason::latitude_invalid,
                    R"(latitude "NaN" is not a number in [-90, 90])");
    }
    SECTION("overflow as a string") {
        check_dirty(fixture.run(make_message({{"latitude", R"("1e999")"}})), dirty_reason::latitude_invalid,
                    R"(latitude "1e999" is not a number in [-90, 90])");
    }
    SECTION("both poles pass") {
        check_passes(fixture.run(make_message({{"latitude", "90"}})));
        check_passes(fixture.run(make_message({{"latitude", "-90"}})));
    }
}

TEST_CASE("validate rejects an invalid longitude", "[operators]") {
    validate_fixture fixture;

    SECTION("above 180") {
        check_dirty(fixture.run(make_message({{"longitude", "180.5"}})), dirty_reason::longitude_invalid,
                    R"(longitude "180.5" is not a number in [-180, 180])");
    }
    SECTION("below -180") {
        check_dirty(fixture.run(make_message({{"longitude", R"("-181")"}})), dirty_reason::longitude_invalid,
                    R"(longitude "-181" is not a number in [-180, 180])");
    }
    SECTION("the antimeridian passes") {
        check_passes(fixture.run(make_message({{"longitude", "180"}})));
        check_passes(fixture.run(make_message({{"longitude", "-180"}})));
    }
}

TEST_CASE("validate quotes long input in 200 bytes", "[operators]") {
    validate_fixture fixture;
    const std::string long_text(300, 'x');
    check_dirty(fixture.run(make_message({{"latitude", '"' + long_text + '"'}})), dirty_reason::latitude_invalid,
                "latitude \"" + std::string(200, 'x') + "\" is not a number in [-90, 90]");
}

TEST_CASE("validate rejects position (0, 0)", "[operators]") {
    validate_fixture fixture;
    const std::string message =
        "position (0, 0) means the device had no GPS fix; set validate.reject_null_island = false to keep such "
        "readings";

    SECTION("as numbers") {
        check_dirty(fixture.run(make_message({{"latitude", "0"}, {"longitude", "0.0"}})), dirty_reason::no_gps_fix,
                    message);
    }
    SECTION("as strings with negative zero") {
        check_dirty(fixture.run(make_message({{"latitude", R"("-0")"}, {"longitude", R"("0")"}})),
                    dirty_reason::no_gps_fix, message);
    }
    SECTION("only one zero coordinate passes") {
        check_passes(fixture.run(make_message({{"latitude", "0"}})));
        check_passes(fixture.run(make_message({{"longitude", "0"}})));
    }
    SECTION("accepted when reject_null_island is false") {
        fixture.config.validate.reject_null_island = false;
        fixture.start();
        check_passes(fixture.run(make_message({{"latitude", "0"}, {"longitude", "0"}})));
    }
}

TEST_CASE("validate rejects a value not above 0", "[operators]") {
    validate_fixture fixture;

    SECTION("zero") {
        check_dirty(fixture.run(make_message({{"value", "0"}})), dirty_reason::value_invalid,
                    R"(value "0" is not a finite number above 0)");
    }
    SECTION("negative") {
        check_dirty(fixture.run(make_message({{"value", "-1"}})), dirty_reason::value_invalid,
                    R"(value "-1" is not a finite number above 0)");
    }
    SECTION("infinity as a string") {
        check_dirty(fixture.run(make_message({{"value", R"("inf")"}})), dirty_reason::value_invalid,
                    R"(value "inf" is not a finite number above 0)");
    }
    SECTION("text") {
        check_dirty(fixture.run(make_message({{"value", R"("n/a")"}})), dirty_reason::value_invalid,
                    R"(value "n/a" is not a finite number above 0)");
    }
    SECTION("a small positive value passes") {
        check_passes(fixture.run(make_message({{"value", "0.001"}})));
    }
}

TEST_CASE("validate checks the unit against validate.units", "[operators]") {
    validate_fixture fixture;

    SECTION("usv/h is unknown by default") {
        check_dirty(fixture.run(make_message({{"unit", R"("usv/h")"}})), dirty_reason::unit_unknown,
                    R"(unit "usv/h" is not known; add it with its CPM factor to validate.units)");
    }
    SECTION("the message quotes the unit as written") {
        check_dirty(fixture.run(make_message({{"unit", "\"\xC2\xB5Sv/h\""}})), dirty_reason::unit_unknown,
                    "unit \"\xC2\xB5Sv/h\" is not known; add it with its CPM factor to validate.units");
    }
    SECTION("usv/h is accepted once it has a factor") {
        fixture.config.validate.units["usv/h"] = 334;
        fixture.start();
        check_passes(fixture.run(make_message({{"unit", R"("usv/h")"}})));
        check_passes(fixture.run(make_message({{"unit", "\"\xC2\xB5Sv/h\""}})));
        check_passes(fixture.run(make_message({{"unit", "\"\xCE\xBCSv/h\""}})));
    }
    SECTION("upper case with a trailing space is cpm") {
        check_passes(fixture.run(make_message({{"unit", R"("CPM ")"}})));
    }
}

TEST_CASE("validate turns ingest defects into reasons", "[operators]") {
    validate_fixture fixture;

    SECTION("checksum_mismatch") {
        check_dirty(fixture.run(make_message({{"defect", R"("checksum_mismatch")"},
                                              {"defect_message", R"("checksum 2A does not match computed 3F")"}})),
                    dirty_reason::checksum_mismatch, "checksum 2A does not match computed 3F");
    }
    SECTION("cpm_void") {
        check_dirty(fixture.run(make_message({{"defect", R"("cpm_void")"}})), dirty_reason::cpm_void,
                    R"(ingest reported "cpm_void")");
    }
    SECTION("gps_void") {
        check_dirty(fixture.run(make_message({{"defect", R"("gps_void")"}, {"defect_message", R"("GPS fix is V")"}})),
                    dirty_reason::gps_void, "GPS fix is V");
    }
    SECTION("a defect wins over fields that are fine") {
        const record item = fixture.run(make_message({{"defect", R"("cpm_void")"}}));
        CHECK(radstream::core::to_string(item.reason) == "cpm_void");
    }
}

TEST_CASE("validate produces every dirty reason", "[operators]") {
    // One message per reason; the set of reasons seen must be all of them.
    validate_fixture fixture;
    const std::vector<std::string> messages{
        "not json",
        make_message({{"value", std::nullopt}}),
        make_message({{"captured_time", R"("yesterday")"}}),
        make_message({{"captured_time", R"("2000-01-01T00:00:00Z")"}}),
        make_message({{"captured_time", R"("2080-01-01T00:00:00Z")"}}),
        make_message({{"latitude", "91"}}),
        make_message({{"longitude", "180.5"}}),
        make_message({{"latitude", "0"}, {"longitude", "0"}}),
        make_message({{"value", "0"}}),
        make_message({{"unit", R"("usv/h")"}}),
        make_message({{"defect", R"("checksum_mismatch")"}}),
        make_message({{"defect", R"("cpm_void")"}}),
        make_message({{"defect", R"("gps_void")"}}),
    };
    std::set<std::string> seen;
    for (const auto& message : messages) {
        const record item = fixture.run(message);
        CHECK(item.state == disposition::dirty);
        seen.insert(std::string{radstream::core::to_string(item.reason)});
    }
    // Every reason but late, which the process stage's event-time step
    // gives (tested in tests/e2e).
    std::set<std::string> expected;
    for (const auto reason : radstream::core::all_dirty_reasons) {
        if (reason != radstream::core::dirty_reason::late) {
            expected.insert(std::string{radstream::core::to_string(reason)});
        }
    }
    CHECK(seen == expected);
}
