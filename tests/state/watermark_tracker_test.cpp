#include "radstream/graph/temporal_groups.hpp"
#include "radstream/state/watermark_tracker.hpp"

#include <catch2/catch.hpp>

using radstream::core::event_time;
using radstream::core::parse_timestamp;
using radstream::state::watermark_tracker;
using namespace std::chrono_literals;

namespace {

event_time at(const char* text) {
    return *parse_timestamp(text);
}

// A manual steady clock: tests move it by hand.
const watermark_tracker::clock_time start{};

const auto always_caught_up = [](int) { return true; };

} // namespace

TEST_CASE("watermark trails the newest time by the bound", "[state]") {
    watermark_tracker tracker(5s, 30s);
    tracker.add_partition(0, start);
    CHECK_FALSE(tracker.watermark().has_value());

    tracker.on_record(0, at("2012-03-29T07:10:10Z"), start);
    REQUIRE(tracker.watermark().has_value());
    CHECK(*tracker.watermark() == at("2012-03-29T07:10:05Z"));

    SECTION("exactly the bound behind is on time") {
        CHECK_FALSE(radstream::graph::is_late(at("2012-03-29T07:10:05Z"), tracker.watermark()));
    }
    SECTION("one millisecond more is late") {
        CHECK(radstream::graph::is_late(at("2012-03-29T07:10:04.999Z"), tracker.watermark()));
    }
    SECTION("an older record does not move it back") {
        tracker.on_record(0, at("2012-03-29T07:09:00Z"), start);
        CHECK(*tracker.watermark() == at("2012-03-29T07:10:05Z"));
    }
}

TEST_CASE("watermark ignores records without a valid time", "[state]") {
    // A reading dated 2080 fails validation, so the caller passes no time.
    watermark_tracker tracker(5s, 30s);
    tracker.add_partition(0, start);
    tracker.on_record(0, at("2012-03-29T07:10:10Z"), start);
    tracker.on_record(0, std::nullopt, start);
    CHECK(*tracker.watermark() == at("2012-03-29T07:10:05Z"));
    CHECK_FALSE(radstream::graph::is_late(at("2012-03-29T07:10:11Z"), tracker.watermark()));
}

TEST_CASE("watermark is the minimum of partitions", "[state]") {
    watermark_tracker tracker(5s, 30s);
    tracker.add_partition(0, start);
    tracker.add_partition(1, start);
    tracker.on_record(0, at("2012-03-29T07:10:10Z"), start);
    // Partition 1 has no data yet and holds event time back.
    CHECK_FALSE(tracker.watermark().has_value());
    tracker.on_record(1, at("2012-03-29T07:10:08Z"), start);
    CHECK(*tracker.watermark() == at("2012-03-29T07:10:03Z"));
}

TEST_CASE("silent partition goes idle after the timeout", "[state]") {
    watermark_tracker tracker(5s, 30s);
    tracker.add_partition(0, start);
    tracker.add_partition(1, start);
    tracker.on_record(0, at("2012-03-29T07:10:10Z"), start + 29s);

    SECTION("not before the timeout") {
        tracker.update_idle(start + 29s, always_caught_up);
        CHECK_FALSE(tracker.watermark().has_value());
        CHECK_FALSE(tracker.partitions().at(1).idle);
    }
    SECTION("after the timeout") {
        tracker.update_idle(start + 30s, always_caught_up);
        CHECK(tracker.partitions().at(1).idle);
        CHECK_FALSE(tracker.partitions().at(0).idle);
        REQUIRE(tracker.watermark().has_value());
        CHECK(*tracker.watermark() == at("2012-03-29T07:10:05Z"));
    }
    SECTION("never while records are waiting") {
        tracker.update_idle(start + 10min, [](int partition) { return partition != 1; });
        CHECK_FALSE(tracker.partitions().at(1).idle);
        CHECK_FALSE(tracker.watermark().has_value());
    }
}

TEST_CASE("idle partition rejoins without going back", "[state]") {
    watermark_tracker tracker(5s, 30s);
    tracker.add_partition(0, start);
    tracker.add_partition(1, start);
    tracker.on_record(0, at("2012-03-29T07:10:10Z"), start + 1s);
    tracker.on_record(1, at("2012-03-29T07:10:06Z"), start + 1s);
    CHECK(*tracker.watermark() == at("2012-03-29T07:10:01Z"));

    tracker.update_idle(start + 31s, [](int partition) { return partition == 1; });
    REQUIRE(tracker.partitions().at(1).idle);
    CHECK(*tracker.watermark() == at("2012-03-29T07:10:05Z"));

    // Partition 1 comes back with an old reading: it is active again, but
    // the watermark stays where it was.
    tracker.on_record(1, at("2012-03-29T07:10:07Z"), start + 40s);
    CHECK_FALSE(tracker.partitions().at(1).idle);
    CHECK(*tracker.watermark() == at("2012-03-29T07:10:05Z"));
    // It moves again once both partitions are past it.
    tracker.on_record(1, at("2012-03-29T07:10:20Z"), start + 41s);
    CHECK(*tracker.watermark() == at("2012-03-29T07:10:05Z"));
    tracker.on_record(0, at("2012-03-29T07:10:30Z"), start + 41s);
    CHECK(*tracker.watermark() == at("2012-03-29T07:10:15Z"));
}
