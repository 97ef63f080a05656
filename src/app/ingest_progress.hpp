#pragma once

#include "radstream/ingest/ingest_stage.hpp"

#include <chrono>
#include <string>

namespace radstream::app {

// Shows how far ingest has come: a bar on stderr, redrawn in place, when
// stderr is a terminal, else an info log line every `log_interval`. The
// share done counts input bytes read; the time left is an estimate from
// the average rate so far.
class ingest_progress {
public:
    using clock = std::chrono::steady_clock;

    ingest_progress(const ingest::ingest_stage& ingest, bool terminal, std::chrono::milliseconds log_interval);

    // Redraws the bar or logs a line when one is due; call it often.
    void update(clock::time_point now);

    // Clears the bar once ingest is done.
    void finish();

    // The progress text, such as "45% of 12.3 MiB, 9500 rows, 23736 rows/s, about 42 s left".
    std::string describe(clock::time_point now) const;

private:
    const ingest::ingest_stage& ingest_;
    const bool terminal_;
    const std::chrono::milliseconds log_interval_;
    const clock::time_point started_;
    clock::time_point last_shown_;
    bool finished_ = false;
};

} // namespace radstream::app
