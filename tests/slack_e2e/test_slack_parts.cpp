// The Slack side's pure parts: reading events, the policy, notices, URLs.
#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

#include "test_support.hpp"

#include "slack/file_fetch.hpp"
#include "slack/http_client.hpp"
#include "policy/policy.hpp"
#include "slack/slack_event.hpp"
#include "config/config.hpp"
#include "slack/slack_service.hpp"

using namespace dlpd::slack;

namespace {

Poco::JSON::Object::Ptr parse(const std::string &text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

SlackEvent read(const std::string &event, const SelfIdentity &self = {"U0BOT", "B0BOT", "T1", "https://t.slack.com/"}) {
    return read_slack_event(parse(R"({"type":"event_callback","event_id":"Ev1","team_id":"T1","event":)" + event + "}"),
                            self);
}

}  // namespace

TEST_CASE("a message's text, blocks and attachments are all read, and ts stays a string", "[slack][event]") {
    const auto ev = read(R"({"type":"message","channel":"C1","user":"U1","text":"hello",
        "ts":"1700000000.000100","thread_ts":"1699999999.999900","channel_type":"group",
        "blocks":[{"type":"rich_text","elements":[{"type":"rich_text_section","elements":[
            {"type":"text","text":"in a block"},{"type":"link","url":"https://x.example/secret-link"}]}]}],
        "attachments":[{"pretext":"pre","fields":[{"title":"t","value":"field value"}]}]})");
    REQUIRE(ev.kind == SlackEvent::Kind::message);
    CHECK(ev.event_id == "Ev1");
    CHECK(ev.message.ts == "1700000000.000100");
    CHECK(ev.message.thread_ts == "1699999999.999900");
    CHECK(ev.message.channel_type == "group");
    for (const char *part : {"hello", "in a block", "https://x.example/secret-link", "pre", "field value"})
        CHECK(ev.message.text.find(part) != std::string::npos);
    CHECK(ev.message.text.find("rich_text") == std::string::npos);
}

TEST_CASE("text nested deeper than the limit is not read, so no payload can exhaust the stack", "[slack][event]") {
    const std::string shallow = R"([{"type":"rich_text","elements":[{"type":"text","text":"near the top"}]}])";
    Poco::JSON::Parser parser;
    std::string out;
    append_visible_text(parser.parse(shallow), out);
    CHECK(out == "near the top");
    out.clear();
    std::string nested = R"({"text":"level 0","inner":)";
    for (int i = 1; i <= 40; ++i) nested += R"({"text":"level )" + std::to_string(i) + R"(","inner":)";
    nested += "null" + std::string(41, '}');
    append_visible_text(Poco::JSON::Parser().parse(nested), out);
    CHECK(out.find("level 0") != std::string::npos);
    CHECK(out.find("level 32") != std::string::npos);
    CHECK(out.find("level 33") == std::string::npos);
}

TEST_CASE("message_changed is read from event.message and acts on the original ts", "[slack][event]") {
    const auto ev = read(R"({"type":"message","subtype":"message_changed","channel":"C1","ts":"1700000009.000000",
        "message":{"type":"message","user":"U1","text":"new text","ts":"1700000001.000100"},
        "previous_message":{"type":"message","user":"U1","text":"old text","ts":"1700000001.000100"}})");
    REQUIRE(ev.kind == SlackEvent::Kind::message);
    CHECK(ev.message.edited);
    CHECK(ev.message.ts == "1700000001.000100");
    CHECK(ev.message.text == "new text");
}

TEST_CASE("deletions, tombstones, joins, dlpd's own posts and other events are ignored", "[slack][event]") {
    CHECK(read(R"({"type":"message","subtype":"message_deleted","channel":"C1","deleted_ts":"1.2","ts":"1.3"})").kind ==
          SlackEvent::Kind::ignored);
    CHECK(read(R"({"type":"message","subtype":"message_changed","channel":"C1",
        "message":{"subtype":"tombstone","user":"USLACKBOT","text":"This message was deleted.","ts":"1.2"}})")
              .kind == SlackEvent::Kind::ignored);
    CHECK(read(R"({"type":"message","subtype":"channel_join","channel":"C1","user":"U1","text":"joined","ts":"1.2"})")
              .kind == SlackEvent::Kind::ignored);
    CHECK(read(R"({"type":"message","channel":"C1","user":"U1","bot_id":"B0BOT","text":"x","ts":"1.2"})").kind ==
          SlackEvent::Kind::ignored);
    CHECK(read(R"({"type":"message","channel":"C1","user":"U0BOT","text":"x","ts":"1.2"})").kind ==
          SlackEvent::Kind::ignored);
    CHECK(read(R"({"type":"reaction_added","user":"U1"})").kind == SlackEvent::Kind::ignored);
    // Another bot's post (an integration) is scanned.
    CHECK(read(R"({"type":"message","subtype":"bot_message","channel":"C1","bot_id":"B0OTHER","text":"x","ts":"1.2"})")
              .kind == SlackEvent::Kind::message);
    CHECK(read_slack_event(parse(R"({"type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820})"), {})
              .kind == SlackEvent::Kind::ignored);
}

TEST_CASE("file_shared and file_share messages carry their files", "[slack][event]") {
    const auto shared = read(R"({"type":"file_shared","channel_id":"C1","file_id":"F1","user_id":"U1","file":{"id":"F1"}})");
    REQUIRE(shared.kind == SlackEvent::Kind::file_shared);
    REQUIRE(shared.message.files.size() == 1);
    CHECK(shared.message.files[0].id == "F1");
    CHECK(shared.message.files[0].needs_info());
    const auto message = read(R"({"type":"message","subtype":"file_share","channel":"C1","user":"U1","text":"",
        "ts":"1.2","files":[{"id":"F2","name":"a.pdf","mimetype":"application/pdf","size":1234,
        "url_private_download":"https://files.slack.com/files-pri/T1-F2/download/a.pdf"}]})");
    REQUIRE(message.kind == SlackEvent::Kind::message);
    REQUIRE(message.message.files.size() == 1);
    CHECK(message.message.files[0].size == 1234);
    CHECK_FALSE(message.message.files[0].needs_info());
}

TEST_CASE("the policy takes the union over severities, and dry-run channels touch nothing", "[slack][policy]") {
    PolicyOptions policy;
    std::string error;
    policy.by_severity["low"] = parse_action_list("notify", error);
    policy.by_severity["critical"] = parse_action_list("delete, notify, alert", error);
    policy.dry_run_channels = {"CDRY"};
    REQUIRE(error.empty());
    CHECK(decide_actions(policy, "C1", {{"r", "low", "**"}}) == ActionSet{false, true, false, false});
    CHECK(decide_actions(policy, "C1", {{"r", "high", "**"}}) == ActionSet{true, true, false, false});
    CHECK(decide_actions(policy, "C1", {{"r", "low", "**"}, {"s", "critical", "**"}}) == ActionSet{true, true, true, false});
    CHECK(decide_actions(policy, "CDRY", {{"s", "critical", "**"}}) == ActionSet{false, false, true, true});
    parse_action_list("delete,shred", error);
    CHECK(error.find("unknown action 'shred'") != std::string::npos);
}

TEST_CASE("each action needs its minimum confidence, and exempt users and bots are named", "[slack][policy]") {
    PolicyOptions policy;  // delete,notify for every severity
    std::string error;
    policy.actions = parse_action_list("delete,notify,alert", error);
    REQUIRE(error.empty());
    policy.min_confidence_delete = 2;  // high
    policy.min_confidence_notify = 1;  // medium
    policy.min_confidence_alert = 0;   // low
    CHECK(decide_actions(policy, "C1", {{"r", "high", "**", "high"}}) == ActionSet{true, true, true, false});
    CHECK(decide_actions(policy, "C1", {{"r", "high", "**", "medium"}}) == ActionSet{false, true, true, false});
    CHECK(decide_actions(policy, "C1", {{"r", "high", "**", "low"}}) == ActionSet{false, false, true, false});
    // One sure finding is enough for the message.
    CHECK(decide_actions(policy, "C1", {{"r", "high", "**", "low"}, {"s", "low", "**", "high"}}) ==
          ActionSet{true, true, true, false});
    CHECK(confidence_rank("medium") == 1);
    CHECK(confidence_rank("sure") == -1);

    policy.exempt_users = {"U0CISO0001"};
    policy.exempt_bots = {"B0DEPLOY01"};
    CHECK(is_exempt(policy, "U0CISO0001", ""));
    CHECK(is_exempt(policy, "U0BOB00001", "B0DEPLOY01"));
    CHECK_FALSE(is_exempt(policy, "U0BOB00001", ""));
    CHECK_FALSE(is_exempt(policy, "U0BOB00001", "B0OTHER001"));
    policy.exempt_all_bots = true;
    CHECK(is_exempt(policy, "", "B0OTHER001"));
    CHECK_FALSE(is_exempt(policy, "U0BOB00001", ""));
}

TEST_CASE("a notice fills its placeholders and escapes Slack markup", "[slack][policy]") {
    const std::string text = render_notice("{user}: {rules} ({severity}) {masked} x{count} {unknown}", "U1",
                                           {{"card<visa>", "high", "**** 1111"}, {"ssn", "critical", "***"}});
    CHECK(text == "<@U1>: card&lt;visa&gt;, ssn (critical) **** 1111 x2 {unknown}");
}

TEST_CASE("URLs: schemes, default ports, targets, and what is refused", "[slack][url]") {
    std::string error;
    auto a = Url::parse("https://slack.com/api/", error);
    REQUIRE(a);
    CHECK(a->port == "443");
    CHECK(a->target == "/api/");
    CHECK(a->tls());
    auto b = Url::parse("ws://127.0.0.1:4567/link/?ticket=x", error);
    REQUIRE(b);
    CHECK(b->port == "4567");
    CHECK(b->target == "/link/?ticket=x");
    CHECK_FALSE(b->tls());
    CHECK_FALSE(Url::parse("ftp://x/", error));
    CHECK_FALSE(Url::parse("https://user:pw@x/", error));
    CHECK_FALSE(Url::parse("slack.com/api", error));
}

TEST_CASE("a web page in place of a file is recognised, an HTML file is not", "[slack][files]") {
    FileRef pdf;
    pdf.mimetype = "application/pdf";
    CHECK(looks_like_sign_in_page("text/html; charset=utf-8", "%PDF", pdf));
    CHECK(looks_like_sign_in_page("application/octet-stream", "\n<!DOCTYPE html><html>", pdf));
    CHECK_FALSE(looks_like_sign_in_page("application/pdf", "%PDF-1.7", pdf));
    FileRef html;
    html.mimetype = "text/html";
    CHECK_FALSE(looks_like_sign_in_page("text/html", "<!DOCTYPE html>", html));
}

TEST_CASE("a permalink points at the message, and at its thread for a reply", "[slack][event]") {
    CHECK(message_permalink("https://t.slack.com/", "C1", "1700000000.000100", "") ==
          "https://t.slack.com/archives/C1/p1700000000000100");
    CHECK(message_permalink("https://t.slack.com", "C1", "1.2", "1.1") == "https://t.slack.com/archives/C1/p12?thread_ts=1.1&cid=C1");
}

TEST_CASE("the app manifest subscribes to the events dlpd reads and grants each its scope, with Socket Mode on",
          "[slack][manifest]") {
    const YAML::Node manifest = YAML::LoadFile((dlpd::test::kSourceDir / "config" / "slack-app-manifest.yaml").string());
    std::set<std::string> bot, user, events;
    for (const auto &s : manifest["oauth_config"]["scopes"]["bot"]) bot.insert(s.as<std::string>());
    for (const auto &s : manifest["oauth_config"]["scopes"]["user"]) user.insert(s.as<std::string>());
    for (const auto &e : manifest["settings"]["event_subscriptions"]["bot_events"]) events.insert(e.as<std::string>());
    CHECK(events == std::set<std::string>{"message.channels", "message.groups", "message.im", "message.mpim", "file_shared"});
    const std::map<std::string, std::string> needs = {{"message.channels", "channels:history"},
                                                      {"message.groups", "groups:history"},
                                                      {"message.im", "im:history"},
                                                      {"message.mpim", "mpim:history"},
                                                      {"file_shared", "files:read"}};
    for (const auto &e : events) CHECK(bot.count(needs.at(e)) == 1);
    // Nothing more than what dlpd calls: notices (chat:write) and the above; the
    // user token only deletes.
    CHECK(bot == std::set<std::string>{"channels:history", "groups:history", "im:history", "mpim:history", "files:read", "chat:write"});
    CHECK(user == std::set<std::string>{"chat:write", "files:write"});
    CHECK(manifest["settings"]["socket_mode_enabled"].as<bool>());
}

TEST_CASE("the 'Slack is not connected' message names the keys and the variables it looked at", "[slack]") {
    ::unsetenv("SLACK_BOT_TOKEN");
    ::unsetenv("SLACK_APP_TOKEN");
    const dlpd::Config c = dlpd::parse_config("admin:\n  listen: 127.0.0.1:9090\n", "/etc/dlpd/mine.yaml");
    const std::string message = SlackService::missing_configuration(c);
    CHECK_THAT(message, Catch::Contains("slack.bot_token (not set in /etc/dlpd/mine.yaml) and the environment "
                                        "variable SLACK_BOT_TOKEN (not set)"));
    CHECK_THAT(message, Catch::Contains("slack.app_token (not set in /etc/dlpd/mine.yaml) and the environment "
                                        "variable SLACK_APP_TOKEN (not set)"));
    ::setenv("SLACK_BOT_TOKEN", "xoxb-1", 1);
    ::setenv("SLACK_APP_TOKEN", "xapp-1", 1);
    CHECK(SlackService::missing_configuration(dlpd::parse_config("", "/etc/dlpd/mine.yaml")).empty());
    ::unsetenv("SLACK_BOT_TOKEN");
    ::unsetenv("SLACK_APP_TOKEN");
}
