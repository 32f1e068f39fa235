// dlpd admin [--config FILE] [--database URL]:
// the browser admin alone, without Slack: for reviewing incidents and editing
// patterns from a machine that does not scan. It loads the same plugins (the
// admin checks patterns through them), keeps its engine's rules equal to the
// store's, and serves until SIGINT/SIGTERM.
#include <csignal>
#include <iostream>

#include "admin/accounts.hpp"
#include "admin/admin_server.hpp"
#include "cli/commands.hpp"
#include "runtime/engine_setup.hpp"
#include "log.hpp"
#include "runtime/retention.hpp"
#include "runtime/store_startup.hpp"

namespace dlpd {

int command_admin(const Args &args) {
    // Plugin folders and settings come from the configuration file only:
    // this command serves people, not scripts that tune a scan.
    std::optional<std::filesystem::path> config_file;
    std::optional<std::string> database_url;
    for (size_t i = 0; i < args.size(); i += 2) {
        const bool has_value = i + 1 < args.size();
        if (has_value && args[i] == "--config") {
            config_file = args[i + 1];
        } else if (has_value && args[i] == "--database") {
            database_url = args[i + 1];
        } else {
            std::cerr << "usage: dlpd admin [--config FILE] [--database URL]\n";
            return args[i] == "--help" || args[i] == "-h" ? kExitClean : kExitError;
        }
    }
    // Before any thread exists, so that only sigwait() below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    Config config;
    try {
        config = load_command_config(config_file);
    } catch (const ConfigError &e) {
        for (const auto &p : e.problems()) log(LogLevel::error, "config", p);
        return kExitError;
    }
    SetupOptions options;
    options.config = &config;
    auto setup = set_up_engine(options);
    for (const auto &e : setup->errors) log(LogLevel::error, "setup", e);
    if (!setup->errors.empty()) return kExitError;
    std::string error;
    auto url = parse_database_url(database_url ? *database_url : config.database.url, error);
    if (!url) {
        log(LogLevel::error, "store", error);
        return kExitError;
    }
    try {
        const StoreOptions store_options = store_options_from(config);
        auto store = Store::open(*url, store_options);
        store->migrate();
        seed_rules_if_empty(*store, setup->rules, setup->patterns_file.string());
        seed_allowlist_once(*store, setup->allowlist_values, setup->patterns_file.string());
        RuleSync sync(*store, *setup->engine, std::chrono::seconds(config.rules.poll_seconds));
        sync.load_now();
        sync.start();
        AdminServices services{*store, *setup->engine, setup->registry, &sync,
                               [] { return SlackStatus{"not running in this process",
                                                       "dlpd admin serves the admin alone; dlpd run connects to Slack."}; },
                               config.plugins.settings,
                               std::chrono::seconds(config.log.summary_seconds)};
        MessageTextRetention retention(*store, config.database.message_text_days);
        const auto first_admin = create_first_admin(*store);
        auto admin = start_admin_server(config.admin, services);
        if (first_admin) std::cerr << first_admin_notice(*first_admin, admin->url()) << std::flush;
        int signal = 0;
        sigwait(&stop_signals, &signal);
        log(LogLevel::info, "admin", std::string("stopping on ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT"));
        admin->stop();
        sync.stop();
        return kExitClean;
    } catch (const std::exception &e) {
        log(LogLevel::error, "admin", e.what());
        return kExitError;
    }
}

}  // namespace dlpd
