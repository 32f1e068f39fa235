// dlpd doctor's Slack checks: what `dlpd run` needs from Slack, asked of
// Slack itself through dlpd's own Web API and Socket Mode clients. Each call
// is made once, with slack.request_timeout_seconds: doctor reports what
// happens now rather than wait out an outage. A token is never printed; a
// message names the setting and, at most, the kind of token its prefix says.
#include <algorithm>
#include <thread>

#include "cli/doctor.hpp"
#include "policy/policy.hpp"
#include "slack/app_manifest.hpp"
#include "slack/envelope.hpp"
#include "slack/socket_mode.hpp"
#include "slack/web_api.hpp"

namespace dlpd {

namespace {

using slack::Token;

// How long the Socket Mode check waits for Slack's hello on a new connection.
constexpr std::chrono::seconds kSocketModeHelloWait{10};
// How often it looks at the connection meanwhile.
constexpr std::chrono::milliseconds kSocketModePoll{50};
// One try per Web API call (see above).
constexpr int kWebApiAttempts = 1;

constexpr const char *kAppsPage = "https://api.slack.com/apps";
constexpr const char *kReinstall =
    "reinstall the app from config/slack-app-manifest.yaml: in https://api.slack.com/apps open the app's App Manifest "
    "page, paste the file, save, then Install App → Reinstall to Workspace";

// One of the tokens, and how to get it.
struct TokenSpec {
    Token token;
    std::string check;    // the report's name for it
    std::string setting;  // "SLACK_BOT_TOKEN (slack.bot_token)"
    std::string prefix;   // what Slack's tokens of this kind start with
    std::string kind;     // "a bot token (xoxb-)"
    std::string where;    // how to get one
};

const TokenSpec kBot{.token = Token::bot,
                     .check = "Slack bot token",
                     .setting = "SLACK_BOT_TOKEN (slack.bot_token)",
                     .prefix = "xoxb-",
                     .kind = "a bot token (xoxb-)",
                     .where = "the app's Bot User OAuth Token (xoxb-…), on its Install App page"};
const TokenSpec kUser{.token = Token::user,
                      .check = "Slack user token",
                      .setting = "SLACK_USER_TOKEN (slack.user_token)",
                      .prefix = "xoxp-",
                      .kind = "a user token (xoxp-)",
                      .where =
                          "the app's User OAuth Token (xoxp-…), on its Install App page; install the app as a "
                          "workspace admin or owner, so that the token may delete other people's messages"};
const TokenSpec kApp{.token = Token::app,
                     .check = "Socket Mode",
                     .setting = "SLACK_APP_TOKEN (slack.app_token)",
                     .prefix = "xapp-",
                     .kind = "an app-level token (xapp-)",
                     .where =
                         "an app-level token (xapp-…) with the scope connections:write, from the app's Basic "
                         "Information page → App-Level Tokens → Generate Token and Scopes"};

// What a value looks like, by its prefix alone.
std::string kind_of(const std::string &value) {
    for (const TokenSpec *spec : {&kBot, &kUser, &kApp})
        if (value.rfind(spec->prefix, 0) == 0) return spec->kind;
    return "not a token Slack issues for apps";
}

// Slack's error codes that say the token itself is wrong.
bool token_refused(const std::string &code) {
    static const char *const codes[] = {
        "not_authed", "invalid_auth",           "account_inactive", "token_revoked", "token_expired",
        "no_token",   "not_allowed_token_type", "missing_scope",    "team_disabled", "user_removed_from_team"};
    return std::find(std::begin(codes), std::end(codes), code) != std::end(codes);
}

std::string joined(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

// How to fix a failed Web API call.
std::string fix_for(const slack::ApiResult &result, const TokenSpec &spec, const std::string &api_url) {
    if (token_refused(result.error))
        return "the value is wrong, revoked or of an uninstalled app: set " + spec.setting + " to " + spec.where;
    if (result.error == "transport_error")
        return "check that this machine reaches " + api_url + " (network, proxy, firewall) and slack.api_url";
    if (result.error == "http_status")
        return "check slack.api_url (" + api_url + "): the answer was not Slack's Web API";
    if (result.error == "ratelimited") return "Slack is rate limiting this app: run dlpd doctor again in a minute";
    return "see what '" + result.error + "' means at https://api.slack.com/methods/auth.test";
}

// What Slack answered, for a problem line: its error code, or what went wrong on the way.
std::string failure_of(const slack::ApiResult &result) {
    if (result.error == "transport_error" || result.error == "http_status") return result.detail;
    return result.error;
}

// The value is set and of the right kind, and auth.test signs in with it;
// Slack agrees on the kind (a bot token's answer has a bot_id, a user
// token's has none). Returns the answer when all holds.
std::optional<slack::ApiResult> check_token(DoctorReport &report, slack::WebApi &api, const TokenSpec &spec,
                                            const std::string &value) {
    if (value.rfind(spec.prefix, 0) != 0) {
        report.problem(spec.check, spec.setting + " is " + kind_of(value) + ", not " + spec.kind,
                       "set it to " + spec.where);
        return std::nullopt;
    }
    slack::ApiResult answer = api.call("auth.test", "{}", spec.token);
    if (!answer.ok) {
        report.problem(spec.check, "auth.test refused " + spec.setting + ": " + failure_of(answer),
                       fix_for(answer, spec, api.options().api_url));
        return std::nullopt;
    }
    const std::string bot_id = answer.string_field("bot_id");
    if (spec.token == Token::bot && bot_id.empty()) {
        report.problem(spec.check, "auth.test says " + spec.setting + " is not a bot's token (no bot_id)",
                       "set it to " + spec.where);
        return std::nullopt;
    }
    if (spec.token == Token::user && !bot_id.empty()) {
        report.problem(spec.check, "auth.test says " + spec.setting + " is a bot's token (bot_id " + bot_id + ")",
                       "set it to " + spec.where);
        return std::nullopt;
    }
    std::string who = answer.string_field("user") + " (" + answer.string_field("user_id") +
                      (bot_id.empty() ? "" : ", bot " + bot_id) + ")";
    report.ok(spec.check, "auth.test signed in to " + answer.string_field("team") + " (" +
                              answer.string_field("team_id") + ") as " + who);
    return answer;
}

// The scopes Slack says the token was granted (x-oauth-scopes) against those
// the app manifest asks for.
void check_scopes(DoctorReport &report, const std::string &check, const TokenSpec &spec, const slack::ApiResult &answer,
                  const std::vector<std::string> &wanted) {
    const auto granted = slack::scope_list(answer.granted_scopes);
    if (granted.empty()) {
        report.skipped(check, "Slack did not say which scopes " + spec.setting + " has (no x-oauth-scopes header)");
        return;
    }
    std::vector<std::string> missing;
    for (const auto &scope : wanted)
        if (std::find(granted.begin(), granted.end(), scope) == granted.end()) missing.push_back(scope);
    if (!missing.empty())
        report.problem(check, spec.setting + " lacks " + joined(missing) + " (granted: " + joined(granted) + ")",
                       std::string(kReinstall) + "; if the token changes, update " + spec.setting);
    else
        report.ok(check, "every scope the app manifest asks for is granted (" + joined(wanted) + ")");
}

bool policy_deletes(const Config::Policy &p) {
    std::string error;  // the schema checked the lists already
    for (const std::string *list :
         {&p.actions, &p.actions_low, &p.actions_medium, &p.actions_high, &p.actions_critical, &p.unscannable})
        if (slack::parse_action_list(*list, error).delete_message) return true;
    return false;
}

// Doctor takes no event: one that arrives during the check is refused
// (never acknowledged), so Slack delivers it again, to `dlpd run`.
class RefusingSink final : public slack::EnvelopeSink {
public:
    void accept(slack::Envelope, std::function<void(slack::IntakeResult)> done) override {
        done(slack::IntakeResult::failed);
    }
};

// One connection, the way `dlpd run` opens them: apps.connections.open with
// the app-level token, then the WebSocket, live once Slack says hello.
void check_socket_mode(DoctorReport &report, slack::WebApi &api, const Config &config) {
    RefusingSink sink;
    slack::SocketModeOptions options;
    options.connections = 1;
    options.handshake_timeout = kSocketModeHelloWait;
    // The client's own hello deadline and its first reconnect come after
    // this check's wait, so the first failure is the one reported.
    options.hello_timeout = 2 * kSocketModeHelloWait;
    options.reconnect_base = 2 * kSocketModeHelloWait;
    options.reconnect_max = options.reconnect_base;
    options.idle_timeout = std::chrono::seconds(config.slack.idle_timeout_seconds);
    slack::SocketModeClient client(api, sink, options);
    client.start();
    const auto deadline = std::chrono::steady_clock::now() + kSocketModeHelloWait;
    slack::SocketModeStatus status = client.status();
    while (status.live_connections == 0 && status.last_failure.empty() && status.state != "stopped" &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(kSocketModePoll);
        status = client.status();
    }
    client.stop();
    if (status.live_connections > 0) {
        report.ok("Socket Mode", "apps.connections.open gave a WebSocket URL, and Slack said hello on it");
        return;
    }
    const std::string failure = !status.last_failure.empty() ? status.last_failure
                                                             : "no hello from Slack within " +
                                                                   std::to_string(kSocketModeHelloWait.count()) + " s";
    const std::string open_failed = "apps.connections.open: ";
    if (failure.rfind(open_failed, 0) == 0 && token_refused(failure.substr(open_failed.size())))
        report.problem("Socket Mode", failure, "Slack does not take " + kApp.setting + ": set it to " + kApp.where);
    else
        report.problem("Socket Mode", failure,
                       "turn Socket Mode on in the app's settings (" + std::string(kAppsPage) +
                           ", Socket Mode page), and let this machine open WebSockets to Slack (wss://, port 443; "
                           "a proxy or firewall may block them)");
}

}  // namespace

void check_slack(DoctorReport &report, const Config &config, const std::filesystem::path &manifest_file) {
    const auto &s = config.slack;
    slack::WebApiOptions api_options;
    api_options.api_url = s.api_url;
    api_options.bot_token = s.bot_token;
    api_options.user_token = s.user_token;
    api_options.app_token = s.app_token;
    api_options.http.timeout = std::chrono::seconds(s.request_timeout_seconds);
    api_options.max_attempts = kWebApiAttempts;
    slack::WebApi api(api_options);

    std::string manifest_error;
    const auto manifest = slack::load_app_manifest(manifest_file, manifest_error);
    if (!manifest)
        report.problem("Slack app manifest", manifest_error,
                       "reinstall dlpd (it installs share/dlpd/slack-app-manifest.yaml), or pass --manifest FILE");

    // The bot token: events, files and notices.
    if (s.bot_token.empty()) {
        report.problem(kBot.check, kBot.setting + " is not set: dlpd cannot connect to Slack",
                       "create the app from config/slack-app-manifest.yaml in " + std::string(kAppsPage) +
                           ", install it, and set " + kBot.setting + " to " + kBot.where);
        report.skipped("Slack bot scopes", "there is no bot token");
    } else if (auto answer = check_token(report, api, kBot, s.bot_token)) {
        if (manifest)
            check_scopes(report, "Slack bot scopes", kBot, *answer, manifest->bot_scopes);
        else
            report.skipped("Slack bot scopes", "the app manifest could not be read");
    } else {
        report.skipped("Slack bot scopes", "the bot token must sign in first");
    }

    // The user token: only deleting needs it.
    if (s.user_token.empty()) {
        if (policy_deletes(config.policy))
            report.problem(kUser.check,
                           kUser.setting + " is not set: dlpd cannot delete messages, which the policy asks for",
                           "set it to " + kUser.where);
        else
            report.skipped(kUser.check, kUser.setting + " is not set, and the policy does not delete");
        report.skipped("Slack user scopes", "there is no user token");
    } else if (auto answer = check_token(report, api, kUser, s.user_token)) {
        if (manifest)
            check_scopes(report, "Slack user scopes", kUser, *answer, manifest->user_scopes);
        else
            report.skipped("Slack user scopes", "the app manifest could not be read");
    } else {
        report.skipped("Slack user scopes", "the user token must sign in first");
    }

    if (s.mode == "http") {
        if (s.signing_secret.empty())
            report.problem("HTTP Events",
                           "SLACK_SIGNING_SECRET (slack.signing_secret) is not set: every request from "
                           "Slack would be refused",
                           "set it to the app's Signing Secret (the app's Basic Information page → App Credentials)");
        else
            report.ok("HTTP Events",
                      "the signing secret is set; Slack's requests to " + s.http_listen + " are checked with it");
        return;
    }
    if (s.app_token.empty()) {
        report.problem(kApp.check, kApp.setting + " is not set: Socket Mode cannot connect (slack.mode is socket)",
                       "set it to " + kApp.where + ", or use slack.mode: http");
        return;
    }
    if (s.app_token.rfind(kApp.prefix, 0) != 0) {
        report.problem(kApp.check, kApp.setting + " is " + kind_of(s.app_token) + ", not " + kApp.kind,
                       "set it to " + kApp.where);
        return;
    }
    check_socket_mode(report, api, config);
}

}  // namespace dlpd
