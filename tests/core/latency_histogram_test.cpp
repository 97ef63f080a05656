#include "radstream/core/latency_histogram.hpp"

#include <catch2/catch.hpp>

using radstream::core::latency_histogram;
using namespace std::chrono_literals;

TEST_CASE("latency buckets bound their values", "[core]") {
    // 1000 µs lies in [960, 1024): exponent 9, sub-bucket (1000 >> 6) & 7 = 7.
    CHECK(latency_histogram::bucket_upper_bound(latency_histogram::bucket_of(1000)) == 1023);
    // 100000 µs lies in [98304, 106496): exponent 16, sub-bucket 4.
    CHECK(latency_histogram::bucket_upper_bound(latency_histogram::bucket_of(100000)) == 106495);
    CHECK(latency_histogram::bucket_of(15) == 15);
    CHECK(latency_histogram::bucket_of(16) == 16);
    for (std::uint64_t micros : {0ULL, 7ULL, 16ULL, 17ULL, 999ULL, 123456ULL, 1ULL << 40}) {
        const auto bucket = latency_histogram::bucket_of(micros);
        INFO("micros " << micros);
        CHECK(latency_histogram::bucket_upper_bound(bucket) >= micros);
        CHECK(static_cast<double>(latency_histogram::bucket_upper_bound(bucket)) <= static_cast<double>(micros) * 1.125 + 1);
    }
}

TEST_CASE("latency quantiles from hand-worked counts", "[core]") {
    latency_histogram histogram;
    for (int i = 0; i < 90; ++i) {
        histogram.record(1000us);
    }
    for (int i = 0; i < 10; ++i) {
        histogram.record(100ms);
    }
    const auto summary = histogram.summarize();
    CHECK(summary.count == 100);
    CHECK(summary.sum_micros == 90 * 1000 + 10 * 100000);
    CHECK(summary.max_micros == 100000);
    // Ranks 50 and 90 fall in the bucket of 1000 µs, reported by its upper bound.
    CHECK(summary.p50_micros == 1023);
    CHECK(summary.p90_micros == 1023);
    // Rank 99 falls in the bucket of 100 ms, capped at the largest value.
    CHECK(summary.p99_micros == 100000);
    CHECK(summary.p999_micros == 100000);
}

TEST_CASE("latency histogram empty and negative", "[core]") {
    latency_histogram histogram;
    CHECK(histogram.summarize().count == 0);
    CHECK(histogram.summarize().p99_micros == 0);
    histogram.record(-5ms);
    const auto summary = histogram.summarize();
    CHECK(summary.count == 1);
    CHECK(summary.max_micros == 0);
    CHECK(summary.p50_micros == 0);
}
