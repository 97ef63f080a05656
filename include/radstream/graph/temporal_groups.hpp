#pragma once

#include "radstream/core/event_time.hpp"
#include "radstream/graph/record.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace radstream::graph {

// Valid readings held until event time passes them, grouped by capture
// second. A group [s, s + 1 s) is released when the watermark reaches
// s + 1 s; groups come out in capture-time order, and inside a group by
// capture time, then composite key, then origin, so the output does not
// depend on which partition thread handled which reading. Each released
// reading carries its group's second and size.
//
// Also tracks the oldest input offset it holds per input partition, so
// offsets past a held reading are not committed. Used by one thread.
class temporal_groups {
public:
    // Holds an on-time reading. Precondition: item.captured is set.
    void add(record&& item);

    // Moves every group that `watermark` has passed to `out`.
    void release_until(core::event_time watermark, std::vector<record>& out);
    // Moves every group to `out`, for the end of input and shutdown.
    void release_all(std::vector<record>& out);

    // Whether readings of this capture time's second were released already.
    bool released(core::event_time captured) const;

    // Calls `visit` on every held reading, for the changelog.
    template<typename Visit>
    void for_each_held(Visit visit) {
        for (auto& [second, group] : groups_) {
            for (auto& item : group) {
                visit(item);
            }
        }
    }

    // The first capture second not yet released, if any was.
    std::optional<std::int64_t> released_before() const { return released_before_; }
    // Restores the released boundary saved in the changelog.
    void restore_released_before(std::int64_t second) { released_before_ = second; }

    std::size_t open_groups() const { return groups_.size(); }
    std::size_t held_records() const { return held_; }
    // The oldest held input offset per input partition.
    std::map<int, std::int64_t> oldest_held_offsets() const;

private:
    void release_group(std::vector<record>& group, std::int64_t second, std::vector<record>& out);

    std::map<std::int64_t, std::vector<record>> groups_;
    std::optional<std::int64_t> released_before_;  // every second below this was released
    std::size_t held_ = 0;
};

// The capture second of a time, in Unix seconds (floor, also before 1970).
std::int64_t capture_second(core::event_time time);

// Whether a reading is late at `watermark`: its capture second is entirely
// behind the watermark, so its group is (or will be) released before it
// arrives. A reading at most out_of_orderness behind the newest capture
// time is never late; lateness is decided per whole second.
bool is_late(core::event_time captured, std::optional<core::event_time> watermark);

} // namespace radstream::graph
