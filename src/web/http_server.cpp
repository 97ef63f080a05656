#include "radstream/web/http_server.hpp"

#include "radstream/core/logging.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>

#include <array>
#include <atomic>
#include <deque>
#include <stdexcept>

namespace radstream::web {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Limits of one HTTP connection: a request header or body larger than this
// is rejected, and a peer idle this long is disconnected.
constexpr std::size_t max_request_body_bytes = 16 * 1024;
constexpr auto request_timeout = std::chrono::seconds{30};

// Normal ways for a connection to end; not worth a log line.
bool is_normal_close(const beast::error_code& error) {
    return error == net::error::operation_aborted || error == beast::errc::not_connected
           || error == websocket::error::closed || error == http::error::end_of_stream
           || error == net::error::eof || error == net::error::connection_reset || error == beast::error::timeout;
}

// A browser subscribed to the live feed. Writes happen on the stream's
// strand, one at a time, from a queue capped at `max_queue` messages. A
// client whose queue is full is disconnected rather than buffered.
class ws_session final : public live_hub::client, public std::enable_shared_from_this<ws_session> {
public:
    ws_session(tcp::socket&& socket, live_hub& hub, std::size_t max_queue)
        : ws_(std::move(socket)), hub_(hub), max_queue_(max_queue) {}

    void run(http::request<http::string_body> request) {
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.async_accept(request, beast::bind_front_handler(&ws_session::on_accept, shared_from_this()));
    }

    bool offer(std::shared_ptr<const std::string> message) override {
        if (closing_.load()) {
            return true;
        }
        if (queued_.fetch_add(1) >= max_queue_) {
            closing_.store(true);
            net::post(ws_.get_executor(), [self = shared_from_this()] {
                core::stage_logger("web")->warn("websocket client {} fell {} batches behind; disconnected",
                                                self->peer_, self->max_queue_);
                beast::get_lowest_layer(self->ws_).close();
            });
            return false;
        }
        net::post(ws_.get_executor(), [self = shared_from_this(), message = std::move(message)]() mutable {
            self->queue_.push_back(std::move(message));
            if (self->queue_.size() == 1) {
                self->do_write();
            }
        });
        return true;
    }

    void close_for_shutdown() override {
        net::post(ws_.get_executor(), [self = shared_from_this()] {
            if (self->closing_.exchange(true)) {
                return;
            }
            // The message being written finishes first; the rest is dropped.
            if (self->queue_.size() > 1) {
                self->queued_.fetch_sub(self->queue_.size() - 1);
                self->queue_.resize(1);
            }
            if (self->queue_.empty()) {
                self->do_close();
            } else {
                self->close_after_write_ = true;
            }
        });
    }

private:
    void do_close() {
        ws_.async_close(websocket::close_reason(websocket::close_code::going_away, "radstream is shutting down"),
                        [self = shared_from_this()](beast::error_code) {});
    }

    void on_accept(beast::error_code error) {
        if (error) {
            core::stage_logger("web")->debug("websocket handshake failed: {}", error.message());
            return;
        }
        peer_ = fmt::format("{}", beast::get_lowest_layer(ws_).socket().remote_endpoint(error).address().to_string());
        hub_.subscribe(shared_from_this());
        do_read();
    }

    // Reads only to notice when the browser closes; the feed is one-way.
    void do_read() {
        ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code error, std::size_t) {
        if (error) {
            return;
        }
        buffer_.consume(buffer_.size());
        do_read();
    }

    void do_write() {
        ws_.text(true);
        ws_.async_write(net::buffer(*queue_.front()),
                        beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
    }

    void on_write(beast::error_code error, std::size_t) {
        queue_.pop_front();
        queued_.fetch_sub(1);
        if (error) {
            queue_.clear();
            closing_.store(true);
            return;
        }
        if (!queue_.empty()) {
            do_write();
        } else if (close_after_write_) {
            close_after_write_ = false;
            do_close();
        }
    }

    websocket::stream<beast::tcp_stream> ws_;
    live_hub& hub_;
    const std::size_t max_queue_;
    beast::flat_buffer buffer_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    std::atomic<std::size_t> queued_{0};
    bool close_after_write_ = false;  // close once the write in progress ends (I/O thread only)
    std::atomic<bool> closing_{false};
    std::string peer_;
};

// Responses sent per HTTP status code (101 for WebSocket upgrades).
class status_counts {
public:
    void add(unsigned status) const {
        if (status < counts_.size()) {
            counts_[status].fetch_add(1, std::memory_order_relaxed);
        }
    }

    std::map<unsigned, std::uint64_t> snapshot() const {
        std::map<unsigned, std::uint64_t> out;
        for (unsigned status = 0; status < counts_.size(); ++status) {
            if (const auto count = counts_[status].load(std::memory_order_relaxed); count > 0) {
                out[status] = count;
            }
        }
        return out;
    }

private:
    mutable std::array<std::atomic<std::uint64_t>, 600> counts_{};
};

struct server_state {
    live_hub& hub;
    api_routes routes;
    std::span<const asset> assets;
    std::size_t client_queue;
    status_counts responses;
};

http::response<http::string_body> make_response(const http::request<http::string_body>& request,
                                                http::status status, std::string_view content_type,
                                                std::string body) {
    http::response<http::string_body> response{status, request.version()};
    response.set(http::field::server, "radstream");
    response.set(http::field::content_type, content_type);
    response.set(http::field::cache_control, "no-store");
    response.keep_alive(request.keep_alive());
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

http::response<http::string_body> json_error(const http::request<http::string_body>& request, http::status status,
                                             std::string_view message) {
    std::string body = R"({"error":")";
    for (const char c : message) {
        if (c == '"' || c == '\\') {
            body.push_back('\\');
        }
        body.push_back(c);
    }
    body += "\"}";
    return make_response(request, status, "application/json", std::move(body));
}

const asset* find_asset(std::span<const asset> assets, std::string_view path) {
    if (path == "/") {
        path = "/index.html";
    }
    for (const auto& item : assets) {
        if (item.path == path) {
            return &item;
        }
    }
    return nullptr;
}

http::response<http::string_body> handle_request(const server_state& state,
                                                 const http::request<http::string_body>& request) {
    const std::string_view target{request.target().data(), request.target().size()};
    const std::string_view path = target.substr(0, target.find('?'));
    const std::string method{request.method_string().data(), request.method_string().size()};
    const auto route = state.routes.find({method, std::string{path}});
    if (route != state.routes.end()) {
        const api_response answer = route->second(request.body());
        return make_response(request, static_cast<http::status>(answer.status), answer.content_type, answer.body);
    }
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
        return json_error(request, http::status::method_not_allowed,
                          fmt::format("method {} is not allowed on {}; use GET", method, path));
    }
    if (path == "/health") {
        return make_response(request, http::status::ok, "application/json", R"({"status":"ok"})");
    }
    if (const asset* file = find_asset(state.assets, path)) {
        return make_response(request, http::status::ok, file->content_type, std::string{file->body});
    }
    if (path == "/" && state.assets.empty()) {
        return make_response(request, http::status::ok, "text/plain; charset=utf-8",
                             "radstream was built without the web map (RADSTREAM_BUILD_WEB=OFF)\n");
    }
    return json_error(request, http::status::not_found, fmt::format("no resource at {}", path));
}

// One HTTP connection: reads requests one after another, responds to each, and
// hands the socket to a ws_session on a WebSocket upgrade at /ws.
class http_session : public std::enable_shared_from_this<http_session> {
public:
    http_session(tcp::socket&& socket, const server_state& state) : stream_(std::move(socket)), state_(state) {}

    void run() {
        net::dispatch(stream_.get_executor(), beast::bind_front_handler(&http_session::do_read, shared_from_this()));
    }

private:
    void do_read() {
        parser_.emplace();
        parser_->body_limit(max_request_body_bytes);
        stream_.expires_after(request_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&http_session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code error, std::size_t) {
        if (error) {
            if (!is_normal_close(error)) {
                core::stage_logger("web")->debug("http read failed: {}", error.message());
            }
            stream_.socket().shutdown(tcp::socket::shutdown_send, error);
            return;
        }
        auto request = parser_->release();
        const std::string_view target{request.target().data(), request.target().size()};
        if (websocket::is_upgrade(request) && target.substr(0, target.find('?')) == "/ws") {
            stream_.expires_never();
            state_.responses.add(101);
            std::make_shared<ws_session>(stream_.release_socket(), state_.hub, state_.client_queue)
                ->run(std::move(request));
            return;
        }
        response_ = handle_request(state_, request);
        state_.responses.add(response_.result_int());
        http::async_write(stream_, response_,
                          beast::bind_front_handler(&http_session::on_write, shared_from_this(),
                                                    response_.keep_alive()));
    }

    void on_write(bool keep_alive, beast::error_code error, std::size_t) {
        if (error || !keep_alive) {
            stream_.socket().shutdown(tcp::socket::shutdown_send, error);
            return;
        }
        do_read();
    }

    beast::tcp_stream stream_;
    const server_state& state_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
};

// How long browsers get to reply to the close frame at shutdown.
constexpr auto close_grace = std::chrono::milliseconds{500};

} // namespace

struct http_server::impl {
    impl(const config::web_config& config, live_hub& hub, api_routes routes, std::span<const asset> assets)
        : state{hub, std::move(routes), assets, static_cast<std::size_t>(config.client_queue_batches), {}},
          acceptor(context) {
        beast::error_code error;
        const auto address = net::ip::make_address(config.address, error);
        if (error) {
            throw std::runtime_error(fmt::format("web.address: \"{}\" is not an IP address; use one such as "
                                                 "127.0.0.1",
                                                 config.address));
        }
        const tcp::endpoint endpoint{address, static_cast<unsigned short>(config.port)};
        acceptor.open(endpoint.protocol(), error);
        if (!error) {
            acceptor.set_option(net::socket_base::reuse_address(true), error);
        }
        if (!error) {
            acceptor.bind(endpoint, error);
        }
        if (!error) {
            acceptor.listen(net::socket_base::max_listen_connections, error);
        }
        if (error) {
            throw std::runtime_error(fmt::format("web: cannot listen on {}:{}: {}; free the port or change "
                                                 "web.port (0 picks a free one)",
                                                 config.address, config.port, error.message()));
        }
    }

    void do_accept() {
        acceptor.async_accept(net::make_strand(context), [this](beast::error_code error, tcp::socket socket) {
            if (error) {
                if (error != net::error::operation_aborted) {
                    core::stage_logger("web")->warn("accepting a connection failed: {}", error.message());
                }
            } else {
                std::make_shared<http_session>(std::move(socket), state)->run();
            }
            if (acceptor.is_open()) {
                do_accept();
            }
        });
    }

    net::io_context context{1};
    server_state state;
    tcp::acceptor acceptor;
    std::thread thread;
};

http_server::http_server(const config::web_config& config, live_hub& hub, api_routes routes,
                         std::span<const asset> assets)
    : impl_(std::make_unique<impl>(config, hub, std::move(routes), assets)) {}

http_server::~http_server() {
    stop();
}

void http_server::start() {
    impl_->do_accept();
    impl_->thread = std::thread([this] { impl_->context.run(); });
}

void http_server::stop() {
    if (!impl_->thread.joinable()) {
        return;
    }
    net::post(impl_->context, [this] {
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
    });
    // Browsers get a close frame (1001) and a moment to reply to it; then
    // whatever is still open is cut.
    impl_->state.hub.close_clients();
    net::steady_timer deadline(impl_->context, close_grace);
    deadline.async_wait([this](beast::error_code) { impl_->context.stop(); });
    impl_->thread.join();
}

std::map<unsigned, std::uint64_t> http_server::responses_by_status() const {
    return impl_->state.responses.snapshot();
}

unsigned short http_server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

std::string http_server::url() const {
    const auto endpoint = impl_->acceptor.local_endpoint();
    return fmt::format("http://{}:{}/", endpoint.address().to_string(), endpoint.port());
}

} // namespace radstream::web
