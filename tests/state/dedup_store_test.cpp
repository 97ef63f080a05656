#include "radstream/state/dedup_store.hpp"

#include "radstream/core/event_time.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <vector>

namespace {

using namespace std::chrono;
using radstream::core::event_time;
using radstream::state::dedup_store;

// Fixed start instant of every test: 2024-06-01T00:00:00Z.
const event_time t0{sys_days{year{2024} / 6 / 1}};

} // namespace

TEST_CASE("dedup store keeps the first of each key", "[state]") {
    dedup_store store(seconds{10}, 100);

    CHECK(store.insert(1, t0));
    CHECK_FALSE(store.insert(1, t0 + seconds{1}));
    CHECK(store.insert(2, t0));
    CHECK(store.size() == 2);
    CHECK(store.evicted_by_ttl() == 0);
    CHECK(store.evicted_by_capacity() == 0);
}

TEST_CASE("dedup store evicts entries past the TTL", "[state]") {
    dedup_store store(seconds{10}, 100);
    REQUIRE(store.insert(1, t0));

    SECTION("an entry exactly ttl old is still live") {
        store.advance(t0 + seconds{10});
        CHECK(store.size() == 1);
        CHECK(store.evicted_by_ttl() == 0);
        CHECK_FALSE(store.insert(1, t0 + seconds{10}));
    }
    SECTION("an entry 1 ms older than ttl is evicted") {
        store.advance(t0 + seconds{10} + milliseconds{1});
        CHECK(store.size() == 0);
        CHECK(store.evicted_by_ttl() == 1);
        CHECK(store.evicted_by_capacity() == 0);
        CHECK(store.insert(1, t0 + seconds{10} + milliseconds{1}));
    }
    SECTION("one advance evicts every expired entry") {
        REQUIRE(store.insert(2, t0 + seconds{1}));
        REQUIRE(store.insert(3, t0 + seconds{2}));
        REQUIRE(store.insert(4, t0 + seconds{3}));
        // At t0 + 12 s anything captured before t0 + 2 s is expired: keys 1 and 2.
        store.advance(t0 + seconds{12});
        CHECK(store.size() == 2);
        CHECK(store.evicted_by_ttl() == 2);
        CHECK(store.insert(1, t0 + seconds{12}));
        CHECK(store.insert(2, t0 + seconds{12}));
        CHECK_FALSE(store.insert(3, t0 + seconds{12}));
        CHECK_FALSE(store.insert(4, t0 + seconds{12}));
    }
}

TEST_CASE("dedup store clock never moves backwards", "[state]") {
    dedup_store store(seconds{10}, 100);
    store.advance(t0 + seconds{20});
    REQUIRE(store.insert(1, t0 + seconds{10}));

    // An earlier time is ignored, so the clock stays at t0 + 20 s, where
    // key 1 is exactly ttl old and still live.
    store.advance(t0);
    store.advance(t0 + seconds{20});
    CHECK(store.size() == 1);
    CHECK(store.evicted_by_ttl() == 0);

    store.advance(t0 + seconds{20} + milliseconds{1});
    CHECK(store.size() == 0);
    CHECK(store.evicted_by_ttl() == 1);
}

TEST_CASE("dedup store rounds fractional times up", "[state]") {
    // The age heap keeps whole seconds: t0 + 0.5 s counts as t0 + 1 s, so
    // the key lives until the clock passes t0 + 11 s, not t0 + 10.5 s.
    dedup_store store(seconds{10}, 100);
    REQUIRE(store.insert(1, t0 + milliseconds{500}));
    store.advance(t0 + seconds{10} + milliseconds{501});
    CHECK(store.size() == 1);
    store.advance(t0 + seconds{11});
    CHECK(store.size() == 1);
    store.advance(t0 + seconds{11} + milliseconds{1});
    CHECK(store.size() == 0);
    CHECK(store.evicted_by_ttl() == 1);
}

TEST_CASE("dedup store evicts the oldest past capacity", "[state]") {
    dedup_store store(hours{1}, 3);
    REQUIRE(store.insert(1, t0 + seconds{2}));
    REQUIRE(store.insert(2, t0 + seconds{1}));
    REQUIRE(store.insert(3, t0 + seconds{3}));
    REQUIRE(store.size() == 3);

    // Key 2 has the oldest capture time, though it was not inserted first.
    CHECK(store.insert(4, t0 + seconds{4}));
    CHECK(store.size() == 3);
    CHECK(store.evicted_by_capacity() == 1);
    CHECK(store.evicted_by_ttl() == 0);
    CHECK_FALSE(store.insert(1, t0 + seconds{9}));
    CHECK_FALSE(store.insert(3, t0 + seconds{9}));
    CHECK_FALSE(store.insert(4, t0 + seconds{9}));

    // Key 2 is new again, and inserting it evicts key 1 (t0 + 2 s), now the oldest.
    CHECK(store.insert(2, t0 + seconds{5}));
    CHECK(store.size() == 3);
    CHECK(store.evicted_by_capacity() == 2);
    CHECK(store.insert(1, t0 + seconds{6}));
    CHECK(store.evicted_by_capacity() == 3);
}

TEST_CASE("dedup store keeps one entry at capacity 0", "[state]") {
    dedup_store store(hours{1}, 0);
    CHECK(store.insert(1, t0));
    CHECK(store.insert(2, t0 + seconds{1}));
    CHECK(store.size() == 1);
    CHECK(store.evicted_by_capacity() == 1);
    CHECK_FALSE(store.insert(2, t0 + seconds{2}));
}

TEST_CASE("dedup store matches a simple model", "[state]") {
    // Many inserts, repeats and capacity evictions against a std::map
    // model, so the table's probing and backward-shift deletion are
    // exercised through several growths. Capture times are distinct, so
    // "the oldest" is always one entry.
    constexpr std::size_t capacity = 700;
    radstream::state::dedup_store store(std::chrono::hours{1000}, capacity);
    std::map<std::uint64_t, std::int64_t> model;  // hash -> capture second
    std::mt19937_64 random(7);
    std::vector<std::uint64_t> seen;
    const radstream::core::event_time start{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}};
    for (std::int64_t step = 0; step < 20'000; ++step) {
        // Half new keys, half keys seen before (live or evicted); the hash 0 now and then.
        std::uint64_t hash = random();
        if (step % 997 == 0) {
            hash = 0;
        } else if (!seen.empty() && random() % 2 == 0) {
            hash = seen[random() % seen.size()];
        }
        seen.push_back(hash);

        const bool expected_new = !model.contains(hash);
        INFO("step " << step);
        REQUIRE(store.insert(hash, start + std::chrono::seconds{step}) == expected_new);
        if (expected_new) {
            model[hash] = step;
            if (model.size() > capacity) {
                const auto oldest = std::min_element(model.begin(), model.end(),
                                                     [](const auto& a, const auto& b) { return a.second < b.second; });
                model.erase(oldest);
            }
        }
        REQUIRE(store.size() == model.size());
    }
    CHECK(store.evicted_by_capacity() > 5'000);
}
