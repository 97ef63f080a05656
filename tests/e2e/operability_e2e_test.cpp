// What an operator sees of a running radstream: GET /metrics in the
// Prometheus text format, GET /ready, JSON log lines, ingest progress
// lines, and a clean stop on SIGTERM. Embedded topics only; the Kafka
// cases are in tests/kafka.

#include "child_process.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <csignal>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using radstream::testing::child_process;
using radstream::testing::read_text_file;
using radstream::testing::temp_folder;

std::string source_path(const std::string& relative) {
    return (fs::path{RADSTREAM_SOURCE_DIR} / relative).string();
}

// The hand-checked fixture of the pipeline test: 24 readings.
const std::string fixture_inputs = "[[inputs]]\npath = \"" + source_path("tests/data/e2e/readings.csv")
                                   + "\"\nformat = \"safecast_csv\"\n[[inputs]]\npath = \""
                                   + source_path("tests/data/e2e/drive.log") + "\"\nformat = \"bgeigie\"\n";

fs::path write_config(const fs::path& dir, const std::string& body) {
    const fs::path file = dir / "radstream.toml";
    std::ofstream(file) << body << "[embedded]\noutput_dir = \"" << (dir / "out").string() << "\"\n[web]\nport = 0\n";
    return file;
}

// The web port that radstream logged ("map: http://127.0.0.1:PORT/").
int logged_web_port(const fs::path& stderr_file) {
    int port = 0;
    radstream::testing::wait_until(
        [&] {
            const std::string text = read_text_file(stderr_file);
            const auto at = text.find("map: http://127.0.0.1:");
            if (at != std::string::npos) {
                port = std::stoi(text.substr(at + 22));
            }
            return port != 0;
        },
        std::chrono::seconds{30});
    return port;
}

// One sample line of the Prometheus text format.
struct sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

// Parses the Prometheus text exposition format strictly enough for these
// tests: every sample belongs to a family declared by HELP and TYPE lines
// before it, label values are quoted, and values are numbers.
std::vector<sample> parse_metrics(const std::string& text) {
    static const std::regex help{R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)"};
    static const std::regex type{R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary))"};
    static const std::regex line{R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+))"};
    static const std::regex label{R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?)re"};
    std::set<std::string> helped;
    std::map<std::string, std::string> types;
    std::vector<sample> samples;
    std::istringstream in(text);
    for (std::string row; std::getline(in, row);) {
        INFO(row);
        std::smatch match;
        if (std::regex_match(row, match, help)) {
            CHECK(helped.insert(match[1]).second);
        } else if (std::regex_match(row, match, type)) {
            CHECK(helped.contains(match[1]));
            CHECK(types.emplace(match[1], match[2]).second);
        } else {
            REQUIRE(std::regex_match(row, match, line));
            sample item;
            item.name = match[1];
            // A summary's _sum and _count samples belong to its family.
            std::string family = item.name;
            for (const std::string suffix : {"_sum", "_count"}) {
                const auto base = family.substr(0, family.size() - std::min(family.size(), suffix.size()));
                if (family.ends_with(suffix) && types.contains(base) && types[base] == "summary") {
                    family = base;
                }
            }
            REQUIRE(types.contains(family));
            if (types[family] == "counter") {
                CHECK(item.name.ends_with("_total"));
            }
            std::string labels = match[3];
            for (std::smatch pair; std::regex_search(labels, pair, label); labels = pair.suffix()) {
                item.labels[pair[1]] = pair[2];
            }
            CHECK(labels.empty());  // everything between the braces was a label
            std::size_t used = 0;
            item.value = std::stod(match[4].str(), &used);
            CHECK(used == match[4].length());
            samples.push_back(std::move(item));
        }
    }
    return samples;
}

double value_of(const std::vector<sample>& samples, const std::string& name,
                const std::map<std::string, std::string>& labels = {}) {
    for (const auto& item : samples) {
        if (item.name == name && item.labels == labels) {
            return item.value;
        }
    }
    FAIL("no sample " << name);
    return 0;
}

std::uint64_t stats_value(int port, const std::string& field) {
    const auto body = radstream::testing::http_get(port, "/api/stats");
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::uint64_t value = 0;
    if (!body || parser.parse(*body).get(root) != simdjson::SUCCESS || root[field].get(value) != simdjson::SUCCESS) {
        return 0;
    }
    return value;
}

} // namespace

TEST_CASE("metrics and readiness of a running process", "[e2e]") {
    temp_folder dir;
    const auto config = write_config(dir.path(), fixture_inputs);
    child_process run({RADSTREAM_BINARY, "--config", config.string()}, dir.path() / "run.out", dir.path() / "run.err");
    const int port = logged_web_port(dir.path() / "run.err");
    REQUIRE(port != 0);
    // The fixture has 24 readings; all of them are read once ingest is done.
    REQUIRE(radstream::testing::wait_until([&] { return stats_value(port, "input") == 24; },
                                           std::chrono::seconds{30}));
    // The last groups are released when embedded ingest ends.
    REQUIRE(radstream::testing::wait_until([&] { return stats_value(port, "processed") == 6; },
                                           std::chrono::seconds{30}));

    const auto ready = radstream::testing::http_get(port, "/ready");
    REQUIRE(ready);
    CHECK(*ready == R"({"ready":true,"checks":{"process":"reading","ingest":"done"}})");

    const auto body = radstream::testing::http_get(port, "/metrics");
    REQUIRE(body);
    const auto samples = parse_metrics(*body);
    // The counts the pipeline test works out by hand for this fixture.
    CHECK(value_of(samples, "radstream_records_in_total", {{"topic", "radiation-data"}}) == 24);
    CHECK(value_of(samples, "radstream_records_out_total", {{"topic", "radiation-data"}}) == 24);
    CHECK(value_of(samples, "radstream_records_out_total", {{"topic", "processed-data-output"}}) == 6);
    CHECK(value_of(samples, "radstream_records_out_total", {{"topic", "critical-data"}}) == 2);
    CHECK(value_of(samples, "radstream_records_out_total", {{"topic", "dirty-data"}}) == 14);
    CHECK(value_of(samples, "radstream_duplicates_total") == 2);
    double dirty = 0;
    for (const auto& item : samples) {
        if (item.name == "radstream_dirty_records_total") {
            dirty += item.value;
        }
    }
    CHECK(dirty == 14);
    CHECK(value_of(samples, "radstream_dirty_records_total", {{"reason", "checksum_mismatch"}}) == 1);
    CHECK(value_of(samples, "radstream_dedup_entries") > 0);
    CHECK(value_of(samples, "radstream_websocket_clients") == 0);
    // Every record with an output topic (6 + 2 + 14) has a latency; with no
    // browser connected, nothing was queued for one.
    CHECK(value_of(samples, "radstream_consume_to_produce_seconds_count") == 22);
    const double median = value_of(samples, "radstream_consume_to_produce_seconds", {{"quantile", "0.5"}});
    const double tail = value_of(samples, "radstream_consume_to_produce_seconds", {{"quantile", "0.999"}});
    CHECK(median > 0);
    CHECK(median <= tail);
    CHECK(value_of(samples, "radstream_consume_to_produce_seconds_sum") >= tail);
    CHECK(value_of(samples, "radstream_ingest_to_websocket_seconds_count") == 0);
    // The requests above: /api/stats at least twice, /ready once, all 200.
    CHECK(value_of(samples, "radstream_http_requests_total", {{"code", "200"}}) >= 3);
    CHECK(value_of(samples, "radstream_build_info", {{"version", RADSTREAM_VERSION_TEXT}}) == 1);

    run.send_signal(SIGTERM);
    const auto code = run.wait_for(std::chrono::seconds{30});
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK(read_text_file(dir.path() / "run.err").find("stop signal received; draining within 30000 ms")
          != std::string::npos);
}

TEST_CASE("json log format writes one object per line", "[e2e]") {
    temp_folder dir;
    const auto config = write_config(dir.path(), fixture_inputs + "[log]\nformat = \"json\"\n");
    child_process run({RADSTREAM_BINARY, "--config", config.string(), "--exit-when-done"}, dir.path() / "run.out",
                      dir.path() / "run.err");
    const auto code = run.wait_for(std::chrono::seconds{60});
    REQUIRE(code);
    CHECK(*code == 0);

    std::istringstream lines(read_text_file(dir.path() / "run.err"));
    simdjson::dom::parser parser;
    std::set<std::string> loggers;
    int count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        INFO(line);
        simdjson::dom::element root;
        REQUIRE(parser.parse(line).get(root) == simdjson::SUCCESS);
        std::string_view time;
        std::string_view level;
        std::string_view logger;
        std::string_view message;
        REQUIRE(root["time"].get(time) == simdjson::SUCCESS);
        CHECK(std::regex_match(std::string{time}, std::regex{R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"}));
        REQUIRE(root["level"].get(level) == simdjson::SUCCESS);
        CHECK((level == "info" || level == "warning"));
        REQUIRE(root["logger"].get(logger) == simdjson::SUCCESS);
        REQUIRE(root["message"].get(message) == simdjson::SUCCESS);
        CHECK_FALSE(message.empty());
        loggers.insert(std::string{logger});
    }
    CHECK(count >= 4);
    // Each stage logs under its own name.
    CHECK(loggers.contains("ingest"));
    CHECK(loggers.contains("process"));
    CHECK(loggers.contains("radstream"));
}

TEST_CASE("ingest logs progress without a terminal", "[e2e]") {
    temp_folder dir;
    std::string inputs;
    for (const char* file : {"examples/data/api-csv-export/safecast-dump-1.csv",
                             "examples/data/solarcast-ingest/output-2020-02-01T00_00_00+00_00.csv"}) {
        inputs += "[[inputs]]\npath = \"" + source_path(file) + "\"\nformat = \"safecast_csv\"\n";
    }
    // 20 ms after each batch of 500 makes ingest take about a second, and
    // the progress lines come every 200 ms.
    const auto config = write_config(
        dir.path(), inputs + "[ingest]\nsend_delay_ms = 20\nbatch_size = 500\n[log]\nprogress_interval_ms = 200\n");
    child_process run({RADSTREAM_BINARY, "--config", config.string(), "--exit-when-done"}, dir.path() / "run.out",
                      dir.path() / "run.err");
    const auto code = run.wait_for(std::chrono::seconds{60});
    REQUIRE(code);
    CHECK(*code == 0);

    const std::string log = read_text_file(dir.path() / "run.err");
    INFO(log);
    static const std::regex progress{
        R"(\[ingest\] progress: (\d+)% of \d+\.\d MiB, [\d,]+ rows, \d+ rows/s(, about [\dminh ]+s? left)?)"};
    std::vector<int> shares;
    for (std::sregex_iterator it(log.begin(), log.end(), progress), end; it != end; ++it) {
        shares.push_back(std::stoi((*it)[1]));
    }
    REQUIRE(shares.size() >= 2);
    CHECK(std::is_sorted(shares.begin(), shares.end()));
    CHECK(shares.back() <= 100);
    // A terminal would get the bar instead; a file never does.
    CHECK(log.find("\r") == std::string::npos);
}

TEST_CASE("ingest draws a progress bar on a terminal", "[e2e]") {
    temp_folder dir;
    const auto config = write_config(
        dir.path(), "[[inputs]]\npath = \"" + source_path("examples/data/api-json-fields/safecast-api-2024Q1.csv")
                        + "\"\nformat = \"csv\"\ncolumns = { captured_time = \"captured_at\" }\n"
                        + "[ingest]\nsend_delay_ms = 20\nbatch_size = 500\n");
    // script(1) runs the binary on a pseudo-terminal, so stderr is a terminal.
    int code = 0;
    const std::string output = radstream::testing::run_command(
        "script -qec '" + std::string{RADSTREAM_BINARY} + " --config " + config.string() + " --exit-when-done' /dev/null",
        &code);
    INFO(output);
    CHECK(code == 0);
    CHECK(output.find("\r\033[Kingest [") != std::string::npos);
    CHECK(std::regex_search(output, std::regex{R"(ingest \[[#.]{30}\] \d+% of \d+\.\d MiB, \d+ rows, \d+ rows/s)"}));
    // Whatever follows a bar, a log line or the summary, first erases it,
    // so no text is appended to the bar's line.
    const std::regex bar_end{R"(rows/s(, about [^\r\n]* left)?)"};
    int bars = 0;
    int erased = 0;
    for (auto it = std::sregex_iterator(output.begin(), output.end(), bar_end); it != std::sregex_iterator(); ++it) {
        ++bars;
        const auto after = static_cast<std::size_t>(it->position() + it->length());
        erased += output.compare(after, 4, "\r\033[K") == 0 ? 1 : 0;
    }
    CHECK(bars > 0);
    CHECK(erased == bars);
    CHECK(std::regex_search(output, std::regex{"(\n|\r\033\\[K)\\{\"input\""}));
}
