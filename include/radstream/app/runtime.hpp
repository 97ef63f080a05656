#pragma once

#include "radstream/config/app_config.hpp"

namespace radstream::app {

// Which stages this process runs. `all` runs every stage; the others run
// one stage against a Kafka cluster, so they can run as separate processes
// (or on separate machines) with one config.
enum class role { all, ingest, process, serve };

struct run_options {
    role stages = role::all;
    // Ingest every input, drain every stage, print the summary and exit,
    // ignoring playback pacing. With role::process alone: read the input
    // topic up to its end offsets at start, then drain and exit.
    bool exit_when_done = false;
};

// Process exit codes, as documented in the README.
inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime_failure = 1;
inline constexpr int exit_bad_config = 2;

// Runs the stages of `options.stages` (a single stage needs
// kafka.brokers; main checks that) until the inputs are done
// (exit_when_done) or SIGINT/SIGTERM arrives, then drains them and prints
// the summary line on stdout. Returns the exit code. Throws std::exception
// for a startup failure (an input that cannot be opened, a port in use, a
// cluster that stays unreachable).
int run_all(const config::app_config& config, const run_options& options);

} // namespace radstream::app
