// The process stage end to end in one process: embedded topics, the real
// operators, a fixed wall clock. Checks the event-time rules.

#include "radstream/graph/process_stage.hpp"
#include "radstream/operators/builtin_operators.hpp"
#include "radstream/topic/embedded_backend.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <algorithm>
#include <random>

namespace {

using radstream::core::event_time;

const event_time fixed_now = *radstream::core::parse_timestamp("2026-12-01T00:00:00Z");

struct outputs {
    std::vector<std::string> processed;
    std::vector<std::string> dirty;
    radstream::graph::counters_snapshot counts;
};

std::string reading(const std::string& time, double value, double latitude = 37.5) {
    return R"({"captured_time":")" + time + R"(","latitude":)" + std::to_string(latitude)
           + R"(,"longitude":140.9,"value":)" + std::to_string(value) + R"(,"unit":"cpm"})";
}

// Runs the messages through a process stage on one-partition embedded
// topics (so output order is the merger's write order).
outputs run_stage(const std::vector<std::string>& messages, int process_partitions) {
    radstream::config::app_config config;
    config.process.partitions = process_partitions;
    config.process.commit_interval = std::chrono::milliseconds{0};
    radstream::topic::embedded_backend backend(1, 1'000'000);
    auto now = [] { return fixed_now; };
    auto counts_for_event_time = [&config](const radstream::graph::record& item) {
        return !radstream::operators::find_problem(item, config.validate, fixed_now).has_value();
    };
    radstream::graph::process_stage stage(config, backend, now, counts_for_event_time);
    auto reader = backend.make_consumer("test", {config.topics.processed, config.topics.dirty});
    auto producer = backend.make_producer();

    std::vector<radstream::topic::message> batch;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        batch.push_back({"key-" + std::to_string(i), messages[i]});
        // One record per produce keeps the input order exact.
        producer->produce(config.topics.input, batch);
    }
    backend.close_topic(config.topics.input);
    stage.start();
    stage.join();

    outputs out;
    out.counts = stage.counters();
    std::vector<radstream::topic::consumed_message> polled;
    while (reader->poll(polled, 1000, std::chrono::milliseconds{100}) != radstream::topic::poll_status::end) {
        for (const auto& message : polled) {
            (*message.topic == config.topics.processed ? out.processed : out.dirty).push_back(message.value);
        }
    }
    return out;
}

std::string field(const std::string& json, const char* name) {
    simdjson::dom::parser parser;
    simdjson::dom::element element = parser.parse(json)[name];
    return simdjson::minify(element);
}

} // namespace

TEST_CASE("groups come out in capture order", "[graph]") {
    // Within the 5 s bound, so none is late. Expected groups by hand:
    // second :01 has 2 readings, :02 has 2, :03 has 1.
    const auto out = run_stage({reading("2012-03-29T07:10:02Z", 10), reading("2012-03-29T07:10:01Z", 11),
                                reading("2012-03-29T07:10:01.500Z", 12), reading("2012-03-29T07:10:03Z", 13),
                                reading("2012-03-29T07:10:02.200Z", 14)},
                               2);
    REQUIRE(out.processed.size() == 5);
    const std::vector<std::string> values{"11", "12", "10", "14", "13"};
    const std::vector<std::string> sizes{"2", "2", "2", "2", "1"};
    for (std::size_t i = 0; i < 5; ++i) {
        INFO(out.processed[i]);
        CHECK(field(out.processed[i], "value") == values[i]);
        CHECK(field(out.processed[i], "group_size") == sizes[i]);
    }
    // 2012-03-29T07:10:01Z is 1333005001 s after the Unix epoch.
    CHECK(field(out.processed[0], "group_second") == "1333005001");
    CHECK(out.counts.late == 0);
}

TEST_CASE("a reading dated 2080 moves no watermark", "[graph]") {
    const auto out = run_stage({reading("2012-03-29T07:10:10Z", 10), reading("2080-01-01T00:00:00Z", 11),
                                reading("2012-03-29T07:10:11Z", 12), reading("2012-03-29T07:10:12Z", 13)},
                               2);
    CHECK(out.processed.size() == 3);
    REQUIRE(out.dirty.size() == 1);
    CHECK(field(out.dirty[0], "reason") == R"("time_in_future")");
    CHECK(out.counts.late == 0);
}

TEST_CASE("late reading is flagged and kept", "[graph]") {
    // After 07:10:20 the watermark is 07:10:15, so second :14 is behind it.
    const auto out = run_stage({reading("2012-03-29T07:10:20Z", 10), reading("2012-03-29T07:10:15Z", 11),
                                reading("2012-03-29T07:10:14.999Z", 12)},
                               1);
    REQUIRE(out.processed.size() == 3);
    CHECK(out.counts.late == 1);
    const auto late = std::find_if(out.processed.begin(), out.processed.end(),
                                   [](const std::string& line) { return line.find("\"late\":true") != std::string::npos; });
    REQUIRE(late != out.processed.end());
    CHECK(field(*late, "value") == "12");
}

TEST_CASE("partition count does not change outputs", "[graph]") {
    // 3,000 readings with a fixed seed: times jitter up to 20 s back (so
    // some are late), every tenth repeats an earlier reading, every
    // fifteenth has a bad latitude.
    std::mt19937 random(42);
    std::vector<std::string> messages;
    const auto base = *radstream::core::parse_timestamp("2012-03-29T07:00:00Z");
    for (int i = 0; i < 3000; ++i) {
        if (i % 10 == 9) {
            messages.push_back(messages[static_cast<std::size_t>(random() % messages.size())]);
            continue;
        }
        const auto jitter = std::chrono::milliseconds{static_cast<std::int64_t>(random() % 20000)};
        const auto time = radstream::core::format_timestamp(base + std::chrono::seconds{i} - jitter);
        messages.push_back(reading(time, 10 + i % 300, i % 15 == 14 ? 95.0 : 37.5 + (i % 7) * 0.01));
    }

    auto one = run_stage(messages, 1);
    auto four = run_stage(messages, 4);
    CHECK(one.counts.late > 0);
    CHECK(one.counts.late == four.counts.late);
    CHECK(one.counts.duplicates == four.counts.duplicates);
    CHECK(one.counts.dirty == four.counts.dirty);
    std::sort(one.processed.begin(), one.processed.end());
    std::sort(four.processed.begin(), four.processed.end());
    std::sort(one.dirty.begin(), one.dirty.end());
    std::sort(four.dirty.begin(), four.dirty.end());
    CHECK(one.processed == four.processed);
    CHECK(one.dirty == four.dirty);
}
