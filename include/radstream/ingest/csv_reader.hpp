#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace radstream::ingest {

// One CSV record as returned by csv_reader::next.
struct csv_row {
    // Unquoted field values. When `error` is set, only the fields parsed
    // before the error are present and the last one may be incomplete.
    std::vector<std::string> fields;
    // 1-based physical line where the record starts.
    std::uint64_t line = 0;
    // The record's text as read, without the final line break, capped at
    // max_raw_bytes. A record spanning lines keeps its inner line breaks.
    std::string raw;
    // Empty when the record is well-formed, otherwise a message of the form
    // `file:line: what is wrong; what to do`.
    std::string error;

    static constexpr std::size_t max_raw_bytes = 1024;
};

// Streaming CSV reader for RFC 4180 files.
//
// Fields are separated by commas. A field in double quotes may contain
// commas, line breaks and doubled quotes (`""` stands for one `"`). Records
// end at LF, CRLF or a lone CR, and the last record may lack a line break.
// A UTF-8 byte-order mark at the very start is skipped, and empty lines are
// skipped. A line of spaces is not empty: it is a record with one field.
//
// Malformed records are returned as rows with `error` set, and reading
// continues at the next line:
// - a quote inside an unquoted field,
// - text between a closing quote and the next comma or line break,
// - a quoted field that is still open at the end of input (reading ends).
// A failed stream (badbit set) also produces one row with `error`, then the
// reader ends. Field counts are not checked: compare them with the header.
//
// The reader reads `chunk_bytes` at a time through istream::read, so memory
// use stays at one chunk plus the current record. It does not own the
// stream, which must outlive it. A reader is not thread-safe, so use it from
// one thread at a time.
class csv_reader {
public:
    // `file_name` appears in error messages. A `chunk_bytes` of 0 is read as 1.
    csv_reader(std::istream& in, std::string file_name, std::size_t chunk_bytes = 1 << 16);

    // Fills `row` with the next record and returns true, or returns false at
    // the end of input. The strings and vector inside `row` are reused, so
    // passing the same row on every call avoids reallocation.
    bool next(csv_row& row);

private:
    enum class state {
        record_start,          // nothing of the record consumed yet
        field_start,           // after a comma, or at the first byte of a record
        unquoted,              // inside a field that has no opening quote
        quoted,                // inside a quoted field
        quote_in_quoted,       // after a quote inside a quoted field, which closes it unless doubled
        after_closing_quote,   // only a comma or a line break may follow
        skip_rest_of_line,     // after an error, until the line break
    };

    void begin_record(csv_row& row);
    bool step(csv_row& row);
    bool step_record_start(csv_row& row, const char* p);
    bool step_field_start(csv_row& row, const char* p);
    bool step_unquoted(csv_row& row, const char* p, const char* chunk_end);
    bool step_quoted(csv_row& row, const char* p, const char* chunk_end);
    bool step_quote_in_quoted(csv_row& row, const char* p);
    bool step_after_closing_quote(csv_row& row, const char* p);
    bool step_skip_rest_of_line(csv_row& row, const char* p, const char* chunk_end);
    bool end_record(csv_row& row, const char* line_break);
    bool end_at_end_of_input(csv_row& row);

    bool refill();
    void skip_byte_order_mark();
    void start_field(csv_row& row);
    void append_raw(csv_row& row, const char* begin, const char* end);
    void count_line_breaks(const char* begin, const char* end);
    void set_error(csv_row& row, std::uint64_t line, std::string_view problem);

    std::istream& in_;
    std::string file_name_;
    std::size_t chunk_bytes_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    bool started_ = false;
    bool at_eof_ = false;
    bool finished_ = false;
    bool stream_failed_ = false;
    // The last consumed byte was a CR, so an LF that follows it belongs to
    // the same line break and is not counted again.
    bool after_cr_ = false;
    // Physical line of the byte at pos_.
    std::uint64_t line_ = 1;
    state state_ = state::record_start;
    // The current record has started, and its text from buffer_[raw_begin_]
    // up to pos_ is not yet copied to row.raw.
    bool in_record_ = false;
    std::size_t raw_begin_ = 0;
    // Line of the opening quote of the current quoted field.
    std::uint64_t quote_line_ = 0;
    // Number of fields of the record being parsed, which may be smaller than
    // row.fields.size() while the row's old strings are reused.
    std::size_t field_count_ = 0;
};

// Returns the index of the first header entry equal to `name`, ignoring ASCII
// case and surrounding ASCII whitespace on both sides, or nullopt.
std::optional<std::size_t> find_column(const std::vector<std::string>& header, std::string_view name);

}  // namespace radstream::ingest
