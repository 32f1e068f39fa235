// End to end through the Slack double over Socket Mode: what dlpd does with
// messages, edits, threads and files, and how it keeps its connection.
#include <catch2/catch.hpp>

#include <set>

#include "engine/fingerprint.hpp"
#include "slack_harness.hpp"

using namespace dlpd;
using namespace dlpd::test;

namespace {

const std::string kCard = "4539 1488 0343 6467";       // Luhn-valid test card
const std::string kCardMasked = "**** **** **** 6467";
const std::string kNotACard = "4111 1111 1111 1112";   // fails Luhn

bool has_text(const std::vector<Message> &messages, const std::string &needle) {
    for (const auto &m : messages)
        if (m.text.find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("a message with a card number is deleted and the channel is told why without the number",
          "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.started);
    REQUIRE(h.wait_connected());
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "pls charge " + kCard + " again, thx", "1700000001.000100");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000001.000100"); }));
    REQUIRE(h.slack.wait_for([&] { return !h.notices("C0GENERAL1").empty(); }));

    const auto notice = h.notices("C0GENERAL1").front();
    CHECK(notice.bot_id == h.slack.options().bot_id);
    CHECK(notice.text.find("<@U0ALICE001>") != std::string::npos);
    CHECK(notice.text.find(kCardMasked) != std::string::npos);
    CHECK(notice.text.find(kCard) == std::string::npos);
    CHECK(notice.text.find("4539148803436467") == std::string::npos);

    // Deleted with the user token: a bot token cannot delete a person's message.
    const auto deletes = h.slack.calls("chat.delete");
    REQUIRE(deletes.size() == 1);
    CHECK(deletes[0].token == TokenKind::user);

    REQUIRE(h.wait_idle());
    const auto incidents = h.store->recent_incidents(10);
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].rule == "card_visa");
    CHECK(incidents[0].channel_id == "C0GENERAL1");
    CHECK(incidents[0].user_id == "U0ALICE001");
    CHECK(incidents[0].message_ts == "1700000001.000100");
    CHECK(incidents[0].masked_match == kCardMasked);
    CHECK(incidents[0].action_results.find("\"delete\":\"ok\"") != std::string::npos);
    CHECK(incidents[0].permalink.find("/archives/C0GENERAL1/p1700000001000100") != std::string::npos);
    // The ack came for the envelope (on the socket, not the Web API
    // connection the delete used: waited for); nothing else was sent on it.
    CHECK(h.slack.wait_for([&] { return h.slack.acks().size() >= 1; }));
    CHECK(h.slack.unexpected_frames().empty());
}

TEST_CASE("a harmless message and a Luhn-invalid number are kept", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    const auto a = h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "lunch at noon?", "1700000002.000100");
    const auto b = h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "order ref " + kNotACard, "1700000002.000200");
    REQUIRE(h.slack.wait_for([&] { return h.slack.acks().size() >= 2; }));
    REQUIRE(h.wait_idle());
    CHECK(h.slack.deleted_messages().empty());
    CHECK(h.slack.posted_messages().empty());
    CHECK(h.store->recent_incidents(10).empty());
    CHECK(h.slack.messages("C0GENERAL1").size() == 2);
}

TEST_CASE("a thread reply with a secret is deleted and the notice goes to the thread", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    h.slack.push_message_event("C0GENERAL1", "U0BOB00001", "deploy thread", "1700000003.000100");
    h.slack.push_message_event("C0GENERAL1", "U0BOB00001", "AWS_ACCESS_KEY_ID=AKIAZ4M7QH2RXW5BTJ3K",
                               "1700000003.000200", "1700000003.000100");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000003.000200"); }));
    REQUIRE(h.slack.wait_for([&] { return !h.notices("C0GENERAL1").empty(); }));
    CHECK_FALSE(h.deleted("1700000003.000100"));
    CHECK(h.notices("C0GENERAL1").front().thread_ts == "1700000003.000100");
    REQUIRE(h.wait_idle());
    const auto incidents = h.store->recent_incidents(10);
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].rule == "aws_access_key_id");
    CHECK(incidents[0].thread_ts == "1700000003.000100");
}

TEST_CASE("an edit that adds a secret deletes the edited message", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    h.slack.push_message_event("C0GENERAL1", "U0CAROL001", "the token is coming", "1700000004.000100");
    REQUIRE(h.slack.wait_for([&] { return h.slack.acks().size() >= 1; }));
    REQUIRE(h.wait_idle());
    CHECK(h.slack.deleted_messages().empty());
    h.slack.push_message_changed("C0GENERAL1", "1700000004.000100", "GITHUB_TOKEN=ghp_qsR6RZ24lPoQj3oPUlieI2nVsbBi1RMar1jf");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000004.000100"); }));
    REQUIRE(h.wait_idle());
    const auto incidents = h.store->recent_incidents(10);
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].rule == "github_classic_pat");
    CHECK(incidents[0].user_id == "U0CAROL001");
    CHECK(incidents[0].actions.find("\"edited\":true") != std::string::npos);
}

TEST_CASE("a secret in blocks or attachments is found even when the text is harmless", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    h.slack.add_message({"C0GENERAL1", "1700000005.000100", "U0DAVE0001", "see attached", "", "", ""});
    h.slack.push_event(R"({"type":"message","channel":"C0GENERAL1","user":"U0DAVE0001","text":"see attached",
        "ts":"1700000005.000100","channel_type":"channel",
        "attachments":[{"fallback":"creds","fields":[{"title":"key","value":"AKIAZ4M7QH2RXW5BTJ3K"}]}]})");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000005.000100"); }));
}

TEST_CASE("a shared file with a secret is downloaded with the bot token, scanned and deleted", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    const File file = shared_file("F0SECRET01", "keys.env", "# staging\nAWS_ACCESS_KEY_ID=AKIAZ4M7QH2RXW5BTJ3K\n");
    h.slack.add_file(file);
    const File harmless = shared_file("F0HARMLES1", "notes.txt", "nothing to see\n");
    h.slack.add_file(harmless);

    h.slack.push_file_shared("F0HARMLES1", "C0SECRETS1", "U0ERIN0001");
    h.slack.push_file_shared("F0SECRET01", "C0SECRETS1", "U0ERIN0001");
    REQUIRE(h.slack.wait_for([&] { return !h.slack.deleted_files().empty(); }));
    REQUIRE(h.wait_idle());
    REQUIRE(h.slack.deleted_files().size() == 1);
    CHECK(h.slack.deleted_files()[0].id == "F0SECRET01");
    for (const auto &call : h.slack.calls("file_download")) CHECK(call.token == TokenKind::bot);
    CHECK(h.slack.calls("file_download").size() == 2);
    const auto incidents = h.store->recent_incidents(10);
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].rule == "aws_access_key_id");
    CHECK(incidents[0].actions.find("keys.env") != std::string::npos);
    CHECK(has_text(h.notices("C0SECRETS1"), "was removed"));
}

TEST_CASE("a file in a message and its file_shared event are scanned once", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    const File file = shared_file("F0TWICE001", "card.txt", "charge " + kCard + "\n");
    h.slack.add_file(file);
    h.slack.add_message({"C0SECRETS1", "1700000006.000100", "U0ERIN0001", "", "", "", ""});
    // A Slack Connect style stub: the file id only, so dlpd asks files.info.
    h.slack.push_event(R"({"type":"message","subtype":"file_share","channel":"C0SECRETS1","user":"U0ERIN0001",
        "text":"","ts":"1700000006.000100","channel_type":"channel","upload":true,
        "files":[{"id":"F0TWICE001","mode":"file_access","file_access":"check_file_info"}]})");
    h.slack.push_file_shared("F0TWICE001", "C0SECRETS1", "U0ERIN0001");
    // Whichever event comes first scans the file and deletes it (and, for
    // the message event, the message); the other finds it done.
    REQUIRE(h.slack.wait_for([&] { return h.slack.deleted_files().size() == 1; }));
    REQUIRE(h.slack.wait_for([&] { return h.slack.acks().size() >= 2; }));
    REQUIRE(h.wait_idle());
    CHECK(h.slack.calls("file_download").size() == 1);
    CHECK(h.slack.calls("files.info").size() == 1);
    CHECK(h.store->recent_incidents(10).size() == 1);
}

TEST_CASE("a sign-in page served instead of a file is reported, not scanned as the file", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    const File file = shared_file("F0PAGE0001", "report.pdf", "%PDF-1.4 card " + kCard, "application/pdf", "pdf");
    h.slack.add_file(file);
    h.slack.serve_sign_in_page_for_downloads(true);
    h.slack.push_file_shared("F0PAGE0001", "C0SECRETS1", "U0ERIN0001");
    REQUIRE(h.slack.wait_for([&] { return h.slack.calls("file_download").size() == 1; }));
    REQUIRE(h.wait_idle());
    CHECK(h.slack.deleted_files().empty());
    CHECK(h.store->recent_incidents(10).empty());
    CHECK(h.log.count("instead of the file") == 1);
}

TEST_CASE("dlpd's own posts are never scanned", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    h.slack.add_message({"C0GENERAL1", "1700000008.000100", "U0BOT00001", "example: " + kCard, "", "B0BOT00001", ""});
    h.slack.push_event(R"({"type":"message","channel":"C0GENERAL1","user":"U0BOT00001","bot_id":"B0BOT00001",
        "text":"example: 4539 1488 0343 6467","ts":"1700000008.000100","channel_type":"channel"})");
    // dlpd's own deletion echo (message_deleted) is ignored too.
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000008.000200");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000008.000200"); }));
    REQUIRE(h.slack.wait_for([&] { return h.slack.acks().size() >= 3; }));  // bot post, message, message_deleted
    REQUIRE(h.wait_idle());
    CHECK_FALSE(h.deleted("1700000008.000100"));
    CHECK(h.store->recent_incidents(10).size() == 1);
}

TEST_CASE("an event redelivered before its ack arrived is acted on once", "[slack][e2e]") {
    HarnessOptions options;
    options.slack.ack_timeout = std::chrono::milliseconds(0);  // redeliver at once, before any ack can come
    options.slack.echo_deletions = false;
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    const auto envelope = h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000009.000100");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000009.000100"); }));
    REQUIRE(h.slack.wait_for([&] { return h.slack.deliveries(envelope).size() >= 2; }));
    REQUIRE(h.wait_idle());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let every redelivery arrive
    CHECK(h.slack.calls("chat.delete").size() == 1);
    CHECK(h.notices("C0GENERAL1").size() == 1);
    CHECK(h.store->recent_incidents(10).size() == 1);
    // Every delivery was acknowledged, the retries as duplicates.
    bool retry_seen = false;
    for (const auto &d : h.slack.deliveries(envelope)) retry_seen |= d.retry_attempt > 0 && d.retry_reason == "timeout";
    CHECK(retry_seen);
}

TEST_CASE("garbage frames are logged and skipped and the connection keeps working", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    h.slack.send_garbage(GarbageKind::malformed_json);
    h.slack.send_garbage(GarbageKind::binary_frame);
    h.slack.send_garbage(GarbageKind::unknown_type);
    h.slack.send_garbage(GarbageKind::empty_text);
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000010.000100");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000010.000100"); }));
    CHECK(h.slack.total_connections() == 1);
    CHECK(h.slack.unexpected_frames().empty());
    CHECK(h.log.count("malformed frame") == 1);
    CHECK(h.log.count("binary frame") == 1);
    CHECK(h.log.count("unknown type 'surprise_party'") == 1);
    CHECK(h.log.count("empty frame") == 1);
}

TEST_CASE("refresh_requested opens a new connection before the old one closes", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    h.slack.send_disconnect("refresh_requested");
    REQUIRE(h.slack.wait_for([&] { return h.slack.total_connections() == 2 && h.slack.open_connections() == 1; }));
    CHECK(h.slack.unexpected_frames().empty());  // a disconnect is never acknowledged
    CHECK(h.slack.calls("apps.connections.open").size() == 2);
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000011.000100");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000011.000100"); }));
    CHECK(h.service->state().state == "connected");
}

TEST_CASE("a dropped connection is redialled and events sent meanwhile arrive", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    h.slack.drop_connections();
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000012.000100");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000012.000100"); }, std::chrono::seconds(10)));
    CHECK(h.slack.total_connections() == 2);
}

TEST_CASE("a connection that goes silent is detected and replaced", "[slack][e2e]") {
    HarnessOptions options;
    options.configure = [](Config &c) { c.slack.idle_timeout_seconds = 2; };
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    h.slack.go_silent();
    REQUIRE(h.slack.wait_for([&] { return h.slack.total_connections() == 2 && h.slack.open_connections() >= 1; },
                             std::chrono::seconds(15)));
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000013.000100");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000013.000100"); }, std::chrono::seconds(10)));
}

TEST_CASE("too_many_websockets closes the connection first and dials again after a backoff", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    h.slack.send_disconnect("too_many_websockets");
    REQUIRE(h.slack.wait_for([&] { return h.slack.total_connections() == 2 && h.slack.open_connections() == 1; },
                             std::chrono::seconds(10)));
    CHECK(h.log.count("reconnecting in") >= 1);
}

TEST_CASE("link_disabled stops Socket Mode and says so, without a reconnect loop", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    h.slack.send_disconnect("link_disabled");
    REQUIRE(SlackHarness::wait_until([&] { return h.service->state().state == "stopped"; }));
    CHECK(h.service->state().detail.find("link_disabled") != std::string::npos);
    REQUIRE(h.slack.wait_for([&] { return h.slack.open_connections() == 0; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(h.slack.calls("apps.connections.open").size() == 1);
}

TEST_CASE("a 429 on chat.delete waits for Retry-After and the delete happens", "[slack][e2e]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    h.slack.rate_limit_next("chat.delete", 1, 1);
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000014.000100");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000014.000100"); }, std::chrono::seconds(10)));
    const auto calls = h.slack.calls("chat.delete");
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].http_status == 429);
    CHECK(calls[1].http_status == 200);
    CHECK(calls[1].at - calls[0].at >= std::chrono::milliseconds(900));
}

TEST_CASE("without a user token the message is kept, the notice says so, and the problem is reported once",
          "[slack][e2e]") {
    HarnessOptions options;
    options.configure = [](Config &c) { c.slack.user_token.clear(); };
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000015.000100");
    h.slack.push_message_event("C0GENERAL1", "U0BOB00001", "card " + kCard, "1700000015.000200");
    REQUIRE(h.slack.wait_for([&] { return h.notices("C0GENERAL1").size() == 2; }));
    REQUIRE(h.wait_idle());
    CHECK(h.slack.deleted_messages().empty());
    CHECK(h.slack.calls("chat.delete").empty());
    CHECK(has_text(h.notices("C0GENERAL1"), "appears to contain"));
    const auto incidents = h.store->recent_incidents(10);
    REQUIRE(incidents.size() == 2);
    for (const auto &i : incidents) CHECK(i.action_results.find("\"delete\":\"no_token\"") != std::string::npos);
    CHECK(h.log.count("no user token is configured (SLACK_USER_TOKEN)") == 1);
}

TEST_CASE("cant_delete_message is recorded on the incident and explained once", "[slack][e2e]") {
    HarnessOptions options;
    options.slack.user_token_is_admin = false;  // a member's token: may delete only its own messages
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000016.000100");
    REQUIRE(h.slack.wait_for([&] { return h.notices("C0GENERAL1").size() == 1; }));
    REQUIRE(h.wait_idle());
    CHECK(h.slack.deleted_messages().empty());
    const auto incidents = h.store->recent_incidents(10);
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].action_results.find("cant_delete_message") != std::string::npos);
    CHECK(h.log.count("cant_delete_message") >= 1);
}

TEST_CASE("policy: dry-run channels only record and alert, ephemeral notices go to the author", "[slack][e2e]") {
    HarnessOptions options;
    options.configure = [](Config &c) {
        c.policy.dry_run_channels = "C0DRYRUN01";
        c.policy.alert_channel = "C0ALERTS01";
        c.policy.notice = "ephemeral";
    };
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    h.slack.push_message_event("C0DRYRUN01", "U0ALICE001", "card " + kCard, "1700000017.000100");
    h.slack.push_message_event("C0GENERAL1", "U0BOB00001", "card " + kCard, "1700000017.000200");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000017.000200"); }));
    REQUIRE(h.slack.wait_for([&] { return !h.notices("C0ALERTS01").empty(); }));
    REQUIRE(h.wait_idle());
    CHECK_FALSE(h.deleted("1700000017.000100"));
    CHECK(h.notices("C0DRYRUN01").empty());
    const auto general = h.notices("C0GENERAL1");
    REQUIRE(general.size() == 1);
    CHECK(general[0].ephemeral_to == "U0BOB00001");
    const auto alerts = h.notices("C0ALERTS01");
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0].text.find("C0DRYRUN01") != std::string::npos);
    CHECK(alerts[0].text.find(kCard) == std::string::npos);
    CHECK(h.store->recent_incidents(10).size() == 2);
}

TEST_CASE("the default policy by severity: an e-mail address is recorded and alerted, a card deleted and told",
          "[slack][e2e][policy]") {
    HarnessOptions options;
    options.configure = [](Config &c) { c.policy.alert_channel = "C0ALERTS01"; };  // the rest: the defaults
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "write to jane.roe@contoso-mail.com", "1700000018.000100");
    h.slack.push_message_event("C0GENERAL1", "U0BOB00001", "card " + kCard, "1700000018.000200");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000018.000200"); }));
    REQUIRE(h.slack.wait_for([&] { return h.notices("C0ALERTS01").size() == 1; }));
    REQUIRE(h.wait_idle());
    CHECK_FALSE(h.deleted("1700000018.000100"));
    const auto general = h.notices("C0GENERAL1");
    REQUIRE(general.size() == 1);  // only the card's notice
    CHECK(general[0].text.find("card_visa") != std::string::npos);
    const auto alerts = h.notices("C0ALERTS01");
    CHECK(alerts[0].text.find("email_address") != std::string::npos);
    CHECK(alerts[0].text.find("jane.roe") == std::string::npos);
    const auto incidents = h.store->recent_incidents(10);
    REQUIRE(incidents.size() == 2);
    for (const auto &i : incidents) {
        INFO(i.rule << " " << i.actions);
        if (i.rule == "email_address") {
            CHECK(i.severity == "low");
            CHECK(i.actions.find("\"planned\":\"alert\"") != std::string::npos);
        } else {
            CHECK(i.rule == "card_visa");
            CHECK(i.confidence == "high");  // Luhn confirmed it
            CHECK(i.actions.find("\"planned\":\"delete,notify\"") != std::string::npos);
        }
    }
}

TEST_CASE("exempt users are not scanned, and a value on the allowlist is not acted on", "[slack][e2e][policy]") {
    HarnessOptions options;
    options.configure = [](Config &c) { c.policy.exempt_users = "U0CISO0001"; };
    SlackHarness h(options);
    auto allowlist = std::make_shared<ValueAllowlist>();
    allowlist->add_values({"4716-1089-9971-6531"});
    h.setup->engine->set_value_allowlist(allowlist);
    REQUIRE(h.wait_connected());
    h.slack.push_message_event("C0GENERAL1", "U0CISO0001", "card " + kCard, "1700000019.000100");
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card 4716 1089 9971 6531", "1700000019.000200");
    h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000019.000300");
    REQUIRE(h.slack.wait_for([&] { return h.deleted("1700000019.000300"); }));
    REQUIRE(h.wait_idle());
    CHECK_FALSE(h.deleted("1700000019.000100"));
    CHECK_FALSE(h.deleted("1700000019.000200"));
    const auto incidents = h.store->recent_incidents(10);
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].message_ts == "1700000019.000300");
}

TEST_CASE("several Socket Mode connections each get events, and every event is handled once", "[slack][e2e]") {
    HarnessOptions options;
    options.configure = [](Config &c) { c.slack.connections = 3; };
    SlackHarness h(options);
    REQUIRE(h.slack.wait_for([&] { return h.slack.open_connections() == 3; }));
    REQUIRE(SlackHarness::wait_until([&] { return h.service->state().detail.find("3 of 3") != std::string::npos; }));
    for (int i = 0; i < 6; ++i)
        h.slack.push_message_event("C0GENERAL1", "U0ALICE001", "card " + kCard, "1700000030.00010" + std::to_string(i));
    REQUIRE(h.slack.wait_for([&] { return h.slack.deleted_messages().size() == 6; }));
    std::set<int> connections;
    for (const auto &d : h.slack.deliveries()) connections.insert(d.connection);
    CHECK(connections.size() == 3);
    CHECK(h.slack.calls("apps.connections.open").size() == 3);
    REQUIRE(h.wait_idle());
    CHECK(h.store->recent_incidents(20).size() == 6);
}

TEST_CASE("a file larger than slack.max_file_bytes is not downloaded, and the log says why", "[slack][e2e]") {
    HarnessOptions options;
    options.configure = [](Config &c) { c.slack.max_file_bytes = 64; };
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    const File file = shared_file("F0BIGFILE1", "big.txt", std::string(1000, 'x') + "\nAWS_ACCESS_KEY_ID=AKIAZ4M7QH2RXW5BTJ3K\n");
    h.slack.add_file(file);
    h.slack.push_file_shared("F0BIGFILE1", "C0SECRETS1", "U0ERIN0001");
    REQUIRE(h.slack.wait_for([&] { return h.slack.calls("files.info").size() == 1; }));
    REQUIRE(h.wait_idle());
    CHECK(h.slack.calls("file_download").empty());
    CHECK(h.log.count("than slack.max_file_bytes") == 1);
}
