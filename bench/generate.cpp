// Writes N Safecast-like readings as a Safecast bulk-export CSV, by
// resampling the real example readings. Each output row takes the value,
// unit and device of one real reading, in turn. Its capture time is 250 ms
// after the row before, and its position is jittered around the real one,
// so every row has its own composite key. At the configured rates it adds
// exact repeats of an earlier row (duplicates), rows with a latitude out of
// range (dirty) and rows 60 s older than their neighbours (late).
//
//   radstream_generate --rows 1000000 --out readings.csv
//
// Prints the counts it wrote as one JSON object, so a benchmark can check
// radstream's summary against them.

#include "radstream/config/app_config.hpp"
#include "radstream/ingest/source.hpp"

#include <CLI/CLI.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/os.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

struct base_reading {
    double latitude = 0;
    double longitude = 0;
    std::string value;
    std::string unit;
    std::string device_id;
};

// The valid-looking readings of the real example files: those with a
// capture time, a position and a value.
std::vector<base_reading> load_examples(const std::filesystem::path& data) {
    std::vector<radstream::config::input_config> inputs(3);
    inputs[0].path = data / "bgeigie-logs/102-0329.LOG";
    inputs[0].format = "bgeigie";
    inputs[1].path = data / "bgeigie-logs/007-0601.LOG";
    inputs[1].format = "bgeigie";
    inputs[2].path = data / "api-csv-export/safecast-dump-2.csv";
    inputs[2].format = "safecast_csv";
    std::vector<base_reading> out;
    for (const auto& input : inputs) {
        auto source = radstream::ingest::source_registry::instance().create(input);
        radstream::ingest::source_reading reading;
        while (source->next(reading)) {
            if (!reading.defect.empty() || !reading.captured || reading.latitude.empty() || reading.value.empty()) {
                continue;
            }
            try {
                out.push_back({std::stod(reading.latitude), std::stod(reading.longitude), reading.value,
                               reading.unit.empty() ? "cpm" : reading.unit, reading.device_id});
            } catch (const std::exception&) {
                // A position that is not a number is no base for resampling.
            }
        }
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Writes N Safecast-like readings resampled from the real example data"};
    std::int64_t rows = 1'000'000;
    std::string out_path = "readings.csv";
    std::string data = std::string{RADSTREAM_SOURCE_DIR} + "/examples/data";
    std::int64_t duplicate_every = 50;
    std::int64_t dirty_every = 40;
    std::int64_t late_every = 1000;
    cli.add_option("--rows", rows, "Rows to write")->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
    cli.add_option("--out", out_path, "Output CSV file");
    cli.add_option("--data", data, "Folder of the real example data");
    cli.add_option("--duplicate-every", duplicate_every, "Every Nth row repeats an earlier one (0: never)");
    cli.add_option("--dirty-every", dirty_every, "Every Nth row has a latitude out of range (0: never)");
    cli.add_option("--late-every", late_every, "Every Nth row is 60 s older than its neighbours (0: never)");
    CLI11_PARSE(cli, argc, argv);

    const auto bases = load_examples(data);
    if (bases.empty()) {
        std::fprintf(stderr, "radstream_generate: no usable readings under %s; check --data\n", data.c_str());
        return 1;
    }
    auto out = fmt::output_file(out_path);
    out.print("Captured Time,Latitude,Longitude,Value,Unit,Location Name,Device ID,MD5Sum,Height,Surface,Radiation,"
              "Uploaded Time,Loader ID\n");
    const auto start = std::chrono::sys_days{std::chrono::year{2024} / 1 / 1};
    std::int64_t duplicates = 0;
    std::int64_t dirty = 0;
    std::int64_t late = 0;
    std::string last_on_time;
    for (std::int64_t i = 0; i < rows; ++i) {
        if (duplicate_every > 0 && i % duplicate_every == duplicate_every - 1 && !last_on_time.empty()) {
            out.print("{}", last_on_time);
            ++duplicates;
            continue;
        }
        const auto& base = bases[static_cast<std::size_t>(i) % bases.size()];
        const bool is_dirty = dirty_every > 0 && i % dirty_every == 7 % dirty_every;
        const bool is_late = !is_dirty && late_every > 0 && i % late_every == late_every / 2;
        auto captured = start + std::chrono::milliseconds{250 * i};
        if (is_late) {
            captured -= std::chrono::seconds{60};
        }
        // Jitter of up to about 110 m, different for every row.
        const double latitude = is_dirty ? 95.0 : base.latitude + static_cast<double>(i % 1000) * 1e-6;
        const double longitude = base.longitude + static_cast<double>((i / 1000) % 1000) * 1e-6;
        const std::string row = fmt::format("{:%Y-%m-%dT%H:%M:%S}Z,{:.7f},{:.7f},{},{},,{},,,,,,\n",
                                            std::chrono::floor<std::chrono::seconds>(captured), latitude, longitude,
                                            base.value, base.unit, base.device_id);
        out.print("{}", row);
        dirty += is_dirty ? 1 : 0;
        late += is_late ? 1 : 0;
        if (!is_dirty && !is_late) {
            last_on_time = row;
        }
    }
    out.close();
    std::printf("{\"rows\":%lld,\"duplicates\":%lld,\"dirty\":%lld,\"late\":%lld}\n", static_cast<long long>(rows),
                static_cast<long long>(duplicates), static_cast<long long>(dirty), static_cast<long long>(late));
    return 0;
}
