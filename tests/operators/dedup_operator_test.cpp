#include "radstream/config/app_config.hpp"
#include "radstream/core/event_time.hpp"
#include "radstream/graph/counters.hpp"
#include "radstream/graph/record.hpp"
#include "radstream/graph/record_operator.hpp"
#include "radstream/operators/builtin_operators.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>

// The tests build readings with designated initializers that name only the
// fields they change, and GCC warns about every field left to its default.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

using namespace std::chrono;
using radstream::config::app_config;
using radstream::core::event_time;
using radstream::graph::disposition;
using radstream::graph::record;

// The fixed wall clock of every test: 2024-06-01T12:00:00Z.
const event_time fixed_now{sys_days{year{2024} / 6 / 1} + hours{12}};

// The fields of one reading as JSON value text.
struct reading {
    std::string captured_time = R"("2012-03-29T07:10:34Z")";
    std::string latitude = "34.5";
    std::string longitude = "138.25";
    std::string value = "42";
    std::string unit = R"("cpm")";
    std::string extra;  // more fields, written as `,"name":value`
};

std::string make_message(const reading& r) {
    return R"({"captured_time":)" + r.captured_time + R"(,"latitude":)" + r.latitude + R"(,"longitude":)" +
           r.longitude + R"(,"value":)" + r.value + R"(,"unit":)" + r.unit + r.extra + "}";
}

// A reading captured at `time` (JSON string contents), otherwise the default.
std::string message_at(const std::string& time) {
    return make_message(reading{.captured_time = '"' + time + '"'});
}

// A dedup operator with its context, on a fixed clock.
struct dedup_fixture {
    app_config config;
    int partition_count = 1;
    radstream::graph::partition_counters counters;
    std::unique_ptr<radstream::graph::operator_context> context;
    std::unique_ptr<radstream::graph::record_operator> dedup;

    // Decodes `payload` and runs dedup on it as the process stage does. The
    // operator is created on first use, so set `config` before.
    disposition run(std::string payload, std::optional<event_time> event_clock = std::nullopt) {
        if (!dedup) {
            context = std::make_unique<radstream::graph::operator_context>(radstream::graph::operator_context{
                config, 0, partition_count, counters, [] { return fixed_now; }});
            dedup = radstream::operators::make_dedup_operator(*context);
        }
        record item;
        item.payload = std::move(payload);
        radstream::graph::decode_message(item);
        item.event_clock = event_clock;
        if (item.state == disposition::pass || dedup->sees_rejected()) {
            dedup->process(item);
        }
        return item.state;
    }

    std::uint64_t entries() const { return counters.dedup_entries.load(); }
    std::uint64_t evicted_by_ttl() const { return counters.dedup_evicted_ttl.load(); }
    std::uint64_t evicted_by_capacity() const { return counters.dedup_evicted_capacity.load(); }
};

} // namespace

TEST_CASE("dedup passes the first reading", "[operators]") {
    dedup_fixture fixture;
    CHECK(fixture.run(make_message({})) == disposition::pass);
    CHECK(fixture.entries() == 1);
}

TEST_CASE("dedup marks a repeated key as duplicate", "[operators]") {
    dedup_fixture fixture;
    REQUIRE(fixture.run(make_message({})) == disposition::pass);

    SECTION("same text") {
        CHECK(fixture.run(make_message({})) == disposition::duplicate);
    }
    SECTION("42.0 for 42") {
        CHECK(fixture.run(make_message({.value = "42.0"})) == disposition::duplicate);
    }
    SECTION("numbers as strings") {
        CHECK(fixture.run(make_message({.latitude = R"("34.50")", .value = R"("42")"})) == disposition::duplicate);
    }
    SECTION("time with a space and no zone") {
        CHECK(fixture.run(make_message({.captured_time = R"("2012-03-29 07:10:34")"})) == disposition::duplicate);
    }
    SECTION("time with an offset") {
        CHECK(fixture.run(make_message({.captured_time = R"("2012-03-29T16:10:34+09:00")"})) ==
              disposition::duplicate);
    }
    SECTION("unit in upper case with a space") {
        CHECK(fixture.run(make_message({.unit = R"("CPM ")"})) == disposition::duplicate);
    }
    SECTION("other fields do not count") {
        CHECK(fixture.run(make_message({.extra = R"(,"device_id":"other","height":12)"})) ==
              disposition::duplicate);
    }
    CHECK(fixture.entries() == 1);
}

TEST_CASE("dedup matches micro sign and Greek mu", "[operators]") {
    dedup_fixture fixture;
    REQUIRE(fixture.run(make_message({.value = "0.1", .unit = "\"\xC2\xB5Sv/h\""})) == disposition::pass);
    CHECK(fixture.run(make_message({.value = "0.1", .unit = "\"\xCE\xBCSv/h\""})) == disposition::duplicate);
}

TEST_CASE("dedup keeps readings that differ", "[operators]") {
    dedup_fixture fixture;
    REQUIRE(fixture.run(make_message({})) == disposition::pass);

    CHECK(fixture.run(make_message({.value = "43"})) == disposition::pass);
    CHECK(fixture.run(make_message({.latitude = "34.5000001"})) == disposition::pass);
    CHECK(fixture.run(make_message({.captured_time = R"("2012-03-29T07:10:34.001Z")"})) == disposition::pass);
    CHECK(fixture.run(make_message({.unit = R"("usv/h")"})) == disposition::pass);
    CHECK(fixture.entries() == 5);
}

TEST_CASE("dedup skips records with a defect", "[operators]") {
    dedup_fixture fixture;
    const std::string defect = R"(,"defect":"checksum_mismatch")";

    SECTION("a defect record after a good one is not a duplicate") {
        REQUIRE(fixture.run(make_message({})) == disposition::pass);
        CHECK(fixture.run(make_message({.extra = defect})) == disposition::pass);
        CHECK(fixture.entries() == 1);
    }
    SECTION("a defect record does not hide a later good one") {
        REQUIRE(fixture.run(make_message({.extra = defect})) == disposition::pass);
        CHECK(fixture.entries() == 0);
        CHECK(fixture.run(make_message({})) == disposition::pass);
        CHECK(fixture.entries() == 1);
    }
}

TEST_CASE("dedup passes records without a key", "[operators]") {
    dedup_fixture fixture;
    // Latitude "abc" is not a number, so no composite key can be built.
    const std::string message = make_message({.latitude = R"("abc")"});
    CHECK(fixture.run(message) == disposition::pass);
    CHECK(fixture.run(message) == disposition::pass);
    CHECK(fixture.entries() == 0);
}

TEST_CASE("dedup forgets keys after the TTL", "[operators]") {
    dedup_fixture fixture;
    fixture.config.dedup.ttl = seconds{60};
    const std::string first = message_at("2024-06-01T11:00:00Z");

    REQUIRE(fixture.run(first) == disposition::pass);
    // The clock moves to 11:01:00, so the first reading is exactly 60 s old.
    REQUIRE(fixture.run(message_at("2024-06-01T11:01:00Z")) == disposition::pass);
    CHECK(fixture.run(first) == disposition::duplicate);
    CHECK(fixture.evicted_by_ttl() == 0);

    // The clock moves to 11:01:00.001, so the first reading is 1 ms too old.
    REQUIRE(fixture.run(message_at("2024-06-01T11:01:00.001Z")) == disposition::pass);
    CHECK(fixture.evicted_by_ttl() == 1);
    CHECK(fixture.run(first) == disposition::pass);
    CHECK(fixture.entries() == 3);
}

TEST_CASE("dedup TTL follows the event clock", "[operators]") {
    dedup_fixture fixture;
    fixture.config.dedup.ttl = seconds{60};
    const std::string first = message_at("2024-06-01T11:00:00Z");
    const event_time eleven{sys_days{year{2024} / 6 / 1} + hours{11}};

    // The dispatcher's clock moves the store, not the readings' own
    // capture times (10:00 and 09:00 here, older than the first reading).
    REQUIRE(fixture.run(first, eleven) == disposition::pass);
    REQUIRE(fixture.run(message_at("2024-06-01T10:00:00Z"), eleven + seconds{60}) == disposition::pass);
    CHECK(fixture.evicted_by_ttl() == 0);
    CHECK(fixture.run(first, eleven + seconds{60}) == disposition::duplicate);

    // 1 ms later the first reading and the 10:00 one are past the TTL.
    REQUIRE(fixture.run(message_at("2024-06-01T09:00:00Z"), eleven + seconds{60} + milliseconds{1})
            == disposition::pass);
    CHECK(fixture.evicted_by_ttl() == 2);
    CHECK(fixture.run(first, eleven + seconds{60} + milliseconds{1}) == disposition::pass);
}

TEST_CASE("dedup clock ignores times outside the window", "[operators]") {
    // The window is [2011-03-01T00:00:00Z, now + 300 s] = [..., 2024-06-01T12:05:00Z].
    dedup_fixture fixture;
    fixture.config.dedup.ttl = seconds{60};
    const std::string first = message_at("2024-06-01T12:00:00Z");
    REQUIRE(fixture.run(first) == disposition::pass);

    SECTION("a reading dated 2080 does not age out the state") {
        CHECK(fixture.run(message_at("2080-01-01T00:00:00Z")) == disposition::pass);
        CHECK(fixture.run(first) == disposition::duplicate);
        CHECK(fixture.evicted_by_ttl() == 0);
    }
    SECTION("1 ms past now plus skew does not advance the clock") {
        REQUIRE(fixture.run(message_at("2024-06-01T12:05:00.001Z")) == disposition::pass);
        CHECK(fixture.run(first) == disposition::duplicate);
        CHECK(fixture.evicted_by_ttl() == 0);
    }
    SECTION("exactly now plus skew advances the clock") {
        // 12:05:00 - 60 s = 12:04:00, after the first reading's 12:00:00.
        REQUIRE(fixture.run(message_at("2024-06-01T12:05:00Z")) == disposition::pass);
        CHECK(fixture.evicted_by_ttl() == 1);
        CHECK(fixture.run(first) == disposition::pass);
    }
}

TEST_CASE("dedup splits max_entries over partitions", "[operators]") {
    // 4 entries over 2 partitions leaves 2 for this partition's store.
    dedup_fixture fixture;
    fixture.config.dedup.max_entries = 4;
    fixture.partition_count = 2;

    REQUIRE(fixture.run(message_at("2024-06-01T11:00:00Z")) == disposition::pass);
    REQUIRE(fixture.run(message_at("2024-06-01T11:00:01Z")) == disposition::pass);
    CHECK(fixture.evicted_by_capacity() == 0);
    REQUIRE(fixture.run(message_at("2024-06-01T11:00:02Z")) == disposition::pass);
    CHECK(fixture.entries() == 2);
    CHECK(fixture.evicted_by_capacity() == 1);

    // The oldest (11:00:00) went; the other two are still known.
    CHECK(fixture.run(message_at("2024-06-01T11:00:02Z")) == disposition::duplicate);
    CHECK(fixture.run(message_at("2024-06-01T11:00:01Z")) == disposition::duplicate);
    CHECK(fixture.run(message_at("2024-06-01T11:00:00Z")) == disposition::pass);
}

TEST_CASE("capture time window includes both ends", "[operators]") {
    const radstream::config::validate_config config;
    const event_time minimum{sys_days{year{2011} / 3 / 1}};
    const event_time latest = fixed_now + seconds{300};

    CHECK(radstream::operators::capture_time_in_window(config, minimum, fixed_now));
    CHECK_FALSE(radstream::operators::capture_time_in_window(config, minimum - milliseconds{1}, fixed_now));
    CHECK(radstream::operators::capture_time_in_window(config, latest, fixed_now));
    CHECK_FALSE(radstream::operators::capture_time_in_window(config, latest + milliseconds{1}, fixed_now));
}
