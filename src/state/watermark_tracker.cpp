#include "radstream/state/watermark_tracker.hpp"

#include <algorithm>

namespace radstream::state {

watermark_tracker::watermark_tracker(std::chrono::milliseconds out_of_orderness,
                                     std::chrono::milliseconds idle_timeout)
    : out_of_orderness_(out_of_orderness), idle_timeout_(idle_timeout) {}

void watermark_tracker::add_partition(int partition, clock_time now) {
    auto [it, added] = partitions_.try_emplace(partition);
    if (added) {
        it->second.last_record = now;
        recompute();
    }
}

void watermark_tracker::restore(int partition, core::event_time watermark, clock_time now) {
    auto& state = partitions_[partition];
    state.last_record = now;
    state.idle = false;
    if (!state.watermark || watermark > *state.watermark) {
        state.watermark = watermark;
    }
    recompute();
}

void watermark_tracker::remove_partition(int partition) {
    if (partitions_.erase(partition) > 0) {
        recompute();
    }
}

void watermark_tracker::on_record(int partition, std::optional<core::event_time> captured, clock_time now) {
    auto& state = partitions_[partition];
    state.last_record = now;
    state.idle = false;
    if (captured) {
        const core::event_time candidate = *captured - out_of_orderness_;
        if (!state.watermark || candidate > *state.watermark) {
            state.watermark = candidate;
        }
    }
    recompute();
}

void watermark_tracker::update_idle(clock_time now, const std::function<bool(int)>& caught_up) {
    bool changed = false;
    for (auto& [partition, state] : partitions_) {
        if (!state.idle && now - state.last_record >= idle_timeout_ && caught_up(partition)) {
            state.idle = true;
            changed = true;
        }
    }
    if (changed) {
        recompute();
    }
}

void watermark_tracker::recompute() {
    std::optional<core::event_time> lowest;
    bool any_active = false;
    for (const auto& [partition, state] : partitions_) {
        if (state.idle) {
            continue;
        }
        any_active = true;
        if (!state.watermark) {
            return;  // an active partition without data holds event time back
        }
        lowest = lowest ? std::min(*lowest, *state.watermark) : *state.watermark;
    }
    if (!any_active || !lowest) {
        return;
    }
    if (!combined_ || *lowest > *combined_) {
        combined_ = lowest;
    }
}

} // namespace radstream::state
