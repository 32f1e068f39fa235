// Signing in, sessions, CSRF, throttling and the headers every page carries,
// against the real admin server on 127.0.0.1.
#include <catch2/catch.hpp>

#include "admin_test_support.hpp"

using namespace dlpd;
using namespace dlpd::test;

TEST_CASE("admin pages need a session and send the browser to sign in", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    for (const char *path : {"/", "/incidents", "/patterns", "/incidents/view?id=1", "/users", "/incidents.csv"}) {
        INFO(path);
        const Reply reply = browser.get(path);
        CHECK(reply.status == 303);
        CHECK(reply.location().starts_with("/sign-in?next="));
        CHECK_FALSE(contains(reply.body, "Dashboard"));
    }
}

TEST_CASE("admin sign-in with the right password opens a session in a safe cookie", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    const Reply reply = browser.sign_in("alice", kAdminPassword);
    REQUIRE(reply.status == 303);
    CHECK(reply.location() == "/");
    std::string session_cookie;
    for (const auto &c : reply.set_cookies)
        if (c.starts_with(std::string(kSessionCookie) + "=")) session_cookie = c;
    REQUIRE_FALSE(session_cookie.empty());
    CHECK(contains(session_cookie, "HttpOnly"));
    CHECK(contains(session_cookie, "SameSite=Strict"));
    CHECK_FALSE(contains(session_cookie, "Secure"));  // plain HTTP here
    // 256 random bits, and only their hash in the store.
    const std::string id = browser.cookies()[kSessionCookie];
    CHECK(id.size() == 64);
    const std::string db = slurp(admin.dir.path() / "dlpd.db");
    CHECK_FALSE(contains(db, id));
    const Reply dashboard = browser.get("/");
    CHECK(dashboard.status == 200);
    CHECK(contains(dashboard.body, "<h1>Dashboard</h1>"));
    CHECK(contains(dashboard.body, "alice"));
}

TEST_CASE("admin sign-in with a wrong password is refused", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    const Reply reply = browser.sign_in("alice", "not the password at all");
    CHECK(reply.status == 401);
    CHECK(contains(reply.body, "Wrong user name or password."));
    CHECK(browser.cookies().count(kSessionCookie) == 0);
    CHECK(browser.get("/").status == 303);
    // An unknown user gets the same answer.
    const Reply unknown = browser.sign_in("mallory", kAdminPassword);
    CHECK(unknown.status == 401);
    CHECK(contains(unknown.body, "Wrong user name or password."));
}

TEST_CASE("admin sign-in is throttled per user name", "[admin]") {
    AdminUnderTest admin([](AdminOptions &o) { o.sign_in_max_failures = 3; });
    Browser browser(admin.server->port());
    for (int i = 0; i < 3; ++i) CHECK(browser.sign_in("alice", "wrong password " + std::to_string(i)).status == 401);
    // Even the right password is not checked now.
    const Reply refused = browser.sign_in("alice", kAdminPassword);
    CHECK(refused.status == 429);
    CHECK(contains(refused.body, "Too many failed sign-ins"));
    CHECK_FALSE(refused.headers.get("Retry-After", "").empty());
    CHECK(browser.cookies().count(kSessionCookie) == 0);
    // Another user is not locked out by alice's failures.
    CHECK(browser.sign_in("victor", kViewerPassword).status == 303);
}

TEST_CASE("admin sign-in is throttled per address", "[admin]") {
    AdminUnderTest admin([](AdminOptions &o) {
        o.sign_in_max_failures = 100;
        o.sign_in_max_failures_per_address = 4;
    });
    Browser browser(admin.server->port());
    for (const char *name : {"a1", "a2", "a3", "a4"}) CHECK(browser.sign_in(name, "guess guess guess").status == 401);
    CHECK(browser.sign_in("alice", kAdminPassword).status == 429);
}

TEST_CASE("admin POST without the CSRF token is refused", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    const Fields pattern = {{"name", "employee_id"}, {"regex", "EMP-(\\d{6})"}, {"severity", "high"},
                            {"enabled", "yes"}, {"do", "save"}};
    const Reply without = browser.post("/patterns/new", pattern, false);
    CHECK(without.status == 403);
    CHECK(contains(without.body, "Form expired"));
    Fields wrong = pattern;
    wrong.push_back({"csrf", std::string(64, 'a')});
    CHECK(browser.post("/patterns/new", wrong).status == 403);
    CHECK_FALSE(find_rule(*admin.store, "employee_id"));
    // Signing out is a POST too.
    CHECK(browser.post("/sign-out", {}, false).status == 403);
    CHECK(browser.get("/").status == 200);
    // With the token, the same form is accepted.
    CHECK(browser.post("/patterns/new", pattern).status == 303);
}

TEST_CASE("admin sign-in form without its token is refused", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    const Reply reply = browser.post("/sign-in", {{"name", "alice"}, {"password", kAdminPassword}}, false);
    CHECK(reply.status == 403);
    CHECK(browser.cookies().count(kSessionCookie) == 0);
}

TEST_CASE("admin sign-out ends the session", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    const std::string old_id = browser.cookies()[kSessionCookie];
    CHECK(browser.post("/sign-out", {}).status == 303);
    CHECK(browser.get("/").status == 303);
    // The old cookie, replayed, is dead.
    Browser replay(admin.server->port());
    replay.cookies()[kSessionCookie] = old_id;
    CHECK(replay.get("/").status == 303);
}

TEST_CASE("admin pages carry the security headers", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    for (const char *path : {"/sign-in", "/static/admin.css", "/no-such-page"}) {
        INFO(path);
        const Reply reply = browser.get(path);
        const std::string csp = reply.headers.get("Content-Security-Policy", "");
        CHECK(contains(csp, "frame-ancestors 'none'"));
        CHECK(contains(csp, "default-src 'none'"));
        CHECK_FALSE(contains(csp, "unsafe-inline"));
        CHECK_FALSE(contains(csp, "script-src"));  // no script at all
        CHECK(reply.headers.get("X-Content-Type-Options", "") == "nosniff");
        CHECK(reply.headers.get("Referrer-Policy", "") == "no-referrer");
    }
    CHECK(browser.get("/no-such-page").status == 404);
    CHECK(contains(browser.get("/static/admin.css").headers.get("Content-Type", ""), "text/css"));
}

TEST_CASE("admin refuses a request body over admin.max_request_bytes", "[admin]") {
    AdminUnderTest admin([](AdminOptions &o) { o.max_request_bytes = 2048; });
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    const Reply reply = browser.post("/patterns/new", {{"name", "big"}, {"sample", std::string(4096, 'x')}, {"do", "try"}});
    CHECK(reply.status == 413);
}
