#include "radstream/topic/embedded_backend.hpp"

#include "radstream/core/composite_key.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using namespace std::chrono_literals;
using radstream::topic::consumed_message;
using radstream::topic::consumer;
using radstream::topic::embedded_backend;
using radstream::topic::message;
using radstream::topic::poll_status;

// Upper bound for any wait, so that a broken backend fails a test instead of
// hanging the run.
constexpr auto wait_limit = 5s;

// Keys with hand-checked partitions among 4 (see composite_key_test.cpp):
// (murmur2 & 0x7fffffff) % 4 is 0 for "21", 1 for "lkjh...h8", 2 for
// "foobar" and 3 for "a-little-bit-longer-string".
const std::string key_p0 = "21";
const std::string key_p1 = "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8";
const std::string key_p2 = "foobar";
const std::string key_p3 = "a-little-bit-longer-string";

std::vector<message> make_batch(const std::vector<std::pair<std::string, std::string>>& records) {
    std::vector<message> batch;
    for (const auto& [key, value] : records) {
        batch.push_back({key, value});
    }
    return batch;
}

// Polls until `count` records arrived, the topics ended or `wait_limit`
// passed. Returns the records in the order poll returned them.
std::vector<consumed_message> poll_records(consumer& reader, std::size_t count, std::size_t max_per_poll = 1000) {
    std::vector<consumed_message> all;
    std::vector<consumed_message> polled;
    const auto deadline = std::chrono::steady_clock::now() + wait_limit;
    while (all.size() < count && std::chrono::steady_clock::now() < deadline) {
        const auto status = reader.poll(polled, max_per_poll, 50ms);
        for (auto& record : polled) {
            all.push_back(std::move(record));
        }
        if (status == poll_status::end) {
            break;
        }
    }
    return all;
}

// Runs `work` on a detached thread and returns a future that is ready when
// it finishes. Detaching lets a test give up on a thread stuck in produce,
// so `work` must own (by shared_ptr) everything it uses.
std::future<void> run_detached(std::function<void()> work) {
    std::packaged_task<void()> task(std::move(work));
    auto done = task.get_future();
    std::thread(std::move(task)).detach();
    return done;
}

} // namespace

TEST_CASE("embedded topic keeps order per partition", "[topic]") {
    embedded_backend backend(4, 1024);
    auto reader = backend.make_consumer("group", {"readings"});
    auto writer = backend.make_producer();

    auto first = make_batch({{key_p2, "a0"}, {key_p0, "b0"}, {key_p2, "a1"}, {key_p3, "c0"}});
    auto second = make_batch({{key_p0, "b1"}, {key_p2, "a2"}, {key_p1, "d0"}, {key_p3, "c1"}});
    writer->produce("readings", first);
    writer->produce("readings", second);
    CHECK(first.empty());
    CHECK(second.empty());

    const auto records = poll_records(*reader, 8);
    REQUIRE(records.size() == 8);

    // partition -> (offset, value) in the order read
    std::map<int, std::vector<std::pair<std::int64_t, std::string>>> by_partition;
    for (const auto& record : records) {
        REQUIRE(record.topic != nullptr);
        CHECK(*record.topic == "readings");
        by_partition[record.partition.value()].emplace_back(record.offset.value(), record.value);
    }
    using entries = std::vector<std::pair<std::int64_t, std::string>>;
    CHECK(by_partition[0] == entries{{0, "b0"}, {1, "b1"}});
    CHECK(by_partition[1] == entries{{0, "d0"}});
    CHECK(by_partition[2] == entries{{0, "a0"}, {1, "a1"}, {2, "a2"}});
    CHECK(by_partition[3] == entries{{0, "c0"}, {1, "c1"}});
}

TEST_CASE("embedded topic places keys like Kafka", "[topic]") {
    constexpr int partitions = 3;
    embedded_backend backend(partitions, 1024);
    auto reader = backend.make_consumer("group", {"readings"});
    auto writer = backend.make_producer();

    std::vector<message> batch;
    for (int i = 0; i < 30; ++i) {
        batch.push_back({"key-" + std::to_string(i % 10), "value-" + std::to_string(i)});
    }
    writer->produce("readings", batch);

    const auto records = poll_records(*reader, 30);
    REQUIRE(records.size() == 30);
    std::map<std::string, int> partition_of_key;
    for (const auto& record : records) {
        INFO("key " << record.key);
        CHECK(record.partition.value() == radstream::core::kafka_partition_for_key(record.key, partitions));
        const auto [it, inserted] = partition_of_key.emplace(record.key, record.partition.value());
        CHECK(it->second == record.partition.value());
    }
    CHECK(partition_of_key.size() == 10);
}

TEST_CASE("embedded topic gives every group each record", "[topic]") {
    embedded_backend backend(2, 1024);
    auto processor = backend.make_consumer("process", {"readings"});
    auto archiver = backend.make_consumer("archive", {"readings"});
    auto writer = backend.make_producer();

    auto batch = make_batch({{key_p0, "x"}, {key_p1, "y"}, {key_p2, "z"}});
    writer->produce("readings", batch);

    for (auto* reader : {processor.get(), archiver.get()}) {
        const auto records = poll_records(*reader, 3);
        REQUIRE(records.size() == 3);
        std::multiset<std::string> values;
        for (const auto& record : records) {
            values.insert(record.value);
        }
        CHECK(values == std::multiset<std::string>{"x", "y", "z"});
    }
}

TEST_CASE("embedded topic reads several topics", "[topic]") {
    embedded_backend backend(1, 1024);
    auto reader = backend.make_consumer("sink", {"processed", "critical"});
    auto writer = backend.make_producer();

    auto processed = make_batch({{"k", "p"}});
    auto critical = make_batch({{"k", "c"}});
    writer->produce("processed", processed);
    writer->produce("critical", critical);

    const auto records = poll_records(*reader, 2);
    REQUIRE(records.size() == 2);
    std::map<std::string, std::string> value_by_topic;
    for (const auto& record : records) {
        value_by_topic[*record.topic] = record.value;
    }
    CHECK(value_by_topic == std::map<std::string, std::string>{{"critical", "c"}, {"processed", "p"}});
}

TEST_CASE("embedded topic allows one consumer per group", "[topic]") {
    embedded_backend backend(1, 16);
    auto reader = backend.make_consumer("process", {"readings"});
    REQUIRE_THROWS_MATCHES(backend.make_consumer("process", {"readings"}), std::invalid_argument,
                           Catch::Message("topic \"readings\": group \"process\" already has a consumer; embedded "
                                          "topics allow one consumer per group"));
}

TEST_CASE("embedded producer waits while a partition is full", "[topic]") {
    // One partition of 16 records; the producer writes 20 to it.
    auto backend = std::make_shared<embedded_backend>(1, 16);
    auto reader = backend->make_consumer("process", {"readings"});
    std::shared_ptr<radstream::topic::producer> writer = backend->make_producer();
    auto written = std::make_shared<std::atomic<bool>>(false);

    auto done = run_detached([backend, writer, written] {
        std::vector<message> batch;
        for (int i = 0; i < 20; ++i) {
            batch.push_back({"same-key", std::to_string(i)});
        }
        writer->produce("readings", batch);
        written->store(true);
    });

    // The producer cannot finish before anything is read.
    CHECK(done.wait_for(200ms) == std::future_status::timeout);
    CHECK_FALSE(written->load());

    std::vector<consumed_message> first;
    REQUIRE(reader->poll(first, 1000, wait_limit) == poll_status::records);
    CHECK(first.size() <= 16);

    auto rest = poll_records(*reader, 20 - first.size());
    CHECK(done.wait_for(wait_limit) == std::future_status::ready);
    CHECK(written->load());

    first.insert(first.end(), rest.begin(), rest.end());
    REQUIRE(first.size() == 20);
    for (std::size_t i = 0; i < first.size(); ++i) {
        CHECK(first[i].offset.value() == static_cast<std::int64_t>(i));
        CHECK(first[i].value == std::to_string(i));
    }
}

TEST_CASE("embedded topic ends after close_topic", "[topic]") {
    embedded_backend backend(2, 1024);
    auto reader = backend.make_consumer("process", {"readings"});
    auto writer = backend.make_producer();

    SECTION("remaining records come first") {
        auto batch = make_batch({{key_p0, "a"}, {key_p1, "b"}, {key_p0, "c"}});
        writer->produce("readings", batch);
        backend.close_topic("readings");

        std::vector<consumed_message> polled;
        REQUIRE(reader->poll(polled, 2, 1s) == poll_status::records);
        std::size_t total = polled.size();
        CHECK(total == 2);
        REQUIRE(reader->poll(polled, 1000, 1s) == poll_status::records);
        total += polled.size();
        CHECK(total == 3);
        CHECK(reader->poll(polled, 1000, 1s) == poll_status::end);
        CHECK(polled.empty());
    }
    SECTION("an empty closed topic ends without waiting") {
        backend.close_topic("readings");
        std::vector<consumed_message> polled;
        const auto start = std::chrono::steady_clock::now();
        CHECK(reader->poll(polled, 1000, wait_limit) == poll_status::end);
        // Far below the 5 s timeout, so poll did not wait for it.
        CHECK(std::chrono::steady_clock::now() - start < 2s);
    }
    SECTION("close wakes a consumer that is waiting") {
        auto closer = std::thread([&backend] {
            std::this_thread::sleep_for(100ms);
            backend.close_topic("readings");
        });
        std::vector<consumed_message> polled;
        const auto start = std::chrono::steady_clock::now();
        const auto first = reader->poll(polled, 1000, wait_limit);
        const auto waited = std::chrono::steady_clock::now() - start;
        closer.join();
        CHECK(first == poll_status::end);
        CHECK(waited < 2s);
    }
}

TEST_CASE("embedded topic without records is idle", "[topic]") {
    embedded_backend backend(2, 1024);
    auto reader = backend.make_consumer("process", {"readings"});
    std::vector<consumed_message> polled;
    polled.push_back({});
    CHECK(reader->poll(polled, 1000, 20ms) == poll_status::idle);
    CHECK(polled.empty());
}

TEST_CASE("embedded topic without a group keeps nothing", "[topic]") {
    auto backend = std::make_shared<embedded_backend>(1, 16);
    std::shared_ptr<radstream::topic::producer> writer = backend->make_producer();

    // 100 records into a partition of 16 must not block, because no group reads them.
    auto done = run_detached([backend, writer] {
        std::vector<message> batch;
        for (int i = 0; i < 100; ++i) {
            batch.push_back({"same-key", "early-" + std::to_string(i)});
        }
        writer->produce("readings", batch);
    });
    REQUIRE(done.wait_for(wait_limit) == std::future_status::ready);

    // A group that joins now starts at the end: offsets 0 to 99 are gone.
    auto reader = backend->make_consumer("late", {"readings"});
    auto batch = make_batch({{"same-key", "late"}});
    writer->produce("readings", batch);

    const auto records = poll_records(*reader, 1);
    REQUIRE(records.size() == 1);
    CHECK(records[0].value == "late");
    CHECK(records[0].offset.value() == 100);
    std::vector<consumed_message> polled;
    CHECK(reader->poll(polled, 1000, 20ms) == poll_status::idle);
}
