// dlpd run: the daemon. Today it loads plugins and rules, says what it has,
// and waits for SIGINT/SIGTERM; the Slack connection and the admin are
// separate pieces of work that plug in here.
#include <csignal>
#include <iostream>

#include "commands.hpp"
#include "engine_setup.hpp"
#include "log.hpp"

namespace dlpd {

int command_run(const Args &args) {
    SetupOptions options;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--patterns" && i + 1 < args.size()) {
            options.patterns = args[++i];
        } else if (args[i] == "--plugin-dir" && i + 1 < args.size()) {
            options.plugin_dirs.emplace_back(args[++i]);
        } else if (args[i] == "--set" && i + 1 < args.size()) {
            if (auto error = add_plugin_setting(options.plugin_settings, args[++i]); !error.empty()) {
                std::cerr << "dlpd run: --set " << error << "\n";
                return kExitError;
            }
        } else if (args[i] == "--help" || args[i] == "-h") {
            std::cout << "usage: dlpd run [--patterns FILE] [--plugin-dir DIR]... [--set PLUGIN.KEY=VALUE]...\n";
            return kExitClean;
        } else {
            std::cerr << "dlpd run: unknown argument '" << args[i] << "'\n";
            return kExitError;
        }
    }
    // Block the stop signals before any thread exists, then wait for one.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);

    auto setup = set_up_engine(options);
    for (const auto &r : setup->registry.refused())
        log(LogLevel::warning, "plugins", "refused " + r.file.string() + ": " + r.reason);
    if (!setup->errors.empty()) {
        for (const auto &e : setup->errors) log(LogLevel::error, "rules", e);
        return kExitError;
    }
    log(LogLevel::info, "run",
        "ready: " + std::to_string(setup->registry.loaded().size()) + " plugins, " +
            std::to_string(setup->rules.size()) + " rules from " + setup->patterns_file.string());
    log(LogLevel::warning, "slack",
        "Slack is not connected: this build of dlpd has no Slack connection yet. Use 'dlpd scan' to scan files "
        "with the same plugins and rules.");
    int sig = 0;
    sigwait(&stop, &sig);
    log(LogLevel::info, "run", std::string("stopping on ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT"));
    return kExitClean;
}

}  // namespace dlpd
