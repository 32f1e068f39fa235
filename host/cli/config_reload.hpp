// SIGHUP in `dlpd run`: the configuration file is read again and checked as
// a whole (the schema, the plugin settings against the loaded plugins, the
// rule pack when it changed) before anything changes; a file that fails any
// check changes nothing, and each problem is logged with its file, line and
// key. Then what can change live is applied, to the events that start
// afterwards: the policy, log.level and log.format, the plugin settings and
// engine limits (new plugin instances, the rules in force compiled on them),
// and a changed rule pack (its allowlist values, as at a start). Every other
// changed key is named in the log with "restart to apply": its value in
// force stays. The Slack connections are not touched.
//
// Threads: reload() on one thread at a time (dlpd run's main thread).
#ifndef DLPD_HOST_CLI_CONFIG_RELOAD_HPP
#define DLPD_HOST_CLI_CONFIG_RELOAD_HPP

#include <filesystem>
#include <string>

#include "config/config.hpp"
#include "runtime/engine_setup.hpp"

namespace dlpd {

class RuleSync;
class Store;
namespace slack {
class SlackService;
}

// What a reload changes, all owned by dlpd run.
struct ReloadTargets {
    const PluginRegistry &registry;
    ScanEngine &engine;
    Store &store;
    RuleSync &sync;
    slack::SlackService &slack;
};

class ConfigReload {
public:
    // file: the --config file; options: the command line, whose --set,
    // --patterns, --plugin-dir and --database keep overriding the file;
    // in_force: the configuration the daemon started with; setup: the
    // engine set-up that loaded the rule pack.
    ConfigReload(std::filesystem::path file, const SetupOptions &options, bool database_given, Config in_force,
                 const EngineSetup &setup, ReloadTargets targets);

    // Reads and applies the file. Returns whether its configuration is now
    // in force (false: refused, the one in force is unchanged).
    bool reload();

private:
    std::filesystem::path pack_file(const Config &config) const;
    // Problems with the pack the new configuration names, when it is not the
    // one checked last; sets `pack` to it.
    std::vector<std::string> check_pack(const Config &next, RulePack &pack, bool &changed);
    // live: a reload applies it; restart: it waits for one; overridden: the
    // command line sets it, not the file.
    enum class KeyKind { live, restart, overridden };
    KeyKind kind_of(const std::string &key) const;

    std::filesystem::path file_;
    SetupOptions options_;
    bool database_given_;
    Config in_force_;
    std::string pack_signature_;  // what the pack in force holds, to notice a change
    ReloadTargets targets_;
};

}  // namespace dlpd

#endif
