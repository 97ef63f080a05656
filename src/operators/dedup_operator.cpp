#include "radstream/operators/builtin_operators.hpp"

#include "radstream/state/dedup_store.hpp"

namespace radstream::operators {
namespace {

// LIMITATION: dedup keys live only in memory; after a restart, duplicates
// that straddle it pass again.
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
        if (item.event_clock) {
            store_.advance(*item.event_clock);
        } else if (capture_time_in_window(context_.config.validate, *item.captured, context_.now())) {
            store_.advance(*item.captured);
        }
        if (!store_.insert(item.key_hash, *item.captured)) {
            item.state = graph::disposition::duplicate;
        }
        auto& counters = context_.counters;
        counters.dedup_entries.store(store_.size(), std::memory_order_relaxed);
        counters.dedup_evicted_ttl.store(store_.evicted_by_ttl(), std::memory_order_relaxed);
        counters.dedup_evicted_capacity.store(store_.evicted_by_capacity(), std::memory_order_relaxed);
    }

private:
    const graph::operator_context& context_;
    state::dedup_store store_;
};

} // namespace

std::unique_ptr<graph::record_operator> make_dedup_operator(const graph::operator_context& context) {
    return std::make_unique<dedup_operator>(context);
}

} // namespace radstream::operators
