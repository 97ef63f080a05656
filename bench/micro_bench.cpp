// Micro benchmarks of the engine's hot paths: parsing the real example
// files, and, on generated messages, decoding, the composite key, the
// dedup store, and one operator-graph partition.
//
// Run: build/bench/radstream_bench (see docs/benchmarks.md).

#include "radstream/config/app_config.hpp"
#include "radstream/core/composite_key.hpp"
#include "radstream/graph/counters.hpp"
#include "radstream/graph/record.hpp"
#include "radstream/graph/record_operator.hpp"
#include "radstream/ingest/source.hpp"
#include "radstream/operators/builtin_operators.hpp"
#include "radstream/state/dedup_store.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <malloc.h>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path example(const std::string& relative) {
    return fs::path{RADSTREAM_SOURCE_DIR} / "examples/data" / relative;
}

// Every reading of one input file; the file stays in the page cache
// between iterations, so this measures parsing, not the disk.
std::size_t read_all(const radstream::config::input_config& input) {
    auto source = radstream::ingest::source_registry::instance().create(input);
    radstream::ingest::source_reading reading;
    std::size_t count = 0;
    while (source->next(reading)) {
        ++count;
    }
    return count;
}

// The largest example file of each format, read as radstream.toml reads it.
radstream::config::input_config api_csv() {
    radstream::config::input_config input;
    input.path = example("api-json-fields/safecast-api-2024Q1.csv");
    input.format = "csv";
    input.columns = {{"captured_time", "captured_at"}};
    return input;
}

radstream::config::input_config bgeigie_log() {
    radstream::config::input_config input;
    input.path = example("bgeigie-logs/102-0329.LOG");
    input.format = "bgeigie";
    return input;
}

void parse_file(benchmark::State& state, const radstream::config::input_config& input) {
    const auto bytes = fs::file_size(input.path);
    std::size_t readings = 0;
    for (auto _ : state) {
        readings = read_all(input);
        benchmark::DoNotOptimize(readings);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * readings));
    state.counters["readings"] = static_cast<double>(readings);
}

void BM_parse_csv(benchmark::State& state) {
    parse_file(state, api_csv());
}
BENCHMARK(BM_parse_csv);

void BM_parse_bgeigie(benchmark::State& state) {
    parse_file(state, bgeigie_log());
}
BENCHMARK(BM_parse_bgeigie);

// 100,000 radiation-data messages like ingest writes: each reading at
// its own place and time (250 ms apart), with every 50th a repeat of the
// one before and every 40th out of range, so most readings pass every
// operator. (The real 2024 export is 99.7% repeats, which would measure
// little beyond dedup.)
const std::vector<std::string>& example_messages() {
    static const auto messages = [] {
        std::vector<std::string> out;
        const auto start = std::chrono::sys_days{std::chrono::year{2024} / 1 / 1};
        radstream::ingest::source_reading reading;
        for (int i = 0; i < 100'000; ++i) {
            if (i % 50 == 49) {
                out.push_back(out.back());
                continue;
            }
            const auto captured = start + std::chrono::milliseconds{250LL * i};
            reading.captured_time = radstream::core::format_timestamp(captured);
            reading.captured = captured;
            reading.latitude = i % 40 == 7 ? "95" : std::to_string(35.0 + (i % 1000) * 0.0001);
            reading.longitude = std::to_string(139.0 + (i / 1000) * 0.0001);
            reading.value = std::to_string(20 + i % 60);
            reading.unit = "cpm";
            reading.device_id = std::to_string(100 + i % 7);
            reading.source = "generated.csv:" + std::to_string(i + 2);
            std::string json;
            radstream::ingest::write_reading_json(reading, "2026-12-04T00:00:00Z", json);
            out.push_back(std::move(json));
        }
        return out;
    }();
    return messages;
}

void BM_decode_message(benchmark::State& state) {
    const auto& messages = example_messages();
    std::size_t bytes = 0;
    for (const auto& message : messages) {
        bytes += message.size();
    }
    radstream::graph::record item;
    for (auto _ : state) {
        for (const auto& message : messages) {
            item.payload = message;
            radstream::graph::decode_message(item);
            benchmark::DoNotOptimize(item.key_hash);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * messages.size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_decode_message);

void BM_composite_key(benchmark::State& state) {
    const radstream::core::event_time captured{std::chrono::sys_days{std::chrono::year{2013} / 2 / 2} + 18h};
    double latitude = 34.6260916666667;
    for (auto _ : state) {
        auto key = radstream::core::make_composite_key(latitude, 138.138006666667, 33, captured, "cpm");
        benchmark::DoNotOptimize(key);
        latitude += 1e-9;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_composite_key);

void BM_murmur2_partition(benchmark::State& state) {
    const std::string key = "34.6260916666667|138.138006666667|33|2013-02-02T18:42:29Z|cpm";
    for (auto _ : state) {
        benchmark::DoNotOptimize(radstream::core::kafka_partition_for_key(key, 12));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_murmur2_partition);

// Inserts `keys` distinct keys into a store large enough for all of them,
// then looks each up again (a repeat), and reports the heap bytes the
// store uses per live key, measured with mallinfo2.
void BM_dedup_insert_lookup(benchmark::State& state) {
    const auto keys = static_cast<std::size_t>(state.range(0));
    std::mt19937_64 random(1);
    std::vector<std::uint64_t> hashes(keys);
    for (auto& hash : hashes) {
        hash = random();
    }
    const radstream::core::event_time start{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}};
    double bytes_per_key = 0;
    for (auto _ : state) {
        // Large blocks (the bucket array, the heap's vector) are mapped
        // separately, so both counts are needed.
        const auto heap_bytes = [] {
            const auto info = mallinfo2();
            return info.uordblks + info.hblkhd;
        };
        const auto before = heap_bytes();
        {
            radstream::state::dedup_store store(std::chrono::hours{24 * 7}, keys);
            for (std::size_t i = 0; i < keys; ++i) {
                benchmark::DoNotOptimize(store.insert(hashes[i], start + std::chrono::milliseconds{i}));
            }
            for (std::size_t i = 0; i < keys; ++i) {
                benchmark::DoNotOptimize(store.insert(hashes[i], start + std::chrono::milliseconds{i}));
            }
            bytes_per_key = static_cast<double>(heap_bytes() - before) / static_cast<double>(keys);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * keys * 2));
    state.counters["bytes_per_key"] = bytes_per_key;
}
BENCHMARK(BM_dedup_insert_lookup)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// One in-process partition: the built-in operator chain (dedup, validate,
// enrich, route) on decoded records, as a partition thread runs it.
// Decoding is measured on its own above; the dispatcher does it.
void BM_operator_partition(benchmark::State& state) {
    radstream::config::app_config config;
    radstream::graph::partition_counters counters;
    const radstream::graph::operator_context context{
        config, 0, 1, counters, [] { return radstream::core::event_time{std::chrono::sys_days{std::chrono::year{2026} / 12 / 4}}; }};
    std::vector<radstream::graph::record> decoded;
    for (const auto& message : example_messages()) {
        radstream::graph::record item;
        item.payload = message;
        radstream::graph::decode_message(item);
        decoded.push_back(std::move(item));
    }
    std::vector<radstream::graph::record> batch;
    for (auto _ : state) {
        state.PauseTiming();
        // A fresh chain each round, so dedup treats the keys as new.
        std::vector<std::unique_ptr<radstream::graph::record_operator>> chain;
        for (const auto& name : config.process.operators) {
            chain.push_back(radstream::graph::operator_registry::instance().create(name, context));
        }
        batch = decoded;
        state.ResumeTiming();
        for (auto& item : batch) {
            for (auto& op : chain) {
                if (item.state == radstream::graph::disposition::pass || op->sees_rejected()) {
                    op->process(item);
                }
            }
        }
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * decoded.size()));
}
BENCHMARK(BM_operator_partition)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
