#include "radstream/core/number_text.hpp"

#include <charconv>
#include <cmath>

namespace radstream::core {

std::optional<double> parse_finite_number(std::string_view text) {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    double number = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, number, std::chars_format::general);
    if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(number)) {
        return std::nullopt;
    }
    return number;
}

} // namespace radstream::core
