#pragma once

#include "radstream/core/event_time.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <queue>
#include <unordered_map>
#include <vector>

namespace radstream::state {

// The keys one partition has seen, as 64-bit hashes of the composite key's
// normal form, each with the capture time of its first reading. Bounded two
// ways, both counted: entries older than `ttl` behind the newest capture
// time seen are evicted, and past `max_entries` the oldest entry goes.
//
// Every change is an insert or an evict of one (hash, time) pair, so the
// store can be rebuilt by replaying those pairs.
//
// LIMITATION: two different keys whose 64-bit hashes collide count as one,
// so the second reading is dropped as a duplicate; with a million live keys
// the chance of any collision is about 3 in 100 million.
class dedup_store {
public:
    dedup_store(std::chrono::milliseconds ttl, std::size_t max_entries);

    // Inserts the key unless it is present. Returns true when it was new.
    bool insert(std::uint64_t key_hash, core::event_time captured);

    // Moves the store's clock to `now` (it never moves backwards) and evicts
    // the entries that the time-to-live has passed.
    void advance(core::event_time now);

    // Appends the hash of every entry evicted from now on to `out` (or
    // stops with nullptr), so a changelog can delete it too.
    void report_evictions(std::vector<std::uint64_t>* out) { evicted_out_ = out; }

    std::size_t size() const { return times_.size(); }
    std::uint64_t evicted_by_ttl() const { return evicted_by_ttl_; }
    std::uint64_t evicted_by_capacity() const { return evicted_by_capacity_; }

private:
    struct entry {
        core::event_time captured;
        std::uint64_t key_hash;
        bool operator>(const entry& other) const { return captured > other.captured; }
    };

    void evict_oldest();

    const std::chrono::milliseconds ttl_;
    const std::size_t max_entries_;
    std::unordered_map<std::uint64_t, core::event_time> times_;
    std::priority_queue<entry, std::vector<entry>, std::greater<>> by_age_;
    core::event_time clock_{};
    bool has_clock_ = false;
    std::uint64_t evicted_by_ttl_ = 0;
    std::uint64_t evicted_by_capacity_ = 0;
    std::vector<std::uint64_t>* evicted_out_ = nullptr;
};

} // namespace radstream::state
