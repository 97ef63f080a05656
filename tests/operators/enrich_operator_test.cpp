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
#include <string>
#include <utility>

namespace {

using namespace std::chrono;
using radstream::config::app_config;
using radstream::core::event_time;
using radstream::graph::disposition;
using radstream::graph::level;
using radstream::graph::record;

// The fixed wall clock of every test: 2024-06-01T12:00:00Z.
const event_time fixed_now{sys_days{year{2024} / 6 / 1} + hours{12}};

// Builds a radiation-data message for one reading of `value` in `unit`.
std::string make_message(const std::string& value, const std::string& unit = "cpm") {
    return R"({"captured_time":"2013-02-02T18:42:29Z","latitude":34.6260916666667,"longitude":138.138006666667,)"
           R"("value":)" + value + R"(,"unit":")" + unit + R"("})";
}

// Validate then enrich, as the default process.operators list runs them.
struct enrich_fixture {
    app_config config;
    radstream::graph::partition_counters counters;
    std::unique_ptr<radstream::graph::operator_context> context;
    std::unique_ptr<radstream::graph::record_operator> validate;
    std::unique_ptr<radstream::graph::record_operator> enrich;

    // Decodes `payload` and runs the operators that apply to it.
    record run(std::string payload) {
        if (!context) {
            context = std::make_unique<radstream::graph::operator_context>(
                radstream::graph::operator_context{config, 0, 1, counters, [] { return fixed_now; }});
            validate = radstream::operators::make_validate_operator(*context);
            enrich = radstream::operators::make_enrich_operator(*context);
        }
        record item;
        item.payload = std::move(payload);
        radstream::graph::decode_message(item);
        for (auto* op : {validate.get(), enrich.get()}) {
            if (item.state == disposition::pass || op->sees_rejected()) {
                op->process(item);
            }
        }
        return item;
    }
};

} // namespace

TEST_CASE("enrich sets level at the CPM boundaries", "[operators]") {
    // Defaults: low below 50 CPM, moderate below 200, high from 200.
    enrich_fixture fixture;

    SECTION("49.99 is low") {
        const record item = fixture.run(make_message("49.99"));
        REQUIRE(item.state == disposition::pass);
        CHECK(to_string(item.reading_level) == "low");
    }
    SECTION("50 is moderate") {
        const record item = fixture.run(make_message("50"));
        REQUIRE(item.state == disposition::pass);
        CHECK(to_string(item.reading_level) == "moderate");
    }
    SECTION("199.99 is moderate") {
        const record item = fixture.run(make_message("199.99"));
        REQUIRE(item.state == disposition::pass);
        CHECK(to_string(item.reading_level) == "moderate");
    }
    SECTION("200 is high") {
        const record item = fixture.run(make_message("200"));
        REQUIRE(item.state == disposition::pass);
        CHECK(to_string(item.reading_level) == "high");
    }
}

TEST_CASE("enrich flags critical from 1000 CPM", "[operators]") {
    enrich_fixture fixture;

    SECTION("999.99 is not critical") {
        const record item = fixture.run(make_message("999.99"));
        REQUIRE(item.state == disposition::pass);
        CHECK_FALSE(item.critical);
        CHECK(to_string(item.reading_level) == "high");
    }
    SECTION("1000 is critical") {
        const record item = fixture.run(make_message("1000"));
        REQUIRE(item.state == disposition::pass);
        CHECK(item.critical);
        CHECK(to_string(item.reading_level) == "high");
    }
    SECTION("a low reading is not critical") {
        const record item = fixture.run(make_message("33"));
        REQUIRE(item.state == disposition::pass);
        CHECK_FALSE(item.critical);
    }
}

TEST_CASE("enrich converts CPM to dose rate", "[operators]") {
    enrich_fixture fixture;

    SECTION("334 CPM is 1 uSv/h") {
        const record item = fixture.run(make_message("334"));
        REQUIRE(item.state == disposition::pass);
        CHECK(item.cpm == 334.0);
        CHECK(item.dose_usvh == 1.0);
    }
    SECTION("33 CPM") {
        const record item = fixture.run(make_message("33"));
        REQUIRE(item.state == disposition::pass);
        CHECK(item.cpm == 33.0);
        // 33 / 334 = 0.0988023952...
        CHECK(item.dose_usvh == Approx(0.0988023952).epsilon(1e-9));
    }
    SECTION("cpm_per_usvh comes from the config") {
        fixture.config.enrich.cpm_per_usvh = 100;
        const record item = fixture.run(make_message("250"));
        REQUIRE(item.state == disposition::pass);
        CHECK(item.dose_usvh == 2.5);
    }
}

TEST_CASE("enrich converts other units with their factor", "[operators]") {
    enrich_fixture fixture;
    fixture.config.validate.units["usv/h"] = 334;

    SECTION("3 uSv/h is 1002 CPM and critical") {
        // 3 * 334 = 1002 CPM, at least the 1000 CPM critical threshold.
        const record item = fixture.run(make_message("3", "\xC2\xB5Sv/h"));
        REQUIRE(item.state == disposition::pass);
        CHECK(item.cpm == 1002.0);
        CHECK(item.dose_usvh == 3.0);
        CHECK(to_string(item.reading_level) == "high");
        CHECK(item.critical);
    }
    SECTION("0.1 uSv/h is low") {
        // 0.1 * 334 = 33.4 CPM, which is low.
        const record item = fixture.run(make_message("0.1", "usv/h"));
        REQUIRE(item.state == disposition::pass);
        CHECK(item.cpm == Approx(33.4));
        CHECK(to_string(item.reading_level) == "low");
        CHECK_FALSE(item.critical);
    }
}

TEST_CASE("enrich thresholds come from the config", "[operators]") {
    enrich_fixture fixture;
    fixture.config.enrich.moderate_cpm = 10;
    fixture.config.enrich.high_cpm = 20;
    fixture.config.enrich.critical_cpm = 30;

    const record low = fixture.run(make_message("9.5"));
    CHECK(to_string(low.reading_level) == "low");
    const record moderate = fixture.run(make_message("10"));
    CHECK(to_string(moderate.reading_level) == "moderate");
    const record high = fixture.run(make_message("20"));
    CHECK(to_string(high.reading_level) == "high");
    CHECK_FALSE(high.critical);
    const record critical = fixture.run(make_message("30"));
    CHECK(critical.critical);
}

TEST_CASE("enrich rejects readings without numbers", "[operators]") {
    // Without validate before it, enrich can meet a reading with no value.
    app_config config;
    radstream::graph::partition_counters counters;
    const radstream::graph::operator_context context{config, 0, 1, counters, [] { return fixed_now; }};
    const auto enrich = radstream::operators::make_enrich_operator(context);

    record item;
    item.payload = R"({"captured_time":"2013-02-02T18:42:29Z","latitude":34.5,"longitude":138.25,"unit":"cpm"})";
    radstream::graph::decode_message(item);
    REQUIRE(item.state == disposition::pass);
    enrich->process(item);

    CHECK(item.state == disposition::dirty);
    CHECK(radstream::core::to_string(item.reason) == "missing_field");
    CHECK(item.message ==
          "enrich needs numeric value, latitude and longitude; put validate before enrich in process.operators");
}
