#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/core/event_time.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace radstream::ingest {

// One reading as a source read it, before any check: text fields keep the
// input's spelling, because validate reports bad values as written.
struct source_reading {
    std::string captured_time;
    std::string latitude;
    std::string longitude;
    std::string value;
    std::string unit;
    std::string device_id;
    std::string location_name;
    std::string height;
    std::string source;          // `file:line`
    std::string defect;          // a core::dirty_reason name, when the source found a problem
    std::string defect_message;
    std::string raw;             // the input text, set only with a defect
    std::optional<core::event_time> captured;  // parsed capture time, for sorting and playback
};

// Reads readings from one input. Used by one thread.
class source {
public:
    virtual ~source() = default;
    // Fills `out` with the next reading; returns false at the end of input.
    virtual bool next(source_reading& out) = 0;
    // Bytes of the input consumed so far, for progress; 0 when unknown.
    virtual std::uint64_t bytes_read() { return 0; }
};

// Throws std::runtime_error when the input cannot be opened.
using source_factory = std::function<std::unique_ptr<source>(const config::input_config&)>;

// Sources by the name `inputs[].format` uses. The built-in ones (safecast_csv,
// csv, bgeigie) are registered on first use.
class source_registry {
public:
    static source_registry& instance();

    // Throws std::invalid_argument when the name is taken.
    void add(const std::string& name, source_factory factory);
    // Throws std::invalid_argument naming the known formats when the format is unknown.
    std::unique_ptr<source> create(const config::input_config& input) const;
    std::vector<std::string> names() const;

private:
    source_registry();
    std::vector<std::string> names_locked() const;

    mutable std::mutex mutex_;
    std::map<std::string, source_factory> factories_;
};

// Built-in sources.
std::unique_ptr<source> make_safecast_csv_source(const config::input_config& input);
std::unique_ptr<source> make_mapped_csv_source(const config::input_config& input);
std::unique_ptr<source> make_bgeigie_source(const config::input_config& input);

// Builds the radiation-data message of a reading: the field names a Python
// producer writes, numbers as JSON numbers where the text is one, and
// radstream's own fields (source, and defect, defect_message and raw when
// set). `ingestion_timestamp` is written when not empty.
void write_reading_json(const source_reading& reading, std::string_view ingestion_timestamp, std::string& out);

// The message key: the composite key in normal form when the key fields
// parse, else the reading's source location, which is unique per input.
std::string reading_key(const source_reading& reading);

} // namespace radstream::ingest
