#include "radstream/state/dedup_store.hpp"

#include <algorithm>

namespace radstream::state {
namespace {

constexpr int initial_slot_bits = 4;

// Orders the heap so that its front is the oldest entry.
struct newer {
    template<typename Entry>
    bool operator()(const Entry& left, const Entry& right) const {
        return left.captured_seconds > right.captured_seconds;
    }
};

std::int64_t to_millis(core::event_time time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// Unix seconds, rounded up and clamped to what 32 bits hold (1970-2106).
std::uint32_t to_heap_seconds(core::event_time time) {
    const std::int64_t millis = to_millis(time);
    const std::int64_t seconds = millis <= 0 ? 0 : (millis + 999) / 1000;
    return static_cast<std::uint32_t>(std::min<std::int64_t>(seconds, UINT32_MAX));
}

} // namespace

dedup_store::dedup_store(std::chrono::milliseconds ttl, std::size_t max_entries)
    : ttl_(ttl), max_entries_(max_entries == 0 ? 1 : max_entries) {
    slot_bits_ = initial_slot_bits;
    slots_.assign(std::size_t{1} << slot_bits_, 0);
}

bool dedup_store::insert(std::uint64_t key_hash, core::event_time captured, int input_partition) {
    if (!table_insert(key_hash)) {
        return false;
    }
    by_age_.push_back({to_heap_seconds(captured), key_hash, static_cast<std::uint16_t>(input_partition)});
    std::push_heap(by_age_.begin(), by_age_.end(), newer{});
    while (size_ > max_entries_) {
        evict_oldest();
        ++evicted_by_capacity_;
    }
    return true;
}

void dedup_store::advance(core::event_time now) {
    if (has_clock_ && now <= clock_) {
        return;
    }
    clock_ = now;
    has_clock_ = true;
    // An entry exactly `ttl` old is still live.
    const std::int64_t oldest_live = to_millis(clock_ - ttl_);
    while (!by_age_.empty() && std::int64_t{by_age_.front().captured_seconds} * 1000 < oldest_live) {
        evict_oldest();
        ++evicted_by_ttl_;
    }
}

void dedup_store::evict_oldest() {
    std::pop_heap(by_age_.begin(), by_age_.end(), newer{});
    const std::uint64_t key_hash = by_age_.back().key_hash;
    const int input_partition = by_age_.back().input_partition;
    by_age_.pop_back();
    if (evicted_out_ != nullptr) {
        evicted_out_->push_back({key_hash, input_partition});
    }
    table_erase(key_hash);
}

// Fibonacci hashing: the product's high bits, because the partition
// threads each get hashes with the same remainder, so the low bits repeat.
std::size_t dedup_store::home_slot(std::uint64_t key_hash) const {
    return static_cast<std::size_t>((key_hash * 0x9E3779B97F4A7C15ULL) >> (64 - slot_bits_));
}

bool dedup_store::table_insert(std::uint64_t key_hash) {
    if (key_hash == 0) {
        if (has_zero_) {
            return false;
        }
        has_zero_ = true;
        ++size_;
        return true;
    }
    if ((size_ + 1) * 4 > slots_.size() * 3) {
        grow();
    }
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t slot = home_slot(key_hash);; slot = (slot + 1) & mask) {
        if (slots_[slot] == key_hash) {
            return false;
        }
        if (slots_[slot] == 0) {
            slots_[slot] = key_hash;
            ++size_;
            return true;
        }
    }
}

// Backward-shift deletion: the entries after the hole that may move into
// it do, so no probe sequence is broken and no marker is left behind.
void dedup_store::table_erase(std::uint64_t key_hash) {
    if (key_hash == 0) {
        if (has_zero_) {
            has_zero_ = false;
            --size_;
        }
        return;
    }
    const std::size_t mask = slots_.size() - 1;
    std::size_t hole = home_slot(key_hash);
    while (slots_[hole] != key_hash) {
        if (slots_[hole] == 0) {
            return;
        }
        hole = (hole + 1) & mask;
    }
    slots_[hole] = 0;
    --size_;
    for (std::size_t next = (hole + 1) & mask; slots_[next] != 0; next = (next + 1) & mask) {
        const std::size_t home = home_slot(slots_[next]);
        // The entry may move back to the hole unless its home lies in the
        // cyclic range (hole, next].
        const bool home_after_hole = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
        if (!home_after_hole) {
            slots_[hole] = slots_[next];
            slots_[next] = 0;
            hole = next;
        }
    }
}

void dedup_store::grow() {
    std::vector<std::uint64_t> old;
    old.swap(slots_);
    ++slot_bits_;
    slots_.assign(std::size_t{1} << slot_bits_, 0);
    const std::size_t mask = slots_.size() - 1;
    for (const std::uint64_t key_hash : old) {
        if (key_hash == 0) {
            continue;
        }
        std::size_t slot = home_slot(key_hash);
        while (slots_[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots_[slot] = key_hash;
    }
}

} // namespace radstream::state
