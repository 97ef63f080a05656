#include "radstream/core/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>
#include <stdexcept>
#include <string>

namespace radstream::core {
namespace {

std::mutex& logger_mutex() {
    static std::mutex mutex;
    return mutex;
}

spdlog::level::level_enum& current_level() {
    static spdlog::level::level_enum level = spdlog::level::info;
    return level;
}

} // namespace

void set_log_level(std::string_view level) {
    const auto parsed = spdlog::level::from_str(std::string{level});
    if (parsed == spdlog::level::off && level != "off") {
        throw std::invalid_argument("unknown log level \"" + std::string{level}
                                    + "\"; use trace, debug, info, warn, error or off");
    }
    std::lock_guard lock(logger_mutex());
    current_level() = parsed;
    spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) { logger->set_level(parsed); });
}

std::shared_ptr<spdlog::logger> stage_logger(std::string_view stage) {
    std::lock_guard lock(logger_mutex());
    const std::string name{stage};
    if (auto existing = spdlog::get(name)) {
        return existing;
    }
    auto logger = spdlog::stderr_color_mt(name);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
    logger->set_level(current_level());
    return logger;
}

} // namespace radstream::core
