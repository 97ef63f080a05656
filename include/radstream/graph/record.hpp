#pragma once

#include "radstream/core/dirty_reason.hpp"
#include "radstream/core/event_time.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace radstream::graph {

// A numeric field of an incoming message. Producers write numbers either as
// JSON numbers or as strings, so the text is kept for messages and the
// number is set only when the text is a finite decimal number.
struct numeric_field {
    bool present = false;  // absent, null and "" all count as missing
    std::string text;
    std::optional<double> number;
};

enum class level { low, moderate, high };
std::string_view to_string(level value);

// The verdict on a record, set by operators and read by the router. Only
// `pass` records reach later operators, except operators that ask for all.
enum class disposition {
    pass,       // still on its way to an output topic
    duplicate,  // dropped by dedup, counted as a duplicate
    dirty,      // rejected, goes to dirty-data with a reason
    filtered,   // dropped on purpose by a custom operator, counted as filtered
};

// The output the route operator chose for a record.
enum class destination { none, processed, critical, dirty };

// The event-time group of a released reading: every valid reading with the
// same capture second, released together.
struct time_group {
    std::int64_t second = 0;  // Unix seconds of the capture second
    std::uint32_t size = 0;
};

// One radiation-data message on its way through a partition's operators.
// Owned by one partition thread at a time.
struct record {
    // Input.
    std::string payload;  // the message value, padded for simdjson
    std::string origin;   // `topic/partition@offset`
    int input_partition = -1;
    std::int64_t input_offset = -1;
    std::string source;   // where ingest read it (`file:line`), when the producer wrote it
    // When the consumer's poll returned it; unset for readings restored
    // from the changelog.
    std::optional<std::chrono::steady_clock::time_point> polled_at;

    // Decoded fields.
    numeric_field latitude;
    numeric_field longitude;
    numeric_field value;
    numeric_field height;
    bool has_captured_time = false;
    std::string captured_time;
    std::optional<core::event_time> captured;
    std::string unit;         // as written
    std::string normal_unit;  // core::normalize_unit(unit)
    std::string device_id;
    std::string location_name;
    std::string ingestion_timestamp;
    std::string defect;         // a problem ingest found (a dirty_reason name)
    std::string defect_message;
    std::string raw;            // the input text ingest could not parse

    // The composite key in normal form, empty when a key field is unusable.
    std::string key;
    std::uint64_t key_hash = 0;

    // Verdict.
    disposition state = disposition::pass;
    core::dirty_reason reason = core::dirty_reason::unparseable;
    std::string message;  // why it is dirty, for people
    destination target = destination::none;

    // Event time: late when its capture second was released before it
    // arrived; group set when it was released with its group.
    bool late = false;
    // Set by the dispatcher: the capture time passes validation, so it
    // moves event time.
    bool counts_for_event_time = false;
    // Set by the dispatcher: the newest valid capture time taken so far in
    // its merged input order, this record included. Dedup's time-to-live
    // runs on it, so evictions do not depend on process.partitions.
    std::optional<core::event_time> event_clock;
    std::optional<time_group> group;
    // The output JSON, rendered on the partition thread or restored from
    // the changelog (exactly_once) for a held reading. A valid reading's
    // JSON lacks the group fields, which its release adds. `persisted` is
    // set once the held reading is in the changelog, so that its release
    // deletes it there.
    std::string rendered;
    bool persisted = false;

    // Enrichment.
    double cpm = 0;
    double dose_usvh = 0;
    graph::level reading_level = level::low;
    bool critical = false;

    // Marks the record dirty with a reason and a readable message.
    void reject(core::dirty_reason why, std::string text) {
        state = disposition::dirty;
        reason = why;
        message = std::move(text);
    }
};

// Decodes a radiation-data message into `out` (which is reset first) and
// computes its composite key. Text that is not one valid JSON object makes
// the record dirty with reason unparseable. So does a number beyond the
// range of a double (1e999, 2^64), because the parser rejects it. Other bad
// or missing fields are left for validate, which names them. `out.payload`
// must contain the message.
void decode_message(record& out);

// Builds the output JSON of a valid record (processed-data-output or
// critical-data) into `out`.
void write_output_json(const record& in, std::string& out);

// Builds the dirty-data JSON of a rejected record into `out`; the raw input
// is cut to `raw_max_bytes`.
void write_dirty_json(const record& in, std::size_t raw_max_bytes, std::string& out);

} // namespace radstream::graph
