// Signing in, sessions, CSRF, throttling and the headers every page carries,
// against the real admin server on 127.0.0.1.
#include <catch2/catch.hpp>

#include "admin_test_support.hpp"
#include "html.hpp"
#include "raw_socket.hpp"

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

namespace {

// The sign-in form's token, fetched over a raw socket: the same value is
// the dlpd_sign_in cookie and the form's hidden field.
std::string raw_sign_in_token(uint16_t port, const std::string &source = {}) {
    const std::string form = raw_exchange(port, "GET /sign-in HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", source);
    std::smatch m;
    REQUIRE(std::regex_search(form, m, std::regex("name=\"sign_in_token\" value=\"([0-9a-f]+)\"")));
    return m[1];
}

std::string raw_sign_in_post(uint16_t port, const std::string &token, const std::string &form_body,
                             const std::string &source = {}) {
    return raw_exchange(port,
                        "POST /sign-in HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: dlpd_sign_in=" + token +
                            "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                            std::to_string(form_body.size()) + "\r\n\r\n" + form_body,
                        source);
}

// The header lines of a raw answer, without the status line.
std::vector<std::string> header_lines(const std::string &answer) {
    std::vector<std::string> lines;
    const std::string head = answer.substr(0, answer.find("\r\n\r\n"));
    size_t start = head.find("\r\n");
    while (start != std::string::npos) {
        const size_t end = head.find("\r\n", start + 2);
        lines.push_back(head.substr(start + 2, end == std::string::npos ? std::string::npos : end - start - 2));
        start = end;
    }
    return lines;
}

}  // namespace

TEST_CASE("admin sign-in with CR/LF in next sends no injected header line and goes to /", "[admin]") {
    AdminUnderTest admin;
    const uint16_t port = admin.server->port();
    const std::string token = raw_sign_in_token(port);
    // next = "/\r\nSet-Cookie: dlpd_session=attacker"
    const std::string answer =
        raw_sign_in_post(port, token,
                         "sign_in_token=" + token + "&name=alice&password=" + html::url_encode(kAdminPassword) +
                             "&next=%2F%0D%0ASet-Cookie%3A%20dlpd_session%3Dattacker");
    INFO(answer);
    REQUIRE(answer.starts_with("HTTP/1.1 303"));
    size_t session_cookies = 0;
    for (const auto &line : header_lines(answer)) {
        CHECK_FALSE(contains(line, "attacker"));
        if (line.starts_with("Set-Cookie: dlpd_session=")) ++session_cookies;
        if (line.starts_with("Location:")) CHECK(line == "Location: /");
    }
    CHECK(session_cookies == 1);  // the real one

    // next in the sign-in link: the form carries "/" instead.
    const std::string form = raw_exchange(
        port, "GET /sign-in?next=%2Fincidents%0D%0AX-Injected%3A%201 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(contains(form, "name=\"next\" value=\"/\""));
    // A plain path and query go through.
    Browser browser(port);
    const Reply reply = browser.get("/sign-in?next=" + html::url_encode("/incidents?rule=card_visa&page=2"));
    CHECK(contains(reply.body, "name=\"next\" value=\"/incidents?rule=card_visa&amp;page=2\""));
    for (const char *bad : {"//evil.example/", "/\\evil.example/", "https://evil.example/", "/a b", "/a\"b", "/a<b"}) {
        INFO(bad);
        CHECK(contains(browser.get("/sign-in?next=" + html::url_encode(bad)).body, "name=\"next\" value=\"/\""));
    }
}

TEST_CASE("admin response headers refuse control characters whoever sets them", "[admin]") {
    Poco::Net::HTTPResponse response;
    CHECK_THROWS_AS(set_response_header(response, "Location", "/\r\nSet-Cookie: x=y"), std::invalid_argument);
    CHECK_THROWS_AS(set_response_header(response, "Location", "/\nx"), std::invalid_argument);
    CHECK_THROWS_AS(set_response_header(response, "Location", std::string("/\0x", 3)), std::invalid_argument);
    CHECK_THROWS_AS(set_response_header(response, "Set-Cookie", "a=b\x7f", true), std::invalid_argument);
    CHECK_THROWS_AS(set_response_header(response, "X-A\r\nX-B", "1"), std::invalid_argument);
    CHECK_THROWS_AS(set_response_header(response, "X A", "1"), std::invalid_argument);
    CHECK_FALSE(response.has("Location"));
    CHECK_FALSE(response.has("Set-Cookie"));
    set_response_header(response, "Location", "/incidents?rule=a%0D%0A");
    CHECK(response.get("Location") == "/incidents?rule=a%0D%0A");
}
