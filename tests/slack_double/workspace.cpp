// The workspace's state, its records, and Socket Mode: tickets, hello,
// envelopes, acks and redelivery after the ack deadline.
#include "workspace.hpp"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace dlpd::test::slack_double {

Poco::JSON::Object::Ptr new_object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string to_json(const Poco::JSON::Object::Ptr &object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

Workspace::Workspace(SlackDoubleOptions options) : options_(std::move(options)) {}

void Workspace::attach(Scheduler *scheduler, uint16_t port) {
    std::lock_guard lock(mu_);
    scheduler_ = scheduler;
    port_ = port;
}

uint16_t Workspace::port() const {
    std::lock_guard lock(mu_);
    return port_;
}

void Workspace::changed_locked() {
    ++generation_;
    changed_.notify_all();
}

bool Workspace::wait_for(const std::function<bool()> &ready, std::chrono::milliseconds timeout) const {
    // `ready` takes the lock itself, so it runs without it; the generation
    // counter makes sure no change between two checks is missed.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::uint64_t seen;
        {
            std::lock_guard lock(mu_);
            seen = generation_;
        }
        if (ready()) return true;
        std::unique_lock lock(mu_);
        if (!changed_.wait_until(lock, deadline, [&] { return generation_ != seen; })) {
            lock.unlock();
            return ready();
        }
    }
}

// --- Workspace content and Web API records.

void Workspace::add_channel(const std::string &channel) {
    std::lock_guard lock(mu_);
    channels_[channel];
    changed_locked();
}

void Workspace::add_message(const Message &message) {
    std::lock_guard lock(mu_);
    keep_message_locked(message);
    changed_locked();
}

void Workspace::keep_message_locked(const Message &message) {
    auto &list = channels_[message.channel].messages;
    // A reply to a thread whose parent was deleted (a reply being written as
    // the parent goes): the thread has replies, so its parent is a tombstone,
    // as if it had been deleted after the reply.
    if (!message.thread_ts.empty() && message.thread_ts != message.ts &&
        std::none_of(list.begin(), list.end(), [&](const Message &m) { return m.ts == message.thread_ts; })) {
        for (const auto &gone : deleted_)
            if (gone.channel == message.channel && gone.ts == message.thread_ts) {
                Message tombstone = gone;
                tombstone.tombstone = true;
                tombstone.text = "This message was deleted.";
                tombstone.user = "USLACKBOT";
                tombstone.bot_id.clear();
                tombstone.metadata.clear();
                list.push_back(tombstone);
                break;
            }
    }
    list.push_back(message);
}

void Workspace::add_file(const File &file) {
    std::lock_guard lock(mu_);
    files_[file.id] = file;
    if (!file.channel.empty()) channels_[file.channel];
    changed_locked();
}

Message Workspace::edit_message(const std::string &channel, const std::string &ts, const std::string &text) {
    std::lock_guard lock(mu_);
    auto &list = channels_[channel].messages;
    auto it = std::find_if(list.begin(), list.end(), [&](const Message &m) { return m.ts == ts; });
    Message previous{channel, ts, {}, {}, {}, {}, {}};
    if (it == list.end()) {
        list.push_back(previous);
        it = std::prev(list.end());
    } else {
        previous = *it;
    }
    it->text = text;
    changed_locked();
    return previous;
}

std::vector<Message> Workspace::messages(const std::string &channel) const {
    std::lock_guard lock(mu_);
    auto it = channels_.find(channel);
    return it == channels_.end() ? std::vector<Message>{} : it->second.messages;
}

void Workspace::serve_sign_in_page_for_downloads(bool on) {
    std::lock_guard lock(mu_);
    sign_in_page_for_downloads_ = on;
}

std::vector<File> Workspace::deleted_files() const {
    std::lock_guard lock(mu_);
    return deleted_files_;
}

std::vector<Message> Workspace::deleted_messages() const {
    std::lock_guard lock(mu_);
    return deleted_;
}

std::vector<Message> Workspace::posted_messages() const {
    std::lock_guard lock(mu_);
    return posted_;
}

void Workspace::rate_limit_next(const std::string &method, int n, int retry_after_seconds) {
    std::lock_guard lock(mu_);
    rate_limits_[method] = RateLimit{n, retry_after_seconds};
}

void Workspace::fail_next(const std::string &method, const std::string &error) {
    std::lock_guard lock(mu_);
    failures_[method].push_back(error);
}

std::vector<ApiCall> Workspace::calls() const {
    std::lock_guard lock(mu_);
    return calls_;
}

// --- Socket Mode.

std::string Workspace::hello_frame(int num_connections) const {
    auto hello = new_object();
    hello->set("type", "hello");
    hello->set("num_connections", num_connections);
    auto debug = new_object();
    debug->set("host", "applink-double-" + std::to_string(port_));
    debug->set("build_number", 10);
    debug->set("approximate_connection_time", 18060);
    hello->set("debug_info", debug);
    auto info = new_object();
    info->set("app_id", options_.app_id);
    hello->set("connection_info", info);
    return to_json(hello);
}

std::string Workspace::disconnect_frame(const std::string &reason) const {
    auto frame = new_object();
    frame->set("type", "disconnect");
    frame->set("reason", reason);
    auto debug = new_object();
    debug->set("host", "wss-double-" + std::to_string(port_));
    frame->set("debug_info", debug);
    return to_json(frame);
}

bool Workspace::admit_socket(const std::string &target) {
    std::lock_guard lock(mu_);
    std::string ticket;
    if (target.rfind("/link/?", 0) == 0 || target.rfind("/link?", 0) == 0) {
        auto p = target.find("ticket=");
        if (p != std::string::npos) ticket = target.substr(p + 7, target.find('&', p) - (p + 7));
    }
    const bool ok = tickets_.erase(ticket) == 1;  // each URL is usable once
    if (!ok) ++refused_connections_;
    changed_locked();
    return ok;
}

int Workspace::next_connection_id() {
    std::lock_guard lock(mu_);
    return ++next_connection_;
}

void Workspace::on_socket_open(const std::shared_ptr<SocketConnection> &connection) {
    std::lock_guard lock(mu_);
    ++total_connections_;
    if (static_cast<int>(open_.size()) >= options_.max_connections) {
        connection->send_text(disconnect_frame("too_many_websockets"));
        connection->close();
        changed_locked();
        return;
    }
    open_[connection->id()] = connection;
    connection->send_text(hello_frame(static_cast<int>(open_.size())));
    while (!waiting_.empty()) {
        auto it = envelopes_.find(waiting_.front());
        waiting_.pop_front();
        if (it != envelopes_.end() && !it->second.acked)
            deliver_locked(it->second, it->second.attempt == 0 ? "" : "timeout");
    }
    changed_locked();
}

void Workspace::on_socket_closed(int connection) {
    std::lock_guard lock(mu_);
    open_.erase(connection);
    changed_locked();
}

void Workspace::on_socket_binary(int connection, std::size_t bytes) {
    std::lock_guard lock(mu_);
    unexpected_.push_back("<binary " + std::to_string(bytes) + " bytes on connection " +
                          std::to_string(connection) + ">");
    changed_locked();
}

void Workspace::on_socket_text(int connection, const std::string &text) {
    std::lock_guard lock(mu_);
    try {
        auto object = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
        if (object->has("envelope_id") && object->get("envelope_id").isString()) {
            Ack ack;
            ack.envelope_id = object->getValue<std::string>("envelope_id");
            ack.connection = connection;
            ack.received_at = std::chrono::steady_clock::now();
            if (auto payload = object->getObject("payload")) ack.payload = to_json(payload);
            if (auto it = envelopes_.find(ack.envelope_id); it != envelopes_.end()) {
                ack.known = true;
                it->second.acked = true;
            }
            acks_.push_back(std::move(ack));
            changed_locked();
            return;
        }
    } catch (const Poco::Exception &) {
        // Not JSON or not an object: recorded below.
    }
    unexpected_.push_back(text);
    changed_locked();
}

std::string Workspace::push_event(Poco::JSON::Object::Ptr event) {
    std::lock_guard lock(mu_);
    auto id = push_event_locked(std::move(event));
    changed_locked();
    return id;
}

std::string Workspace::push_event_locked(Poco::JSON::Object::Ptr event) {
    Envelope envelope;
    const auto n = ++serial_;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%08llx-e0e0-4a1d-9b5e-%012llx", static_cast<unsigned long long>(port_),
                  static_cast<unsigned long long>(n));
    envelope.id = buf;
    std::snprintf(buf, sizeof buf, "Ev0D%08llu", static_cast<unsigned long long>(n));
    envelope.event_id = buf;

    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch());
    auto payload = new_object();
    payload->set("token", "double-verification-token");
    payload->set("team_id", options_.team_id);
    payload->set("api_app_id", options_.app_id);
    payload->set("event", event);
    payload->set("type", "event_callback");
    payload->set("event_id", envelope.event_id);
    payload->set("event_time", static_cast<Poco::Int64>(now.count()));
    auto authorization = new_object();
    authorization->set("enterprise_id", Poco::Dynamic::Var());
    authorization->set("team_id", options_.team_id);
    authorization->set("user_id", options_.bot_user_id);
    authorization->set("is_bot", true);
    authorization->set("is_enterprise_install", false);
    Poco::JSON::Array::Ptr authorizations = new Poco::JSON::Array;
    authorizations->add(authorization);
    payload->set("authorizations", authorizations);
    payload->set("is_ext_shared_channel", false);
    const std::string type = event->has("type") ? event->getValue<std::string>("type") : "event";
    const std::string channel = event->has("channel") ? event->get("channel").toString() : "";
    payload->set("event_context", "1-" + type + "-" + options_.team_id + "-" + channel);
    envelope.payload = payload;

    auto &stored = envelopes_[envelope.id] = std::move(envelope);
    deliver_locked(stored, "");
    return stored.id;
}

void Workspace::deliver_locked(Envelope &envelope, const std::string &reason) {
    if (open_.empty()) {
        waiting_.push_back(envelope.id);
        return;
    }
    // Slack sends each envelope to any one of the app's connections.
    auto it = open_.begin();
    std::advance(it, static_cast<long>(round_robin_++ % open_.size()));
    auto connection = it->second.lock();
    if (!connection) {
        open_.erase(it);
        deliver_locked(envelope, reason);
        return;
    }
    auto frame = new_object();
    frame->set("envelope_id", envelope.id);
    frame->set("payload", envelope.payload);
    frame->set("type", "events_api");
    frame->set("accepts_response_payload", false);
    frame->set("retry_attempt", envelope.attempt);
    frame->set("retry_reason", reason);
    const auto sent_at = std::chrono::steady_clock::now();
    connection->send_text(to_json(frame));
    deliveries_.push_back(Delivery{envelope.id, envelope.event_id, envelope.attempt, reason, connection->id(), sent_at});
    if (scheduler_) {
        const std::string id = envelope.id;
        const int attempt = envelope.attempt;
        scheduler_->after(options_.ack_timeout, [this, id, attempt] { on_ack_deadline(id, attempt); });
    }
}

void Workspace::on_ack_deadline(const std::string &envelope_id, int attempt) {
    std::lock_guard lock(mu_);
    auto it = envelopes_.find(envelope_id);
    if (it == envelopes_.end() || it->second.acked || it->second.attempt != attempt) return;
    if (attempt >= options_.max_redeliveries) return;  // Slack gives up after the last retry
    ++it->second.attempt;
    deliver_locked(it->second, "timeout");
    changed_locked();
}

void Workspace::for_each_connection(const std::function<void(SocketConnection &)> &fn) {
    std::lock_guard lock(mu_);
    for (auto &[id, weak] : open_)
        if (auto c = weak.lock()) fn(*c);
}

std::vector<Ack> Workspace::acks() const {
    std::lock_guard lock(mu_);
    return acks_;
}

std::vector<Delivery> Workspace::deliveries() const {
    std::lock_guard lock(mu_);
    return deliveries_;
}

std::vector<std::string> Workspace::unexpected_frames() const {
    std::lock_guard lock(mu_);
    return unexpected_;
}

int Workspace::open_connections() const {
    std::lock_guard lock(mu_);
    return static_cast<int>(open_.size());
}

int Workspace::total_connections() const {
    std::lock_guard lock(mu_);
    return total_connections_;
}

int Workspace::refused_connections() const {
    std::lock_guard lock(mu_);
    return refused_connections_;
}

}  // namespace dlpd::test::slack_double
