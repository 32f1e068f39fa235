// HTTP Events mode, resuming recorded work after a crash, graceful shutdown
// of the real `dlpd run`, and what never appears in the logs.
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <sqlite3.h>

#include <atomic>
#include <ctime>
#include <regex>

#include "raw_socket.hpp"
#include "slack/http_client.hpp"
#include "slack/request_signature.hpp"
#include "slack_harness.hpp"

extern char **environ;

using namespace dlpd;
using namespace dlpd::test;

namespace {

const std::string kCard = "4539 1488 0343 6467";
const std::string kSecret = "test-signing-secret-0123456789";

std::string message_event(const std::string &event_id, const std::string &channel, const std::string &user,
                          const std::string &text, const std::string &ts) {
    return R"({"token":"x","team_id":"T0DOUBLE01","api_app_id":"A0DOUBLE01","type":"event_callback","event_id":")" +
           event_id + R"(","event_time":1700000000,"event":{"type":"message","channel":")" + channel +
           R"(","user":")" + user + R"(","text":")" + text + R"(","ts":")" + ts +
           R"(","channel_type":"channel"}})";
}

slack::HttpResponse post_event(uint16_t port, const std::string &body, const std::string &secret,
                               int64_t timestamp = std::time(nullptr), const std::string &retry_num = {}) {
    slack::HttpClient client;
    slack::HttpRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(port) + "/slack/events";
    request.body = body;
    const std::string stamp = std::to_string(timestamp);
    request.headers = {{"Content-Type", "application/json"},
                       {"X-Slack-Request-Timestamp", stamp},
                       {"X-Slack-Signature", slack::slack_signature(secret, stamp, body)}};
    if (!retry_num.empty()) {
        request.headers.push_back({"X-Slack-Retry-Num", retry_num});
        request.headers.push_back({"X-Slack-Retry-Reason", "http_timeout"});
    }
    return client.send(request);
}

// Changes the SQLite file behind the store's back.
bool sql(const std::string &file, const std::string &statement) {
    sqlite3 *db = nullptr;
    if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) return false;
    sqlite3_busy_timeout(db, 5000);
    const bool ok = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

HarnessOptions http_mode() {
    HarnessOptions options;
    options.configure = [](Config &c) {
        c.slack.mode = "http";
        c.slack.http_listen = "127.0.0.1:0";
        c.slack.signing_secret = kSecret;
        c.slack.app_token.clear();
    };
    return options;
}

}  // namespace

TEST_CASE("Slack's published signature example verifies, and a changed body or old timestamp does not",
          "[slack][signature]") {
    const std::string secret = "8f742231b10e8888abcd99yyyzzz85a5";
    const std::string body =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name="
        "foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2F"
        "hooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015."
        "47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const std::string expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    CHECK(slack::slack_signature(secret, "1531420618", body) == expected);
    CHECK(slack::check_slack_signature(secret, "1531420618", expected, body, 1531420618 + 10).empty());
    CHECK_FALSE(slack::check_slack_signature(secret, "1531420618", expected, body + "x", 1531420618).empty());
    CHECK(slack::check_slack_signature(secret, "1531420618", expected, body, 1531420618 + 301).find("5 minutes") !=
          std::string::npos);
    CHECK_FALSE(slack::check_slack_signature("other", "1531420618", expected, body, 1531420618).empty());
    CHECK_FALSE(slack::check_slack_signature(secret, "", expected, body, 1531420618).empty());
}

TEST_CASE("HTTP Events mode: url_verification, signatures, and an event deleted once despite a retry",
          "[slack][e2e][http]") {
    SlackHarness h(http_mode());
    REQUIRE(h.started);
    const uint16_t port = h.service->http_port();
    REQUIRE(port != 0);

    auto challenge = post_event(port, R"({"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})", kSecret);
    CHECK(challenge.status == 200);
    CHECK(challenge.body == R"({"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})");

    h.slack.add_message({"C0GENERAL1", "1700000020.000100", "U0ALICE001", "card " + kCard, "", "", ""});
    const std::string body = message_event("Ev0HTTP0001", "C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000020.000100");
    CHECK(post_event(port, body, "wrong-secret").status == 401);
    CHECK(post_event(port, body, kSecret, std::time(nullptr) - 600).status == 401);  // a replay
    CHECK(h.store->pending_events().empty());
    CHECK(h.slack.calls("chat.delete").empty());

    CHECK(post_event(port, body, kSecret).status == 200);
    CHECK(post_event(port, body, kSecret, std::time(nullptr), "1").status == 200);  // Slack's retry
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000020.000100"); }));
    REQUIRE(h.wait_idle());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(h.slack.calls("chat.delete").size() == 1);
    CHECK(h.store->recent_incidents(10).size() == 1);
    // The first refusal from an address is logged; the next is counted for
    // the summary.
    CHECK(h.log.count("refused a request from 127.0.0.1: ") == 1);

    slack::HttpClient client;
    CHECK(client.send({"GET", "http://127.0.0.1:" + std::to_string(port) + "/healthz", {}, ""}).status == 200);
    CHECK(client.send({"POST", "http://127.0.0.1:" + std::to_string(port) + "/other", {}, ""}).status == 404);
}

TEST_CASE("HTTP Events: a chunked request with a 70 KB trailer field gets 431, and the server answers on",
          "[slack][e2e][http]") {
    SlackHarness h(http_mode());
    REQUIRE(h.started);
    const uint16_t port = h.service->http_port();
    // Beast's header limit does not cover trailers, and a field over 64 KiB
    // makes its field storage throw: before the read buffer was bounded,
    // this request ended the process before any signature was checked.
    const std::string trailer = "0\r\nX-Padding: " + std::string(70 * 1024, 'a') + "\r\n\r\n";
    const std::string answer = raw_exchange(port,
                                            "POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                            "Content-Type: application/json\r\n\r\n2\r\n{}\r\n" + trailer);
    CHECK(answer.starts_with("HTTP/1.1 431 "));
    CHECK(h.log.count("header or trailer over 8192 bytes") == 1);

    // A header over the limit, and bytes that are not HTTP.
    CHECK(raw_exchange(port, "GET /healthz HTTP/1.1\r\nX-Long: " + std::string(9000, 'b') + "\r\n\r\n")
              .starts_with("HTTP/1.1 431 "));
    CHECK(raw_exchange(port, "POST /slack/events HTTP/1.1\r\nContent-Length: nine\r\n\r\n").starts_with(
        "HTTP/1.1 400 "));

    slack::HttpClient client;
    const auto health = client.send({"GET", "http://127.0.0.1:" + std::to_string(port) + "/healthz", {}, ""});
    CHECK(health.status == 200);
    CHECK(health.body == "ok\n");
}

TEST_CASE("HTTP Events: 10 s of refused requests from two addresses grow the log by less than 1 MB, summarised",
          "[slack][e2e][http]") {
    HarnessOptions options = http_mode();
    const auto http = options.configure;
    options.configure = [http](Config &c) {
        http(c);
        c.log.summary_seconds = 2;
    };
    SlackHarness h(options);
    REQUIRE(h.started);
    const uint16_t port = h.service->http_port();
    const size_t log_before = h.log.all().size();

    // Keep-alive connections, 64 requests with a wrong signature at a time.
    const std::string body = message_event("Ev0FLOOD001", "C0GENERAL1", "U0ALICE001", "hello", "1700000030.000100");
    const std::string one = "POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            "X-Slack-Request-Timestamp: " + std::to_string(std::time(nullptr)) +
                            "\r\nX-Slack-Signature: v0=" + std::string(64, '0') +
                            "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    std::string batch;
    for (int i = 0; i < 64; ++i) batch += one;
    std::atomic<uint64_t> refused{0};
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    auto flood = [&](const std::string &source) {
        RawSocket socket(port, source);
        while (std::chrono::steady_clock::now() < end) {
            if (!socket.send(batch)) return;
            std::string answers;
            size_t seen = 0;
            while (seen < 64) {
                const std::string more = socket.receive(std::chrono::seconds(10));
                if (more.empty()) return;
                answers += more;
                seen = 0;
                for (size_t at = answers.find("HTTP/1.1 401 "); at != std::string::npos;
                     at = answers.find("HTTP/1.1 401 ", at + 1))
                    ++seen;
            }
            refused += seen;
        }
    };
    std::thread a(flood, "127.0.0.1");
    std::thread b(flood, "127.0.0.3");
    a.join();
    b.join();
    INFO("refused requests: " << refused.load());
    REQUIRE(refused.load() > 0);
    const size_t grown = h.log.all().size() - log_before;
    CHECK(grown < 1000000);
    // Per address: the first refusal of each interval, then the count.
    CHECK(h.log.count("refused a request from 127.0.0.1: X-Slack-Signature does not match") >= 1);
    CHECK(h.log.count("refused a request from 127.0.0.3: X-Slack-Signature does not match") >= 1);

    // Signed url_verification requests: one info line, then counted.
    for (int i = 0; i < 3; ++i)
        CHECK(post_event(port, R"({"token":"x","challenge":"c","type":"url_verification"})", kSecret).status == 200);
    CHECK(h.log.count("answered Slack's url_verification from 127.0.0.1") == 1);

    // Every refusal is accounted for: the first lines plus the counts of
    // the summaries (the last ones written when the server stops).
    h.service->stop();
    uint64_t logged = 0;
    const std::string all = h.log.all();
    const std::regex first("refused a request from 127\\.0\\.0\\.[13]: X-Slack-Signature does not match");
    const std::regex summary("refused a request from 127\\.0\\.0\\.[13] ([0-9]+) more time\\(s\\) in the last [0-9]+ s; "
                             "the last: X-Slack-Signature does not match");
    for (auto it = std::sregex_iterator(all.begin(), all.end(), first); it != std::sregex_iterator(); ++it) ++logged;
    size_t summaries = 0;
    for (auto it = std::sregex_iterator(all.begin(), all.end(), summary); it != std::sregex_iterator(); ++it) {
        logged += std::stoull((*it)[1]);
        ++summaries;
    }
    CHECK(summaries >= 2);
    CHECK(logged == refused.load());
    CHECK(h.log.count("answered Slack's url_verification from 127.0.0.1 2 more time(s)") == 1);
}

TEST_CASE("events recorded and acknowledged before a crash are done at the next start", "[slack][e2e]") {
    HarnessOptions options;
    options.start_service = false;
    SlackHarness h(options);
    h.slack.add_message({"C0GENERAL1", "1700000021.000100", "U0ALICE001", "card " + kCard, "", "", ""});
    // What the intake wrote before the process died: recorded, not finished.
    REQUIRE(h.store->claim_event("Ev0CRASH001", message_event("Ev0CRASH001", "C0GENERAL1", "U0ALICE001",
                                                              "card " + kCard, "1700000021.000100")));
    REQUIRE(h.store->pending_events().size() == 1);
    h.start();
    REQUIRE(h.started);
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000021.000100"); }));
    REQUIRE(h.wait_idle());
    CHECK(h.store->recent_incidents(10).size() == 1);
    CHECK(h.log.count("resuming 1 event") == 1);
}

TEST_CASE("an event that cannot be recorded is not acknowledged, so Slack delivers it again", "[slack][e2e]") {
    HarnessOptions options;
    options.slack.ack_timeout = std::chrono::milliseconds(300);
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    // The store refuses writes: the table the intake records into is gone.
    const std::string db = h.config.database.url.substr(7);
    REQUIRE(sql(db, "ALTER TABLE processed_events RENAME TO processed_events_away"));
    const auto envelope = h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000022.000100");
    REQUIRE(h.slack.wait_for([&] { return h.slack.deliveries(envelope).size() >= 2; }));
    CHECK(h.slack.acks().empty());
    CHECK_FALSE(h.deleted("1700000022.000100"));
    REQUIRE(sql(db, "ALTER TABLE processed_events_away RENAME TO processed_events"));
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000022.000100"); }, std::chrono::seconds(10)));
    // The ack frame and the delete call travel on different connections:
    // seeing one says nothing of the other, so the ack is waited for.
    CHECK(h.slack.wait_for([&] { return h.slack.acks().size() >= 1; }));
    CHECK(h.log.count("cannot record events") >= 1);
}

TEST_CASE("dlpd run deletes through the double, and on SIGTERM closes its socket and exits 0", "[slack][e2e][process]") {
    LogCapture quiet;  // this process's own lines (the double's client side) stay out of the output
    TempDir dir;
    SlackDouble slack;
    slack.start();
    slack.add_channel("C0GENERAL1");
    const auto config = dir.write("dlpd.yaml", "log:\n  level: debug\nplugins:\n  dirs: [" + kPluginDir.string() +
                                                   "]\nrules:\n  pack: " + (kSourceDir / "config/patterns.yaml").string() +
                                                   "\ndatabase:\n  url: sqlite:" + (dir.path() / "dlpd.db").string() +
                                                   "\nslack:\n  api_url: " + slack.api_url() +
                                                   "\n  app_token: ${SLACK_APP_TOKEN}\n  bot_token: ${SLACK_BOT_TOKEN}"
                                                   "\n  user_token: ${SLACK_USER_TOKEN}\nadmin:\n  listen: 127.0.0.1:0\n");
    const std::string err = (dir.path() / "stderr").string();
    const std::string line = "exec env SLACK_APP_TOKEN=" + slack.options().app_token + " SLACK_BOT_TOKEN=" +
                             slack.options().bot_token + " SLACK_USER_TOKEN=" + slack.options().user_token + " " +
                             dlpd_command() + " run --config " + quote(config.string()) + " 2>" + quote(err);
    pid_t pid = 0;
    const char *argv[] = {"/bin/sh", "-c", line.c_str(), nullptr};
    REQUIRE(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char **>(argv), environ) == 0);

    const bool connected = slack.wait_for([&] { return slack.open_connections() == 1; }, std::chrono::seconds(240));
    if (connected) {
        slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000023.000100");
        CHECK(slack.wait_for([&] { return !slack.deleted_messages().empty(); }, std::chrono::seconds(10)));
    }
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    const std::string log_text = slurp(err);
    INFO(log_text);
    REQUIRE(connected);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(slack.wait_for([&] { return slack.open_connections() == 0; }));
    CHECK(log_text.find("stopping on SIGTERM") != std::string::npos);
    // Secrets: no token, no ticket, no card number, even at debug level.
    for (const auto &secret : {slack.options().app_token, slack.options().bot_token, slack.options().user_token,
                               std::string("ticket="), kCard, std::string("4539148803436467")})
        CHECK(log_text.find(secret) == std::string::npos);
}

TEST_CASE("no token and no matched secret ever appears in the logs", "[slack][e2e][secrecy]") {
    HarnessOptions options;
    options.configure = [](Config &c) {
        c.policy.alert_channel = "C0ALERTS01";
        c.policy.actions = "delete,notify,alert";
    };
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    const File file = shared_file("F0LOGS0001", "creds.txt", "aws_secret_access_key = H53rGTD/2U3OpSH5r44wLzwTGV6HJYq/EEyUqj37\n");
    h.slack.add_file(file);
    h.slack.rate_limit_next("chat.delete", 1, 1);
    h.slack.fail_next("chat.postMessage", "not_in_channel");
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000024.000100");
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "SLACK_BOT_TOKEN=xoxb-60603277426-4535829373909-SLcwLUKvlsmkYRJh5okeBPMJ",
                               "1700000024.000200");
    h.slack.push_file_shared("F0LOGS0001", "C0SECRETS1", "U0ERIN0001");
    h.slack.send_garbage(GarbageKind::malformed_json);
    h.slack.send_disconnect("refresh_requested");
    REQUIRE(h.slack.wait_for([&] { return h.slack.deleted_messages().size() == 2 && h.slack.deleted_files().size() == 1; },
                             std::chrono::seconds(10)));
    REQUIRE(h.wait_idle());
    h.service->stop();
    const std::string logs = h.log.all();
    INFO(logs);
    REQUIRE(logs.find("incident #") != std::string::npos);  // the run did log its work
    for (const auto &secret :
         {h.slack.options().app_token, h.slack.options().bot_token, h.slack.options().user_token, std::string("ticket="),
          kCard, std::string("4539148803436467"), std::string("H53rGTD/2U3OpSH5r44wLzwTGV6HJYq/EEyUqj37"),
          std::string("xoxb-60603277426-4535829373909-SLcwLUKvlsmkYRJh5okeBPMJ")})
        CHECK(logs.find(secret) == std::string::npos);
    // Nor in what dlpd posted to Slack.
    for (const auto &m : h.slack.posted_messages()) {
        CHECK(m.text.find(kCard) == std::string::npos);
        CHECK(m.text.find("EEyUqj37") == std::string::npos);
        CHECK(m.text.find("SLcwLUKvlsmkYRJh5okeBPMJ") == std::string::npos);
    }
}
