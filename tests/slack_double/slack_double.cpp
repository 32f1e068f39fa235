// The public face: forwards to the workspace and the server, and builds the
// inner events that the push_* helpers send.
#include "slack_double.hpp"

#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <stdexcept>

#include "server.hpp"
#include "workspace.hpp"

namespace dlpd::test {

using slack_double::new_object;
using slack_double::Server;
using slack_double::Workspace;

class SlackDouble::Impl {
public:
    explicit Impl(SlackDoubleOptions options) : workspace(std::move(options)), server(Server::create(workspace)) {}
    Workspace workspace;  // outlives the server, whose handlers refer to it
    std::unique_ptr<Server> server;
    uint16_t port = 0;
};

const char *to_string(TokenKind kind) {
    switch (kind) {
    case TokenKind::none: return "none";
    case TokenKind::bot: return "bot";
    case TokenKind::user: return "user";
    case TokenKind::app: return "app";
    case TokenKind::invalid: return "invalid";
    }
    return "?";
}

SlackDouble::SlackDouble(SlackDoubleOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
SlackDouble::~SlackDouble() { stop(); }

void SlackDouble::start() {
    if (impl_->port != 0) throw std::logic_error("SlackDouble already started");
    impl_->port = impl_->server->start();
}

void SlackDouble::stop() {
    if (impl_) impl_->server->stop();
}

uint16_t SlackDouble::port() const { return impl_->port; }
std::string SlackDouble::api_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port) + "/api/"; }
const SlackDoubleOptions &SlackDouble::options() const { return impl_->workspace.options(); }

void SlackDouble::add_channel(const std::string &channel) { impl_->workspace.add_channel(channel); }
void SlackDouble::add_message(const Message &message) { impl_->workspace.add_message(message); }
void SlackDouble::add_file(const File &file) { impl_->workspace.add_file(file); }
std::vector<Message> SlackDouble::messages(const std::string &channel) const {
    return impl_->workspace.messages(channel);
}
std::vector<Message> SlackDouble::deleted_messages() const { return impl_->workspace.deleted_messages(); }
std::vector<File> SlackDouble::deleted_files() const { return impl_->workspace.deleted_files(); }
void SlackDouble::serve_sign_in_page_for_downloads(bool on) { impl_->workspace.serve_sign_in_page_for_downloads(on); }
std::vector<Message> SlackDouble::posted_messages() const { return impl_->workspace.posted_messages(); }

void SlackDouble::rate_limit_next(const std::string &method, int n, int retry_after_seconds) {
    impl_->workspace.rate_limit_next(method, n, retry_after_seconds);
}
void SlackDouble::fail_next(const std::string &method, const std::string &error) {
    impl_->workspace.fail_next(method, error);
}
std::vector<ApiCall> SlackDouble::calls() const { return impl_->workspace.calls(); }
std::vector<ApiCall> SlackDouble::calls(const std::string &method) const {
    std::vector<ApiCall> out;
    for (auto &c : impl_->workspace.calls())
        if (c.method == method) out.push_back(c);
    return out;
}

std::string SlackDouble::push_message_event(const std::string &channel, const std::string &user,
                                            const std::string &text, const std::string &ts,
                                            const std::string &thread_ts) {
    impl_->workspace.add_message(Message{channel, ts, user, text, thread_ts, {}, {}});
    auto event = new_object();
    event->set("type", "message");
    char client_msg_id[48];
    std::snprintf(client_msg_id, sizeof client_msg_id, "d0b1e000-0000-4000-8000-%012llx",
                  static_cast<unsigned long long>(std::hash<std::string>{}(channel + ts) & 0xffffffffffffULL));
    event->set("client_msg_id", std::string(client_msg_id));
    event->set("text", text);
    event->set("user", user);
    event->set("ts", ts);
    if (!thread_ts.empty()) event->set("thread_ts", thread_ts);
    event->set("team", options().team_id);
    event->set("channel", channel);
    event->set("event_ts", ts);
    event->set("channel_type", "channel");
    return impl_->workspace.push_event(event);
}

std::string SlackDouble::push_message_changed(const std::string &channel, const std::string &ts,
                                              const std::string &new_text) {
    const Message previous = impl_->workspace.edit_message(channel, ts, new_text);
    const Message &edited = previous;
    auto message = new_object();
    message->set("type", "message");
    message->set("user", edited.user);
    message->set("text", new_text);
    message->set("ts", ts);
    auto edited_by = new_object();
    edited_by->set("user", edited.user);
    edited_by->set("ts", ts);
    message->set("edited", edited_by);
    auto previous_message = new_object();
    previous_message->set("type", "message");
    previous_message->set("user", previous.user);
    previous_message->set("text", previous.text);
    previous_message->set("ts", ts);
    auto event = new_object();
    event->set("type", "message");
    event->set("subtype", "message_changed");
    event->set("hidden", true);
    event->set("message", message);
    event->set("previous_message", previous_message);
    event->set("channel", channel);
    event->set("ts", ts);
    event->set("event_ts", ts);
    event->set("channel_type", "channel");
    return impl_->workspace.push_event(event);
}

std::string SlackDouble::push_file_shared(const std::string &file_id, const std::string &channel,
                                          const std::string &user) {
    auto file = new_object();
    file->set("id", file_id);
    auto event = new_object();
    event->set("type", "file_shared");
    event->set("channel_id", channel);
    event->set("file_id", file_id);
    event->set("user_id", user);
    event->set("file", file);
    event->set("event_ts", "1700000000.000100");
    return impl_->workspace.push_event(event);
}

std::string SlackDouble::push_event(const std::string &event_json) {
    return impl_->workspace.push_event(
        Poco::JSON::Parser().parse(event_json).extract<Poco::JSON::Object::Ptr>());
}

void SlackDouble::send_disconnect(const std::string &reason) {
    const auto frame = impl_->workspace.disconnect_frame(reason);
    impl_->workspace.for_each_connection([&](auto &c) { c.send_text(frame); });
}

void SlackDouble::send_garbage(GarbageKind kind) {
    impl_->workspace.for_each_connection([&](auto &c) {
        switch (kind) {
        case GarbageKind::malformed_json: c.send_text(R"({"envelope_id":"x","type":"events_api","payload":{)"); break;
        case GarbageKind::binary_frame: c.send_binary(std::string("\x00\xff\x10garbage", 10)); break;
        case GarbageKind::unknown_type: c.send_text(R"({"type":"surprise_party","envelope_id":"0"})"); break;
        case GarbageKind::empty_text: c.send_text(""); break;
        }
    });
}

void SlackDouble::go_silent() { impl_->workspace.for_each_connection([](auto &c) { c.go_silent(); }); }
void SlackDouble::drop_connections() { impl_->workspace.for_each_connection([](auto &c) { c.drop(); }); }
void SlackDouble::close_connections() { impl_->workspace.for_each_connection([](auto &c) { c.close(); }); }

std::vector<Ack> SlackDouble::acks() const { return impl_->workspace.acks(); }
std::vector<Delivery> SlackDouble::deliveries() const { return impl_->workspace.deliveries(); }
std::vector<Delivery> SlackDouble::deliveries(const std::string &envelope_id) const {
    std::vector<Delivery> out;
    for (auto &d : impl_->workspace.deliveries())
        if (d.envelope_id == envelope_id) out.push_back(d);
    return out;
}
std::vector<std::string> SlackDouble::unexpected_frames() const { return impl_->workspace.unexpected_frames(); }
int SlackDouble::open_connections() const { return impl_->workspace.open_connections(); }
int SlackDouble::total_connections() const { return impl_->workspace.total_connections(); }
int SlackDouble::refused_connections() const { return impl_->workspace.refused_connections(); }

bool SlackDouble::wait_for(const std::function<bool()> &ready, std::chrono::milliseconds timeout) const {
    return impl_->workspace.wait_for(ready, timeout);
}

}  // namespace dlpd::test
