#include "radstream/core/logging.hpp"

#include "radstream/core/json_writer.hpp"
#include "radstream/core/status_line.hpp"

#include <fmt/chrono.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>

namespace radstream::core {
namespace {

constexpr std::string_view text_pattern = "%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v";

// Writes each log line as one JSON object, for log collectors.
class json_line_formatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) override {
        const auto since_epoch = message.time.time_since_epoch();
        const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
        const std::time_t seconds = std::chrono::system_clock::to_time_t(message.time);
        std::string line;
        json_object_writer json(line);
        json.field("time", fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(seconds), millis))
            .field("level", std::string_view{spdlog::level::to_string_view(message.level).data(),
                                             spdlog::level::to_string_view(message.level).size()})
            .field("logger", std::string_view{message.logger_name.data(), message.logger_name.size()})
            .field("message", std::string_view{message.payload.data(), message.payload.size()});
        json.finish();
        line += '\n';
        out.append(line.data(), line.data() + line.size());
    }

    std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<json_line_formatter>(); }
};

struct logging_settings {
    std::mutex mutex;
    spdlog::level::level_enum level = spdlog::level::info;
    log_format format = log_format::text;
};

logging_settings& settings() {
    static logging_settings instance;
    return instance;
}

// The one stderr sink of every stage logger. Sharing it serializes log
// lines and status line updates, so neither lands inside the other.
const std::shared_ptr<status_line_sink>& shared_stderr_sink() {
    static const auto sink = std::make_shared<status_line_sink>(
        std::make_shared<spdlog::sinks::stderr_color_sink_mt>(), [](std::string_view text) {
            std::fwrite(text.data(), 1, text.size(), stderr);
            std::fflush(stderr);
        });
    return sink;
}

void apply_format(spdlog::logger& logger, log_format format) {
    if (format == log_format::json) {
        logger.set_formatter(std::make_unique<json_line_formatter>());
    } else {
        logger.set_pattern(std::string{text_pattern});
    }
}

} // namespace

void set_log_level(std::string_view level) {
    const auto parsed = spdlog::level::from_str(std::string{level});
    if (parsed == spdlog::level::off && level != "off") {
        throw std::invalid_argument("unknown log level \"" + std::string{level}
                                    + "\"; use trace, debug, info, warn, error or off");
    }
    auto& current = settings();
    std::lock_guard lock(current.mutex);
    current.level = parsed;
    spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) { logger->set_level(parsed); });
}

void set_log_format(log_format format) {
    auto& current = settings();
    std::lock_guard lock(current.mutex);
    current.format = format;
    spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) { apply_format(*logger, format); });
}

std::shared_ptr<spdlog::logger> stage_logger(std::string_view stage) {
    auto& current = settings();
    std::lock_guard lock(current.mutex);
    const std::string name{stage};
    if (auto existing = spdlog::get(name)) {
        return existing;
    }
    auto logger = std::make_shared<spdlog::logger>(name, shared_stderr_sink());
    apply_format(*logger, current.format);
    logger->set_level(current.level);
    spdlog::register_logger(logger);
    return logger;
}

status_line_sink& stderr_status_line() {
    return *shared_stderr_sink();
}

} // namespace radstream::core
