// Incidents through the admin: the message shown as text, masked for
// viewers, revealed for admins only (and audited), filters, pages, CSV.
#include <catch2/catch.hpp>

#include "admin_test_support.hpp"

using namespace dlpd;
using namespace dlpd::test;

namespace {
const std::string kHostileMessage = "<script>alert('pwned')</script> my card 4539 1488 0343 6467";
}

TEST_CASE("admin shows a Slack message containing HTML as text", "[admin]") {
    AdminUnderTest admin;
    const int64_t id = admin.add_incident(kHostileMessage, "4539 1488 0343 6467");
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    const Reply page = browser.get("/incidents/view?id=" + std::to_string(id));
    REQUIRE(page.status == 200);
    CHECK(contains(page.body, "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; my card **** **** **** 6467"));
    CHECK_FALSE(contains(page.body, "<script"));
    CHECK_FALSE(contains(page.body, "4539 1488 0343 6467"));  // masked until revealed
    CHECK(contains(page.body, "card_visa"));
    CHECK(contains(page.body, "href=\"https://double.slack.com/archives/C0GENERAL1/p1700000001000100\""));
    CHECK(contains(page.body, "<dt>notify</dt><dd>channel_not_found</dd>"));  // what failed, readable
    CHECK(contains(page.body, "Did it work? <span class=\"bad\">failed</span>"));

    const Reply revealed = browser.post("/incidents/reveal", {{"id", std::to_string(id)}});
    REQUIRE(revealed.status == 200);
    CHECK(contains(revealed.body, "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; my card 4539 1488 0343 6467"));
    CHECK_FALSE(contains(revealed.body, "<script"));
    const auto audit = admin.store->audit_log(10);
    CHECK(std::any_of(audit.begin(), audit.end(), [&](const AuditEntry &e) {
        return e.actor == "alice" && e.action == "incident.reveal" && e.subject == std::to_string(id);
    }));
}

TEST_CASE("admin viewer sees incidents masked and cannot reveal", "[admin]") {
    AdminUnderTest admin;
    const int64_t id = admin.add_incident(kHostileMessage, "4539 1488 0343 6467");
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("victor", kViewerPassword).status == 303);
    const Reply page = browser.get("/incidents/view?id=" + std::to_string(id));
    REQUIRE(page.status == 200);
    CHECK(contains(page.body, "**** **** **** 6467"));
    CHECK_FALSE(contains(page.body, "4539 1488 0343 6467"));
    CHECK_FALSE(contains(page.body, "/incidents/reveal"));
    const Reply reveal = browser.post("/incidents/reveal", {{"id", std::to_string(id)}});
    CHECK(reveal.status == 403);
    CHECK_FALSE(contains(reveal.body, "4539 1488 0343 6467"));
    const auto audit = admin.store->audit_log(10);
    CHECK(std::none_of(audit.begin(), audit.end(), [](const AuditEntry &e) { return e.action == "incident.reveal"; }));
}

TEST_CASE("admin hides a kept message the rules in force no longer mask", "[admin]") {
    AdminUnderTest admin;
    const int64_t id = admin.add_incident("token tok_abcdefgh here", "tok_abcdefgh");
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    const Reply page = browser.get("/incidents/view?id=" + std::to_string(id));
    CHECK(contains(page.body, "cannot be shown masked"));
    CHECK_FALSE(contains(page.body, "tok_abcdefgh"));
}

TEST_CASE("admin incident list filters and pages", "[admin]") {
    AdminUnderTest admin([](AdminOptions &o) { o.page_size = 2; });
    for (int i = 0; i < 3; ++i) admin.add_incident("", "4539 1488 0343 6467", "C0PAYMENTS");
    admin.add_incident("", "4539 1488 0343 6467", "C0RANDOM01");
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("victor", kViewerPassword).status == 303);
    const Reply all = browser.get("/incidents");
    CHECK(contains(all.body, "4 incident(s) · page 1 of 2"));
    const Reply payments = browser.get("/incidents?channel=C0PAYMENTS");
    CHECK(contains(payments.body, "3 incident(s)"));
    CHECK_FALSE(contains(payments.body, "<td>C0RANDOM01</td>"));
    const Reply page2 = browser.get("/incidents?channel=C0PAYMENTS&page=2");
    CHECK(contains(page2.body, "page 2 of 2"));
    CHECK(contains(browser.get("/incidents?result=channel_not_found").body, "4 incident(s)"));
    CHECK(contains(browser.get("/incidents?result=cant_delete_message").body, "No incident matches these filters."));
    CHECK(contains(browser.get("/incidents?rule=card_visa&user=U0ALICE01").body, "4 incident(s)"));
    CHECK(contains(browser.get("/incidents?from=2001-01-01&to=2001-01-02").body, "No incident matches"));
}

TEST_CASE("admin CSV export is masked and safe from formulas", "[admin]") {
    AdminUnderTest admin;
    admin.add_incident(kHostileMessage, "4539 1488 0343 6467", "=HYPERLINK(\"http://evil\")");
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("victor", kViewerPassword).status == 303);
    const Reply csv = browser.get("/incidents.csv");
    CHECK(csv.status == 200);
    CHECK(contains(csv.headers.get("Content-Type", ""), "text/csv"));
    CHECK(contains(csv.body, "\"'=HYPERLINK(\"\"http://evil\"\")\""));
    CHECK(contains(csv.body, "\"**** **** **** 6467\""));
    CHECK_FALSE(contains(csv.body, "4539 1488 0343 6467"));
}

TEST_CASE("admin dashboard shows the chart, Slack and the plugins", "[admin]") {
    AdminUnderTest admin;
    admin.add_incident("", "4539 1488 0343 6467");
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("victor", kViewerPassword).status == 303);
    const Reply page = browser.get("/");
    CHECK(contains(page.body, "<svg class=\"chart\""));
    CHECK(contains(page.body, "1 incident(s)</title>"));
    CHECK(contains(page.body, "connected"));
    CHECK(contains(page.body, "<td>regex <span"));
    CHECK(contains(page.body, "<td>" + std::to_string(DLPD_ABI_MAJOR) + "." + std::to_string(DLPD_ABI_MINOR) + "</td>"));  // the ABI version
    CHECK(contains(page.body, "href=\"/incidents?rule=card_visa\""));
    CHECK_FALSE(contains(page.body, "href=\"/users\""));  // not for viewers
}

TEST_CASE("admin marks an incident a false positive, the engine stops reporting it, and undo brings it back",
          "[admin][allowlist]") {
    AdminUnderTest admin;
    const int64_t id = admin.add_incident("my card 4539 1488 0343 6467", "4539 1488 0343 6467");
    Browser viewer(admin.server->port());
    REQUIRE(viewer.sign_in("victor", kViewerPassword).status == 303);
    CHECK_FALSE(contains(viewer.get("/incidents/view?id=" + std::to_string(id)).body, "/incidents/false-positive"));
    CHECK(viewer.post("/incidents/false-positive", {{"id", std::to_string(id)}}).status == 403);
    CHECK(admin.store->allowlist_entries().empty());

    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    CHECK(admin.engine->scan_text("card 4539 1488 0343 6467", "t").findings.size() == 1);
    const Reply marked = browser.post("/incidents/false-positive", {{"id", std::to_string(id)}, {"note", "demo"}});
    REQUIRE(marked.status == 303);
    CHECK(marked.location() == "/incidents/view?id=" + std::to_string(id) + "&allowlisted=1");
    REQUIRE(admin.store->allowlist_entries().size() == 1);
    const AllowlistEntry entry = admin.store->allowlist_entries()[0];
    CHECK(entry.incident_id == id);
    CHECK(entry.created_by == "alice");
    // notify() has the sync thread load the allowlist; wait for it (a
    // readiness wait, not a timing assertion).
    CHECK(eventually([&] { return admin.engine->scan_text("card 4539 1488 0343 6467", "t").findings.empty(); }));
    CHECK(contains(browser.get("/incidents/view?id=" + std::to_string(id)).body, "on the allowlist"));
    const Reply list = viewer.get("/allowlist");
    REQUIRE(list.status == 200);
    CHECK(contains(list.body, "marked a false positive"));
    CHECK(contains(list.body, entry.fingerprint.substr(0, 16)));
    CHECK_FALSE(contains(list.body, "4539"));
    CHECK_FALSE(contains(list.body, "/allowlist/remove"));  // viewers only look
    CHECK(viewer.post("/allowlist/remove", {{"id", std::to_string(entry.id)}}).status == 403);

    const Reply undone = browser.post("/allowlist/remove", {{"id", std::to_string(entry.id)}});
    REQUIRE(undone.status == 303);
    CHECK(admin.store->allowlist_entries().empty());
    CHECK(eventually([&] { return admin.engine->scan_text("card 4539 1488 0343 6467", "t").findings.size() == 1; }));
    CHECK(browser.post("/allowlist/remove", {{"id", std::to_string(entry.id)}}).status == 404);
    std::string actions;
    for (const auto &a : admin.store->audit_log(20)) actions += a.actor + ":" + a.action + " ";
    CHECK_THAT(actions, Catch::Contains("alice:allowlist.add") && Catch::Contains("alice:allowlist.remove"));
}
