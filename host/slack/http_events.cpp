#include "slack/http_events.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "log.hpp"
#include "refusal_log.hpp"
#include "slack/io_loop.hpp"

namespace dlpd::slack {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr const char *kLog = "slack-http";

// What every connection shares; lives as long as the server.
struct ServerShared {
    ServerShared(EnvelopeSink &sink_in, const HttpEventsOptions &options_in)
        : sink(sink_in),
          options(options_in),
          refusals(LogLevel::warning, kLog, "refused a request", options_in.log_summary),
          verifications(LogLevel::info, kLog, "answered Slack's url_verification", options_in.log_summary) {}
    EnvelopeSink &sink;
    const HttpEventsOptions &options;
    RefusalLog refusals;
    RefusalLog verifications;
};

class EventsSession : public std::enable_shared_from_this<EventsSession> {
public:
    EventsSession(tcp::socket socket, ServerShared &shared)
        : stream_(std::move(socket)),
          shared_(shared),
          sink_(shared.sink),
          options_(shared.options),
          buffer_(events_read_buffer_bytes(shared.options.limits)) {}

    void read() {
        parser_.emplace();
        limit_events_parser(*parser_, options_.limits);
        stream_.expires_after(options_.request_timeout);
        http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
            self->guarded([&] { self->on_read(ec); });
        });
    }

private:
    // What escapes a step of this connection closes this connection only.
    template <class Step>
    void guarded(Step &&step) {
        try {
            step();
        } catch (const std::exception &e) {
            log(LogLevel::error, kLog, "a request from " + peer() + " failed (" + e.what() + "); closed its connection");
            shut();
        }
    }

    void on_read(beast::error_code ec) {
        if (ec) {
            if (auto refusal = answer_read_error(ec, options_.limits)) {
                shared_.refusals.note(peer(), refusal->reason);
                return write(std::move(refusal->response), false);
            }
            return shut();  // the client left, or timed out: nobody to answer
        }
        handle(parser_->release());
    }

    void handle(EventsRequest request) {
        const unsigned version = request.version();
        const bool keep_alive = request.keep_alive();
        EventsAnswer answer = answer_events_request(request, options_.signing_secret, std::time(nullptr));
        if (!answer.refusal.empty()) shared_.refusals.note(peer(), answer.refusal);
        if (answer.url_verification) shared_.verifications.note(peer(), "");
        if (answer.response) return write(std::move(*answer.response), keep_alive);

        auto self = shared_from_this();
        auto executor = stream_.get_executor();
        sink_.accept(std::move(*answer.envelope), [self, executor, version, keep_alive](IntakeResult result) {
            net::post(executor, [self, version, keep_alive, result] {
                self->guarded([&] {
                    if (should_acknowledge(result))
                        self->write(events_response(http::status::ok, "text/plain", "", version), keep_alive);
                    else  // not recorded: Slack retries
                        self->write(events_response(http::status::internal_server_error, "text/plain",
                                                    "could not record the event\n", version),
                                    keep_alive);
                });
            });
        });
    }

    void write(EventsResponse response, bool keep_alive) {
        response.keep_alive(keep_alive);
        auto message = std::make_shared<EventsResponse>(std::move(response));
        stream_.expires_after(options_.request_timeout);
        http::async_write(stream_, *message, [self = shared_from_this(), message, keep_alive](beast::error_code ec, size_t) {
            self->guarded([&] {
                if (ec) return self->shut();
                if (!keep_alive) return self->linger();
                self->read();
            });
        });
    }

    // After the last answer: stop sending, then read and drop what the
    // client is still sending (at most a body's worth, within the request
    // timeout) before closing. Closing with unread data resets the
    // connection, and the client could lose the answer, e.g. the 431 to a
    // request it had not finished sending.
    void linger() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        if (ec) return shut();
        stream_.expires_after(options_.request_timeout);
        scratch_.resize(4096);
        drain();
    }
    void drain() {
        stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, size_t n) {
            self->drained_ += n;
            if (ec || self->drained_ > self->options_.limits.max_body_bytes) return self->shut();
            self->drain();
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
    ServerShared &shared_;
    EnvelopeSink &sink_;
    const HttpEventsOptions &options_;
    // Bounded: a header or a trailer that does not fit is refused (431)
    // instead of growing it.
    beast::flat_buffer buffer_;
    std::optional<EventsParser> parser_;
    std::vector<char> scratch_;
    uint64_t drained_ = 0;
};

}  // namespace

class HttpEventsServer::Impl {
public:
    Impl(EnvelopeSink &sink, HttpEventsOptions options) : options_(std::move(options)), shared_(sink, options_) {}

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
        summarise_later();
        thread_ = std::thread([this] { run(); });
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
        shared_.refusals.flush();
        shared_.verifications.flush();
    }

    uint64_t refused() const { return shared_.refusals.total(); }

private:
    // An exception that escapes a handler closes only its connection.
    void run() { run_io_loop(ioc_, kLog, "a connection"); }

    void accept() {
        acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
            if (ec) {
                if (ec == net::error::operation_aborted) return;
            } else {
                std::make_shared<EventsSession>(std::move(socket), shared_)->read();
            }
            accept();
        });
    }

    // Writes the summaries of refusals whose interval has ended, even when
    // no further request comes to trigger them.
    void summarise_later() {
        summary_timer_.expires_after(std::min<std::chrono::milliseconds>(options_.log_summary, std::chrono::seconds(1)));
        summary_timer_.async_wait([this](beast::error_code ec) {
            if (ec) return;
            shared_.refusals.tick();
            shared_.verifications.tick();
            summarise_later();
        });
    }

    HttpEventsOptions options_;
    ServerShared shared_;
    net::io_context ioc_{1};
    tcp::acceptor acceptor_{ioc_};
    net::steady_timer summary_timer_{ioc_};
    std::thread thread_;
};

HttpEventsServer::HttpEventsServer(EnvelopeSink &sink, HttpEventsOptions options)
    : impl_(std::make_unique<Impl>(sink, std::move(options))) {}
HttpEventsServer::~HttpEventsServer() { stop(); }
uint16_t HttpEventsServer::start() { return impl_->start(); }
uint64_t HttpEventsServer::refused() const { return impl_->refused(); }
void HttpEventsServer::stop() { impl_->stop(); }

}  // namespace dlpd::slack
