#include "radstream/core/event_time.hpp"
#include "radstream/core/json_writer.hpp"
#include "radstream/ingest/bgeigie_parser.hpp"
#include "radstream/ingest/source.hpp"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

namespace radstream::ingest {
namespace {

// Longest line kept whole; a longer one (a binary blob without line breaks)
// is cut there and reported as unparseable rather than held in memory.
constexpr std::size_t max_line_bytes = 64 * 1024;

std::string_view to_defect_name(bgeigie_defect defect) {
    switch (defect) {
    case bgeigie_defect::none: return "";
    case bgeigie_defect::unparseable: return "unparseable";
    case bgeigie_defect::checksum_mismatch: return "checksum_mismatch";
    case bgeigie_defect::cpm_void: return "cpm_void";
    case bgeigie_defect::gps_void: return "gps_void";
    }
    return "unparseable";
}

std::string format_number(double value) {
    std::string text;
    core::append_json_number(text, value);
    return text;
}

// Reads a raw bGeigie log line by line in chunks, skipping comments and blank
// lines, and turns each reading line into a source_reading.
class bgeigie_source final : public source {
public:
    explicit bgeigie_source(const config::input_config& input)
        : file_(input.path, std::ios::binary), name_(input.path.filename().string()), buffer_(64 * 1024) {
        if (!file_) {
            throw std::runtime_error(fmt::format("{}: cannot open the input file; check inputs.path in the config",
                                                 input.path.string()));
        }
    }

    bool next(source_reading& out) override {
        while (read_line()) {
            const bgeigie_line parsed = parse_bgeigie_line(line_);
            if (parsed.kind != bgeigie_line_kind::reading) {
                continue;
            }
            fill(parsed.reading, out);
            return true;
        }
        return false;
    }

    std::uint64_t bytes_read() override {
        const auto position = file_.rdbuf()->pubseekoff(0, std::ios::cur, std::ios::in);
        return position < 0 ? 0 : static_cast<std::uint64_t>(position);
    }

private:
    void fill(const bgeigie_reading& reading, source_reading& out) const {
        out = source_reading{};
        out.source = fmt::format("{}:{}", name_, line_number_);
        if (line_truncated_) {
            out.defect = "unparseable";
            out.defect_message = fmt::format("{}: line is longer than {} bytes; this is not a bGeigie reading",
                                             out.source, max_line_bytes);
            out.raw = line_;
            return;
        }
        if (reading.defect != bgeigie_defect::none) {
            out.defect = to_defect_name(reading.defect);
            out.defect_message = fmt::format("{}: {}", out.source, reading.message);
            out.raw = line_;
        }
        if (reading.defect == bgeigie_defect::unparseable) {
            return;
        }
        out.captured_time = reading.captured_time;
        out.captured = core::parse_timestamp(reading.captured_time);
        out.latitude = format_number(reading.latitude);
        out.longitude = format_number(reading.longitude);
        out.value = format_number(reading.cpm);
        out.unit = "cpm";
        out.device_id = reading.device_id;
        out.height = format_number(reading.altitude_m);
    }

    // Reads the next line into line_, without its LF. Returns false at the end.
    bool read_line() {
        line_.clear();
        line_truncated_ = false;
        bool got_any = false;
        for (;;) {
            if (pos_ == end_) {
                file_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
                end_ = static_cast<std::size_t>(file_.gcount());
                pos_ = 0;
                if (end_ == 0) {
                    if (got_any) {
                        ++line_number_;
                    }
                    return got_any;
                }
            }
            got_any = true;
            const char* begin = buffer_.data() + pos_;
            const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', end_ - pos_));
            const std::size_t length = newline ? static_cast<std::size_t>(newline - begin) : end_ - pos_;
            const std::size_t room = max_line_bytes - std::min(max_line_bytes, line_.size());
            line_.append(begin, std::min(length, room));
            line_truncated_ = line_truncated_ || length > room;
            pos_ += length;
            if (newline) {
                ++pos_;
                ++line_number_;
                return true;
            }
        }
    }

    std::ifstream file_;
    std::string name_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    std::string line_;
    bool line_truncated_ = false;
    std::uint64_t line_number_ = 0;
};

} // namespace

std::unique_ptr<source> make_bgeigie_source(const config::input_config& input) {
    return std::make_unique<bgeigie_source>(input);
}

} // namespace radstream::ingest
