#pragma once

#include "radstream/core/event_time.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>

namespace radstream::state {

// Event-time watermarks of the input partitions one stage reads.
//
// A partition's watermark is the largest valid capture time it has seen
// minus the out-of-orderness bound, updated on every record. The combined
// watermark is the minimum over the active partitions and never moves
// backwards. A partition that received nothing for the idle timeout, and
// has no records waiting (it is caught up), goes idle and stops holding
// the combined watermark back; its next record makes it active again.
// Only capture times that passed validation may be given to on_record, so
// a reading dated 2080 cannot move event time.
//
// Time for idleness is the caller's steady clock, so tests pass their own.
// Used by one thread.
class watermark_tracker {
public:
    using clock_time = std::chrono::steady_clock::time_point;

    struct partition_state {
        std::optional<core::event_time> watermark;  // none until a valid record arrives
        bool idle = false;
        clock_time last_record{};
    };

    watermark_tracker(std::chrono::milliseconds out_of_orderness, std::chrono::milliseconds idle_timeout);

    // Adds a partition the stage reads. It starts active and without a
    // watermark, so it keeps event time back until it sends data or goes idle.
    void add_partition(int partition, clock_time now);

    // Restores a partition's watermark and the combined watermark saved in
    // a changelog; the partition starts active.
    void restore(int partition, core::event_time watermark, clock_time now);
    void restore_combined(core::event_time watermark) {
        if (!combined_ || watermark > *combined_) {
            combined_ = watermark;
        }
    }

    // Removes a partition the stage no longer reads (revoked by a rebalance).
    void remove_partition(int partition);

    // A record from `partition` arrived at `now`; `captured` is its capture
    // time when it counts for event time, else nothing.
    void on_record(int partition, std::optional<core::event_time> captured, clock_time now);

    // Marks idle the partitions quiet for the idle timeout for which
    // `caught_up` returns true.
    void update_idle(clock_time now, const std::function<bool(int)>& caught_up);

    // The combined watermark, or nothing before any is known.
    std::optional<core::event_time> watermark() const { return combined_; }

    const std::map<int, partition_state>& partitions() const { return partitions_; }

    bool idle(int partition) const {
        const auto it = partitions_.find(partition);
        return it != partitions_.end() && it->second.idle;
    }

private:
    void recompute();

    const std::chrono::milliseconds out_of_orderness_;
    const std::chrono::milliseconds idle_timeout_;
    std::map<int, partition_state> partitions_;
    std::optional<core::event_time> combined_;
};

} // namespace radstream::state
