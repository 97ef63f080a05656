// A program that adds its own operator to radstream and runs the pipeline.
//
// The operator "region" keeps readings inside a latitude/longitude box and
// marks the others as filtered, so they are counted but not written. Put it in the chain by name:
//
//   [process]
//   operators = ["dedup", "validate", "region", "enrich", "route"]
//
// Build: cmake --build build --target radstream_example_operator
// Run:   build/examples/radstream_example_operator examples/region.toml

#include "radstream/app/runtime.hpp"
#include "radstream/config/app_config.hpp"
#include "radstream/core/logging.hpp"
#include "radstream/graph/record_operator.hpp"

#include <cstdio>
#include <exception>

namespace {

using namespace radstream;

// Japan's main islands, roughly.
constexpr double min_latitude = 24.0;
constexpr double max_latitude = 46.0;
constexpr double min_longitude = 122.0;
constexpr double max_longitude = 154.0;

class region_operator final : public graph::record_operator {
public:
    // Runs after validate, so latitude and longitude are numbers here.
    void process(graph::record& item) override {
        const double latitude = *item.latitude.number;
        const double longitude = *item.longitude.number;
        const bool inside = latitude >= min_latitude && latitude <= max_latitude && longitude >= min_longitude
                            && longitude <= max_longitude;
        if (!inside) {
            item.state = graph::disposition::filtered;
        }
    }
};

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CONFIG.toml\n", argv[0]);
        return app::exit_bad_config;
    }
    graph::operator_registry::instance().add(
        "region", [](const graph::operator_context&) { return std::make_unique<region_operator>(); });
    try {
        const auto config = config::load_config(argv[1]);
        core::set_log_level(config.log.level);
        return app::run_all(config, app::run_options{.exit_when_done = true});
    } catch (const std::exception& error) {
        std::fprintf(stderr, "radstream_example_operator: %s\n", error.what());
        return app::exit_bad_config;
    }
}
