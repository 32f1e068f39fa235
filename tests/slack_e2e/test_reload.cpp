// SIGHUP and log.format: json, on the real `dlpd run` against the Slack
// double: the policy, the rule pack and the log change while the Socket Mode
// connection stays; a file that does not load changes nothing; a key that
// needs a restart is named; every json line parses.
#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

#include <regex>

#include "crash_harness.hpp"

using namespace dlpd;
using namespace dlpd::test;
using dlpd::test::crash::Daemon;

namespace {

// One rule, so a start checks one rule's examples, not the starter pack's.
const std::string kRule = R"(  - name: reload_test_card
    regex: '\b(4[0-9]{3} [0-9]{4} [0-9]{4} [0-9]{4})\b'
    validators: [luhn]
    severity: high
    confidence: high
    description: A card number grouped 4-4-4-4, Luhn-checked.
    examples:
      match: ['card 4539 1488 0343 6467 ok']
      no_match: ['card 4539 1488 0343 6468 ok']
)";
const std::string kCard = "4539 1488 0343 6467";
const std::string kOtherCard = "4916 3386 1427 9478";  // Luhn-valid too
// Readiness bounds for a slow (sanitizer) build: they time nothing.
constexpr auto kStartWait = std::chrono::seconds(240);
constexpr auto kLogWait = std::chrono::seconds(60);

struct Rig {
    Rig() {
        slack.start();
        for (const char *c : {"C0GENERAL1", "C0ALERTS01"}) slack.add_channel(c);
        pack = dir.write("pack.yaml", "rules:\n" + kRule);
    }
    // dlpd.yaml with these policy actions, and whatever else `extra` adds to
    // the end (a section of its own).
    std::string config_text(const std::string &actions, const std::string &database, const std::string &extra = {}) {
        return "log:\n  level: debug\nplugins:\n  dirs: [" + kPluginDir.string() +
               "]\nrules:\n  pack: " + pack.string() +
               "\ndatabase:\n  url: sqlite:" + (dir.path() / database).string() +
               "\n  key_file: " + (dir.path() / "dlpd.key").string() + "\nslack:\n  api_url: " + slack.api_url() +
               "\n  app_token: ${SLACK_APP_TOKEN}\n  bot_token: ${SLACK_BOT_TOKEN}\n  user_token: ${SLACK_USER_TOKEN}"
               "\n  workers: 1\n  reconnect_max_seconds: 2\npolicy:\n  actions: " +
               actions + "\n  alert_channel: C0ALERTS01\nadmin:\n  listen: 127.0.0.1:0\n" + extra;
    }
    void write_config(const std::string &text) { config = dir.write("dlpd.yaml", text); }

    bool start() {
        daemon = std::make_unique<Daemon>(config, slack);
        daemon->start(log_file());
        const auto end = std::chrono::steady_clock::now() + kStartWait;
        while (std::chrono::steady_clock::now() < end && daemon->running())
            if (slack.wait_for([&] { return slack.open_connections() == 1; }, std::chrono::milliseconds(200)))
                return true;
        return false;
    }
    std::filesystem::path log_file() const { return dir.path() / "dlpd.log"; }
    std::string log() const { return slurp(log_file()); }
    size_t log_count(const std::string &needle) const {
        const std::string text = log();
        size_t n = 0;
        for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
        return n;
    }
    // Sends SIGHUP and waits for the reload's last line (reloaded or refused).
    bool reload() {
        const size_t before = log_count("configuration reloaded from") + log_count("reload refused");
        daemon->signal(SIGHUP);
        const auto end = std::chrono::steady_clock::now() + kLogWait;
        while (std::chrono::steady_clock::now() < end) {
            if (log_count("configuration reloaded from") + log_count("reload refused") > before) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
    bool wait_log(const std::string &needle) const {
        const auto end = std::chrono::steady_clock::now() + kLogWait;
        while (std::chrono::steady_clock::now() < end && log_count(needle) == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return log_count(needle) > 0;
    }
    bool deleted(const std::string &ts) const {
        for (const auto &m : slack.deleted_messages())
            if (m.ts == ts) return true;
        return false;
    }
    size_t posts(const std::string &channel) const {
        size_t n = 0;
        for (const auto &m : slack.posted_messages()) n += m.channel == channel;
        return n;
    }
    size_t delete_calls(const std::string &ts) const {
        size_t n = 0;
        for (const auto &c : slack.calls("chat.delete")) n += crash::arg_of(c, "ts") == ts;
        return n;
    }
    // The line of the file that holds `text`, 1-based.
    static int line_of(const std::string &file_text, const std::string &text) {
        const size_t at = file_text.find(text);
        return at == std::string::npos
                   ? 0
                   : 1 + static_cast<int>(std::count(file_text.begin(), file_text.begin() + at, '\n'));
    }
    void check_no_secret(const std::string &text) const {
        for (const auto &secret : {slack.options().app_token, slack.options().bot_token, slack.options().user_token,
                                   std::string("ticket="), kCard, std::string("4539148803436467"), kOtherCard})
            CHECK(text.find(secret) == std::string::npos);
    }

    LogCapture quiet;  // the double's client-side lines stay out of the output
    TempDir dir;
    SlackDouble slack{with_manifest_scopes({})};
    std::filesystem::path pack, config;
    std::unique_ptr<Daemon> daemon;
};

}  // namespace

TEST_CASE(
    "SIGHUP: the next message is handled under the new policy, on the same Socket Mode connection; a file "
    "that does not load changes nothing; a key that needs a restart is named",
    "[slack][e2e][process][reload]") {
    Rig rig;
    rig.write_config(rig.config_text("delete,notify", "dlpd.db"));
    REQUIRE(rig.start());
    INFO(rig.log());

    // The policy in force deletes.
    rig.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000100.000100");
    REQUIRE(rig.slack.wait_for([&] { return rig.deleted("1700000100.000100"); }, std::chrono::seconds(30)));
    const int connections = rig.slack.total_connections();
    const size_t opens = rig.slack.calls("apps.connections.open").size();

    // Alert only, from the next message on.
    const std::string alert_only = rig.config_text("alert", "dlpd.db");
    rig.write_config(alert_only);
    REQUIRE(rig.reload());
    CHECK(rig.log_count("configuration reloaded from " + rig.config.string() + ": applied policy.actions") == 1);
    rig.slack.push_message_event("C0GENERAL1", "U0BOB00001", "card " + kCard, "1700000100.000200");
    REQUIRE(rig.slack.wait_for([&] { return rig.posts("C0ALERTS01") == 1; }, std::chrono::seconds(30)));
    // The alert is the plan's last step: had the old policy applied, the
    // delete would have come first.
    CHECK_FALSE(rig.deleted("1700000100.000200"));
    CHECK(rig.delete_calls("1700000100.000200") == 0);
    CHECK(rig.posts("C0GENERAL1") == 1);  // the first message's notice only (one worker: it came before)
    CHECK(rig.slack.total_connections() == connections);
    CHECK(rig.slack.calls("apps.connections.open").size() == opens);
    CHECK(rig.slack.open_connections() == 1);

    // An invalid value, then broken YAML: each is named with file, line and
    // key, and the alert-only policy stays in force.
    const std::string bad_value = rig.config_text("delete,explode", "dlpd.db");
    rig.write_config(bad_value);
    REQUIRE(rig.reload());
    CHECK(rig.log_count("reload refused, the configuration in force is unchanged: " + rig.config.string() + ":" +
                        std::to_string(Rig::line_of(bad_value, "  actions: delete,explode")) +
                        ": key 'policy.actions'") == 1);
    const std::string broken = rig.config_text("[delete, notify", "dlpd.db");
    rig.write_config(broken);
    REQUIRE(rig.reload());
    const std::string refused = rig.log();
    CHECK(std::regex_search(
        refused, std::regex("reload refused, the configuration in force is unchanged: " +
                            std::regex_replace(rig.config.string(), std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                            ":[0-9]+:[0-9]+: invalid YAML near key 'policy\\.actions'")));
    rig.slack.push_message_event("C0GENERAL1", "U0CAROL001", "card " + kCard, "1700000100.000300");
    REQUIRE(rig.slack.wait_for([&] { return rig.posts("C0ALERTS01") == 2; }, std::chrono::seconds(30)));
    CHECK_FALSE(rig.deleted("1700000100.000300"));
    CHECK(rig.delete_calls("1700000100.000300") == 0);

    // Keys that cannot change live are named and keep their value: the
    // store in use stays the first one, and no connection is added.
    std::string with_connections = rig.config_text("alert", "other.db");
    with_connections.replace(with_connections.find("  workers: 1"), 12, "  workers: 1\n  connections: 2");
    rig.write_config(with_connections);
    REQUIRE(rig.reload());
    CHECK(rig.log_count("database.url changed (" + rig.config.string() + ":" +
                        std::to_string(Rig::line_of(with_connections, "  url: sqlite:")) + "): restart to apply") == 1);
    CHECK(rig.log_count("slack.connections changed (" + rig.config.string() + ":" +
                        std::to_string(Rig::line_of(with_connections, "  connections: 2")) + "): restart to apply") ==
          1);
    rig.slack.push_message_event("C0GENERAL1", "U0DAVE0001", "card " + kCard, "1700000100.000400");
    REQUIRE(rig.slack.wait_for([&] { return rig.posts("C0ALERTS01") == 3; }, std::chrono::seconds(30)));
    CHECK(rig.slack.total_connections() == connections);
    CHECK_FALSE(std::filesystem::exists(rig.dir.path() / "other.db"));

    const int status = rig.daemon->stop(SIGTERM);
    const std::string log = rig.log();
    INFO(log);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    // A reload's lines name keys, never values: the database path of the
    // refused key is not in them, nor a token.
    CHECK(log.find("other.db") == std::string::npos);
    rig.check_no_secret(log);
}

TEST_CASE(
    "SIGHUP re-reads the rule pack: a value added to its allowlist is no longer acted on, and a pack that does "
    "not compile is refused with its file and rule",
    "[slack][e2e][process][reload]") {
    Rig rig;
    rig.write_config(rig.config_text("delete,notify", "dlpd.db"));
    REQUIRE(rig.start());
    INFO(rig.log());

    rig.pack = rig.dir.write("pack.yaml", "rules:\n" + kRule + "allowlist:\n  - '" + kCard + "'\n");
    REQUIRE(rig.reload());
    CHECK(rig.log_count("configuration reloaded from " + rig.config.string() + ": applied rules.pack (" +
                        rig.pack.string() + ")") == 1);
    // The allowlist reaches the engine through the store, on the rule sync's thread.
    REQUIRE(rig.wait_log("is in force (1 value(s))"));
    // One worker takes the events in order: once the second is deleted, the
    // first has been handled.
    rig.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000200.000100");
    rig.slack.push_message_event("C0GENERAL1", "U0BOB00001", "card " + kOtherCard, "1700000200.000200");
    REQUIRE(rig.slack.wait_for([&] { return rig.deleted("1700000200.000200"); }, std::chrono::seconds(30)));
    CHECK(rig.delete_calls("1700000200.000100") == 0);
    // The second message's notice follows its delete; the first has none.
    CHECK(rig.slack.wait_for([&] { return rig.posts("C0GENERAL1") == 1; }, std::chrono::seconds(30)));

    const std::string bad_rule = "  - name: reload_test_broken\n    regex: '(4[0-9]{3}'\n    severity: high\n";
    rig.dir.write("pack.yaml", "rules:\n" + kRule + bad_rule);
    REQUIRE(rig.reload());
    CHECK(rig.log_count("reload refused, the configuration in force is unchanged: " + rig.pack.string() + ":") >= 1);
    CHECK(rig.log_count("rule 'reload_test_broken'") >= 1);
    // The rules and allowlist in force stay.
    rig.slack.push_message_event("C0GENERAL1", "U0CAROL001", "card " + kCard, "1700000200.000300");
    rig.slack.push_message_event("C0GENERAL1", "U0DAVE0001", "card " + kOtherCard, "1700000200.000400");
    REQUIRE(rig.slack.wait_for([&] { return rig.deleted("1700000200.000400"); }, std::chrono::seconds(30)));
    CHECK(rig.delete_calls("1700000200.000300") == 0);

    CHECK(WEXITSTATUS(rig.daemon->stop(SIGTERM)) == 0);
    rig.check_no_secret(rig.log());
}

TEST_CASE(
    "log.format json: every line of a real dlpd run is one JSON object with time, level, component and "
    "message, holds no token or secret, and turns to text on SIGHUP",
    "[slack][e2e][process][secrecy][reload]") {
    Rig rig;
    // A card and a Slack token: what the secrecy checks look for.
    rig.pack = rig.dir.write("pack.yaml", "rules:\n" + kRule + R"(  - name: reload_test_slack_token
    regex: '\b(xox[bp]-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24})\b'
    severity: critical
    confidence: high
    description: A Slack bot or user token.
)");
    std::string text = rig.config_text("delete,notify,alert", "dlpd.db");
    text.replace(text.find("  level: debug"), 14, "  level: debug\n  format: json");
    rig.write_config(text);
    REQUIRE(rig.start());
    rig.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000300.000100");
    rig.slack.push_message_event("C0GENERAL1", "U0ALICE001",
                                 "SLACK_BOT_TOKEN=xoxb-60603277426-4535829373909-SLcwLUKvlsmkYRJh5okeBPMJ",
                                 "1700000300.000200");
    rig.slack.send_garbage(GarbageKind::malformed_json);
    REQUIRE(rig.slack.wait_for([&] { return rig.slack.deleted_messages().size() == 2; }, std::chrono::seconds(30)));
    REQUIRE(rig.reload());  // a reload's lines too
    // The format changes live: from the reload's last line on, text.
    text.replace(text.find("  format: json"), 14, "  format: text");
    rig.write_config(text);
    REQUIRE(rig.reload());
    const int status = rig.daemon->stop(SIGTERM);
    const std::string whole = rig.log();
    INFO(whole);
    CHECK(WIFEXITED(status));
    const size_t switched = whole.find("\ndlpd: ");
    REQUIRE(switched != std::string::npos);
    const std::string log = whole.substr(0, switched + 1), after = whole.substr(switched + 1);
    CHECK(after.find("dlpd: info: reload: configuration reloaded from " + rig.config.string() +
                     ": applied log.format\n") != std::string::npos);
    CHECK(after.find("dlpd: info: run: stopping on SIGTERM\n") != std::string::npos);
    rig.check_no_secret(after);

    const std::regex time(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    const std::set<std::string> levels = {"debug", "info", "warning", "error"};
    std::istringstream lines(log);
    std::string line;
    size_t parsed = 0, incidents = 0, first_admin = 0;
    while (std::getline(lines, line)) {
        INFO(line);
        Poco::JSON::Object::Ptr object;
        REQUIRE_NOTHROW(object = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
        for (const char *key : {"time", "level", "component", "message"}) {
            INFO(key);
            REQUIRE(object->has(key));
            CHECK(object->get(key).isString());
        }
        CHECK(std::regex_match(object->getValue<std::string>("time"), time));
        CHECK(levels.count(object->getValue<std::string>("level")) == 1);
        if (object->getValue<std::string>("message").rfind("incident #", 0) == 0) {
            ++incidents;
            CHECK(object->getValue<std::string>("channel") == "C0GENERAL1");
            CHECK_FALSE(object->getValue<std::string>("event_id").empty());
        }
        if (object->has("password")) ++first_admin;  // the first start's admin, in one line like the rest
        ++parsed;
    }
    CHECK(parsed > 10);
    CHECK(incidents == 2);
    CHECK(first_admin == 1);
    rig.check_no_secret(log);
    CHECK(log.find("SLcwLUKvlsmkYRJh5okeBPMJ") == std::string::npos);
}
