// The admin under test: a real store (SQLite in a temporary folder), the
// real plugins and engine, RuleSync, and the admin server on 127.0.0.1:0;
// and a small browser over Poco's HTTPClientSession that keeps cookies and
// the page's CSRF token, as a browser would.
#ifndef DLPD_TESTS_ADMIN_TEST_SUPPORT_HPP
#define DLPD_TESTS_ADMIN_TEST_SUPPORT_HPP

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <functional>
#include <map>
#include <regex>
#include <thread>

#include "admin/accounts.hpp"
#include "admin/admin_handler.hpp"
#include "admin/admin_server.hpp"
#include "admin/handlers/rule_lookup.hpp"
#include "test_support.hpp"

namespace dlpd::test {

inline const std::string kAdminPassword = "correct horse battery staple";
inline const std::string kViewerPassword = "viewer horse battery staple";

struct AdminUnderTest {
    explicit AdminUnderTest(const std::function<void(AdminOptions &)> &tweak = {}) {
        std::string error;
        auto url = parse_database_url("sqlite:" + (dir.path() / "dlpd.db").string(), error);
        StoreOptions store_options;  // the defaults: message text kept, sealed with the key file
        store_options.key_file = dir.path() / "dlpd.key";
        store = Store::open(*url, store_options);
        store->migrate();
        registry.load_directory(kPluginDir);
        engine = std::make_unique<ScanEngine>(registry);
        Rule card;
        card.name = "card_visa";
        card.regex = R"(\b(4\d{3}(?: \d{4}){3})\b)";
        card.validators = {"luhn"};
        card.severity = "high";
        store->upsert_rules({card}, "test");
        sync = std::make_unique<RuleSync>(*store, *engine, std::chrono::seconds(60));
        sync->load_now();
        sync->start();
        services = std::make_unique<AdminServices>(AdminServices{
            *store, *engine, registry, sync.get(), [] { return SlackStatus{"connected", "test double"}; }});
        REQUIRE(add_account(*store, "alice", kRoleAdmin, kAdminPassword, 12, "test").empty());
        REQUIRE(add_account(*store, "victor", kRoleViewer, kViewerPassword, 12, "test").empty());
        AdminOptions options = Config{}.admin;
        options.listen = "127.0.0.1:0";
        if (tweak) tweak(options);
        server = start_admin_server(options, *services);
    }
    ~AdminUnderTest() {
        server->stop();
        sync->stop();
    }

    int64_t add_incident(const std::string &message_text, const std::string &match, const std::string &channel = "C0GENERAL1") {
        IncidentInput in;
        in.team_id = "T0DOUBLE01";
        in.channel_id = channel;
        in.user_id = "U0ALICE01";
        in.message_ts = "1700000001.000100";
        in.permalink = "https://double.slack.com/archives/C0GENERAL1/p1700000001000100";
        in.rule = "card_visa";
        in.detector = "regex";
        in.severity = "high";
        in.match = match;
        in.message_text = message_text;
        in.actions = R"({"planned":"delete,notify","path":"message","edited":false})";
        in.action_results = R"({"delete":"ok","notify":"channel_not_found"})";  // as host/slack records them
        return store->record_incident(in);
    }

    TempDir dir;
    std::unique_ptr<Store> store;
    PluginRegistry registry;
    std::unique_ptr<ScanEngine> engine;
    std::unique_ptr<RuleSync> sync;
    std::unique_ptr<AdminServices> services;
    std::unique_ptr<AdminServer> server;
};

struct Reply {
    int status = 0;
    std::string body;
    Poco::Net::NameValueCollection headers;
    std::vector<std::string> set_cookies;  // raw Set-Cookie values
    std::string location() const { return headers.get("Location", ""); }
};

using Fields = std::vector<std::pair<std::string, std::string>>;

// Keeps cookies and the CSRF token of the last page, like a browser.
class Browser {
public:
    // source: the loopback address (127.0.0.0/8) its connections come from;
    // empty for the system's choice (127.0.0.1).
    explicit Browser(uint16_t port, std::string source = {}) : port_(port), source_(std::move(source)) {}

    Reply get(const std::string &path) { return request(Poco::Net::HTTPRequest::HTTP_GET, path, nullptr); }

    // Adds the CSRF token of the last page seen unless fields has one or
    // with_csrf is false.
    Reply post(const std::string &path, Fields fields, bool with_csrf = true) {
        Poco::Net::HTMLForm form;
        bool has_csrf = false;
        for (const auto &[name, value] : fields) {
            form.add(name, value);
            has_csrf = has_csrf || name == "csrf";
        }
        if (with_csrf && !has_csrf && !csrf_.empty()) form.add("csrf", csrf_);
        return request(Poco::Net::HTTPRequest::HTTP_POST, path, &form);
    }

    // The whole sign-in: the form (for its token and cookie), then the POST.
    Reply sign_in(const std::string &name, const std::string &password) {
        const Reply form = get("/sign-in");
        std::smatch m;
        std::string token;
        if (std::regex_search(form.body, m, std::regex("name=\"sign_in_token\" value=\"([0-9a-f]+)\""))) token = m[1];
        Reply reply = post("/sign-in", {{"sign_in_token", token}, {"name", name}, {"password", password}}, false);
        if (reply.status == 303) get("/");  // picks up the session's CSRF token
        return reply;
    }

    const std::string &csrf() const { return csrf_; }
    std::map<std::string, std::string> &cookies() { return cookies_; }

private:
    Reply request(const std::string &method, const std::string &path, Poco::Net::HTMLForm *form) {
        // Poco 1.11's session has no source address: with one, the session
        // gets a socket bound to it and connected here.
        Poco::Net::HTTPClientSession session{Poco::Net::StreamSocket()};
        session.setHost("127.0.0.1");
        session.setPort(port_);
        session.setTimeout(Poco::Timespan(10, 0));
        if (!source_.empty()) {
            // Keep-alive, or the session closes the socket and dials anew.
            session.setKeepAlive(true);
            session.socket().impl()->bind(Poco::Net::SocketAddress(source_, 0));
            session.socket().connect(Poco::Net::SocketAddress("127.0.0.1", port_), Poco::Timespan(10, 0));
        }
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::NameValueCollection jar;
        for (const auto &[name, value] : cookies_) jar.add(name, value);
        if (!cookies_.empty()) request.setCookies(jar);
        if (form != nullptr) {
            form->prepareSubmit(request);
            form->write(session.sendRequest(request));
        } else {
            session.sendRequest(request);
        }
        Poco::Net::HTTPResponse response;
        std::istream &in = session.receiveResponse(response);
        Reply reply;
        reply.status = response.getStatus();
        Poco::StreamCopier::copyToString(in, reply.body);
        for (const auto &[name, value] : response) {
            reply.headers.add(name, value);
            if (Poco::icompare(name, "Set-Cookie") == 0) reply.set_cookies.push_back(value);
        }
        std::vector<Poco::Net::HTTPCookie> cookies;
        response.getCookies(cookies);
        for (const auto &c : cookies) {
            if (c.getMaxAge() == 0) cookies_.erase(c.getName());
            else cookies_[c.getName()] = c.getValue();
        }
        std::smatch m;
        if (std::regex_search(reply.body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\""))) csrf_ = m[1];
        return reply;
    }

    uint16_t port_;
    std::string source_;
    std::map<std::string, std::string> cookies_;
    std::string csrf_;
};

// Waits until ready() holds or timeout passes: readiness, not timing.
inline bool eventually(const std::function<bool()> &ready, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (ready()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ready();
}

inline bool contains(const std::string &text, const std::string &piece) { return text.find(piece) != std::string::npos; }

}  // namespace dlpd::test

#endif
