#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/core/event_time.hpp"
#include "radstream/graph/counters.hpp"
#include "radstream/graph/record.hpp"
#include "radstream/topic/topic.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace radstream::graph {

// What an operator instance gets when its partition starts.
struct operator_context {
    const config::app_config& config;
    int partition = 0;        // in-process partition index
    int partition_count = 1;
    partition_counters& counters;
    std::function<core::event_time()> now;  // wall clock; tests pass a fixed one
    // With exactly_once in Kafka mode, the partition's state changes for the
    // changelog, written in the same transaction as the outputs: a key and
    // a value, or a tombstone. The changelog has one partition per input
    // partition; a change left at partition -1 goes to the input partition
    // of the record being processed. Null when no changelog is kept.
    std::vector<topic::message>* state_changes = nullptr;
};

// One step of the process stage. Each in-process partition owns its own
// instance of every operator and calls it from its thread only, so operator
// state needs no locks. An operator changes the record in place: it may
// reject it (record::reject), mark it a duplicate, enrich it, or set its
// destination.
class record_operator {
public:
    virtual ~record_operator() = default;
    // Whether the operator also sees records an earlier operator rejected or
    // marked as duplicates (the router does; most operators do not).
    virtual bool sees_rejected() const { return false; }
    virtual void process(record& item) = 0;
    // Applies one changelog entry this operator wrote earlier (its key and
    // value, and the input partition whose changelog partition held it),
    // when the stage restores the state of newly assigned input partitions.
    // Returns false when the key is not the operator's.
    virtual bool restore(std::string_view /*key*/, std::string_view /*value*/, int /*input_partition*/) {
        return false;
    }
};

using operator_factory = std::function<std::unique_ptr<record_operator>(const operator_context&)>;

// Operators by name, as `process.operators` lists them. The built-in ones
// (dedup, validate, enrich, route) are registered on first use; programs add
// their own with add() before the pipeline starts.
class operator_registry {
public:
    static operator_registry& instance();

    // Throws std::invalid_argument when the name is taken.
    void add(const std::string& name, operator_factory factory);
    // Throws std::invalid_argument naming the known operators when `name` is unknown.
    std::unique_ptr<record_operator> create(const std::string& name, const operator_context& context) const;
    std::vector<std::string> names() const;

private:
    operator_registry();
    std::vector<std::string> names_locked() const;

    mutable std::mutex mutex_;
    std::map<std::string, operator_factory> factories_;
};

} // namespace radstream::graph
