#include "radstream/config/app_config.hpp"

#include "radstream/core/composite_key.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <unistd.h>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

namespace radstream::config {
namespace {

std::string join_problems(const std::vector<std::string>& problems) {
    std::string text = fmt::format("invalid configuration ({} problem{})", problems.size(),
                                   problems.size() == 1 ? "" : "s");
    for (const auto& problem : problems) {
        text += "\n  ";
        text += problem;
    }
    return text;
}

// The environment variable that set a config value, for messages.
struct environment_origin {
    std::string variable;
    std::string text;  // the value as written, for keys that take a string
};
using environment_origins = std::map<const toml::node*, environment_origin>;

// Reads the keys of one TOML table into a section struct. Each read checks
// the type and range and records a located problem instead of throwing, so
// one run reports every mistake. finish() reports the keys that no read took.
class table_reader {
public:
    table_reader(const toml::table* table, std::string path, const std::string& file,
                 std::vector<std::string>& problems, const environment_origins& origins)
        : table_(table), path_(std::move(path)), file_(file), problems_(problems), origins_(origins) {}

    bool present() const { return table_ != nullptr; }

    void read(std::string_view key, int& out, std::int64_t min, std::int64_t max) {
        std::int64_t wide = out;
        read(key, wide, min, max);
        out = static_cast<int>(wide);
    }

    void read(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max) {
        const toml::node* node = take(key);
        if (node == nullptr) {
            return;
        }
        const auto value = node->value<std::int64_t>();
        if (!node->is_integer() || !value) {
            report(*node, key, fmt::format("expected an integer in [{}, {}]", min, max));
        } else if (*value < min || *value > max) {
            report(*node, key, fmt::format("value {} outside [{}, {}]", *value, min, max));
        } else {
            out = *value;
        }
    }

    void read(std::string_view key, double& out, double min, double max) {
        const toml::node* node = take(key);
        if (node == nullptr) {
            return;
        }
        const auto value = node->value<double>();
        if (!(node->is_floating_point() || node->is_integer()) || !value) {
            report(*node, key, fmt::format("expected a number in [{}, {}]", min, max));
        } else if (!(*value >= min && *value <= max)) {
            report(*node, key, fmt::format("value {} outside [{}, {}]", *value, min, max));
        } else {
            out = *value;
        }
    }

    void read(std::string_view key, bool& out) {
        const toml::node* node = take(key);
        if (node == nullptr) {
            return;
        }
        if (!node->is_boolean()) {
            report(*node, key, "expected true or false");
        } else {
            out = *node->value<bool>();
        }
    }

    void read(std::string_view key, std::string& out) {
        const toml::node* node = take(key);
        if (node == nullptr) {
            return;
        }
        const auto origin = origins_.find(node);
        if (node->is_string()) {
            out = *node->value<std::string>();
        } else if (origin != origins_.end()) {
            out = origin->second.text;  // RADSTREAM_KAFKA__GROUP_ID=42 means the string "42"
        } else {
            report(*node, key, "expected a string");
        }
    }

    void read(std::string_view key, std::chrono::milliseconds& out, std::int64_t max_ms) {
        std::int64_t value = out.count();
        read(key, value, 0, max_ms);
        out = std::chrono::milliseconds{value};
    }

    void read(std::string_view key, std::chrono::seconds& out, std::int64_t min_s, std::int64_t max_s) {
        std::int64_t value = out.count();
        read(key, value, min_s, max_s);
        out = std::chrono::seconds{value};
    }

    void read_time(std::string_view key, core::event_time& out) {
        const toml::node* node = take(key);
        if (node == nullptr) {
            return;
        }
        const auto text = node->value<std::string>();
        const auto parsed = text ? core::parse_timestamp(*text) : std::nullopt;
        if (!node->is_string() || !parsed) {
            report(*node, key, "expected an ISO-8601 UTC time string such as \"2011-03-01T00:00:00Z\"");
        } else {
            out = *parsed;
        }
    }

    // Reads an array of strings, each one of `allowed` when it is not empty.
    void read_list(std::string_view key, std::vector<std::string>& out, const std::set<std::string>& allowed = {}) {
        const toml::node* node = take(key);
        if (node == nullptr) {
            return;
        }
        const toml::array* array = node->as_array();
        if (array == nullptr) {
            report(*node, key, "expected an array of strings");
            return;
        }
        std::vector<std::string> values;
        for (const auto& item : *array) {
            const auto text = item.value<std::string>();
            if (!item.is_string() || !text) {
                report(item, key, "expected an array of strings");
                return;
            }
            if (!allowed.empty() && !allowed.contains(*text)) {
                report(item, key, fmt::format("unknown name \"{}\"; use one of: {}", *text, fmt::join(allowed, ", ")));
                return;
            }
            values.push_back(*text);
        }
        out = std::move(values);
    }

    // Reads a table whose values are all strings or all numbers.
    template<typename T>
    void read_map(std::string_view key, std::map<std::string, T>& out) {
        const toml::node* node = take(key);
        if (node == nullptr) {
            return;
        }
        const toml::table* table = node->as_table();
        if (table == nullptr) {
            report(*node, key, "expected a table");
            return;
        }
        for (const auto& [name, value] : *table) {
            const auto typed = value.template value<T>();
            if (!typed) {
                report(value, fmt::format("{}.{}", key, name.str()),
                       std::is_same_v<T, std::string> ? "expected a string" : "expected a number");
                continue;
            }
            out[std::string{name.str()}] = *typed;
        }
    }

    table_reader sub(std::string_view key) {
        const toml::node* node = take(key);
        if (node != nullptr && !node->is_table()) {
            report(*node, key, "expected a table");
            node = nullptr;
        }
        return table_reader{node ? node->as_table() : nullptr, qualified(key), file_, problems_, origins_};
    }

    const toml::node* take_node(std::string_view key) { return take(key); }

    // The node at `key` without marking it read.
    const toml::node* peek(std::string_view key) const { return table_ ? table_->get(key) : nullptr; }

    // Reads a string that must be one of `allowed`.
    void read_choice(std::string_view key, std::string& out, const std::set<std::string>& allowed) {
        const toml::node* node = table_ ? table_->get(key) : nullptr;
        std::string value = out;
        read(key, value);
        if (node != nullptr && node->is_string() && !allowed.contains(value)) {
            report(*node, key, fmt::format("unknown value \"{}\"; use one of: {}", value, fmt::join(allowed, ", ")));
            return;
        }
        out = value;
    }

    // A reader for one table inside an array read by this reader.
    table_reader item(const toml::node& node, std::string path) {
        return table_reader{node.as_table(), std::move(path), file_, problems_, origins_};
    }

    // Reports a problem at `key` when the file sets it, else at the table.
    void report_key(std::string_view key, std::string_view what) {
        const toml::node* node = table_ ? table_->get(key) : nullptr;
        if (node != nullptr) {
            report(*node, key, what);
        } else if (table_ != nullptr) {
            report(*table_, key, what);
        } else {
            problems_.push_back(fmt::format("{}: {}: {}", file_, qualified(key), what));
        }
    }

    void report(const toml::node& node, std::string_view key, std::string_view what) {
        const auto origin = origins_.find(&node);
        if (origin != origins_.end()) {
            problems_.push_back(
                fmt::format("environment variable {}: {}: {}", origin->second.variable, qualified(key), what));
            return;
        }
        const auto& where = node.source().begin;
        problems_.push_back(fmt::format("{}:{}:{}: {}: {}", file_, where.line, where.column, qualified(key), what));
    }

    void finish() {
        if (table_ == nullptr) {
            return;
        }
        for (const auto& [key, node] : *table_) {
            if (!seen_.contains(std::string{key.str()})) {
                const auto origin = origins_.find(&node);
                if (origin != origins_.end()) {
                    problems_.push_back(fmt::format("environment variable {}: {}: unknown key; check the spelling "
                                                    "against docs/configuration.md",
                                                    origin->second.variable, qualified(key.str())));
                    continue;
                }
                const auto& where = key.source().begin;
                problems_.push_back(fmt::format("{}:{}:{}: {}: unknown key; check the spelling against "
                                                "docs/configuration.md",
                                                file_, where.line, where.column, qualified(key.str())));
            }
        }
    }

private:
    const toml::node* take(std::string_view key) {
        if (table_ == nullptr) {
            return nullptr;
        }
        seen_.insert(std::string{key});
        return table_->get(key);
    }

    std::string qualified(std::string_view key) const {
        return path_.empty() ? std::string{key} : fmt::format("{}.{}", path_, key);
    }

    const toml::table* table_;
    std::string path_;
    const std::string& file_;
    std::vector<std::string>& problems_;
    const environment_origins& origins_;
    std::set<std::string> seen_;
};

const std::set<std::string> known_fields{"captured_time", "latitude",      "longitude", "value",
                                         "unit",          "device_id",     "location_name", "height"};

// Reads one topic: either its name as a string, or a table with its name
// and the settings used to create or check it in Kafka.
void read_topic(table_reader& topics, std::string_view role, std::string& name, topic_settings& settings) {
    const toml::node* node = topics.peek(role);
    if (node == nullptr || !node->is_table()) {
        topics.read(role, name);
        return;
    }
    auto table = topics.sub(role);
    table.read("name", name);
    table.read("partitions", settings.partitions, 1, 100'000);
    table.read("replication_factor", settings.replication_factor, 1, 100);
    table.read("retention_ms", settings.retention_ms, -1, std::numeric_limits<std::int64_t>::max());
    table.finish();
}

// Reads the [[inputs]] array: one table per file, checked like any section.
void read_inputs(table_reader& root, app_config& config, const std::filesystem::path& base) {
    const toml::node* node = root.take_node("inputs");
    if (node == nullptr) {
        return;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
        root.report(*node, "inputs", "expected an array of tables ([[inputs]])");
        return;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& item = *array->get(i);
        const std::string path = fmt::format("inputs[{}]", i);
        if (!item.is_table()) {
            root.report(item, path, "expected a table");
            continue;
        }
        table_reader reader = root.item(item, path);
        input_config input;
        std::string file;
        reader.read("path", file);
        reader.read("format", input.format);
        reader.read_map("columns", input.columns);
        reader.read_map("defaults", input.defaults);
        reader.finish();

        if (file.empty()) {
            root.report(item, path + ".path", "missing; name the input file");
        } else {
            input.path = std::filesystem::path{file}.is_absolute() ? std::filesystem::path{file} : base / file;
        }
        if (input.format.empty()) {
            root.report(item, path + ".format", "missing; use safecast_csv, csv or bgeigie");
        }
        for (const auto& [field, column] : input.columns) {
            if (!known_fields.contains(field)) {
                root.report(item, fmt::format("{}.columns.{}", path, field),
                            fmt::format("unknown field; use one of: {}", fmt::join(known_fields, ", ")));
            }
        }
        for (const auto& [field, value] : input.defaults) {
            if (!known_fields.contains(field)) {
                root.report(item, fmt::format("{}.defaults.{}", path, field),
                            fmt::format("unknown field; use one of: {}", fmt::join(known_fields, ", ")));
            }
        }
        config.inputs.push_back(std::move(input));
    }
}

void read_sections(table_reader& root, app_config& config, const std::filesystem::path& base) {
    auto kafka = root.sub("kafka");
    kafka.read("brokers", config.kafka.brokers);
    kafka.read("group_id", config.kafka.group_id);
    kafka.read("transactional_id", config.kafka.transactional_id);
    kafka.read_choice("compression", config.kafka.compression, {"none", "gzip", "snappy", "lz4", "zstd"});
    kafka.read("linger_ms", config.kafka.linger, 60'000);
    kafka.read("batch_size_bytes", config.kafka.batch_size_bytes, 1, 1 << 30);
    kafka.read("startup_timeout_seconds", config.kafka.startup_timeout, 0, 24 * 3600);
    kafka.read_map("client", config.kafka.client);
    kafka.finish();

    auto topics = root.sub("topics");
    read_topic(topics, "input", config.topics.input, config.topics.input_settings);
    read_topic(topics, "processed", config.topics.processed, config.topics.processed_settings);
    read_topic(topics, "critical", config.topics.critical, config.topics.critical_settings);
    read_topic(topics, "dirty", config.topics.dirty, config.topics.dirty_settings);
    topics.finish();

    auto embedded = root.sub("embedded");
    embedded.read("partitions", config.embedded.partitions, 1, 1024);
    embedded.read("partition_capacity", config.embedded.partition_capacity, 16, 10'000'000);
    std::string output_dir = config.embedded.output_dir.string();
    embedded.read("output_dir", output_dir);
    config.embedded.output_dir =
        std::filesystem::path{output_dir}.is_absolute() ? std::filesystem::path{output_dir} : base / output_dir;
    embedded.finish();

    read_inputs(root, config, base);

    auto ingest = root.sub("ingest");
    ingest.read("batch_size", config.ingest.batch_size, 1, 1'000'000);
    ingest.read("send_delay_ms", config.ingest.send_delay, 3'600'000);
    ingest.read("playback_speed", config.ingest.playback_speed, 0.0, 1e9);
    ingest.read("playback_max_pause_ms", config.ingest.playback_max_pause, 3'600'000);
    ingest.read("sort_by_capture_time", config.ingest.sort_by_capture_time);
    ingest.read("chunk_records", config.ingest.chunk_records, 1, 10'000'000);
    ingest.finish();

    auto process = root.sub("process");
    process.read("partitions", config.process.partitions, 1, 256);
    process.read_list("operators", config.process.operators);
    process.read("queue_capacity", config.process.queue_capacity, 1, 1'000'000);
    std::string processing = "exactly_once";
    process.read_choice("guarantee", processing, {"exactly_once", "at_least_once"});
    config.process.processing = processing == "at_least_once" ? guarantee::at_least_once : guarantee::exactly_once;
    process.read("commit_interval_ms", config.process.commit_interval, 3'600'000);
    process.finish();

    auto dedup = root.sub("dedup");
    dedup.read("ttl_seconds", config.dedup.ttl, 1, 10LL * 365 * 24 * 3600);
    dedup.read("max_entries", config.dedup.max_entries, 1, 1'000'000'000);
    dedup.finish();

    auto validate = root.sub("validate");
    validate.read_time("min_capture_time", config.validate.min_capture_time);
    validate.read("max_clock_skew_seconds", config.validate.max_clock_skew, 0, 10LL * 365 * 24 * 3600);
    validate.read("reject_null_island", config.validate.reject_null_island);
    std::map<std::string, double> units;
    validate.read_map("units", units);
    for (const auto& [unit, factor] : units) {
        if (!(factor > 0)) {
            validate.report_key("units", fmt::format("conversion factor {} of unit \"{}\" must be above 0", factor, unit));
        }
        config.validate.units[core::normalize_unit(unit)] = factor;
    }
    validate.read("raw_max_bytes", config.validate.raw_max_bytes, 0, 1 << 20);
    validate.finish();

    auto enrich = root.sub("enrich");
    enrich.read("moderate_cpm", config.enrich.moderate_cpm, 0.0, 1e12);
    enrich.read("high_cpm", config.enrich.high_cpm, 0.0, 1e12);
    enrich.read("critical_cpm", config.enrich.critical_cpm, 0.0, 1e12);
    enrich.read("cpm_per_usvh", config.enrich.cpm_per_usvh, 1e-9, 1e12);
    if (!(config.enrich.moderate_cpm < config.enrich.high_cpm)) {
        enrich.report_key(enrich.peek("high_cpm") ? "high_cpm" : "moderate_cpm",
                          fmt::format("enrich.moderate_cpm ({}) must be below enrich.high_cpm ({})",
                                      config.enrich.moderate_cpm, config.enrich.high_cpm));
    }
    enrich.finish();

    auto event_time = root.sub("event_time");
    event_time.read("enabled", config.event_time.enabled);
    event_time.read("out_of_orderness_ms", config.event_time.out_of_orderness, 24LL * 3600 * 1000);
    event_time.read("idle_timeout_ms", config.event_time.idle_timeout, 24LL * 3600 * 1000);
    std::string late = "flag";
    event_time.read_choice("late_readings", late, {"flag", "dirty", "topic"});
    if (late == "dirty") {
        config.event_time.late = late_policy::dirty;
    } else if (late == "topic") {
        config.event_time.late = late_policy::topic;
    } else {
        config.event_time.late = late_policy::flag;
    }
    event_time.read("late_topic", config.event_time.late_topic);
    event_time.read("alignment_buffer_records", config.event_time.alignment_buffer_records, 1, 100'000'000);
    event_time.finish();

    auto web = root.sub("web");
    web.read("enabled", config.web.enabled);
    web.read("address", config.web.address);
    web.read("port", config.web.port, 0, 65535);
    web.read("batch_interval_ms", config.web.batch_interval, 60'000);
    web.read("client_queue_batches", config.web.client_queue_batches, 1, 100'000);
    web.read("max_batch_readings", config.web.max_batch_readings, 1, 10'000'000);
    web.finish();

    auto pipeline = root.sub("pipeline");
    pipeline.read_list("sinks", config.sinks);
    pipeline.finish();

    auto log = root.sub("log");
    log.read_choice("level", config.log.level, {"trace", "debug", "info", "warn", "error", "off"});
    log.read_choice("format", config.log.format, {"text", "json"});
    log.read("progress_interval_ms", config.log.progress_interval, 24LL * 3600 * 1000);
    log.finish();

    auto shutdown = root.sub("shutdown");
    shutdown.read("timeout_ms", config.shutdown.timeout, 24LL * 3600 * 1000);
    shutdown.finish();
}

// Sets the keys that RADSTREAM_<SECTION>__<KEY> variables name (`__`
// between levels, any case) in the parsed file, before it is read, so they
// are checked like the file's own keys. A value is read as a TOML value
// (42, true, ["a"]) when it parses as one, else as a string.
void override_from_environment(toml::table& root, char** environment, environment_origins& origins,
                               std::vector<std::string>& problems) {
    constexpr std::string_view prefix = "RADSTREAM_";
    for (char** entry = environment; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text{*entry};
        const auto equals = text.find('=');
        const std::string_view name = text.substr(0, equals);
        if (equals == std::string_view::npos || !name.starts_with(prefix) || name.find("__") == std::string_view::npos) {
            continue;
        }
        const std::string value{text.substr(equals + 1)};

        std::vector<std::string> path;
        std::string_view rest = name.substr(prefix.size());
        for (auto split = rest.find("__");; split = rest.find("__")) {
            std::string part{rest.substr(0, split)};
            for (char& c : part) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            path.push_back(std::move(part));
            if (split == std::string_view::npos) {
                break;
            }
            rest = rest.substr(split + 2);
        }
        if (std::any_of(path.begin(), path.end(), [](const std::string& part) { return part.empty(); })) {
            problems.push_back(fmt::format("environment variable {}: expected RADSTREAM_<SECTION>__<KEY>, such as "
                                           "RADSTREAM_WEB__PORT",
                                           name));
            continue;
        }

        toml::table* table = &root;
        std::string where;
        for (std::size_t level = 0; level + 1 < path.size() && table != nullptr; ++level) {
            where += (where.empty() ? "" : ".") + path[level];
            if (table->get(path[level]) == nullptr) {
                table->insert(path[level], toml::table{});
                origins[table->get(path[level])] = {std::string{name}, value};
            }
            table = table->get(path[level])->as_table();
            if (table == nullptr) {
                problems.push_back(fmt::format("environment variable {}: {} is not a table, so it has no key \"{}\"",
                                               name, where, path.back()));
            }
        }
        if (table == nullptr) {
            continue;
        }

        toml::table parsed;
        try {
            parsed = toml::parse("value = " + value);
        } catch (const toml::parse_error&) {
            parsed.insert_or_assign("value", value);
        }
        table->insert_or_assign(path.back(), std::move(*parsed.get("value")));
        origins[table->get(path.back())] = {std::string{name}, value};
    }
}

} // namespace

config_error::config_error(std::vector<std::string> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems)) {}

app_config parse_config(std::string_view text, const std::string& name, const std::filesystem::path& base,
                        char** environment) {
    toml::table root;
    try {
        root = toml::parse(text, name);
    } catch (const toml::parse_error& error) {
        const auto& where = error.source().begin;
        throw config_error({fmt::format("{}:{}:{}: {}; fix the TOML syntax", name, where.line, where.column,
                                        error.description())});
    }

    app_config config;
    config.file = name;
    std::vector<std::string> problems;
    environment_origins origins;
    override_from_environment(root, environment, origins, problems);
    table_reader reader{&root, "", name, problems, origins};
    read_sections(reader, config, base);
    reader.finish();
    if (!problems.empty()) {
        throw config_error(std::move(problems));
    }
    return config;
}

std::string process_instance_id(const app_config& config) {
    return config.kafka.transactional_id.empty() ? "radstream-" + config.kafka.group_id : config.kafka.transactional_id;
}

app_config load_config(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw config_error({fmt::format("{}: cannot open the config file; check the --config path", file.string())});
    }
    std::ostringstream text;
    text << in.rdbuf();
    app_config config = parse_config(text.str(), file.string(), file.parent_path(), environ);
    apply_environment(config, environ);
    return config;
}

void apply_environment(app_config& config, char** environment) {
    constexpr std::string_view client_prefix = "RADSTREAM_KAFKA_CLIENT_";
    for (char** entry = environment; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text{*entry};
        const auto equals = text.find('=');
        if (equals == std::string_view::npos) {
            continue;
        }
        const std::string_view name = text.substr(0, equals);
        const std::string value{text.substr(equals + 1)};
        if (name == "RADSTREAM_KAFKA_BROKERS") {
            config.kafka.brokers = value;
        } else if (name == "RADSTREAM_KAFKA_GROUP_ID") {
            config.kafka.group_id = value;
        } else if (name.starts_with(client_prefix) && name.size() > client_prefix.size()) {
            // SASL_PASSWORD names the librdkafka property sasl.password.
            std::string property{name.substr(client_prefix.size())};
            for (char& c : property) {
                c = c == '_' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            config.kafka.client[property] = value;
        }
    }
}

} // namespace radstream::config
