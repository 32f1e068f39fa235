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
#include <optional>

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
