#pragma once

#include "radstream/core/strong_type.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace radstream::topic {

// A record as written to a topic.
struct message {
    std::string key;
    std::string value;
    bool tombstone = false;  // a null value: deletes the key from a compacted topic
    std::int32_t partition = -1;  // the partition to write to; -1: the one the key hashes to
};

// A record as read from a topic, with its position.
struct consumed_message {
    const std::string* topic = nullptr;  // owned by the backend, stable while it lives
    core::partition_id partition;
    core::topic_offset offset;
    std::string key;
    std::string value;
};

enum class poll_status {
    records,  // at least one record was returned
    idle,     // nothing arrived before the timeout
    end,      // every subscribed topic was closed and has been read to its end
};

// Writes records to topics. Safe to call from several threads. produce may
// block while a partition is full, which is how backpressure reaches ingest.
class producer {
public:
    virtual ~producer() = default;
    // Appends the batch to `topic`, each record to its `partition`, or
    // when that is -1 to the partition its key hashes to (Kafka's murmur2
    // partitioner).
    virtual void produce(std::string_view topic, std::vector<message>& batch) = 0;
    // Waits until every record produced so far is stored.
    virtual void flush() = 0;
};

// Reads topics as one member of a consumer group; used by one thread.
class consumer {
public:
    virtual ~consumer() = default;
    // Appends up to `max_records` records to `out` (which is cleared first),
    // waiting at most `timeout` for the first one.
    virtual poll_status poll(std::vector<consumed_message>& out, std::size_t max_records,
                             std::chrono::milliseconds timeout) = 0;
    // Oldest offsets still held per (topic, partition); commit goes no further.
    using held_offsets = std::map<std::pair<std::string, std::int32_t>, std::int64_t>;

    // Marks everything returned by poll so far as processed, except that
    // a partition with an entry in `held` is committed only up to it.
    virtual void commit(const held_offsets& held = {}) = 0;

    // The partitions of `topic` this consumer reads now.
    virtual std::vector<core::partition_id> assigned_partitions(const std::string& topic) = 0;
    // Whether every record of the partition up to its end has been returned by poll.
    virtual bool caught_up(const std::string& topic, core::partition_id partition) = 0;
    // Whether the partition's topic was closed (bounded runs) and every
    // record of the partition has been returned by poll.
    virtual bool ended(const std::string& topic, core::partition_id partition) = 0;
    // Records of the partition not yet returned by poll, or nothing while
    // its end offset is unknown. Asks the broker nothing.
    virtual std::optional<std::int64_t> lag(const std::string& topic, core::partition_id partition) = 0;
    // Moves every assigned partition back to the group's committed offset
    // (the start of the partition when there is none), so that poll
    // returns again what an aborted transaction had consumed.
    virtual void rewind_to_committed() {}
};

// Thrown by transactional_producer::commit when the transaction was
// aborted and the producer can begin the next one: its records are
// discarded, and the caller goes back to the last committed state.
struct transaction_aborted : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A producer whose records and the input offsets they came from become
// visible together, or not at all: one Kafka transaction per commit. The
// first transaction is open once it is created. Used by one thread for
// commit and abort; produce may come from several.
class transactional_producer : public producer {
public:
    // Commits the records produced since the last commit together with
    // `source`'s offsets (as consumer::commit computes them, `held`
    // included), then opens the next transaction. Throws
    // transaction_aborted when the transaction was aborted and the next
    // one is open. Throws std::runtime_error when the outcome is unknown or
    // the producer cannot go on, so the caller stops and a restart resumes
    // from the last committed transaction.
    virtual void commit(consumer& source, const consumer::held_offsets& held) = 0;
    // Aborts the open transaction, discarding what was produced since the
    // last commit, and opens the next one.
    virtual void abort() = 0;
    std::uint64_t commits() const { return commits_.load(std::memory_order_relaxed); }
    std::uint64_t aborts() const { return aborts_.load(std::memory_order_relaxed); }

protected:
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::uint64_t> aborts_{0};
};

// The topics of one run: embedded (in process) or Kafka.
class backend {
public:
    virtual ~backend() = default;
    virtual std::unique_ptr<producer> make_producer() = 0;
    // A transactional producer with this transactional.id, fencing any
    // earlier producer with the same id, or nothing when the backend has
    // no transactions (embedded topics).
    virtual std::unique_ptr<transactional_producer> make_transactional_producer(const std::string&) { return nullptr; }
    // A consumer in `group` reading every partition of `topics` from the
    // group's committed offsets (the earliest record when there are none).
    // With `tail_records` set it ignores committed offsets, starts each
    // partition that many records before its end (split evenly over the
    // partitions), and commit() does nothing: for readers such as the map
    // that want recent records, not a resumable position. Create consumers
    // before producing, so that they see every record.
    virtual std::unique_ptr<consumer> make_consumer(const std::string& group, const std::vector<std::string>& topics,
                                                    std::optional<std::int64_t> tail_records = std::nullopt) = 0;
    // Marks the end of `topic` for bounded runs: once readers have read what
    // is there, their poll returns poll_status::end.
    virtual void close_topic(std::string_view topic) = 0;
    // Creates a compacted topic for a state changelog, with as many
    // partitions as `partitioned_like`, when it is missing. Throws when it
    // exists with another partition count.
    virtual void prepare_state_topic(const std::string& /*topic*/, const std::string& /*partitioned_like*/) {}
    // Per partition of `partitions`: every live key of the compacted topic
    // with its latest value, read with read_committed up to the end
    // (deleted keys left out).
    using state_table = std::map<std::int32_t, std::map<std::string, std::string>>;
    virtual state_table read_table(const std::string& /*topic*/, const std::vector<std::int32_t>& /*partitions*/) {
        return {};
    }

    // Whether the topics can be reached now. May wait up to about 2 s, so
    // call it off the hot path.
    virtual bool reachable() { return true; }
};

} // namespace radstream::topic
