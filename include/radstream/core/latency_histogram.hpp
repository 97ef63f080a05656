#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace radstream::core {

// A latency distribution with fixed log-linear buckets: exact below 16 µs,
// then 8 buckets per power of two, so a reported quantile is at most 12.5%
// above the true value. Any thread may record and read; recording is a few
// relaxed atomic adds and takes no lock.
class latency_histogram {
public:
    static constexpr std::size_t bucket_count = 16 + 37 * 8;  // up to 2^41 µs, about 25 days

    // Adds one observation; negative durations count as zero.
    void record(std::chrono::steady_clock::duration latency);

    // Microseconds. A quantile is the upper bound of the bucket holding
    // it, capped at the largest observation; all are 0 when nothing was
    // recorded.
    struct summary {
        std::uint64_t count = 0;
        std::uint64_t sum_micros = 0;
        std::uint64_t max_micros = 0;
        std::uint64_t p50_micros = 0;
        std::uint64_t p90_micros = 0;
        std::uint64_t p99_micros = 0;
        std::uint64_t p999_micros = 0;
    };
    summary summarize() const;

    // The bucket of a latency in microseconds, and the largest value a
    // bucket holds; public for tests.
    static std::size_t bucket_of(std::uint64_t micros);
    static std::uint64_t bucket_upper_bound(std::size_t bucket);

private:
    std::array<std::atomic<std::uint64_t>, bucket_count> buckets_{};
    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::uint64_t> sum_micros_{0};
    std::atomic<std::uint64_t> max_micros_{0};
};

} // namespace radstream::core
