#include "slack/slack_service.hpp"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <random>
#include <set>
#include <thread>

#include "config/config.hpp"
#include "log.hpp"
#include "engine/scan_engine.hpp"
#include "slack/event_intake.hpp"
#include "slack/event_processor.hpp"
#include "slack/http_events.hpp"
#include "slack/slack_metrics.hpp"
#include "slack/socket_mode.hpp"
#include "slack/web_api.hpp"
#include "store/store.hpp"

#include <Poco/JSON/Parser.h>

namespace dlpd::slack {

namespace {

constexpr const char *kLog = "slack";

std::set<std::string> id_list(const std::string &text) {
    std::set<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string id = text.substr(start, comma - start);
        id.erase(0, id.find_first_not_of(" \t"));
        id.erase(id.find_last_not_of(" \t") + 1);
        if (!id.empty()) out.insert(id);
        start = comma + 1;
    }
    return out;
}

PolicyOptions policy_from(const Config::Policy &p) {
    PolicyOptions policy;
    std::string error;  // the schema checked these already
    policy.actions = parse_action_list(p.actions, error);
    const std::pair<const char *, const std::string *> severities[] = {
        {"low", &p.actions_low}, {"medium", &p.actions_medium}, {"high", &p.actions_high}, {"critical", &p.actions_critical}};
    for (const auto &[name, text] : severities)
        if (!text->empty()) policy.by_severity[name] = parse_action_list(*text, error);
    policy.unscannable = parse_action_list(p.unscannable, error);
    policy.dry_run_channels = id_list(p.dry_run_channels);
    policy.ignored_channels = id_list(p.ignored_channels);
    policy.exempt_users = id_list(p.exempt_users);
    policy.exempt_bots = id_list(p.exempt_bots);
    policy.exempt_all_bots = policy.exempt_bots.erase("all") != 0;
    policy.min_confidence_delete = std::max(0, confidence_rank(p.min_confidence_delete));
    policy.min_confidence_notify = std::max(0, confidence_rank(p.min_confidence_notify));
    policy.min_confidence_alert = std::max(0, confidence_rank(p.min_confidence_alert));
    policy.notice_place = p.notice == "ephemeral" ? NoticePlace::ephemeral : NoticePlace::in_place;
    policy.notice_removed = p.notice_removed;
    policy.notice_kept = p.notice_kept;
    policy.alert_channel = p.alert_channel;
    return policy;
}

// A name for this process's hold on events: host, process id and a random
// part (a restarted process is another holder).
std::string process_name() {
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
    std::random_device random;
    char tail[16];
    std::snprintf(tail, sizeof tail, "%08x", random());
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + tail;
}

}  // namespace

struct SlackService::Parts {
    Parts(const Config &c, Store &s, const ScanEngine &e)
        : config(c), store(s), engine(e), policy(policy_from(c.policy)) {}
    const Config &config;
    Store &store;
    const ScanEngine &engine;
    std::unique_ptr<WebApi> api;
    SelfIdentity self;
    std::unique_ptr<EventProcessor> processor;
    std::unique_ptr<EventIntake> intake;
    std::unique_ptr<SocketModeClient> socket_mode;
    std::unique_ptr<HttpEventsServer> http_events;
    uint16_t http_port = 0;
    // The policy in force (set_policy() replaces it), and the processor it
    // goes to once start() made one.
    std::mutex policy_mutex;
    PolicyOptions policy;
    mutable std::mutex mutex;
    std::string state = "starting";
    std::string detail;
    bool started = false;

    void set(const std::string &s, const std::string &d) {
        std::lock_guard lock(mutex);
        state = s;
        detail = d;
    }

    // Takes over the pending events no live process holds and queues them
    // to be resumed from their journals. Returns how many.
    size_t resume_pending() {
        size_t resumed = 0;
        for (const auto &pending : store.take_over_events()) {
            if (pending.event_id.rfind("file:", 0) == 0) {  // a file marker left by an older version
                store.release_event(pending.event_id);
                continue;
            }
            if (pending.attempts > kMaxAttempts) {
                log(LogLevel::error, kLog,
                    "event " + pending.event_id + " was begun " + std::to_string(pending.attempts) +
                        " times without finishing; marked failed and not tried again");
                store.finish_event(pending.event_id, "failed");
                continue;
            }
            try {
                Poco::JSON::Parser parser;
                auto payload = parser.parse(pending.payload).extract<Poco::JSON::Object::Ptr>();
                processor->enqueue({pending.event_id, payload, true});
                slack_metrics().resumed.inc();
                ++resumed;
            } catch (const std::exception &) {
                log(LogLevel::error, kLog,
                    "event " + pending.event_id + ": its recorded payload is unreadable; marked failed");
                store.finish_event(pending.event_id, "failed");
            }
        }
        return resumed;
    }

    // Renews this process's leases every third of slack.event_lease_seconds,
    // and takes over the events of processes that died.
    void start_leases() {
        leases = std::thread([this] {
            const auto period = std::chrono::milliseconds(config.slack.event_lease_seconds * 1000 / 3);
            std::unique_lock lock(lease_mutex);
            while (!lease_stop) {
                lease_wake.wait_for(lock, period, [&] { return lease_stop; });
                if (lease_stop) break;
                lock.unlock();
                try {
                    store.renew_event_leases();
                    if (const size_t n = resume_pending())
                        log(LogLevel::info, kLog,
                            "took over " + std::to_string(n) + " event(s) whose process stopped renewing its hold");
                } catch (const StoreError &e) {
                    log(LogLevel::error, kLog, std::string("cannot renew the hold on pending events: ") + e.what());
                }
                lock.lock();
            }
        });
    }
    void stop_leases() {
        {
            std::lock_guard lock(lease_mutex);
            lease_stop = true;
        }
        lease_wake.notify_all();
        if (leases.joinable()) leases.join();
    }
    // An event begun this many times without finishing is given up on (it
    // may be what kills the process).
    static constexpr int kMaxAttempts = 5;
    std::thread leases;
    std::mutex lease_mutex;
    std::condition_variable lease_wake;
    bool lease_stop = false;
};

std::string SlackService::missing_configuration(const Config &config) {
    const auto &s = config.slack;
    std::string missing;
    // Names both places that were looked at: the key (in the file, when
    // there is one) and the environment variable it falls back to.
    auto need = [&](const std::string &value, const char *key, const char *variable) {
        if (!value.empty()) return;
        missing += std::string(missing.empty() ? "" : "; ") + key + " (" +
                   (config.file.empty() ? std::string("no configuration file") : "not set in " + config.file.string()) +
                   ") and the environment variable " + variable + " (not set)";
    };
    need(s.bot_token, "slack.bot_token", "SLACK_BOT_TOKEN");
    if (s.mode == "socket") need(s.app_token, "slack.app_token", "SLACK_APP_TOKEN");
    if (s.mode == "http") need(s.signing_secret, "slack.signing_secret", "SLACK_SIGNING_SECRET");
    if (missing.empty()) return {};
    return "Slack is not connected: looked at " + missing +
           ". Create the app from config/slack-app-manifest.yaml, install it, and set the tokens in the "
           "environment (see the README's 'Connecting Slack')";
}

SlackService::SlackService(const Config &config, Store &store, const ScanEngine &engine)
    : parts_(std::make_unique<Parts>(config, store, engine)) {
    WebApiOptions api;
    api.api_url = config.slack.api_url;
    api.bot_token = config.slack.bot_token;
    api.user_token = config.slack.user_token;
    api.app_token = config.slack.app_token;
    api.http.timeout = std::chrono::seconds(config.slack.request_timeout_seconds);
    parts_->api = std::make_unique<WebApi>(api);
}

SlackService::~SlackService() { stop(); }

bool SlackService::start(const std::atomic<bool> &stop_flag) {
    Parts &p = *parts_;
    if (const std::string missing = missing_configuration(p.config); !missing.empty()) {
        p.set("not configured", missing);
        log(LogLevel::warning, kLog, missing);
        return false;
    }
    // Who dlpd is: its own notices must never be scanned. Slack may be
    // unreachable for a while; a refused token is final.
    p.set("connecting", "checking the bot token with auth.test");
    for (int attempt = 0;; ++attempt) {
        ApiResult who = p.api->call("auth.test", "{}", Token::bot);
        if (who.ok) {
            p.self.bot_user_id = who.string_field("user_id");
            p.self.bot_id = who.string_field("bot_id");
            p.self.team_id = who.string_field("team_id");
            p.self.team_url = who.string_field("url");
            log(LogLevel::info, kLog,
                "signed in to " + who.string_field("team") + " as " + who.string_field("user") + " (user " +
                    p.self.bot_user_id + ", bot " + p.self.bot_id + ")");
            break;
        }
        if (who.error != "transport_error" && who.error != "http_status" && who.error != "ratelimited") {
            p.set("stopped", "Slack refused the bot token (auth.test: " + who.error + ")");
            log(LogLevel::error, kLog,
                "Slack refused the bot token (auth.test: " + who.error +
                    "). Check SLACK_BOT_TOKEN: it is the Bot User OAuth Token (xoxb-…) of the installed app");
            return false;
        }
        log(LogLevel::warning, kLog, "Slack is not reachable yet (" + who.detail + "); trying again");
        for (int i = 0; i < 50 && !stop_flag.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (stop_flag.load()) return false;
    }
    if (p.config.slack.user_token.empty())
        log(LogLevel::warning, kLog,
            "no user token (SLACK_USER_TOKEN): dlpd can notify and record, but cannot delete other people's messages "
            "(a bot token may delete only the bot's own posts)");

    ProcessorOptions options;
    options.workers = static_cast<int>(p.config.slack.workers);
    options.max_file_bytes = static_cast<uint64_t>(p.config.slack.max_file_bytes);
    options.store_message_text = p.config.database.store_message_text;
    {
        std::lock_guard lock(p.policy_mutex);
        options.policy = p.policy;
        p.processor = std::make_unique<EventProcessor>(p.store, p.engine, *p.api, p.self, options);
    }
    p.intake = std::make_unique<EventIntake>(p.store, *p.processor);
    p.processor->set_finisher([intake = p.intake.get()](const std::string &id, const std::string &status) {
        intake->finish(id, status);
    });

    // This process's name on the events it records: a restart or another
    // replica sharing the database takes over what a crashed process held
    // once its lease runs out unrenewed.
    p.store.set_event_owner(process_name(), p.config.slack.event_lease_seconds * 1000);
    // Events recorded and acknowledged by an earlier run (or a replica that
    // died) but not finished.
    const size_t resumed = p.resume_pending();
    if (resumed) log(LogLevel::info, kLog, "resuming " + std::to_string(resumed) + " event(s) recorded before a restart");
    p.processor->start();
    p.intake->start();
    p.start_leases();

    if (p.config.slack.mode == "http") {
        HttpEventsOptions http;
        http.listen = p.config.slack.http_listen;
        http.signing_secret = p.config.slack.signing_secret;
        http.limits.max_header_bytes = static_cast<uint32_t>(p.config.slack.http_max_header_bytes);
        http.limits.max_body_bytes = static_cast<uint64_t>(p.config.slack.http_max_body_bytes);
        http.request_timeout = std::chrono::seconds(p.config.slack.http_request_timeout_seconds);
        http.log_summary = std::chrono::seconds(p.config.log.summary_seconds);
        p.http_events = std::make_unique<HttpEventsServer>(*p.intake, http);
        try {
            p.http_port = p.http_events->start();
        } catch (const std::exception &e) {
            log(LogLevel::error, kLog, e.what());
            p.set("stopped", e.what());
            p.started = true;
            stop();
            return false;
        }
        p.set("listening", "Events API requests on " + p.config.slack.http_listen + "/slack/events");
    } else {
        SocketModeOptions sm;
        sm.connections = static_cast<int>(p.config.slack.connections);
        sm.idle_timeout = std::chrono::seconds(p.config.slack.idle_timeout_seconds);
        sm.reconnect_max = std::chrono::seconds(p.config.slack.reconnect_max_seconds);
        p.socket_mode = std::make_unique<SocketModeClient>(*p.api, *p.intake, sm);
        p.socket_mode->start();
    }
    p.started = true;
    return true;
}

void SlackService::stop() {
    Parts &p = *parts_;
    if (!p.started) return;
    p.started = false;
    if (p.socket_mode) p.socket_mode->stop();
    if (p.http_events) p.http_events->stop();
    if (p.intake) p.intake->stop_accepting();
    size_t left = 0;
    if (p.processor) left = p.processor->stop(std::chrono::seconds(p.config.slack.shutdown_seconds));
    if (p.intake) p.intake->stop();  // writes the last finished marks
    p.stop_leases();
    // What is left is let go at once: the next start takes it over without
    // waiting for the lease to run out.
    try {
        p.store.release_event_leases();
    } catch (const StoreError &e) {
        log(LogLevel::error, kLog, e.what());
    }
    p.api->stop();
    if (left)
        log(LogLevel::warning, kLog,
            std::to_string(left) + " event(s) did not finish within slack.shutdown_seconds; they stay recorded and "
                                   "resume at the next start");
    p.set("stopped", "dlpd stopped");
}

void SlackService::set_policy(const Config &config) {
    Parts &p = *parts_;
    std::lock_guard lock(p.policy_mutex);
    p.policy = policy_from(config.policy);
    if (p.processor) p.processor->set_policy(p.policy);
}

SlackState SlackService::state() const {
    const Parts &p = *parts_;
    SlackState s;
    {
        std::lock_guard lock(p.mutex);
        s.state = p.state;
        s.detail = p.detail;
    }
    if (p.socket_mode && p.started) {
        const auto sm = p.socket_mode->status();
        s.state = sm.state;
        s.detail = sm.detail;
    }
    if (p.intake) s.events_recorded = p.intake->counters().recorded;
    if (p.processor) s.incidents = p.processor->counters().incidents;
    return s;
}

uint16_t SlackService::http_port() const { return parts_->http_port; }

}  // namespace dlpd::slack
