#pragma once

#include "radstream/config/app_config.hpp"

namespace radstream::app {

struct run_options {
    // Ingest every input, drain every stage, print the summary and exit,
    // ignoring playback pacing.
    bool exit_when_done = false;
};

// Process exit codes, as documented in the README.
inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime_failure = 1;
inline constexpr int exit_bad_config = 2;

// Runs ingest, process, the sinks and the web server in this process until
// the inputs are done (exit_when_done) or SIGINT/SIGTERM arrives. Prints the
// summary line on stdout. Returns the exit code. Throws std::exception for
// a startup failure (an input that cannot be opened, a port in use).
int run_all(const config::app_config& config, const run_options& options);

} // namespace radstream::app
