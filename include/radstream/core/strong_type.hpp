#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace radstream::core {

// A value with a distinct type per Tag, so that a partition cannot be passed
// where an offset is expected.
template<typename T, typename Tag>
class strong_type {
public:
    constexpr strong_type() = default;
    constexpr explicit strong_type(T value) : value_(value) {}

    constexpr T value() const { return value_; }
    constexpr auto operator<=>(const strong_type&) const = default;

private:
    T value_{};
};

using partition_id = strong_type<std::int32_t, struct partition_id_tag>;
using topic_offset = strong_type<std::int64_t, struct topic_offset_tag>;
using line_number = strong_type<std::uint64_t, struct line_number_tag>;

} // namespace radstream::core

template<typename T, typename Tag>
struct std::hash<radstream::core::strong_type<T, Tag>> {
    std::size_t operator()(const radstream::core::strong_type<T, Tag>& id) const noexcept {
        return std::hash<T>{}(id.value());
    }
};
