#include "ingest_progress.hpp"

#include "radstream/core/logging.hpp"
#include "radstream/core/status_line.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace radstream::app {
namespace {

constexpr auto redraw_interval = std::chrono::milliseconds{500};
constexpr int bar_width = 30;

// Seconds as "42 s", "3 min 5 s" or "2 h 7 min".
std::string format_duration(double seconds) {
    const auto whole = static_cast<long long>(seconds + 0.5);
    if (whole < 60) {
        return fmt::format("{} s", whole);
    }
    if (whole < 3600) {
        return fmt::format("{} min {} s", whole / 60, whole % 60);
    }
    return fmt::format("{} h {} min", whole / 3600, (whole % 3600) / 60);
}

} // namespace

ingest_progress::ingest_progress(const ingest::ingest_stage& ingest, bool terminal, std::chrono::milliseconds log_interval)
    : ingest_(ingest), terminal_(terminal), log_interval_(log_interval), started_(clock::now()), last_shown_(started_) {}

std::string ingest_progress::describe(clock::time_point now) const {
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    const double rows = static_cast<double>(ingest_.readings_sent());
    const double read = static_cast<double>(ingest_.bytes_read());
    const double total = static_cast<double>(ingest_.bytes_total());
    std::string text;
    if (total > 0) {
        text = fmt::format("{:.0f}% of {:.1f} MiB", 100.0 * std::min(read / total, 1.0), total / (1024.0 * 1024.0));
    } else {
        text = "input size unknown";
    }
    text += fmt::format(", {} rows, {:.0f} rows/s", ingest_.readings_sent(), elapsed > 0 ? rows / elapsed : 0.0);
    if (read > 0 && total > read && elapsed > 1) {
        text += fmt::format(", about {} left", format_duration(elapsed * (total - read) / read));
    }
    return text;
}

void ingest_progress::update(clock::time_point now) {
    if (finished_) {
        return;
    }
    if (ingest_.done()) {
        finish();
        return;
    }
    if (now - last_shown_ < (terminal_ ? std::chrono::duration_cast<clock::duration>(redraw_interval)
                                       : std::chrono::duration_cast<clock::duration>(log_interval_))) {
        return;
    }
    last_shown_ = now;
    if (!terminal_) {
        core::stage_logger("ingest")->info("progress: {}", describe(now));
        return;
    }
    const double total = static_cast<double>(ingest_.bytes_total());
    const double share = total > 0 ? std::min(static_cast<double>(ingest_.bytes_read()) / total, 1.0) : 0.0;
    const int filled = static_cast<int>(share * bar_width);
    const std::string done(static_cast<std::size_t>(filled), '#');
    const std::string left(static_cast<std::size_t>(bar_width - filled), '.');
    core::stderr_status_line().show(fmt::format("ingest [{}{}] {}", done, left, describe(now)));
}

void ingest_progress::finish() {
    if (finished_) {
        return;
    }
    finished_ = true;
    if (terminal_) {
        core::stderr_status_line().clear();
    }
}

} // namespace radstream::app
