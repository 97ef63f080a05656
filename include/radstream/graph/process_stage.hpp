#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/core/bounded_queue.hpp"
#include "radstream/graph/counters.hpp"
#include "radstream/graph/record.hpp"
#include "radstream/graph/record_operator.hpp"
#include "radstream/topic/topic.hpp"

#include <atomic>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace radstream::graph {

// The process stage: one dispatcher thread reads radiation-data, decodes
// each message and hands it to one of `process.partitions` partition
// threads by a hash of its composite key, so all readings of one key meet
// the same dedup state. Each partition runs its own operator chain and
// writes what the route operator chose to the output topics.
//
// Offsets are committed at checkpoints: every process.commit_interval_ms,
// the dispatcher stops handing out records, waits until every partition
// has written what it was given, flushes the producer (so every output is
// delivered), and only then commits the input offsets. A crash between
// checkpoints therefore sends records again, never loses them
// (at-least-once).
//
// When the input topic ends (bounded runs) or stop() is called, the stage
// drains its queues, checkpoints and closes the output topics.
class process_stage {
public:
    // Throws std::invalid_argument for an unknown operator name.
    process_stage(const config::app_config& config, topic::backend& backend,
                  std::function<core::event_time()> now);
    ~process_stage();

    void start();
    void stop();
    // Waits until every record read has been written and the output topics are closed.
    void join();

    counters_snapshot counters() const;

    // The error that stopped the stage (a record that could not be
    // delivered), or empty while it runs or after a clean end.
    std::string failure() const;

private:
    using batch = std::vector<record>;

    // Records for one partition, or a checkpoint marker that the partition
    // counts down once everything before it is written.
    struct work {
        batch records;
        std::shared_ptr<std::latch> checkpoint;
    };

    struct partition {
        partition_counters counters;
        std::unique_ptr<core::bounded_queue<work>> queue;
        std::vector<std::unique_ptr<record_operator>> operators;
        std::thread thread;
    };

    void dispatch();
    void dispatch_until_end();
    void checkpoint();
    void fail(const std::string& what);
    void run_partition(partition& part);
    void process_batch(partition& part, batch& records, std::vector<topic::message>& processed,
                       std::vector<topic::message>& critical, std::vector<topic::message>& dirty);
    void write_outputs(partition& part, batch& records, std::vector<topic::message>& processed,
                       std::vector<topic::message>& critical, std::vector<topic::message>& dirty);

    const config::app_config& config_;
    topic::backend& backend_;
    std::function<core::event_time()> now_;
    std::unique_ptr<topic::consumer> consumer_;
    std::unique_ptr<topic::producer> producer_;
    std::vector<std::unique_ptr<partition>> partitions_;
    std::vector<std::unique_ptr<operator_context>> contexts_;
    std::thread dispatcher_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> failed_{false};
    mutable std::mutex failure_mutex_;
    std::string failure_;
};

} // namespace radstream::graph
