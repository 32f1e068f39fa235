// Tests of the Slack double itself, through a small Beast HTTP and WebSocket
// client written here: what a Slack client sees on the wire.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <optional>
#include <vector>

#include "slack_double.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using dlpd::test::SlackDouble;
using dlpd::test::SlackDoubleOptions;
using JsonObject = Poco::JSON::Object::Ptr;

JsonObject parse(const std::string &text) { return Poco::JSON::Parser().parse(text).extract<JsonObject>(); }

struct HttpReply {
    unsigned status = 0;
    std::string content_type;
    std::string retry_after;
    std::string body;
    std::string oauth_scopes;  // x-oauth-scopes
    JsonObject json() const { return parse(body); }
};

// One request per connection, synchronous: the double is on loopback.
HttpReply http_request(uint16_t port, http::verb verb, const std::string &target, const std::string &token,
                       const std::string &body = {}, const std::string &content_type = "application/json; charset=utf-8") {
    net::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> request(verb, target, 11);
    request.set(http::field::host, "127.0.0.1");
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
        request.set(http::field::content_type, content_type);
        request.body() = body;
    }
    request.prepare_payload();
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    return HttpReply{response.result_int(), std::string(response[http::field::content_type]),
                     std::string(response[http::field::retry_after]), response.body(),
                     std::string(response["x-oauth-scopes"])};
}

HttpReply api(const SlackDouble &slack, const std::string &method, const std::string &token,
              const std::string &json_body = "{}") {
    return http_request(slack.port(), http::verb::post, "/api/" + method, token, json_body);
}

// Percent-encodes a form value (the SDKs send nested arguments as JSON text this way).
std::string form_value(const std::string &text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            out += hex;
        }
    }
    return out;
}

HttpReply form_api(const SlackDouble &slack, const std::string &method, const std::string &token,
                   const std::string &form_body) {
    return http_request(slack.port(), http::verb::post, "/api/" + method, token, form_body,
                        "application/x-www-form-urlencoded");
}

// The ts of each listed message, in answer order.
std::vector<std::string> listed_ts(const JsonObject &answer) {
    std::vector<std::string> out;
    auto messages = answer->getArray("messages");
    REQUIRE(messages);
    for (std::size_t i = 0; i < messages->size(); ++i)
        out.push_back(messages->getObject(i)->getValue<std::string>("ts"));
    return out;
}

JsonObject listed(const JsonObject &answer, std::size_t i) {
    return answer->getArray("messages")->getObject(i);
}

std::string next_cursor(const JsonObject &answer) {
    return answer->getObject("response_metadata")->getValue<std::string>("next_cursor");
}

dlpd::test::Message user_message(const std::string &channel, const std::string &ts, const std::string &thread_ts = {}) {
    return {channel, ts, "U0ALICE01", "text of " + ts, thread_ts, {}, {}};
}

// A Socket Mode client: the handshake is synchronous, reads wait at most a
// given time (a read left pending carries over to the next call).
class SocketClient {
public:
    struct Frame {
        bool text = true;
        std::string data;
    };

    explicit SocketClient(const std::string &url) : ws_(io_) {
        // ws://127.0.0.1:PORT/target
        const auto rest = url.substr(std::string("ws://").size());
        const auto slash = rest.find('/');
        const auto hostport = rest.substr(0, slash);
        const auto port = static_cast<uint16_t>(std::stoi(hostport.substr(hostport.find(':') + 1)));
        beast::get_lowest_layer(ws_).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
        ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
            if (kind == websocket::frame_type::pong) ++pongs_;
        });
        ws_.handshake(hostport, rest.substr(slash));
    }

    std::optional<Frame> read(std::chrono::milliseconds timeout = 5s) {
        if (!pending_) {
            pending_ = true;
            ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
                pending_ = false;
                read_error_ = ec;
                frame_ = Frame{ws_.got_text(), beast::buffers_to_string(buffer_.data())};
                buffer_.consume(buffer_.size());
            });
        }
        run_until([this] { return !pending_; }, timeout);
        if (pending_) return std::nullopt;
        if (read_error_) throw beast::system_error(read_error_);
        return std::exchange(frame_, std::nullopt);
    }

    JsonObject read_json(std::chrono::milliseconds timeout = 5s) {
        auto frame = read(timeout);
        REQUIRE(frame);
        REQUIRE(frame->text);
        return parse(frame->data);
    }

    void send(const std::string &text) {
        bool done = false;
        ws_.text(true);
        ws_.async_write(net::buffer(text), [&](beast::error_code ec, std::size_t) {
            done = true;
            REQUIRE_FALSE(ec);
        });
        run_until([&] { return done; }, 5s);
        REQUIRE(done);
    }

    // Sends a ping; true if a pong came back within the time.
    bool ping_answered(std::chrono::milliseconds timeout) {
        const int before = pongs_;
        bool sent = false;
        ws_.async_ping({}, [&](beast::error_code) { sent = true; });
        run_until([&] { return sent; }, 5s);
        if (!pending_) read(1ms);  // a pending read is what processes control frames
        run_until([&] { return pongs_ > before; }, timeout);
        return pongs_ > before;
    }

private:
    template <class Done>
    void run_until(Done done, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        io_.restart();
        while (!done()) {
            const auto left = deadline - std::chrono::steady_clock::now();
            if (left <= 0s || io_.run_one_for(left) == 0) break;
        }
    }

    net::io_context io_;
    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    bool pending_ = false;
    beast::error_code read_error_;
    std::optional<Frame> frame_;
    int pongs_ = 0;
};

std::string open_socket_url(const SlackDouble &slack) {
    auto reply = api(slack, "apps.connections.open", slack.options().app_token);
    REQUIRE(reply.json()->getValue<bool>("ok"));
    return reply.json()->getValue<std::string>("url");
}

SlackDoubleOptions short_ack_timeout() {
    SlackDoubleOptions options;
    options.ack_timeout = 200ms;
    return options;
}

}  // namespace

TEST_CASE("auth.test answers the bot identity and a wrong token gets invalid_auth") {
    SlackDouble slack;
    slack.start();
    auto ok = api(slack, "auth.test", slack.options().bot_token);
    CHECK(ok.status == 200);
    auto body = ok.json();
    CHECK(body->getValue<bool>("ok"));
    CHECK(body->getValue<std::string>("user_id") == slack.options().bot_user_id);
    CHECK(body->getValue<std::string>("bot_id") == slack.options().bot_id);
    CHECK(body->getValue<std::string>("team_id") == slack.options().team_id);

    auto wrong = api(slack, "auth.test", "xoxb-not-a-real-token");
    CHECK(wrong.status == 200);
    CHECK_FALSE(wrong.json()->getValue<bool>("ok"));
    CHECK(wrong.json()->getValue<std::string>("error") == "invalid_auth");
    CHECK(api(slack, "auth.test", "").json()->getValue<std::string>("error") == "not_authed");
    CHECK(api(slack, "auth.test", slack.options().app_token).json()->getValue<std::string>("error") ==
          "not_allowed_token_type");

    // A form body with the token as a field works too, and every call is recorded.
    auto form = http_request(slack.port(), http::verb::post, "/api/auth.test", "",
                             "token=" + slack.options().user_token, "application/x-www-form-urlencoded");
    CHECK(form.json()->getValue<std::string>("user_id") == slack.options().user_token_user_id);
    auto calls = slack.calls("auth.test");
    REQUIRE(calls.size() == 5);
    CHECK(calls[0].token == dlpd::test::TokenKind::bot);
    CHECK(calls[1].error == "invalid_auth");
    CHECK(calls[4].token == dlpd::test::TokenKind::user);
}

TEST_CASE("chat.delete lets a bot delete only its own messages and an admin user token any message") {
    SlackDouble slack;
    slack.start();
    slack.add_channel("C0ALERTS1");
    slack.add_message({"C0ALERTS1", "1700000001.000100", "U0ALICE01", "card 4539 1488 0343 6467", {}, {}, {}});
    const auto &o = slack.options();

    auto posted = api(slack, "chat.postMessage", o.bot_token, R"({"channel":"C0ALERTS1","text":"removed a message"})");
    REQUIRE(posted.json()->getValue<bool>("ok"));
    const auto bot_ts = posted.json()->getValue<std::string>("ts");
    REQUIRE(slack.messages("C0ALERTS1").size() == 2);
    CHECK(slack.posted_messages().at(0).bot_id == o.bot_id);

    auto refused = api(slack, "chat.delete", o.bot_token, R"({"channel":"C0ALERTS1","ts":"1700000001.000100"})");
    CHECK(refused.json()->getValue<std::string>("error") == "cant_delete_message");
    auto own = api(slack, "chat.delete", o.bot_token, R"({"channel":"C0ALERTS1","ts":")" + bot_ts + R"("})");
    CHECK(own.json()->getValue<bool>("ok"));
    auto admin = api(slack, "chat.delete", o.user_token, R"({"channel":"C0ALERTS1","ts":"1700000001.000100"})");
    CHECK(admin.json()->getValue<bool>("ok"));
    CHECK(admin.json()->getValue<std::string>("ts") == "1700000001.000100");
    auto gone = api(slack, "chat.delete", o.user_token, R"({"channel":"C0ALERTS1","ts":"1700000001.000100"})");
    CHECK(gone.json()->getValue<std::string>("error") == "message_not_found");
    CHECK(api(slack, "chat.delete", o.user_token, R"({"channel":"C0NOWHERE","ts":"1"})")
              .json()
              ->getValue<std::string>("error") == "channel_not_found");

    CHECK(slack.messages("C0ALERTS1").empty());
    auto deleted = slack.deleted_messages();
    REQUIRE(deleted.size() == 2);
    CHECK(deleted[0].ts == bot_ts);
    CHECK(deleted[1].user == "U0ALICE01");
}

TEST_CASE("a member user token may not delete another member's message") {
    SlackDoubleOptions options;
    options.user_token_is_admin = false;
    SlackDouble slack(options);
    slack.start();
    slack.add_message({"C0ALERTS1", "1700000001.000100", "U0ALICE01", "hello", {}, {}, {}});
    auto reply = api(slack, "chat.delete", options.user_token, R"({"channel":"C0ALERTS1","ts":"1700000001.000100"})");
    CHECK(reply.json()->getValue<std::string>("error") == "cant_delete_message");
}

TEST_CASE("a rate limited method answers 429 with Retry-After and then succeeds") {
    SlackDouble slack;
    slack.start();
    slack.rate_limit_next("auth.test", 2, 7);
    for (int i = 0; i < 2; ++i) {
        auto limited = api(slack, "auth.test", slack.options().bot_token);
        CHECK(limited.status == 429);
        CHECK(limited.retry_after == "7");
        CHECK(limited.json()->getValue<std::string>("error") == "ratelimited");
    }
    // Other methods are not affected.
    CHECK(api(slack, "apps.connections.open", slack.options().app_token).status == 200);
    auto ok = api(slack, "auth.test", slack.options().bot_token);
    CHECK(ok.status == 200);
    CHECK(ok.json()->getValue<bool>("ok"));

    slack.fail_next("chat.postMessage", "fatal_error");
    slack.add_channel("C0ALERTS1");
    const std::string post = R"({"channel":"C0ALERTS1","text":"hi"})";
    auto failed = api(slack, "chat.postMessage", slack.options().bot_token, post);
    CHECK(failed.status == 200);
    CHECK(failed.json()->getValue<std::string>("error") == "fatal_error");
    CHECK(api(slack, "chat.postMessage", slack.options().bot_token, post).json()->getValue<bool>("ok"));
    auto calls = slack.calls("auth.test");
    REQUIRE(calls.size() == 3);
    CHECK(calls[0].http_status == 429);
    CHECK(calls[2].http_status == 200);
}

TEST_CASE("a missing scope answers missing_scope with needed and provided") {
    SlackDoubleOptions options;
    options.bot_scopes = {"chat:write"};
    SlackDouble slack(options);
    slack.start();
    auto reply = api(slack, "files.info", options.bot_token, R"({"file":"F0SECRET01"})");
    CHECK(reply.json()->getValue<std::string>("error") == "missing_scope");
    CHECK(reply.json()->getValue<std::string>("needed") == "files:read");
}

TEST_CASE("every answer to a valid bot or user token lists the token's scopes in x-oauth-scopes") {
    SlackDoubleOptions options;
    options.bot_scopes = {"chat:write", "files:read"};
    options.user_scopes = {"chat:write"};
    SlackDouble slack(options);
    slack.start();
    CHECK(api(slack, "auth.test", options.bot_token).oauth_scopes == "chat:write,files:read");
    CHECK(api(slack, "auth.test", options.user_token).oauth_scopes == "chat:write");
    // Refusals for a missing scope still say what the token has; a wrong token gets no list.
    CHECK(api(slack, "files.delete", options.user_token, R"({"file":"F0NONE0001"})").oauth_scopes == "chat:write");
    CHECK(api(slack, "auth.test", "xoxb-not-a-real-token").oauth_scopes.empty());
}

TEST_CASE("a file download without Bearer gets a 200 HTML sign-in page and with Bearer the bytes") {
    SlackDouble slack;
    slack.start();
    dlpd::test::File file;
    file.id = "F0SECRET01";
    file.name = "keys.txt";
    file.user = "U0ALICE01";
    file.channel = "C0ALERTS1";
    file.content = std::string("AKIA0123456789ABCDEF\n\0binary\xff", 29);
    slack.add_file(file);

    auto info = api(slack, "files.info", slack.options().bot_token, R"({"file":"F0SECRET01"})").json();
    REQUIRE(info->getValue<bool>("ok"));
    const auto url = info->getObject("file")->getValue<std::string>("url_private_download");
    CHECK(info->getObject("file")->getValue<int>("size") == 29);
    const std::string prefix = "http://127.0.0.1:" + std::to_string(slack.port());
    REQUIRE(url.rfind(prefix, 0) == 0);
    const auto target = url.substr(prefix.size());

    auto anonymous = http_request(slack.port(), http::verb::get, target, "");
    CHECK(anonymous.status == 200);
    CHECK(anonymous.content_type.rfind("text/html", 0) == 0);
    CHECK(anonymous.body.rfind("<!DOCTYPE html>", 0) == 0);
    auto wrong = http_request(slack.port(), http::verb::get, target, "xoxb-wrong");
    CHECK(wrong.body.rfind("<!DOCTYPE html>", 0) == 0);

    auto authorised = http_request(slack.port(), http::verb::get, target, slack.options().bot_token);
    CHECK(authorised.status == 200);
    CHECK(authorised.content_type == "text/plain");
    CHECK(authorised.body == file.content);

    CHECK(api(slack, "files.info", slack.options().bot_token, R"({"file":"F0MISSING1"})")
              .json()
              ->getValue<std::string>("error") == "file_not_found");
}

TEST_CASE("apps.connections.open gives a one-shot ws URL whose socket says hello") {
    SlackDouble slack;
    slack.start();
    // The bot token is the wrong kind for this method.
    CHECK(api(slack, "apps.connections.open", slack.options().bot_token).json()->getValue<std::string>("error") ==
          "not_allowed_token_type");
    const auto url = open_socket_url(slack);
    CHECK(url.rfind("ws://127.0.0.1:" + std::to_string(slack.port()) + "/link/?ticket=", 0) == 0);

    SocketClient client(url);
    auto hello = client.read_json();
    CHECK(hello->getValue<std::string>("type") == "hello");
    CHECK(hello->getValue<int>("num_connections") == 1);
    CHECK(hello->getObject("debug_info")->getValue<int>("approximate_connection_time") == 18060);
    CHECK(hello->getObject("connection_info")->getValue<std::string>("app_id") == slack.options().app_id);
    CHECK(slack.open_connections() == 1);

    // The same URL a second time is refused at the upgrade.
    CHECK_THROWS_AS(SocketClient(url), beast::system_error);
    CHECK(slack.refused_connections() == 1);
    CHECK(slack.total_connections() == 1);
}

TEST_CASE("a pushed message arrives as an events_api envelope and unacked is redelivered with retry_attempt") {
    SlackDouble slack(short_ack_timeout());
    slack.start();
    SocketClient client(open_socket_url(slack));
    REQUIRE(client.read_json()->getValue<std::string>("type") == "hello");

    const auto id = slack.push_message_event("C0ALERTS1", "U0ALICE01", "my card 4539148803436467",
                                             "1700000002.000200", "1700000001.000100");
    auto first = client.read_json();
    CHECK(first->getValue<std::string>("envelope_id") == id);
    CHECK(first->getValue<std::string>("type") == "events_api");
    CHECK(first->getValue<int>("retry_attempt") == 0);
    CHECK(first->getValue<std::string>("retry_reason").empty());
    CHECK_FALSE(first->getValue<bool>("accepts_response_payload"));
    auto payload = first->getObject("payload");
    CHECK(payload->getValue<std::string>("type") == "event_callback");
    CHECK(payload->getValue<std::string>("event_id").rfind("Ev", 0) == 0);
    CHECK(payload->getValue<long>("event_time") > 0);
    auto event = payload->getObject("event");
    CHECK(event->getValue<std::string>("type") == "message");
    CHECK(event->getValue<std::string>("channel") == "C0ALERTS1");
    CHECK(event->getValue<std::string>("ts") == "1700000002.000200");
    CHECK(event->getValue<std::string>("thread_ts") == "1700000001.000100");
    CHECK(event->getValue<std::string>("text") == "my card 4539148803436467");
    // The message is now in the workspace, so a client can delete it.
    CHECK(slack.messages("C0ALERTS1").size() == 1);

    auto retry = client.read_json();
    CHECK(retry->getValue<std::string>("envelope_id") == id);
    CHECK(retry->getValue<int>("retry_attempt") == 1);
    CHECK(retry->getValue<std::string>("retry_reason") == "timeout");
    CHECK(retry->getObject("payload")->getValue<std::string>("event_id") == payload->getValue<std::string>("event_id"));

    // Acking the retry ends it.
    client.send(R"({"envelope_id":")" + id + R"("})");
    REQUIRE(slack.wait_for([&] { return slack.acks().size() == 1; }));
    CHECK(slack.acks()[0].known);
    CHECK(slack.deliveries(id).size() == 2);
}

TEST_CASE("an unacked envelope is redelivered at most three times") {
    SlackDouble slack(short_ack_timeout());
    slack.start();
    SocketClient client(open_socket_url(slack));
    client.read_json();
    const auto id = slack.push_message_event("C0ALERTS1", "U0ALICE01", "x", "1700000003.000300");
    for (int attempt = 0; attempt <= 3; ++attempt) CHECK(client.read_json()->getValue<int>("retry_attempt") == attempt);
    // Readiness, not timing: a second envelope's first retry comes after the
    // first envelope's fourth deadline would have passed.
    const auto later = slack.push_message_event("C0ALERTS1", "U0ALICE01", "y", "1700000003.000400");
    CHECK(client.read_json()->getValue<std::string>("envelope_id") == later);
    auto next = client.read_json();
    CHECK(next->getValue<std::string>("envelope_id") == later);
    CHECK(slack.deliveries(id).size() == 4);
}

TEST_CASE("an acked envelope is not redelivered") {
    SlackDouble slack(short_ack_timeout());
    slack.start();
    SocketClient client(open_socket_url(slack));
    client.read_json();
    const auto acked = slack.push_message_event("C0ALERTS1", "U0ALICE01", "first", "1700000004.000100");
    CHECK(client.read_json()->getValue<std::string>("envelope_id") == acked);
    client.send(R"({"envelope_id":")" + acked + R"(","payload":{}})");
    REQUIRE(slack.wait_for([&] { return slack.acks().size() == 1; }));
    CHECK(slack.acks()[0].payload == "{}");

    // The unacked one's retry is the next frame: the acked one's deadline
    // passed before it, and nothing came for it.
    const auto unacked = slack.push_message_event("C0ALERTS1", "U0ALICE01", "second", "1700000004.000200");
    CHECK(client.read_json()->getValue<std::string>("envelope_id") == unacked);
    auto next = client.read_json();
    CHECK(next->getValue<std::string>("envelope_id") == unacked);
    CHECK(next->getValue<int>("retry_attempt") == 1);
    CHECK(slack.deliveries(acked).size() == 1);
}

TEST_CASE("an event pushed with no socket open is delivered to the next connection") {
    SlackDouble slack;
    slack.start();
    const auto id = slack.push_file_shared("F0SECRET01", "C0ALERTS1", "U0ALICE01");
    SocketClient client(open_socket_url(slack));
    CHECK(client.read_json()->getValue<std::string>("type") == "hello");
    auto envelope = client.read_json();
    CHECK(envelope->getValue<std::string>("envelope_id") == id);
    auto event = envelope->getObject("payload")->getObject("event");
    CHECK(event->getValue<std::string>("type") == "file_shared");
    CHECK(event->getValue<std::string>("file_id") == "F0SECRET01");
    CHECK(event->getObject("file")->getValue<std::string>("id") == "F0SECRET01");
}

TEST_CASE("message_changed carries the new and previous text") {
    SlackDouble slack;
    slack.start();
    SocketClient client(open_socket_url(slack));
    client.read_json();
    slack.push_message_event("C0ALERTS1", "U0ALICE01", "harmless", "1700000005.000100");
    client.read_json();
    slack.push_message_changed("C0ALERTS1", "1700000005.000100", "now with 4539148803436467");
    auto event = client.read_json()->getObject("payload")->getObject("event");
    CHECK(event->getValue<std::string>("subtype") == "message_changed");
    CHECK(event->getObject("message")->getValue<std::string>("text") == "now with 4539148803436467");
    CHECK(event->getObject("previous_message")->getValue<std::string>("text") == "harmless");
    REQUIRE(slack.messages("C0ALERTS1").size() == 1);
    CHECK(slack.messages("C0ALERTS1")[0].text == "now with 4539148803436467");
}

TEST_CASE("chat.delete is echoed as a message_deleted event") {
    SlackDouble slack;
    slack.start();
    SocketClient client(open_socket_url(slack));
    client.read_json();
    slack.add_message({"C0ALERTS1", "1700000006.000100", "U0ALICE01", "secret", {}, {}, {}});
    REQUIRE(api(slack, "chat.delete", slack.options().user_token, R"({"channel":"C0ALERTS1","ts":"1700000006.000100"})")
                .json()
                ->getValue<bool>("ok"));
    auto event = client.read_json()->getObject("payload")->getObject("event");
    CHECK(event->getValue<std::string>("subtype") == "message_deleted");
    CHECK(event->getValue<std::string>("deleted_ts") == "1700000006.000100");
}

TEST_CASE("disconnect and garbage frames arrive as specified") {
    SlackDouble slack;
    slack.start();
    SocketClient client(open_socket_url(slack));
    client.read_json();

    for (const char *reason : {"warning", "refresh_requested", "link_disabled", "too_many_websockets"}) {
        slack.send_disconnect(reason);
        auto frame = client.read_json();
        CHECK(frame->getValue<std::string>("type") == "disconnect");
        CHECK(frame->getValue<std::string>("reason") == reason);
        CHECK_FALSE(frame->has("envelope_id"));
    }

    slack.send_garbage(dlpd::test::GarbageKind::malformed_json);
    auto malformed = client.read();
    REQUIRE(malformed);
    CHECK(malformed->text);
    CHECK_THROWS(parse(malformed->data));

    slack.send_garbage(dlpd::test::GarbageKind::binary_frame);
    auto binary = client.read();
    REQUIRE(binary);
    CHECK_FALSE(binary->text);

    slack.send_garbage(dlpd::test::GarbageKind::unknown_type);
    CHECK(client.read_json()->getValue<std::string>("type") == "surprise_party");

    slack.send_garbage(dlpd::test::GarbageKind::empty_text);
    auto empty = client.read();
    REQUIRE(empty);
    CHECK(empty->data.empty());

    // What the client sends that is not an ack is recorded.
    client.send("not json");
    REQUIRE(slack.wait_for([&] { return slack.unexpected_frames().size() == 1; }));
    CHECK(slack.unexpected_frames()[0] == "not json");
}

TEST_CASE("pings are answered until go_silent and drop_connections resets the socket") {
    SlackDoubleOptions options;
    options.ack_timeout = 60s;  // no redelivery during this test
    SlackDouble slack(options);
    slack.start();
    SocketClient client(open_socket_url(slack));
    client.read_json();
    CHECK(client.ping_answered(5s));

    slack.go_silent();
    // A silent double sends nothing either.
    slack.push_message_event("C0ALERTS1", "U0ALICE01", "x", "1700000007.000100");
    CHECK_FALSE(client.ping_answered(500ms));
    CHECK_FALSE(client.read(1ms));
    CHECK(slack.open_connections() == 1);

    SocketClient second(open_socket_url(slack));
    CHECK(second.read_json()->getValue<int>("num_connections") == 2);
    slack.drop_connections();
    CHECK_THROWS_AS(second.read(), beast::system_error);
    REQUIRE(slack.wait_for([&] { return slack.open_connections() == 0; }));
}

// --- Reading a channel back: message metadata, conversations.history, conversations.replies.

TEST_CASE("posted metadata is kept and conversations.history shows its payload only with include_all_metadata") {
    SlackDouble slack;
    slack.start();
    slack.add_channel("C0ALERTS1");
    const auto &o = slack.options();

    // A JSON body carries metadata as an object, a form body as JSON text, and a
    // JSON body may carry JSON text too.
    auto as_object = api(slack, "chat.postMessage", o.bot_token,
                         R"({"channel":"C0ALERTS1","text":"first","metadata":)"
                         R"({"event_type":"dlpd_action","event_payload":{"event_id":"Ev0001","step":1}}})")
                         .json();
    REQUIRE(as_object->getValue<bool>("ok"));
    auto echoed = as_object->getObject("message")->getObject("metadata");
    REQUIRE(echoed);
    CHECK(echoed->getValue<std::string>("event_type") == "dlpd_action");
    CHECK(echoed->getObject("event_payload")->getValue<std::string>("event_id") == "Ev0001");
    CHECK(echoed->getObject("event_payload")->getValue<int>("step") == 1);
    auto as_form = form_api(slack, "chat.postMessage", o.bot_token,
                            "channel=C0ALERTS1&text=second&metadata=" +
                                form_value(R"({"event_type":"dlpd_action","event_payload":{"event_id":"Ev0002"}})"))
                       .json();
    REQUIRE(as_form->getValue<bool>("ok"));
    auto as_text = api(slack, "chat.postMessage", o.bot_token,
                       R"({"channel":"C0ALERTS1","text":"third","metadata":)"
                       R"("{\"event_type\":\"dlpd_action\",\"event_payload\":{\"event_id\":\"Ev0003\"}}"})")
                       .json();
    REQUIRE(as_text->getValue<bool>("ok"));
    auto plain = api(slack, "chat.postMessage", o.bot_token, R"({"channel":"C0ALERTS1","text":"fourth"})").json();
    REQUIRE(plain->getValue<bool>("ok"));
    CHECK_FALSE(plain->getObject("message")->has("metadata"));
    // An ephemeral message takes no metadata.
    REQUIRE(api(slack, "chat.postEphemeral", o.bot_token,
                R"({"channel":"C0ALERTS1","user":"U0ALICE01","text":"psst",)"
                R"("metadata":{"event_type":"dlpd_action","event_payload":{"event_id":"Ev0004"}}})")
                .json()
                ->getValue<bool>("ok"));
    CHECK(slack.posted_messages().back().metadata.empty());
    REQUIRE(slack.messages("C0ALERTS1").size() == 4);
    CHECK(parse(slack.messages("C0ALERTS1")[1].metadata)->getValue<std::string>("event_type") == "dlpd_action");

    auto all =
        api(slack, "conversations.history", o.bot_token, R"({"channel":"C0ALERTS1","include_all_metadata":true})")
            .json();
    REQUIRE(all->getValue<bool>("ok"));
    REQUIRE(listed_ts(all) ==
            std::vector<std::string>{plain->getValue<std::string>("ts"), as_text->getValue<std::string>("ts"),
                                     as_form->getValue<std::string>("ts"), as_object->getValue<std::string>("ts")});
    CHECK_FALSE(listed(all, 0)->has("metadata"));
    const char *expected_ids[] = {"Ev0003", "Ev0002", "Ev0001"};
    for (std::size_t i = 1; i < 4; ++i) {
        auto metadata = listed(all, i)->getObject("metadata");
        REQUIRE(metadata);
        CHECK(metadata->getValue<std::string>("event_type") == "dlpd_action");
        CHECK(metadata->getObject("event_payload")->getValue<std::string>("event_id") == expected_ids[i - 1]);
    }
    CHECK(listed(all, 3)->getValue<std::string>("bot_id") == o.bot_id);
    CHECK(listed(all, 3)->getValue<std::string>("user") == o.bot_user_id);
    CHECK(listed(all, 3)->getValue<std::string>("text") == "first");
    CHECK(listed(all, 3)->getValue<std::string>("type") == "message");

    // Without include_all_metadata Slack keeps the event type and drops the payload.
    auto bare = api(slack, "conversations.history", o.bot_token, R"({"channel":"C0ALERTS1"})").json();
    auto type_only = listed(bare, 3)->getObject("metadata");
    REQUIRE(type_only);
    CHECK(type_only->getValue<std::string>("event_type") == "dlpd_action");
    CHECK_FALSE(type_only->has("event_payload"));
    // The flag as form text.
    auto form_history =
        form_api(slack, "conversations.history", o.bot_token, "channel=C0ALERTS1&include_all_metadata=true").json();
    CHECK(listed(form_history, 3)->getObject("metadata")->has("event_payload"));
}

TEST_CASE("malformed metadata is refused and an event_type with a period is dropped with a warning") {
    SlackDouble slack;
    slack.start();
    slack.add_channel("C0ALERTS1");
    const auto &o = slack.options();
    const auto post = [&](const std::string &metadata) {
        return api(slack, "chat.postMessage", o.bot_token,
                   R"({"channel":"C0ALERTS1","text":"x","metadata":)" + metadata + "}")
            .json();
    };
    const auto error = [](const JsonObject &answer) { return answer->optValue<std::string>("error", "(ok)"); };
    CHECK(error(post(R"("not json")")) == "invalid_metadata_format");
    CHECK(error(post(R"(["dlpd_action"])")) == "invalid_metadata_format");
    CHECK(error(post("42")) == "invalid_metadata_format");
    CHECK(error(form_api(slack, "chat.postMessage", o.bot_token,
                         "channel=C0ALERTS1&text=x&metadata=" + form_value("{\"event_type\":"))
                    .json()) == "invalid_metadata_format");
    CHECK(error(post(R"({"event_payload":{"event_id":"Ev1"}})")) == "invalid_metadata_schema");
    CHECK(error(post(R"({"event_type":"","event_payload":{}})")) == "invalid_metadata_schema");
    CHECK(error(post(R"({"event_type":"dlpd_action"})")) == "invalid_metadata_schema");
    CHECK(error(post(R"({"event_type":"dlpd_action","event_payload":"{}"})")) == "invalid_metadata_schema");
    CHECK(slack.messages("C0ALERTS1").empty());
    CHECK(slack.posted_messages().empty());
    CHECK(slack.calls("chat.postMessage").front().error == "invalid_metadata_format");

    // Slack ignores metadata whose event_type has a period, posts the message and warns.
    auto dotted = post(R"({"event_type":"dlpd.action","event_payload":{"event_id":"Ev1"}})");
    REQUIRE(dotted->getValue<bool>("ok"));
    CHECK(dotted->getValue<std::string>("warning") == "invalid_metadata_schema");
    CHECK(dotted->getObject("response_metadata")->getArray("warnings")->getElement<std::string>(0) ==
          "invalid_metadata_schema");
    CHECK_FALSE(dotted->getObject("message")->has("metadata"));
    REQUIRE(slack.messages("C0ALERTS1").size() == 1);
    CHECK(slack.messages("C0ALERTS1")[0].metadata.empty());
}

TEST_CASE("conversations.history lists top-level messages and thread parents newest first, within oldest and latest") {
    SlackDouble slack;
    slack.start();
    const auto &o = slack.options();
    // Stored out of ts order; a thread reply to ...2 is not listed by history.
    for (const char *ts :
         {"1700000003.000100", "1700000001.000100", "1700000005.000100", "1700000002.000100", "1700000004.000100"})
        slack.add_message(user_message("C0ALERTS1", ts));
    slack.add_message(user_message("C0ALERTS1", "1700000003.000200", "1700000002.000100"));
    const auto history = [&](const std::string &extra) {
        return api(slack, "conversations.history", o.bot_token, R"({"channel":"C0ALERTS1")" + extra + "}").json();
    };

    auto all = history("");
    REQUIRE(all->getValue<bool>("ok"));
    CHECK(listed_ts(all) == std::vector<std::string>{"1700000005.000100", "1700000004.000100", "1700000003.000100",
                                                     "1700000002.000100", "1700000001.000100"});
    CHECK_FALSE(all->getValue<bool>("has_more"));
    CHECK(next_cursor(all).empty());
    CHECK(all->has("pin_count"));
    // A thread's parent carries its own ts as thread_ts and a summary of the replies.
    auto parent = listed(all, 3);
    CHECK(parent->getValue<std::string>("thread_ts") == "1700000002.000100");
    CHECK(parent->getValue<int>("reply_count") == 1);
    CHECK(parent->getValue<std::string>("latest_reply") == "1700000003.000200");
    CHECK_FALSE(listed(all, 4)->has("thread_ts"));
    CHECK(listed(all, 4)->getValue<std::string>("user") == "U0ALICE01");
    CHECK(listed(all, 4)->getValue<std::string>("text") == "text of 1700000001.000100");
    CHECK_FALSE(listed(all, 4)->has("bot_id"));

    // oldest and latest exclude their own ts unless inclusive.
    CHECK(listed_ts(history(R"(,"oldest":"1700000002.000100","latest":"1700000004.000100")")) ==
          std::vector<std::string>{"1700000003.000100"});
    CHECK(listed_ts(history(R"(,"oldest":"1700000002.000100","latest":"1700000004.000100","inclusive":true)")) ==
          std::vector<std::string>{"1700000004.000100", "1700000003.000100", "1700000002.000100"});
    CHECK(listed_ts(history(R"(,"oldest":"1700000004.000100")")) == std::vector<std::string>{"1700000005.000100"});
    CHECK(listed_ts(history(R"(,"latest":"1700000002.000100","inclusive":"1")")) ==
          std::vector<std::string>{"1700000002.000100", "1700000001.000100"});
    // A ts with fewer fraction digits is a decimal: .0001 is .000100.
    CHECK(listed_ts(history(R"(,"oldest":"1700000004.0001","inclusive":true)")).size() == 2);
    CHECK(listed_ts(history(R"(,"oldest":"0")")).size() == 5);

    CHECK(history(R"(,"oldest":"yesterday")")->getValue<std::string>("error") == "invalid_ts_oldest");
    CHECK(history(R"(,"latest":"17.5.1")")->getValue<std::string>("error") == "invalid_ts_latest");
    CHECK(api(slack, "conversations.history", o.bot_token, R"({"channel":"C0NOWHERE"})")
              .json()
              ->getValue<std::string>("error") == "channel_not_found");
}

TEST_CASE("conversations.history pages by limit and next_cursor until has_more is false") {
    SlackDouble slack;
    slack.start();
    const auto &o = slack.options();
    for (int i = 1; i <= 5; ++i)
        slack.add_message(user_message("C0ALERTS1", "170000000" + std::to_string(i) + ".000100"));
    const auto history = [&](const std::string &extra) {
        return api(slack, "conversations.history", o.bot_token, R"({"channel":"C0ALERTS1","limit":2)" + extra + "}")
            .json();
    };

    auto first = history("");
    CHECK(listed_ts(first) == std::vector<std::string>{"1700000005.000100", "1700000004.000100"});
    CHECK(first->getValue<bool>("has_more"));
    REQUIRE_FALSE(next_cursor(first).empty());
    // A message arriving between pages does not shift the next one.
    slack.add_message(user_message("C0ALERTS1", "1700000009.000100"));
    auto second = history(R"(,"cursor":")" + next_cursor(first) + R"(")");
    CHECK(listed_ts(second) == std::vector<std::string>{"1700000003.000100", "1700000002.000100"});
    CHECK(second->getValue<bool>("has_more"));
    // The cursor works from a form body too, with the limit as text.
    auto third = form_api(slack, "conversations.history", o.bot_token,
                          "channel=C0ALERTS1&limit=2&cursor=" + form_value(next_cursor(second)))
                     .json();
    CHECK(listed_ts(third) == std::vector<std::string>{"1700000001.000100"});
    CHECK_FALSE(third->getValue<bool>("has_more"));
    CHECK(next_cursor(third).empty());

    // Paging keeps to oldest: the last page ends at it.
    auto bounded = history(R"(,"oldest":"1700000003.000100")");
    CHECK(listed_ts(bounded) == std::vector<std::string>{"1700000009.000100", "1700000005.000100"});
    auto bounded_rest = history(R"(,"oldest":"1700000003.000100","cursor":")" + next_cursor(bounded) + R"(")");
    CHECK(listed_ts(bounded_rest) == std::vector<std::string>{"1700000004.000100"});
    CHECK_FALSE(bounded_rest->getValue<bool>("has_more"));

    CHECK(history(R"(,"cursor":"not-a-cursor")")->getValue<std::string>("error") == "invalid_cursor");
}

TEST_CASE("conversations.history answers 100 messages by default and at most 999") {
    SlackDouble slack;
    slack.start();
    char ts[32];
    for (int i = 0; i < 1000; ++i) {
        std::snprintf(ts, sizeof ts, "1700000000.%06d", i + 1);
        slack.add_message({"C0ALERTS1", ts, "U0ALICE01", "x", {}, {}, {}});
    }
    const auto count = [&](const std::string &extra) {
        auto answer =
            api(slack, "conversations.history", slack.options().bot_token, R"({"channel":"C0ALERTS1")" + extra + "}")
                .json();
        CHECK(answer->getValue<bool>("has_more"));
        return answer->getArray("messages")->size();
    };
    CHECK(count("") == 100);
    CHECK(count(R"(,"limit":0)") == 100);
    CHECK(count(R"(,"limit":5000)") == 999);
}

TEST_CASE("conversations.replies returns a thread's parent and replies oldest first, with pagination") {
    SlackDouble slack;
    slack.start();
    slack.add_channel("C0ALERTS1");
    const auto &o = slack.options();
    auto parent = api(slack, "chat.postMessage", o.bot_token, R"({"channel":"C0ALERTS1","text":"parent"})").json();
    const auto parent_ts = parent->getValue<std::string>("ts");
    auto reply = api(slack, "chat.postMessage", o.bot_token,
                     R"({"channel":"C0ALERTS1","text":"bot reply","thread_ts":")" + parent_ts +
                         R"(","metadata":{"event_type":"dlpd_action","event_payload":{"event_id":"Ev0009"}}})")
                     .json();
    REQUIRE(reply->getValue<bool>("ok"));
    const auto reply_ts = reply->getValue<std::string>("ts");
    CHECK(reply->getObject("message")->getValue<std::string>("thread_ts") == parent_ts);
    // A user's reply, later than the bot's, pushed as an event (and so stored).
    const auto user_ts = std::to_string(std::stoll(parent_ts.substr(0, parent_ts.find('.'))) + 100) + ".000001";
    slack.push_message_event("C0ALERTS1", "U0ALICE01", "user reply", user_ts, parent_ts);
    auto other = api(slack, "chat.postMessage", o.bot_token, R"({"channel":"C0ALERTS1","text":"unrelated"})").json();
    const auto replies = [&](const std::string &ts, const std::string &extra = {}) {
        return api(slack, "conversations.replies", o.bot_token,
                   R"({"channel":"C0ALERTS1","ts":")" + ts + R"(")" + extra + "}")
            .json();
    };

    auto thread = replies(parent_ts, R"(,"include_all_metadata":true)");
    REQUIRE(thread->getValue<bool>("ok"));
    CHECK(listed_ts(thread) == std::vector<std::string>{parent_ts, reply_ts, user_ts});
    CHECK(listed(thread, 0)->getValue<std::string>("thread_ts") == parent_ts);
    CHECK(listed(thread, 0)->getValue<int>("reply_count") == 2);
    CHECK(listed(thread, 0)->getValue<std::string>("latest_reply") == user_ts);
    CHECK(listed(thread, 1)->getValue<std::string>("thread_ts") == parent_ts);
    CHECK(listed(thread, 1)->getValue<std::string>("parent_user_id") == o.bot_user_id);
    CHECK(listed(thread, 1)->getObject("metadata")->getObject("event_payload")->getValue<std::string>("event_id") ==
          "Ev0009");
    CHECK(listed(thread, 2)->getValue<std::string>("user") == "U0ALICE01");
    CHECK(listed(thread, 2)->getValue<std::string>("text") == "user reply");
    CHECK_FALSE(thread->getValue<bool>("has_more"));
    CHECK_FALSE(replies(parent_ts)->getArray("messages")->getObject(1)->getObject("metadata")->has("event_payload"));
    // The ts of a reply names its whole thread.
    CHECK(listed_ts(replies(reply_ts)) == std::vector<std::string>{parent_ts, reply_ts, user_ts});
    // Pages, oldest first.
    auto first = replies(parent_ts, R"(,"limit":2)");
    CHECK(listed_ts(first) == std::vector<std::string>{parent_ts, reply_ts});
    CHECK(first->getValue<bool>("has_more"));
    auto rest = replies(parent_ts, R"(,"limit":2,"cursor":")" + next_cursor(first) + R"(")");
    CHECK(listed_ts(rest) == std::vector<std::string>{user_ts});
    CHECK_FALSE(rest->getValue<bool>("has_more"));
    CHECK(next_cursor(rest).empty());
    // oldest applies to the thread as to history.
    CHECK(listed_ts(replies(parent_ts, R"(,"oldest":")" + reply_ts + R"(")")) == std::vector<std::string>{user_ts});

    // History lists the parent and the unrelated message, not the replies.
    auto history = api(slack, "conversations.history", o.bot_token, R"({"channel":"C0ALERTS1"})").json();
    CHECK(listed_ts(history) == std::vector<std::string>{other->getValue<std::string>("ts"), parent_ts});
    // A message without replies is its own thread; a ts that names nothing is not.
    CHECK(listed_ts(replies(other->getValue<std::string>("ts"))) ==
          std::vector<std::string>{other->getValue<std::string>("ts")});
    CHECK(replies("1600000000.000001")->getValue<std::string>("error") == "thread_not_found");
    CHECK(api(slack, "conversations.replies", o.bot_token, R"({"channel":"C0ALERTS1"})")
              .json()
              ->getValue<std::string>("error") == "thread_not_found");
    CHECK(api(slack, "conversations.replies", o.bot_token, R"({"channel":"C0NOWHERE","ts":")" + parent_ts + R"("})")
              .json()
              ->getValue<std::string>("error") == "channel_not_found");
}

TEST_CASE("deleted messages are listed by neither history nor replies") {
    SlackDouble slack;
    slack.start();
    slack.add_channel("C0ALERTS1");
    const auto &o = slack.options();
    const auto post = [&](const std::string &extra) {
        auto answer =
            api(slack, "chat.postMessage", o.bot_token, R"({"channel":"C0ALERTS1","text":"x")" + extra + "}").json();
        REQUIRE(answer->getValue<bool>("ok"));
        return answer->getValue<std::string>("ts");
    };
    const auto remove = [&](const std::string &ts) {
        REQUIRE(api(slack, "chat.delete", o.bot_token, R"({"channel":"C0ALERTS1","ts":")" + ts + R"("})")
                    .json()
                    ->getValue<bool>("ok"));
    };
    const auto parent = post("");
    const auto reply = post(R"(,"thread_ts":")" + parent + R"(")");
    const auto top = post("");
    const auto history = [&] {
        return api(slack, "conversations.history", o.bot_token, R"({"channel":"C0ALERTS1"})").json();
    };
    const auto replies = [&] {
        return api(slack, "conversations.replies", o.bot_token, R"({"channel":"C0ALERTS1","ts":")" + parent + R"("})")
            .json();
    };

    remove(top);
    CHECK(listed_ts(history()) == std::vector<std::string>{parent});
    remove(reply);
    CHECK(listed_ts(replies()) == std::vector<std::string>{parent});
    CHECK_FALSE(listed(history(), 0)->has("reply_count"));
    remove(parent);
    CHECK(listed_ts(history()).empty());
    CHECK(replies()->getValue<std::string>("error") == "thread_not_found");
}

TEST_CASE("a deleted thread parent with replies stays as a tombstone, and its thread is still read") {
    SlackDouble slack;
    slack.start();
    slack.add_channel("C0ALERTS1");
    const auto &o = slack.options();
    const auto post = [&](const std::string &extra) {
        auto answer =
            api(slack, "chat.postMessage", o.bot_token, R"({"channel":"C0ALERTS1","text":"x")" + extra + "}").json();
        REQUIRE(answer->getValue<bool>("ok"));
        return answer->getValue<std::string>("ts");
    };
    const auto parent = post("");
    const auto reply = post(R"(,"thread_ts":")" + parent + R"(")");
    const auto del = [&](const std::string &ts) {
        return api(slack, "chat.delete", o.bot_token, R"({"channel":"C0ALERTS1","ts":")" + ts + R"("})").json();
    };
    REQUIRE(del(parent)->getValue<bool>("ok"));
    auto replies =
        api(slack, "conversations.replies", o.bot_token, R"({"channel":"C0ALERTS1","ts":")" + parent + R"("})").json();
    REQUIRE(replies->getValue<bool>("ok"));
    CHECK(listed_ts(replies) == std::vector<std::string>{parent, reply});
    CHECK(listed(replies, 0)->getValue<std::string>("subtype") == "tombstone");
    CHECK(listed(replies, 0)->getValue<std::string>("text") == "This message was deleted.");
    // Gone all the same: deleted once, a second delete finds nothing.
    CHECK(del(parent)->getValue<std::string>("error") == "message_not_found");
    CHECK(slack.deleted_messages().size() == 1);

    // A reply that arrives as its lone parent is deleted makes a thread too.
    const auto lone = post("");
    REQUIRE(del(lone)->getValue<bool>("ok"));
    const auto late = post(R"(,"thread_ts":")" + lone + R"(")");
    replies = api(slack, "conversations.replies", o.bot_token, R"({"channel":"C0ALERTS1","ts":")" + lone + R"("})").json();
    REQUIRE(replies->getValue<bool>("ok"));
    CHECK(listed_ts(replies) == std::vector<std::string>{lone, late});
    CHECK(listed(replies, 0)->getValue<std::string>("subtype") == "tombstone");
}

TEST_CASE("history and replies need the history scope of the conversation's kind") {
    SlackDoubleOptions options;
    options.bot_scopes = {"chat:write"};
    SlackDouble slack(options);
    slack.start();
    slack.add_channel("C0ALERTS1");
    for (const char *method : {"conversations.history", "conversations.replies"}) {
        auto refused = api(slack, method, options.bot_token, R"({"channel":"C0ALERTS1","ts":"1700000001.000100"})");
        CHECK(refused.json()->getValue<std::string>("error") == "missing_scope");
        CHECK(refused.json()->getValue<std::string>("needed") == "channels:history");
        CHECK(refused.json()->getValue<std::string>("provided") == "chat:write");
        CHECK(refused.oauth_scopes == "chat:write");
    }

    SlackDouble defaults;  // the bot has channels:history only; the user token no history scope
    defaults.start();
    const auto &o = defaults.options();
    const auto needed = [&](const std::string &token, const std::string &channel) {
        auto answer = api(defaults, "conversations.history", token, R"({"channel":")" + channel + R"("})").json();
        return answer->optValue<std::string>("needed", answer->optValue<std::string>("error", "(ok)"));
    };
    CHECK(needed(o.bot_token, "G0PRIVATE1") == "groups:history");
    CHECK(needed(o.bot_token, "D0DIRECT01") == "im:history");
    CHECK(needed(o.user_token, "C0ALERTS1") == "channels:history");
    // With the scope, an unknown channel is channel_not_found.
    CHECK(needed(o.bot_token, "C0NOWHERE") == "channel_not_found");
}
