// dlpd.yaml: the schema's defaults, every kind of problem named with file,
// line and key, ${VAR} substitution, secrets kept out of messages, plugin
// settings checked against the real regex plugin's schema, the shipped
// config/dlpd.yaml, and `dlpd scan|run --config` end to end.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <set>

#include "config/config.hpp"
#include "runtime/engine_setup.hpp"
#include "engine/plugin_registry.hpp"
#include "engine/scan_engine.hpp"
#include "test_support.hpp"

using namespace dlpd;
using test::run;

namespace {

std::vector<std::string> problems_of(const std::string &yaml, const std::string &file = "/etc/dlpd/dlpd.yaml") {
    try {
        parse_config(yaml, file);
    } catch (const ConfigError &e) {
        return e.problems();
    }
    return {};
}

// Sets (or unsets, with nullopt) an environment variable for the life of
// the object, then puts back what was there.
class ScopedEnv {
public:
    ScopedEnv(std::string name, const std::optional<std::string> &value) : name_(std::move(name)) {
        if (const char *old = std::getenv(name_.c_str())) old_ = old;
        if (value)
            ::setenv(name_.c_str(), value->c_str(), 1);
        else
            ::unsetenv(name_.c_str());
    }
    ~ScopedEnv() {
        if (old_)
            ::setenv(name_.c_str(), old_->c_str(), 1);
        else
            ::unsetenv(name_.c_str());
    }
    ScopedEnv(const ScopedEnv &) = delete;
    ScopedEnv &operator=(const ScopedEnv &) = delete;

private:
    std::string name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("the built-in defaults are the agreed ones", "[config]") {
    const Config c;
    CHECK(c.log.level == LogLevel::info);
    CHECK(c.plugins.dirs.empty());
    CHECK(c.plugins.settings.empty());
    CHECK(c.engine.max_item_bytes == 268435456);
    CHECK(c.engine.max_depth == 8);
    CHECK(c.engine.max_findings_per_item == 10000);
    CHECK(c.rules.pack.empty());
    CHECK(c.rules.poll_seconds == 2);
    CHECK(c.database.url == "sqlite:dlpd.db");
    CHECK(c.database.pool_size == 8);
    CHECK(c.database.connect_timeout_seconds == 5);
    CHECK(c.database.store_message_text);
    CHECK(c.database.key_file.empty());
    CHECK(c.database.message_text_days == 30);
    CHECK(c.slack.mode == "socket");
    CHECK(c.slack.api_url == "https://slack.com/api/");
    CHECK(c.slack.app_token.empty());
    CHECK(c.slack.bot_token.empty());
    CHECK(c.slack.user_token.empty());
    CHECK(c.slack.signing_secret.empty());
    CHECK(c.slack.connections == 1);
    CHECK(c.slack.http_listen == "127.0.0.1:3000");
    CHECK(c.admin.listen == "127.0.0.1:8080");
    CHECK(c.admin.tls_cert.empty());
    CHECK(c.admin.tls_key.empty());
    CHECK(c.admin.max_request_bytes == 1048576);
    CHECK(c.admin.session_idle_minutes == 30);
    CHECK(c.admin.sign_in_first_delay_ms == 1000);
    CHECK(c.admin.sign_in_max_failures_per_address == 20);
    CHECK(c.admin.page_size == 50);
    CHECK(c.where("database.url") == "built-in defaults");
    // The engine's own defaults (used without a configuration) agree.
    const EngineLimits engine;
    CHECK(static_cast<uint64_t>(c.engine.max_item_bytes) == engine.max_item_bytes);
    CHECK(static_cast<uint64_t>(c.engine.max_depth) == engine.max_depth);
    CHECK(static_cast<uint64_t>(c.engine.max_findings_per_item) == engine.max_findings_per_item);
}

TEST_CASE("every key of the schema is section.key, described, and its default passes its own checks", "[config]") {
    std::set<std::string_view> paths;
    for (const auto &spec : config_schema()) {
        INFO(spec.path);
        CHECK(std::count(spec.path.begin(), spec.path.end(), '.') == 1);
        CHECK(paths.insert(spec.path).second);
        CHECK_FALSE(spec.description.empty());
        CHECK_FALSE(config_type_description(spec).empty());
    }
    CHECK(paths.size() == 78);
    CHECK_NOTHROW(Config{});
    // An empty file, or one of comments, is all defaults.
    CHECK(parse_config("", "x.yaml") == Config{});
    CHECK(parse_config("# nothing\n", "x.yaml") == Config{});
    CHECK(parse_config("log:\nslack:\n", "x.yaml") == Config{});
}

TEST_CASE("a file sets typed values and relative paths resolve against the file's folder", "[config]") {
    const Config c = parse_config(R"(log:
  level: debug
plugins:
  dirs: [plugins, /opt/dlpd/plugins]
  settings:
    regex:
      max_mem_mb: 1024
      simplify_set: false
    filetype:
      formats: [pdf, docx]
    luhn:
engine:
  max_item_bytes: 1000
  max_depth: 0
  max_findings_per_item: 5
rules:
  pack: packs/mine.yaml
  poll_seconds: 3600
database:
  url: mysql://dlpd:pw@db.internal:3307/dlpd
  pool_size: 64
  connect_timeout_seconds: 1
  store_message_text: true
slack:
  mode: http
  api_url: http://127.0.0.1:9999/api/
  app_token: xapp-1
  bot_token: xoxb-2
  user_token: xoxp-3
  signing_secret: s3
  connections: 10
  http_listen: 0.0.0.0:3001
admin:
  listen: '[::1]:0'
  tls_cert: tls/cert.pem
  tls_key: /etc/ssl/key.pem
)",
                                  "/etc/dlpd/dlpd.yaml");
    CHECK(c.log.level == LogLevel::debug);
    CHECK(c.plugins.dirs == std::vector<std::filesystem::path>{"/etc/dlpd/plugins", "/opt/dlpd/plugins"});
    CHECK(c.plugins.settings.at("regex") == PluginSettings{{"max_mem_mb", {"1024"}}, {"simplify_set", {"false"}}});
    CHECK(c.plugins.settings.at("filetype").at("formats") == std::vector<std::string>{"pdf", "docx"});
    CHECK(c.plugins.settings.at("luhn").empty());
    CHECK(c.engine.max_item_bytes == 1000);
    CHECK(c.engine.max_depth == 0);
    CHECK(c.engine.max_findings_per_item == 5);
    CHECK(c.rules.pack == "/etc/dlpd/packs/mine.yaml");
    CHECK(c.rules.poll_seconds == 3600);
    CHECK(c.database.url == "mysql://dlpd:pw@db.internal:3307/dlpd");
    CHECK(c.database.pool_size == 64);
    CHECK(c.database.connect_timeout_seconds == 1);
    CHECK(c.database.store_message_text);
    CHECK(c.slack.mode == "http");
    CHECK(c.slack.api_url == "http://127.0.0.1:9999/api/");
    CHECK(c.slack.app_token == "xapp-1");
    CHECK(c.slack.bot_token == "xoxb-2");
    CHECK(c.slack.user_token == "xoxp-3");
    CHECK(c.slack.signing_secret == "s3");
    CHECK(c.slack.connections == 10);
    CHECK(c.slack.http_listen == "0.0.0.0:3001");
    CHECK(c.admin.listen == "[::1]:0");
    CHECK(c.admin.tls_cert == "/etc/dlpd/tls/cert.pem");
    CHECK(c.admin.tls_key == "/etc/ssl/key.pem");
    // Where each value came from, for messages about it later.
    CHECK(c.where("database.url") == "/etc/dlpd/dlpd.yaml:20");
    CHECK(c.where("plugins.settings.regex.simplify_set") == "/etc/dlpd/dlpd.yaml:8");
    CHECK(c.where("plugins.settings.luhn") == "/etc/dlpd/dlpd.yaml:11");
    CHECK(c.file == "/etc/dlpd/dlpd.yaml");
    CHECK_FALSE(c == Config{});
    // The sqlite path stays relative to the working directory.
    CHECK(parse_config("database:\n  url: sqlite:data/dlpd.db\n", "/etc/dlpd/dlpd.yaml").database.url ==
          "sqlite:data/dlpd.db");
    // A config file named without a folder keeps relative paths relative.
    CHECK(parse_config("rules:\n  pack: mine.yaml\n", "dlpd.yaml").rules.pack == "mine.yaml");
}

TEST_CASE("an unknown key is named with file and line, and the known keys are listed", "[config]") {
    auto p = problems_of(R"(log:
  level: info
databse:
  url: sqlite:x.db
database:
  pool: 3
  colour: red
)");
    REQUIRE(p.size() == 3);
    CHECK(p[0] ==
          "/etc/dlpd/dlpd.yaml:3: key 'databse': unknown key (did you mean 'database'? known sections: log, "
          "plugins, engine, rules, database, slack, policy, admin, metrics)");
    CHECK(p[1] ==
          "/etc/dlpd/dlpd.yaml:6: key 'database.pool': unknown key (known keys of database: url, pool_size, "
          "connect_timeout_seconds, store_message_text, key_file, message_text_days)");
    CHECK(p[2] ==
          "/etc/dlpd/dlpd.yaml:7: key 'database.colour': unknown key (known keys of database: url, "
          "pool_size, connect_timeout_seconds, store_message_text, key_file, message_text_days)");
    CHECK_THAT(problems_of("slack:\n  bot_tokn: x\n")[0],
               Catch::Contains("key 'slack.bot_tokn': unknown key (did you mean 'bot_token'?"));
}

TEST_CASE("a value of the wrong type names the type it must be", "[config]") {
    auto p = problems_of(R"(engine:
  max_depth: eight
  max_item_bytes: [1, 2]
database:
  store_message_text: yes
log:
  level: verbose
slack:
  mode: rtm
  app_token: {a: b}
plugins:
  dirs: /opt/plugins
rules: [a]
)");
    REQUIRE(p.size() == 8);
    CHECK(p[0] == "/etc/dlpd/dlpd.yaml:2: key 'engine.max_depth': must be an integer between 0 and 64, not 'eight'");
    CHECK(p[1] ==
          "/etc/dlpd/dlpd.yaml:3: key 'engine.max_item_bytes': must be an integer between 1 and "
          "1099511627776, not a list");
    CHECK(p[2] == "/etc/dlpd/dlpd.yaml:5: key 'database.store_message_text': must be true or false, not 'yes'");
    CHECK(p[3] == "/etc/dlpd/dlpd.yaml:7: key 'log.level': must be one of debug, info, warning, error, not 'verbose'");
    CHECK(p[4] == "/etc/dlpd/dlpd.yaml:9: key 'slack.mode': must be one of socket, http, not 'rtm'");
    CHECK(p[5] == "/etc/dlpd/dlpd.yaml:10: key 'slack.app_token': must be a string, not a mapping");
    CHECK(p[6] == "/etc/dlpd/dlpd.yaml:12: key 'plugins.dirs': must be a list of folders, not a single value");
    CHECK(p[7] == "/etc/dlpd/dlpd.yaml:13: key 'rules': must be a mapping of keys (pack, poll_seconds), not a list");
    CHECK(problems_of("- a\n- b\n") ==
          std::vector<std::string>{"/etc/dlpd/dlpd.yaml:1: the configuration must be a mapping of sections (log, "
                                   "plugins, engine, rules, database, slack, policy, admin, metrics), not a list"});
}

TEST_CASE("a key with no value is a missing value, a duplicate key is refused", "[config]") {
    auto p = problems_of(R"(database:
  url:
  pool_size: ~
engine:
  max_depth: 2
  max_depth: 3
plugins:
  dirs: [a, '']
)");
    REQUIRE(p.size() == 4);
    CHECK(p[0] ==
          "/etc/dlpd/dlpd.yaml:2: key 'database.url': missing value: expected a string (leave the key out to "
          "use the default)");
    CHECK(p[1] ==
          "/etc/dlpd/dlpd.yaml:3: key 'database.pool_size': missing value: expected an integer between 1 and "
          "64 (leave the key out to use the default)");
    CHECK(p[2] == "/etc/dlpd/dlpd.yaml:6: key 'engine.max_depth': given twice (first on line 5)");
    CHECK(p[3] == "/etc/dlpd/dlpd.yaml:8: key 'plugins.dirs': an empty folder name");
}

TEST_CASE("a value out of range names the range", "[config]") {
    auto p = problems_of(R"(rules:
  poll_seconds: 0
database:
  pool_size: 65
  connect_timeout_seconds: 301
slack:
  connections: 11
engine:
  max_depth: -1
)");
    REQUIRE(p.size() == 5);
    CHECK(p[0] == "/etc/dlpd/dlpd.yaml:2: key 'rules.poll_seconds': must be between 1 and 3600, not 0");
    CHECK(p[1] == "/etc/dlpd/dlpd.yaml:4: key 'database.pool_size': must be between 1 and 64, not 65");
    CHECK(p[2] == "/etc/dlpd/dlpd.yaml:5: key 'database.connect_timeout_seconds': must be between 1 and 300, not 301");
    CHECK(p[3] == "/etc/dlpd/dlpd.yaml:7: key 'slack.connections': must be between 1 and 10, not 11");
    CHECK(p[4] == "/etc/dlpd/dlpd.yaml:9: key 'engine.max_depth': must be between 0 and 64, not -1");
    CHECK_THAT(problems_of("engine:\n  max_item_bytes: 99999999999999999999\n")[0],
               Catch::Contains(":2: key 'engine.max_item_bytes': must be an integer between"));
}

TEST_CASE("addresses, URLs and the TLS pair are checked for shape", "[config]") {
    auto p = problems_of(R"(slack:
  api_url: https://slack.com/api
  http_listen: localhost
admin:
  listen: ':8080'
  tls_key: key.pem
database:
  url: postgres://x
)");
    REQUIRE(p.size() == 5);
    CHECK(p[0] ==
          "/etc/dlpd/dlpd.yaml:2: key 'slack.api_url': 'https://slack.com/api' must start with http:// or "
          "https://, name a host, and end with / (for example https://slack.com/api/)");
    CHECK(p[1] ==
          "/etc/dlpd/dlpd.yaml:3: key 'slack.http_listen': 'localhost' is not HOST:PORT (for example "
          "127.0.0.1:8080)");
    CHECK(p[2] ==
          "/etc/dlpd/dlpd.yaml:5: key 'admin.listen': ':8080' is not HOST:PORT (for example 127.0.0.1:8080); "
          "to listen on every address, write 0.0.0.0:PORT");
    CHECK(p[3] == "/etc/dlpd/dlpd.yaml:8: key 'database.url': database.url must start with sqlite: or mysql://");
    CHECK(p[4] ==
          "/etc/dlpd/dlpd.yaml:6: key 'admin.tls_key': admin.tls_cert is not set: give both admin.tls_cert "
          "and admin.tls_key, or neither");
    CHECK(problems_of("slack:\n  api_url: ftp://x/\n").size() == 1);
    CHECK(problems_of("admin:\n  listen: 127.0.0.1:65536\n").size() == 1);
    CHECK(problems_of("admin:\n  listen: '[::]:443'\nslack:\n  api_url: http://localhost:1/\n").empty());
}

TEST_CASE("metrics.listen is off by default and, when set, must be HOST:PORT", "[config]") {
    CHECK(Config{}.metrics.listen.empty());
    CHECK(parse_config("metrics:\n  listen: 127.0.0.1:9464\n", "x.yaml").metrics.listen == "127.0.0.1:9464");
    CHECK(problems_of("metrics:\n  listen: ''\n").empty());
    const auto p = problems_of("metrics:\n  listen: 9464\n");
    REQUIRE(p.size() == 1);
    CHECK(p[0] == "/etc/dlpd/dlpd.yaml:2: key 'metrics.listen': '9464' is not HOST:PORT (for example 127.0.0.1:8080)");
    CHECK_THAT(problems_of("metrics:\n  listen: 127.0.0.1:99999\n")[0],
               Catch::Contains("key 'metrics.listen': the port of '127.0.0.1:99999' is not a number from 0 to 65535"));
}

TEST_CASE("policy action lists are checked word by word", "[config]") {
    auto p = problems_of("policy:\n  actions: delete,notify\n  actions_high: delete, shred\n  notice: loud\n");
    REQUIRE(p.size() == 2);
    CHECK(p[0] == "/etc/dlpd/dlpd.yaml:3: key 'policy.actions_high': unknown action 'shred' (expected delete, notify, "
                  "alert, dry_run or none)");
    CHECK(p[1].find("/etc/dlpd/dlpd.yaml:4: key 'policy.notice'") == 0);
    CHECK(problems_of("policy:\n  actions: dry_run\n  actions_low: none\n").empty());
}

TEST_CASE("every problem in a file is reported, in file order", "[config]") {
    auto p = problems_of(R"(log:
  level: loud
engine:
  max_depth: 100
  colour: red
database:
  pool_size: x
slack:
  connections: 0
)");
    REQUIRE(p.size() == 5);
    CHECK_THAT(p[0], Catch::StartsWith("/etc/dlpd/dlpd.yaml:2: key 'log.level': "));
    CHECK_THAT(p[1], Catch::StartsWith("/etc/dlpd/dlpd.yaml:4: key 'engine.max_depth': "));
    CHECK_THAT(p[2], Catch::StartsWith("/etc/dlpd/dlpd.yaml:5: key 'engine.colour': "));
    CHECK_THAT(p[3], Catch::StartsWith("/etc/dlpd/dlpd.yaml:7: key 'database.pool_size': "));
    CHECK_THAT(p[4], Catch::StartsWith("/etc/dlpd/dlpd.yaml:9: key 'slack.connections': "));
    try {
        parse_config("log:\n  level: loud\nengine:\n  max_depth: 100\n", "c.yaml");
        FAIL("no error");
    } catch (const ConfigError &e) {
        CHECK(std::string(e.what()) == e.problems()[0] + "\n" + e.problems()[1]);
    }
}

TEST_CASE("invalid YAML names the file, line, column and the key it is in", "[config]") {
    auto p = problems_of("database:\n  url: sqlite:x.db\n  pool_size: [1\n  connect_timeout_seconds: 2\n");
    REQUIRE(p.size() == 1);
    CHECK(p[0] ==
          "/etc/dlpd/dlpd.yaml:4:26: invalid YAML near key 'database.pool_size': end of sequence flow not "
          "found");
    p = problems_of("log:\n  level: info\n bad: indent\n");
    REQUIRE(p.size() == 1);
    CHECK_THAT(p[0],
               Catch::StartsWith("/etc/dlpd/dlpd.yaml:3:") && Catch::Contains("invalid YAML near key 'log.level'"));
    p = problems_of("slack: mode: socket\n");
    REQUIRE(p.size() == 1);
    CHECK(p[0] == "/etc/dlpd/dlpd.yaml:1:12: invalid YAML near key 'slack': illegal map value");
}

TEST_CASE("a missing file is an error naming it", "[config]") {
    try {
        load_config("/nonexistent/dlpd.yaml");
        FAIL("no error");
    } catch (const ConfigError &e) {
        CHECK(e.problems() == std::vector<std::string>{"/nonexistent/dlpd.yaml: cannot read the configuration file"});
    }
}

TEST_CASE("${VAR} is substituted in values: unset is an error, :- gives a default, $$ is a $", "[config]") {
    ScopedEnv set("DLPD_TEST_SET", std::string("xoxb-from-env"));
    ScopedEnv empty("DLPD_TEST_EMPTY", std::string(""));
    ScopedEnv unset("DLPD_TEST_UNSET", std::nullopt);
    ScopedEnv port("DLPD_TEST_PORT", std::string("9090"));

    const Config c = parse_config(R"(slack:
  bot_token: ${DLPD_TEST_SET}
  app_token: ${DLPD_TEST_UNSET:-fallback}
  user_token: ${DLPD_TEST_EMPTY:-used-when-empty}
  signing_secret: a$$b${DLPD_TEST_EMPTY}c$d
admin:
  listen: 127.0.0.1:${DLPD_TEST_PORT}
engine:
  max_depth: ${DLPD_TEST_UNSET:-3}
plugins:
  settings:
    regex:
      prefilter: ${DLPD_TEST_UNSET:-none}
)",
                                  "c.yaml");
    CHECK(c.slack.bot_token == "xoxb-from-env");
    CHECK(c.slack.app_token == "fallback");
    CHECK(c.slack.user_token == "used-when-empty");
    CHECK(c.slack.signing_secret == "a$bc$d");
    CHECK(c.admin.listen == "127.0.0.1:9090");
    CHECK(c.engine.max_depth == 3);
    CHECK(c.plugins.settings.at("regex").at("prefilter") == std::vector<std::string>{"none"});
    // A key name is not substituted.
    CHECK(problems_of("${DLPD_TEST_SET}: 1\n").size() == 1);

    auto p = problems_of(R"(slack:
  bot_token: ${DLPD_TEST_UNSET}
  app_token: ${DLPD_TEST_SET
  user_token: ${}
  signing_secret: ${DLPD_TEST_SET-x}
plugins:
  dirs: [ok, '${DLPD_TEST_UNSET}']
)",
                         "c.yaml");
    REQUIRE(p.size() == 5);
    CHECK(p[0] ==
          "c.yaml:2: key 'slack.bot_token': the environment variable DLPD_TEST_UNSET is not set (write "
          "${DLPD_TEST_UNSET:-} to default to empty)");
    CHECK(p[1] == "c.yaml:3: key 'slack.app_token': '${' without a closing '}' (write $$ for a literal $)");
    CHECK(p[2] ==
          "c.yaml:4: key 'slack.user_token': '${' must be followed by an environment variable name "
          "([A-Za-z_][A-Za-z0-9_]*)");
    CHECK(p[3] ==
          "c.yaml:5: key 'slack.signing_secret': in ${DLPD_TEST_SET...}, only ':-default' may follow the "
          "variable name");
    CHECK(p[4] ==
          "c.yaml:7: key 'plugins.dirs': the environment variable DLPD_TEST_UNSET is not set (write "
          "${DLPD_TEST_UNSET:-} to default to empty)");
}

TEST_CASE("secrets never appear in a message", "[config]") {
    const std::string password = "Hunter2-Pa55";
    ScopedEnv token("DLPD_TEST_TOKEN", std::string("xoxb-" + password));
    ScopedEnv pw("DLPD_TEST_DB_PASSWORD", password);
    const std::vector<std::string> broken = {
        "database:\n  url: mysql://dlpd:" + password + "@db:port/dlpd\n",
        "database:\n  url: mysql://dlpd:" + password + "@db:3306\n",
        "database:\n  url: mysql://dlpd:" + password + "@:3306/dlpd\n",
        "database:\n  url: mysql://:" + password + "@db/dlpd\n",
        "database:\n  url: mysql://dlpd:" + password + "%zz@db/dlpd\n",
        "database:\n  url: mysql://dlpd:" + password + ";x@db/dlpd\n",
        "database:\n  url: mysq://dlpd:" + password + "@db/dlpd\n",
        "database:\n  url: mysql://dlpd:${DLPD_TEST_DB_PASSWORD}@db:0/dlpd\n",
        "database:\n  url: [mysql://dlpd:" + password + "@db/dlpd]\n",
        "database:\n  url: " + password + "\n",
        "database:\n  url: mysql://dlpd:" + password + "@db/dlpd\n  colour: 1\n  pool_size: 0\n",
        "slack:\n  bot_token: {" + password + ": 1}\n",
        "slack:\n  mode: ${DLPD_TEST_TOKEN}\n",
        "slack:\n  connections: ${DLPD_TEST_TOKEN}\n",
        "slack:\n  api_url: ${DLPD_TEST_TOKEN}\n",
        "admin:\n  listen: ${DLPD_TEST_TOKEN}\n",
    };
    for (const auto &yaml : broken) {
        INFO(yaml);
        const auto p = problems_of(yaml);
        REQUIRE_FALSE(p.empty());
        for (const auto &line : p) {
            INFO(line);
            CHECK(line.find(password) == std::string::npos);
        }
    }
    // The value as written in the file is shown instead of what it became.
    CHECK(problems_of("slack:\n  connections: ${DLPD_TEST_TOKEN}\n")[0] ==
          "/etc/dlpd/dlpd.yaml:2: key 'slack.connections': must be an integer between 1 and 10, not "
          "'${DLPD_TEST_TOKEN}'");
}

TEST_CASE("plugin settings are checked against the schema each loaded plugin declares", "[config]") {
    PluginRegistry registry;
    registry.load_directory(test::kPluginDir);
    REQUIRE(registry.find_by_name("regex") != nullptr);

    const Config good = parse_config(
        "plugins:\n  settings:\n    regex:\n      max_mem_mb: 512\n      simplify_set: false\n    luhn:\n", "c.yaml");
    CHECK(check_plugin_settings(good, registry).empty());

    const Config bad = parse_config(R"(plugins:
  settings:
    regex:
      max_mem_mb: 0
      colour: red
      simplify_set: maybe
      chunk_bytes: [1, 2]
    regx:
      max_mem_mb: 1
)",
                                    "/etc/dlpd/dlpd.yaml");
    const auto p = check_plugin_settings(bad, registry);
    REQUIRE(p.size() == 5);
    CHECK(p[0] == "/etc/dlpd/dlpd.yaml:4: key 'plugins.settings.regex.max_mem_mb': must be between 1 and 65536, not 0");
    CHECK_THAT(p[1], Catch::StartsWith("/etc/dlpd/dlpd.yaml:5: key 'plugins.settings.regex.colour': unknown key "
                                       "(known keys of plugin regex: max_mem_mb, rule_max_mem_mb, chunk_bytes,"));
    CHECK(p[2] ==
          "/etc/dlpd/dlpd.yaml:6: key 'plugins.settings.regex.simplify_set': must be true or false, not "
          "'maybe'");
    CHECK(p[3] == "/etc/dlpd/dlpd.yaml:7: key 'plugins.settings.regex.chunk_bytes': takes one integer value");
    CHECK_THAT(p[4], Catch::StartsWith("/etc/dlpd/dlpd.yaml:8: key 'plugins.settings.regx': unknown plugin (did you "
                                       "mean 'regex'? loaded plugins: ") &&
                         Catch::Contains("regex"));

    // The shape of the section is checked when the file is read.
    auto shape = problems_of("plugins:\n  settings:\n    regex: 5\n    luhn:\n      a: {b: c}\n");
    REQUIRE(shape.size() == 2);
    CHECK(shape[0] ==
          "/etc/dlpd/dlpd.yaml:3: key 'plugins.settings.regex': must be a mapping of the plugin's keys to "
          "values, not a single value");
    CHECK(shape[1] ==
          "/etc/dlpd/dlpd.yaml:5: key 'plugins.settings.luhn.a': must be a value or a list of values, "
          "not a mapping");
}

TEST_CASE("the engine set-up takes plugins, settings, limits and the pack from the configuration", "[config]") {
    test::TempDir tmp;
    tmp.write("packs/p.yaml", "rules:\n  - name: kw\n    regex: 'needle'\n");
    const Config config = parse_config("plugins:\n  dirs: ['" + test::kPluginDir.string() +
                                           "']\nengine:\n  max_item_bytes: 10\nrules:\n  pack: packs/p.yaml\n",
                                       tmp.path() / "dlpd.yaml");
    SetupOptions options;
    options.config = &config;
    auto setup = set_up_engine(options);
    REQUIRE(setup->errors.empty());
    CHECK(setup->patterns_file == tmp.path() / "packs/p.yaml");
    CHECK(setup->rules.size() == 1);
    CHECK(setup->engine->scan("needle", "a").findings.size() == 1);
    auto big = setup->engine->scan("needle needle", "b");
    CHECK(big.findings.empty());
    REQUIRE(big.diagnostics.size() == 1);
    CHECK_THAT(big.diagnostics[0].message, Catch::Contains("max_item_bytes (10)"));

    // The command line wins over the file.
    const Config unknown_plugin_dir = parse_config("plugins:\n  dirs: [/nonexistent]\n", tmp.path() / "dlpd.yaml");
    options.config = &unknown_plugin_dir;
    options.plugin_dirs = {test::kPluginDir};
    options.patterns = tmp.path() / "packs/p.yaml";
    CHECK(set_up_engine(options)->errors.empty());
}

TEST_CASE("the configuration's log level applies to the process", "[config]") {
    test::TempDir tmp;
    const auto file = tmp.write("dlpd.yaml", "log:\n  level: warning\n");
    test::LogCapture capture;
    const Config config = load_command_config(file);
    CHECK(config.log.level == LogLevel::warning);
    log(LogLevel::info, "test", "hidden");
    log(LogLevel::warning, "test", "shown");
    set_min_log_level(LogLevel::info);
    CHECK(capture.all() == "test: shown\n");
    CHECK(load_command_config(std::nullopt) == Config{});
}

TEST_CASE("the shipped config/dlpd.yaml documents every key at its built-in default", "[config]") {
    // The file takes the Slack secrets from the environment, empty when unset.
    ScopedEnv a("SLACK_APP_TOKEN", std::nullopt), b("SLACK_BOT_TOKEN", std::nullopt),
        u("SLACK_USER_TOKEN", std::nullopt), s("SLACK_SIGNING_SECRET", std::nullopt);
    for (const auto &file :
         {test::kSourceDir / "config" / "dlpd.yaml", test::kBinDir / ".." / "share" / "dlpd" / "dlpd.yaml"}) {
        INFO(file);
        const Config shipped = load_config(file);
        CHECK(shipped == Config{});
        // Every key is written out (not left to its default), so it is documented.
        for (const auto &spec : config_schema()) {
            INFO(spec.path);
            CHECK(shipped.lines.count(spec.path) == 1);
        }
    }
    ScopedEnv token("SLACK_BOT_TOKEN", std::string("xoxb-1"));
    CHECK(load_config(test::kSourceDir / "config" / "dlpd.yaml").slack.bot_token == "xoxb-1");
}

TEST_CASE("dlpd scan --config: plugin settings reach the plugin, --set overrides them, problems exit 2",
          "[config][cli]") {
    test::TempDir tmp;
    std::string pack = "rules:\n";
    for (int i = 0; i < 300; ++i)
        pack += "  - name: r" + std::to_string(i) + "\n    regex: '(?i)[\\w.-]{0,50}?kw" + std::to_string(i) +
                "[ \\t\\w.-]{0,20}[=:]([a-z0-9_-]{32})'\n";
    tmp.write("big.yaml", pack);
    const auto tight = tmp.write("tight.yaml", R"(# a regex budget too small for 300 unsimplified rules
rules:
  pack: big.yaml
plugins:
  settings:
    regex:
      max_mem_mb: 1
      simplify_set: false
)");
    const std::string scan = test::dlpd_command() + " scan --config " + test::quote(tight.string()) + " ";
    auto r = run(scan + "-", "nothing");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("exceed the regex memory budget (max_mem_mb=1)"));
    r = run(scan + "--set regex.max_mem_mb=256 --set regex.simplify_set=true -", "nothing");
    INFO(r.err);
    CHECK(r.exit_code == 0);

    const auto broken = tmp.write("broken.yaml", R"(engine:
  max_depth: deep
plugins:
  settings:
    regex:
      colour: red
)");
    r = run(test::dlpd_command() + " scan --config " + test::quote(broken.string()) + " -", "nothing");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("dlpd: error: " + broken.string() +
                                      ":2: key 'engine.max_depth': must be an integer between 0 and 64, not 'deep'"));
    const auto unknown = tmp.write("unknown.yaml", "plugins:\n  settings:\n    regex:\n      colour: red\n");
    r = run(test::dlpd_command() + " scan --config " + test::quote(unknown.string()) + " -", "nothing");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("dlpd: error: " + unknown.string() +
                                      ":4: key 'plugins.settings.regex.colour': unknown key"));
    CHECK_THAT(r.err, !Catch::Contains("for plugin regex"));  // not repeated by the engine without a line
    const auto bad_yaml = tmp.write("bad.yaml", "engine:\n  max_depth: [1\n");
    r = run(test::dlpd_command() + " scan --config " + test::quote(bad_yaml.string()) + " -", "nothing");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(bad_yaml.string() + ":3:1: invalid YAML near key 'engine.max_depth'"));
}

TEST_CASE("dlpd scan --config: the rule pack resolves against the file's folder and --patterns overrides it",
          "[config][cli]") {
    test::TempDir tmp;
    tmp.write("conf/packs/aws.yaml", "rules:\n  - name: aws\n    regex: '\\b(AKIA[0-9A-Z]{16})\\b'\n");
    tmp.write("other.yaml", "rules:\n  - name: other\n    regex: 'zzzz'\n");
    const auto config =
        tmp.write("conf/dlpd.yaml", "rules:\n  pack: packs/aws.yaml\nengine:\n  max_findings_per_item: 1\n");
    const std::string scan =
        test::dlpd_command() + " scan --format jsonl --config " + test::quote(config.string()) + " ";
    auto r = run(scan + "-", "AKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPL2\n");
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("\"rule\":\"aws\"") && Catch::Contains("max_findings_per_item (1)"));
    r = run(scan + "--patterns " + test::quote((tmp.path() / "other.yaml").string()) + " -", "AKIAIOSFODNN7EXAMPLE\n");
    CHECK(r.exit_code == 0);
}

TEST_CASE("dlpd run --config refuses a broken file with file, line and key", "[config][cli]") {
    test::TempDir tmp;
    const auto broken = tmp.write("dlpd.yaml", "database:\n  pool_size: 0\n  url: mysql://u:Hunter2@db:x/d\n");
    auto r = run(test::dlpd_command() + " run --config " + test::quote(broken.string()));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(broken.string() + ":2: key 'database.pool_size': must be between 1 and 64") &&
                          Catch::Contains(broken.string() + ":3: key 'database.url': "));
    CHECK_THAT(r.err, !Catch::Contains("Hunter2"));
}

TEST_CASE("engine limits from the file reach the engine", "[config]") {
    test::TempDir tmp;
    auto file = tmp.write("dlpd.yaml", "engine:\n  max_findings_per_item: 2\n  max_item_seconds: 0\n"
                                       "  max_extracted_bytes: 4096\n");
    auto pack = tmp.write("p.yaml", "- name: d\n  regex: '\\bd\\d\\b'\n");
    auto r = test::run(test::dlpd_command() + " scan --format jsonl --config " + test::quote(file.string()) +
                           " --patterns " + test::quote(pack.string()) + " -",
                       "d1 d2 d3 d4");
    CHECK(r.exit_code == 1);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);  // two findings and one diagnostic
    CHECK_THAT(r.out, Catch::Contains("max_findings_per_item (2)"));
    auto bad = tmp.write("bad.yaml", "engine:\n  max_item_seconds: -1\n");
    auto refused = test::run(test::dlpd_command() + " scan --config " + test::quote(bad.string()) + " -", "x");
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("bad.yaml:2: key 'engine.max_item_seconds'"));
}


TEST_CASE("Slack secrets and the database URL come from the environment when the file names none", "[config]") {
    ScopedEnv app("SLACK_APP_TOKEN", std::string("xapp-1-from-env")), bot("SLACK_BOT_TOKEN", std::string("xoxb-from-env")),
        user("SLACK_USER_TOKEN", std::string("xoxp-from-env")), secret("SLACK_SIGNING_SECRET", std::string("s3cr3t")),
        db("DLPD_DATABASE_URL", std::string("mysql://dlpd:pw@db.internal:3306/dlpd"));
    // A small file of one's own that mentions neither.
    const Config c = parse_config("admin:\n  listen: 127.0.0.1:9090\n", "/etc/dlpd/mine.yaml");
    CHECK(c.slack.app_token == "xapp-1-from-env");
    CHECK(c.slack.bot_token == "xoxb-from-env");
    CHECK(c.slack.user_token == "xoxp-from-env");
    CHECK(c.slack.signing_secret == "s3cr3t");
    CHECK(c.database.url == "mysql://dlpd:pw@db.internal:3306/dlpd");
    CHECK(c.where("slack.bot_token") == "the environment variable SLACK_BOT_TOKEN");
    CHECK(c.where("database.url") == "the environment variable DLPD_DATABASE_URL");
    // No file at all: the same.
    CHECK(load_command_config(std::nullopt).slack.bot_token == "xoxb-from-env");
    // A value in the file wins; an empty one (${VAR:-} of an unset variable) does not.
    const Config given = parse_config("slack:\n  bot_token: xoxb-in-file\n  app_token: \"\"\ndatabase:\n"
                                      "  url: sqlite:here.db\n",
                                      "/etc/dlpd/mine.yaml");
    CHECK(given.slack.bot_token == "xoxb-in-file");
    CHECK(given.slack.app_token == "xapp-1-from-env");
    CHECK(given.database.url == "sqlite:here.db");
    CHECK(given.where("slack.bot_token") == "/etc/dlpd/mine.yaml:2");
}

TEST_CASE("a bad value in a fallback variable names the variable, never the secret", "[config]") {
    ScopedEnv db("DLPD_DATABASE_URL", std::string("postgres://u:Hunter2pw@x/y"));
    try {
        parse_config("", "/etc/dlpd/mine.yaml");
        FAIL("a bad DLPD_DATABASE_URL was taken");
    } catch (const ConfigError &e) {
        REQUIRE(e.problems().size() == 1);
        CHECK_THAT(e.problems()[0], Catch::StartsWith("the environment variable DLPD_DATABASE_URL (for key "
                                                      "'database.url'): "));
        CHECK(e.problems()[0].find("Hunter2pw") == std::string::npos);
    }
}

TEST_CASE("changed_keys names each key two configurations set differently, plugin settings by plugin", "[config]") {
    const Config a = parse_config("policy:\n  actions: alert\nslack:\n  bot_token: xoxb-one\n", "a.yaml");
    // Where the values come from is not a change.
    CHECK(changed_keys(a, parse_config("\n\npolicy:\n  actions: alert\nslack:\n  bot_token: xoxb-one\n", "b.yaml"))
              .empty());
    const Config b = parse_config("log:\n  level: debug\nplugins:\n  settings:\n    regex:\n      max_mem_mb: 64\n"
                                  "    luhn:\npolicy:\n  actions: alert\nslack:\n  bot_token: xoxb-two\n",
                                  "b.yaml");
    CHECK(changed_keys(a, b) ==
          std::vector<std::string>{"log.level", "plugins.settings.luhn", "plugins.settings.regex", "slack.bot_token"});
    CHECK(changed_keys(b, a) == changed_keys(a, b));
}
