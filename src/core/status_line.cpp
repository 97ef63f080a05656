#include "radstream/core/status_line.hpp"

#include <utility>

namespace radstream::core {
namespace {

// Carriage return, then "erase to the end of the line".
constexpr std::string_view erase_line = "\r\033[K";

} // namespace

status_line_sink::status_line_sink(std::shared_ptr<spdlog::sinks::sink> inner, writer write)
    : inner_(std::move(inner)), write_(std::move(write)) {}

void status_line_sink::show(std::string_view text) {
    std::lock_guard lock(mutex_);
    std::string line{erase_line};
    line += text;
    write_(line);
    shown_ = true;
}

void status_line_sink::clear() {
    std::lock_guard lock(mutex_);
    erase_locked();
}

void status_line_sink::log(const spdlog::details::log_msg& message) {
    std::lock_guard lock(mutex_);
    erase_locked();
    inner_->log(message);
}

void status_line_sink::flush() {
    std::lock_guard lock(mutex_);
    inner_->flush();
}

void status_line_sink::set_pattern(const std::string& pattern) {
    std::lock_guard lock(mutex_);
    inner_->set_pattern(pattern);
}

void status_line_sink::set_formatter(std::unique_ptr<spdlog::formatter> formatter) {
    std::lock_guard lock(mutex_);
    inner_->set_formatter(std::move(formatter));
}

void status_line_sink::erase_locked() {
    if (shown_) {
        write_(erase_line);
        shown_ = false;
    }
}

} // namespace radstream::core
