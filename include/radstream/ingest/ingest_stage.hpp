#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/ingest/source.hpp"
#include "radstream/topic/topic.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

namespace radstream::ingest {

// Reads every configured input in turn and writes one radiation-data message
// per reading, keyed by the composite key. Runs on its own thread; stop()
// makes it finish the current batch and return.
//
// Inputs are read `ingest.chunk_records` readings at a time; each chunk is
// sorted by capture time when `ingest.sort_by_capture_time` is set (readings
// without a capture time keep their place at the chunk's end), then sent in
// batches of `ingest.batch_size`. With a playback speed above 0 the batches
// are paced so event time advances `speed` times as fast as wall time.
class ingest_stage {
public:
    // Throws std::runtime_error when an input cannot be opened or has an
    // unknown format, so a bad config fails before anything runs.
    ingest_stage(const config::app_config& config, topic::producer& producer, bool paced);
    ~ingest_stage();

    void start();
    void stop();
    void join();

    void set_playback_speed(double speed) { playback_speed_.store(speed); }
    double playback_speed() const { return playback_speed_.load(); }
    std::uint64_t readings_sent() const { return sent_.load(std::memory_order_relaxed); }
    bool done() const { return done_.load(); }

    // Bytes of all inputs read so far and in total, for a progress estimate.
    std::uint64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }
    std::uint64_t bytes_total() const { return bytes_total_; }

private:
    void run();
    void send_input(source& input, std::uint64_t input_bytes);
    void send_chunk(std::vector<source_reading>& chunk);
    void pace(const source_reading& first);

    // Wall time and event time of the reading that started the current
    // playback; reset when the speed changes.
    struct playback_anchor {
        bool set = false;
        double speed = 0;
        core::event_time event{};
        std::chrono::steady_clock::time_point wall{};
    };

    const config::app_config& config_;
    topic::producer& producer_;
    const bool paced_;
    std::vector<std::unique_ptr<source>> sources_;
    std::vector<std::uint64_t> input_bytes_;  // file size of each input
    playback_anchor anchor_;
    std::atomic<double> playback_speed_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> done_{false};
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<std::uint64_t> bytes_read_{0};
    std::uint64_t bytes_total_ = 0;
    std::uint64_t bytes_before_input_ = 0;  // bytes of the inputs finished
    std::thread thread_;
};

} // namespace radstream::ingest
