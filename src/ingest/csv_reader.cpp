#include "radstream/ingest/csv_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace radstream::ingest {

namespace {

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

// Bytes that end a run of unquoted field text.
constexpr std::array<bool, 256> unquoted_stop_bytes = [] {
    std::array<bool, 256> table{};
    table[static_cast<unsigned char>(',')] = true;
    table[static_cast<unsigned char>('"')] = true;
    table[static_cast<unsigned char>('\n')] = true;
    table[static_cast<unsigned char>('\r')] = true;
    return table;
}();

bool is_line_break(char c) { return c == '\n' || c == '\r'; }

bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char to_ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim_ascii_space(std::string_view text) {
    while (!text.empty() && is_ascii_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_ascii_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

csv_reader::csv_reader(std::istream& in, std::string file_name, std::size_t chunk_bytes)
    : in_(in), file_name_(std::move(file_name)), chunk_bytes_(std::max<std::size_t>(chunk_bytes, 1)) {}

bool csv_reader::next(csv_row& row) {
    if (finished_) {
        return false;
    }
    if (!started_) {
        started_ = true;
        skip_byte_order_mark();
    }

    begin_record(row);
    while (true) {
        if (pos_ == end_) {
            if (in_record_) {
                append_raw(row, buffer_.data() + raw_begin_, buffer_.data() + end_);
            }
            if (!refill()) {
                return end_at_end_of_input(row);
            }
            raw_begin_ = pos_;
        }
        if (step(row)) {
            return true;
        }
    }
}

void csv_reader::begin_record(csv_row& row) {
    state_ = state::record_start;
    in_record_ = false;
    field_count_ = 0;
    row.line = line_;
    row.raw.clear();
    row.error.clear();
}

// Consumes bytes at pos_ in the current state. Returns true when the record
// is complete. Every call consumes at least one byte or changes state_.
bool csv_reader::step(csv_row& row) {
    const char* p = buffer_.data() + pos_;
    const char* chunk_end = buffer_.data() + end_;
    switch (state_) {
        case state::record_start:
            return step_record_start(row, p);
        case state::field_start:
            return step_field_start(row, p);
        case state::unquoted:
            return step_unquoted(row, p, chunk_end);
        case state::quoted:
            return step_quoted(row, p, chunk_end);
        case state::quote_in_quoted:
            return step_quote_in_quoted(row, p);
        case state::after_closing_quote:
            return step_after_closing_quote(row, p);
        case state::skip_rest_of_line:
            return step_skip_rest_of_line(row, p, chunk_end);
    }
    return false;
}

// Skips empty lines. An LF right after a CR completes a CRLF whose line was
// already counted, also when the previous record ended at that CR.
bool csv_reader::step_record_start(csv_row& row, const char* p) {
    if (*p == '\n') {
        if (!after_cr_) {
            ++line_;
        }
        after_cr_ = false;
        ++pos_;
        return false;
    }
    if (*p == '\r') {
        ++line_;
        after_cr_ = true;
        ++pos_;
        return false;
    }

    after_cr_ = false;
    row.line = line_;
    in_record_ = true;
    raw_begin_ = pos_;
    start_field(row);
    state_ = state::field_start;
    return false;
}

bool csv_reader::step_field_start(csv_row& row, const char* p) {
    if (*p == '"') {
        quote_line_ = line_;
        ++pos_;
        state_ = state::quoted;
        return false;
    }
    if (*p == ',') {
        start_field(row);
        ++pos_;
        return false;
    }
    if (is_line_break(*p)) {
        return end_record(row, p);
    }
    state_ = state::unquoted;
    return false;
}

bool csv_reader::step_unquoted(csv_row& row, const char* p, const char* chunk_end) {
    const char* stop = p;
    while (stop != chunk_end && !unquoted_stop_bytes[static_cast<unsigned char>(*stop)]) {
        ++stop;
    }
    row.fields[field_count_ - 1].append(p, stop);
    pos_ += static_cast<std::size_t>(stop - p);
    if (stop == chunk_end) {
        return false;
    }

    if (*stop == ',') {
        start_field(row);
        ++pos_;
        state_ = state::field_start;
        return false;
    }
    if (is_line_break(*stop)) {
        return end_record(row, stop);
    }
    set_error(row, line_,
              fmt::format("quote inside unquoted field {}; quote the whole field and double inner quotes",
                          field_count_));
    state_ = state::skip_rest_of_line;
    return false;
}

bool csv_reader::step_quoted(csv_row& row, const char* p, const char* chunk_end) {
    const void* quote = std::memchr(p, '"', static_cast<std::size_t>(chunk_end - p));
    const char* stop = quote != nullptr ? static_cast<const char*>(quote) : chunk_end;
    row.fields[field_count_ - 1].append(p, stop);
    count_line_breaks(p, stop);
    pos_ += static_cast<std::size_t>(stop - p);
    if (stop != chunk_end) {
        after_cr_ = false;
        ++pos_;
        state_ = state::quote_in_quoted;
    }
    return false;
}

// RFC 4180: a doubled quote inside a quoted field is one quote character, and
// any other byte after a quote means that the quote closed the field.
bool csv_reader::step_quote_in_quoted(csv_row& row, const char* p) {
    if (*p == '"') {
        row.fields[field_count_ - 1].push_back('"');
        ++pos_;
        state_ = state::quoted;
    } else {
        state_ = state::after_closing_quote;
    }
    return false;
}

bool csv_reader::step_after_closing_quote(csv_row& row, const char* p) {
    if (*p == ',') {
        start_field(row);
        ++pos_;
        state_ = state::field_start;
        return false;
    }
    if (is_line_break(*p)) {
        return end_record(row, p);
    }
    set_error(row, line_,
              fmt::format("text after closing quote in field {}; quote the whole field and double inner quotes",
                          field_count_));
    state_ = state::skip_rest_of_line;
    return false;
}

bool csv_reader::step_skip_rest_of_line(csv_row& row, const char* p, const char* chunk_end) {
    const char* stop = std::find_if(p, chunk_end, is_line_break);
    pos_ += static_cast<std::size_t>(stop - p);
    if (stop == chunk_end) {
        return false;
    }
    return end_record(row, stop);
}

// Ends the record at `line_break`, which must be at pos_, and consumes it.
bool csv_reader::end_record(csv_row& row, const char* line_break) {
    append_raw(row, buffer_.data() + raw_begin_, line_break);
    after_cr_ = *line_break == '\r';
    ++line_;
    ++pos_;
    row.fields.resize(field_count_);
    return true;
}

// Completes the row at the end of input. Returns false when no record was
// started, which ends the reading.
bool csv_reader::end_at_end_of_input(csv_row& row) {
    finished_ = true;
    if (stream_failed_) {
        if (!in_record_) {
            row.line = line_;
        }
        set_error(row, line_, "reading the input failed; check that the file is readable, then read it again");
        row.fields.resize(field_count_);
        return true;
    }
    if (!in_record_) {
        row.fields.clear();
        return false;
    }
    if (state_ == state::quoted) {
        set_error(row, quote_line_,
                  fmt::format("unterminated quoted field {} runs to the end of input; add the closing quote or "
                              "double the quotes inside the field",
                              field_count_));
    }
    row.fields.resize(field_count_);
    return true;
}

// Reads the next chunk after the unconsumed bytes [pos_, end_), which move to
// the front of buffer_. Returns false when no byte was added.
bool csv_reader::refill() {
    if (at_eof_) {
        return false;
    }
    const std::size_t unconsumed = end_ - pos_;
    if (unconsumed > 0 && pos_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + pos_, unconsumed);
    }
    if (buffer_.size() < unconsumed + chunk_bytes_) {
        buffer_.resize(unconsumed + chunk_bytes_);
    }
    pos_ = 0;
    end_ = unconsumed;

    in_.read(buffer_.data() + unconsumed, static_cast<std::streamsize>(chunk_bytes_));
    const auto got = static_cast<std::size_t>(in_.gcount());
    end_ += got;
    if (in_.bad()) {
        stream_failed_ = true;
        at_eof_ = true;
    } else if (got < chunk_bytes_) {
        at_eof_ = true;
    }
    return got > 0;
}

void csv_reader::skip_byte_order_mark() {
    // A chunk may be shorter than the mark, so read until 3 bytes are buffered.
    while (end_ - pos_ < byte_order_mark.size() && refill()) {
    }
    const std::string_view head(buffer_.data() + pos_, std::min(end_ - pos_, byte_order_mark.size()));
    if (head == byte_order_mark) {
        pos_ += byte_order_mark.size();
    }
}

void csv_reader::start_field(csv_row& row) {
    if (field_count_ < row.fields.size()) {
        row.fields[field_count_].clear();
    } else {
        row.fields.emplace_back();
    }
    ++field_count_;
}

void csv_reader::append_raw(csv_row& row, const char* begin, const char* end) {
    const std::size_t room = csv_row::max_raw_bytes - std::min(row.raw.size(), csv_row::max_raw_bytes);
    const std::size_t length = std::min(static_cast<std::size_t>(end - begin), room);
    row.raw.append(begin, length);
}

// Counts LF, CRLF and lone CR inside quoted text as one line break each.
void csv_reader::count_line_breaks(const char* begin, const char* end) {
    if (begin == end) {
        return;
    }
    const auto length = static_cast<std::size_t>(end - begin);
    if (std::memchr(begin, '\n', length) == nullptr && std::memchr(begin, '\r', length) == nullptr) {
        after_cr_ = false;
        return;
    }
    for (const char* p = begin; p != end; ++p) {
        if (*p == '\n') {
            if (!after_cr_) {
                ++line_;
            }
            after_cr_ = false;
        } else if (*p == '\r') {
            ++line_;
            after_cr_ = true;
        } else {
            after_cr_ = false;
        }
    }
}

void csv_reader::set_error(csv_row& row, std::uint64_t line, std::string_view problem) {
    if (row.error.empty()) {
        row.error = fmt::format("{}:{}: {}", file_name_, line, problem);
    }
}

std::optional<std::size_t> find_column(const std::vector<std::string>& header, std::string_view name) {
    const std::string_view target = trim_ascii_space(name);
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string_view candidate = trim_ascii_space(header[i]);
        const bool equal = std::equal(candidate.begin(), candidate.end(), target.begin(), target.end(),
                                      [](char a, char b) { return to_ascii_lower(a) == to_ascii_lower(b); });
        if (equal) {
            return i;
        }
    }
    return std::nullopt;
}

}  // namespace radstream::ingest
