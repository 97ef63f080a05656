#include "radstream/core/composite_key.hpp"

#include "radstream/core/json_writer.hpp"

#include <cstring>

namespace radstream::core {

std::string make_composite_key(double latitude, double longitude, double value, event_time captured,
                               std::string_view normal_unit) {
    std::string key;
    key.reserve(64);
    append_json_number(key, latitude);
    key.push_back('|');
    append_json_number(key, longitude);
    key.push_back('|');
    append_json_number(key, value);
    key.push_back('|');
    append_timestamp(key, captured);
    key.push_back('|');
    key.append(normal_unit);
    return key;
}

std::string normalize_unit(std::string_view unit) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
    while (!unit.empty() && is_space(unit.front())) {
        unit.remove_prefix(1);
    }
    while (!unit.empty() && is_space(unit.back())) {
        unit.remove_suffix(1);
    }
    std::string out;
    out.reserve(unit.size());
    for (std::size_t i = 0; i < unit.size(); ++i) {
        const auto c = static_cast<unsigned char>(unit[i]);
        const bool has_next = i + 1 < unit.size();
        const auto next = has_next ? static_cast<unsigned char>(unit[i + 1]) : 0;
        if ((c == 0xC2 && next == 0xB5) || (c == 0xCE && next == 0xBC)) {
            out.push_back('u');
            ++i;
        } else if (c >= 'A' && c <= 'Z') {
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

std::uint32_t murmur2(std::string_view data) {
    constexpr std::uint32_t seed = 0x9747b28c;
    constexpr std::uint32_t m = 0x5bd1e995;
    constexpr int r = 24;

    const auto length = static_cast<std::uint32_t>(data.size());
    std::uint32_t h = seed ^ length;
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    const std::size_t whole_words = data.size() / 4;
    for (std::size_t i = 0; i < whole_words; ++i) {
        // Little-endian word, as the Java implementation assembles it.
        std::uint32_t k = bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16)
                          | (static_cast<std::uint32_t>(bytes[4 * i + 3]) << 24);
        k *= m;
        k ^= k >> r;
        k *= m;
        h *= m;
        h ^= k;
    }
    const std::size_t tail = whole_words * 4;
    switch (data.size() % 4) {
    case 3: h ^= static_cast<std::uint32_t>(bytes[tail + 2]) << 16; [[fallthrough]];
    case 2: h ^= static_cast<std::uint32_t>(bytes[tail + 1]) << 8; [[fallthrough]];
    case 1:
        h ^= bytes[tail];
        h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return h;
}

std::int32_t kafka_partition_for_key(std::string_view key, std::int32_t partition_count) {
    return static_cast<std::int32_t>((murmur2(key) & 0x7fffffffU) % static_cast<std::uint32_t>(partition_count));
}

} // namespace radstream::core
