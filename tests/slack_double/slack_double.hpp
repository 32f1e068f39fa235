// A Slack double for tests: the Web API over plain HTTP and Socket Mode over
// ws:// on 127.0.0.1, speaking Slack's real wire protocol, with a test API to
// seed the workspace, push events, inject faults and read what clients did.
//
// Threads: one io_context runs on one background thread owned by the double.
// Every public member function is safe to call from any thread while the
// double runs. Nothing here exposes Boost types.
#ifndef DLPD_TESTS_SLACK_DOUBLE_HPP
#define DLPD_TESTS_SLACK_DOUBLE_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dlpd::test {

struct SlackDoubleOptions {
    std::string team_id = "T0DOUBLE01";
    std::string team_name = "Double Workspace";
    std::string team_domain = "double";
    std::string app_id = "A0DOUBLE01";

    // Tokens the double accepts. Any other Bearer token is `invalid_auth`.
    std::string bot_token = "xoxb-1-double-bot";
    std::string bot_user_id = "U0BOT00001";
    std::string bot_id = "B0BOT00001";
    std::vector<std::string> bot_scopes = {"chat:write", "channels:history", "files:read"};
    std::string user_token = "xoxp-1-double-admin";
    std::string user_token_user_id = "U0ADMIN001";
    // An admin's user token may delete anyone's message; a member's only their own.
    bool user_token_is_admin = true;
    std::vector<std::string> user_scopes = {"chat:write", "files:read", "files:write"};
    std::string app_token = "xapp-1-double-app";

    // Socket Mode: an envelope not acked within ack_timeout is redelivered with
    // retry_attempt + 1 and retry_reason "timeout", at most max_redeliveries times.
    std::chrono::milliseconds ack_timeout{3000};
    int max_redeliveries = 3;
    // Slack's cap per app; one more connection gets disconnect/too_many_websockets.
    int max_connections = 10;
    // After chat.delete succeeds, push the message_deleted event Slack sends.
    bool echo_deletions = true;

    // Limits of the transport.
    std::size_t max_request_body_bytes = 1024 * 1024;
    std::size_t max_frame_bytes = 1024 * 1024;
    std::size_t max_outbound_frames_queued = 1024;
};

enum class TokenKind { none, bot, user, app, invalid };

// One HTTP request the double answered (Web API call or file download).
struct ApiCall {
    std::string method;     // "chat.delete", or "file_download" for /files-pri/...
    TokenKind token = TokenKind::none;
    std::string body;       // the arguments as a JSON object text (form bodies converted)
    unsigned http_status = 200;
    std::string error;      // Slack's error code when ok:false, else empty
    std::chrono::system_clock::time_point at;
    std::chrono::steady_clock::time_point steady_at;  // for latency measurements
};

struct Message {
    std::string channel;
    std::string ts;         // opaque message id, kept verbatim
    std::string user;
    std::string text;
    std::string thread_ts;  // empty for a top-level message
    std::string bot_id;     // set for messages posted with the bot token
    std::string ephemeral_to;  // chat.postEphemeral's recipient
    // Message metadata as a JSON object text, {"event_type":…,"event_payload":{…}};
    // empty when the message has none. chat.postMessage stores what it accepted.
    std::string metadata{};
    // A deleted thread parent whose replies remain: Slack keeps it in their
    // place as "This message was deleted." (subtype tombstone).
    bool tombstone = false;
};

struct File {
    std::string id;         // "F…"
    std::string name = "file.txt";
    std::string title;      // what the sharer typed; empty: the name, as Slack sets it
    std::string mimetype = "text/plain";
    std::string filetype = "text";
    std::string user;       // uploader
    std::string channel;    // where it was shared (may be empty)
    std::string content;
};

struct Ack {
    std::string envelope_id;
    std::string payload;    // the ack's "payload" as JSON text, empty if none
    int connection = 0;
    bool known = false;     // the envelope id was one the double sent
    std::chrono::steady_clock::time_point received_at;
};

// One envelope sent over a socket.
struct Delivery {
    std::string envelope_id;
    std::string event_id;
    int retry_attempt = 0;
    std::string retry_reason;
    int connection = 0;
    std::chrono::steady_clock::time_point sent_at;  // when it was queued for the socket
};

enum class GarbageKind { malformed_json, binary_frame, unknown_type, empty_text };

class SlackDouble {
public:
    explicit SlackDouble(SlackDoubleOptions options = {});
    ~SlackDouble();
    SlackDouble(const SlackDouble &) = delete;
    SlackDouble &operator=(const SlackDouble &) = delete;

    // Binds 127.0.0.1:0 and starts the background thread; returns at once.
    void start();
    // Closes every socket and joins the thread. Idempotent.
    void stop();

    uint16_t port() const;
    // "http://127.0.0.1:PORT/api/" — what slack.api_url points at.
    std::string api_url() const;
    const SlackDoubleOptions &options() const;

    // --- The workspace.
    void add_channel(const std::string &channel);
    // Stores a message as if a user had posted it (no event is pushed).
    void add_message(const Message &message);
    void add_file(const File &file);
    std::vector<Message> messages(const std::string &channel) const;
    std::vector<Message> deleted_messages() const;  // in deletion order
    std::vector<File> deleted_files() const;        // files.delete, in order
    std::vector<Message> posted_messages() const;   // chat.postMessage and chat.postEphemeral, in order

    // --- Web API faults and records.
    // The next n calls of `method` get HTTP 429, Retry-After, error "ratelimited".
    void rate_limit_next(const std::string &method, int n, int retry_after_seconds);
    // The next call of `method` gets HTTP 200 {"ok":false,"error":error}.
    void fail_next(const std::string &method, const std::string &error);
    // Downloads answer with the sign-in page even with a valid token, as
    // Slack does when a client drops the Authorization header on a redirect.
    void serve_sign_in_page_for_downloads(bool on);
    std::vector<ApiCall> calls() const;
    std::vector<ApiCall> calls(const std::string &method) const;

    // --- Socket Mode. Each push builds an events_api envelope, stores the
    // message where it applies, and returns the envelope_id. With no socket
    // open the envelope waits and goes to the next connection.
    std::string push_message_event(const std::string &channel, const std::string &user, const std::string &text,
                                   const std::string &ts, const std::string &thread_ts = {});
    // An edit: subtype message_changed with message and previous_message.
    std::string push_message_changed(const std::string &channel, const std::string &ts, const std::string &new_text);
    // file_shared for a file added with add_file.
    std::string push_file_shared(const std::string &file_id, const std::string &channel, const std::string &user);
    // Any inner event, given as a JSON object text.
    std::string push_event(const std::string &event_json);

    // Frames to every open socket.
    void send_disconnect(const std::string &reason);
    void send_garbage(GarbageKind kind);
    // Stops answering pings and sending anything; the socket stays open.
    void go_silent();
    // Closes every socket with a TCP reset and no close frame.
    void drop_connections();
    // Closes every socket with a WebSocket close frame.
    void close_connections();

    std::vector<Ack> acks() const;
    std::vector<Delivery> deliveries() const;
    std::vector<Delivery> deliveries(const std::string &envelope_id) const;
    // Text frames from clients that are not acks, and binary frames ("<binary N bytes>").
    std::vector<std::string> unexpected_frames() const;
    int open_connections() const;
    int total_connections() const;    // upgrades accepted since start
    int refused_connections() const;  // upgrades refused (unknown or used ticket)

    // Waits until `ready()` is true or the timeout passes; returns ready().
    // For readiness in tests, not for timing assertions. `ready` may call any
    // accessor above; it runs whenever the double's state changes.
    bool wait_for(const std::function<bool()> &ready,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

const char *to_string(TokenKind kind);

}  // namespace dlpd::test

#endif
