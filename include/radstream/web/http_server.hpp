#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/web/assets.hpp"
#include "radstream/web/live_hub.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace radstream::web {

// The embedded HTTP and WebSocket server (Boost.Beast), on one I/O thread:
//   GET /            the bundled map (and its assets)
//   GET /health      {"status":"ok"}
//   GET /api/stats   the run's counts, from `stats_json`
//   GET /ws          WebSocket upgrade; readings from `hub`
class http_server {
public:
    // Binds at once; throws std::runtime_error when the address cannot be
    // used (port in use, bad address), naming it and the config keys.
    http_server(const config::web_config& config, live_hub& hub, std::function<std::string()> stats_json,
                std::span<const asset> assets);
    ~http_server();

    void start();
    void stop();

    // The bound port (differs from the configured one when that was 0).
    unsigned short port() const;
    std::string url() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace radstream::web
