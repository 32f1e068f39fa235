// Transport, HTTP half: the io_context and its thread, the listener on
// 127.0.0.1:0, and one small session per connection that reads a request,
// asks the workspace for the answer, writes it, and hands WebSocket upgrades
// to websocket_side.cpp. Request semantics live in web_api.cpp.
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <optional>
#include <thread>

#include "beast_sessions.hpp"
#include "server.hpp"

namespace dlpd::test::slack_double {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// A client that sends nothing for this long is disconnected.
constexpr auto kHttpIdleTimeout = std::chrono::seconds(30);

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket socket, Workspace &workspace) : stream_(std::move(socket)), workspace_(workspace) {}

    void run() {
        net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::read, shared_from_this()));
    }

private:
    void read() {
        parser_.emplace();
        parser_->body_limit(workspace_.options().max_request_body_bytes);
        stream_.expires_after(kHttpIdleTimeout);
        http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec) return close();
        auto request = parser_->release();
        if (beast::websocket::is_upgrade(request)) {
            if (workspace_.admit_socket(std::string(request.target()))) {
                stream_.expires_never();
                start_socket_mode_session(std::move(stream_), std::move(request), workspace_);
                return;
            }
            // An unknown or already used ticket: refuse the upgrade.
            HttpAnswer refused{401, "text/plain", "invalid or used ticket\n", {}};
            return write(refused, false);
        }
        HttpExchange exchange;
        exchange.verb = std::string(request.method_string());
        exchange.target = std::string(request.target());
        exchange.authorization = std::string(request[http::field::authorization]);
        exchange.content_type = std::string(request[http::field::content_type]);
        exchange.body = std::move(request.body());
        write(workspace_.handle_http(exchange), request.keep_alive());
    }

    void write(const HttpAnswer &answer, bool keep_alive) {
        auto response = std::make_shared<http::response<http::string_body>>(http::int_to_status(answer.status), 11);
        response->set(http::field::server, "slack-double");
        response->set(http::field::content_type, answer.content_type);
        for (const auto &[name, value] : answer.headers) response->set(name, value);
        response->body() = answer.body;
        response->keep_alive(keep_alive);
        response->prepare_payload();
        http::async_write(stream_, *response,
                          [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                              if (ec || !response->keep_alive()) return self->close();
                              self->read();
                          });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    Workspace &workspace_;
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(tcp::acceptor acceptor, Workspace &workspace) : acceptor_(std::move(acceptor)), workspace_(workspace) {}

    void accept() {
        acceptor_.async_accept(net::make_strand(acceptor_.get_executor()),
                               [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                                   if (ec) return;  // the acceptor was closed
                                   std::make_shared<HttpSession>(std::move(socket), self->workspace_)->run();
                                   self->accept();
                               });
    }

private:
    tcp::acceptor acceptor_;
    Workspace &workspace_;
};

class BeastServer final : public Server {
public:
    explicit BeastServer(Workspace &workspace) : workspace_(workspace) {}
    ~BeastServer() override { stop(); }

    uint16_t start() override {
        io_ = std::make_unique<net::io_context>(1);
        tcp::acceptor acceptor(net::make_strand(*io_));
        const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
        acceptor.open(endpoint.protocol());
        acceptor.bind(endpoint);
        acceptor.listen();
        const uint16_t port = acceptor.local_endpoint().port();
        workspace_.attach(this, port);
        std::make_shared<Listener>(std::move(acceptor), workspace_)->accept();
        thread_ = std::thread([io = io_.get()] { io->run(); });
        return port;
    }

    void stop() override {
        if (!io_) return;
        // Detached first, so no timer is scheduled on a stopping io_context.
        workspace_.attach(nullptr, workspace_.port());
        io_->stop();
        if (thread_.joinable()) thread_.join();
        // Destroying the io_context destroys the pending handlers, which own
        // the listener and every session: all sockets close here.
        io_.reset();
    }

    void after(std::chrono::milliseconds delay, std::function<void()> fn) override {
        auto timer = std::make_shared<net::steady_timer>(*io_, delay);
        timer->async_wait([timer, fn = std::move(fn)](beast::error_code ec) {
            if (!ec) fn();
        });
    }

private:
    Workspace &workspace_;
    std::unique_ptr<net::io_context> io_;
    std::thread thread_;
};

}  // namespace

std::unique_ptr<Server> Server::create(Workspace &workspace) { return std::make_unique<BeastServer>(workspace); }

}  // namespace dlpd::test::slack_double
