#include "radstream/state/dedup_store.hpp"

namespace radstream::state {

dedup_store::dedup_store(std::chrono::milliseconds ttl, std::size_t max_entries)
    : ttl_(ttl), max_entries_(max_entries == 0 ? 1 : max_entries) {}

bool dedup_store::insert(std::uint64_t key_hash, core::event_time captured) {
    if (!times_.emplace(key_hash, captured).second) {
        return false;
    }
    by_age_.push({captured, key_hash});
    while (times_.size() > max_entries_) {
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
    while (!by_age_.empty() && by_age_.top().captured < clock_ - ttl_) {
        evict_oldest();
        ++evicted_by_ttl_;
    }
}

void dedup_store::evict_oldest() {
    if (evicted_out_ != nullptr) {
        evicted_out_->push_back(by_age_.top().key_hash);
    }
    times_.erase(by_age_.top().key_hash);
    by_age_.pop();
}

} // namespace radstream::state
