// What every command that scans needs: plugins loaded from the right
// places, an engine with instances of them configured, and a rule pack
// installed and its examples checked. Problems are collected as messages for
// the CLI.
#ifndef DLPD_HOST_RUNTIME_ENGINE_SETUP_HPP
#define DLPD_HOST_RUNTIME_ENGINE_SETUP_HPP

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "engine/plugin_registry.hpp"
#include "engine/rule_pack.hpp"
#include "engine/scan_engine.hpp"

namespace dlpd {

// What the command line says. Each piece overrides the configuration.
struct SetupOptions {
    // The configuration file's values (--config), owned by the caller; null:
    // the built-in defaults. It supplies plugin folders, plugin settings,
    // engine limits and the rule pack where the options below are empty.
    const Config *config = nullptr;
    std::vector<std::filesystem::path> plugin_dirs;  // empty: the configuration's, else default_plugin_dirs()
    std::optional<std::filesystem::path> patterns;   // empty: the configuration's, else default_patterns_file()
    // Plugin settings by plugin name (--set), checked against each plugin's
    // schema; a key given here replaces the same key of the configuration.
    std::map<std::string, PluginSettings> plugin_settings;
    // Settings a command prefers where nobody set the key (for a loaded
    // plugin only): `dlpd scan` runs briefly, so it does without the regex
    // plugin's background Hyperscan build.
    std::map<std::string, PluginSettings> command_defaults;
    // Run every rule's examples once installed (a failing one is an error).
    // Every command does; a test harness that starts many engines on a pack
    // whose examples its own tests check may leave it off (under the
    // sanitizers the starter pack's check takes about a minute).
    bool check_examples = true;
};

// The configuration for a command: the file given with --config, or the
// built-in defaults without one. Sets what belongs to the whole process
// (the log level). Throws ConfigError.
Config load_command_config(const std::optional<std::filesystem::path> &file);

// Parses "PLUGIN.KEY=VALUE" (from --set) into settings; a repeated key
// appends (for list keys). Returns an error message, or empty.
std::string add_plugin_setting(std::map<std::string, PluginSettings> &settings, const std::string &assignment);

struct EngineSetup {
    PluginRegistry registry;
    std::unique_ptr<ScanEngine> engine;
    std::vector<Rule> rules;
    // The pack's documented test values (`allowlist:`): the engine is given
    // them as its value allowlist until a store's replaces it.
    std::vector<std::string> allowlist_values;
    std::filesystem::path patterns_file;
    // Errors that make the setup unusable (a plugin setting the plugin does
    // not take, bad pack, rule that does not compile, failing example).
    // Empty when ready to scan.
    std::vector<std::string> errors;
};

// The starter pack: share/dlpd/patterns.yaml beside the executable's bin/
// (the build tree mirrors the install layout), or the install prefix's.
std::filesystem::path default_patterns_file();
// The Slack app manifest (slack-app-manifest.yaml), found the same way.
std::filesystem::path default_app_manifest_file();

std::unique_ptr<EngineSetup> set_up_engine(const SetupOptions &options);

// The settings the engine's plugins get: the file's (checked), then the
// command line's --set over them, then the command's defaults where neither
// set a key. set_up_engine uses it, and so does a reload (SIGHUP).
std::map<std::string, PluginSettings> plugin_settings_for(std::map<std::string, PluginSettings> file_settings,
                                                          const SetupOptions &options, const PluginRegistry &registry);
// The engine.* keys as the engine takes them.
EngineLimits engine_limits_from(const Config &config);

// "rule 'x': message (at byte N of the pattern)".
std::string describe(const RuleProblem &p);

}  // namespace dlpd

#endif
