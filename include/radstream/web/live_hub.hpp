#pragma once

#include "radstream/core/latency_histogram.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace radstream::web {

// Fans processed and critical readings out to the connected browsers.
// publish() collects readings from the sink thread; every batch interval the
// hub's thread wraps what arrived in one `{"type":"readings",...}` message,
// serializes it once, and offers the shared buffer to every client. A new
// client first gets `{"type":"history",...}` with the most recent
// `history_size` readings.
//
// When more than `max_batch_readings` arrive in one interval, more than a
// browser can draw, the batch is thinned per map cell (0.1 degree): every
// critical reading and the newest reading of every cell stay, and the
// message says how many were left out (`"thinned": n`).
//
// A client whose send queue is full is dropped by the client itself (see
// client::offer) and counted here, so a stalled browser never slows the
// pipeline.
class live_hub {
public:
    // One connected browser. offer() is called from the hub's thread.
    class client {
    public:
        virtual ~client() = default;
        // Queues a message; returns false when the queue is full, in which
        // case the client closes its connection.
        virtual bool offer(std::shared_ptr<const std::string> message) = 0;
        // Sends a WebSocket close (1001, going away) after the message being
        // written, because the server shuts down.
        virtual void close_for_shutdown() {}
    };

    live_hub(std::chrono::milliseconds batch_interval, std::size_t history_size, std::size_t max_batch_readings);
    ~live_hub();

    void start();
    void stop();
    // Asks every connected client to close, for a clean server shutdown.
    void close_clients();

    // Adds one reading (an output record as JSON). Thread-safe.
    void publish(std::string record_json);
    // Registers a client and sends it the recent history. Thread-safe.
    void subscribe(const std::shared_ptr<client>& subscriber);

    std::size_t client_count() const;
    std::size_t history_size() const { return history_size_; }
    std::uint64_t slow_client_disconnects() const { return slow_disconnects_.load(); }
    std::uint64_t readings_published() const { return published_.load(); }
    std::uint64_t readings_thinned() const { return thinned_.load(); }
    // Wall-clock time from a reading's ingestion_timestamp to the hub
    // queuing its batch for the connected browsers. Recorded only while a
    // browser is connected.
    const core::latency_histogram& ingest_to_websocket() const { return ingest_to_websocket_; }

private:
    void run();
    void broadcast(std::vector<std::string>& readings);
    // The clients still connected, copied under the lock so that they can
    // be called outside it.
    std::vector<std::shared_ptr<client>> connected_clients() const;
    template<typename Container>
    static std::shared_ptr<const std::string> make_message_from(std::string_view type, const Container& readings,
                                                                std::size_t thinned = 0);

    const std::chrono::milliseconds batch_interval_;
    const std::size_t history_size_;
    const std::size_t max_batch_readings_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::string> pending_;
    std::deque<std::string> history_;
    std::vector<std::weak_ptr<client>> clients_;
    bool stopping_ = false;
    std::atomic<std::uint64_t> slow_disconnects_{0};
    std::atomic<std::uint64_t> published_{0};
    std::atomic<std::uint64_t> thinned_{0};
    core::latency_histogram ingest_to_websocket_;
    std::thread thread_;
};

} // namespace radstream::web
