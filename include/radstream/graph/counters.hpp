#pragma once

#include "radstream/core/dirty_reason.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace radstream::graph {

// Counts of one in-process partition. Only the partition's thread writes
// them (relaxed increments); any thread may read them for /api/stats.
struct partition_counters {
    std::atomic<std::uint64_t> input{0};
    std::atomic<std::uint64_t> processed{0};
    std::atomic<std::uint64_t> critical{0};
    std::atomic<std::uint64_t> dirty{0};
    std::atomic<std::uint64_t> duplicates{0};
    std::atomic<std::uint64_t> filtered{0};  // left without a destination by a custom operator
    std::atomic<std::uint64_t> late{0};      // valid readings whose capture second was already released
    std::atomic<std::uint64_t> late_topic{0};  // late readings written to event_time.late_topic
    std::array<std::atomic<std::uint64_t>, core::dirty_reason_count> dirty_by_reason{};
    std::atomic<std::uint64_t> dedup_entries{0};
    std::atomic<std::uint64_t> dedup_evicted_ttl{0};
    std::atomic<std::uint64_t> dedup_evicted_capacity{0};
};

inline void bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1) {
    counter.fetch_add(by, std::memory_order_relaxed);
}

// A plain copy of the counts, summed over partitions.
struct counters_snapshot {
    std::uint64_t input = 0;
    std::uint64_t processed = 0;
    std::uint64_t critical = 0;
    std::uint64_t dirty = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t filtered = 0;
    std::uint64_t late = 0;
    std::uint64_t late_topic = 0;
    std::array<std::uint64_t, core::dirty_reason_count> dirty_by_reason{};
    std::uint64_t dedup_entries = 0;
    std::uint64_t dedup_evicted_ttl = 0;
    std::uint64_t dedup_evicted_capacity = 0;

    void add(const partition_counters& counters);
};

// Sets the record counts of `counters` back to `saved`, a snapshot of the
// same counters, and leaves the dedup figures, which the dedup operator
// sets from its store.
void restore_record_counts(partition_counters& counters, const counters_snapshot& saved);

} // namespace radstream::graph
