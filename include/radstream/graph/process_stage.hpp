#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/core/bounded_queue.hpp"
#include "radstream/core/latency_histogram.hpp"
#include "radstream/graph/counters.hpp"
#include "radstream/graph/record.hpp"
#include "radstream/graph/record_operator.hpp"
#include "radstream/graph/temporal_groups.hpp"
#include "radstream/state/watermark_tracker.hpp"
#include "radstream/topic/topic.hpp"

#include <atomic>
#include <deque>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace radstream::graph {

// A recent dirty record, for the map's system panel.
struct dirty_example {
    core::dirty_reason reason = core::dirty_reason::unparseable;
    std::string message;
    std::string source;
    std::string timestamp;
};

// Event-time state for /api/stats.
struct event_time_status {
    std::optional<core::event_time> watermark;
    std::map<int, state::watermark_tracker::partition_state> partitions;  // by input partition
    std::size_t open_groups = 0;
    std::size_t held_readings = 0;
    std::size_t aligning_records = 0;  // polled, waiting to be dispatched in capture-time order
    std::map<int, std::int64_t> lag;   // records not yet polled, by input partition
    bool assigned = false;             // the consumer has been given input partitions
    std::uint64_t commits = 0;         // checkpoints that committed input offsets
    // The last state restore (exactly_once): changelog entries read and
    // seconds taken, and restores so far (one per assignment change).
    std::size_t restored_entries = 0;
    double restore_seconds = 0;
    std::uint64_t restores = 0;
};

// The process stage, on 2 + process.partitions threads:
//
// - The dispatcher reads radiation-data, decodes each message, and hands
//   it to a partition thread by a hash of its composite key, so all
//   readings of one key meet the same dedup state. It merges the input
//   partitions in capture-time order. It always takes the buffered record
//   with the oldest capture time, and it waits while an active input
//   partition has nothing buffered. So the merged order depends only on
//   what each input partition contains, not on how the consumer
//   interleaves them. It also keeps the event-time watermarks. Every
//   record whose capture time passes validation moves its input
//   partition's watermark as it is taken, and a reading whose capture
//   second the watermark has passed is marked late right then. So
//   lateness never depends on fetch order, thread timing or the number of
//   partitions. After each polled
//   batch the dispatcher sends the new watermark to every partition.
// - Each partition thread runs its own operator chain and forwards the
//   results, and the watermarks in order, to the merger.
// - The merger holds valid on-time readings by capture second until the
//   watermark has reached every partition and passed the second, then
//   releases the group in capture-time order; it writes every record to
//   its output topic (late readings as event_time.late_readings says).
//
// Offsets are committed at checkpoints every process.commit_interval_ms:
// the dispatcher stops handing out records, waits until the merger has
// written everything the partitions sent before the checkpoint and the
// producer has delivered it, and commits the input offsets, except past
// a reading that the merger or the dispatcher still keeps (at-least-once).
//
// When the input topic ends (bounded runs) or stop() is called, the stage
// drains, releases every open group, checkpoints and closes the output topics.
class process_stage {
public:
    // Whether a decoded record's capture time may move event time (it
    // passes validation).
    using event_time_filter = std::function<bool(const record&)>;

    // Throws std::invalid_argument for an unknown operator name.
    process_stage(const config::app_config& config, topic::backend& backend, std::function<core::event_time()> now,
                  event_time_filter counts_for_event_time);
    ~process_stage();

    void start();
    void stop();
    // Waits until every record read has been written and the output topics are closed.
    void join();

    // Whether the dispatcher has finished: the input ended (bounded runs),
    // the stage was stopped, or it failed. join() still waits for the rest.
    bool drained() const { return drained_.load(); }

    counters_snapshot counters() const;
    event_time_status event_time() const;
    // The latest dirty records, newest first (at most 5).
    std::vector<dirty_example> dirty_examples() const;

    struct transaction_counts {
        std::uint64_t committed = 0;
        std::uint64_t aborted = 0;
    };
    // Kafka transactions so far, or nothing without them (at_least_once,
    // embedded topics).
    std::optional<transaction_counts> transactions() const;

    // Time from the consumer's poll returning a record to the producer
    // taking its output record, for records with an output topic. Held
    // readings include the time they waited for their capture second.
    const core::latency_histogram& consume_to_produce() const { return consume_to_produce_; }

    // The error that stopped the stage (a record that could not be
    // delivered), or empty while it runs or after a clean end.
    std::string failure() const;

private:
    using batch = std::vector<record>;

    struct checkpoint_request {
        bool release_all = false;  // the last checkpoint: release every open group first
        // Instead of writing, every thread drops its state, because the open
        // transaction is aborted and the state is restored from the changelog.
        bool reset = false;
        std::vector<int> assigned;  // the input partitions whose changelog partitions get "r"
        std::latch written{1};
        topic::consumer::held_offsets held;
    };

    // Dispatcher to partition: records, a new watermark, or a checkpoint.
    struct work {
        batch records;
        std::optional<core::event_time> watermark;
        std::shared_ptr<checkpoint_request> checkpoint;
    };

    // Partition to merger: the same, tagged with the partition, or its end.
    struct merge_item {
        int partition = 0;
        batch records;
        std::optional<core::event_time> watermark;
        std::shared_ptr<checkpoint_request> checkpoint;
        bool end = false;
    };

    struct partition {
        partition_counters counters;
        std::unique_ptr<core::bounded_queue<work>> queue;
        std::vector<std::unique_ptr<record_operator>> operators;
        std::vector<topic::message> state_changes;  // the operators' changelog entries
        std::thread thread;
    };

    class merger;

    void dispatch();
    void dispatch_until_end();
    void buffer_polled(std::vector<topic::consumed_message>& polled);
    void track_assignment();
    void dispatch_in_order(bool flush);
    static bool orders_before(const record& left, const record& right);
    void advance_event_time();
    void checkpoint(bool last = false);
    void reset_pipeline();
    void remember_committed_counts();
    void restore_committed_counts();
    void restore_state(const std::vector<int>& input_partitions);
    std::vector<std::unique_ptr<record_operator>> make_operators(const operator_context& context) const;
    void write_event_time_state();
    void crash_if_injected(std::string_view point);
    void fail(const std::string& what);
    void render_output(record& item) const;
    void run_partition(partition& part, int index);

    const config::app_config& config_;
    topic::backend& backend_;
    std::function<core::event_time()> now_;
    event_time_filter counts_for_event_time_;
    std::unique_ptr<topic::consumer> consumer_;
    std::unique_ptr<topic::producer> producer_;
    topic::transactional_producer* transactional_ = nullptr;  // producer_, when it is transactional
    std::string state_topic_;  // the changelog, with exactly_once
    std::int64_t commits_before_ = 0;  // for crash_if_injected
    std::int64_t commits_after_ = 0;
    std::vector<std::unique_ptr<partition>> partitions_;
    // The record counts of each partition thread, then of the merger, at
    // the last commit of a transaction; empty before the first one.
    std::vector<counters_snapshot> committed_counts_;
    std::vector<std::unique_ptr<operator_context>> contexts_;
    core::bounded_queue<merge_item> merge_queue_;
    std::unique_ptr<merger> merger_;
    state::watermark_tracker watermarks_;
    std::optional<core::event_time> sent_watermark_;
    std::vector<int> reading_;                  // assigned input partitions, sorted
    std::map<int, std::deque<record>> inputs_;  // polled records by input partition, in offset order
    std::map<int, std::int64_t> next_offsets_;  // next new offset per input partition
    std::optional<core::event_time> newest_capture_;
    std::size_t buffered_ = 0;
    std::uint64_t dispatched_ = 0;  // records handed to partition threads
    std::uint64_t dispatched_at_checkpoint_ = 0;
    std::uint64_t dispatched_at_reset_ = 0;  // dispatched_ when the state was last reset or restored
    bool alignment_overflow_logged_ = false;
    std::thread dispatcher_;
    std::thread merger_thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> failed_{false};
    std::atomic<bool> drained_{false};
    mutable std::mutex status_mutex_;
    event_time_status status_;
    std::deque<dirty_example> dirty_examples_;
    mutable std::mutex failure_mutex_;
    std::string failure_;
    core::latency_histogram consume_to_produce_;
};

} // namespace radstream::graph
