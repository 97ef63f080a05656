#include "radstream/core/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <vector>

namespace radstream::core {
namespace {

constexpr std::uint64_t linear_limit = 16;  // values below it get a bucket each
constexpr int sub_bucket_bits = 3;          // 8 buckets per power of two

} // namespace

std::size_t latency_histogram::bucket_of(std::uint64_t micros) {
    if (micros < linear_limit) {
        return static_cast<std::size_t>(micros);
    }
    const int exponent = std::bit_width(micros) - 1;  // 4 or more here
    const auto sub_bucket = (micros >> (exponent - sub_bucket_bits)) & ((1U << sub_bucket_bits) - 1);
    const auto bucket = linear_limit + static_cast<std::size_t>(exponent - 4) * 8 + sub_bucket;
    return std::min<std::size_t>(bucket, bucket_count - 1);
}

std::uint64_t latency_histogram::bucket_upper_bound(std::size_t bucket) {
    if (bucket < linear_limit) {
        return bucket;
    }
    const auto exponent = static_cast<int>((bucket - linear_limit) / 8) + 4;
    const auto sub_bucket = (bucket - linear_limit) % 8;
    return ((8 + sub_bucket + 1) << (exponent - sub_bucket_bits)) - 1;
}

void latency_histogram::record(std::chrono::steady_clock::duration latency) {
    const auto micros = static_cast<std::uint64_t>(
        std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(latency).count()));
    buckets_[bucket_of(micros)].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_micros_.fetch_add(micros, std::memory_order_relaxed);
    auto seen = max_micros_.load(std::memory_order_relaxed);
    while (micros > seen && !max_micros_.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
    }
}

latency_histogram::summary latency_histogram::summarize() const {
    // Copy first, so every quantile comes from the same counts even while
    // other threads record.
    std::vector<std::uint64_t> counts(bucket_count);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < bucket_count; ++i) {
        counts[i] = buckets_[i].load(std::memory_order_relaxed);
        total += counts[i];
    }

    summary out;
    out.count = total;
    out.sum_micros = sum_micros_.load(std::memory_order_relaxed);
    out.max_micros = max_micros_.load(std::memory_order_relaxed);
    if (total == 0) {
        return out;
    }

    const auto quantile = [&](double q) {
        const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total))));
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < bucket_count; ++i) {
            seen += counts[i];
            if (seen >= rank) {
                return std::min(bucket_upper_bound(i), out.max_micros);
            }
        }
        return out.max_micros;
    };
    out.p50_micros = quantile(0.50);
    out.p90_micros = quantile(0.90);
    out.p99_micros = quantile(0.99);
    out.p999_micros = quantile(0.999);
    return out;
}

} // namespace radstream::core
