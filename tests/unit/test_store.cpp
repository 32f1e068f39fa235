// The store against real databases: SQLite, and a MariaDB server started on
// loopback for this test process. Every case runs on both.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <spawn.h>
#include <sys/wait.h>

#include <map>
#include <set>
#include <thread>

#include "mariadb_server.hpp"
#include "runtime/rule_sync.hpp"
#include "engine/masking.hpp"
#include "engine/scan_engine.hpp"
#include "store/sealed_text.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

using namespace dlpd;

namespace {

// A fresh, empty database of the dialect under test.
struct TestDatabase {
    explicit TestDatabase(const std::string &dialect) {
        if (dialect == "sqlite") {
            url_text = "sqlite:" + (dir.path() / "dlpd.db").string();
        } else {
            auto &server = test::MariaDbServer::instance();
            url_text = server.url(server.fresh_database());
        }
    }
    DatabaseUrl url() const {
        std::string error;
        auto u = parse_database_url(url_text, error);
        REQUIRE(u);
        return *u;
    }
    std::unique_ptr<Store> open(StoreOptions options = {}) const { return Store::open(url(), options); }
    test::TempDir dir;
    std::string url_text;
};

Rule make_rule(const std::string &name, const std::string &regex) {
    Rule r;
    r.name = name;
    r.regex = regex;
    return r;
}

bool same_rule(const Rule &a, const Rule &b) {
    return a.name == b.name && a.regex == b.regex && a.detector == b.detector && a.validators == b.validators &&
           a.severity == b.severity && a.description == b.description && a.enabled == b.enabled &&
           a.examples_match == b.examples_match && a.examples_no_match == b.examples_no_match;
}

const std::vector<Rule> &starter_pack() {
    static const auto rules = load_rule_pack(test::kSourceDir / "config" / "patterns.yaml");
    return rules;
}

// Waits for cond (a readiness wait: the bound only stops a broken build
// from hanging, it asserts nothing about speed).
template <class Cond>
bool eventually(Cond cond) {
    for (int i = 0; i < 4800; ++i) {  // up to 4 min: under ASan dlpd checks a 314-rule pack first
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return cond();
}

}  // namespace

TEST_CASE("migrations apply to an empty database, and running them again changes nothing", "[store]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto store = db.open();
    CHECK(store->schema_version() == 0);
    auto applied = store->migrate();
    REQUIRE(applied.size() == 3);
    CHECK(store->schema_version() == 3);
    CHECK(store->migrate().empty());
    CHECK(store->schema_version() == 3);
    CHECK(store->rules().empty());
    CHECK(store->rules_revision() == 0);
}

TEST_CASE("rules round-trip through the store and through an exported pack", "[store]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto store = db.open();
    store->migrate();
    auto change = store->upsert_rules(starter_pack(), "tester");
    CHECK(change.added == starter_pack().size());
    CHECK(change.revision == 1);
    auto stored = store->rules();
    REQUIRE(stored.size() == starter_pack().size());
    for (size_t i = 0; i < stored.size(); ++i) {
        INFO(starter_pack()[i].name);
        CHECK(same_rule(stored[i], starter_pack()[i]));
    }
    auto reparsed = parse_rule_pack(write_rule_pack(stored), "export.yaml");
    REQUIRE(reparsed.size() == stored.size());
    for (size_t i = 0; i < stored.size(); ++i) CHECK(same_rule(reparsed[i], stored[i]));

    // Importing the same rules again changes nothing, not even the revision.
    auto again = store->upsert_rules(reparsed, "tester");
    CHECK(again.unchanged == stored.size());
    CHECK(store->rules_revision() == 1);

    // One changed rule: updated by name, revision bumped, audited.
    auto edited = reparsed;
    edited[0].regex = "changed";
    edited[0].enabled = false;
    auto one = store->upsert_rules({edited[0]}, "alice");
    CHECK(one.updated == 1);
    CHECK(store->rules_revision() == 2);
    CHECK(store->rules()[0].regex == "changed");
    auto audit = store->audit_log(1);
    REQUIRE(audit.size() == 1);
    CHECK(audit[0].actor == "alice");
    CHECK(audit[0].action == "rule.update");
    CHECK(audit[0].subject == edited[0].name);
    CHECK_THAT(audit[0].detail, Catch::Contains("pattern changed") && Catch::Contains("disabled"));

    CHECK(store->delete_rule(edited[0].name, "alice"));
    CHECK_FALSE(store->delete_rule(edited[0].name, "alice"));
    CHECK(store->rules_revision() == 3);
    CHECK(store->rules().size() == stored.size() - 1);
}

TEST_CASE("an event id is acted on once, even across replicas", "[store]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto replica_a = db.open();
    replica_a->migrate();
    auto replica_b = db.open();
    CHECK(replica_a->claim_event("Ev01", "{\"event\":1}"));
    CHECK_FALSE(replica_b->claim_event("Ev01", "{\"event\":1}"));  // a retry, or the other replica
    CHECK(replica_b->claim_event("Ev02", "{\"event\":2}"));
    auto pending = replica_a->pending_events();
    REQUIRE(pending.size() == 2);
    CHECK(pending[0].event_id == "Ev01");
    CHECK(pending[0].payload == "{\"event\":1}");
    replica_a->finish_event("Ev01", "done");
    pending = replica_b->pending_events();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].event_id == "Ev02");
    CHECK_FALSE(replica_a->claim_event("Ev01", "{}"));  // done events stay recorded

    // Many claims of one id at once from two replicas: exactly one wins.
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20; ++i)
                if ((t % 2 ? replica_a : replica_b)->claim_event("race" + std::to_string(i), "{}")) ++wins;
        });
    for (auto &t : threads) t.join();
    CHECK(wins == 20);
}

TEST_CASE("an incident keeps the masked match and a fingerprint, not the secret", "[store]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto store = db.open();
    store->migrate();
    IncidentInput in;
    in.channel_id = "C01";
    in.user_id = "U01";
    in.message_ts = "1712345678.000100";
    in.rule = "card_visa";
    in.detector = "regex";
    in.severity = "high";
    in.match = "4539 1488 0343 6467";
    in.message_text = "my card is 4539 1488 0343 6467";
    const int64_t id = store->record_incident(in);
    auto got = store->incident(id);
    REQUIRE(got);
    CHECK(got->masked_match == "**** **** **** 6467");
    CHECK(got->match_fingerprint.size() == 64);
    CHECK(got->message_ts == "1712345678.000100");
    CHECK_FALSE(got->has_message_text);  // not kept unless asked for
    CHECK_FALSE(store->incident_message_text(id));
    // Same secret, same fingerprint; another secret, another.
    CHECK(store->fingerprint("4539 1488 0343 6467") == got->match_fingerprint);
    CHECK(store->fingerprint("4111 1111 1111 1112") != got->match_fingerprint);
    if (dialect == "sqlite") {
        const std::string bytes = test::slurp(db.dir.path() / "dlpd.db");
        CHECK(bytes.find("4539 1488 0343 6467") == std::string::npos);
    }
}

TEST_CASE("kept message text is sealed with the environment's key", "[store]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    const std::string key_hex = to_hex(random_bytes(32));
    ::setenv("DLPD_ENCRYPTION_KEY", key_hex.c_str(), 1);
    StoreOptions options;
    options.store_message_text = true;
    auto store = db.open(options);
    ::unsetenv("DLPD_ENCRYPTION_KEY");
    store->migrate();
    IncidentInput in;
    in.rule = "aws";
    in.match = "AKIAZ4M7QH2RXW5BTJ3K";
    in.message_text = "deploy with AKIAZ4M7QH2RXW5BTJ3K please";
    const int64_t id = store->record_incident(in);
    auto got = store->incident(id);
    REQUIRE(got);
    CHECK(got->has_message_text);
    CHECK(got->message_text_sealed);
    CHECK(store->incident_message_text(id) == std::optional<std::string>(in.message_text));
    if (dialect == "sqlite") {
        const std::string bytes = test::slurp(db.dir.path() / "dlpd.db");
        CHECK(bytes.find("AKIAZ4M7QH2RXW5BTJ3K") == std::string::npos);
        CHECK(bytes.find("deploy with") == std::string::npos);
    }
    // Without the key, the text cannot be read back.
    auto keyless = db.open(options);
    CHECK_FALSE(keyless->incident_message_text(id));
}

TEST_CASE("by default message text is sealed with a key file dlpd creates, mode 0600, never in clear", "[store]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    ::unsetenv("DLPD_ENCRYPTION_KEY");
    StoreOptions options;  // the defaults: keep the text
    REQUIRE(options.store_message_text);
    options.key_file = db.dir.path() / "dlpd.key";
    auto store = db.open(options);
    store->migrate();
    CHECK_FALSE(std::filesystem::exists(options.key_file));  // made when first needed (here the first incident), not at open
    IncidentInput in;
    in.rule = "card_visa";
    in.match = "4539 1488 0343 6467";
    in.message_text = "my card is 4539 1488 0343 6467, thanks";
    const int64_t id = store->record_incident(in);
    REQUIRE(std::filesystem::exists(options.key_file));
    struct stat st {};
    REQUIRE(::stat(options.key_file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(test::slurp(options.key_file).size() == 65);  // 64 hex characters and a newline
    const auto got = store->incident(id);
    REQUIRE(got);
    CHECK(got->has_message_text);
    CHECK(got->message_text_sealed);
    CHECK(store->incident_message_text(id) == std::optional<std::string>(in.message_text));
    if (dialect == "sqlite") {
        // Every byte of the database, its WAL included: neither the text nor the secret.
        std::string bytes = test::slurp(db.dir.path() / "dlpd.db");
        if (std::filesystem::exists(db.dir.path() / "dlpd.db-wal")) bytes += test::slurp(db.dir.path() / "dlpd.db-wal");
        CHECK(bytes.find("4539 1488 0343 6467") == std::string::npos);
        CHECK(bytes.find("my card is") == std::string::npos);
        CHECK(bytes.find("thanks") == std::string::npos);
    }
    // Another process with the same key file reads it; one with another key file cannot.
    CHECK(db.open(options)->incident_message_text(id) == std::optional<std::string>(in.message_text));
    StoreOptions other = options;
    other.key_file = db.dir.path() / "other.key";
    auto elsewhere = db.open(other);
    CHECK_FALSE(elsewhere->incident_message_text(id));
    CHECK_FALSE(std::filesystem::exists(other.key_file));  // reading never creates a key
}

TEST_CASE("a key file others can read is refused, and the text is then not kept at all", "[store]") {
    TestDatabase db("sqlite");
    ::unsetenv("DLPD_ENCRYPTION_KEY");
    StoreOptions options;
    options.key_file = db.dir.path() / "dlpd.key";
    {
        auto first = db.open(options);
        first->migrate();
        IncidentInput in;
        in.rule = "r";
        in.match = "secret-value";
        in.message_text = "x";
        first->record_incident(in);  // creates the key file
    }
    REQUIRE(::chmod(options.key_file.c_str(), 0644) == 0);
    test::LogCapture logs;
    auto store = db.open(options);
    IncidentInput in;
    in.rule = "r";
    in.match = "secret-value";
    in.message_text = "the text with secret-value";
    const int64_t id = store->record_incident(in);
    CHECK_FALSE(store->incident(id)->has_message_text);
    CHECK(logs.count("can be read by other users (mode 0644): run chmod 600") == 1);
    CHECK(test::slurp(db.dir.path() / "dlpd.db").find("the text with") == std::string::npos);
    // No key file configured and no DLPD_ENCRYPTION_KEY: not kept either.
    StoreOptions keyless;
    const int64_t id2 = db.open(keyless)->record_incident(in);
    CHECK_FALSE(store->incident(id2)->has_message_text);
}

TEST_CASE("message texts older than the retention are purged, the incidents stay", "[store]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    StoreOptions options;
    options.key_file = db.dir.path() / "dlpd.key";
    auto store = db.open(options);
    store->migrate();
    IncidentInput in;
    in.rule = "r";
    in.match = "secret-value";
    in.message_text = "text with secret-value";
    const int64_t id = store->record_incident(in);
    const int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    CHECK(store->purge_message_texts(now_ms - 60'000) == 0);  // younger than the cut-off: kept
    CHECK(store->incident(id)->has_message_text);
    CHECK(store->purge_message_texts(now_ms + 60'000) == 1);
    const auto after = store->incident(id);
    REQUIRE(after);
    CHECK_FALSE(after->has_message_text);
    CHECK_FALSE(store->incident_message_text(id));
    CHECK(after->masked_match == mask_secret("secret-value"));  // the incident itself stays
}

TEST_CASE("sealing detects tampering and a wrong key", "[store]") {
    const std::string key = random_bytes(32), other = random_bytes(32);
    const std::string sealed = seal("secret text", key);
    CHECK(unseal(sealed, key) == std::optional<std::string>("secret text"));
    CHECK_FALSE(unseal(sealed, other));
    std::string tampered = sealed;
    tampered[tampered.size() - 6] = tampered[tampered.size() - 6] == 'A' ? 'B' : 'A';
    CHECK_FALSE(unseal(tampered, key));
    CHECK(seal("secret text", key) != sealed);  // fresh nonce each time
    CHECK_FALSE(parse_key("not a key"));
    CHECK(parse_key(to_hex(key)) == std::optional<std::string>(key));
}

TEST_CASE("a wrong password or an unreachable server fails fast without printing the password", "[store]") {
    auto &server = test::MariaDbServer::instance();
    std::string error;
    auto wrong = parse_database_url(server.url(server.fresh_database(), "not-the-Pa55word"), error);
    REQUIRE(wrong);
    try {
        Store::open(*wrong);
        FAIL("connected with a wrong password");
    } catch (const StoreError &e) {
        const std::string message = e.what();
        CHECK_THAT(message, Catch::Contains("cannot connect") && Catch::Contains("Access denied") &&
                                Catch::Contains("mysql://dlpd_test:***@127.0.0.1:"));
        CHECK(message.find("not-the-Pa55word") == std::string::npos);
    }
    auto closed = parse_database_url("mysql://dlpd_test:" + std::string(test::MariaDbServer::kPassword) +
                                         "@127.0.0.1:" + std::to_string(test::MariaDbServer::free_port()) + "/x",
                                     error);
    REQUIRE(closed);
    StoreOptions quick;
    quick.connect_timeout_seconds = 2;
    try {
        Store::open(*closed, quick);
        FAIL("connected to a closed port");
    } catch (const StoreError &e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains("cannot connect"));
        CHECK(std::string(e.what()).find(test::MariaDbServer::kPassword) == std::string::npos);
    }
}

TEST_CASE("database URLs are parsed strictly and printed without the password", "[store]") {
    std::string error;
    auto u = parse_database_url("mysql://app:p%40ss%3Aword@db.internal:3307/dlpd", error);
    REQUIRE(u);
    CHECK(u->user == "app");
    CHECK(u->password == "p@ss:word");
    CHECK(u->host == "db.internal");
    CHECK(u->port == 3307);
    CHECK(u->database == "dlpd");
    CHECK(u->redacted() == "mysql://app:***@db.internal:3307/dlpd");
    CHECK(parse_database_url("sqlite:/var/lib/dlpd.db", error)->path == "/var/lib/dlpd.db");
    CHECK_FALSE(parse_database_url("postgres://a:b@c/d", error));
    CHECK_FALSE(parse_database_url("mysql://a:b@c:99999/d", error));
    CHECK_FALSE(parse_database_url("mysql://a:b;x@c/d", error));
    CHECK(error.find("b;x") == std::string::npos);
    CHECK_FALSE(parse_database_url("sqlite:", error));
}

TEST_CASE("scanning with the stored rules gives exactly what scanning with the same pack gives", "[store]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto store = db.open();
    store->migrate();
    store->upsert_rules(starter_pack(), "tester");

    PluginRegistry registry;
    registry.load_directory(test::kPluginDir);
    ScanEngine from_pack(registry), from_store(registry);
    REQUIRE(from_pack.set_rules(starter_pack()).empty());
    RuleSync sync(*store, from_store, std::chrono::seconds(1));
    REQUIRE(sync.load_now().empty());
    const std::string text = test::slurp(test::kSourceDir / "tests" / "data" / "starter_pack_check.txt");
    auto a = from_pack.scan(text, "check.txt"), b = from_store.scan(text, "check.txt");
    REQUIRE(a.findings.size() > 20);
    REQUIRE(a.findings.size() == b.findings.size());
    for (size_t i = 0; i < a.findings.size(); ++i) {
        CHECK(a.findings[i].rule == b.findings[i].rule);
        CHECK(a.findings[i].start == b.findings[i].start);
        CHECK(a.findings[i].end == b.findings[i].end);
        CHECK(a.findings[i].severity == b.findings[i].severity);
    }
}

TEST_CASE("a rule added in the store reaches a running engine without a restart", "[store]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto store = db.open();
    store->migrate();
    store->upsert_rules({make_rule("first", "alphasecret")}, "tester");
    PluginRegistry registry;
    registry.load_directory(test::kPluginDir);
    ScanEngine engine(registry);
    RuleSync sync(*store, engine, std::chrono::milliseconds(200));
    REQUIRE(sync.load_now().empty());
    sync.start();
    auto fires = [&](const std::string &text, const std::string &rule) {
        for (const auto &f : engine.scan_text(text, "m").findings)
            if (f.rule == rule) return true;
        return false;
    };
    CHECK(fires("alphasecret", "first"));
    CHECK_FALSE(fires("betasecret", "second"));

    // Another replica (its own connection) adds a rule: noticed by polling.
    auto replica = db.open();
    replica->upsert_rules({make_rule("second", "betasecret")}, "replica");
    CHECK(eventually([&] { return fires("betasecret", "second"); }));

    // A change in this process is applied on notify.
    store->upsert_rules({make_rule("third", "gammasecret")}, "tester");
    sync.notify();
    CHECK(eventually([&] { return fires("gammasecret", "third"); }));

    // A broken rule in the store is refused; the rules in force stay.
    test::LogCapture capture;
    replica->upsert_rules({make_rule("broken", "(unclosed")}, "replica");
    CHECK(eventually([&] { return capture.all().find("refused, previous rules kept") != std::string::npos; }));
    CHECK(fires("gammasecret", "third"));
    CHECK_THAT(capture.all(), Catch::Contains("rule 'broken'"));
    sync.stop();
}

TEST_CASE("dlpd migrate and dlpd patterns import and export from the command line", "[store][cli]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    const std::string dlpd = test::dlpd_command();
    const std::string database = " --database " + test::quote(db.url_text);

    auto first = test::run(dlpd + " migrate" + database);
    CHECK(first.exit_code == 0);
    CHECK_THAT(first.out, Catch::Contains("applied migration 1") && Catch::Contains("applied migration 2") &&
                                  Catch::Contains("applied migration 3") && Catch::Contains("schema version 3"));
    auto second = test::run(dlpd + " migrate" + database);
    CHECK(second.exit_code == 0);
    CHECK_THAT(second.out, Catch::Contains("already up to date"));
    CHECK(second.out.find(test::MariaDbServer::kPassword) == std::string::npos);

    const std::string pack = (test::kSourceDir / "config" / "patterns.yaml").string();
    auto imported = test::run(dlpd + " patterns import " + test::quote(pack) + database);
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    CHECK_THAT(imported.out, Catch::Contains("imported " + std::to_string(starter_pack().size()) + " rules") &&
                                 Catch::Contains(std::to_string(starter_pack().size()) + " new"));

    test::TempDir tmp;
    const auto exported = tmp.path() / "exported.yaml";
    CHECK(test::run(dlpd + " patterns export " + test::quote(exported.string()) + database).exit_code == 0);
    auto back = load_rule_pack(exported);
    REQUIRE(back.size() == starter_pack().size());
    for (size_t i = 0; i < back.size(); ++i) CHECK(same_rule(back[i], starter_pack()[i]));
    auto reimport = test::run(dlpd + " patterns import " + test::quote(exported.string()) + database);
    CHECK(reimport.exit_code == 0);
    CHECK_THAT(reimport.out, Catch::Contains("0 new, 0 updated, " + std::to_string(back.size()) + " unchanged"));

    auto store = db.open();
    const int64_t revision = store->rules_revision();

    // One bad rule among good ones: nothing is applied, and the rule is named.
    auto bad = tmp.write("bad.yaml", "rules:\n  - name: brand_new\n    regex: fresh\n"
                                     "  - name: card_visa\n    regex: '4(\\d{15}'\n");
    auto refused = test::run(dlpd + " patterns import " + test::quote(bad.string()) + database);
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("bad.yaml:4: rule 'card_visa': missing )") &&
                                Catch::Contains("nothing was imported"));
    // A failing example refuses the pack too.
    auto failing = tmp.write("ex.yaml", "rules:\n  - name: brand_new\n    regex: fresh\n"
                                        "    examples:\n      match: [stale]\n");
    auto refused2 = test::run(dlpd + " patterns import " + test::quote(failing.string()) + database);
    CHECK(refused2.exit_code == 2);
    CHECK_THAT(refused2.err, Catch::Contains("rule 'brand_new': examples.match[0] is not matched"));
    CHECK(store->rules_revision() == revision);
    CHECK(store->rules().size() == starter_pack().size());
    for (const auto &r : store->rules()) CHECK(r.name != "brand_new");

    if (dialect == "mariadb") {
        auto &server = test::MariaDbServer::instance();
        auto wrong = test::run(dlpd + " migrate --database " +
                               test::quote(server.url(server.fresh_database(), "Wr0ng-pass")));
        CHECK(wrong.exit_code == 2);
        CHECK_THAT(wrong.err, Catch::Contains("Access denied") && Catch::Contains(":***@"));
        CHECK(wrong.err.find("Wr0ng-pass") == std::string::npos);
    }
}

namespace {

// dlpd run in the background, its standard error captured to a file.
class RunningDaemon {
public:
    explicit RunningDaemon(const std::vector<std::string> &args) {
        log_ = dir_.path() / "dlpd.log";
        // The admin on a port the system chooses, so that daemons of tests
        // running side by side do not all ask for 8080.
        const auto config = dir_.write("dlpd.yaml", "admin:\n  listen: 127.0.0.1:0\n");
        std::vector<std::string> argv_text = {(test::kBinDir / "dlpd").string(), "run", "--config", config.string()};
        argv_text.insert(argv_text.end(), args.begin(), args.end());
        std::vector<char *> argv;
        for (auto &a : argv_text) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        posix_spawn_file_actions_addopen(&actions, 2, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        REQUIRE(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
    }
    ~RunningDaemon() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    std::string log() const { return test::slurp(log_); }
    bool log_contains(const std::string &text) const { return log().find(text) != std::string::npos; }
    // SIGTERM, then the exit status (-1 when it did not exit normally).
    int terminate() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

private:
    test::TempDir dir_;
    std::filesystem::path log_;
    pid_t pid_ = 0;
};

}  // namespace

TEST_CASE("dlpd run waits for a database that comes up later, then seeds it and serves", "[store][cli]") {
    auto &server = test::MariaDbServer::instance();
    const std::string name = "late_" + std::to_string(::getpid());
    RunningDaemon daemon({"--database", server.url(name)});
    // The database does not exist yet: dlpd keeps retrying with backoff.
    REQUIRE(eventually([&] { return daemon.log_contains("retrying in"); }));
    CHECK(daemon.log_contains("Unknown database"));
    server.sql("CREATE DATABASE " + name);
    REQUIRE(eventually([&] { return daemon.log_contains("rule revision 1 is in force"); }));
    CHECK(daemon.log_contains("the store had no rules: imported " + std::to_string(starter_pack().size())));
    CHECK(daemon.log_contains("connected to mysql://dlpd_test:***@127.0.0.1:"));
    CHECK(daemon.terminate() == 0);
    const std::string log = daemon.log();
    CHECK_THAT(log, Catch::Contains("stopping on SIGTERM"));
    CHECK(log.find(test::MariaDbServer::kPassword) == std::string::npos);
}

TEST_CASE("dlpd run stops cleanly on SIGTERM while it is still waiting for the database", "[store][cli]") {
    RunningDaemon daemon({"--database", "mysql://nobody:pw-not-shown@127.0.0.1:" +
                                            std::to_string(test::MariaDbServer::free_port()) + "/nothing"});
    REQUIRE(eventually([&] { return daemon.log_contains("retrying in"); }));
    CHECK(daemon.terminate() == 0);
    CHECK(daemon.log().find("pw-not-shown") == std::string::npos);
}

TEST_CASE("dlpd scan --config scans with the rules in the configured store", "[store][cli]") {
    test::TempDir tmp;
    const auto db_file = tmp.path() / "store.db";
    auto config = tmp.write("dlpd.yaml", "database:\n  url: sqlite:" + db_file.string() + "\n");
    const std::string dlpd = test::dlpd_command();
    // No store yet: the pack's rules, with a notice.
    auto before = test::run(dlpd + " scan --config " + test::quote(config.string()) + " -", "AKIAZ4M7QH2RXW5BTJ3K");
    CHECK(before.exit_code == 1);
    CHECK_THAT(before.err, Catch::Contains("no store at"));
    // A store with one rule of its own: that rule, and not the pack's.
    auto pack = tmp.write("one.yaml", "- name: only_in_store\n  regex: xyzzy\n");
    REQUIRE(test::run(dlpd + " patterns import " + test::quote(pack.string()) + " --config " +
                      test::quote(config.string()))
                .exit_code == 0);
    auto after = test::run(dlpd + " scan --format jsonl --config " + test::quote(config.string()) + " -",
                           "xyzzy and AKIAZ4M7QH2RXW5BTJ3K");
    CHECK(after.exit_code == 1);
    CHECK_THAT(after.out, Catch::Contains("\"rule\":\"only_in_store\""));
    CHECK(after.out.find("aws") == std::string::npos);
}

TEST_CASE("the allowlist keeps fingerprints only: seeded once, marked from an incident, removed, all audited",
          "[store][allowlist]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto store = db.open();
    store->migrate();
    CHECK(store->allowlist_revision() == 0);
    CHECK(store->seed_allowlist({"4539 1488 0343 6467", "AKIAZ4M7QH2RXW5BTJ3K", "4539148803436467"}, "seeder") == 2);
    const int64_t seeded_revision = store->allowlist_revision();
    CHECK(seeded_revision > 0);
    // Seeding again adds only what is new (a later pack's values).
    CHECK(store->seed_allowlist({"4539 1488 0343 6467", "AKIAZ4M7QH2RXW5BTJ3K"}, "seeder") == 0);
    CHECK(store->seed_allowlist({"4929 3813 3266 4295", "AKIAZ4M7QH2RXW5BTJ3K"}, "seeder") == 1);
    auto entries = store->allowlist_entries();
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].source == "pack");
    CHECK(store->allowlist_entry_for(store->fingerprint("4539-1488-0343-6467")));

    IncidentInput in;
    in.channel_id = "C0GENERAL1";
    in.rule = "card_visa";
    in.detector = "regex";
    in.severity = "high";
    in.confidence = "high";
    in.match = "4716 1089 9971 6531";
    const int64_t incident = store->record_incident(in);
    CHECK(store->incident(incident)->confidence == "high");
    auto marked = store->mark_false_positive(incident, "alice", "the demo card of our shop");
    REQUIRE(marked);
    CHECK(marked->source == "false_positive");
    CHECK(marked->incident_id == incident);
    CHECK(marked->rule == "card_visa");
    CHECK(marked->created_by == "alice");
    CHECK(marked->fingerprint == store->fingerprint("4716108999716531"));
    CHECK(store->allowlist_revision() > seeded_revision);
    // Marking it again adds nothing; an incident that does not exist gives nothing.
    CHECK(store->mark_false_positive(incident, "bob", "")->id == marked->id);
    CHECK_FALSE(store->mark_false_positive(incident + 1000, "bob", ""));
    CHECK(store->allowlist_entries().size() == 4);

    CHECK(store->remove_allowlist_entry(marked->id, "alice"));
    CHECK_FALSE(store->remove_allowlist_entry(marked->id, "alice"));
    CHECK_FALSE(store->allowlist_entry_for(marked->fingerprint));
    // A removed test value stays removed, whatever the pack says.
    CHECK(store->remove_allowlist_entry(entries[0].id, "alice"));
    CHECK(store->seed_allowlist({"4539 1488 0343 6467"}, "seeder") == 0);
    CHECK(store->allowlist_entries().size() == 2);
    // Marking a removed value a false positive lists it again.
    auto again = store->mark_false_positive(incident, "alice", "after all");
    REQUIRE(again);
    CHECK(again->note == "after all");
    CHECK(store->allowlist_entries().size() == 3);

    std::string actions;
    for (const auto &a : store->audit_log(50)) actions += a.action + " " + a.detail + "\n";
    CHECK_THAT(actions, Catch::Contains("allowlist.seed") && Catch::Contains("allowlist.add marked a false positive") &&
                            Catch::Contains("allowlist.remove false_positive, rule card_visa"));
    if (dialect == "sqlite") {
        const std::string bytes = test::slurp(db.dir.path() / "dlpd.db");
        for (const char *value : {"4716108999716531", "4716 1089 9971 6531", "4539148803436467", "AKIAZ4M7QH2RXW5BTJ3K"})
            CHECK(bytes.find(value) == std::string::npos);
    }
}

TEST_CASE("a rule's detection settings survive the store and an export", "[store]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto store = db.open();
    store->migrate();
    Rule r = make_rule("ssn_bare", R"(\b(\d{9})\b)");
    r.validators = {"us_ssn", "entropy:1.5"};
    r.confidence = "low";
    r.context = {"ssn", "social security"};
    r.context_window = 40;
    r.context_required = true;
    r.allow = {"^000"};
    store->upsert_rules({r}, "tester");
    const int64_t revision = store->rules_revision();
    auto back = store->rules();
    REQUIRE(back.size() == 1);
    CHECK(back[0].validators == r.validators);
    CHECK(back[0].confidence == "low");
    CHECK(back[0].context == r.context);
    CHECK(back[0].context_window == 40);
    CHECK(back[0].context_required);
    CHECK(back[0].allow == r.allow);
    // Saving the same again changes nothing; changing only the context is a change.
    CHECK(store->upsert_rules({r}, "tester").unchanged == 1);
    CHECK(store->rules_revision() == revision);
    r.context.push_back("sozialversicherungsnummer");
    CHECK(store->upsert_rules({r}, "tester").updated == 1);
    CHECK(store->rules()[0].context.size() == 3);
    // A bare match recorded at low confidence instead of dropped.
    r.context_required = false;
    r.confidence_without_context = "low";
    CHECK(store->upsert_rules({r}, "tester").updated == 1);
    CHECK(store->rules()[0].confidence_without_context == "low");
    CHECK_FALSE(store->rules()[0].context_required);
}

namespace {

IncidentInput finding_of(const std::string &event_id, const std::string &rule, const std::string &match) {
    IncidentInput in;
    in.event_id = event_id;
    in.channel_id = "C01";
    in.user_id = "U01";
    in.message_ts = "1712345678.000100";
    in.rule = rule;
    in.detector = "regex";
    in.severity = "high";
    in.match = match;
    return in;
}

size_t incidents_of(Store &store, const std::string &event_id) {
    size_t n = 0;
    for (const auto &i : store.recent_incidents(1000)) n += i.event_id == event_id;
    return n;
}

}  // namespace

TEST_CASE("one incident per event, rule and match: a second record of it gives the first", "[store][journal]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto replica_a = db.open();
    replica_a->migrate();
    auto replica_b = db.open();
    const int64_t first = replica_a->record_incident(finding_of("Ev10", "card_visa", "4539 1488 0343 6467"));
    // The same secret written another way is the same match (one fingerprint).
    CHECK(replica_b->record_incident(finding_of("Ev10", "card_visa", "4539-1488-0343-6467")) == first);
    CHECK(replica_a->record_incident(finding_of("Ev10", "card_visa", "4539148803436467")) == first);
    // Another rule, another event, another match: incidents of their own.
    CHECK(replica_a->record_incident(finding_of("Ev10", "card_any", "4539 1488 0343 6467")) != first);
    CHECK(replica_a->record_incident(finding_of("Ev11", "card_visa", "4539 1488 0343 6467")) != first);
    CHECK(replica_a->record_incident(finding_of("Ev10", "card_visa", "5425 2334 3010 9903")) != first);
    CHECK(incidents_of(*replica_a, "Ev10") == 3);
    // Incidents without an event (none is the same as another) are never merged.
    CHECK(replica_a->record_incident(finding_of("", "card_visa", "4539 1488 0343 6467")) !=
          replica_a->record_incident(finding_of("", "card_visa", "4539 1488 0343 6467")));

    // Two replicas recording the same finding at once: one incident.
    std::vector<int64_t> ids(8);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            ids[t] = (t % 2 ? replica_a : replica_b)->record_incident(finding_of("Ev12", "card_visa", "4539 1488 0343 6467"));
        });
    for (auto &t : threads) t.join();
    CHECK(std::set<int64_t>(ids.begin(), ids.end()).size() == 1);
    CHECK(incidents_of(*replica_a, "Ev12") == 1);
}

TEST_CASE("an event's plan is recorded once with its incidents, and its steps are journaled", "[store][journal]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto replica_a = db.open();
    replica_a->migrate();
    auto replica_b = db.open();
    EventPlan plan;
    plan.plan = R"({"steps":["delete","notify"]})";
    plan.steps = {"delete", "notify"};
    plan.incidents = {finding_of("Ev20", "card_visa", "4539 1488 0343 6467"),
                      finding_of("Ev20", "aws_access_key", "AKIAZ4M7QH2RXW5BTJ3K")};
    CHECK(replica_a->journal("Ev20").empty());
    auto ids = replica_a->record_plan("Ev20", plan);
    REQUIRE(ids);
    REQUIRE(ids->size() == 2);
    // A second attempt (or replica) finds it recorded and writes nothing.
    CHECK_FALSE(replica_b->record_plan("Ev20", plan));
    CHECK(incidents_of(*replica_a, "Ev20") == 2);

    auto journal = replica_b->journal("Ev20");
    REQUIRE(journal.size() == 3);
    CHECK(journal[0].step == "plan");
    CHECK(journal[0].state == "done");
    CHECK(journal[0].detail == plan.plan);
    CHECK(journal[0].result == std::to_string((*ids)[0]) + "," + std::to_string((*ids)[1]));
    for (size_t i = 1; i < 3; ++i) CHECK(journal[i].state == "decided");
    // Nothing secret in the journal.
    for (const auto &st : journal) CHECK(st.detail.find("4539") == std::string::npos);

    replica_a->step_done("Ev20", "delete", "ok", R"({"n":1})");
    replica_a->record_outcome("Ev20", *ids, R"({"delete":"ok","notify":"ok"})");
    journal = replica_b->journal("Ev20");
    std::map<std::string, JournalStep> by_step;
    for (const auto &st : journal) by_step[st.step] = st;
    CHECK(by_step["delete"].state == "done");
    CHECK(by_step["delete"].result == "ok");
    CHECK(by_step["delete"].detail == R"({"n":1})");
    CHECK(by_step["notify"].state == "decided");
    CHECK(by_step["outcome"].state == "done");
    CHECK(replica_b->incident((*ids)[1])->action_results == R"({"delete":"ok","notify":"ok"})");

    // Two replicas planning one event at once: one plan, one set of incidents.
    plan.incidents = {finding_of("Ev21", "card_visa", "4539 1488 0343 6467")};
    std::atomic<int> recorded{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t)
        threads.emplace_back([&, t] {
            if ((t % 2 ? replica_a : replica_b)->record_plan("Ev21", plan)) ++recorded;
        });
    for (auto &t : threads) t.join();
    CHECK(recorded == 1);
    CHECK(incidents_of(*replica_a, "Ev21") == 1);
}

TEST_CASE("pending events are held by their process: taken over when its lease runs out or is let go",
          "[store][journal]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto replica_a = db.open();
    replica_a->migrate();
    auto replica_b = db.open();
    replica_a->set_event_owner("a", 1000);
    replica_b->set_event_owner("b", 60000);
    REQUIRE(replica_a->claim_event("Ev30", R"({"n":30})"));
    REQUIRE(replica_b->claim_event("Ev31", R"({"n":31})"));
    // Held: nobody takes over the other's events, nor its own.
    CHECK(replica_b->take_over_events().empty());
    CHECK(replica_a->take_over_events().empty());
    CHECK(replica_a->renew_event_leases() == 1);
    // a stops renewing (it died): after its lease, b takes Ev30, once.
    std::this_thread::sleep_for(std::chrono::milliseconds(1300));
    auto taken = replica_b->take_over_events();
    REQUIRE(taken.size() == 1);
    CHECK(taken[0].event_id == "Ev30");
    CHECK(taken[0].payload == R"({"n":30})");
    CHECK(taken[0].attempts == 1);
    CHECK(replica_b->take_over_events().empty());
    CHECK(replica_a->take_over_events().empty());  // b holds both now (b's lease is a minute)
    // b stops gracefully: it lets go, and a restart (a new name) takes both at once.
    CHECK(replica_b->release_event_leases() == 2);
    auto restart = db.open();
    restart->set_event_owner("b2", 60000);
    CHECK(restart->take_over_events().size() == 2);
    restart->finish_event("Ev30", "done");
    restart->finish_event("Ev31", "done");
    CHECK(restart->pending_events().empty());
}

TEST_CASE("a file is claimed by the first event that shares it, and again by that event when it resumes",
          "[store][journal]") {
    const std::string dialect = GENERATE(std::string("sqlite"), std::string("mariadb"));
    INFO(dialect);
    TestDatabase db(dialect);
    auto store = db.open();
    store->migrate();
    CHECK(store->claim_file("file:F01:C01", "Ev40"));
    CHECK(store->claim_file("file:F01:C01", "Ev40"));   // the same event, resumed
    CHECK_FALSE(store->claim_file("file:F01:C01", "Ev41"));  // file_shared for the same file
    CHECK(store->claim_file("file:F01:C02", "Ev41"));   // shared again in another channel
    CHECK(store->pending_events().empty());  // a claim is never resumed as an event
}
