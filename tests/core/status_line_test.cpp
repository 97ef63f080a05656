#include "radstream/core/status_line.hpp"

#include <catch2/catch.hpp>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <memory>
#include <sstream>
#include <string>

using radstream::core::status_line_sink;

namespace {

constexpr std::string_view erase = "\r\033[K";

// A logger whose log lines and status line both land in `terminal`.
struct fake_terminal {
    std::ostringstream terminal;
    std::shared_ptr<status_line_sink> sink = std::make_shared<status_line_sink>(
        std::make_shared<spdlog::sinks::ostream_sink_st>(terminal),
        [this](std::string_view text) { terminal << text; });
    spdlog::logger logger{"status_line_test", sink};

    fake_terminal() { logger.set_pattern("%v"); }
};

std::string concat(std::initializer_list<std::string_view> parts) {
    std::string text;
    for (const auto part : parts) {
        text += part;
    }
    return text;
}

} // namespace

TEST_CASE("log line erases the status line", "[core]") {
    fake_terminal fake;
    fake.sink->show("ingest [###...] 50%");
    fake.logger.info("broker connected");
    fake.sink->show("ingest [####..] 60%");

    CHECK(fake.terminal.str()
          == concat({erase, "ingest [###...] 50%", erase, "broker connected\n", erase, "ingest [####..] 60%"}));
}

TEST_CASE("log lines without status line unchanged", "[core]") {
    fake_terminal fake;
    fake.logger.info("first");
    fake.logger.warn("second");
    fake.sink->clear();

    CHECK(fake.terminal.str() == "first\nsecond\n");
}

TEST_CASE("status line erased only once", "[core]") {
    fake_terminal fake;
    fake.sink->show("ingest 10%");
    fake.logger.info("one");
    fake.logger.info("two");
    fake.sink->clear();
    fake.sink->show("ingest 20%");
    fake.sink->clear();
    fake.sink->clear();

    CHECK(fake.terminal.str() == concat({erase, "ingest 10%", erase, "one\ntwo\n", erase, "ingest 20%", erase}));
}
