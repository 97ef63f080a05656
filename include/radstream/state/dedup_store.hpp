#pragma once

#include "radstream/core/event_time.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
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
    // `input_partition` (0-65535) is where the key's reading came from, so
    // a changelog can keep each key with its input partition.
    bool insert(std::uint64_t key_hash, core::event_time captured, int input_partition = 0);

    // Moves the store's clock to `now` (it never moves backwards) and evicts
    // the entries that the time-to-live has passed.
    void advance(core::event_time now);

    // A key the store evicted and the input partition it was inserted with.
    struct eviction {
        std::uint64_t key_hash;
        int input_partition;
    };
    // Appends every entry evicted from now on to `out` (or stops with
    // nullptr), so a changelog can delete it too.
    void report_evictions(std::vector<eviction>* out) { evicted_out_ = out; }

    std::size_t size() const { return size_; }
    std::uint64_t evicted_by_ttl() const { return evicted_by_ttl_; }
    std::uint64_t evicted_by_capacity() const { return evicted_by_capacity_; }

private:
    // One key in the age heap, 14 bytes packed: its capture time in Unix
    // seconds, rounded up, its hash and its input partition. Rounding up
    // means a key captured at a fraction of a second is evicted up to 1 s
    // after its time-to-live, never before.
    struct [[gnu::packed]] entry {
        std::uint32_t captured_seconds;
        std::uint64_t key_hash;
        std::uint16_t input_partition;
    };
    static_assert(sizeof(entry) == 14);

    bool table_insert(std::uint64_t key_hash);
    void table_erase(std::uint64_t key_hash);
    std::size_t home_slot(std::uint64_t key_hash) const;
    void grow();
    void evict_oldest();

    const std::chrono::milliseconds ttl_;
    const std::size_t max_entries_;
    // The hashes, in an open-addressing table with linear probing, 8 bytes
    // a slot and at most 3/4 full. 0 marks an empty slot, so the hash 0
    // itself is kept in has_zero_.
    std::vector<std::uint64_t> slots_;
    bool has_zero_ = false;
    std::size_t size_ = 0;
    int slot_bits_ = 0;
    // A binary min-heap by capture time, for the TTL and capacity evictions.
    std::vector<entry> by_age_;
    core::event_time clock_{};
    bool has_clock_ = false;
    std::uint64_t evicted_by_ttl_ = 0;
    std::uint64_t evicted_by_capacity_ = 0;
    std::vector<eviction>* evicted_out_ = nullptr;
};

} // namespace radstream::state
