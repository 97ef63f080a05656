#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/web/assets.hpp"
#include "radstream/web/live_hub.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

namespace radstream::web {

// The response of an API route.
struct api_response {
    unsigned status = 200;
    std::string body;  // one JSON value, unless content_type names another format
    std::string content_type = "application/json";
};

// An API route: takes the request body and returns the response. Called on the
// server's I/O thread, so it must be quick.
using api_handler = std::function<api_response(const std::string& body)>;

// API routes by method and path, such as {"GET", "/api/stats"}.
using api_routes = std::map<std::pair<std::string, std::string>, api_handler>;

// The embedded HTTP and WebSocket server (Boost.Beast), on one I/O thread:
//   GET /            the bundled map (and its assets)
//   GET /health      {"status":"ok"}
//   /api/...         the `routes` the caller registers
//   GET /ws          WebSocket upgrade; readings from `hub`
class http_server {
public:
    // Binds at once; throws std::runtime_error when the address cannot be
    // used (port in use, bad address), naming it and the config keys.
    http_server(const config::web_config& config, live_hub& hub, api_routes routes, std::span<const asset> assets);
    ~http_server();

    void start();
    void stop();

    // Responses sent so far per HTTP status code, WebSocket upgrades as 101.
    std::map<unsigned, std::uint64_t> responses_by_status() const;

    // The bound port (differs from the configured one when that was 0).
    unsigned short port() const;
    std::string url() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace radstream::web
