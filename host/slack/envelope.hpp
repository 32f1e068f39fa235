// What both transports hand to the intake: one Events API payload
// (`event_callback`) and a way to answer Slack once it is durably recorded.
#ifndef DLPD_HOST_SLACK_ENVELOPE_HPP
#define DLPD_HOST_SLACK_ENVELOPE_HPP

#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <string>

namespace dlpd::slack {

struct Envelope {
    std::string transport;    // "socket" or "http", for the log
    std::string envelope_id;  // Socket Mode only
    int retry_attempt = 0;
    std::string retry_reason;
    Poco::JSON::Object::Ptr payload;  // the event_callback object
    std::string payload_text;         // the same, as received: what is recorded
    // When the transport read it: the start of the ack and action latencies.
    std::chrono::steady_clock::time_point received = std::chrono::steady_clock::now();
};

enum class IntakeResult {
    recorded,   // new: recorded durably and queued for scanning; acknowledge
    duplicate,  // already recorded (a retry, or another replica has it); acknowledge
    ignored,    // nothing dlpd acts on (no event id, app_rate_limited); acknowledge
    failed,     // could not be recorded: do NOT acknowledge, so Slack retries
};

inline bool should_acknowledge(IntakeResult r) { return r != IntakeResult::failed; }

class EnvelopeSink {
public:
    virtual ~EnvelopeSink() = default;
    // Called on a transport thread; `done` may be called on any thread, once.
    virtual void accept(Envelope envelope, std::function<void(IntakeResult)> done) = 0;
};

}  // namespace dlpd::slack

#endif
