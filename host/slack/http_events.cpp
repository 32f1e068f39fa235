#include "slack/http_events.hpp"

#include <Poco/JSON/Parser.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <ctime>
#include <optional>
#include <stdexcept>
#include <thread>

#include "slack/web_api.hpp"
#include "log.hpp"
#include "slack/request_signature.hpp"

namespace dlpd::slack {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr const char *kLog = "slack-http";

using Response = http::response<http::string_body>;

Response make_response(http::status status, const std::string &content_type, std::string body, unsigned version) {
    Response r{status, version};
    r.set(http::field::server, "dlpd");
    r.set(http::field::content_type, content_type);
    r.body() = std::move(body);
    r.prepare_payload();
    return r;
}

class EventsSession : public std::enable_shared_from_this<EventsSession> {
public:
    EventsSession(tcp::socket socket, EnvelopeSink &sink, const HttpEventsOptions &options)
        : stream_(std::move(socket)), sink_(sink), options_(options) {}

    void read() {
        parser_.emplace();
        parser_->body_limit(options_.max_body_bytes);
        stream_.expires_after(options_.request_timeout);
        http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec == http::error::body_limit)
                return self->write(make_response(http::status::payload_too_large, "text/plain", "request too large\n", 11),
                                   false);
            if (ec) return self->shut();
            self->handle(self->parser_->release());
        });
    }

private:
    void handle(http::request<http::string_body> request) {
        const unsigned version = request.version();
        const bool keep_alive = request.keep_alive();
        if (request.method() == http::verb::get && request.target() == "/healthz")
            return write(make_response(http::status::ok, "text/plain", "ok\n", version), keep_alive);
        if (request.target() != "/slack/events")
            return write(make_response(http::status::not_found, "text/plain", "not found\n", version), keep_alive);
        if (request.method() != http::verb::post)
            return write(make_response(http::status::method_not_allowed, "text/plain", "POST only\n", version), keep_alive);

        const std::string problem =
            check_slack_signature(options_.signing_secret, std::string(request["X-Slack-Request-Timestamp"]),
                                  std::string(request["X-Slack-Signature"]), request.body(), std::time(nullptr));
        if (!problem.empty()) {
            log(LogLevel::warning, kLog, "refused a request from " + peer() + ": " + problem);
            return write(make_response(http::status::unauthorized, "text/plain", "invalid signature\n", version),
                         keep_alive);
        }
        Poco::JSON::Object::Ptr payload;
        try {
            Poco::JSON::Parser parser;
            payload = parser.parse(request.body()).extract<Poco::JSON::Object::Ptr>();
        } catch (const std::exception &) {
            payload = nullptr;
        }
        if (!payload) {
            log(LogLevel::warning, kLog, "refused a signed request that is not a JSON object");
            return write(make_response(http::status::bad_request, "text/plain", "not a JSON object\n", version),
                         keep_alive);
        }
        const std::string type = payload->optValue<std::string>("type", "");
        if (type == "url_verification") {
            const std::string challenge = payload->optValue<std::string>("challenge", "");
            log(LogLevel::info, kLog, "answered Slack's url_verification");
            Poco::JSON::Object answer = json_object();
            answer.set("challenge", challenge);
            return write(make_response(http::status::ok, "application/json", json_text(answer), version),
                         keep_alive);
        }
        Envelope envelope;
        envelope.transport = "http";
        envelope.payload = payload;
        envelope.payload_text = std::move(request.body());
        try {
            envelope.retry_attempt = std::stoi(std::string(request["X-Slack-Retry-Num"]));
        } catch (const std::exception &) {
            envelope.retry_attempt = 0;
        }
        envelope.retry_reason = std::string(request["X-Slack-Retry-Reason"]);
        auto self = shared_from_this();
        auto executor = stream_.get_executor();
        sink_.accept(std::move(envelope), [self, executor, version, keep_alive](IntakeResult result) {
            net::post(executor, [self, version, keep_alive, result] {
                if (should_acknowledge(result))
                    self->write(make_response(http::status::ok, "text/plain", "", version), keep_alive);
                else  // not recorded: Slack retries
                    self->write(make_response(http::status::internal_server_error, "text/plain",
                                              "could not record the event\n", version),
                                keep_alive);
            });
        });
    }

    void write(Response response, bool keep_alive) {
        response.keep_alive(keep_alive);
        auto message = std::make_shared<Response>(std::move(response));
        stream_.expires_after(options_.request_timeout);
        http::async_write(stream_, *message, [self = shared_from_this(), message, keep_alive](beast::error_code ec, size_t) {
            if (ec || !keep_alive) return self->shut();
            self->read();
        });
    }

    void shut() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.socket().close(ec);
    }

    std::string peer() {
        beast::error_code ec;
        auto endpoint = stream_.socket().remote_endpoint(ec);
        return ec ? std::string("an unknown peer") : endpoint.address().to_string();
    }

    beast::tcp_stream stream_;
    EnvelopeSink &sink_;
    const HttpEventsOptions &options_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

class HttpEventsServer::Impl {
public:
    Impl(EnvelopeSink &sink, HttpEventsOptions options) : sink_(sink), options_(std::move(options)) {}

    uint16_t start() {
        const auto colon = options_.listen.rfind(':');
        if (colon == std::string::npos) throw std::runtime_error("slack.http_listen '" + options_.listen + "' is not HOST:PORT");
        std::string host = options_.listen.substr(0, colon);
        if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
        beast::error_code ec;
        const auto address = net::ip::make_address(host, ec);
        if (ec) throw std::runtime_error("slack.http_listen '" + options_.listen + "': '" + host + "' is not an IP address");
        unsigned long port = 0;
        try {
            port = std::stoul(options_.listen.substr(colon + 1));
        } catch (const std::exception &) {
            port = 70000;
        }
        if (port > 65535) throw std::runtime_error("slack.http_listen '" + options_.listen + "': bad port");
        tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
        acceptor_.open(endpoint.protocol(), ec);
        if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
        if (!ec) acceptor_.bind(endpoint, ec);
        if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
        if (ec) throw std::runtime_error("cannot listen on " + options_.listen + " for Slack events: " + ec.message());
        const uint16_t bound = acceptor_.local_endpoint().port();
        accept();
        thread_ = std::thread([this] { ioc_.run(); });
        log(LogLevel::info, kLog, "listening for Slack events on " + host + ":" + std::to_string(bound) + "/slack/events");
        return bound;
    }

    void stop() {
        if (!thread_.joinable()) return;
        net::post(ioc_, [this] {
            beast::error_code ec;
            acceptor_.close(ec);
        });
        // Requests waiting for the intake get a moment to be answered.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ioc_.stop();
        thread_.join();
    }

private:
    void accept() {
        acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
            if (ec) {
                if (ec == net::error::operation_aborted) return;
            } else {
                std::make_shared<EventsSession>(std::move(socket), sink_, options_)->read();
            }
            accept();
        });
    }

    EnvelopeSink &sink_;
    HttpEventsOptions options_;
    net::io_context ioc_{1};
    tcp::acceptor acceptor_{ioc_};
    std::thread thread_;
};

HttpEventsServer::HttpEventsServer(EnvelopeSink &sink, HttpEventsOptions options)
    : impl_(std::make_unique<Impl>(sink, std::move(options))) {}
HttpEventsServer::~HttpEventsServer() { stop(); }
uint16_t HttpEventsServer::start() { return impl_->start(); }
void HttpEventsServer::stop() { impl_->stop(); }

}  // namespace dlpd::slack
