#include "radstream/operators/builtin_operators.hpp"

#include "radstream/state/dedup_store.hpp"

#include <fmt/format.h>

#include <charconv>

namespace radstream::operators {
namespace {

// Dedup keys live in memory. With exactly_once in Kafka mode every insert
// and eviction also goes to the changelog, so a restart restores them.
// The time-to-live runs on the dispatcher's event clock (the newest valid
// capture time in its merged input order). Outside a process stage, with
// no clock on the record, it runs on the newest valid capture time seen here.
// NOTE: max_entries is split over the in-process partitions, so when the
// store fills up, which keys are evicted depends on process.partitions.
class dedup_operator final : public graph::record_operator {
public:
    explicit dedup_operator(const graph::operator_context& context)
        : context_(context),
          store_(context.config.dedup.ttl,
                 static_cast<std::size_t>(context.config.dedup.max_entries / context.partition_count)) {}

    // A record that ingest flagged (bad checksum, void flag, unparseable)
    // skips dedup: its key fields are not trustworthy, and it must reach
    // dirty-data to be counted there even when it repeats a good reading.
    void process(graph::record& item) override {
        if (item.key.empty() || !item.defect.empty()) {
            return;
        }
        auto* changes = context_.state_changes;
        store_.report_evictions(changes != nullptr ? &evicted_ : nullptr);
        if (item.event_clock) {
            store_.advance(*item.event_clock);
        } else if (capture_time_in_window(context_.config.validate, *item.captured, context_.now())) {
            store_.advance(*item.captured);
        }
        if (!store_.insert(item.key_hash, *item.captured, item.input_partition)) {
            item.state = graph::disposition::duplicate;
        } else if (changes != nullptr) {
            changes->push_back({changelog_key(item.key_hash),
                                std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                   item.captured->time_since_epoch())
                                                   .count()),
                                false, item.input_partition});
        }
        if (changes != nullptr) {
            for (const auto& eviction : evicted_) {
                changes->push_back({changelog_key(eviction.key_hash), {}, true, eviction.input_partition});
            }
            evicted_.clear();
        }
        auto& counters = context_.counters;
        counters.dedup_entries.store(store_.size(), std::memory_order_relaxed);
        counters.dedup_evicted_ttl.store(store_.evicted_by_ttl(), std::memory_order_relaxed);
        counters.dedup_evicted_capacity.store(store_.evicted_by_capacity(), std::memory_order_relaxed);
    }

    // Keys are "d" and the hash in 16 hex digits; values capture times in
    // Unix milliseconds.
    bool restore(std::string_view key, std::string_view value, int input_partition) override {
        if (key.size() != 17 || key[0] != 'd') {
            return false;
        }
        std::uint64_t hash = 0;
        std::int64_t millis = 0;
        const auto hash_parsed = std::from_chars(key.data() + 1, key.data() + key.size(), hash, 16);
        const auto time_parsed = std::from_chars(value.data(), value.data() + value.size(), millis);
        if (hash_parsed.ec != std::errc{} || time_parsed.ec != std::errc{}) {
            return false;
        }
        store_.report_evictions(nullptr);
        store_.insert(hash, core::event_time{std::chrono::milliseconds{millis}}, input_partition);
        return true;
    }

private:
    static std::string changelog_key(std::uint64_t hash) { return fmt::format("d{:016x}", hash); }

    const graph::operator_context& context_;
    state::dedup_store store_;
    std::vector<state::dedup_store::eviction> evicted_;
};

} // namespace

std::unique_ptr<graph::record_operator> make_dedup_operator(const graph::operator_context& context) {
    return std::make_unique<dedup_operator>(context);
}

} // namespace radstream::operators
