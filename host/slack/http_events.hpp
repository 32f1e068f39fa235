// HTTP Events mode (slack.mode: http): Slack POSTs each event to
// http://slack.http_listen/slack/events. Every request's signature is checked
// (v0 HMAC-SHA256 with the signing secret, five-minute window), then
// url_verification is answered with its challenge and event_callback goes to
// the EnvelopeSink; the 200 goes out once the event is durably recorded (a
// 500 when it could not be, so Slack retries). GET /healthz answers "ok".
// A request over the limits is answered 413 or 431, one the parser refuses
// 400, and the connection closes (events_request.hpp has the rules).
//
// Nothing a client sends ends the process: an exception that escapes a
// connection's handler is logged and closes that connection only.
//
// Threads: one io thread; start() and stop() from the controlling thread.
#ifndef DLPD_HOST_SLACK_HTTP_EVENTS_HPP
#define DLPD_HOST_SLACK_HTTP_EVENTS_HPP

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "slack/envelope.hpp"
#include "slack/events_request.hpp"

namespace dlpd::slack {

struct HttpEventsOptions {
    std::string listen = "127.0.0.1:3000";  // HOST:PORT; port 0 picks a free one
    std::string signing_secret;
    EventsLimits limits;
    // For reading a request and writing its answer.
    std::chrono::milliseconds request_timeout{10000};
    // Refused requests and url_verification answers are logged once per
    // address and then summarised once per this interval (log.summary_seconds).
    std::chrono::milliseconds log_summary{60000};
};

class HttpEventsServer {
public:
    HttpEventsServer(EnvelopeSink &sink, HttpEventsOptions options);
    ~HttpEventsServer();
    HttpEventsServer(const HttpEventsServer &) = delete;
    HttpEventsServer &operator=(const HttpEventsServer &) = delete;

    // Binds and starts serving; returns the port. Throws std::runtime_error
    // naming the address when it cannot bind.
    uint16_t start();
    void stop();
    // Requests refused since the start (bad signature, unreadable, over a limit, ...).
    uint64_t refused() const;

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace dlpd::slack

#endif
