// Patterns through the admin: RE2's message for a bad pattern, the form
// keeping what was typed, "try it", viewers kept out, and a change reaching
// the running engine.
#include <catch2/catch.hpp>

#include "admin_test_support.hpp"

using namespace dlpd;
using namespace dlpd::test;

namespace {

bool engine_finds(const ScanEngine &engine, const std::string &rule, const std::string &text) {
    for (const auto &f : engine.scan_text(text, "test").findings)
        if (f.rule == rule) return true;
    return false;
}

Fields employee_pattern(const std::string &regex, const std::string &action) {
    return {{"name", "employee_id"}, {"regex", regex}, {"severity", "high"}, {"enabled", "yes"},
            {"description", "Employee number"}, {"examples_match", "id EMP-123456"}, {"do", action}};
}

}  // namespace

TEST_CASE("admin shows RE2's message for an invalid pattern and keeps the form", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    const Reply reply = browser.post("/patterns/new", employee_pattern("EMP-(\\d{6}", "save"));
    CHECK(reply.status == 422);
    CHECK(contains(reply.body, "missing )"));          // RE2's own words, through the regex plugin
    CHECK(contains(reply.body, "value=\"EMP-(\\d{6}\""));  // what was typed stays
    CHECK(contains(reply.body, "value=\"Employee number\""));
    CHECK(contains(reply.body, ">id EMP-123456\n</textarea>"));
    CHECK_FALSE(find_rule(*admin.store, "employee_id"));
}

TEST_CASE("admin pattern example that does not match is refused", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    const Reply reply = browser.post("/patterns/new", employee_pattern("EMP-(\\d{7})", "save"));
    CHECK(reply.status == 422);
    CHECK(contains(reply.body, "examples.match[0] is not matched"));
    CHECK_FALSE(find_rule(*admin.store, "employee_id"));
}

TEST_CASE("admin try it highlights the matches of the typed pattern", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    Fields fields = employee_pattern("EMP-(\\d{6})", "try");
    fields.push_back({"sample", "ask <b>EMP-123456</b> or EMP-12"});
    const Reply reply = browser.post("/patterns/new", fields);
    CHECK(reply.status == 200);
    CHECK(contains(reply.body, "ask &lt;b&gt;EMP-<mark class=\"hit\">123456</mark>&lt;/b&gt; or EMP-12"));
    CHECK(contains(reply.body, "1 match(es)"));
    CHECK_FALSE(find_rule(*admin.store, "employee_id"));  // trying saves nothing
    // Validators run too: a number that fails Luhn is not a card.
    Fields card = {{"name", "card_try"}, {"regex", R"(\b(4\d{3}(?: \d{4}){3})\b)"}, {"validators", "luhn"},
                   {"severity", "high"}, {"do", "try"}, {"sample", "4539 1488 0343 6467 and 4111 1111 1111 1112"}};
    const Reply luhn = browser.post("/patterns/new", card);
    CHECK(contains(luhn.body, "<mark class=\"hit\">4539 1488 0343 6467</mark> and 4111 1111 1111 1112"));
}

TEST_CASE("admin rule change reaches the running engine", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    CHECK_FALSE(engine_finds(*admin.engine, "employee_id", "EMP-123456"));
    const Reply saved = browser.post("/patterns/new", employee_pattern("EMP-(\\d{6})", "save"));
    REQUIRE(saved.status == 303);
    CHECK(saved.location() == "/patterns?saved=employee_id");
    CHECK(eventually([&] { return engine_finds(*admin.engine, "employee_id", "EMP-123456"); }));
    const auto audit = admin.store->audit_log(10);
    CHECK(std::any_of(audit.begin(), audit.end(), [](const AuditEntry &e) {
        return e.actor == "alice" && e.action == "rule.create" && e.subject == "employee_id";
    }));

    CHECK(browser.post("/patterns/toggle", {{"name", "employee_id"}, {"enabled", "no"}}).status == 303);
    CHECK(eventually([&] { return !engine_finds(*admin.engine, "employee_id", "EMP-123456"); }));
    CHECK(browser.post("/patterns/toggle", {{"name", "employee_id"}, {"enabled", "yes"}}).status == 303);
    CHECK(eventually([&] { return engine_finds(*admin.engine, "employee_id", "EMP-123456"); }));

    // Delete asks first, then deletes.
    const Reply ask = browser.post("/patterns/delete", {{"name", "employee_id"}});
    CHECK(ask.status == 200);
    CHECK(contains(ask.body, "Yes, delete it"));
    CHECK(find_rule(*admin.store, "employee_id"));
    CHECK(browser.post("/patterns/delete", {{"name", "employee_id"}, {"confirm", "yes"}}).status == 303);
    CHECK_FALSE(find_rule(*admin.store, "employee_id"));
    CHECK(eventually([&] { return !engine_finds(*admin.engine, "employee_id", "EMP-123456"); }));
}

TEST_CASE("admin viewer cannot edit patterns", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("victor", kViewerPassword).status == 303);
    const Reply list = browser.get("/patterns");
    CHECK(list.status == 200);
    CHECK(contains(list.body, "card_visa"));
    CHECK_FALSE(contains(list.body, "/patterns/edit"));
    CHECK_FALSE(contains(list.body, "Add pattern"));
    CHECK(browser.get("/patterns/new").status == 403);
    CHECK(browser.get("/patterns/edit?name=card_visa").status == 403);
    CHECK(browser.post("/patterns/new", employee_pattern("EMP-(\\d{6})", "save")).status == 403);
    CHECK(browser.post("/patterns/toggle", {{"name", "card_visa"}, {"enabled", "no"}}).status == 403);
    CHECK(browser.post("/patterns/delete", {{"name", "card_visa"}, {"confirm", "yes"}}).status == 403);
    CHECK_FALSE(find_rule(*admin.store, "employee_id"));
    auto card = find_rule(*admin.store, "card_visa");
    REQUIRE(card);
    CHECK(card->enabled);
}

TEST_CASE("admin pattern list searches and filters", "[admin]") {
    AdminUnderTest admin;
    Rule off;
    off.name = "old_token";
    off.regex = "tok_[a-z]{8}";
    off.enabled = false;
    off.severity = "low";
    admin.store->upsert_rules({off}, "test");
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    const Reply disabled = browser.get("/patterns?state=disabled");
    CHECK(contains(disabled.body, "old_token"));
    CHECK_FALSE(contains(disabled.body, ">card_visa<"));
    const Reply search = browser.get("/patterns?q=VISA");
    CHECK(contains(search.body, ">card_visa<"));
    CHECK_FALSE(contains(search.body, "old_token"));
    const Reply none = browser.get("/patterns?severity=critical");
    CHECK(contains(none.body, "No pattern matches these filters."));
}

TEST_CASE("admin pattern form saves confidence, context, allow patterns and validator arguments", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    Fields fields = {{"name", "badge_id"},         {"regex", R"(\b(B[0-9A-Z]{9})\b)"},
                     {"validators", "entropy:9"},   {"severity", "medium"},
                     {"confidence", "low"},         {"context", "badge\nstaff id"},
                     {"context_window", "40"},      {"context_required", "yes"},
                     {"allow", "^B000"},            {"enabled", "yes"},
                     {"examples_match", "badge B7K2M9Q4XZ"}, {"do", "save"}};
    // An argument the validator refuses is named next to the field, and nothing is saved.
    const Reply refused = browser.post("/patterns/new", fields);
    CHECK(refused.status == 422);
    CHECK(contains(refused.body, "entropy:9"));
    CHECK_FALSE(find_rule(*admin.store, "badge_id"));
    fields[2].second = "entropy:2.5, placeholder";
    const Reply saved = browser.post("/patterns/new", fields);
    REQUIRE(saved.status == 303);
    const auto rule = find_rule(*admin.store, "badge_id");
    REQUIRE(rule);
    CHECK(rule->validators == std::vector<std::string>{"entropy:2.5", "placeholder"});
    CHECK(rule->confidence == "low");
    CHECK(rule->context == std::vector<std::string>{"badge", "staff id"});
    CHECK(rule->context_window == 40);
    CHECK(rule->context_required);
    CHECK(rule->allow == std::vector<std::string>{"^B000"});
    // The form shows them back for editing.
    const Reply edit = browser.get("/patterns/edit?name=badge_id");
    CHECK(contains(edit.body, "value=\"entropy:2.5, placeholder\""));
    CHECK(contains(edit.body, "badge\nstaff id\n</textarea>"));
    CHECK(contains(edit.body, "name=\"context_required\" value=\"yes\" checked"));
    CHECK(eventually([&] { return engine_finds(*admin.engine, "badge_id", "staff id B7K2M9Q4XZ"); }));
    CHECK_FALSE(engine_finds(*admin.engine, "badge_id", "order B7K2M9Q4XZ"));  // no context word
}
