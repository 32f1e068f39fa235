// `dlpd doctor`, the real executable, against the Slack double on loopback
// and a SQLite store in a temporary folder: a good set-up passes every
// check, and each fault is named with how to fix it, never with a secret.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <sstream>

#include "slack_harness.hpp"

using namespace dlpd;
using namespace dlpd::test;

namespace {

// A set-up as a user writes it: a configuration file that takes the tokens
// from the environment, the plugins and the starter pack of this build, the
// store in a temporary folder, and Slack at the double.
class DoctorSetUp {
public:
    // adjust changes what the double grants, after the manifest's scopes.
    explicit DoctorSetUp(const std::function<void(SlackDoubleOptions &)> &adjust = {}) : slack(granted(adjust)) {
        slack.start();
        app_token = slack.options().app_token;
        bot_token = slack.options().bot_token;
        user_token = slack.options().user_token;
    }

    std::filesystem::path config(const std::string &extra = {}) const {
        return dir.write("dlpd.yaml", "plugins:\n  dirs: [" + kPluginDir.string() +
                                          "]\nrules:\n  pack: " + (kSourceDir / "config/patterns.yaml").string() +
                                          "\ndatabase:\n  url: " + database_url +
                                          "\nslack:\n  api_url: " + slack.api_url() +
                                          "\n  app_token: ${SLACK_APP_TOKEN:-}\n  bot_token: ${SLACK_BOT_TOKEN:-}"
                                          "\n  user_token: ${SLACK_USER_TOKEN:-}\n" +
                                          extra);
    }

    // A dlpd command with the tokens in its environment, as the README says.
    CommandResult dlpd(const std::string &arguments) const {
        return run("env SLACK_APP_TOKEN=" + quote(app_token) + " SLACK_BOT_TOKEN=" + quote(bot_token) +
                   " SLACK_USER_TOKEN=" + quote(user_token) + " SLACK_SIGNING_SECRET=" + quote(signing_secret) + " " +
                   dlpd_command() + " " + arguments);
    }

    CommandResult doctor(const std::string &extra_config = {}) const {
        return dlpd("doctor --config " + quote(config(extra_config).string()));
    }

    // The store as `dlpd run` leaves it: migrated and seeded with the pack.
    void prepare_store() const {
        const auto file = quote(config().string());
        REQUIRE(dlpd("migrate --config " + file).exit_code == 0);
        REQUIRE(dlpd("patterns import " + quote((kSourceDir / "config/patterns.yaml").string()) + " --config " + file)
                    .exit_code == 0);
    }

    static SlackDoubleOptions granted(const std::function<void(SlackDoubleOptions &)> &adjust) {
        auto options = with_manifest_scopes({});
        if (adjust) adjust(options);
        return options;
    }

    TempDir dir;
    SlackDouble slack;
    std::string database_url = "sqlite:" + (dir.path() / "dlpd.db").string();
    std::string app_token, bot_token, user_token, signing_secret;
};

std::vector<std::string> lines_of(const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// The report's line for a check: "OUTCOME  CHECK: …".
std::string line_for(const std::string &report, const std::string &check) {
    for (const auto &line : lines_of(report))
        if (line.size() > 9 && line.compare(9, check.size() + 1, check + ":") == 0) return line;
    return {};
}

bool starts_with(const std::string &text, const std::string &prefix) {
    return text.rfind(prefix, 0) == 0;
}

// Every value that must never be printed, on either stream.
void check_no_secret(const CommandResult &r, const std::vector<std::string> &secrets) {
    for (const auto &secret : secrets) {
        INFO("secret: " << secret);
        CHECK(r.out.find(secret) == std::string::npos);
        CHECK(r.err.find(secret) == std::string::npos);
    }
}

}  // namespace

TEST_CASE("dlpd doctor on a good set-up says every check is ok and exits 0", "[doctor][e2e][process]") {
    DoctorSetUp s;
    s.prepare_store();
    const auto r = s.doctor();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    for (const char *check : {"configuration", "plugins", "rule pack", "store", "stored rules", "Slack bot token",
                              "Slack bot scopes", "Slack user token", "Slack user scopes", "Socket Mode"})
        CHECK(starts_with(line_for(r.out, check), "ok       "));
    for (const auto &line : lines_of(r.out)) CHECK_FALSE(starts_with(line, "problem"));
    CHECK(r.out.find("nothing needs fixing") != std::string::npos);
    CHECK(line_for(r.out, "Slack bot token").find("bot B0BOT00001") != std::string::npos);
    // It asked Slack itself: both tokens signed in, one Socket Mode connection said hello.
    CHECK(s.slack.calls("auth.test").size() == 2);
    CHECK(s.slack.calls("apps.connections.open").size() == 1);
    CHECK(s.slack.total_connections() == 1);
    check_no_secret(r, {s.app_token, s.bot_token, s.user_token, "ticket="});
}

TEST_CASE("dlpd doctor names a wrong bot token and Slack's invalid_auth, without the token", "[doctor][e2e][process]") {
    DoctorSetUp s;
    s.prepare_store();
    s.bot_token = "xoxb-1111-2222-WrongBotTokenValue";
    const auto r = s.doctor();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    const auto line = line_for(r.out, "Slack bot token");
    CHECK(starts_with(line, "problem  "));
    CHECK(line.find("SLACK_BOT_TOKEN") != std::string::npos);
    CHECK(line.find("invalid_auth") != std::string::npos);
    CHECK(starts_with(line_for(r.out, "Slack bot scopes"), "skipped  "));
    // The other tokens are still checked, and pass.
    CHECK(starts_with(line_for(r.out, "Slack user token"), "ok       "));
    CHECK(starts_with(line_for(r.out, "Socket Mode"), "ok       "));
    CHECK(r.out.find("1 problem needs fixing") != std::string::npos);
    check_no_secret(r, {s.bot_token, s.app_token, s.user_token});
}

TEST_CASE("dlpd doctor names a scope the bot token was not granted, and says to reinstall the app",
          "[doctor][e2e][process]") {
    DoctorSetUp s([](SlackDoubleOptions &o) {
        const auto before = o.bot_scopes.size();
        o.bot_scopes.erase(std::remove(o.bot_scopes.begin(), o.bot_scopes.end(), "groups:history"), o.bot_scopes.end());
        REQUIRE(o.bot_scopes.size() + 1 == before);  // the manifest asks for it
    });
    s.prepare_store();
    const auto r = s.doctor();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    const auto line = line_for(r.out, "Slack bot scopes");
    CHECK(starts_with(line, "problem  "));
    CHECK(line.find("lacks groups:history") != std::string::npos);
    CHECK(r.out.find("reinstall the app from config/slack-app-manifest.yaml") != std::string::npos);
    CHECK(starts_with(line_for(r.out, "Slack bot token"), "ok       "));
    CHECK(starts_with(line_for(r.out, "Slack user scopes"), "ok       "));
    CHECK(r.out.find("1 problem needs fixing") != std::string::npos);
    check_no_secret(r, {s.bot_token, s.app_token, s.user_token});
}

TEST_CASE("dlpd doctor checks the scopes of the manifest given with --manifest, and names one it cannot read",
          "[doctor][e2e][process]") {
    DoctorSetUp s;
    s.prepare_store();
    const auto config = quote(s.config().string());
    const auto manifest = s.dir.write("manifest.yaml",
                                      "oauth_config:\n  scopes:\n    bot: [chat:write, reactions:write]\n"
                                      "    user: [chat:write]\n");
    const auto more = s.dlpd("doctor --config " + config + " --manifest " + quote(manifest.string()));
    INFO(more.out << more.err);
    CHECK(more.exit_code == 1);
    CHECK(line_for(more.out, "Slack bot scopes").find("lacks reactions:write") != std::string::npos);
    CHECK(starts_with(line_for(more.out, "Slack user scopes"), "ok       "));

    const auto missing =
        s.dlpd("doctor --config " + config + " --manifest " + quote((s.dir.path() / "none.yaml").string()));
    INFO(missing.out << missing.err);
    CHECK(missing.exit_code == 1);
    CHECK(line_for(missing.out, "Slack app manifest").find("none.yaml: cannot read") != std::string::npos);
    CHECK(starts_with(line_for(missing.out, "Slack bot scopes"), "skipped  "));
}

TEST_CASE("dlpd doctor names an unreachable database with its password redacted", "[doctor][e2e][process]") {
    DoctorSetUp s;
    s.database_url = "mysql://u:secretpw@127.0.0.1:1/db";
    const auto r = s.doctor();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    const auto line = line_for(r.out, "store");
    CHECK(starts_with(line, "problem  "));
    CHECK(line.find("mysql://u:***@127.0.0.1:1/db") != std::string::npos);
    CHECK(r.out.find("127.0.0.1:1") != std::string::npos);
    CHECK(starts_with(line_for(r.out, "Socket Mode"), "ok       "));  // the rest is still checked
    check_no_secret(r, {"secretpw", s.bot_token, s.app_token, s.user_token});
}

TEST_CASE("dlpd doctor says which migrations are pending and applies none of them", "[doctor][e2e][process]") {
    DoctorSetUp s;
    s.dir.write("dlpd.db", "");  // an empty SQLite database: no schema yet
    for (int run = 0; run < 2; ++run) {
        const auto r = s.doctor();
        INFO(r.out << r.err);
        CHECK(r.exit_code == 1);
        const auto line = line_for(r.out, "store");
        CHECK(starts_with(line, "problem  "));
        CHECK(line.find("pending (schema version 0") != std::string::npos);
        CHECK(r.out.find("fix: dlpd migrate --config ") != std::string::npos);
    }
}

TEST_CASE("dlpd doctor prints each configuration problem with its file and line", "[doctor][e2e][process]") {
    DoctorSetUp s;
    const auto r = s.doctor("  moed: http\n");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(starts_with(line_for(r.out, "configuration"), "problem  "));
    CHECK(r.out.find((s.dir.path() / "dlpd.yaml").string() + ":12: key 'slack.moed'") != std::string::npos);
    CHECK(starts_with(line_for(r.out, "Slack"), "skipped  "));
    CHECK(s.slack.calls().empty());
}

TEST_CASE("dlpd doctor never prints a token, even one given where another kind belongs", "[doctor][e2e][process]") {
    DoctorSetUp s;
    s.prepare_store();
    // Swapped: the user token as the bot token, the bot token as the app-level token.
    s.bot_token = s.slack.options().user_token;
    s.app_token = s.slack.options().bot_token;
    s.user_token = "xoxp-3333-4444-UnknownUserTokenValue";
    const auto r = s.doctor();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(line_for(r.out, "Slack bot token").find("is a user token (xoxp-), not a bot token (xoxb-)") !=
          std::string::npos);
    CHECK(line_for(r.out, "Socket Mode").find("is a bot token (xoxb-), not an app-level token (xapp-)") !=
          std::string::npos);
    CHECK(line_for(r.out, "Slack user token").find("invalid_auth") != std::string::npos);
    check_no_secret(
        r, {s.slack.options().bot_token, s.slack.options().user_token, s.slack.options().app_token, s.user_token});
}

TEST_CASE("dlpd doctor names an app-level token that apps.connections.open refuses", "[doctor][e2e][process]") {
    DoctorSetUp s;
    s.prepare_store();
    s.app_token = "xapp-1-A0DOUBLE01-5555-WrongAppTokenValue";
    const auto r = s.doctor();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    const auto line = line_for(r.out, "Socket Mode");
    CHECK(starts_with(line, "problem  "));
    CHECK(line.find("apps.connections.open: invalid_auth") != std::string::npos);
    CHECK(r.out.find("fix: Slack does not take SLACK_APP_TOKEN") != std::string::npos);
    CHECK(s.slack.total_connections() == 0);
    check_no_secret(r, {s.app_token, s.bot_token, s.user_token});
}

TEST_CASE("in HTTP Events mode dlpd doctor checks the signing secret instead of Socket Mode",
          "[doctor][e2e][process]") {
    DoctorSetUp s;
    s.prepare_store();
    const std::string http_mode = "  mode: http\n  signing_secret: ${SLACK_SIGNING_SECRET:-}\n";
    const auto without = s.doctor(http_mode);
    INFO(without.out << without.err);
    CHECK(without.exit_code == 1);
    CHECK(starts_with(line_for(without.out, "HTTP Events"), "problem  "));
    CHECK(line_for(without.out, "HTTP Events").find("SLACK_SIGNING_SECRET") != std::string::npos);
    CHECK(line_for(without.out, "Socket Mode").empty());

    s.signing_secret = "doctor-test-signing-secret-0123";
    s.app_token.clear();  // HTTP Events mode needs none
    const auto with = s.doctor(http_mode);
    INFO(with.out << with.err);
    CHECK(with.exit_code == 0);
    CHECK(starts_with(line_for(with.out, "HTTP Events"), "ok       "));
    CHECK(s.slack.calls("apps.connections.open").empty());
    check_no_secret(with, {s.signing_secret, s.bot_token, s.user_token});
}

TEST_CASE("dlpd doctor refuses an unknown argument with exit status 2", "[doctor][process]") {
    const auto r = run(dlpd_command() + " doctor --colour");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown argument '--colour'") != std::string::npos);
}

TEST_CASE("dlpd doctor takes the tokens and the database from the environment when the file names none",
          "[doctor][e2e][process]") {
    DoctorSetUp s;
    s.prepare_store();
    const auto file = s.dir.write("mine.yaml", "plugins:\n  dirs: [" + kPluginDir.string() + "]\nrules:\n  pack: " +
                                                   (kSourceDir / "config/patterns.yaml").string() +
                                                   "\nslack:\n  api_url: " + s.slack.api_url() + "\n");
    const auto r = s.dlpd("doctor --config " + quote(file.string()));
    // No database.url in the file: DLPD_DATABASE_URL is not set, so the default sqlite:dlpd.db is looked at;
    // the Slack checks find every token in the environment.
    INFO(r.out << r.err);
    for (const char *check : {"Slack bot token", "Slack user token", "Socket Mode"})
        CHECK(starts_with(line_for(r.out, check), "ok       "));
    const auto with_db = run("env DLPD_DATABASE_URL=" + quote(s.database_url) + " SLACK_APP_TOKEN=" +
                             quote(s.app_token) + " SLACK_BOT_TOKEN=" + quote(s.bot_token) + " SLACK_USER_TOKEN=" +
                             quote(s.user_token) + " " + dlpd_command() + " doctor --config " + quote(file.string()));
    INFO(with_db.out << with_db.err);
    CHECK(with_db.exit_code == 0);
    CHECK(line_for(with_db.out, "store").find(s.database_url) != std::string::npos);
    check_no_secret(with_db, {s.app_token, s.bot_token, s.user_token});
}
