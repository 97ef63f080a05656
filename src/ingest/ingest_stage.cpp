#include "radstream/ingest/ingest_stage.hpp"

#include "radstream/core/logging.hpp"

#include <algorithm>
#include <filesystem>

namespace radstream::ingest {

ingest_stage::ingest_stage(const config::app_config& config, topic::producer& producer, bool paced)
    : config_(config), producer_(producer), paced_(paced), playback_speed_(config.ingest.playback_speed) {
    for (const auto& input : config.inputs) {
        sources_.push_back(source_registry::instance().create(input));
        std::error_code error;
        const auto size = std::filesystem::file_size(input.path, error);
        input_bytes_.push_back(error ? 0 : size);
        bytes_total_ += input_bytes_.back();
    }
}

ingest_stage::~ingest_stage() {
    stop();
    join();
}

void ingest_stage::start() {
    thread_ = std::thread([this] { run(); });
}

void ingest_stage::stop() {
    stopping_.store(true);
}

void ingest_stage::join() {
    if (thread_.joinable()) {
        thread_.join();
    }
}

void ingest_stage::run() {
    auto log = core::stage_logger("ingest");
    const auto started = std::chrono::steady_clock::now();
    std::size_t inputs_read = 0;
    for (std::size_t i = 0; i < sources_.size() && !stopping_.load(); ++i) {
        const auto before = readings_sent();
        send_input(*sources_[i], input_bytes_[i]);
        ++inputs_read;
        log->info("read {}: {} readings{}", config_.inputs[i].path.string(), readings_sent() - before,
                  stopping_.load() ? " (stopped before its end)" : "");
    }
    producer_.flush();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    log->info("ingest {}: {} readings from {} of {} inputs in {:.2f} s", stopping_.load() ? "stopped" : "done",
              readings_sent(), inputs_read, sources_.size(), elapsed.count());
    sources_.clear();
    done_.store(true);
}

void ingest_stage::send_input(source& input, std::uint64_t input_bytes) {
    constexpr std::size_t progress_every = 1024;  // readings between progress updates
    const auto chunk_size = static_cast<std::size_t>(config_.ingest.chunk_records);
    std::vector<source_reading> chunk;
    chunk.reserve(std::min<std::size_t>(chunk_size, 65536));
    source_reading reading;
    std::size_t count = 0;
    while (!stopping_.load() && input.next(reading)) {
        chunk.push_back(std::move(reading));
        if (chunk.size() == chunk_size) {
            send_chunk(chunk);
        }
        if (++count % progress_every == 0) {
            bytes_read_.store(bytes_before_input_ + std::min(input.bytes_read(), input_bytes),
                              std::memory_order_relaxed);
        }
    }
    if (!stopping_.load()) {
        send_chunk(chunk);
    }
    bytes_before_input_ += input_bytes;
    bytes_read_.store(bytes_before_input_, std::memory_order_relaxed);
}

void ingest_stage::send_chunk(std::vector<source_reading>& chunk) {
    if (config_.ingest.sort_by_capture_time) {
        // Real exports are often newest-first; sorting each chunk restores
        // capture order without holding the whole file.
        std::stable_sort(chunk.begin(), chunk.end(), [](const source_reading& a, const source_reading& b) {
            if (!a.captured || !b.captured) {
                return a.captured.has_value() && !b.captured.has_value();
            }
            return *a.captured < *b.captured;
        });
    }

    const auto batch_size = static_cast<std::size_t>(config_.ingest.batch_size);
    std::vector<topic::message> batch;
    batch.reserve(batch_size);
    for (std::size_t begin = 0; begin < chunk.size() && !stopping_.load(); begin += batch_size) {
        const std::size_t end = std::min(chunk.size(), begin + batch_size);
        if (paced_) {
            pace(chunk[begin]);
        }
        // Taken per batch, after pacing, because a paced chunk can take
        // minutes to send and the latency figures start from this time.
        const std::string ingested_at = core::format_timestamp(
            std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
        for (std::size_t i = begin; i < end; ++i) {
            topic::message message;
            message.key = reading_key(chunk[i]);
            write_reading_json(chunk[i], ingested_at, message.value);
            batch.push_back(std::move(message));
        }
        const auto count = batch.size();
        producer_.produce(config_.topics.input, batch);
        sent_.fetch_add(count, std::memory_order_relaxed);
        if (config_.ingest.send_delay.count() > 0) {
            std::this_thread::sleep_for(config_.ingest.send_delay);
        }
    }
    chunk.clear();
}

void ingest_stage::pace(const source_reading& first) {
    if (!first.captured) {
        return;
    }
    // Sleep in short slices so that stop() and speed changes take effect at once.
    constexpr auto slice = std::chrono::milliseconds{100};
    const auto max_pause = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        config_.ingest.playback_max_pause);
    for (;;) {
        const double speed = playback_speed_.load();
        if (speed <= 0 || stopping_.load()) {
            anchor_.set = false;
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        const std::chrono::duration<double, std::milli> event_delta = *first.captured - anchor_.event;
        // A new speed, a step back in event time (the next file starts
        // earlier) or the first reading starts a new playback here.
        if (!anchor_.set || anchor_.speed != speed || event_delta.count() < 0) {
            anchor_ = {true, speed, *first.captured, now};
            return;
        }
        const auto due = anchor_.wall + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                            event_delta / speed);
        if (due <= now) {
            return;
        }
        // A gap longer than the maximum pause (a device off for a day, the
        // next file years later) is cut to that pause, and playback goes on
        // from this reading.
        if (due - now > max_pause) {
            anchor_.event = *first.captured;
            anchor_.wall = now + max_pause;
            continue;
        }
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(due - now, slice));
    }
}

} // namespace radstream::ingest
