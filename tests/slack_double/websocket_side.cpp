// Transport, WebSocket half: one session per Socket Mode connection, on its
// strand. It reads frames into the workspace and writes the workspace's frames
// one at a time from a bounded queue. Beast answers pings while a read is
// pending; "silent" stops that by never reading through the WebSocket again.
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <array>
#include <deque>

#include "beast_sessions.hpp"

namespace dlpd::test::slack_double {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

class SocketModeSession final : public SocketConnection, public std::enable_shared_from_this<SocketModeSession> {
public:
    SocketModeSession(beast::tcp_stream stream, Workspace &workspace)
        : ws_(std::move(stream)), workspace_(workspace), id_(workspace.next_connection_id()) {}

    void start(http::request<http::string_body> upgrade) {
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.read_message_max(workspace_.options().max_frame_bytes);
        ws_.async_accept(upgrade, [self = shared_from_this()](beast::error_code ec) {
            if (ec) return;
            self->workspace_.on_socket_open(self);
            self->read();
        });
    }

    int id() const override { return id_; }

    void send_text(std::string frame) override { post([frame = std::move(frame)](SocketModeSession &s) mutable {
        s.queue(true, std::move(frame));
    }); }

    void send_binary(std::string frame) override { post([frame = std::move(frame)](SocketModeSession &s) mutable {
        s.queue(false, std::move(frame));
    }); }

    void go_silent() override {
        post([](SocketModeSession &s) {
            s.silent_ = true;
            // The frame being written stays alive until its handler runs.
            s.outbox_.erase(s.writing_ ? std::next(s.outbox_.begin()) : s.outbox_.begin(), s.outbox_.end());
            // Ends the pending WebSocket read; on_read then switches to a raw
            // read that discards bytes, so pings are never answered.
            beast::get_lowest_layer(s.ws_).cancel();
        });
    }

    void drop() override {
        post([](SocketModeSession &s) { s.reset(); });
    }

    void close() override {
        post([](SocketModeSession &s) {
            if (s.silent_) return s.reset();
            s.close_requested_ = true;
            if (!s.writing_) s.close_now();
        });
    }

private:
    // A TCP reset with no close frame, like a dropped link.
    void reset() {
        beast::error_code ignored;
        auto &socket = beast::get_lowest_layer(ws_).socket();
        socket.set_option(net::socket_base::linger(true, 0), ignored);
        socket.close(ignored);
        finish();
    }

    template <class Fn>
    void post(Fn fn) {
        net::post(ws_.get_executor(), [self = shared_from_this(), fn = std::move(fn)]() mutable { fn(*self); });
    }

    void read() {
        ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (silent_) return discard();
        if (ec) return finish();
        const std::string frame = beast::buffers_to_string(in_.data());
        in_.consume(in_.size());
        if (ws_.got_text())
            workspace_.on_socket_text(id_, frame);
        else
            workspace_.on_socket_binary(id_, frame.size());
        read();
    }

    // Silent: keep the TCP connection, read and drop whatever comes, notice EOF.
    void discard() {
        beast::get_lowest_layer(ws_).socket().async_read_some(
            net::buffer(sink_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->finish();
                self->discard();
            });
    }

    void queue(bool text, std::string frame) {
        if (silent_ || finished_ || close_requested_) return;
        if (outbox_.size() >= workspace_.options().max_outbound_frames_queued) {
            // A client that reads nothing: drop it.
            return reset();
        }
        outbox_.push_back({text, std::move(frame)});
        if (!writing_) write_next();
    }

    void write_next() {
        writing_ = true;
        ws_.text(outbox_.front().first);
        ws_.async_write(net::buffer(outbox_.front().second),
                        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
    }

    void on_write(beast::error_code ec) {
        writing_ = false;
        if (!outbox_.empty()) outbox_.pop_front();
        if (silent_) return;  // a cancelled write is no reason to close
        if (ec) return finish();
        if (!outbox_.empty()) return write_next();
        if (close_requested_) close_now();
    }

    void close_now() {
        ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {
            self->finish();
        });
    }

    void finish() {
        if (finished_) return;
        finished_ = true;
        workspace_.on_socket_closed(id_);
    }

    websocket::stream<beast::tcp_stream> ws_;
    Workspace &workspace_;
    const int id_;
    beast::flat_buffer in_;
    std::deque<std::pair<bool, std::string>> outbox_;  // (is text, frame)
    std::array<char, 4096> sink_{};
    bool writing_ = false;
    bool silent_ = false;
    bool close_requested_ = false;
    bool finished_ = false;
};

}  // namespace

void start_socket_mode_session(beast::tcp_stream stream, http::request<http::string_body> upgrade,
                               Workspace &workspace) {
    std::make_shared<SocketModeSession>(std::move(stream), workspace)->start(std::move(upgrade));
}

}  // namespace dlpd::test::slack_double
