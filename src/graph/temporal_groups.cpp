#include "radstream/graph/temporal_groups.hpp"

#include <algorithm>
#include <tuple>

namespace radstream::graph {

std::int64_t capture_second(core::event_time time) {
    return std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count();
}

bool is_late(core::event_time captured, std::optional<core::event_time> watermark) {
    return watermark && capture_second(captured) < capture_second(*watermark);
}

void temporal_groups::add(record&& item) {
    groups_[capture_second(*item.captured)].push_back(std::move(item));
    ++held_;
}

void temporal_groups::release_until(core::event_time watermark, std::vector<record>& out) {
    // Group s ends at s + 1 s, so it is complete when the watermark is at
    // least s + 1 s: every later reading of it would be late.
    const std::int64_t first_open = capture_second(watermark);
    while (!groups_.empty() && groups_.begin()->first < first_open) {
        auto node = groups_.extract(groups_.begin());
        release_group(node.mapped(), node.key(), out);
    }
    if (!released_before_ || first_open > *released_before_) {
        released_before_ = first_open;
    }
}

void temporal_groups::release_all(std::vector<record>& out) {
    while (!groups_.empty()) {
        auto node = groups_.extract(groups_.begin());
        release_group(node.mapped(), node.key(), out);
        released_before_ = node.key() + 1;
    }
}

bool temporal_groups::released(core::event_time captured) const {
    return released_before_ && capture_second(captured) < *released_before_;
}

std::map<int, std::int64_t> temporal_groups::oldest_held_offsets() const {
    std::map<int, std::int64_t> oldest;
    for (const auto& [second, group] : groups_) {
        for (const auto& item : group) {
            if (item.input_offset < 0) {
                continue;
            }
            auto [it, added] = oldest.try_emplace(item.input_partition, item.input_offset);
            if (!added) {
                it->second = std::min(it->second, item.input_offset);
            }
        }
    }
    return oldest;
}

void temporal_groups::release_group(std::vector<record>& group, std::int64_t second, std::vector<record>& out) {
    std::sort(group.begin(), group.end(), [](const record& a, const record& b) {
        return std::tie(*a.captured, a.key, a.origin) < std::tie(*b.captured, b.key, b.origin);
    });
    const auto size = static_cast<std::uint32_t>(group.size());
    for (auto& item : group) {
        item.group = time_group{second, size};
        out.push_back(std::move(item));
    }
    held_ -= group.size();
}

} // namespace radstream::graph
