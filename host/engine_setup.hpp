// What every command that scans needs: plugins loaded from the right
// places, an engine with instances of them, and a rule pack installed and
// its examples checked. Problems are collected as messages for the CLI.
#ifndef DLPD_HOST_ENGINE_SETUP_HPP
#define DLPD_HOST_ENGINE_SETUP_HPP

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugin_registry.hpp"
#include "rule_pack.hpp"
#include "scan_engine.hpp"

namespace dlpd {

struct SetupOptions {
    std::vector<std::filesystem::path> plugin_dirs;  // empty: default_plugin_dirs()
    std::optional<std::filesystem::path> patterns;   // empty: default_patterns_file()
    // Plugin settings by plugin name, checked against each plugin's schema.
    std::map<std::string, PluginSettings> plugin_settings;
};

// Parses "PLUGIN.KEY=VALUE" (from --set) into settings; a repeated key
// appends (for list keys). Returns an error message, or empty.
std::string add_plugin_setting(std::map<std::string, PluginSettings> &settings, const std::string &assignment);

struct EngineSetup {
    PluginRegistry registry;
    std::unique_ptr<ScanEngine> engine;
    std::vector<Rule> rules;
    std::filesystem::path patterns_file;
    // Errors that make the setup unusable (bad pack, rule that does not
    // compile, failing example). Empty when ready to scan.
    std::vector<std::string> errors;
};

// The starter pack: share/dlpd/patterns.yaml beside the executable's bin/
// (the build tree mirrors the install layout), or the install prefix's.
std::filesystem::path default_patterns_file();

std::unique_ptr<EngineSetup> set_up_engine(const SetupOptions &options);

// "rule 'x': message (at byte N of the pattern)".
std::string describe(const RuleProblem &p);

}  // namespace dlpd

#endif
