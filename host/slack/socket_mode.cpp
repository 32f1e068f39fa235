#include "slack/socket_mode.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "log.hpp"
#include "slack/io_loop.hpp"
#include "slack/slack_metrics.hpp"
#include "slack/tls.hpp"

namespace dlpd::slack {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr const char *kLog = "slack";

// apps.connections.open errors after which retrying cannot help.
bool unrecoverable_open_error(const std::string &code) {
    static const std::set<std::string> codes = {"not_authed",      "invalid_auth",           "account_inactive",
                                                "token_revoked",   "token_expired",          "user_removed_from_team",
                                                "team_disabled",   "not_allowed_token_type", "no_token",
                                                "access_denied",   "forbidden_team",         "missing_scope",
                                                "invalid_arguments"};
    return codes.count(code) > 0;
}

// Socket Mode's acknowledgement of one envelope: {"envelope_id": id}.
std::string ack_frame(const std::string &envelope_id) {
    Poco::JSON::Object ack = json_object();
    ack.set("envelope_id", envelope_id);
    return json_text(ack);
}

}  // namespace

// One connection's face toward the client, whatever its stream type.
class Session {
public:
    virtual ~Session() = default;
    virtual void run(const Url &url) = 0;
    virtual void send(std::string text) = 0;
    virtual void close() = 0;
    int id = 0;
    int slot = 0;
    bool live = false;       // said hello
    bool replacing = false;  // opened to replace the slot's current session
    bool counted = false;    // counted in open_sessions_ (its handshake finished)
};

class SocketModeClient::Impl {
public:
    Impl(WebApi &api, EnvelopeSink &sink, SocketModeOptions options)
        : api_(api), sink_(sink), options_(options), slots_(static_cast<size_t>(std::clamp(options.connections, 1, 10))) {}

    void start() {
        io_thread_ = std::thread([this] { run(); });
        net::post(ioc_, [this] {
            for (size_t i = 0; i < slots_.size(); ++i) open(static_cast<int>(i), false);
        });
    }

    void stop() {
        if (!io_thread_.joinable()) return;
        net::post(ioc_, [this] {
            stopping_ = true;
            for (auto &slot : slots_) slot.timer.reset();
            for (auto &s : sessions_) s->close();
        });
        // Close handshakes get a moment; then everything stops.
        for (int i = 0; i < 40; ++i) {
            {
                std::lock_guard lock(status_mutex_);
                if (open_sessions_ == 0) break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        opener_.stop();
        opener_.join();
        work_.reset();
        ioc_.stop();
        io_thread_.join();
        sessions_.clear();
        set_state("stopped", stopped_reason_.empty() ? "dlpd is shutting down" : stopped_reason_);
    }

    SocketModeStatus status() const {
        std::lock_guard lock(status_mutex_);
        SocketModeStatus s = status_;
        s.wanted_connections = static_cast<int>(slots_.size());
        return s;
    }

    // The io thread. What escapes a handler is logged and the loop carries
    // on: the connection it belonged to fails its next step or its idle
    // timeout, and is replaced.
    void run() { run_io_loop(ioc_, kLog, "a Socket Mode handler"); }

    // --- called on the io thread by sessions.
    void on_open(Session &session) {
        std::lock_guard lock(status_mutex_);
        session.counted = true;
        ++open_sessions_;
    }

    void on_text(const std::shared_ptr<Session> &session, const std::string &text);
    void on_binary(Session &session, size_t bytes) {
        log(LogLevel::warning, kLog,
            "connection " + std::to_string(session.id) + ": skipped a binary frame of " + std::to_string(bytes) +
                " bytes (Socket Mode sends text)");
    }
    void on_closed(const std::shared_ptr<Session> &session, const std::string &why);

    net::io_context &ioc() { return ioc_; }
    const SocketModeOptions &options() const { return options_; }
    std::shared_ptr<net::ssl::context> tls() {
        if (!tls_) tls_ = make_tls_client_context();
        return tls_;
    }

private:
    struct Slot {
        std::shared_ptr<Session> current;
        std::shared_ptr<Session> replacement;
        int failures = 0;  // since the last hello
        std::unique_ptr<net::steady_timer> timer;
        bool opening = false;
    };

    void set_state(const std::string &state, const std::string &detail) {
        std::lock_guard lock(status_mutex_);
        status_.state = state;
        status_.detail = detail;
        int live = 0;
        for (const auto &slot : slots_)
            if (slot.current && slot.current->live) ++live;
        status_.live_connections = live;
        const SlackMetrics &m = slack_metrics();
        const bool stopped = state == "stopped";
        m.connections_live.set(stopped ? 0 : live);
        m.connections_opening.set(stopped ? 0 : std::max(0.0, static_cast<double>(sessions_.size()) - live));
        m.connections_wanted.set(static_cast<double>(slots_.size()));
        for (const char *s : {"connecting", "connected", "stopped"}) m.socket_state.with({s}).set(state == s ? 1 : 0);
    }
    void refresh_state() {
        if (stopping_) return;
        int live = 0;
        for (const auto &slot : slots_)
            if (slot.current && slot.current->live) ++live;
        set_state(live > 0 ? "connected" : "connecting",
                  std::to_string(live) + " of " + std::to_string(slots_.size()) + " Socket Mode connections live");
    }

    // Asks for a URL off the io thread, then connects on it.
    void open(int slot_index, bool replacing) {
        if (stopping_) return;
        Slot &slot = slots_[static_cast<size_t>(slot_index)];
        if (slot.opening) return;
        slot.opening = true;
        net::post(opener_, [this, slot_index, replacing] {
            ApiResult result = api_.call("apps.connections.open", "{}", Token::app);
            net::post(ioc_, [this, slot_index, replacing, result] { opened(slot_index, replacing, result); });
        });
    }

    void opened(int slot_index, bool replacing, const ApiResult &result);
    void connect(int slot_index, bool replacing, const Url &url);

    void retry_later(int slot_index) {
        if (stopping_) return;
        Slot &slot = slots_[static_cast<size_t>(slot_index)];
        const auto delay = backoff(slot.failures++);
        log(LogLevel::info, kLog,
            "connection slot " + std::to_string(slot_index) + ": reconnecting in " + std::to_string(delay.count()) +
                " ms");
        slot.timer = std::make_unique<net::steady_timer>(ioc_, delay);
        slot.timer->async_wait([this, slot_index](beast::error_code ec) {
            if (!ec) open(slot_index, false);
        });
    }

    std::chrono::milliseconds backoff(int failures) {
        const auto base = options_.reconnect_base.count();
        const auto cap = options_.reconnect_max.count();
        long long delay = base;
        for (int i = 0; i < failures && delay < cap; ++i) delay *= 2;
        delay = std::min<long long>(delay, cap);
        std::uniform_int_distribution<long long> jitter(delay / 2, delay);
        return std::chrono::milliseconds(jitter(random_));
    }

    void note_failure(const std::string &why) {
        std::lock_guard lock(status_mutex_);
        status_.last_failure = why;
    }

    void stop_for_good(const std::string &reason) {
        stopped_reason_ = reason;
        stopping_ = true;
        for (auto &slot : slots_) slot.timer.reset();
        for (auto &s : sessions_) s->close();
        log(LogLevel::error, kLog, reason);
        set_state("stopped", reason);
    }

    WebApi &api_;
    EnvelopeSink &sink_;
    SocketModeOptions options_;
    net::io_context ioc_{1};
    net::executor_work_guard<net::io_context::executor_type> work_ = net::make_work_guard(ioc_);
    net::thread_pool opener_{1};
    std::thread io_thread_;
    std::shared_ptr<net::ssl::context> tls_;
    std::vector<Slot> slots_;
    std::set<std::shared_ptr<Session>> sessions_;
    int next_session_id_ = 1;
    bool stopping_ = false;
    std::string stopped_reason_;
    std::mt19937 random_{std::random_device{}()};

    mutable std::mutex status_mutex_;
    SocketModeStatus status_{"connecting", "", 0, 0, {}};
    int open_sessions_ = 0;

};

// One WebSocket connection over a plain or a TLS stream. Lives on the io
// thread; owned by the client's session set and its own pending operations.
template <class Stream>
class WebSocketSession final : public Session, public std::enable_shared_from_this<WebSocketSession<Stream>> {
public:
    template <class... Args>
    WebSocketSession(SocketModeClient::Impl &client, Args &&...stream_args)
        : client_(client), ws_(std::forward<Args>(stream_args)...), hello_timer_(client.ioc()) {}

    void run(const Url &url) override {
        url_ = url;
        auto self = this->shared_from_this();
        auto resolver = std::make_shared<tcp::resolver>(client_.ioc());
        resolver->async_resolve(url.host, url.port,
                                [self, resolver](beast::error_code ec, tcp::resolver::results_type results) {
                                    if (ec) return self->fail("cannot resolve " + self->url_.host, ec);
                                    self->connect(results);
                                });
    }

    void send(std::string text) override {
        if (closing_) return;
        outbox_.push_back(std::move(text));
        if (outbox_.size() == 1) write_next();
    }

    void close() override {
        if (closing_) return;
        closing_ = true;
        hello_timer_.cancel();
        if (!handshaken_) {
            beast::get_lowest_layer(ws_).close();
            return;
        }
        auto self = this->shared_from_this();
        // A peer that never answers the close frame gets its socket closed.
        auto guard = std::make_shared<net::steady_timer>(client_.ioc(), std::chrono::seconds(1));
        guard->async_wait([self, guard](beast::error_code ec) {
            if (!ec) beast::get_lowest_layer(self->ws_).close();
        });
        ws_.async_close(websocket::close_code::normal, [self, guard](beast::error_code) {
            guard->cancel();
            beast::get_lowest_layer(self->ws_).close();
        });
    }

private:
    void connect(const tcp::resolver::results_type &results) {
        auto self = this->shared_from_this();
        beast::get_lowest_layer(ws_).expires_after(client_.options().handshake_timeout);
        beast::get_lowest_layer(ws_).async_connect(results, [self](beast::error_code ec, const tcp::endpoint &) {
            if (ec) return self->fail("cannot connect to " + self->url_.host, ec);
            beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true));
            self->tls_handshake();
        });
    }

    void tls_handshake() {
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
            auto self = this->shared_from_this();
            if (!prepare_tls_stream(ws_.next_layer(), url_.host))
                return fail("cannot set the TLS server name", {});
            ws_.next_layer().async_handshake(net::ssl::stream_base::client, [self](beast::error_code ec) {
                if (ec) return self->fail("TLS handshake with " + self->url_.host + " failed", ec);
                self->upgrade();
            });
        } else {
            upgrade();
        }
    }

    void upgrade() {
        auto self = this->shared_from_this();
        beast::get_lowest_layer(ws_).expires_never();
        websocket::stream_base::timeout timeout{};
        timeout.handshake_timeout = client_.options().handshake_timeout;
        timeout.idle_timeout = client_.options().idle_timeout;
        timeout.keep_alive_pings = true;
        ws_.set_option(timeout);
        ws_.read_message_max(client_.options().max_frame_bytes);
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::request_type &request) { request.set(beast::http::field::user_agent, "dlpd"); }));
        const bool default_port = url_.port == (url_.tls() ? "443" : "80");
        ws_.async_handshake(default_port ? url_.host : url_.host + ":" + url_.port, url_.target,
                            [self](beast::error_code ec) {
                                if (ec) return self->fail("WebSocket handshake with " + self->url_.host + " failed", ec);
                                self->handshaken_ = true;
                                self->client_.on_open(*self);
                                self->hello_timer_.expires_after(self->client_.options().hello_timeout);
                                self->hello_timer_.async_wait([self](beast::error_code e) {
                                    if (e || self->live) return;
                                    log(LogLevel::warning, kLog,
                                        "connection " + std::to_string(self->id) + ": no hello in time; reconnecting");
                                    self->close();
                                });
                                self->read();
                            });
    }

    void read() {
        auto self = this->shared_from_this();
        ws_.async_read(buffer_, [self](beast::error_code ec, size_t bytes) {
            if (ec) return self->fail("connection lost", ec);
            if (!self->ws_.got_text()) {
                self->buffer_.consume(self->buffer_.size());
                self->client_.on_binary(*self, bytes);
            } else {
                std::string text = beast::buffers_to_string(self->buffer_.data());
                self->buffer_.consume(self->buffer_.size());
                if (text == std::string() || text.find_first_not_of(" \t\r\n") == std::string::npos) {
                    log(LogLevel::warning, kLog, "connection " + std::to_string(self->id) + ": skipped an empty frame");
                } else {
                    // A frame that cannot be handled costs this connection,
                    // which is replaced; never the process.
                    try {
                        self->client_.on_text(self, text);
                    } catch (const std::exception &e) {
                        return self->fail(std::string("a frame could not be handled (") + e.what() + ")", {});
                    }
                    if (self->live) self->hello_timer_.cancel();
                }
            }
            self->read();
        });
    }

    void write_next() {
        auto self = this->shared_from_this();
        ws_.text(true);
        ws_.async_write(net::buffer(outbox_.front()), [self](beast::error_code ec, size_t) {
            if (ec) return self->fail("cannot send", ec);
            self->outbox_.pop_front();
            if (!self->outbox_.empty()) self->write_next();
        });
    }

    void fail(const std::string &what, beast::error_code ec) {
        if (finished_) return;
        finished_ = true;
        hello_timer_.cancel();
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
        std::string why = what;
        if (ec == beast::error::timeout)
            why += ": no frame for " + std::to_string(client_.options().idle_timeout.count()) + " ms (timed out)";
        else if (ec == websocket::error::closed)
            why = "closed by the peer";
        else if (ec)
            why += ": " + ec.message();
        client_.on_closed(this->shared_from_this(), closing_ ? "closed" : why);
    }

    SocketModeClient::Impl &client_;
    websocket::stream<Stream> ws_;
    Url url_;
    beast::flat_buffer buffer_;
    std::deque<std::string> outbox_;
    net::steady_timer hello_timer_;
    bool handshaken_ = false;
    bool closing_ = false;
    bool finished_ = false;
};

void SocketModeClient::Impl::opened(int slot_index, bool replacing, const ApiResult &result) {
    Slot &slot = slots_[static_cast<size_t>(slot_index)];
    slot.opening = false;
    if (stopping_) return;
    if (!result.ok) {
        if (result.error == "stopping") return;
        note_failure(result.detail);
        if (unrecoverable_open_error(result.error)) {
            stop_for_good("apps.connections.open failed with '" + result.error +
                          "': check SLACK_APP_TOKEN (an app-level token xapp-… with connections:write). Socket "
                          "Mode is stopped until dlpd is restarted");
            return;
        }
        log(LogLevel::warning, kLog, "apps.connections.open failed: " + result.detail);
        if (!replacing) retry_later(slot_index);
        return;
    }
    std::string error;
    const std::string url_text = result.string_field("url");
    auto url = Url::parse(url_text, error);
    if (!url || (url->scheme != "ws" && url->scheme != "wss")) {
        const std::string why =
            "apps.connections.open gave an unusable URL (" + (url ? "not ws:// or wss://" : error) + ")";
        note_failure(why);
        log(LogLevel::warning, kLog, why);
        if (!replacing) retry_later(slot_index);
        return;
    }
    connect(slot_index, replacing, *url);
}

void SocketModeClient::Impl::connect(int slot_index, bool replacing, const Url &url) {
    std::shared_ptr<Session> session;
    if (url.tls())
        session = std::make_shared<WebSocketSession<beast::ssl_stream<beast::tcp_stream>>>(*this, ioc_, *tls());
    else
        session = std::make_shared<WebSocketSession<beast::tcp_stream>>(*this, ioc_);
    session->id = next_session_id_++;
    session->slot = slot_index;
    session->replacing = replacing;
    Slot &slot = slots_[static_cast<size_t>(slot_index)];
    (replacing ? slot.replacement : slot.current) = session;
    sessions_.insert(session);
    // The URL carries a one-time ticket: only its host is logged.
    log(LogLevel::info, kLog,
        "connection " + std::to_string(session->id) + ": connecting to " + url.host +
            (replacing ? " (replacing the slot's connection)" : ""));
    session->run(url);
}

void SocketModeClient::Impl::on_text(const std::shared_ptr<Session> &session, const std::string &text) {
    Poco::JSON::Object::Ptr frame;
    try {
        Poco::JSON::Parser parser;
        frame = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception &) {
        frame = nullptr;
    }
    const std::string where = "connection " + std::to_string(session->id) + ": ";
    if (!frame) {
        log(LogLevel::warning, kLog,
            where + "skipped a malformed frame (" + std::to_string(text.size()) + " bytes, not a JSON object)");
        return;
    }
    const std::string type = frame->optValue<std::string>("type", "");
    const std::string envelope_id = frame->optValue<std::string>("envelope_id", "");
    Slot &slot = slots_[static_cast<size_t>(session->slot)];

    if (type == "hello") {
        session->live = true;
        slot.failures = 0;
        std::string connections = "?";
        if (frame->has("num_connections")) connections = frame->get("num_connections").toString();
        log(LogLevel::info, kLog, where + "live (hello; Slack counts " + connections + " connections for this app)");
        if (session == slot.replacement) {
            auto old = slot.current;
            slot.current = session;
            slot.replacement.reset();
            if (old) old->close();
        }
        refresh_state();
        return;
    }
    if (type == "disconnect") {
        const std::string reason = frame->optValue<std::string>("reason", "");
        log(LogLevel::info, kLog, where + "Slack asks to disconnect (" + (reason.empty() ? "no reason" : reason) + ")");
        slack_metrics().disconnects.with({metrics::bounded_label(reason)}).inc();
        if (reason == "link_disabled") {
            stop_for_good("Socket Mode is turned off for this Slack app (disconnect: link_disabled). dlpd no longer "
                          "receives events: turn Socket Mode on in the app's settings, then restart dlpd");
        } else if (reason == "too_many_websockets") {
            // Close first, then dial again after a backoff: a new socket now
            // would only add to the count.
            if (session == slot.current) slot.failures++;
            session->close();
        } else if (session == slot.current && !slot.replacement && !slot.opening) {
            open(session->slot, true);  // warning, refresh_requested: make before break
        }
        return;
    }
    if (envelope_id.empty() || (type != "events_api" && type != "interactive" && type != "slash_commands")) {
        log(LogLevel::warning, kLog, where + "skipped a frame of unknown type '" + type + "'");
        return;
    }
    if (type != "events_api") {
        // Interactive and slash-command payloads are not dlpd's; acknowledge
        // so the user is not shown an error.
        session->send(ack_frame(envelope_id));
        log(LogLevel::debug, kLog, where + "acknowledged a '" + type + "' envelope dlpd does not use");
        return;
    }
    Envelope envelope;
    envelope.transport = "socket";
    envelope.envelope_id = envelope_id;
    envelope.retry_attempt = frame->optValue<int>("retry_attempt", 0);
    envelope.retry_reason = frame->optValue<std::string>("retry_reason", "");
    try {
        envelope.payload = frame->getObject("payload");
    } catch (const std::exception &) {
        envelope.payload = nullptr;
    }
    if (!envelope.payload) {
        log(LogLevel::warning, kLog, where + "skipped an events_api envelope without a payload object");
        session->send(ack_frame(envelope_id));
        return;
    }
    std::ostringstream payload_text;
    Poco::JSON::Stringifier::stringify(envelope.payload, payload_text);
    envelope.payload_text = payload_text.str();
    std::weak_ptr<Session> weak = session;
    sink_.accept(std::move(envelope), [this, weak, envelope_id](IntakeResult result) {
        if (!should_acknowledge(result)) return;  // Slack will redeliver it
        net::post(ioc_, [weak, envelope_id] {
            if (auto s = weak.lock()) s->send(ack_frame(envelope_id));
        });
    });
}

void SocketModeClient::Impl::on_closed(const std::shared_ptr<Session> &session, const std::string &why) {
    sessions_.erase(session);
    {
        std::lock_guard lock(status_mutex_);
        if (session->counted) --open_sessions_;
        session->counted = false;
    }
    Slot &slot = slots_[static_cast<size_t>(session->slot)];
    log(LogLevel::info, kLog, "connection " + std::to_string(session->id) + ": " + why);
    if (why != "closed" && !stopping_) note_failure(why);
    if (session == slot.replacement) {
        slot.replacement.reset();  // the current connection carries on
        refresh_state();
        return;
    }
    if (session != slot.current) {
        refresh_state();
        return;
    }
    slot.current.reset();
    if (slot.replacement) {  // the replacement takes over once it says hello
        slot.current = slot.replacement;
        slot.replacement.reset();
    } else if (!stopping_) {
        retry_later(session->slot);
    }
    refresh_state();
}

SocketModeClient::SocketModeClient(WebApi &api, EnvelopeSink &sink, SocketModeOptions options)
    : impl_(std::make_unique<Impl>(api, sink, options)) {}
SocketModeClient::~SocketModeClient() { stop(); }
void SocketModeClient::start() { impl_->start(); }
void SocketModeClient::stop() { impl_->stop(); }
SocketModeStatus SocketModeClient::status() const { return impl_->status(); }

}  // namespace dlpd::slack
