#include "radstream/config/app_config.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace {

using namespace std::chrono;
using radstream::config::app_config;
using radstream::config::config_error;
using radstream::config::parse_config;

const std::string unknown_key = "unknown key; check the spelling against docs/configuration.md";
const std::string known_fields =
    "captured_time, device_id, height, latitude, location_name, longitude, unit, value";

app_config parse(std::string_view text) {
    return parse_config(text, "radstream.toml", "/base");
}

// Returns the problems of the config_error that `parse_call` throws.
// Fails the test when it throws none.
template<typename ParseCall>
std::vector<std::string> problems_when(ParseCall parse_call) {
    try {
        parse_call();
    } catch (const config_error& error) {
        return error.problems();
    }
    FAIL("parse_config accepted the config");
    return {};
}

// Returns the problems parse_config reports for `text`. Fails the test when the text is accepted.
std::vector<std::string> problems_of(std::string_view text) {
    return problems_when([&] { parse(text); });
}

} // namespace

TEST_CASE("empty config gives the defaults", "[config]") {
    const app_config config = parse("");

    CHECK(config.file == "radstream.toml");
    CHECK(config.kafka.brokers.empty());
    CHECK(config.topics.input == "radiation-data");
    CHECK(config.topics.processed == "processed-data-output");
    CHECK(config.topics.critical == "critical-data");
    CHECK(config.topics.dirty == "dirty-data");
    CHECK(config.embedded.partitions == 4);
    CHECK(config.embedded.partition_capacity == 8192);
    CHECK(config.embedded.output_dir == "/base/out");
    CHECK(config.inputs.empty());
    CHECK(config.ingest.batch_size == 500);
    CHECK(config.ingest.send_delay == milliseconds{0});
    CHECK(config.ingest.playback_speed == 0);
    CHECK(config.ingest.sort_by_capture_time);
    CHECK(config.ingest.chunk_records == 10000);
    CHECK(config.process.partitions == 2);
    CHECK(config.process.operators == std::vector<std::string>{"dedup", "validate", "enrich", "route"});
    CHECK(config.process.queue_capacity == 64);
    // 7 days = 7 * 24 * 3600 s = 604800 s.
    CHECK(config.dedup.ttl == seconds{604800});
    CHECK(config.dedup.max_entries == 1'000'000);
    CHECK(config.validate.min_capture_time == sys_days{year{2011} / 3 / 1});
    CHECK(config.validate.max_clock_skew == seconds{300});
    CHECK(config.validate.reject_null_island);
    CHECK(config.validate.units == std::map<std::string, double>{{"cpm", 1.0}});
    CHECK(config.validate.raw_max_bytes == 1024);
    CHECK(config.enrich.moderate_cpm == 50);
    CHECK(config.enrich.high_cpm == 200);
    CHECK(config.enrich.critical_cpm == 1000);
    CHECK(config.enrich.cpm_per_usvh == 334);
    CHECK(config.web.enabled);
    CHECK(config.web.address == "127.0.0.1");
    CHECK(config.web.port == 8000);
    CHECK(config.web.batch_interval == milliseconds{100});
    CHECK(config.web.client_queue_batches == 64);
    CHECK(config.sinks == std::vector<std::string>{"jsonl", "websocket"});
    CHECK(config.log.level == "info");
}

TEST_CASE("config reads every section", "[config]") {
    const app_config config = parse(R"(
[kafka]
brokers = "localhost:9092"

[topics]
input = "in"
processed = "out"
critical = "alarm"
dirty = "rejects"

[embedded]
partitions = 8
partition_capacity = 16
output_dir = "/var/lib/radstream"

[ingest]
batch_size = 100
send_delay_ms = 250
playback_speed = 2.5
sort_by_capture_time = false
chunk_records = 50

[process]
partitions = 3
operators = ["validate", "route"]
queue_capacity = 8

[dedup]
ttl_seconds = 3600
max_entries = 5000

[validate]
min_capture_time = "2012-01-01 00:00:00"
max_clock_skew_seconds = 0
reject_null_island = false
units = { "µSv/h" = 334, "CPM" = 1.0 }
raw_max_bytes = 0

[enrich]
moderate_cpm = 40
high_cpm = 150.5
critical_cpm = 900
cpm_per_usvh = 120

[web]
enabled = false
address = "0.0.0.0"
port = 0
batch_interval_ms = 60000
client_queue_batches = 1

[pipeline]
sinks = []

[log]
level = "debug"
)");

    CHECK(config.kafka.brokers == "localhost:9092");
    CHECK(config.topics.input == "in");
    CHECK(config.topics.processed == "out");
    CHECK(config.topics.critical == "alarm");
    CHECK(config.topics.dirty == "rejects");
    CHECK(config.embedded.partitions == 8);
    CHECK(config.embedded.partition_capacity == 16);
    CHECK(config.embedded.output_dir == "/var/lib/radstream");
    CHECK(config.ingest.batch_size == 100);
    CHECK(config.ingest.send_delay == milliseconds{250});
    CHECK(config.ingest.playback_speed == 2.5);
    CHECK_FALSE(config.ingest.sort_by_capture_time);
    CHECK(config.ingest.chunk_records == 50);
    CHECK(config.process.partitions == 3);
    CHECK(config.process.operators == std::vector<std::string>{"validate", "route"});
    CHECK(config.process.queue_capacity == 8);
    CHECK(config.dedup.ttl == seconds{3600});
    CHECK(config.dedup.max_entries == 5000);
    CHECK(config.validate.min_capture_time == sys_days{year{2012} / 1 / 1});
    CHECK(config.validate.max_clock_skew == seconds{0});
    CHECK_FALSE(config.validate.reject_null_island);
    // Unit names are normalized, and the default cpm entry stays.
    CHECK(config.validate.units == std::map<std::string, double>{{"cpm", 1.0}, {"usv/h", 334.0}});
    CHECK(config.validate.raw_max_bytes == 0);
    CHECK(config.enrich.moderate_cpm == 40);
    CHECK(config.enrich.high_cpm == 150.5);
    CHECK(config.enrich.critical_cpm == 900);
    CHECK(config.enrich.cpm_per_usvh == 120);
    CHECK_FALSE(config.web.enabled);
    CHECK(config.web.address == "0.0.0.0");
    CHECK(config.web.port == 0);
    CHECK(config.web.batch_interval == milliseconds{60000});
    CHECK(config.web.client_queue_batches == 1);
    CHECK(config.sinks.empty());
    CHECK(config.log.level == "debug");
}

TEST_CASE("config resolves relative paths against the base", "[config]") {
    const app_config config = parse(R"([embedded]
output_dir = "results"

[[inputs]]
path = "data/measurements.csv"
format = "safecast_csv"

[[inputs]]
path = "/srv/logs/drive.log"
format = "bgeigie"

[[inputs]]
path = "../shared/readings.csv"
format = "csv"
columns = { latitude = "Lat", longitude = "Lon", value = "CPM" }
defaults = { unit = "cpm", device_id = "fixed-station" }
)");

    CHECK(config.embedded.output_dir == "/base/results");
    REQUIRE(config.inputs.size() == 3);
    CHECK(config.inputs[0].path == "/base/data/measurements.csv");
    CHECK(config.inputs[0].format == "safecast_csv");
    CHECK(config.inputs[0].columns.empty());
    CHECK(config.inputs[1].path == "/srv/logs/drive.log");
    CHECK(config.inputs[1].format == "bgeigie");
    CHECK(config.inputs[2].path == "/base/../shared/readings.csv");
    CHECK(config.inputs[2].columns ==
          std::map<std::string, std::string>{{"latitude", "Lat"}, {"longitude", "Lon"}, {"value", "CPM"}});
    CHECK(config.inputs[2].defaults ==
          std::map<std::string, std::string>{{"device_id", "fixed-station"}, {"unit", "cpm"}});
}

TEST_CASE("config reports unknown keys with their location", "[config]") {
    SECTION("at the top level") {
        CHECK(problems_of("colour = \"red\"\n") ==
              std::vector<std::string>{"radstream.toml:1:1: colour: " + unknown_key});
    }
    SECTION("in a section") {
        CHECK(problems_of("[web]\nport = 8000\nprot = 8001\n") ==
              std::vector<std::string>{"radstream.toml:3:1: web.prot: " + unknown_key});
    }
    SECTION("an unknown section") {
        CHECK(problems_of("\n[webb]\nport = 8000\n") ==
              std::vector<std::string>{"radstream.toml:2:2: webb: " + unknown_key});
    }
    SECTION("in an inputs table") {
        CHECK(problems_of("[[inputs]]\npath = \"a.csv\"\nformat = \"csv\"\nsheet = 2\n") ==
              std::vector<std::string>{"radstream.toml:4:1: inputs[0].sheet: " + unknown_key});
    }
}

TEST_CASE("config reports values of the wrong type", "[config]") {
    SECTION("string for an integer") {
        // "port = " is 7 characters, so the value starts in column 8.
        CHECK(problems_of("[web]\nport = \"8000\"\n") ==
              std::vector<std::string>{"radstream.toml:2:8: web.port: expected an integer in [0, 65535]"});
    }
    SECTION("float for an integer") {
        CHECK(problems_of("[process]\npartitions = 2.5\n") ==
              std::vector<std::string>{"radstream.toml:2:14: process.partitions: expected an integer in [1, 256]"});
    }
    SECTION("string for a number") {
        CHECK(problems_of("[enrich]\ncpm_per_usvh = \"334\"\n") ==
              std::vector<std::string>{
                  "radstream.toml:2:16: enrich.cpm_per_usvh: expected a number in [1e-09, 1000000000000]"});
    }
    SECTION("string for a boolean") {
        CHECK(problems_of("[web]\nenabled = \"yes\"\n") ==
              std::vector<std::string>{"radstream.toml:2:11: web.enabled: expected true or false"});
    }
    SECTION("integer for a string") {
        CHECK(problems_of("[kafka]\nbrokers = 9092\n") ==
              std::vector<std::string>{"radstream.toml:2:11: kafka.brokers: expected a string"});
    }
    SECTION("value for a section") {
        CHECK(problems_of("web = 5\n") == std::vector<std::string>{"radstream.toml:1:7: web: expected a table"});
    }
    SECTION("string for a list") {
        CHECK(problems_of("[pipeline]\nsinks = \"jsonl\"\n") ==
              std::vector<std::string>{"radstream.toml:2:9: pipeline.sinks: expected an array of strings"});
    }
    SECTION("number inside a list") {
        // `sinks = ["jsonl", 5]`: the 5 is in column 19.
        CHECK(problems_of("[pipeline]\nsinks = [\"jsonl\", 5]\n") ==
              std::vector<std::string>{"radstream.toml:2:19: pipeline.sinks: expected an array of strings"});
    }
    SECTION("string for a unit factor") {
        // `units = { cpm = "one" }`: the value is in column 17.
        CHECK(problems_of("[validate]\nunits = { cpm = \"one\" }\n") ==
              std::vector<std::string>{"radstream.toml:2:17: validate.units.cpm: expected a number"});
    }
    SECTION("table for inputs") {
        CHECK(problems_of("inputs = 5\n") ==
              std::vector<std::string>{"radstream.toml:1:10: inputs: expected an array of tables ([[inputs]])"});
    }
}

TEST_CASE("config reports values out of range", "[config]") {
    SECTION("integer below the minimum") {
        CHECK(problems_of("[embedded]\npartitions = 0\n") ==
              std::vector<std::string>{"radstream.toml:2:14: embedded.partitions: value 0 outside [1, 1024]"});
    }
    SECTION("partition capacity below 16") {
        CHECK(problems_of("[embedded]\npartition_capacity = 15\n") ==
              std::vector<std::string>{
                  "radstream.toml:2:22: embedded.partition_capacity: value 15 outside [16, 10000000]"});
    }
    SECTION("integer above the maximum") {
        CHECK(problems_of("[web]\nport = 65536\n") ==
              std::vector<std::string>{"radstream.toml:2:8: web.port: value 65536 outside [0, 65535]"});
    }
    SECTION("negative number") {
        CHECK(problems_of("[ingest]\nplayback_speed = -1.5\n") ==
              std::vector<std::string>{
                  "radstream.toml:2:18: ingest.playback_speed: value -1.5 outside [0, 1000000000]"});
    }
    SECTION("negative duration") {
        CHECK(problems_of("[ingest]\nsend_delay_ms = -1\n") ==
              std::vector<std::string>{"radstream.toml:2:17: ingest.send_delay_ms: value -1 outside [0, 3600000]"});
    }
    SECTION("unit factor of 0") {
        // Reported at the units table, which starts in column 9.
        CHECK(problems_of("[validate]\nunits = { usv = 0 }\n") ==
              std::vector<std::string>{
                  "radstream.toml:2:9: validate.units: conversion factor 0 of unit \"usv\" must be above 0"});
    }
}

TEST_CASE("config rejects a bad time string", "[config]") {
    const std::string time_problem = "validate.min_capture_time: expected an ISO-8601 UTC time string such as "
                             "\"2011-03-01T00:00:00Z\"";
    SECTION("impossible date") {
        // "min_capture_time = " is 19 characters, so the value starts in column 20.
        CHECK(problems_of("[validate]\nmin_capture_time = \"2011-02-30T00:00:00Z\"\n") ==
              std::vector<std::string>{"radstream.toml:2:20: " + time_problem});
    }
    SECTION("free text") {
        CHECK(problems_of("[validate]\nmin_capture_time = \"last spring\"\n") ==
              std::vector<std::string>{"radstream.toml:2:20: " + time_problem});
    }
    SECTION("a number") {
        CHECK(problems_of("[validate]\nmin_capture_time = 2011\n") ==
              std::vector<std::string>{"radstream.toml:2:20: " + time_problem});
    }
}

TEST_CASE("config checks inputs tables", "[config]") {
    SECTION("unknown field in columns") {
        CHECK(problems_of("[[inputs]]\npath = \"a.csv\"\nformat = \"csv\"\n"
                          "columns = { latitude = \"Lat\", speed = \"Speed\" }\n") ==
              std::vector<std::string>{"radstream.toml:1:1: inputs[0].columns.speed: unknown field; use one of: " +
                                       known_fields});
    }
    SECTION("unknown field in defaults") {
        CHECK(problems_of("[[inputs]]\npath = \"a.csv\"\nformat = \"csv\"\ndefaults = { colour = \"red\" }\n") ==
              std::vector<std::string>{"radstream.toml:1:1: inputs[0].defaults.colour: unknown field; use one of: " +
                                       known_fields});
    }
    SECTION("missing path and format") {
        CHECK(problems_of("[[inputs]]\ncolumns = { value = \"CPM\" }\n") ==
              std::vector<std::string>{"radstream.toml:1:1: inputs[0].path: missing; name the input file",
                                       "radstream.toml:1:1: inputs[0].format: missing; use safecast_csv, csv or "
                                       "bgeigie"});
    }
    SECTION("missing format in the second table") {
        CHECK(problems_of("[[inputs]]\npath = \"a.csv\"\nformat = \"csv\"\n\n[[inputs]]\npath = \"b.csv\"\n") ==
              std::vector<std::string>{
                  "radstream.toml:5:1: inputs[1].format: missing; use safecast_csv, csv or bgeigie"});
    }
}

TEST_CASE("config requires moderate below high", "[config]") {
    SECTION("reported at high_cpm when the file sets it") {
        // "high_cpm = " is 11 characters, so the value starts in column 12.
        CHECK(problems_of("[enrich]\nmoderate_cpm = 200\nhigh_cpm = 200\n") ==
              std::vector<std::string>{"radstream.toml:3:12: enrich.high_cpm: enrich.moderate_cpm (200) must be "
                                       "below enrich.high_cpm (200)"});
    }
    SECTION("reported at moderate_cpm otherwise") {
        CHECK(problems_of("[enrich]\nmoderate_cpm = 250.5\n") ==
              std::vector<std::string>{"radstream.toml:2:16: enrich.moderate_cpm: enrich.moderate_cpm (250.5) must "
                                       "be below enrich.high_cpm (200)"});
    }
}

TEST_CASE("config rejects unknown choices", "[config]") {
    SECTION("log level") {
        CHECK(problems_of("[log]\nlevel = \"loud\"\n") ==
              std::vector<std::string>{"radstream.toml:2:9: log.level: unknown value \"loud\"; use one of: debug, "
                                       "error, info, off, trace, warn"});
    }
    SECTION("Kafka compression") {
        CHECK(problems_of("[kafka]\ncompression = \"brotli\"\n") ==
              std::vector<std::string>{"radstream.toml:2:15: kafka.compression: unknown value \"brotli\"; use one "
                                       "of: gzip, lz4, none, snappy, zstd"});
    }
}

TEST_CASE("config reports TOML syntax errors", "[config]") {
    SECTION("unclosed table header") {
        const auto problems = problems_of("[web\nport = 8000\n");
        REQUIRE(problems.size() == 1);
        // The middle is toml++'s own description, so only its gist is checked.
        CHECK_THAT(problems[0], Catch::StartsWith("radstream.toml:1:5: ") && Catch::Contains("expected ']'") &&
                                    Catch::EndsWith("; fix the TOML syntax"));
    }
    SECTION("missing value") {
        const auto problems = problems_of("[web]\nport =\n");
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems[0], Catch::StartsWith("radstream.toml:2:7: ") && Catch::Contains("expected value") &&
                                    Catch::EndsWith("; fix the TOML syntax"));
    }
}

TEST_CASE("config reports every problem at once", "[config]") {
    const std::string text = "colour = \"red\"\n"          // 1: unknown top-level key
                             "[embedded]\n"                // 2
                             "partitions = 0\n"            // 3: out of range
                             "[[inputs]]\n"                // 4: path and format missing
                             "sheet = 2\n"                 // 5: unknown key in inputs
                             "[web]\n"                     // 6
                             "port = \"8000\"\n"           // 7: wrong type
                             "prot = 1\n"                  // 8: unknown key in a section
                             "[validate]\n"                // 9
                             "min_capture_time = \"x\"\n"  // 10: bad time string
                             "[enrich]\n"                  // 11
                             "moderate_cpm = 300\n"        // 12: not below the default high_cpm
                             "[log]\n"                     // 13
                             "level = \"loud\"\n";         // 14: unknown level
    // Order: sections in the order the parser reads them (embedded, inputs,
    // validate, enrich, web, log), then unknown top-level keys.
    const std::vector<std::string> expected{
        "radstream.toml:3:14: embedded.partitions: value 0 outside [1, 1024]",
        "radstream.toml:5:1: inputs[0].sheet: " + unknown_key,
        "radstream.toml:4:1: inputs[0].path: missing; name the input file",
        "radstream.toml:4:1: inputs[0].format: missing; use safecast_csv, csv or bgeigie",
        "radstream.toml:10:20: validate.min_capture_time: expected an ISO-8601 UTC time string such as "
        "\"2011-03-01T00:00:00Z\"",
        "radstream.toml:12:16: enrich.moderate_cpm: enrich.moderate_cpm (300) must be below enrich.high_cpm (200)",
        "radstream.toml:7:8: web.port: expected an integer in [0, 65535]",
        "radstream.toml:8:1: web.prot: " + unknown_key,
        "radstream.toml:14:9: log.level: unknown value \"loud\"; use one of: debug, error, info, off, trace, warn",
        "radstream.toml:1:1: colour: " + unknown_key,
    };

    try {
        parse(text);
        FAIL("parse_config accepted the text");
    } catch (const config_error& error) {
        CHECK(error.problems() == expected);
        std::string expected_text = "invalid configuration (10 problems)";
        for (const auto& problem : expected) {
            expected_text += "\n  " + problem;
        }
        CHECK(std::string{error.what()} == expected_text);
    }
}

TEST_CASE("config error counts one problem in the singular", "[config]") {
    try {
        parse("colour = 1\n");
        FAIL("parse_config accepted the text");
    } catch (const config_error& error) {
        CHECK(std::string{error.what()} == "invalid configuration (1 problem)\n  radstream.toml:1:1: colour: " +
                                               unknown_key);
    }
}

TEST_CASE("load_config resolves paths against the file's folder", "[config]") {
    const auto folder = std::filesystem::temp_directory_path() /
                        ("radstream_app_config_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    const auto file = folder / "radstream.toml";
    {
        std::ofstream out(file);
        out << "[[inputs]]\npath = \"data/a.csv\"\nformat = \"safecast_csv\"\n";
    }

    const app_config config = radstream::config::load_config(file);
    std::filesystem::remove_all(folder);

    CHECK(config.file == file);
    REQUIRE(config.inputs.size() == 1);
    CHECK(config.inputs[0].path == folder / "data/a.csv");
    CHECK(config.embedded.output_dir == folder / "out");
}

TEST_CASE("load_config names a file it cannot open", "[config]") {
    const std::filesystem::path missing = "/nonexistent-radstream-folder/radstream.toml";
    try {
        radstream::config::load_config(missing);
        FAIL("load_config read a file that does not exist");
    } catch (const config_error& error) {
        CHECK(error.problems() == std::vector<std::string>{"/nonexistent-radstream-folder/radstream.toml: cannot "
                                                           "open the config file; check the --config path"});
    }
}

namespace {

// parse_config with `variables` as the environment.
app_config parse_with_environment(std::string_view text, std::vector<std::string> variables) {
    std::vector<char*> environment;
    for (auto& variable : variables) {
        environment.push_back(variable.data());
    }
    environment.push_back(nullptr);
    return parse_config(text, "radstream.toml", "/base", environment.data());
}

// Returns the problems parse_config reports for `text` with `variables`
// as the environment. Fails the test when both are accepted.
std::vector<std::string> environment_problems(std::string_view text, std::vector<std::string> variables) {
    return problems_when([&] { parse_with_environment(text, std::move(variables)); });
}

} // namespace

TEST_CASE("environment overrides config keys", "[config]") {
    const auto config = parse_with_environment(
        "[web]\nport = 8000\naddress = \"127.0.0.1\"\n",
        {"RADSTREAM_WEB__PORT=9100", "RADSTREAM_WEB__ADDRESS=0.0.0.0", "RADSTREAM_EVENT_TIME__IDLE_TIMEOUT_MS=60000",
         "RADSTREAM_TOPICS__INPUT__PARTITIONS=6", "RADSTREAM_LOG__FORMAT=json", "RADSTREAM_KAFKA__GROUP_ID=42",
         "RADSTREAM_PIPELINE__SINKS=[\"jsonl\"]", "RADSTREAM_event_time__enabled=false", "HOME=/root",
         "RADSTREAM_KAFKA_BROKERS=ignored-here:9092"});

    CHECK(config.web.port == 9100);
    CHECK(config.web.address == "0.0.0.0");
    CHECK(config.event_time.idle_timeout == milliseconds{60000});
    CHECK(config.topics.input_settings.partitions == 6);
    CHECK(config.log.format == "json");
    // A key that takes a string keeps the text, even when it reads as a number.
    CHECK(config.kafka.group_id == "42");
    CHECK(config.sinks == std::vector<std::string>{"jsonl"});
    CHECK_FALSE(config.event_time.enabled);
    // The older single-underscore names are applied by load_config, not here.
    CHECK(config.kafka.brokers.empty());
}

TEST_CASE("environment overrides are checked like the file", "[config]") {
    const std::string prefix = "environment variable ";
    SECTION("wrong type") {
        CHECK(environment_problems("", {"RADSTREAM_WEB__PORT=abc"})
              == std::vector<std::string>{prefix + "RADSTREAM_WEB__PORT: web.port: expected an integer in [0, 65535]"});
    }
    SECTION("out of range") {
        CHECK(environment_problems("[web]\nport = 80\n", {"RADSTREAM_WEB__PORT=70000"})
              == std::vector<std::string>{prefix + "RADSTREAM_WEB__PORT: web.port: value 70000 outside [0, 65535]"});
    }
    SECTION("unknown key") {
        CHECK(environment_problems("", {"RADSTREAM_WEB__PROT=1"})
              == std::vector<std::string>{prefix + "RADSTREAM_WEB__PROT: web.prot: " + unknown_key});
    }
    SECTION("unknown choice") {
        CHECK(environment_problems("", {"RADSTREAM_LOG__FORMAT=xml"})
              == std::vector<std::string>{prefix + "RADSTREAM_LOG__FORMAT: log.format: unknown value \"xml\"; use one "
                                                   "of: json, text"});
    }
    SECTION("empty level") {
        CHECK(environment_problems("", {"RADSTREAM_WEB____PORT=1"})
              == std::vector<std::string>{prefix + "RADSTREAM_WEB____PORT: expected RADSTREAM_<SECTION>__<KEY>, such as "
                                                   "RADSTREAM_WEB__PORT"});
    }
    SECTION("a key that is not a table") {
        CHECK(environment_problems("[web]\nport = 80\n", {"RADSTREAM_WEB__PORT__X=1"})
              == std::vector<std::string>{prefix + "RADSTREAM_WEB__PORT__X: web.port is not a table, so it has no "
                                                   "key \"x\""});
    }
    SECTION("file and environment problems together") {
        const auto problems = environment_problems("[web]\nbogus = 1\n", {"RADSTREAM_DEDUP__TTL_SECONDS=-5"});
        REQUIRE(problems.size() == 2);
        CHECK(problems[0] == prefix + "RADSTREAM_DEDUP__TTL_SECONDS: dedup.ttl_seconds: value -5 outside [1, "
                                      "315360000]");
        CHECK(problems[1] == "radstream.toml:2:1: web.bogus: " + unknown_key);
    }
}

TEST_CASE("config reads log and shutdown settings", "[config]") {
    const auto config =
        parse("[log]\nformat = \"json\"\nprogress_interval_ms = 500\n[shutdown]\ntimeout_ms = 5000\n");
    CHECK(config.log.format == "json");
    CHECK(config.log.progress_interval == milliseconds{500});
    CHECK(config.shutdown.timeout == milliseconds{5000});
    CHECK(parse("").shutdown.timeout == milliseconds{30000});
}
