// End to end through the Slack double: a shared file dlpd cannot read is a
// finding of its own for policy.unscannable, and a file's title and name are
// scanned like text (issue 17).
#include <catch2/catch.hpp>

#include <set>

#include "slack_harness.hpp"

#ifdef DLPD_TEST_HAVE_FILETYPE
#include "document_writer.hpp"
#endif

using namespace dlpd;
using namespace dlpd::test;

namespace {

const std::string kCard = "4539 1488 0343 6467";  // Luhn-valid test card

#ifdef DLPD_TEST_HAVE_FILETYPE
File locked_pdf(const std::string &id) {
    return shared_file(id, "salaries.pdf", docs::pdf_encrypted({{{"card " + kCard, 72, 720}}}), "application/pdf",
                       "pdf");
}
#endif

}  // namespace

#ifdef DLPD_TEST_HAVE_FILETYPE
TEST_CASE("an encrypted PDF shared in Slack is an unscannable incident and an alert, and is kept by default",
          "[slack][e2e][unscannable]") {
    HarnessOptions options;
    options.configure = [](Config &c) { c.policy.alert_channel = "C0ALERTS01"; };  // policy.unscannable: alert
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    h.slack.add_file(locked_pdf("F0LOCKED01"));
    h.slack.push_file_shared("F0LOCKED01", "C0SECRETS1", "U0ERIN0001");
    REQUIRE(h.slack.wait_for([&] { return h.notices("C0ALERTS01").size() == 1; }));
    REQUIRE(h.wait_idle());

    const auto incidents = h.store->recent_incidents(10);
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].rule == "unscannable file");
    CHECK(incidents[0].masked_match == "encrypted");
    CHECK(incidents[0].actions.find("\"planned\":\"alert\"") != std::string::npos);
    const auto alert = h.notices("C0ALERTS01")[0];
    INFO(alert.text);
    CHECK(alert.text.find("unscannable file") != std::string::npos);
    CHECK(alert.text.find("encrypted") != std::string::npos);
    CHECK(h.slack.deleted_files().empty());
    CHECK(h.notices("C0SECRETS1").empty());
    CHECK(h.log.count("could not be scanned (encrypted)") == 1);
    CHECK(h.log.count("salaries.pdf") == 0);  // the log names the file by id
}

TEST_CASE("policy.unscannable delete,notify removes an encrypted file and tells the channel; none records only",
          "[slack][e2e][unscannable]") {
    SECTION("delete,notify") {
        HarnessOptions options;
        options.configure = [](Config &c) { c.policy.unscannable = "delete,notify"; };
        SlackHarness h(options);
        REQUIRE(h.wait_connected());
        h.slack.add_file(locked_pdf("F0LOCKED02"));
        h.slack.push_file_shared("F0LOCKED02", "C0SECRETS1", "U0ERIN0001");
        REQUIRE(h.slack.wait_for([&] { return !h.slack.deleted_files().empty(); }));
        REQUIRE(h.slack.wait_for([&] { return h.notices("C0SECRETS1").size() == 1; }));
        REQUIRE(h.wait_idle());
        CHECK(h.slack.deleted_files()[0].id == "F0LOCKED02");
        const auto notice = h.notices("C0SECRETS1")[0].text;
        INFO(notice);
        CHECK(notice.find("unscannable file") != std::string::npos);
        CHECK(notice.find("encrypted") != std::string::npos);
        REQUIRE(h.store->recent_incidents(10).size() == 1);
    }
    SECTION("none") {
        HarnessOptions options;
        options.configure = [](Config &c) {
            c.policy.unscannable = "none";
            c.policy.alert_channel = "C0ALERTS01";
        };
        SlackHarness h(options);
        REQUIRE(h.wait_connected());
        h.slack.add_file(locked_pdf("F0LOCKED03"));
        h.slack.push_file_shared("F0LOCKED03", "C0SECRETS1", "U0ERIN0001");
        REQUIRE(h.slack.wait_for([&] { return h.slack.calls("file_download").size() == 1; }));
        REQUIRE(h.wait_idle());
        const auto incidents = h.store->recent_incidents(10);
        REQUIRE(incidents.size() == 1);
        CHECK(incidents[0].rule == "unscannable file");
        CHECK(incidents[0].actions.find("\"planned\":\"none\"") != std::string::npos);
        CHECK(h.slack.posted_messages().empty());
        CHECK(h.slack.deleted_files().empty());
    }
}

TEST_CASE("a readable file with a card beside an encrypted one: the card deletes, the locked file alerts",
          "[slack][e2e][unscannable]") {
    HarnessOptions options;
    options.configure = [](Config &c) { c.policy.alert_channel = "C0ALERTS01"; };
    SlackHarness h(options);
    REQUIRE(h.wait_connected());
    h.slack.add_file(locked_pdf("F0LOCKED04"));
    h.slack.add_file(shared_file("F0OPEN0001", "cards.txt", "card " + kCard + "\n"));
    h.slack.push_file_shared("F0LOCKED04", "C0SECRETS1", "U0ERIN0001");
    h.slack.push_file_shared("F0OPEN0001", "C0SECRETS1", "U0ERIN0001");
    REQUIRE(h.slack.wait_for([&] { return !h.slack.deleted_files().empty(); }));
    REQUIRE(h.slack.wait_for([&] { return h.notices("C0ALERTS01").size() == 1; }));
    REQUIRE(h.wait_idle());
    REQUIRE(h.slack.deleted_files().size() == 1);
    CHECK(h.slack.deleted_files()[0].id == "F0OPEN0001");
    CHECK(h.store->recent_incidents(10).size() == 2);
}
#endif

TEST_CASE("a file's title is scanned: a snippet titled with a card number is caught though its content is harmless",
          "[slack][e2e][unscannable]") {
    SlackHarness h;
    REQUIRE(h.wait_connected());
    File snippet = shared_file("F0TITLED01", "notes.txt", "see the title\n");
    snippet.title = "card for the hotel " + kCard;
    h.slack.add_file(snippet);
    File named = shared_file("F0NAMED001", "card " + kCard + ".txt", "nothing here\n");
    h.slack.add_file(named);
    h.slack.add_file(shared_file("F0PLAIN001", "plain.txt", "nothing here either\n"));
    h.slack.push_file_shared("F0PLAIN001", "C0SECRETS1", "U0ERIN0001");
    h.slack.push_file_shared("F0TITLED01", "C0SECRETS1", "U0ERIN0001");
    h.slack.push_file_shared("F0NAMED001", "C0SECRETS1", "U0ERIN0001");
    const bool both = h.slack.wait_for([&] { return h.slack.deleted_files().size() == 2; });
    INFO(h.log.all());
    REQUIRE(both);
    REQUIRE(h.wait_idle());
    std::set<std::string> deleted;
    for (const auto &f : h.slack.deleted_files()) deleted.insert(f.id);
    CHECK(deleted == std::set<std::string>{"F0TITLED01", "F0NAMED001"});
    const auto incidents = h.store->recent_incidents(10);
    REQUIRE(incidents.size() == 2);
    for (const auto &i : incidents) {
        INFO(i.actions);
        CHECK(i.rule == "card_visa");
        CHECK(i.actions.find(kCard) == std::string::npos);  // the path names the file by id
    }
    CHECK(h.log.count(kCard) == 0);
}
