// The double's model of a Slack workspace: tokens, channels, messages, files,
// faults, records, and Socket Mode envelopes with their ack deadlines. It owns
// the semantics of every request; the transport (http_side.cpp,
// websocket_side.cpp) only moves bytes. No Boost types here.
//
// Threads: every member is safe from any thread; one mutex guards the state and
// a condition variable announces each change (for SlackDouble::wait_for).
// Calls out of the workspace (SocketConnection, Scheduler) only post work to
// the io thread, so they are made with the mutex held.
#ifndef DLPD_TESTS_SLACK_DOUBLE_WORKSPACE_HPP
#define DLPD_TESTS_SLACK_DOUBLE_WORKSPACE_HPP

#include <Poco/JSON/Object.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "slack_double.hpp"

namespace dlpd::test::slack_double {

// One Socket Mode connection, as the workspace sees it. Implemented in
// websocket_side.cpp; each call posts to the connection's strand.
class SocketConnection {
public:
    virtual ~SocketConnection() = default;
    virtual int id() const = 0;
    virtual void send_text(std::string frame) = 0;
    virtual void send_binary(std::string frame) = 0;
    virtual void go_silent() = 0;
    virtual void drop() = 0;   // TCP reset, no close frame
    virtual void close() = 0;  // WebSocket close frame
};

// Runs a function on the io thread after a delay. Implemented in http_side.cpp.
class Scheduler {
public:
    virtual ~Scheduler() = default;
    virtual void after(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
};

// A request reduced to what the Web API semantics need.
struct HttpExchange {
    std::string verb;  // "GET", "POST"
    std::string target;
    std::string authorization;
    std::string content_type;
    std::string body;
};

struct HttpAnswer {
    unsigned status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

class Workspace {
public:
    explicit Workspace(SlackDoubleOptions options);

    // Set once the server is bound, before any request arrives.
    void attach(Scheduler *scheduler, uint16_t port);
    uint16_t port() const;
    const SlackDoubleOptions &options() const { return options_; }

    // --- Requests (web_api.cpp).
    HttpAnswer handle_http(const HttpExchange &request);

    // --- Socket Mode transport events (workspace.cpp).
    // Consumes the ticket in the upgrade target; false refuses the upgrade.
    bool admit_socket(const std::string &target);
    int next_connection_id();
    void on_socket_open(const std::shared_ptr<SocketConnection> &connection);
    void on_socket_text(int connection, const std::string &text);
    void on_socket_binary(int connection, std::size_t bytes);
    void on_socket_closed(int connection);

    // --- Test API (workspace.cpp).
    void add_channel(const std::string &channel);
    void add_message(const Message &message);
    void add_file(const File &file);
    // Replaces a stored message's text; returns the message as it was (only
    // channel and ts set when there was none, and then it is stored).
    Message edit_message(const std::string &channel, const std::string &ts, const std::string &text);
    std::vector<Message> messages(const std::string &channel) const;
    std::vector<Message> deleted_messages() const;
    std::vector<File> deleted_files() const;
    void serve_sign_in_page_for_downloads(bool on);
    std::vector<Message> posted_messages() const;
    void rate_limit_next(const std::string &method, int n, int retry_after_seconds);
    void fail_next(const std::string &method, const std::string &error);
    std::vector<ApiCall> calls() const;
    std::string push_event(Poco::JSON::Object::Ptr event);
    void for_each_connection(const std::function<void(SocketConnection &)> &fn);
    std::vector<Ack> acks() const;
    std::vector<Delivery> deliveries() const;
    std::vector<std::string> unexpected_frames() const;
    int open_connections() const;
    int total_connections() const;
    int refused_connections() const;
    bool wait_for(const std::function<bool()> &ready, std::chrono::milliseconds timeout) const;

    std::string hello_frame(int num_connections) const;
    std::string disconnect_frame(const std::string &reason) const;

private:
    // Stores a message in its channel (a reply to a deleted parent brings the
    // parent back as a tombstone). With mu_ held.
    void keep_message_locked(const Message &message);
    struct Channel {
        std::vector<Message> messages;  // in order of arrival; answers sort by ts
    };
    struct Envelope {
        std::string id;
        std::string event_id;
        Poco::JSON::Object::Ptr payload;
        int attempt = 0;
        bool acked = false;
    };
    struct RateLimit {
        int remaining = 0;
        int retry_after_seconds = 0;
    };

    // Web API helpers (web_api.cpp); all with mu_ held.
    HttpAnswer answer_api(const std::string &method, const HttpExchange &request, ApiCall &call);
    HttpAnswer answer_download(const std::string &target, const HttpExchange &request, ApiCall &call);
    // conversations_api.cpp; with mu_ held.
    HttpAnswer answer_history(const Poco::JSON::Object &args, ApiCall &call);
    HttpAnswer answer_replies(const Poco::JSON::Object &args, ApiCall &call);
    TokenKind classify(const std::string &token) const;
    std::string user_of(TokenKind kind) const;
    std::string new_ts();

    // Socket Mode helpers (workspace.cpp); all with mu_ held.
    std::string push_event_locked(Poco::JSON::Object::Ptr event);
    void deliver_locked(Envelope &envelope, const std::string &reason);
    void on_ack_deadline(const std::string &envelope_id, int attempt);
    void changed_locked();

    const SlackDoubleOptions options_;
    Scheduler *scheduler_ = nullptr;
    uint16_t port_ = 0;

    mutable std::mutex mu_;
    mutable std::condition_variable changed_;
    std::uint64_t generation_ = 0;
    std::uint64_t serial_ = 0;  // ts, ids and tickets

    std::map<std::string, Channel> channels_;
    std::map<std::string, File> files_;
    std::vector<Message> deleted_;
    std::vector<File> deleted_files_;
    bool sign_in_page_for_downloads_ = false;
    std::vector<Message> posted_;
    std::map<std::string, RateLimit> rate_limits_;
    std::map<std::string, std::deque<std::string>> failures_;
    std::vector<ApiCall> calls_;

    std::set<std::string> tickets_;  // issued and not yet used
    int next_connection_ = 0;
    int total_connections_ = 0;
    int refused_connections_ = 0;
    std::map<int, std::weak_ptr<SocketConnection>> open_;
    std::size_t round_robin_ = 0;
    std::map<std::string, Envelope> envelopes_;
    std::deque<std::string> waiting_;  // envelope ids to send when a socket opens
    std::vector<Ack> acks_;
    std::vector<Delivery> deliveries_;
    std::vector<std::string> unexpected_;
};

std::string to_json(const Poco::JSON::Object::Ptr &object);
Poco::JSON::Object::Ptr new_object();

}  // namespace dlpd::test::slack_double

#endif
