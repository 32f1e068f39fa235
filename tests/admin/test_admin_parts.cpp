// The admin's pieces on their own: password hashes, the throttle, CSV cells,
// the first admin, escaping, and `dlpd user add`.
#include <catch2/catch.hpp>

#include "admin/accounts.hpp"
#include "admin/admin_handler.hpp"
#include "admin/csv_cell.hpp"
#include "admin/html.hpp"
#include "admin/password_hash.hpp"
#include "admin/sign_in_throttle.hpp"
#include "test_support.hpp"

using namespace dlpd;

TEST_CASE("admin password hashes are salted PBKDF2-SHA256 at 600000 iterations", "[admin]") {
    const std::string a = hash_password("correct horse battery staple");
    const std::string b = hash_password("correct horse battery staple");
    CHECK(a.starts_with("pbkdf2-sha256$600000$"));
    CHECK(a != b);  // a fresh salt each time
    CHECK(verify_password("correct horse battery staple", a));
    CHECK(verify_password("correct horse battery staple", b));
    CHECK_FALSE(verify_password("correct horse battery stapl", a));
    CHECK_FALSE(verify_password("correct horse battery staple", "pbkdf2-sha256$x$00$00"));
    CHECK_FALSE(verify_password("", ""));
    CHECK(random_token().size() == 64);
    CHECK(random_token() != random_token());
}

TEST_CASE("admin sign-in throttle delays a (name, address) pair exponentially and locks nobody out", "[admin]") {
    SignInThrottle::Settings settings;
    settings.first_delay = std::chrono::seconds(10);
    settings.max_delay = std::chrono::seconds(60);
    settings.max_per_address = 5;
    settings.window = std::chrono::seconds(600);
    SignInThrottle throttle(settings);
    CHECK_FALSE(throttle.refusal("alice", "10.0.0.1"));
    throttle.record_failure("alice", "10.0.0.1");
    auto wait = throttle.refusal("alice", "10.0.0.1");
    REQUIRE(wait);
    CHECK(*wait <= std::chrono::seconds(10));
    CHECK(*wait > std::chrono::seconds(5));
    // Another address, or another name, is not slowed by alice's failure.
    CHECK_FALSE(throttle.refusal("alice", "10.0.0.2"));
    CHECK_FALSE(throttle.refusal("bob", "10.0.0.1"));
    // 10 s, 20 s, 40 s, then no more than max_delay.
    throttle.record_failure("alice", "10.0.0.1");
    CHECK(*throttle.refusal("alice", "10.0.0.1") > std::chrono::seconds(15));
    throttle.record_failure("alice", "10.0.0.1");
    CHECK(*throttle.refusal("alice", "10.0.0.1") > std::chrono::seconds(35));
    throttle.record_failure("alice", "10.0.0.1");
    CHECK(*throttle.refusal("alice", "10.0.0.1") <= std::chrono::seconds(60));
    CHECK(*throttle.refusal("alice", "10.0.0.1") > std::chrono::seconds(55));
    // Five failures from 10.0.0.1 (the address's limit): a name that never
    // signed in from there waits for the window; one that did is not refused.
    throttle.record_success("carol", "10.0.0.1");
    CHECK_FALSE(throttle.refusal("dave", "10.0.0.1"));
    throttle.record_failure("bob", "10.0.0.1");
    auto for_dave = throttle.refusal("dave", "10.0.0.1");
    REQUIRE(for_dave);
    CHECK(*for_dave > std::chrono::seconds(500));
    CHECK_FALSE(throttle.refusal("carol", "10.0.0.1"));
    CHECK_FALSE(throttle.refusal("dave", "10.0.0.2"));
}

TEST_CASE("admin client address: X-Forwarded-For only from a trusted proxy", "[admin]") {
    const std::set<std::string> none;
    const auto proxy = parse_trusted_proxies(" 10.0.0.2, ::1,not-an-address");
    CHECK(proxy == std::set<std::string>{"10.0.0.2", "::1"});
    CHECK(client_address("192.0.2.7", {"198.51.100.1"}, none) == "192.0.2.7");
    CHECK(client_address("192.0.2.7", {"198.51.100.1"}, proxy) == "192.0.2.7");  // not from the proxy
    CHECK(client_address("10.0.0.2", {"198.51.100.1"}, proxy) == "198.51.100.1");
    // A client's own X-Forwarded-For is on the left; the proxy appends on the right.
    CHECK(client_address("10.0.0.2", {"203.0.113.9, 198.51.100.1"}, proxy) == "198.51.100.1");
    CHECK(client_address("10.0.0.2", {"203.0.113.9", "198.51.100.1, ::1"}, proxy) == "198.51.100.1");
    CHECK(client_address("10.0.0.2", {"198.51.100.1, junk"}, proxy) == "10.0.0.2");
    CHECK(client_address("10.0.0.2", {}, proxy) == "10.0.0.2");
}

TEST_CASE("admin CSV cells are quoted and neutralise formulas", "[admin]") {
    CHECK(csv_cell("plain") == "\"plain\"");
    CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_cell("=1+2") == "\"'=1+2\"");
    CHECK(csv_cell("+1") == "\"'+1\"");
    CHECK(csv_cell("-1") == "\"'-1\"");
    CHECK(csv_cell("@SUM(A1)") == "\"'@SUM(A1)\"");
    CHECK(csv_cell("a=b") == "\"a=b\"");
}

TEST_CASE("admin escaping covers text, attributes and links", "[admin]") {
    CHECK(html::escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    CHECK(html::url_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
    CHECK(html::safe_link("javascript:alert(1)").empty());
    CHECK(html::safe_link("data:text/html,x").empty());
    CHECK(html::safe_link("https://x.slack.com/a?b=1&c=\"") == "https://x.slack.com/a?b=1&amp;c=&quot;");
    CHECK(html::parse_date("2024-02-29") == 1709164800000);
    CHECK(html::parse_date("2023-02-29") == -1);
    CHECK(html::parse_date("yesterday") == -1);
}

TEST_CASE("admin first start creates one admin with a random password", "[admin]") {
    test::TempDir dir;
    std::string error;
    auto store = Store::open(*parse_database_url("sqlite:" + (dir.path() / "dlpd.db").string(), error));
    store->migrate();
    const auto first = create_first_admin(*store);
    REQUIRE(first);
    CHECK(first->name == "admin");
    CHECK(first->password.size() >= 20);
    const auto user = store->admin_user("admin");
    REQUIRE(user);
    CHECK(user->role == kRoleAdmin);
    CHECK(verify_password(first->password, user->password_hash));
    CHECK_FALSE(create_first_admin(*store));  // only on a store with no admin
    const std::string notice = first_admin_notice(*first, "http://127.0.0.1:8080/");
    CHECK(test::slurp(dir.path() / "dlpd.db").find(first->password) == std::string::npos);
    CHECK(notice.find(first->password) != std::string::npos);
    CHECK(notice.find("'admin'") != std::string::npos);
}

TEST_CASE("admin first start creates an admin when only viewers exist, beside a viewer named admin", "[admin]") {
    test::TempDir dir;
    std::string error;
    auto store = Store::open(*parse_database_url("sqlite:" + (dir.path() / "dlpd.db").string(), error));
    store->migrate();
    REQUIRE(add_account(*store, "admin", kRoleViewer, "a long enough password", 12, "test").empty());
    REQUIRE(add_account(*store, "vera", kRoleViewer, "a long enough password", 12, "test").empty());
    const auto first = create_first_admin(*store);
    REQUIRE(first);
    CHECK(first->name == "admin-2");
    const auto user = store->admin_user("admin-2");
    REQUIRE(user);
    CHECK(user->role == kRoleAdmin);
    CHECK(store->admin_user("admin")->role == kRoleViewer);  // the viewer is left as it was
    CHECK(store->count_admin_users(kRoleAdmin) == 1);
    CHECK(first_admin_notice(*first, "http://127.0.0.1:8080/").find("'admin-2'") != std::string::npos);
    CHECK_FALSE(create_first_admin(*store));
}

TEST_CASE("dlpd user add without --role makes the first admin of an empty store, then viewers", "[admin]") {
    test::TempDir dir;
    const std::string url = "sqlite:" + (dir.path() / "dlpd.db").string();
    auto add = [&](const std::string &name) {
        return test::run(test::dlpd_command() + " user add " + name + " --password-stdin --database " +
                             test::quote(url),
                         "a long enough password\n");
    };
    const auto first = add("alice");
    CHECK(first.exit_code == 0);
    CHECK(first.out.find("no admin yet, so 'alice' is an admin") != std::string::npos);
    CHECK(first.out.find("added admin 'alice'") != std::string::npos);
    const auto second = add("bob");
    CHECK(second.exit_code == 0);
    CHECK(second.out.find("added viewer 'bob'") != std::string::npos);
    std::string error;
    auto store = Store::open(*parse_database_url(url, error));
    CHECK(store->admin_user("alice")->role == kRoleAdmin);
    CHECK(store->admin_user("bob")->role == kRoleViewer);
    CHECK_FALSE(create_first_admin(*store));  // alice is the admin: no generated one at the next start
}

TEST_CASE("admin users are added with dlpd user add and the password on standard input", "[admin]") {
    test::TempDir dir;
    const std::string url = "sqlite:" + (dir.path() / "dlpd.db").string();
    const std::string command = test::dlpd_command() + " user add bob --role viewer --password-stdin --database " +
                                test::quote(url);
    const auto added = test::run(command, "a long enough password\n");
    CHECK(added.exit_code == 0);
    CHECK(added.out.find("added viewer 'bob'") != std::string::npos);
    CHECK(added.out.find("a long enough password") == std::string::npos);
    std::string error;
    auto store = Store::open(*parse_database_url(url, error));
    const auto bob = store->admin_user("bob");
    REQUIRE(bob);
    CHECK(bob->role == kRoleViewer);
    CHECK(verify_password("a long enough password", bob->password_hash));

    const auto again = test::run(command, "a long enough password\n");
    CHECK(again.exit_code == 2);
    CHECK(again.err.find("already exists") != std::string::npos);
    const auto short_one = test::run(test::dlpd_command() + " user add carol --password-stdin --database " +
                                         test::quote(url),
                                     "short\n");
    CHECK(short_one.exit_code == 2);
    CHECK(short_one.err.find("at least 12 characters") != std::string::npos);
    CHECK(short_one.err.find("short") == std::string::npos);  // the password is never repeated
}
