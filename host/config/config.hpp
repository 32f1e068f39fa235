// dlpd's configuration file (config/dlpd.yaml). One schema, declared once as
// data (config_schema()), gives every key its type, default, range and
// description; it fills the defaults of Config and checks a file. Every
// problem is reported with the file, the line and the key, all of them at
// once. Secrets (Slack tokens, the signing secret, the database password)
// never appear in a message: "the value" stands in for them.
#ifndef DLPD_HOST_CONFIG_CONFIG_HPP
#define DLPD_HOST_CONFIG_CONFIG_HPP

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "log.hpp"
#include "engine/plugin_instance.hpp"

namespace dlpd {

class PluginRegistry;

// The values of a configuration. Default-constructed, it holds the built-in
// defaults, which come from config_schema() (the member initializers below
// only zero the members; the schema, or config/dlpd.yaml, has the defaults).
struct Config {
    struct Log {
        LogLevel level{};
        std::string format;           // text | json (one object per line)
        int64_t summary_seconds = 0;  // repeated refusals: one summary line per source per interval
        bool operator==(const Log &) const = default;
    };
    struct Plugins {
        std::vector<std::filesystem::path> dirs;  // empty: default_plugin_dirs()
        // By plugin name; checked against each plugin's declared schema by
        // check_plugin_settings() once the plugins are loaded.
        std::map<std::string, PluginSettings> settings;
        bool operator==(const Plugins &) const = default;
    };
    struct Engine {  // see EngineLimits
        int64_t max_item_bytes = 0;
        int64_t max_depth = 0;
        int64_t max_findings_per_item = 0;
        int64_t max_extracted_bytes = 0;
        int64_t max_item_seconds = 0;
        bool operator==(const Engine &) const = default;
    };
    struct Rules {
        std::filesystem::path pack;  // empty: default_patterns_file()
        int64_t poll_seconds = 0;    // how often replicas check the store's rule revision
        bool operator==(const Rules &) const = default;
    };
    struct Database {
        // config/database_url.hpp takes it apart; it may hold a password, so
        // show it only as DatabaseUrl::redacted().
        std::string url;
        int64_t pool_size = 0;
        int64_t connect_timeout_seconds = 0;
        bool store_message_text = true;     // keep a message's full text, sealed, with its incident
        std::filesystem::path key_file;     // the sealing key; empty: dlpd.key in the working directory
        int64_t message_text_days = 0;      // kept texts older than this are purged
        bool operator==(const Database &) const = default;
    };
    struct Slack {
        std::string mode;                                              // socket | http
        std::string api_url;                                           // http(s)://.../, where every Web API call goes
        std::string app_token, bot_token, user_token, signing_secret;  // secrets
        int64_t connections = 0;                                       // Socket Mode connections
        std::string http_listen;  // HOST:PORT of the Events API endpoint (mode http)
        int64_t http_max_header_bytes = 0;         // header, or trailer of a chunked body
        int64_t http_max_body_bytes = 0;
        int64_t http_request_timeout_seconds = 0;  // read one request, write its answer
        int64_t workers = 0;                  // threads that scan events and act on them
        int64_t max_file_bytes = 0;           // files larger than this are not downloaded
        int64_t request_timeout_seconds = 0;  // one Web API call or download
        int64_t idle_timeout_seconds = 0;     // Socket Mode: no frame for this long = dead connection
        int64_t reconnect_max_seconds = 0;    // longest wait between reconnects
        int64_t shutdown_seconds = 0;         // how long in-flight events may finish on SIGTERM
        int64_t event_lease_seconds = 0;      // a crashed process's events are taken over after this
        bool operator==(const Slack &) const = default;
    };
    struct Policy {  // what is done about a finding: see slack/policy.hpp
        std::string actions;  // comma-separated: delete, notify, alert, dry_run, none
        std::string actions_low, actions_medium, actions_high, actions_critical;  // empty: `actions`
        std::string unscannable;  // actions for a file that could not be read
        std::string dry_run_channels;  // comma-separated channel ids
        std::string ignored_channels;  // comma-separated channel ids: not scanned
        std::string exempt_users;      // comma-separated user ids: not scanned
        std::string exempt_bots;       // comma-separated bot ids, or `all`: not scanned
        // The lowest finding confidence (low|medium|high) each action takes.
        std::string min_confidence_delete, min_confidence_notify, min_confidence_alert;
        std::string notice;            // in_place | ephemeral
        std::string notice_removed, notice_kept;
        std::string alert_channel;
        bool operator==(const Policy &) const = default;
    };
    struct Admin {
        std::string listen;                       // HOST:PORT
        std::filesystem::path tls_cert, tls_key;  // both or neither
        // Limits of the admin's HTTP server and sign-in (see config_schema.cpp).
        int64_t hsts_max_age_seconds = 0;
        int64_t max_request_bytes = 0;
        int64_t max_fields = 0;
        int64_t max_field_bytes = 0;
        int64_t request_timeout_seconds = 0;  // one read or write
        int64_t header_timeout_seconds = 0;   // the whole header
        int64_t body_timeout_seconds = 0;     // the whole body
        int64_t keep_alive_seconds = 0;
        int64_t threads = 0;
        int64_t max_connections_per_address = 0;
        int64_t max_queued_connections = 0;
        int64_t session_idle_minutes = 0;
        int64_t session_max_hours = 0;
        int64_t sign_in_first_delay_ms = 0;
        int64_t sign_in_max_delay_seconds = 0;
        int64_t sign_in_max_failures_per_address = 0;
        int64_t sign_in_window_seconds = 0;
        std::string trusted_proxies;  // comma-separated IP addresses
        int64_t min_password_length = 0;
        int64_t page_size = 0;
        int64_t export_max_rows = 0;
        bool operator==(const Admin &) const = default;
    };
    struct Metrics {
        std::string listen;  // HOST:PORT of /metrics, /healthz, /readyz; empty: off
        bool operator==(const Metrics &) const = default;
    };

    Log log;
    Plugins plugins;
    Engine engine;
    Rules rules;
    Database database;
    Slack slack;
    Policy policy;
    Admin admin;
    Metrics metrics;

    // Where the values came from: the file (empty for the built-in defaults)
    // and the 1-based line of every key the file sets, by key path
    // ("database.url", "plugins.settings.regex", "plugins.settings.regex.max_mem_mb").
    std::filesystem::path file;
    std::map<std::string, int, std::less<>> lines;
    // Keys whose value came from their environment variable (ConfigKeySpec::env)
    // because the file left them out or empty, with the variable's name.
    std::map<std::string, std::string, std::less<>> from_environment;

    // The built-in defaults.
    Config();

    // "FILE:LINE" for a key the file sets, "FILE" for one it does not,
    // "built-in defaults" without a file, and "the environment variable X"
    // for a key taken from there: the start of a message about a key.
    std::string where(std::string_view key_path) const;

    // Same values; file and lines are not compared.
    bool operator==(const Config &other) const;
};

// Where a key's value goes in Config. The alternative is the key's type.
using ConfigField = std::variant<std::string &(*)(Config &),                             // string
                                 int64_t &(*)(Config &),                                 // integer
                                 bool &(*)(Config &),                                    // boolean
                                 LogLevel &(*)(Config &),                                // log level
                                 std::filesystem::path &(*)(Config &),                   // path
                                 std::vector<std::filesystem::path> &(*)(Config &),      // list of paths
                                 std::map<std::string, PluginSettings> &(*)(Config &)>;  // plugin settings

// One key of the schema.
struct ConfigKeySpec {
    std::string_view path;  // "section.key"
    ConfigField field;
    // The default, written as in YAML ("" for an empty string, list or mapping).
    std::string_view default_value;
    std::string_view description;
    // Integers: the accepted range, inclusive.
    int64_t min = 0;
    int64_t max = 0;
    // Strings: the accepted values, "a|b|c" (empty: any).
    std::string_view choices = {};
    // The value is, or may contain, a secret: never shown in a message.
    bool secret = false;
    // A further check of a string value: returns the problem or empty. shown
    // is how the message may name the value ("'x'" as written in the file,
    // or "the value" for a secret); the check never quotes value itself.
    std::string (*check)(std::string_view value, std::string_view shown) = nullptr;
    // An environment variable the value is taken from, when set, if the file
    // leaves the key out or empty (secrets: DESIGN.md says they come from the
    // environment). Empty: none.
    std::string_view env = {};
};

// Every key, in the order config/dlpd.yaml documents them.
std::span<const ConfigKeySpec> config_schema();

// "integer", "string", "boolean", "one of debug, info, warning, error", …
std::string config_type_description(const ConfigKeySpec &spec);

// Every problem, one line each: "FILE:LINE: key 'section.key': what".
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(std::vector<std::string> problems);
    const std::vector<std::string> &problems() const { return problems_; }

private:
    std::vector<std::string> problems_;
};

// Reads a configuration file: substitutes ${VAR}, ${VAR:-default} and $$ in
// values, checks every key against the schema, fills the rest with defaults,
// and resolves relative paths (rules.pack, plugins.dirs, admin.tls_*)
// against the file's folder. Throws ConfigError listing every problem.
Config load_config(const std::filesystem::path &file);
// The same, from text; file names the source in messages and its folder
// anchors relative paths.
Config parse_config(const std::string &yaml_text, const std::filesystem::path &file);

// Fills each key that has an environment variable (ConfigKeySpec::env) and
// that the file leaves out or empty from that variable when it is set, checked like a value from the
// file; load_config and parse_config do it themselves, a command without a
// file calls it on the defaults. Throws ConfigError naming the variable.
void apply_environment_fallbacks(Config &config);

// The keys whose values differ between two configurations, in schema order
// ("policy.actions"; plugins.settings by plugin, "plugins.settings.regex").
// Where the values came from (file, lines) is not compared.
std::vector<std::string> changed_keys(const Config &before, const Config &after);

// Checks plugins.settings against the schema each loaded plugin declares:
// unknown plugin, unknown key, wrong type, value out of range. Each problem
// names the file, the line and the key (plugins.settings.NAME.KEY). A
// required key that is missing is left to the engine, because --set may
// still give it.
std::vector<std::string> check_plugin_settings(const Config &config, const PluginRegistry &registry);

}  // namespace dlpd

#endif
