// Slack Socket Mode: 1 to 10 WebSocket connections, each opened with a fresh
// URL from apps.connections.open (app-level token in the header), live only
// after `hello`. Every events_api envelope goes to the EnvelopeSink, and its
// ack ({"envelope_id": …}) is written as soon as the sink says it is durably
// recorded. `disconnect` frames are never acknowledged: warning and
// refresh_requested open a replacement before the old connection closes,
// too_many_websockets closes first and backs off, link_disabled stops.
// Beast's keep-alive pings and idle timeout detect connections that died
// silently. Reconnects back off exponentially with jitter, and the backoff
// resets only after a `hello`. Malformed, binary and unknown frames are
// logged and skipped.
//
// Threads: one io thread runs every connection; apps.connections.open runs
// on a thread of its own so a slow or rate-limited call delays nothing else.
// start() and stop() from one controlling thread; status() from any.
#ifndef DLPD_HOST_SLACK_SOCKET_MODE_HPP
#define DLPD_HOST_SLACK_SOCKET_MODE_HPP

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "slack/envelope.hpp"
#include "slack/web_api.hpp"

namespace dlpd::slack {

struct SocketModeOptions {
    int connections = 1;  // 1..10
    std::chrono::milliseconds reconnect_base{1000};
    std::chrono::milliseconds reconnect_max{120000};
    // No frame (data, ping or pong) for this long: the connection is dead.
    // Beast pings at half of it.
    std::chrono::milliseconds idle_timeout{30000};
    std::chrono::milliseconds handshake_timeout{10000};
    // A connection that has not said hello by then is closed and retried.
    std::chrono::milliseconds hello_timeout{15000};
    uint64_t max_frame_bytes = uint64_t{16} << 20;
};

struct SocketModeStatus {
    std::string state;  // "connecting", "connected", "stopped"
    std::string detail;
    int live_connections = 0;
    int wanted_connections = 0;
    // Why the latest attempt to open or keep a connection failed (empty until
    // one has): what `dlpd doctor` reports. Never holds a token or a ticket.
    std::string last_failure;
};

class SocketModeClient {
public:
    SocketModeClient(WebApi &api, EnvelopeSink &sink, SocketModeOptions options);
    ~SocketModeClient();
    SocketModeClient(const SocketModeClient &) = delete;
    SocketModeClient &operator=(const SocketModeClient &) = delete;

    void start();
    // Closes every connection (close frames, then the sockets) and joins the
    // threads. Envelopes not acknowledged by then are redelivered by Slack.
    void stop();

    SocketModeStatus status() const;

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace dlpd::slack

#endif
