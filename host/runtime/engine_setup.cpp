#include "runtime/engine_setup.hpp"

#ifndef DLPD_INSTALL_DATA_DIR_ABSOLUTE
#define DLPD_INSTALL_DATA_DIR_ABSOLUTE "/usr/local/share/dlpd"
#endif

namespace dlpd {

namespace {

// share/dlpd/NAME beside the executable's bin/, else the install prefix's.
std::filesystem::path installed_data_file(const char *name) {
    const auto beside = (executable_dir().parent_path() / "share" / "dlpd" / name).lexically_normal();
    std::error_code ec;
    if (std::filesystem::exists(beside, ec)) return beside;
    return std::filesystem::path(DLPD_INSTALL_DATA_DIR_ABSOLUTE) / name;
}

}  // namespace

std::filesystem::path default_patterns_file() { return installed_data_file("patterns.yaml"); }

std::filesystem::path default_app_manifest_file() { return installed_data_file("slack-app-manifest.yaml"); }

std::string describe(const RuleProblem &p) {
    std::string out = p.rule.empty() ? p.message : "rule '" + p.rule + "': " + p.message;
    if (p.position >= 0) out += " (at byte " + std::to_string(p.position) + " of the pattern)";
    return out;
}

std::string add_plugin_setting(std::map<std::string, PluginSettings> &settings, const std::string &assignment) {
    const size_t dot = assignment.find('.');
    const size_t eq = assignment.find('=');
    if (dot == std::string::npos || eq == std::string::npos || dot == 0 || dot + 1 >= eq)
        return "'" + assignment + "' is not PLUGIN.KEY=VALUE (for example regex.max_mem_mb=512)";
    settings[assignment.substr(0, dot)][assignment.substr(dot + 1, eq - dot - 1)].push_back(assignment.substr(eq + 1));
    return {};
}

Config load_command_config(const std::optional<std::filesystem::path> &file) {
    if (!file) {
        Config defaults;
        apply_environment_fallbacks(defaults);
        return defaults;
    }
    Config config = load_config(*file);
    set_min_log_level(config.log.level);
    set_log_format(config.log.format == "json" ? LogFormat::json : LogFormat::text);
    return config;
}

std::map<std::string, PluginSettings> plugin_settings_for(std::map<std::string, PluginSettings> settings,
                                                          const SetupOptions &options, const PluginRegistry &registry) {
    for (const auto &[plugin, keys] : options.plugin_settings)
        for (const auto &[key, values] : keys) settings[plugin][key] = values;
    // The command's own defaults, for plugins that are loaded and keys that
    // neither the file nor the command line set.
    for (const auto &[plugin, keys] : options.command_defaults)
        if (registry.find_by_name(plugin) != nullptr)
            for (const auto &[key, values] : keys) settings[plugin].emplace(key, values);
    return settings;
}

EngineLimits engine_limits_from(const Config &config) {
    EngineLimits limits;
    limits.max_item_bytes = static_cast<uint64_t>(config.engine.max_item_bytes);
    limits.max_depth = static_cast<uint32_t>(config.engine.max_depth);
    limits.max_findings_per_item = static_cast<uint64_t>(config.engine.max_findings_per_item);
    limits.max_extracted_bytes = static_cast<uint64_t>(config.engine.max_extracted_bytes);
    limits.max_item_seconds = static_cast<uint32_t>(config.engine.max_item_seconds);
    return limits;
}

std::unique_ptr<EngineSetup> set_up_engine(const SetupOptions &options) {
    const Config defaults;
    const Config &config = options.config != nullptr ? *options.config : defaults;
    auto setup = std::make_unique<EngineSetup>();
    const auto dirs = !options.plugin_dirs.empty()   ? options.plugin_dirs
                      : !config.plugins.dirs.empty() ? config.plugins.dirs
                                                     : default_plugin_dirs();
    for (const auto &dir : dirs) setup->registry.load_directory(dir);

    // The file's settings are checked here, where each problem can name its
    // line. When any is wrong, the engine is built without the file's
    // settings, so that it does not report the same problems again without
    // the line; the set-up is unusable anyway.
    const auto setting_problems = check_plugin_settings(config, setup->registry);
    auto settings = plugin_settings_for(setting_problems.empty() ? config.plugins.settings
                                                                 : std::map<std::string, PluginSettings>{},
                                        options, setup->registry);
    setup->engine = std::make_unique<ScanEngine>(setup->registry, std::move(settings), engine_limits_from(config));
    setup->errors = setting_problems;
    for (const auto &p : setup->engine->startup_problems()) setup->errors.push_back(p);

    setup->patterns_file = options.patterns             ? *options.patterns
                           : !config.rules.pack.empty() ? config.rules.pack
                                                        : default_patterns_file();
    try {
        RulePack pack = load_pack(setup->patterns_file);
        setup->rules = std::move(pack.rules);
        setup->allowlist_values = std::move(pack.allowlist);
        auto allowlist = std::make_shared<ValueAllowlist>();
        allowlist->add_values(setup->allowlist_values);
        setup->engine->set_value_allowlist(std::move(allowlist));
    } catch (const RulePackError &e) {
        for (const auto &p : e.problems()) setup->errors.push_back(p);
        return setup;
    }
    // The engine runs without the file's plugin settings: compiling the rules
    // on it would only add noise to the problems already found.
    if (!setting_problems.empty()) return setup;
    const std::string origin_prefix = setup->patterns_file.string() + ": ";
    auto where = [&](const std::string &rule) {
        for (const auto &r : setup->rules)
            if (r.name == rule) return r.origin + ": ";
        return origin_prefix;
    };
    for (const auto &p : setup->engine->set_rules(setup->rules)) setup->errors.push_back(where(p.rule) + describe(p));
    if (!setup->errors.empty()) return setup;
    if (options.check_examples)
        for (const auto &p : setup->engine->check_examples(setup->rules))
            setup->errors.push_back(where(p.rule) + describe(p));
    return setup;
}

}  // namespace dlpd
