// Signing in, sessions, CSRF, throttling and the headers every page carries,
// against the real admin server on 127.0.0.1.
#include <catch2/catch.hpp>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "admin_test_support.hpp"
#include "admin/html.hpp"
#include "raw_socket.hpp"

using namespace dlpd;
using namespace dlpd::test;

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
    // Ends with the browser; the server keeps the idle and absolute expiry.
    CHECK_FALSE(contains(session_cookie, "Max-Age"));
    CHECK_FALSE(contains(session_cookie, "Expires"));
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

TEST_CASE("admin sign-in after 5 wrong passwords is slowed, not locked: the right one passes after the delay",
          "[admin]") {
    // 250 ms doubling: 0.25, 0.5, 1, 2 s, then 4 s after the fifth failure.
    AdminUnderTest admin([](AdminOptions &o) { o.sign_in_first_delay_ms = 250; });
    Browser browser(admin.server->port());
    for (int i = 0; i < 5; ++i) {
        INFO("failure " << i + 1);
        // Each waits out the delay the previous failure set.
        CHECK(eventually([&] { return browser.sign_in("alice", "wrong password " + std::to_string(i)).status == 401; },
                         std::chrono::seconds(10)));
    }
    // At once: slowed, and the password is not even checked.
    const Reply refused = browser.sign_in("alice", kAdminPassword);
    CHECK(refused.status == 429);
    CHECK(contains(refused.body, "Too many failed sign-ins"));
    CHECK_FALSE(refused.headers.get("Retry-After", "").empty());
    CHECK(browser.cookies().count(kSessionCookie) == 0);
    // Another user from the same address is not slowed by alice's failures.
    Browser other(admin.server->port());
    CHECK(other.sign_in("victor", kViewerPassword).status == 303);
    // Once the delay has passed, the right password is accepted.
    int status = 0;
    CHECK(eventually([&] { return (status = browser.sign_in("alice", kAdminPassword).status) != 429; },
                     std::chrono::seconds(10)));
    CHECK(status == 303);
}

TEST_CASE("admin sign-in past the per-address limit still lets in a user known from that address", "[admin]") {
    AdminUnderTest admin([](AdminOptions &o) {
        o.sign_in_first_delay_ms = 60000;
        o.sign_in_max_failures_per_address = 4;
    });
    Browser known(admin.server->port());
    REQUIRE(known.sign_in("victor", kViewerPassword).status == 303);  // victor has signed in from here
    Browser attacker(admin.server->port());
    for (const char *name : {"a1", "a2", "a3", "a4"}) CHECK(attacker.sign_in(name, "guess guess guess").status == 401);
    // The address is over its limit: names not known from it wait...
    CHECK(attacker.sign_in("alice", kAdminPassword).status == 429);
    CHECK(attacker.sign_in("a5", "guess guess guess").status == 429);
    // ...but victor, from the same address, is not locked out.
    Browser again(admin.server->port());
    CHECK(again.sign_in("victor", kViewerPassword).status == 303);
}

TEST_CASE("admin takes the client address from X-Forwarded-For only when the peer is admin.trusted_proxies",
          "[admin]") {
    for (const bool trusted : {false, true}) {
        INFO("trusted " << trusted);
        AdminUnderTest admin([&](AdminOptions &o) { o.trusted_proxies = trusted ? "127.0.0.1" : ""; });
        const uint16_t port = admin.server->port();
        LogCapture log;
        const std::string token = raw_sign_in_token(port);
        const std::string body = "sign_in_token=" + token + "&name=alice&password=" + html::url_encode(kAdminPassword);
        const std::string answer = raw_exchange(
            port, "POST /sign-in HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: 198.51.100.7\r\n"
                  "Cookie: dlpd_sign_in=" + token +
                      "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body);
        CHECK(answer.starts_with("HTTP/1.1 303"));
        CHECK(log.count(std::string("'alice' signed in from ") + (trusted ? "198.51.100.7" : "127.0.0.1")) == 1);
    }
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
        CHECK_FALSE(reply.headers.has("Strict-Transport-Security"));  // plain HTTP: the browser would ignore it
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

    // A browser writes spaces as '+'.
    const std::string plus = raw_sign_in_token(port);
    std::string password = kAdminPassword;
    std::replace(password.begin(), password.end(), ' ', '+');
    CHECK(raw_sign_in_post(port, plus, "sign_in_token=" + plus + "&name=alice&password=" + password)
              .starts_with("HTTP/1.1 303"));

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

TEST_CASE("admin forms over admin.max_field_bytes or admin.max_fields get 413 with a message, never 500", "[admin]") {
    const Fields pattern = {{"name", "big"}, {"regex", "EMP-(\\d{6})"}, {"severity", "high"}, {"do", "try"}};
    SECTION("the defaults take a field past Poco's 256 KiB and more than 100 fields") {
        AdminUnderTest admin;
        Browser browser(admin.server->port());
        REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
        Fields big = pattern;
        big.push_back({"sample", std::string(300 * 1024, 'x') + " EMP-123456"});
        const Reply tried = browser.post("/patterns/new", big);
        CHECK(tried.status == 200);
        CHECK(contains(tried.body, "EMP-123456"));
        Fields many = pattern;
        for (int i = 0; i < 150; ++i) many.push_back({"extra" + std::to_string(i), "1"});
        CHECK(browser.post("/patterns/new", many).status == 200);
    }
    SECTION("over the configured limits") {
        AdminUnderTest admin([](AdminOptions &o) {
            o.max_field_bytes = 4096;
            o.max_fields = 20;
        });
        Browser browser(admin.server->port());
        REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
        Fields big = pattern;
        big.push_back({"sample", std::string(5000, 'x')});
        const Reply too_big = browser.post("/patterns/new", big);
        CHECK(too_big.status == 413);
        CHECK(contains(too_big.body, "larger than admin.max_field_bytes (4096 bytes)"));
        Fields many = pattern;
        for (int i = 0; i < 25; ++i) many.push_back({"extra" + std::to_string(i), "1"});
        const Reply too_many = browser.post("/patterns/new", many);
        CHECK(too_many.status == 413);
        CHECK(contains(too_many.body, "more than admin.max_fields (20) fields"));
        // Within both, the same form goes through.
        Fields fine = pattern;
        fine.push_back({"sample", std::string(4000, 'x')});
        CHECK(browser.post("/patterns/new", fine).status == 200);
    }
}

TEST_CASE("admin POST takes the CSRF token from the body only, not the query string", "[admin]") {
    AdminUnderTest admin;
    Browser browser(admin.server->port());
    REQUIRE(browser.sign_in("alice", kAdminPassword).status == 303);
    const Fields pattern = {{"name", "employee_id"}, {"regex", "EMP-(\\d{6})"}, {"severity", "high"},
                            {"enabled", "yes"}, {"do", "save"}};
    const Reply in_query = browser.post("/patterns/new?csrf=" + browser.csrf(), pattern, false);
    CHECK(in_query.status == 403);
    CHECK_FALSE(find_rule(*admin.store, "employee_id"));
    CHECK(browser.post("/patterns/new", pattern).status == 303);
    CHECK(find_rule(*admin.store, "employee_id"));
}

TEST_CASE("admin over TLS sends Strict-Transport-Security and Secure cookies", "[admin][tls]") {
    TempDir keys;
    const auto cert = keys.path() / "cert.pem";
    const auto key = keys.path() / "key.pem";
    REQUIRE(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 -keyout " +
                         quote(key.string()) + " -out " + quote(cert.string()) + " 2>/dev/null")
                            .c_str()) == 0);
    AdminUnderTest admin([&](AdminOptions &o) {
        o.tls_cert = cert;
        o.tls_key = key;
    });
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                                             Poco::Net::Context::VERIFY_NONE);
    Poco::Net::HTTPSClientSession session("127.0.0.1", admin.server->port(), context);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/sign-in", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    CHECK(response.getStatus() == 200);
    CHECK(response.get("Strict-Transport-Security", "") == "max-age=31536000");
    CHECK(contains(response.get("Set-Cookie", ""), "; Secure"));
}

TEST_CASE("admin: 300 connections dripping a header from 127.0.0.1 do not keep 127.0.0.2 from signing in",
          "[admin][slow]") {
    AdminUnderTest admin([](AdminOptions &o) {
        // Room for the other client's connections that the server has not
        // seen closed yet; far fewer than 300.
        o.max_connections_per_address = 8;
        o.header_timeout_seconds = 3;
    });
    const uint16_t port = admin.server->port();
    LogCapture log;
    std::vector<std::unique_ptr<RawSocket>> drips;
    for (int i = 0; i < 300; ++i) {
        try {
            drips.push_back(std::make_unique<RawSocket>(port, "127.0.0.1"));
            drips.back()->send("GET /sign-in HTTP/1.1\r\nHost: x\r\n");
        } catch (const std::exception &) {  // refused while the backlog was full: fine, it is not served either
        }
    }
    REQUIRE(drips.size() > 100);
    // A header line a second from each, for as long as the test lasts (at most 15 s).
    std::atomic<bool> done{false};
    std::thread dripper([&] {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (!done && std::chrono::steady_clock::now() < end) {
            for (auto &d : drips) d->send("X-Drip: 1\r\n");
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    });
    struct Joined {
        std::atomic<bool> &done;
        std::thread &thread;
        ~Joined() {
            done = true;
            thread.join();
        }
    } joined{done, dripper};
    // Meanwhile, from another address, a whole sign-in.
    Browser other(port, "127.0.0.2");
    const Reply signed_in = other.sign_in("alice", kAdminPassword);
    CHECK(signed_in.status == 303);
    CHECK(other.get("/").status == 200);
    // The dripping connections are closed: at once past the cap, at the
    // header deadline for the eight that were served.
    CHECK(eventually([&] {
        return std::all_of(drips.begin(), drips.end(),
                           [](auto &d) { return d->closed_by_peer(std::chrono::milliseconds(0)); });
    }, std::chrono::seconds(10)));
    CHECK(log.count("refused a connection over admin.max_connections_per_address (8) from 127.0.0.1") == 1);
    CHECK(log.count("closed a slow connection from 127.0.0.1: its request header took too long") == 1);
}
