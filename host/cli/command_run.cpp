// dlpd run: the daemon. It loads plugins, connects to the store (waiting
// with backoff for a database that is not up yet), seeds an empty store from
// the rule pack, keeps the engine's rules equal to the store's, and runs
// until SIGINT/SIGTERM, with the Slack connection (host/slack). On a signal
// it stops taking events, lets those in flight finish within
// slack.shutdown_seconds, and exits 0. SIGHUP reloads the configuration
// file (cli/config_reload.hpp).
#include <csignal>
#include <ctime>
#include <functional>
#include <iostream>
#include <thread>

#include "admin/accounts.hpp"
#include "admin/admin_server.hpp"
#include "cli/commands.hpp"
#include "cli/config_reload.hpp"
#include "cli/metrics_endpoint.hpp"
#include "cli/service_checks.hpp"
#include "runtime/engine_setup.hpp"
#include "log.hpp"
#include "runtime/rule_sync.hpp"
#include "slack/slack_service.hpp"
#include "runtime/retention.hpp"
#include "runtime/store_startup.hpp"

namespace dlpd {

namespace {

// Waits for SIGINT/SIGTERM on its own thread (the signals are blocked in
// every other thread), so that any phase of start-up can be interrupted;
// SIGHUP is counted, for wait() to reload.
class StopSignal {
public:
    StopSignal() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGINT);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &set_, nullptr);
        thread_ = std::thread([this] {
            const timespec tick{0, 200 * 1000 * 1000};
            while (!done_.load()) {
                const int sig = sigtimedwait(&set_, nullptr, &tick);
                if (sig == SIGHUP) ++hangups_;
                if (sig == SIGINT || sig == SIGTERM) {
                    signal_ = sig;
                    stop_.store(true);
                    return;
                }
            }
        });
    }
    ~StopSignal() {
        done_.store(true);
        thread_.join();
    }
    const std::atomic<bool> &flag() const { return stop_; }
    // Until SIGINT/SIGTERM; runs on_hangup on this thread after each SIGHUP
    // (several that came during one run are one more).
    void wait(const std::function<void()> &on_hangup) const {
        int seen = 0;
        while (!stop_.load()) {
            if (const int n = hangups_.load(); n != seen) {
                seen = n;
                on_hangup();
                continue;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    const char *name() const { return signal_ == SIGTERM ? "SIGTERM" : "SIGINT"; }

private:
    sigset_t set_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> done_{false};
    std::atomic<int> signal_{0};
    std::atomic<int> hangups_{0};
    std::thread thread_;
};

// Ends the systemd checks, which read the Slack service and the rule sync,
// before those are destroyed, on every way out (an exception too).
struct ServiceChecksEnd {
    ServiceNotifier &notifier;
    ~ServiceChecksEnd() { notifier.stopping("stopped"); }
};

}  // namespace

int command_run(const Args &args) {
    SetupOptions options;
    std::optional<std::filesystem::path> config_file;
    std::optional<std::string> database_url;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size()) {
            config_file = args[++i];
        } else if (args[i] == "--database" && i + 1 < args.size()) {
            database_url = args[++i];
        } else if (args[i] == "--patterns" && i + 1 < args.size()) {
            options.patterns = args[++i];
        } else if (args[i] == "--plugin-dir" && i + 1 < args.size()) {
            options.plugin_dirs.emplace_back(args[++i]);
        } else if (args[i] == "--set" && i + 1 < args.size()) {
            if (auto error = add_plugin_setting(options.plugin_settings, args[++i]); !error.empty()) {
                std::cerr << "dlpd run: --set " << error << "\n";
                return kExitError;
            }
        } else if (args[i] == "--help" || args[i] == "-h") {
            std::cout << "usage: dlpd run [--config FILE] [--database URL] [--patterns FILE] [--plugin-dir DIR]... "
                         "[--set PLUGIN.KEY=VALUE]...\n\n"
                         "--patterns is the pack that seeds an empty store; once the store has rules, they are the\n"
                         "rules in force, and changes to them apply without a restart.\n";
            return kExitClean;
        } else {
            std::cerr << "dlpd run: unknown argument '" << args[i] << "'\n";
            return kExitError;
        }
    }
    Config config;
    try {
        config = load_command_config(config_file);
    } catch (const ConfigError &e) {
        for (const auto &p : e.problems()) log(LogLevel::error, "config", p);
        return kExitError;
    }
    options.config = &config;
    if (config_file) log(LogLevel::info, "config", "configuration from " + config_file->string());

    // Before any other thread exists: the stop signals go to one watcher.
    StopSignal stop;
    ServiceNotifier systemd;  // READY, STATUS, watchdog, STOPPING; nothing outside systemd

    auto setup = set_up_engine(options);
    for (const auto &r : setup->registry.refused())
        log(LogLevel::warning, "plugins", "refused " + r.file.string() + ": " + r.reason);
    if (!setup->errors.empty()) {
        for (const auto &e : setup->errors) log(LogLevel::error, "setup", e);
        return kExitError;
    }

    std::string url_error;
    auto url = parse_database_url(database_url ? *database_url : config.database.url, url_error);
    if (!url) {
        log(LogLevel::error, "store", url_error);
        return kExitError;
    }
    const StoreOptions store_options = store_options_from(config);
    systemd.status("connecting to the store at " + url->redacted());
    auto store = connect_store_with_backoff(*url, store_options, stop.flag());
    if (!store) {
        log(LogLevel::info, "run", std::string("stopped on ") + stop.name() + " before the store was reachable");
        return kExitClean;
    }
    std::unique_ptr<RuleSync> sync;
    try {
        seed_rules_if_empty(*store, setup->rules, setup->patterns_file.string());
        seed_allowlist_once(*store, setup->allowlist_values, setup->patterns_file.string());
        sync = std::make_unique<RuleSync>(*store, *setup->engine, std::chrono::seconds(config.rules.poll_seconds));
        sync->load_now();
        sync->start();
    } catch (const StoreError &e) {
        log(LogLevel::error, "store", e.what());
        return kExitError;
    }
    MessageTextRetention retention(*store, config.database.message_text_days);
    log(LogLevel::info, "run",
        "ready: " + std::to_string(setup->registry.loaded().size()) + " plugins, " +
            std::to_string(store->rules().size()) + " rules (revision " + std::to_string(sync->applied_revision()) +
            ") from " + url->redacted());
    // Without tokens the daemon still runs (rules, admin) and says once how
    // to connect Slack.
    slack::SlackService slack(config, *store, *setup->engine);

    // --- The browser admin (admin/): the first admin user on an empty store, then the server.
    AdminServices admin_services{*store, *setup->engine, setup->registry, sync.get(), [&slack] {
                                     const auto s = slack.state();
                                     return SlackStatus{s.state, s.detail};
                                 }, config.plugins.settings,
                                 std::chrono::seconds(config.log.summary_seconds)};
    std::unique_ptr<AdminServer> admin;
    try {
        const auto first_admin = create_first_admin(*store);
        admin = start_admin_server(config.admin, admin_services);
        if (first_admin)
            std::cerr << first_admin_notice(*first_admin, admin->url()) << std::flush;
    } catch (const std::exception &e) {
        log(LogLevel::error, "admin", e.what());
        return kExitError;
    }
    // --- metrics.listen: /metrics, /healthz, /readyz (not ready until Slack is live).
    std::unique_ptr<MetricsServer> metrics;
    try {
        metrics = start_metrics_endpoint(config, *store, *sync, slack);
    } catch (const std::exception &e) {
        log(LogLevel::error, "metrics", e.what());
        return kExitError;
    }
    systemd.start(service_checks(config, *sync, slack, systemd.watchdog_interval()));
    const ServiceChecksEnd checks_end{systemd};
    slack.start(stop.flag());
    if (!config_file) {
        stop.wait([] { log(LogLevel::warning, "reload", "SIGHUP: there is no configuration file to read (--config)"); });
    } else {
        ConfigReload reload(*config_file, options, database_url.has_value(), config, *setup,
                            {setup->registry, *setup->engine, *store, *sync, slack});
        stop.wait([&] { reload.reload(); });
    }
    log(LogLevel::info, "run", std::string("stopping on ") + stop.name());
    if (metrics) metrics->stop();
    systemd.stopping(std::string("stopping on ") + stop.name());
    admin->stop();
    slack.stop();
    sync->stop();
    log(LogLevel::info, "run", "stopped");
    return kExitClean;
}

}  // namespace dlpd
