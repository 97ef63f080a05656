// radstream against a real Apache Kafka broker: each test case starts its
// own single-node broker with scripts/kafka-broker.sh on free loopback
// ports (the first run fetches the jars from Maven Central), so the tests
// can run while another broker is up.

#include "child_process.hpp"

#include "radstream/core/composite_key.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <csignal>
#include <random>
#include <thread>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using radstream::testing::child_process;
using radstream::testing::run_command;
using radstream::testing::temp_folder;

const std::string broker_script = std::string{RADSTREAM_SOURCE_DIR} + "/scripts/kafka-broker.sh";

// One broker in a folder of the test's own, stopped by the destructor.
class kafka_broker {
public:
    explicit kafka_broker(const fs::path& dir) : dir_(dir / "broker") { start(); }
    ~kafka_broker() { run_command(broker_script + " stop --dir " + dir_.string() + " 2>/dev/null"); }

    const std::string& bootstrap() const { return bootstrap_; }

    // Stops the broker but keeps its data and ports, for restart().
    void stop_keeping_data() {
        int code = 0;
        run_command(broker_script + " stop --keep --dir " + dir_.string() + " 2>&1", &code);
        REQUIRE(code == 0);
    }

    void restart() { start(); }

    // Every record of `topic`, read with read_committed by the Java console
    // consumer, as "partition<TAB>key<TAB>value" lines.
    std::vector<std::string> read_topic(const std::string& topic) const {
        const std::string command = broker_script + " tool console-consumer --bootstrap-server " + bootstrap_
                                    + " --topic " + topic
                                    + " --from-beginning --timeout-ms 8000 --isolation-level read_committed"
                                      " --formatter-property print.partition=true --formatter-property print.key=true"
                                      " 2>/dev/null";
        std::istringstream out(run_command(command));
        std::vector<std::string> lines;
        for (std::string line; std::getline(out, line);) {
            if (line.rfind("Partition:", 0) == 0) {
                lines.push_back(line.substr(10));
            }
        }
        return lines;
    }

    // The records of `topic` that a read_committed reader gets. Differs from
    // topic_size() for transactional topics, whose commit markers take
    // offsets too.
    std::uint64_t record_count(const std::string& topic) const { return read_topic(topic).size(); }

    // The sum of the end offsets of `topic`'s partitions.
    std::uint64_t topic_size(const std::string& topic) const {
        std::istringstream out(run_command(broker_script + " tool get-offsets --bootstrap-server " + bootstrap_
                                           + " --topic " + topic + " 2>/dev/null"));
        std::uint64_t total = 0;
        for (std::string line; std::getline(out, line);) {
            total += std::stoull(line.substr(line.rfind(':') + 1));
        }
        return total;
    }

private:
    void start() {
        int code = 0;
        const std::string out = run_command(broker_script + " start --dir " + dir_.string() + " 2>&1", &code);
        INFO(out);
        REQUIRE(code == 0);
        const auto at = out.find("bootstrap=");
        REQUIRE(at != std::string::npos);
        bootstrap_ = out.substr(at + 10, out.find('\n', at) - at - 10);
    }

    fs::path dir_;
    std::string bootstrap_;
};

std::string source_path(const std::string& relative) {
    return (fs::path{RADSTREAM_SOURCE_DIR} / relative).string();
}

const std::string fixture_inputs = "[[inputs]]\npath = \"" + source_path("tests/data/e2e/readings.csv")
                                   + "\"\nformat = \"safecast_csv\"\n[[inputs]]\npath = \""
                                   + source_path("tests/data/e2e/drive.log") + "\"\nformat = \"bgeigie\"\n";

// The [[inputs]] tables of the shipped radstream.toml, with absolute paths.
std::string shipped_inputs() {
    const std::string text = radstream::testing::read_text_file(source_path("radstream.toml"));
    std::string inputs;
    std::istringstream lines(text);
    bool in_inputs = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("[[inputs]]", 0) == 0) {
            in_inputs = true;
        } else if (line.rfind("[", 0) == 0) {
            in_inputs = false;
        }
        if (in_inputs) {
            const auto at = line.find("path = \"examples/");
            if (at != std::string::npos) {
                line.insert(at + 8, std::string{RADSTREAM_SOURCE_DIR} + "/");
            }
            inputs += line + "\n";
        }
    }
    return inputs;
}

fs::path write_config(const fs::path& dir, const std::string& name, const std::string& body) {
    const fs::path file = dir / name;
    std::ofstream(file) << body;
    return file;
}

std::string kafka_config(const kafka_broker& broker, const std::string& inputs, const std::string& extra = "") {
    return "[kafka]\nbrokers = \"" + broker.bootstrap() + "\"\nstartup_timeout_seconds = 30\n"
           + "[topics.input]\nname = \"radiation-data\"\npartitions = 3\n" + inputs
           + "[web]\nport = 0\n[process]\npartitions = 2\ncommit_interval_ms = 200\n" + extra;
}

struct run_summary {
    std::map<std::string, std::uint64_t> counts;
};

run_summary parse_summary(const std::string& text) {
    const std::string line = text.substr(0, text.find('\n'));
    INFO("summary: " << line);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    REQUIRE(parser.parse(line).get(root) == simdjson::SUCCESS);
    run_summary out;
    for (auto [key, value] : root.get_object()) {
        if (value.is_uint64()) {
            out.counts[std::string{key}] = value.get_uint64();
        }
    }
    return out;
}

run_summary run_to_end(const fs::path& dir, const fs::path& config, const std::string& name) {
    child_process run({RADSTREAM_BINARY, "--config", config.string(), "--exit-when-done"}, dir / (name + ".out"),
                      dir / (name + ".err"));
    const auto code = run.wait_for(std::chrono::minutes{3});
    INFO(radstream::testing::read_text_file(dir / (name + ".err")));
    REQUIRE(code == 0);
    return parse_summary(radstream::testing::read_text_file(dir / (name + ".out")));
}

// An output record without what differs between runs of the same input:
// when it was ingested (also inside a dirty record's raw message) and the
// name of the input topic it was read from (its partition and offset stay).
std::string comparable(std::string record) {
    static const std::regex varying{
        R"re(,"ingestion_timestamp":"[^"]*"|,\\"ingestion_timestamp\\":\\"[^\\]*\\"|"origin":"[^/"]*/)re"};
    return std::regex_replace(record, varying, "");
}

std::multiset<std::string> jsonl_records(const fs::path& file) {
    std::multiset<std::string> records;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        records.insert(comparable(line));
    }
    return records;
}

// The records of `topic` in the form comparable() returns.
std::multiset<std::string> topic_records(const kafka_broker& broker, const std::string& topic) {
    std::multiset<std::string> records;
    for (const auto& line : broker.read_topic(topic)) {
        records.insert(comparable(line.substr(line.find('\t', line.find('\t') + 1) + 1)));
    }
    return records;
}

// The composite keys of the processed and critical records of a topic.
std::set<std::string> topic_keys(const kafka_broker& broker, const std::string& topic) {
    std::set<std::string> keys;
    for (const auto& line : broker.read_topic(topic)) {
        const auto first_tab = line.find('\t');
        keys.insert(line.substr(first_tab + 1, line.find('\t', first_tab + 1) - first_tab - 1));
    }
    return keys;
}

// The web port that radstream logged ("map: http://127.0.0.1:PORT/").
int logged_web_port(const fs::path& stderr_file) {
    int port = 0;
    radstream::testing::wait_until(
        [&] {
            const std::string text = radstream::testing::read_text_file(stderr_file);
            const auto at = text.find("map: http://127.0.0.1:");
            if (at != std::string::npos) {
                port = std::stoi(text.substr(at + 22));
            }
            return port != 0;
        },
        std::chrono::seconds{60});
    return port;
}

std::uint64_t stats_value(int port, const std::string& field) {
    const auto body = radstream::testing::http_get(port, "/api/stats");
    if (!body) {
        return 0;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::uint64_t value = 0;
    if (parser.parse(*body).get(root) != simdjson::SUCCESS || root[field].get(value) != simdjson::SUCCESS) {
        return 0;
    }
    return value;
}

} // namespace

TEST_CASE("kafka run matches the embedded run", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());

    const auto embedded_config = write_config(
        dir.path(), "embedded.toml",
        fixture_inputs + "[embedded]\npartitions = 3\noutput_dir = \"" + (dir.path() / "out").string()
            + "\"\n[web]\nport = 0\n");
    const run_summary embedded = run_to_end(dir.path(), embedded_config, "embedded");
    const auto config = write_config(dir.path(), "kafka.toml", kafka_config(broker, fixture_inputs));
    const run_summary kafka = run_to_end(dir.path(), config, "kafka");

    for (const char* name : {"input", "processed", "critical", "dirty", "duplicates", "filtered"}) {
        INFO(name);
        CHECK(kafka.counts.at(name) == embedded.counts.at(name));
    }
    CHECK(kafka.counts.at("input") == 24);

    // Each output topic contains exactly the records the embedded run wrote.
    CHECK(topic_records(broker, "processed-data-output") == jsonl_records(dir.path() / "out/processed-data-output.jsonl"));
    CHECK(topic_records(broker, "critical-data") == jsonl_records(dir.path() / "out/critical-data.jsonl"));
    CHECK(topic_records(broker, "dirty-data") == jsonl_records(dir.path() / "out/dirty-data.jsonl"));

    SECTION("keys land where the Java client's murmur2 partitioner puts them") {
        const auto lines = broker.read_topic("radiation-data");
        REQUIRE(lines.size() == 24);
        for (const auto& line : lines) {
            const auto first_tab = line.find('\t');
            const int partition = std::stoi(line.substr(0, first_tab));
            const std::string key = line.substr(first_tab + 1, line.find('\t', first_tab + 1) - first_tab - 1);
            INFO(key);
            CHECK(partition == radstream::core::kafka_partition_for_key(key, 3));
        }
    }
}

TEST_CASE("real examples through kafka add up", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    const auto config = write_config(dir.path(), "kafka.toml", kafka_config(broker, shipped_inputs()));
    const run_summary run = run_to_end(dir.path(), config, "kafka");
    const auto& counts = run.counts;

    CHECK(counts.at("ingested") == 51630);
    CHECK(counts.at("input") == 51630);
    CHECK(counts.at("input") == counts.at("processed") + counts.at("critical") + counts.at("dirty") + counts.at("duplicates"));
    CHECK(broker.topic_size("radiation-data") == 51630);
    CHECK(broker.record_count("processed-data-output") == counts.at("processed"));
    CHECK(broker.record_count("critical-data") == counts.at("critical"));
    CHECK(broker.record_count("dirty-data") == counts.at("dirty"));
}

TEST_CASE("kafka outputs ignore in-process partitions", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    // Two runs over the same real files, each with topics of its own: the
    // input has 2 partitions, read by 1 and by 4 in-process partitions.
    const auto run_with = [&](int partitions) {
        const std::string suffix = "-" + std::to_string(partitions);
        const std::string config = "[kafka]\nbrokers = \"" + broker.bootstrap() + "\"\ngroup_id = \"radstream" + suffix
                                   + "\"\n[topics]\ninput = { name = \"radiation-data" + suffix
                                   + "\", partitions = 2 }\nprocessed = \"processed" + suffix + "\"\ncritical = \"critical"
                                   + suffix + "\"\ndirty = \"dirty" + suffix + "\"\n" + shipped_inputs()
                                   + "[web]\nport = 0\n[process]\npartitions = " + std::to_string(partitions) + "\n";
        return run_to_end(dir.path(), write_config(dir.path(), "kafka" + suffix + ".toml", config), "run" + suffix);
    };
    const run_summary single = run_with(1);
    const run_summary four = run_with(4);

    for (const char* name : {"input", "processed", "critical", "dirty", "duplicates", "late"}) {
        INFO(name);
        CHECK(single.counts.at(name) == four.counts.at(name));
    }
    // The shipped files have late readings (see docs/event-time.md), so
    // the comparison covers late flags as well as group seconds and sizes.
    CHECK(single.counts.at("late") > 0);
    for (const std::string topic : {"processed", "critical", "dirty"}) {
        INFO(topic);
        const auto records = topic_records(broker, topic + "-1");
        CHECK(records.size() == single.counts.at(topic));
        CHECK(records == topic_records(broker, topic + "-4"));
    }
}

TEST_CASE("stopped run resumes from committed offsets", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    // 20 ms after each batch of 500 makes ingest take a few seconds, so
    // the first run can be stopped midway.
    const auto config = write_config(dir.path(), "kafka.toml",
                                     kafka_config(broker, shipped_inputs(), "[ingest]\nsend_delay_ms = 20\n"));

    run_summary first;
    {
        child_process run({RADSTREAM_BINARY, "--config", config.string()}, dir.path() / "first.out",
                          dir.path() / "first.err");
        const int port = logged_web_port(dir.path() / "first.err");
        REQUIRE(port != 0);
        REQUIRE(radstream::testing::wait_until([&] { return stats_value(port, "input") >= 5000; },
                                               std::chrono::seconds{60}));
        run.send_signal(SIGTERM);
        const auto code = run.wait_for(std::chrono::seconds{60});
        INFO(radstream::testing::read_text_file(dir.path() / "first.err"));
        REQUIRE(code == 0);
        first = parse_summary(radstream::testing::read_text_file(dir.path() / "first.out"));
    }
    const run_summary second = run_to_end(dir.path(), config, "second");

    const auto& a = first.counts;
    const auto& b = second.counts;
    INFO("first run input " << a.at("input") << ", ingested " << a.at("ingested"));
    CHECK(b.at("ingested") == 51630);
    // Ingest starts over, but process goes on from the committed offsets:
    // every record of the input topic is processed exactly once.
    const std::uint64_t input_records = broker.topic_size("radiation-data");
    CHECK(a.at("input") > 0);
    CHECK(a.at("input") < input_records);
    CHECK(input_records == a.at("ingested") + b.at("ingested"));
    CHECK(a.at("input") + b.at("input") == input_records);
    for (const auto* summary : {&a, &b}) {
        CHECK(summary->at("input")
              == summary->at("processed") + summary->at("critical") + summary->at("dirty") + summary->at("duplicates"));
    }
    CHECK(broker.record_count("processed-data-output") == a.at("processed") + b.at("processed"));
    CHECK(broker.record_count("critical-data") == a.at("critical") + b.at("critical"));
    CHECK(broker.record_count("dirty-data") == a.at("dirty") + b.at("dirty"));
}

TEST_CASE("shutdown deadline ends a stuck drain", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    const auto config = write_config(
        dir.path(), "kafka.toml",
        kafka_config(broker, shipped_inputs(), "[ingest]\nsend_delay_ms = 20\n[shutdown]\ntimeout_ms = 3000\n"));
    child_process run({RADSTREAM_BINARY, "--config", config.string()}, dir.path() / "run.out", dir.path() / "run.err");
    const int port = logged_web_port(dir.path() / "run.err");
    REQUIRE(port != 0);
    REQUIRE(radstream::testing::wait_until([&] { return stats_value(port, "input") >= 5000; },
                                           std::chrono::seconds{60}));
    const auto ready = [&] { return radstream::testing::http_get(port, "/ready").value_or(""); };
    REQUIRE(radstream::testing::wait_until([&] { return ready().find(R"("kafka":"reachable")") != std::string::npos; },
                                           std::chrono::seconds{15}));

    // With the broker gone, /ready reports it, and delivery waits for it, so
    // the drain after SIGTERM cannot finish.
    broker.stop_keeping_data();
    REQUIRE(radstream::testing::wait_until(
        [&] { return ready().find(R"({"ready":false,"checks":{"kafka":"unreachable")") == 0; },
        std::chrono::seconds{20}));
    const auto signalled = std::chrono::steady_clock::now();
    run.send_signal(SIGTERM);
    const auto code = run.wait_for(std::chrono::seconds{30});
    const auto waited = std::chrono::steady_clock::now() - signalled;

    REQUIRE(code);
    CHECK(*code == 1);
    CHECK(waited >= std::chrono::milliseconds{3000});
    CHECK(radstream::testing::read_text_file(dir.path() / "run.err")
              .find("shutdown did not finish within shutdown.timeout_ms (3000 ms)")
          != std::string::npos);
}

TEST_CASE("broker restart loses nothing", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    const auto config = write_config(dir.path(), "kafka.toml",
                                     // The first line continues kafka_config's [process] table.
                                     kafka_config(broker, shipped_inputs(),
                                                  "guarantee = \"at_least_once\"\n[ingest]\nsend_delay_ms = 20\n"));
    const auto embedded_config = write_config(dir.path(), "embedded.toml",
                                              shipped_inputs() + "[embedded]\noutput_dir = \""
                                                  + (dir.path() / "out").string() + "\"\n[web]\nport = 0\n");
    const run_summary reference = run_to_end(dir.path(), embedded_config, "embedded");

    child_process run({RADSTREAM_BINARY, "--config", config.string(), "--exit-when-done"}, dir.path() / "run.out",
                      dir.path() / "run.err");
    const int port = logged_web_port(dir.path() / "run.err");
    REQUIRE(port != 0);
    REQUIRE(radstream::testing::wait_until([&] { return stats_value(port, "input") >= 3000; },
                                           std::chrono::seconds{60}));
    broker.stop_keeping_data();
    std::this_thread::sleep_for(std::chrono::seconds{3});
    broker.restart();

    const auto code = run.wait_for(std::chrono::minutes{3});
    INFO(radstream::testing::read_text_file(dir.path() / "run.err"));
    REQUIRE(code == 0);
    const auto counts = parse_summary(radstream::testing::read_text_file(dir.path() / "run.out")).counts;

    CHECK(counts.at("ingested") == 51630);
    CHECK(counts.at("input") == 51630);
    CHECK(broker.topic_size("radiation-data") == 51630);
    CHECK(broker.record_count("processed-data-output") == counts.at("processed"));
    CHECK(broker.record_count("critical-data") == counts.at("critical"));
    CHECK(broker.record_count("dirty-data") == counts.at("dirty"));
    // Every reading that passed in one uninterrupted embedded run passed
    // here too. (Counts can differ by a few: dedup's time-to-live depends on
    // the order partitions are read in, so a repeat may pass or be dropped.)
    std::set<std::string> expected_keys;
    for (const char* file : {"out/processed-data-output.jsonl", "out/critical-data.jsonl"}) {
        std::ifstream in(dir.path() / file);
        for (std::string line; std::getline(in, line);) {
            const auto at = line.find("\"key\":\"") + 7;
            expected_keys.insert(line.substr(at, line.find('"', at) - at));
        }
    }
    std::set<std::string> keys = topic_keys(broker, "processed-data-output");
    keys.merge(topic_keys(broker, "critical-data"));
    CHECK(expected_keys.size() > 5000);
    CHECK(keys == expected_keys);
}

TEST_CASE("unreachable cluster fails after the startup timeout", "[kafka]") {
    temp_folder dir;
    // Port 1 on loopback has no listener, so every connection is refused.
    const auto config = write_config(dir.path(), "kafka.toml",
                                     "[kafka]\nbrokers = \"127.0.0.1:1\"\nstartup_timeout_seconds = 3\n" + fixture_inputs
                                         + "[web]\nport = 0\n");
    const auto started = std::chrono::steady_clock::now();
    child_process run({RADSTREAM_BINARY, "--config", config.string(), "--exit-when-done"}, dir.path() / "run.out",
                      dir.path() / "run.err");
    const auto code = run.wait_for(std::chrono::seconds{60});
    const auto elapsed = std::chrono::steady_clock::now() - started;
    const std::string errors = radstream::testing::read_text_file(dir.path() / "run.err");
    INFO(errors);

    CHECK(code == 1);
    CHECK(elapsed >= std::chrono::seconds{2});
    CHECK(elapsed < std::chrono::seconds{30});
    CHECK(errors.find("cannot reach Kafka at 127.0.0.1:1: Local: Broker transport failure; retrying in") != std::string::npos);
    CHECK(errors.find("cannot reach Kafka at 127.0.0.1:1 within 3 s") != std::string::npos);
    CHECK(errors.find("check kafka.brokers") != std::string::npos);
}

TEST_CASE("serve role feeds the map from output topics", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    const auto config = write_config(dir.path(), "kafka.toml", kafka_config(broker, fixture_inputs));
    run_to_end(dir.path(), config, "all");

    // A map started after the run still gets the recent readings: the 6
    // processed and 2 critical records of the fixture.
    for (const char* name : {"serve-first", "serve-again"}) {
        child_process serve({RADSTREAM_BINARY, "serve", "--config", config.string()},
                            dir.path() / (std::string{name} + ".out"), dir.path() / (std::string{name} + ".err"));
        const int port = logged_web_port(dir.path() / (std::string{name} + ".err"));
        REQUIRE(port != 0);
        INFO(name);
        CHECK(radstream::testing::wait_until([&] { return stats_value(port, "map_readings") == 8; },
                                             std::chrono::seconds{60}));
        serve.send_signal(SIGINT);
        CHECK(serve.wait_for(std::chrono::seconds{30}) == 0);
    }
}

TEST_CASE("process takes a Python producer's messages", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    const auto config = write_config(dir.path(), "kafka.toml", kafka_config(broker, ""));
    child_process process({RADSTREAM_BINARY, "process", "--config", config.string()}, dir.path() / "process.out",
                          dir.path() / "process.err");
    // radstream creates the topics at start; wait until it has.
    REQUIRE(radstream::testing::wait_until(
        [&] {
            return radstream::testing::read_text_file(dir.path() / "process.err").find("topics ready")
                   != std::string::npos;
        },
        std::chrono::seconds{60}));

    // Messages as a Python CSV producer writes them: its own keys, numbers
    // as JSON numbers or strings, a numeric device id. Expected by hand:
    // 72 cpm is moderate; the same reading again under another key is a
    // duplicate (the dedup key comes from the fields); 1200 cpm is
    // critical; a latitude of 95 is dirty.
    const std::string messages =
        R"(sensor-1|{"captured_time": "2024-01-01T00:00:17.000Z", "latitude": "22.28482", "longitude": 114.14, "value": 72.0, "unit": "cpm", "device_id": 157, "ingestion_timestamp": "2024-03-24T10:00:00"})" "\n"
        R"(sensor-2|{"captured_time": "2024-01-01 00:00:17", "latitude": 22.28482, "longitude": "114.14", "value": 72, "unit": "CPM", "device_id": 157})" "\n"
        R"(sensor-3|{"captured_time": "2024-01-01T00:05:00Z", "latitude": 22.3, "longitude": 114.2, "value": 1200, "unit": "cpm"})" "\n"
        R"(sensor-4|{"captured_time": "2024-01-01T00:06:00Z", "latitude": 95, "longitude": 114.2, "value": 40, "unit": "cpm"})" "\n";
    std::ofstream(dir.path() / "messages.txt") << messages;
    int code = 0;
    run_command(broker_script + " tool console-producer --bootstrap-server " + broker.bootstrap()
                    + " --topic radiation-data --reader-property parse.key=true --reader-property key.separator='|' < "
                    + (dir.path() / "messages.txt").string() + " 2>&1",
                &code);
    REQUIRE(code == 0);

    REQUIRE(radstream::testing::wait_until([&] { return broker.record_count("dirty-data") == 1; },
                                           std::chrono::seconds{60}));

    // A lone process stage serves its metrics, transactions included.
    const int port = logged_web_port(dir.path() / "process.err");
    REQUIRE(port != 0);
    const auto metrics = radstream::testing::http_get(port, "/metrics").value_or("");
    INFO(metrics);
    CHECK(metrics.find("radstream_records_in_total{topic=\"radiation-data\"} 4\n") != std::string::npos);
    CHECK(std::regex_search(metrics, std::regex{R"(radstream_transactions_total\{result="committed"\} [1-9])"}));
    CHECK(metrics.find("radstream_transactions_total{result=\"aborted\"} 0\n") != std::string::npos);
    CHECK(radstream::testing::http_get(port, "/ready").value_or("").find(R"("state":"restored")") != std::string::npos);
    process.send_signal(SIGINT);
    REQUIRE(process.wait_for(std::chrono::seconds{30}) == 0);
    const auto counts = parse_summary(radstream::testing::read_text_file(dir.path() / "process.out")).counts;
    CHECK(counts.at("input") == 4);
    CHECK(counts.at("processed") == 1);
    CHECK(counts.at("duplicates") == 1);
    CHECK(counts.at("critical") == 1);
    CHECK(counts.at("dirty") == 1);

    const auto processed = broker.read_topic("processed-data-output");
    REQUIRE(processed.size() == 1);
    CHECK(processed[0].find(R"("status":"processed","timestamp":"2024-01-01T00:00:17Z","lat":22.28482,"lon":114.14,)"
                            R"("value":72,"unit":"cpm","level":"moderate","critical":false)")
          != std::string::npos);
    CHECK(processed[0].find(R"("device_id":"157")") != std::string::npos);
    const auto dirty = broker.read_topic("dirty-data");
    REQUIRE(dirty.size() == 1);
    CHECK(dirty[0].find(R"("reason":"latitude_invalid")") != std::string::npos);
}

namespace {

// What generate_readings wrote, worked out row by row as it writes them.
struct generated_counts {
    std::uint64_t rows = 0;
    std::uint64_t processed = 0;
    std::uint64_t critical = 0;
    std::uint64_t dirty = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t late = 0;
};

// Writes `rows` Safecast CSV rows, 250 ms apart from 2024-01-01, each at
// its own place, so every row has its own key. Row i is:
// - i % 50 == 49: a copy of the latest on-time valid row, a duplicate;
// - else i % 40 == 7: latitude 95, dirty;
// - else valid: critical (10,000 cpm) when i % 997 == 3, and 60 s older
//   than its neighbours when i % 1000 == 500, which the 5 s bound makes late.
generated_counts generate_readings(const fs::path& file, int rows) {
    std::ofstream out(file);
    out << "Captured Time,Latitude,Longitude,Value,Unit,Location Name,Device ID,MD5Sum,Height,Surface,Radiation,"
           "Uploaded Time,Loader ID\n";
    generated_counts counts;
    const auto start = std::chrono::sys_days{std::chrono::year{2024} / 1 / 1};
    std::string last_on_time;
    for (int i = 0; i < rows; ++i) {
        ++counts.rows;
        if (i % 50 == 49 && !last_on_time.empty()) {
            out << last_on_time;
            ++counts.duplicates;
            continue;
        }
        const bool late = i % 1000 == 500;
        auto captured = start + std::chrono::milliseconds{250LL * i};
        if (late) {
            captured -= std::chrono::seconds{60};
        }
        const bool dirty = i % 40 == 7;
        const bool critical = !dirty && i % 997 == 3;
        const std::string row = fmt::format(
            "{:%Y-%m-%dT%H:%M:%S}Z,{:.4f},{:.4f},{},cpm,,{},,,,,,\n",
            std::chrono::floor<std::chrono::seconds>(captured), dirty ? 95.0 : 35.0 + (i % 1000) * 0.0001,
            139.0 + (i / 1000) * 0.0001, critical ? 10000 : 20 + i % 60, 100 + i % 7);
        out << row;
        if (dirty) {
            ++counts.dirty;
            continue;
        }
        ++(critical ? counts.critical : counts.processed);
        if (late) {
            ++counts.late;
        } else {
            last_on_time = row;
        }
    }
    return counts;
}

// The config lines both kinds of run share: the generated file, read
// unsorted so the rows written 60 s too old stay late.
std::string generated_inputs(const fs::path& dir) {
    return "[[inputs]]\npath = \"" + (dir / "readings.csv").string()
           + "\"\nformat = \"safecast_csv\"\n[web]\nport = 0\n[ingest]\nsort_by_capture_time = false\n";
}

// The expected records: an embedded run of the generated file with the
// same 2 input partitions as the Kafka runs, its outputs in dir/out.
run_summary expected_run(const fs::path& dir) {
    return run_to_end(dir,
                      write_config(dir, "embedded.toml",
                                   generated_inputs(dir) + "[embedded]\npartitions = 2\noutput_dir = \""
                                       + (dir / "out").string() + "\"\n"),
                      "embedded");
}

}  // namespace

TEST_CASE("killed process writes every output once", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    constexpr int rows = 200'000;
    const auto counts = generate_readings(dir.path() / "readings.csv", rows);
    const std::string common = generated_inputs(dir.path());
    const run_summary expected = expected_run(dir.path());
    CHECK(expected.counts.at("input") == counts.rows);
    CHECK(expected.counts.at("processed") == counts.processed);
    CHECK(expected.counts.at("critical") == counts.critical);
    CHECK(expected.counts.at("dirty") == counts.dirty);
    CHECK(expected.counts.at("duplicates") == counts.duplicates);
    CHECK(expected.counts.at("late") == counts.late);

    const auto config = write_config(
        dir.path(), "kafka.toml",
        common + "[kafka]\nbrokers = \"" + broker.bootstrap()
            + "\"\n[topics.input]\nname = \"radiation-data\"\npartitions = 2\n[process]\ncommit_interval_ms = 200\n");
    {
        child_process ingest({RADSTREAM_BINARY, "ingest", "--config", config.string(), "--exit-when-done"},
                             dir.path() / "ingest.out", dir.path() / "ingest.err");
        REQUIRE(ingest.wait_for(std::chrono::minutes{3}) == 0);
    }

    // Kill `radstream process` at random moments after it got its input
    // partitions, start it again each time, then let the last run finish.
    std::mt19937 random(20261204);
    std::uniform_int_distribution<int> delay_ms(50, 1500);
    int kills = 0;
    std::vector<std::string> recoveries;
    for (int run = 0;; ++run) {
        const auto err = dir.path() / fmt::format("process-{}.err", run);
        child_process process({RADSTREAM_BINARY, "process", "--config", config.string(), "--exit-when-done"},
                              dir.path() / fmt::format("process-{}.out", run), err);
        const auto started = std::chrono::steady_clock::now();
        std::smatch restored;
        static const std::regex restore_line{R"(restored state from \S+: (\d+) entries .* in ([\d.]+) s)"};
        std::string log;
        REQUIRE(radstream::testing::wait_until(
            [&] {
                log = radstream::testing::read_text_file(err);
                return std::regex_search(log, restored, restore_line) || !process.running();
            },
            std::chrono::seconds{60}));
        const std::chrono::duration<double> to_restored = std::chrono::steady_clock::now() - started;
        recoveries.push_back(fmt::format("{} entries restored in {} s, {:.2f} s after start", restored[1].str(),
                                         restored[2].str(), to_restored.count()));
        // Records flow once the consumer group has assigned the partitions.
        REQUIRE(radstream::testing::wait_until(
            [&] {
                return radstream::testing::read_text_file(err).find("reading input partitions") != std::string::npos
                       || !process.running();
            },
            std::chrono::seconds{60}));
        if (kills >= 10) {
            const auto code = process.wait_for(std::chrono::minutes{3});
            INFO(radstream::testing::read_text_file(err));
            REQUIRE(code == 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{delay_ms(random)});
        if (process.wait_for(std::chrono::milliseconds{0})) {
            continue;  // it finished before the kill; the next run has nothing left to do
        }
        process.send_signal(SIGKILL);
        REQUIRE(process.wait_for(std::chrono::seconds{30}) == 128 + SIGKILL);
        ++kills;
    }
    std::printf("killed process: %d kills; recoveries:\n", kills);
    for (const auto& line : recoveries) {
        std::printf("  %s\n", line.c_str());
    }

    // A read_committed reader sees each expected record exactly once.
    const auto out = dir.path() / "out";
    const auto processed = topic_records(broker, "processed-data-output");
    CHECK(processed.size() == counts.processed);
    CHECK(processed == jsonl_records(out / "processed-data-output.jsonl"));
    const auto critical = topic_records(broker, "critical-data");
    CHECK(critical.size() == counts.critical);
    CHECK(critical == jsonl_records(out / "critical-data.jsonl"));
    const auto dirty = topic_records(broker, "dirty-data");
    CHECK(dirty.size() == counts.dirty);
    CHECK(dirty == jsonl_records(out / "dirty-data.jsonl"));
    std::uint64_t late = 0;
    for (const auto& record : processed) {
        late += record.find(R"("late":true)") != std::string::npos ? 1 : 0;
    }
    for (const auto& record : critical) {
        late += record.find(R"("late":true)") != std::string::npos ? 1 : 0;
    }
    CHECK(late == counts.late);

    // A commit interval whose transaction timeout the broker does not allow
    // stops the process at start, naming both values.
    int code = 0;
    const std::string rejected = run_command("RADSTREAM_PROCESS__COMMIT_INTERVAL_MS=3600000 " + std::string{RADSTREAM_BINARY}
                                                + " process --exit-when-done --config " + config.string() + " 2>&1",
                                            &code);
    CHECK(code == 1);
    CHECK(rejected.find("process.commit_interval_ms 3600000 needs transaction.timeout.ms 36000000, above the broker's "
                       "transaction.max.timeout.ms 900000")
          != std::string::npos);
}

TEST_CASE("crash on either side of a commit", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    const auto counts = generate_readings(dir.path() / "readings.csv", 50'000);
    const std::string common = generated_inputs(dir.path());
    const run_summary expected = expected_run(dir.path());
    REQUIRE(expected.counts.at("late") == counts.late);

    const auto config = write_config(
        dir.path(), "kafka.toml",
        common + "[kafka]\nbrokers = \"" + broker.bootstrap()
            + "\"\n[topics.input]\nname = \"radiation-data\"\npartitions = 2\n[process]\ncommit_interval_ms = 20\n");
    int code = 0;
    run_command(std::string{RADSTREAM_BINARY} + " ingest --exit-when-done --config " + config.string() + " 2>&1", &code);
    REQUIRE(code == 0);

    // The hook ends the process as SIGKILL would: right before the third
    // commit of the first run, right after the third of the second.
    const std::string process = std::string{RADSTREAM_BINARY} + " process --exit-when-done --config " + config.string();
    for (const std::string point : {"before_commit", "after_commit"}) {
        INFO(point);
        const std::string log = run_command("RADSTREAM_FAULT_INJECTION=" + point + ":3 " + process + " 2>&1", &code);
        INFO(log);
        CHECK(code == 137);
        CHECK(log.find("fault injection: exiting at " + point + " 3") != std::string::npos);
    }
    const std::string last = run_command(process + " 2>/dev/null", &code);
    REQUIRE(code == 0);
    // The first run committed two transactions, the second three, so the
    // last run starts from restored state.
    CHECK(parse_summary(last).counts.at("input") < counts.rows);

    const auto out = dir.path() / "out";
    CHECK(topic_records(broker, "processed-data-output") == jsonl_records(out / "processed-data-output.jsonl"));
    CHECK(topic_records(broker, "critical-data") == jsonl_records(out / "critical-data.jsonl"));
    CHECK(topic_records(broker, "dirty-data") == jsonl_records(out / "dirty-data.jsonl"));
    CHECK(broker.record_count("processed-data-output") == counts.processed);
}

namespace {

// Records without the fields that depend on which instance held which
// input partitions: the event-time group and the late flag. With several
// instances each one forms groups from the readings of its own partitions.
std::multiset<std::string> without_event_time(const std::multiset<std::string>& records) {
    static const std::regex fields{R"re(,"late":true|,"group_second":\d+,"group_size":\d+)re"};
    std::multiset<std::string> out;
    for (const auto& record : records) {
        out.insert(std::regex_replace(record, fields, ""));
    }
    return out;
}

// Up to 5 records of each side that the other side lacks, so a failed
// comparison of 100,000 records prints a few lines, not all of them.
std::vector<std::string> differences(const std::multiset<std::string>& actual,
                                     const std::multiset<std::string>& expected) {
    std::vector<std::string> only_actual;
    std::vector<std::string> only_expected;
    std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                        std::back_inserter(only_actual));
    std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                        std::back_inserter(only_expected));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < std::min<std::size_t>(5, only_actual.size()); ++i) {
        out.push_back("unexpected: " + only_actual[i]);
    }
    for (std::size_t i = 0; i < std::min<std::size_t>(5, only_expected.size()); ++i) {
        out.push_back("missing: " + only_expected[i]);
    }
    return out;
}

} // namespace

// Configs of two instances of one consumer group, each with its own
// transactional id, reading 4 input partitions while ingest sends a batch
// of 500 readings every `send_delay_ms`.
std::pair<fs::path, fs::path> two_instance_configs(const fs::path& dir, const kafka_broker& broker,
                                                   int send_delay_ms) {
    const std::string kafka = generated_inputs(dir) + "send_delay_ms = " + std::to_string(send_delay_ms)
                              + "\n[kafka]\nbrokers = \"" + broker.bootstrap()
                              + "\"\n[topics.input]\nname = \"radiation-data\"\npartitions = 4\n"
                                "[process]\ncommit_interval_ms = 200\n";
    const auto second = std::string{kafka}.insert(kafka.find("[topics.input]"),
                                                  "transactional_id = \"radstream-second\"\n");
    return {write_config(dir, "first.toml", kafka), write_config(dir, "second.toml", second)};
}

// Starts `radstream process` with its output in NAME.out and its log in NAME.err.
std::unique_ptr<child_process> start_instance(const fs::path& dir, const fs::path& config, const std::string& name) {
    return std::make_unique<child_process>(
        std::vector<std::string>{RADSTREAM_BINARY, "process", "--config", config.string()},
        dir / (name + ".out"), dir / (name + ".err"));
}

// Waits up to 90 s for NAME.err to contain `text`.
bool logged(const fs::path& dir, const std::string& name, const std::string& text) {
    return radstream::testing::wait_until(
        [&] { return radstream::testing::read_text_file(dir / (name + ".err")).find(text) != std::string::npos; },
        std::chrono::seconds{90});
}

// The processes of a run in which a second instance joins the group.
struct joining_run {
    std::unique_ptr<child_process> first;
    std::unique_ptr<child_process> ingest;
    std::unique_ptr<child_process> second;
};

// Starts the first instance, then ingest once the first reads all 4
// partitions, then the second instance 1.5 s later, while records arrive.
joining_run start_with_joining_instance(const fs::path& dir, const fs::path& first, const fs::path& second) {
    joining_run run;
    run.first = start_instance(dir, first, "first");
    REQUIRE(logged(dir, "first", "reading input partitions 0, 1, 2, 3"));
    run.ingest = std::make_unique<child_process>(
        std::vector<std::string>{RADSTREAM_BINARY, "ingest", "--exit-when-done", "--config", first.string()},
        dir / "ingest.out", dir / "ingest.err");
    std::this_thread::sleep_for(std::chrono::milliseconds{1500});
    run.second = start_instance(dir, second, "second");
    return run;
}

// Waits until the instances serving /metrics on `ports` together have read
// all 4 input partitions to the end (the consumer lag), then stops them,
// which commits the rest.
void stop_when_all_read(const std::vector<int>& ports, std::initializer_list<child_process*> instances) {
    const auto all_read = [&] {
        int partitions = 0;
        double lag = 0;
        for (const int port : ports) {
            std::istringstream metrics(radstream::testing::http_get(port, "/metrics").value_or(""));
            for (std::string line; std::getline(metrics, line);) {
                if (line.starts_with("radstream_consumer_lag_records{")) {
                    ++partitions;
                    lag += std::stod(line.substr(line.rfind(' ') + 1));
                }
            }
        }
        return partitions == 4 && lag == 0;
    };
    REQUIRE(radstream::testing::wait_until(all_read, std::chrono::minutes{3}));
    std::this_thread::sleep_for(std::chrono::seconds{2});
    for (auto* instance : instances) {
        instance->send_signal(SIGTERM);
        CHECK(instance->wait_for(std::chrono::seconds{60}) == 0);
    }
}

TEST_CASE("two instances share the input exactly once", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    const auto counts = generate_readings(dir.path() / "readings.csv", 100'000);
    // The expected records, from an embedded run with the same 4 input
    // partitions, so that every origin (partition@offset) matches.
    run_to_end(dir.path(),
               write_config(dir.path(), "embedded.toml",
                            generated_inputs(dir.path()) + "[embedded]\npartitions = 4\noutput_dir = \""
                                + (dir.path() / "out").string() + "\"\n"),
               "embedded");

    // Ingest takes about 8 s, so that the instances join, abort and
    // restart while records arrive.
    const auto [first, second] = two_instance_configs(dir.path(), broker, 40);
    const auto log_of = [&](const std::string& name) { return radstream::testing::read_text_file(dir.path() / name); };

    // The first instance reads all 4 partitions; a second one joins, both
    // abort, restore and go on with 2 partitions each. Then the first is
    // killed and restarted with its id, so it takes its partitions back.
    auto run = start_with_joining_instance(dir.path(), first, second);
    REQUIRE(logged(dir.path(), "second", "restored state from"));
    INFO(log_of("first.err"));
    REQUIRE(logged(dir.path(), "first", "the input partitions changed from 0, 1, 2, 3 to"));
    std::this_thread::sleep_for(std::chrono::milliseconds{1000});
    run.first->send_signal(SIGKILL);
    REQUIRE(run.first->wait_for(std::chrono::seconds{30}) == 128 + SIGKILL);
    run.first = start_instance(dir.path(), first, "first-again");
    REQUIRE(logged(dir.path(), "first-again", "restored state from"));
    REQUIRE(run.ingest->wait_for(std::chrono::minutes{2}) == 0);

    stop_when_all_read({logged_web_port(dir.path() / "first-again.err"), logged_web_port(dir.path() / "second.err")},
                       {run.first.get(), run.second.get()});
    // Both instances processed records after the rebalance.
    CHECK(parse_summary(log_of("first-again.out")).counts.at("input") > 0);
    CHECK(parse_summary(log_of("second.out")).counts.at("input") > 0);

    const auto out = dir.path() / "out";
    const auto processed = topic_records(broker, "processed-data-output");
    CHECK(processed.size() == counts.processed);
    CHECK(differences(without_event_time(processed),
                      without_event_time(jsonl_records(out / "processed-data-output.jsonl")))
              .empty());
    const auto critical = topic_records(broker, "critical-data");
    CHECK(critical.size() == counts.critical);
    CHECK(differences(without_event_time(critical), without_event_time(jsonl_records(out / "critical-data.jsonl")))
              .empty());
    const auto dirty = topic_records(broker, "dirty-data");
    CHECK(dirty.size() == counts.dirty);
    CHECK(differences(dirty, jsonl_records(out / "dirty-data.jsonl")).empty());
}

TEST_CASE("instances count committed records once", "[kafka]") {
    temp_folder dir;
    kafka_broker broker(dir.path());
    const auto counts = generate_readings(dir.path() / "readings.csv", 40'000);
    // Ingest takes about 8 s, so that the first instance has records in its
    // open transaction when the rebalance makes it abort.
    const auto [first, second] = two_instance_configs(dir.path(), broker, 100);

    auto run = start_with_joining_instance(dir.path(), first, second);
    REQUIRE(logged(dir.path(), "first", "the input partitions changed from 0, 1, 2, 3 to"));
    REQUIRE(run.ingest->wait_for(std::chrono::minutes{2}) == 0);
    stop_when_all_read({logged_web_port(dir.path() / "first.err"), logged_web_port(dir.path() / "second.err")},
                       {run.first.get(), run.second.get()});

    // The records of the transaction aborted by the rebalance were read
    // again, so the counters add up only if the abort took them back.
    const auto first_counts = parse_summary(radstream::testing::read_text_file(dir.path() / "first.out")).counts;
    const auto second_counts = parse_summary(radstream::testing::read_text_file(dir.path() / "second.out")).counts;
    const auto sum = [&](const std::string& name) { return first_counts.at(name) + second_counts.at(name); };
    CHECK(sum("input") == counts.rows);
    CHECK(sum("processed") == counts.processed);
    CHECK(sum("critical") == counts.critical);
    CHECK(sum("dirty") == counts.dirty);
    CHECK(sum("duplicates") == counts.duplicates);
    CHECK(topic_records(broker, "processed-data-output").size() == counts.processed);
    CHECK(topic_records(broker, "critical-data").size() == counts.critical);
    CHECK(topic_records(broker, "dirty-data").size() == counts.dirty);
}
