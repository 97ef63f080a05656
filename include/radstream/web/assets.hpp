#pragma once

#include <span>
#include <string_view>

namespace radstream::web {

// One file of the built map (web/dist), compiled into the binary.
struct asset {
    std::string_view path;          // URL path, such as "/index.html"
    std::string_view content_type;
    std::string_view body;
};

// Every bundled file; empty when the binary was built without the map.
std::span<const asset> bundled_assets();

} // namespace radstream::web
