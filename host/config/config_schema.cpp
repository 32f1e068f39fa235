#include "config/config_schema.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <type_traits>

#include "config/config_text.hpp"
#include "policy/policy.hpp"
#include "config/database_url.hpp"

namespace dlpd {

namespace {

// Where a key's value lives in Config, as a function the schema can point to.
template <auto Section, auto Member>
auto &member(Config &c) {
    return (c.*Section).*Member;
}

std::string check_database_url(std::string_view value, std::string_view /*shown: never, it may hold a password*/) {
    std::string error;
    parse_database_url(std::string(value), error);
    return error;
}

std::string check_address_list(std::string_view value, std::string_view shown) {
    size_t start = 0;
    while (start <= value.size()) {
        size_t comma = value.find(',', start);
        if (comma == std::string_view::npos) comma = value.size();
        std::string_view entry = value.substr(start, comma - start);
        start = comma + 1;
        while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
        while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
        if (entry.empty()) continue;
        const std::string text(entry);
        unsigned char bytes[sizeof(in6_addr)];
        if (inet_pton(AF_INET, text.c_str(), bytes) != 1 && inet_pton(AF_INET6, text.c_str(), bytes) != 1)
            return "must be IP addresses separated by commas; '" + text + "' in " + std::string(shown) +
                   " is not one";
    }
    return {};
}

std::string check_optional_listen_address(std::string_view value, std::string_view shown) {
    return value.empty() ? std::string() : check_listen_address(value, shown);
}

std::string check_action_list(std::string_view value, std::string_view /*shown*/) {
    std::string error;
    slack::parse_action_list(value, error);
    return error;
}

// The schema: the one list of keys. config/dlpd.yaml documents the same keys
// in the same order, and a test holds the two together.
constexpr ConfigKeySpec kSchema[] = {
    {.path = "log.level",
     .field = &member<&Config::log, &Config::Log::level>,
     .default_value = "info",
     .description = "Least severe log level written to standard error: debug, info, warning or error"},
    {.path = "log.format",
     .field = &member<&Config::log, &Config::Log::format>,
     .default_value = "text",
     .description = "How standard error's lines are written: text (dlpd: LEVEL: COMPONENT: MESSAGE) or json (one "
                    "object per line: time, level, component, message and the line's fields)",
     .choices = "text|json"},
    {.path = "log.summary_seconds",
     .field = &member<&Config::log, &Config::Log::summary_seconds>,
     .default_value = "60",
     .description = "Repeated refusals from one address (bad signatures, unreadable requests, failed or refused "
                    "sign-ins) are logged once, then counted and summarised in one line per this many seconds",
     .min = 1,
     .max = 86400},

    {.path = "plugins.dirs",
     .field = &member<&Config::plugins, &Config::Plugins::dirs>,
     .default_value = "",
     .description = "Folders to load plugins from, in order. Empty: DLPD_PLUGIN_PATH when set, else "
                    "lib/dlpd/plugins beside bin/, else the install prefix's"},
    {.path = "plugins.settings",
     .field = &member<&Config::plugins, &Config::Plugins::settings>,
     .default_value = "",
     .description = "Each plugin's settings, by plugin name, checked against the schema the plugin declares"},

    {.path = "engine.max_item_bytes",
     .field = &member<&Config::engine, &Config::Engine::max_item_bytes>,
     .default_value = "268435456",
     .description = "Items (files, attachments, archive members) larger than this are not scanned",
     .min = 1,
     .max = int64_t{1} << 40},
    {.path = "engine.max_depth",
     .field = &member<&Config::engine, &Config::Engine::max_depth>,
     .default_value = "8",
     .description = "How deep containers may nest (outer.zip!inner.zip!file is depth 2)",
     .min = 0,
     .max = 64},
    {.path = "engine.max_findings_per_item",
     .field = &member<&Config::engine, &Config::Engine::max_findings_per_item>,
     .default_value = "10000",
     .description = "Findings kept per item before the rest is cut off",
     .min = 1,
     .max = 100000000},
    {.path = "engine.max_extracted_bytes",
     .field = &member<&Config::engine, &Config::Engine::max_extracted_bytes>,
     .default_value = "536870912",
     .description = "Bytes of text and nested blobs the extractors may produce for one item, all nesting levels "
                    "together; past it, extraction stops with a diagnostic",
     .min = 1,
     .max = int64_t{1} << 40},
    {.path = "engine.max_item_seconds",
     .field = &member<&Config::engine, &Config::Engine::max_item_seconds>,
     .default_value = "120",
     .description = "Wall time for one item, nested blobs included (0: no limit)",
     .min = 0,
     .max = 86400},

    {.path = "rules.pack",
     .field = &member<&Config::rules, &Config::Rules::pack>,
     .default_value = "",
     .description = "Rule pack to load. Empty: the starter pack (share/dlpd/patterns.yaml)"},
    {.path = "rules.poll_seconds",
     .field = &member<&Config::rules, &Config::Rules::poll_seconds>,
     .default_value = "2",
     .description = "How often a replica checks the store's rule revision, in seconds",
     .min = 1,
     .max = 3600},

    {.path = "database.url",
     .field = &member<&Config::database, &Config::Database::url>,
     .default_value = "sqlite:dlpd.db",
     .description = "sqlite:PATH (relative to the working directory) or "
                    "mysql://USER:PASSWORD@HOST:PORT/DATABASE; DLPD_DATABASE_URL when left out",
     .secret = true,  // the password
     .check = &check_database_url,
     .env = "DLPD_DATABASE_URL"},
    {.path = "database.pool_size",
     .field = &member<&Config::database, &Config::Database::pool_size>,
     .default_value = "8",
     .description = "Database connections kept open",
     .min = 1,
     .max = 64},
    {.path = "database.connect_timeout_seconds",
     .field = &member<&Config::database, &Config::Database::connect_timeout_seconds>,
     .default_value = "5",
     .description = "How long to wait for a database connection, in seconds",
     .min = 1,
     .max = 300},
    {.path = "database.store_message_text",
     .field = &member<&Config::database, &Config::Database::store_message_text>,
     .default_value = "true",
     .description = "Keep the full text of a message with its incident, sealed with AES-256-GCM (the admin shows "
                    "it masked)"},
    {.path = "database.key_file",
     .field = &member<&Config::database, &Config::Database::key_file>,
     .default_value = "",
     .description = "File holding the key that seals message text and event payloads, created (mode 0600) "
                    "when first needed; DLPD_ENCRYPTION_KEY wins when set. Empty: dlpd.key in the working directory"},
    {.path = "database.message_text_days",
     .field = &member<&Config::database, &Config::Database::message_text_days>,
     .default_value = "30",
     .description = "Days a kept message text stays; older texts are purged (the incident stays)",
     .min = 1,
     .max = 36500},

    {.path = "slack.mode",
     .field = &member<&Config::slack, &Config::Slack::mode>,
     .default_value = "socket",
     .description = "How events arrive: socket (Socket Mode, outbound connections only) or http (Events API "
                    "requests)",
     .choices = "socket|http"},
    {.path = "slack.api_url",
     .field = &member<&Config::slack, &Config::Slack::api_url>,
     .default_value = "https://slack.com/api/",
     .description = "Where every Web API call goes (a proxy or a test double may stand in)",
     .check = &check_http_url},
    {.path = "slack.app_token",
     .field = &member<&Config::slack, &Config::Slack::app_token>,
     .default_value = "",
     .description = "App-level token (xapp-...) for Socket Mode; SLACK_APP_TOKEN when left out or empty",
     .secret = true,
     .env = "SLACK_APP_TOKEN"},
    {.path = "slack.bot_token",
     .field = &member<&Config::slack, &Config::Slack::bot_token>,
     .default_value = "",
     .description = "Bot token (xoxb-...); SLACK_BOT_TOKEN when left out or empty",
     .secret = true,
     .env = "SLACK_BOT_TOKEN"},
    {.path = "slack.user_token",
     .field = &member<&Config::slack, &Config::Slack::user_token>,
     .default_value = "",
     .description = "User token (xoxp-...) of an admin, to delete other people's messages; "
                    "SLACK_USER_TOKEN when left out or empty",
     .secret = true,
     .env = "SLACK_USER_TOKEN"},
    {.path = "slack.signing_secret",
     .field = &member<&Config::slack, &Config::Slack::signing_secret>,
     .default_value = "",
     .description = "Signing secret that authenticates Events API requests (mode http); "
                    "SLACK_SIGNING_SECRET when left out or empty",
     .secret = true,
     .env = "SLACK_SIGNING_SECRET"},
    {.path = "slack.connections",
     .field = &member<&Config::slack, &Config::Slack::connections>,
     .default_value = "1",
     .description = "Socket Mode connections this process opens",
     .min = 1,
     .max = 10},
    {.path = "slack.http_listen",
     .field = &member<&Config::slack, &Config::Slack::http_listen>,
     .default_value = "127.0.0.1:3000",
     .description = "HOST:PORT the Events API endpoint listens on (mode http)",
     .check = &check_listen_address},
    {.path = "slack.http_max_header_bytes",
     .field = &member<&Config::slack, &Config::Slack::http_max_header_bytes>,
     .default_value = "8192",
     .description = "Events API requests: largest header, and largest trailer of a chunked body, in bytes; "
                    "larger ones are refused with 431",
     .min = 1024,
     .max = 65536},
    {.path = "slack.http_max_body_bytes",
     .field = &member<&Config::slack, &Config::Slack::http_max_body_bytes>,
     .default_value = "1048576",
     .description = "Events API requests: largest body, in bytes; a larger one is refused with 413",
     .min = 1024,
     .max = int64_t{1} << 30},
    {.path = "slack.http_request_timeout_seconds",
     .field = &member<&Config::slack, &Config::Slack::http_request_timeout_seconds>,
     .default_value = "10",
     .description = "Events API requests: time to read one request, and to write its answer",
     .min = 1,
     .max = 3600},

    {.path = "slack.workers",
     .field = &member<&Config::slack, &Config::Slack::workers>,
     .default_value = "2",
     .description = "Threads that scan events and act on them",
     .min = 1,
     .max = 64},
    {.path = "slack.max_file_bytes",
     .field = &member<&Config::slack, &Config::Slack::max_file_bytes>,
     .default_value = "104857600",
     .description = "Files larger than this are not downloaded (the incident log says so)",
     .min = 1,
     .max = int64_t{1} << 40},
    {.path = "slack.request_timeout_seconds",
     .field = &member<&Config::slack, &Config::Slack::request_timeout_seconds>,
     .default_value = "30",
     .description = "Time for one Web API call or file download",
     .min = 1,
     .max = 3600},
    {.path = "slack.idle_timeout_seconds",
     .field = &member<&Config::slack, &Config::Slack::idle_timeout_seconds>,
     .default_value = "30",
     .description = "Socket Mode: a connection with no frame for this long is dead and is replaced (pings go "
                    "out at half of it)",
     .min = 2,
     .max = 3600},
    {.path = "slack.reconnect_max_seconds",
     .field = &member<&Config::slack, &Config::Slack::reconnect_max_seconds>,
     .default_value = "120",
     .description = "Longest wait between Socket Mode reconnects (the backoff doubles from 1 s, with jitter)",
     .min = 1,
     .max = 3600},
    {.path = "slack.shutdown_seconds",
     .field = &member<&Config::slack, &Config::Slack::shutdown_seconds>,
     .default_value = "10",
     .description = "On SIGTERM, how long events in flight may take to finish; the rest resume at the next start",
     .min = 0,
     .max = 600},
    {.path = "slack.event_lease_seconds",
     .field = &member<&Config::slack, &Config::Slack::event_lease_seconds>,
     .default_value = "30",
     .description = "How long a process's hold on the events it works on lasts unrenewed: after a crash, the "
                    "restart or another replica sharing the database takes them over after at most this long",
     .min = 2,
     .max = 3600},

    {.path = "policy.actions",
     .field = &member<&Config::policy, &Config::Policy::actions>,
     .default_value = "delete,notify",
     .description = "What is done about a message with a finding: delete, notify, alert, dry_run, none",
     .check = &check_action_list},
    {.path = "policy.actions_low",
     .field = &member<&Config::policy, &Config::Policy::actions_low>,
     .default_value = "alert",
     .description = "Actions for rules of severity low (an e-mail address, a phone number, an IP address): "
                    "recorded and alerted, never deleted by default; empty: policy.actions",
     .check = &check_action_list},
    {.path = "policy.actions_medium",
     .field = &member<&Config::policy, &Config::Policy::actions_medium>,
     .default_value = "",
     .description = "Actions for rules of severity medium; empty: policy.actions",
     .check = &check_action_list},
    {.path = "policy.actions_high",
     .field = &member<&Config::policy, &Config::Policy::actions_high>,
     .default_value = "",
     .description = "Actions for rules of severity high; empty: policy.actions",
     .check = &check_action_list},
    {.path = "policy.actions_critical",
     .field = &member<&Config::policy, &Config::Policy::actions_critical>,
     .default_value = "",
     .description = "Actions for rules of severity critical; empty: policy.actions",
     .check = &check_action_list},
    {.path = "policy.unscannable",
     .field = &member<&Config::policy, &Config::Policy::unscannable>,
     .default_value = "alert",
     .description = "Actions for a shared file dlpd cannot read (encrypted, corrupt, a limit hit, a document no "
                    "reader opens): recorded as an incident of the rule 'unscannable file'; none records only",
     .check = &check_action_list},
    {.path = "policy.dry_run_channels",
     .field = &member<&Config::policy, &Config::Policy::dry_run_channels>,
     .default_value = "",
     .description = "Channel ids (comma-separated) where dlpd only records and alerts"},
    {.path = "policy.ignored_channels",
     .field = &member<&Config::policy, &Config::Policy::ignored_channels>,
     .default_value = "",
     .description = "Channel ids (comma-separated) dlpd does not scan"},
    {.path = "policy.exempt_users",
     .field = &member<&Config::policy, &Config::Policy::exempt_users>,
     .default_value = "",
     .description = "User ids (comma-separated) whose messages and files dlpd does not scan"},
    {.path = "policy.exempt_bots",
     .field = &member<&Config::policy, &Config::Policy::exempt_bots>,
     .default_value = "",
     .description = "Bot ids (comma-separated; B...) whose posts dlpd does not scan, or `all` for every app and "
                    "integration"},
    {.path = "policy.min_confidence_delete",
     .field = &member<&Config::policy, &Config::Policy::min_confidence_delete>,
     .default_value = "medium",
     .description = "The lowest finding confidence that deletes a message (low, medium, high)",
     .choices = "low|medium|high"},
    {.path = "policy.min_confidence_notify",
     .field = &member<&Config::policy, &Config::Policy::min_confidence_notify>,
     .default_value = "medium",
     .description = "The lowest finding confidence that tells the conversation (low, medium, high)",
     .choices = "low|medium|high"},
    {.path = "policy.min_confidence_alert",
     .field = &member<&Config::policy, &Config::Policy::min_confidence_alert>,
     .default_value = "low",
     .description = "The lowest finding confidence that alerts the security channel (low, medium, high)",
     .choices = "low|medium|high"},
    {.path = "policy.notice",
     .field = &member<&Config::policy, &Config::Policy::notice>,
     .default_value = "in_place",
     .description = "Where the notice goes: in_place (the channel, or the thread of a reply) or ephemeral (the "
                    "author only)",
     .choices = "in_place|ephemeral"},
    {.path = "policy.notice_removed",
     .field = &member<&Config::policy, &Config::Policy::notice_removed>,
     .default_value = "A message from {user} was removed because it contained {rules} ({masked}). Please share "
                      "sensitive data only through approved channels.",
     .description = "The notice after a message was deleted; {user} {rule} {rules} {severity} {masked} {count}"},
    {.path = "policy.notice_kept",
     .field = &member<&Config::policy, &Config::Policy::notice_kept>,
     .default_value = "A message from {user} appears to contain {rules} ({masked}). Please delete it and share "
                      "sensitive data only through approved channels.",
     .description = "The notice when the message stays (notify without delete, or the delete failed)"},
    {.path = "policy.alert_channel",
     .field = &member<&Config::policy, &Config::Policy::alert_channel>,
     .default_value = "",
     .description = "Channel id that `alert` posts to; empty: alerts are only logged"},

    {.path = "admin.listen",
     .field = &member<&Config::admin, &Config::Admin::listen>,
     .default_value = "127.0.0.1:8080",
     .description = "HOST:PORT the browser admin listens on",
     .check = &check_listen_address},
    {.path = "admin.tls_cert",
     .field = &member<&Config::admin, &Config::Admin::tls_cert>,
     .default_value = "",
     .description = "PEM certificate chain for the admin's HTTPS; empty: plain HTTP. Set with admin.tls_key"},
    {.path = "admin.tls_key",
     .field = &member<&Config::admin, &Config::Admin::tls_key>,
     .default_value = "",
     .description = "PEM private key for admin.tls_cert"},
    {.path = "admin.hsts_max_age_seconds",
     .field = &member<&Config::admin, &Config::Admin::hsts_max_age_seconds>,
     .default_value = "31536000",
     .description = "Under TLS, the max-age of the Strict-Transport-Security header, in seconds (0: no header)",
     .min = 0,
     .max = 157680000},
    {.path = "admin.max_request_bytes",
     .field = &member<&Config::admin, &Config::Admin::max_request_bytes>,
     .default_value = "1048576",
     .description = "Largest request body the admin reads, in bytes; a larger one is refused with 413",
     .min = 1024,
     .max = int64_t{1} << 30},
    {.path = "admin.max_fields",
     .field = &member<&Config::admin, &Config::Admin::max_fields>,
     .default_value = "200",
     .description = "Most fields one form may have; a form with more is refused with 413",
     .min = 10,
     .max = 100000},
    {.path = "admin.max_field_bytes",
     .field = &member<&Config::admin, &Config::Admin::max_field_bytes>,
     .default_value = "1048576",
     .description = "Largest value of one form field, in bytes (decoded); a larger one is refused with 413",
     .min = 1024,
     .max = int64_t{1} << 30},
    {.path = "admin.request_timeout_seconds",
     .field = &member<&Config::admin, &Config::Admin::request_timeout_seconds>,
     .default_value = "30",
     .description = "How long the admin waits for one read or write on a connection, in seconds",
     .min = 1,
     .max = 3600},
    {.path = "admin.header_timeout_seconds",
     .field = &member<&Config::admin, &Config::Admin::header_timeout_seconds>,
     .default_value = "10",
     .description = "Time a client has to send a request's whole header (after keep_alive_seconds on a kept-alive "
                    "connection); a slower connection is closed",
     .min = 1,
     .max = 3600},
    {.path = "admin.body_timeout_seconds",
     .field = &member<&Config::admin, &Config::Admin::body_timeout_seconds>,
     .default_value = "30",
     .description = "Time a client has to send a request's whole body after its header; a slower connection is "
                    "closed",
     .min = 1,
     .max = 3600},
    {.path = "admin.keep_alive_seconds",
     .field = &member<&Config::admin, &Config::Admin::keep_alive_seconds>,
     .default_value = "5",
     .description = "How long an idle kept-alive connection may wait for its next request (it holds a thread)",
     .min = 1,
     .max = 3600},
    {.path = "admin.threads",
     .field = &member<&Config::admin, &Config::Admin::threads>,
     .default_value = "32",
     .description = "Connections the admin serves at once (each holds a thread while open); must be larger than "
                    "max_connections_per_address",
     .min = 2,
     .max = 1024},
    {.path = "admin.max_connections_per_address",
     .field = &member<&Config::admin, &Config::Admin::max_connections_per_address>,
     .default_value = "8",
     .description = "Connections one client address may have open at once (trusted proxies excepted); more are "
                    "closed at once",
     .min = 1,
     .max = 1000},
    {.path = "admin.max_queued_connections",
     .field = &member<&Config::admin, &Config::Admin::max_queued_connections>,
     .default_value = "64",
     .description = "Connections waiting for a free thread; more are refused",
     .min = 1,
     .max = 10000},
    {.path = "admin.session_idle_minutes",
     .field = &member<&Config::admin, &Config::Admin::session_idle_minutes>,
     .default_value = "30",
     .description = "A sign-in ends after this many minutes without a request",
     .min = 1,
     .max = 10080},
    {.path = "admin.session_max_hours",
     .field = &member<&Config::admin, &Config::Admin::session_max_hours>,
     .default_value = "12",
     .description = "A sign-in ends this many hours after it began, in use or not",
     .min = 1,
     .max = 720},
    {.path = "admin.sign_in_first_delay_ms",
     .field = &member<&Config::admin, &Config::Admin::sign_in_first_delay_ms>,
     .default_value = "1000",
     .description = "After a failed sign-in, how long the same user name from the same address waits before "
                    "trying again, in milliseconds; it doubles with each further failure in a row",
     .min = 1,
     .max = 600000},
    {.path = "admin.sign_in_max_delay_seconds",
     .field = &member<&Config::admin, &Config::Admin::sign_in_max_delay_seconds>,
     .default_value = "900",
     .description = "The longest that wait grows to, in seconds",
     .min = 1,
     .max = 86400},
    {.path = "admin.sign_in_max_failures_per_address",
     .field = &member<&Config::admin, &Config::Admin::sign_in_max_failures_per_address>,
     .default_value = "20",
     .description = "Failed sign-ins from one address within sign_in_window_seconds after which that address may "
                    "sign in only as users who signed in from it before, until the window passes",
     .min = 1,
     .max = 100000},
    {.path = "admin.sign_in_window_seconds",
     .field = &member<&Config::admin, &Config::Admin::sign_in_window_seconds>,
     .default_value = "900",
     .description = "The window, in seconds, over which failed sign-ins are counted",
     .min = 1,
     .max = 86400},
    {.path = "admin.trusted_proxies",
     .field = &member<&Config::admin, &Config::Admin::trusted_proxies>,
     .default_value = "",
     .description = "IP addresses (comma-separated) of reverse proxies whose X-Forwarded-For names the client; "
                    "empty: the header is ignored",
     .check = &check_address_list},
    {.path = "admin.min_password_length",
     .field = &member<&Config::admin, &Config::Admin::min_password_length>,
     .default_value = "12",
     .description = "Shortest password accepted for an admin user",
     .min = 8,
     .max = 1024},
    {.path = "admin.page_size",
     .field = &member<&Config::admin, &Config::Admin::page_size>,
     .default_value = "50",
     .description = "Incidents and patterns shown per page",
     .min = 1,
     .max = 1000},
    {.path = "admin.export_max_rows",
     .field = &member<&Config::admin, &Config::Admin::export_max_rows>,
     .default_value = "100000",
     .description = "Most incidents one CSV export writes",
     .min = 1,
     .max = 10000000},

    {.path = "metrics.listen",
     .field = &member<&Config::metrics, &Config::Metrics::listen>,
     .default_value = "",
     .description = "HOST:PORT that serves /metrics (Prometheus text format), /healthz and /readyz, for example "
                    "127.0.0.1:9464; empty: not served",
     .check = &check_optional_listen_address},
};

}  // namespace

std::string_view section_of(std::string_view path) {
    return path.substr(0, path.find('.'));
}
std::string_view key_of(std::string_view path) {
    return path.substr(path.find('.') + 1);
}

const ConfigKeySpec *find_spec(std::string_view path) {
    for (const auto &spec : kSchema)
        if (spec.path == path) return &spec;
    return nullptr;
}

std::vector<std::string> section_names() {
    std::vector<std::string> out;
    for (const auto &spec : kSchema)
        if (std::find(out.begin(), out.end(), section_of(spec.path)) == out.end())
            out.emplace_back(section_of(spec.path));
    return out;
}

std::vector<std::string> key_names(std::string_view section) {
    std::vector<std::string> out;
    for (const auto &spec : kSchema)
        if (section_of(spec.path) == section) out.emplace_back(key_of(spec.path));
    return out;
}

std::span<const ConfigKeySpec> config_schema() {
    return kSchema;
}

Config::Config() {
    for (const auto &spec : kSchema) {
        if (auto problem = assign_config_text(spec, std::string(spec.default_value), spec.default_value, *this, {});
            !problem.empty())
            throw std::logic_error("the built-in default of " + std::string(spec.path) + " is wrong: " + problem);
    }
}

}  // namespace dlpd
