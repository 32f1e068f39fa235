// metrics.listen end to end: the real `dlpd run` against the Slack double,
// its /metrics checked by promtool and read as events flow, /readyz turning
// 200 once Slack is live and 503 naming the store when a real MariaDB server
// dies, /healthz answering throughout.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>

#include <optional>
#include <regex>
#include <string_view>

#include "mariadb_server.hpp"
#include "slack_double.hpp"
#include "test_support.hpp"

extern char **environ;

namespace {

using namespace dlpd::test;

// One rule, so that a start checks one rule's examples, not the starter pack's.
const std::string kRulePack = R"(rules:
  - name: metrics_test_card
    regex: '\b(4[0-9]{3} [0-9]{4} [0-9]{4} [0-9]{4})\b'
    validators: [luhn]
    severity: high
    confidence: high
    description: A card number grouped 4-4-4-4, Luhn-checked (the metrics test's only rule).
    examples:
      match: ['card 4539 1488 0343 6467 ok']
      no_match: ['card 4539 1488 0343 6468 ok']
)";
// Bounds that stop a broken build from hanging; they time nothing.
constexpr auto kStartWait = std::chrono::seconds(240);
constexpr auto kWait = std::chrono::seconds(30);

std::string config_text(const TempDir &dir, const std::string &database_url, const std::string &slack_api_url,
                        const std::string &metrics_listen = "127.0.0.1:0") {
    const auto pack = dir.write("pack.yaml", kRulePack);
    std::string text = "log:\n  level: debug\nplugins:\n  dirs: [" + kPluginDir.string() +
                       "]\nrules:\n  pack: " + pack.string() + "\ndatabase:\n  url: " + database_url +
                       "\n  key_file: " + (dir.path() / "dlpd.key").string() +
                       "\nadmin:\n  listen: 127.0.0.1:0\nmetrics:\n  listen: " + metrics_listen + "\n";
    if (!slack_api_url.empty()) text += "slack:\n  api_url: " + slack_api_url + "\n  reconnect_max_seconds: 1\n";
    return text;
}

// `dlpd run` as a child, its output in a file; the Slack tokens in its
// environment only when given (none of the caller's).
class Daemon {
public:
    Daemon(const std::filesystem::path &config, const std::filesystem::path &log, const dlpd::test::SlackDouble *slack)
        : log_(log) {
        std::vector<std::string> env;
        for (char **e = environ; *e; ++e)
            if (std::string_view(*e).rfind("SLACK_", 0) != 0) env.push_back(*e);
        if (slack) {
            env.push_back("SLACK_APP_TOKEN=" + slack->options().app_token);
            env.push_back("SLACK_BOT_TOKEN=" + slack->options().bot_token);
            env.push_back("SLACK_USER_TOKEN=" + slack->options().user_token);
        }
        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_addopen(&files, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&files, 1, 2);
        const std::string bin = (kBinDir / "dlpd").string(), cfg = config.string();
        const char *argv[] = {bin.c_str(), "run", "--config", cfg.c_str(), nullptr};
        std::vector<char *> envp;
        for (auto &e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        const int rc = posix_spawn(&pid_, bin.c_str(), &files, nullptr, const_cast<char **>(argv), envp.data());
        posix_spawn_file_actions_destroy(&files);
        if (rc != 0) throw std::runtime_error("cannot start " + bin);
    }
    ~Daemon() { stop(SIGKILL); }

    bool running() {
        if (pid_ > 0 && waitpid(pid_, &status_, WNOHANG) == pid_) pid_ = 0;
        return pid_ > 0;
    }
    int stop(int signal) {
        if (running()) {
            kill(pid_, signal);
            waitpid(pid_, &status_, 0);
            pid_ = 0;
        }
        return status_;
    }
    std::string log() const { return slurp(log_); }

    // The endpoint's port, from its log line; 0 if it has not started by then.
    uint16_t metrics_port(std::chrono::seconds timeout = kStartWait) {
        static const std::regex line("serving /metrics, /healthz and /readyz at http://127\\.0\\.0\\.1:([0-9]+)/");
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end && running()) {
            std::smatch m;
            const std::string text = log();
            if (std::regex_search(text, m, line)) return static_cast<uint16_t>(std::stoi(m[1]));
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return 0;
    }

private:
    std::filesystem::path log_;
    pid_t pid_ = 0;
    int status_ = 0;
};

struct Answer {
    int status = 0;  // 0: no answer
    std::string content_type;
    std::string body;
};

Answer get(uint16_t port, const std::string &path) {
    Answer a;
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", port);
        session.setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream &in = session.receiveResponse(response);
        Poco::StreamCopier::copyToString(in, a.body);
        a.status = response.getStatus();
        a.content_type = response.getContentType();
    } catch (const Poco::Exception &) {
        a.status = 0;
    }
    return a;
}

bool wait_until(const std::function<bool()> &ready, std::chrono::seconds timeout = kWait) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (ready()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return ready();
}

// The value of one series ("name{a=\"x\"}" exactly as written), if present.
std::optional<double> sample(const std::string &text, const std::string &series) {
    const std::string key = series + " ";
    for (size_t at = 0; at < text.size();) {
        size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        const std::string_view line(text.data() + at, end - at);
        if (line.starts_with(key)) return std::stod(std::string(line.substr(key.size())));
        at = end + 1;
    }
    return std::nullopt;
}

double value(const std::string &text, const std::string &series) {
    return sample(text, series).value_or(-1);
}

}  // namespace

using namespace dlpd::test;

TEST_CASE("dlpd run's /metrics passes promtool, /readyz turns 200 once Slack is live, and counters follow a secret",
          "[slack][e2e][process][metrics]") {
    LogCapture quiet;
    TempDir dir;
    SlackDoubleOptions options;
    options.echo_deletions = false;  // exactly the two events pushed below
    SlackDouble slack(options);
    slack.start();
    slack.add_channel("C0GENERAL1");
    // Slack is not reachable yet: every apps.connections.open is refused with 429.
    slack.rate_limit_next("apps.connections.open", 1000000, 0);
    const auto config =
        dir.write("dlpd.yaml", config_text(dir, "sqlite:" + (dir.path() / "dlpd.db").string(), slack.api_url()));
    Daemon dlpd(config, dir.path() / "dlpd.log", &slack);
    const uint16_t port = dlpd.metrics_port();
    INFO(dlpd.log());
    REQUIRE(port != 0);

    CHECK(get(port, "/healthz").status == 200);
    // Not live while Socket Mode cannot connect; the 429s are counted.
    const Answer before = get(port, "/readyz");
    CHECK(before.status == 503);
    CHECK_THAT(before.body, Catch::StartsWith("not ready: slack: "));
    CHECK(wait_until([&] {
        return value(get(port, "/metrics").body,
                     "dlpd_slack_api_calls_total{method=\"apps.connections.open\",result=\"ratelimited\"}") >= 1;
    }));

    slack.rate_limit_next("apps.connections.open", 0, 0);  // Slack answers again
    CHECK(wait_until([&] { return get(port, "/readyz").status == 200; }, kStartWait));
    CHECK(get(port, "/readyz").body == "ready\n");
    REQUIRE(slack.open_connections() == 1);

    slack.push_message_event("C0GENERAL1", "U0ALICE001", "hello, nothing here", "1700000031.000100");
    slack.push_message_event("C0GENERAL1", "U0ALICE001", "card 4539 1488 0343 6467", "1700000031.000200");
    REQUIRE(slack.wait_for([&] { return !slack.deleted_messages().empty(); }, kWait));

    // The delete is seen by the double before the worker counts it: wait for
    // the counts, then read one scrape.
    CHECK(wait_until([&] {
        const std::string m = get(port, "/metrics").body;
        return value(m, "dlpd_events_processed_total{outcome=\"clean\"}") == 1 &&
               value(m, "dlpd_events_processed_total{outcome=\"flagged\"}") == 1 &&
               value(m, "dlpd_actions_total{action=\"notify\",result=\"ok\"}") == 1;
    }));
    const Answer metrics = get(port, "/metrics");
    INFO(metrics.body);
    CHECK(metrics.status == 200);
    CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(value(metrics.body, "dlpd_events_received_total{transport=\"socket\"}") == 2);
    CHECK(value(metrics.body, "dlpd_events_acknowledged_total{transport=\"socket\"}") == 2);
    CHECK(value(metrics.body, "dlpd_events_deduplicated_total{transport=\"socket\"}") == 0);
    CHECK(value(metrics.body, "dlpd_findings_total{rule=\"metrics_test_card\",severity=\"high\"}") == 1);
    CHECK(value(metrics.body, "dlpd_incidents_total") == 1);
    CHECK(value(metrics.body, "dlpd_actions_total{action=\"delete\",result=\"ok\"}") == 1);
    CHECK(value(metrics.body, "dlpd_slack_api_calls_total{method=\"chat.delete\",result=\"ok\"}") == 1);
    CHECK(value(metrics.body, "dlpd_ack_latency_seconds_count{transport=\"socket\"}") == 2);
    CHECK(value(metrics.body, "dlpd_ack_latency_seconds_bucket{transport=\"socket\",le=\"+Inf\"}") == 2);
    CHECK(value(metrics.body, "dlpd_event_action_latency_seconds_count{action=\"delete\"}") == 1);
    CHECK(value(metrics.body, "dlpd_socket_mode_connections{state=\"live\"}") == 1);
    CHECK(value(metrics.body, "dlpd_socket_mode_state{state=\"connected\"}") == 1);
    CHECK(value(metrics.body, "dlpd_rules_in_force") == 1);
    CHECK(value(metrics.body, "dlpd_rules_revision") >= 1);
    CHECK(value(metrics.body, "dlpd_rules_last_compile_timestamp_seconds") > 1.7e9);
    CHECK(value(metrics.body, "dlpd_queue_depth{queue=\"workers\"}") == 0);

    // Families nothing has counted yet are listed too, at zero.
    for (const char *family : {"dlpd_plugin_errors_total counter", "dlpd_extraction_diagnostics_total counter",
                               "dlpd_events_resumed_total counter", "dlpd_socket_mode_disconnects_total counter"})
        CHECK(metrics.body.find(std::string("# TYPE ") + family + "\n") != std::string::npos);

    const auto checked = run("promtool check metrics", metrics.body);
    INFO(checked.out + checked.err);
    CHECK(checked.exit_code == 0);
    CHECK(checked.out + checked.err == "");

    CHECK(get(port, "/nothing").status == 404);
    const int status = dlpd.stop(SIGTERM);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    // No token or secret in what was served either.
    for (const auto &secret : {slack.options().app_token, slack.options().bot_token, slack.options().user_token,
                               std::string("4539 1488 0343 6467")})
        CHECK(metrics.body.find(secret) == std::string::npos);
}

TEST_CASE("/readyz answers 503 naming the store when its MariaDB server dies, and /healthz stays 200",
          "[slack][e2e][process][metrics][mariadb]") {
    if (!std::filesystem::exists("/usr/sbin/mariadbd") && run("command -v mariadbd").exit_code != 0) {
        WARN("mariadbd is not installed: the MariaDB readiness test is skipped");
        return;
    }
    LogCapture quiet;
    TempDir dir;
    auto mariadb = MariaDbServer::start_private();
    const std::string url = mariadb->url(mariadb->fresh_database());
    // No Slack tokens: readiness is about the store and the rules alone.
    const auto config = dir.write("dlpd.yaml", config_text(dir, url, ""));
    Daemon dlpd(config, dir.path() / "dlpd.log", nullptr);
    const uint16_t port = dlpd.metrics_port();
    INFO(dlpd.log());
    REQUIRE(port != 0);
    CHECK(wait_until([&] { return get(port, "/readyz").status == 200; }));

    mariadb->kill_now();
    Answer down;
    CHECK(wait_until([&] {
        down = get(port, "/readyz");
        return down.status == 503;
    }));
    CHECK_THAT(down.body, Catch::StartsWith("not ready: store: "));
    CHECK_THAT(down.body, Catch::Contains("127.0.0.1:" + std::to_string(mariadb->port())));
    CHECK(down.body.find(MariaDbServer::kPassword) == std::string::npos);
    CHECK(get(port, "/healthz").status == 200);
    CHECK(get(port, "/metrics").status == 200);
    CHECK(dlpd.running());
}

TEST_CASE("dlpd run refuses a metrics.listen address it cannot bind, naming it", "[slack][e2e][process][metrics]") {
    LogCapture quiet;
    TempDir dir;
    Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::string address = "127.0.0.1:" + std::to_string(taken.address().port());
    const auto config =
        dir.write("dlpd.yaml", config_text(dir, "sqlite:" + (dir.path() / "dlpd.db").string(), "", address));
    Daemon dlpd(config, dir.path() / "dlpd.log", nullptr);
    CHECK(wait_until([&] { return !dlpd.running(); }, kStartWait));
    const int status = dlpd.stop(SIGKILL);
    INFO(dlpd.log());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    CHECK_THAT(dlpd.log(), Catch::Contains("metrics.listen: cannot listen on " + address));
}
