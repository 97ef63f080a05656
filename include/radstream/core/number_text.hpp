#pragma once

#include <optional>
#include <string_view>

namespace radstream::core {

// Parses decimal text such as `42`, `-0.5` or `1e3`, ignoring surrounding
// spaces and a leading `+`. Returns nothing for anything else, including
// NaN, infinities, hex floats and numbers that overflow a double.
// std::from_chars is used because it ignores the C locale.
std::optional<double> parse_finite_number(std::string_view text);

} // namespace radstream::core
