#pragma once

#include <spdlog/sinks/sink.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace radstream::core {

// A log sink that shares its terminal with one status line, such as a
// progress bar redrawn in place. A log line written while the status line
// is shown erases it first, so the log line starts at the left margin.
// The next `show` draws the status line again below it.
class status_line_sink final : public spdlog::sinks::sink {
public:
    using writer = std::function<void(std::string_view)>;

    // Log lines go to `inner`. Status text and erase sequences go to
    // `write`, which must reach the same terminal.
    status_line_sink(std::shared_ptr<spdlog::sinks::sink> inner, writer write);

    // Replaces the status line with `text`, which must not end in a newline.
    void show(std::string_view text);

    // Erases the status line if it is shown.
    void clear();

    void log(const spdlog::details::log_msg& message) override;
    void flush() override;
    void set_pattern(const std::string& pattern) override;
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override;

private:
    void erase_locked();

    std::mutex mutex_;
    std::shared_ptr<spdlog::sinks::sink> inner_;
    writer write_;
    bool shown_ = false;
};

} // namespace radstream::core
