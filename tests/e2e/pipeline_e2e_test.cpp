// End-to-end runs of build/radstream --exit-when-done: the real binary,
// the real embedded topics and sinks, on a hand-checked fixture and on the
// real Safecast examples.

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

struct run_result {
    int exit_code = -1;
    std::string stdout_text;
};

// A fresh folder under the system temp folder, removed at the end of the test.
class temp_folder {
public:
    temp_folder() {
        std::string pattern = (fs::temp_directory_path() / "radstream-e2e-XXXXXX").string();
        path_ = mkdtemp(pattern.data());
    }
    ~temp_folder() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

run_result run_radstream(const fs::path& config) {
    const std::string command = std::string{RADSTREAM_BINARY} + " --config " + config.string()
                                + " --exit-when-done --log-level warn";
    run_result result;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
        result.stdout_text += buffer.data();
    }
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

// The summary line's integer fields and dirty counts by reason.
struct summary {
    std::map<std::string, std::uint64_t> counts;
    std::map<std::string, std::uint64_t> dirty_by_reason;
};

summary parse_summary(const std::string& line) {
    simdjson::dom::parser parser;
    simdjson::dom::element root = parser.parse(line);
    summary out;
    for (auto [key, value] : root.get_object()) {
        if (value.is_uint64()) {
            out.counts[std::string{key}] = value.get_uint64();
        }
    }
    for (auto [key, value] : root["dirty_by_reason"].get_object()) {
        out.dirty_by_reason[std::string{key}] = value.get_uint64();
    }
    return out;
}

// Reads a JSON Lines file, checking that every line is one strict JSON
// object (simdjson rejects NaN and Infinity), and returns the lines.
std::vector<std::string> read_json_lines(const fs::path& file) {
    std::ifstream in(file);
    REQUIRE(in.good());
    std::vector<std::string> lines;
    simdjson::dom::parser parser;
    for (std::string line; std::getline(in, line);) {
        simdjson::dom::element element;
        INFO(file.string() << ": " << line);
        REQUIRE(parser.parse(line).get(element) == simdjson::SUCCESS);
        REQUIRE(element.is_object());
        lines.push_back(line);
    }
    return lines;
}

// One input partition, so the event-time reasoning below has one
// watermark; three process partitions, so keys are spread.
void write_config(const fs::path& file, const std::string& inputs, const fs::path& output_dir) {
    std::ofstream out(file);
    out << inputs << "\n"
        << "[embedded]\npartitions = 1\noutput_dir = \"" << output_dir.string() << "\"\n"
        << "[web]\nport = 0\n"
        << "[process]\npartitions = 3\n";
}

std::string source_path(const std::string& relative) {
    return (fs::path{RADSTREAM_SOURCE_DIR} / relative).string();
}

} // namespace

TEST_CASE("hand-checked fixture routes every row", "[e2e]") {
    temp_folder dir;
    const fs::path out = dir.path() / "out";
    write_config(dir.path() / "radstream.toml",
                 "[[inputs]]\npath = \"" + source_path("tests/data/e2e/readings.csv")
                     + "\"\nformat = \"safecast_csv\"\n[[inputs]]\npath = \""
                     + source_path("tests/data/e2e/drive.log") + "\"\nformat = \"bgeigie\"\n",
                 out);

    const run_result run = run_radstream(dir.path() / "radstream.toml");
    REQUIRE(run.exit_code == 0);
    const summary result = parse_summary(run.stdout_text);

    // readings.csv, 15 data rows (line numbers as in the file):
    //   processed 3: line 2 (33 cpm, low), line 4 (120, moderate, quoted
    //     "Shizuoka, Japan"), line 5 (250, high)
    //   critical 1: line 6 (1000 cpm, at the 1000 threshold)
    //   duplicates 1: line 3 is line 2 spelled 2013-02-02T18:42:29Z,
    //     34.62609166666670, 33.0 and " CPM "
    //   dirty 10: line 7 (0,0) no_gps_fix, line 8 latitude 91.5, line 9
    //     longitude 181, line 10 year 2000 before the minimum, line 11 year
    //     2080 in the future, line 12 "yesterday", line 13 value -1, line 14
    //     unit usv/h unknown, line 15 empty latitude, line 16 "(corrupt)"
    //     with 1 field instead of 13
    // drive.log, 9 reading lines (comment and blank lines are not readings):
    //   processed 3: line 4 (75 cpm, moderate), line 5 (30, low), line 11
    //     (250, high, south)
    //   critical 1: line 10 (1200 cpm, west)
    //   duplicates 1: line 13 repeats line 4
    //   dirty 4: line 3 CPM flag V, line 6 checksum written as 00 (the XOR
    //     of its body is not 0), line 7 GPS flag V, line 12 a $GPRMC sentence
    CHECK(result.counts.at("input") == 24);
    CHECK(result.counts.at("processed") == 6);
    CHECK(result.counts.at("critical") == 2);
    CHECK(result.counts.at("dirty") == 14);
    CHECK(result.counts.at("duplicates") == 2);
    CHECK(result.counts.at("filtered") == 0);
    // Event time: readings.csv is read first, and its newest valid capture
    // time is 2013-02-02 18:42:44 (the 2080 row is invalid and does not
    // count), so the watermark is 18:42:39. drive.log's valid
    // readings are from 2012, behind it: lines 4, 5, 10 and 11 are late,
    // flagged and still written to their topics (the default policy).
    CHECK(result.counts.at("late") == 4);

    const std::map<std::string, std::uint64_t> expected_reasons{
        {"unparseable", 2},        {"missing_field", 1},   {"time_unparseable", 1}, {"time_before_minimum", 1},
        {"time_in_future", 1},     {"latitude_invalid", 1}, {"longitude_invalid", 1}, {"no_gps_fix", 1},
        {"value_invalid", 1},      {"unit_unknown", 1},    {"checksum_mismatch", 1}, {"cpm_void", 1},
        {"gps_void", 1},           {"late", 0},
    };
    CHECK(result.dirty_by_reason == expected_reasons);

    const auto processed = read_json_lines(out / "processed-data-output.jsonl");
    const auto critical = read_json_lines(out / "critical-data.jsonl");
    const auto dirty = read_json_lines(out / "dirty-data.jsonl");
    CHECK(processed.size() == 6);
    CHECK(critical.size() == 2);
    CHECK(dirty.size() == 14);

    SECTION("critical records carry the reference fields") {
        simdjson::dom::parser parser;
        for (const auto& line : critical) {
            simdjson::dom::element record = parser.parse(line);
            CHECK(std::string_view{record["status"]} == "critical");
            CHECK(bool{record["critical"]});
            CHECK(std::string_view{record["level"]} == "high");
            CHECK(std::string_view{record["unit"]} == "cpm");
        }
    }

    SECTION("dirty records name their source line") {
        bool found_corrupt = false;
        for (const auto& line : dirty) {
            if (line.find("\"source\":\"readings.csv:16\"") != std::string::npos) {
                found_corrupt = true;
                CHECK(line.find("\"reason\":\"unparseable\"") != std::string::npos);
                CHECK(line.find("row has 1 field but the header has 13") != std::string::npos);
                CHECK(line.find("\"raw\":\"(corrupt)\"") != std::string::npos);
            }
        }
        CHECK(found_corrupt);
    }
}

TEST_CASE("real Safecast examples add up", "[e2e]") {
    temp_folder dir;
    const fs::path out = dir.path() / "out";

    // The shipped config with its inputs made absolute and a free port.
    std::ifstream shipped(source_path("radstream.toml"));
    std::stringstream text;
    text << shipped.rdbuf();
    std::string config = text.str();
    for (std::size_t at = config.find("path = \"examples/"); at != std::string::npos;
         at = config.find("path = \"examples/", at + 1)) {
        config.insert(at + 8, std::string{RADSTREAM_SOURCE_DIR} + "/");
    }
    config.replace(config.find("port = 8000"), 11, "port = 0");
    config.replace(config.find("output_dir = \"out\""), 18, "output_dir = \"" + out.string() + "\"");
    std::ofstream(dir.path() / "radstream.toml") << config;

    const run_result run = run_radstream(dir.path() / "radstream.toml");
    REQUIRE(run.exit_code == 0);
    const summary result = parse_summary(run.stdout_text);

    // Data rows and reading lines per SOURCES.md: 2 + 8 + 1 (bulk exports)
    // + 16,320 (API layout) + 26,212 (Solarcast) + 956 + 4,979 + 3,062
    // (device logs) + 23 + 29 + 29 + 9 (Safecast parser fixtures) = 51,630.
    const auto& counts = result.counts;
    CHECK(counts.at("ingested") == 51630);
    CHECK(counts.at("input") == 51630);
    CHECK(counts.at("input")
          == counts.at("processed") + counts.at("critical") + counts.at("dirty") + counts.at("duplicates"));
    // The API-layout file repeats 51 distinct rows 320 times each, so at
    // least 16,320 - 51 readings are duplicates.
    CHECK(counts.at("duplicates") >= 16269);

    std::uint64_t by_reason = 0;
    for (const auto& [reason, count] : result.dirty_by_reason) {
        by_reason += count;
    }
    CHECK(by_reason == counts.at("dirty"));
    // The 29 stale checksums of bgeigie_with_tinygps_bug.log.
    CHECK(result.dirty_by_reason.at("checksum_mismatch") == 29);

    CHECK(read_json_lines(out / "processed-data-output.jsonl").size() == counts.at("processed"));
    CHECK(read_json_lines(out / "critical-data.jsonl").size() == counts.at("critical"));
    CHECK(read_json_lines(out / "dirty-data.jsonl").size() == counts.at("dirty"));
}

TEST_CASE("out-of-order real file loses nothing", "[e2e]") {
    // The Solarcast export is newest row first (SOURCES.md). Unsorted, most
    // readings arrive behind the watermark and are late.
    temp_folder dir;
    const fs::path out = dir.path() / "out";
    const std::string input = "[[inputs]]\npath = \""
                              + source_path("examples/data/solarcast-ingest/output-2020-02-01T00_00_00+00_00.csv")
                              + "\"\nformat = \"csv\"\ncolumns = { captured_time = \"when_captured\", latitude = "
                                "\"loc_lat\", longitude = \"loc_lon\", value = \"lnd_7318u\", device_id = \"device\" }\n"
                                "defaults = { unit = \"cpm\" }\n[ingest]\nsort_by_capture_time = false\n";

    for (const std::string policy : {"flag", "dirty", "topic"}) {
        INFO("late_readings = " << policy);
        write_config(dir.path() / "radstream.toml", input + "[event_time]\nlate_readings = \"" + policy + "\"\n", out);
        const run_result run = run_radstream(dir.path() / "radstream.toml");
        REQUIRE(run.exit_code == 0);
        const summary result = parse_summary(run.stdout_text);
        const auto& counts = result.counts;

        CHECK(counts.at("input") == 26212);
        CHECK(counts.at("input")
              == counts.at("processed") + counts.at("critical") + counts.at("dirty") + counts.at("duplicates")
                     + counts.at("late_topic"));
        CHECK(counts.at("late") > 1000);
        const auto processed = read_json_lines(out / "processed-data-output.jsonl");
        const auto flagged = std::count_if(processed.begin(), processed.end(), [](const std::string& line) {
            return line.find("\"late\":true") != std::string::npos;
        });
        if (policy == "flag") {
            CHECK(static_cast<std::uint64_t>(flagged) == counts.at("late"));
        } else if (policy == "dirty") {
            CHECK(flagged == 0);
            CHECK(result.dirty_by_reason.at("late") == counts.at("late"));
        } else {
            CHECK(flagged == 0);
            CHECK(counts.at("late_topic") == counts.at("late"));
            CHECK(read_json_lines(out / "late-data.jsonl").size() == counts.at("late"));
        }
    }
}

TEST_CASE("check-config reports every problem", "[e2e]") {
    temp_folder dir;
    const fs::path config = dir.path() / "bad.toml";
    std::ofstream(config) << "[web]\nport = 99999\nbogus = 1\n[dedup]\nttl_seconds = \"x\"\n";
    const std::string command =
        std::string{RADSTREAM_BINARY} + " check-config --config " + config.string() + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
        output += buffer.data();
    }
    const int status = pclose(pipe);
    CHECK(WEXITSTATUS(status) == 2);
    CHECK(output.find("invalid configuration (3 problems)") != std::string::npos);
    CHECK(output.find(config.string() + ":2:8: web.port: value 99999 outside [0, 65535]") != std::string::npos);
    CHECK(output.find(config.string() + ":3:1: web.bogus: unknown key") != std::string::npos);
    CHECK(output.find(config.string() + ":5:15: dedup.ttl_seconds: expected an integer") != std::string::npos);
}
