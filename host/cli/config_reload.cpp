#include "cli/config_reload.hpp"

#include <algorithm>

#include "log.hpp"
#include "runtime/rule_sync.hpp"
#include "runtime/store_startup.hpp"
#include "slack/slack_service.hpp"

namespace dlpd {

namespace {

constexpr const char *kLog = "reload";

// The keys a reload applies (a prefix ending in '.' covers a section).
constexpr std::string_view kLive[] = {"log.level",        "log.format", "policy.",
                                      "plugins.settings", "engine.",    "rules.pack"};

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

std::string signature(const RulePack &pack) {
    std::string out = write_rule_pack(pack.rules);
    for (const auto &v : pack.allowlist) out += "\nallow " + v;
    return out;
}

// Sets one key of `to` to its value in `from`.
void copy_key(std::string_view key, const Config &from, Config &to) {
    for (const ConfigKeySpec &spec : config_schema())
        if (spec.path == key) std::visit([&](auto get) { get(to) = get(const_cast<Config &>(from)); }, spec.field);
}

std::string joined(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

}  // namespace

ConfigReload::ConfigReload(std::filesystem::path file, const SetupOptions &options, bool database_given,
                           Config in_force, const EngineSetup &setup, ReloadTargets targets)
    : file_(std::move(file)),
      options_(options),
      database_given_(database_given),
      in_force_(std::move(in_force)),
      pack_signature_(signature(RulePack{setup.rules, setup.allowlist_values})),
      targets_(targets) {
    options_.config = nullptr;  // each reload names its own
}

std::filesystem::path ConfigReload::pack_file(const Config &config) const {
    return options_.patterns            ? *options_.patterns
           : !config.rules.pack.empty() ? config.rules.pack
                                        : default_patterns_file();
}

ConfigReload::KeyKind ConfigReload::kind_of(const std::string &key) const {
    // What the command line overrides does not come from the file, now or
    // at a restart.
    if ((key == "database.url" && database_given_) || (key == "plugins.dirs" && !options_.plugin_dirs.empty()) ||
        (key == "rules.pack" && options_.patterns))
        return KeyKind::overridden;
    for (const auto live : kLive)
        if (key == live || (live.back() == '.' && starts_with(key, live)) || starts_with(key, std::string(live) + "."))
            return KeyKind::live;
    return KeyKind::restart;
}

std::vector<std::string> ConfigReload::check_pack(const Config &next, RulePack &pack, bool &changed) {
    const auto file = pack_file(next);
    try {
        pack = load_pack(file);
    } catch (const RulePackError &e) {
        return e.problems();
    }
    changed = signature(pack) != pack_signature_;
    if (!changed) return {};
    // Checked as a start checks it, on an engine of its own (the new plugin
    // settings, none of the rules in force), so a daemon never runs on a
    // pack it could not start with. That engine only compiles and runs
    // examples: no Hyperscan build in the background, which its end would
    // wait for (dlpd scan does the same).
    SetupOptions check = options_;
    check.command_defaults["regex"]["prefilter"] = {"none"};
    std::vector<std::string> problems;
    ScanEngine scratch(targets_.registry, plugin_settings_for(next.plugins.settings, check, targets_.registry),
                       engine_limits_from(next));
    for (const auto &p : scratch.startup_problems()) problems.push_back(p);
    auto where = [&](const std::string &rule) {
        for (const auto &r : pack.rules)
            if (r.name == rule) return r.origin + ": ";
        return file.string() + ": ";
    };
    if (problems.empty())
        for (const auto &p : scratch.set_rules(pack.rules)) problems.push_back(where(p.rule) + describe(p));
    if (problems.empty() && options_.check_examples)
        for (const auto &p : scratch.check_examples(pack.rules)) problems.push_back(where(p.rule) + describe(p));
    return problems;
}

bool ConfigReload::reload() {
    log(LogLevel::info, kLog, "SIGHUP: reading " + file_.string(), {{"file", file_.string()}});
    auto refuse = [&](const std::vector<std::string> &problems) {
        for (const auto &p : problems)
            log(LogLevel::error, kLog, "reload refused, the configuration in force is unchanged: " + p,
                {{"file", file_.string()}});
        return false;
    };

    // 1. Everything is checked before anything changes.
    Config next;
    try {
        next = load_config(file_);
    } catch (const ConfigError &e) {
        return refuse(e.problems());
    }
    if (auto problems = check_plugin_settings(next, targets_.registry); !problems.empty()) return refuse(problems);
    RulePack pack;
    bool pack_changed = false;
    if (auto problems = check_pack(next, pack, pack_changed); !problems.empty()) return refuse(problems);

    const auto changed = changed_keys(in_force_, next);
    std::vector<std::string> applied, restart;
    for (const auto &key : changed) {
        const KeyKind kind = kind_of(key);
        if (kind == KeyKind::live) applied.push_back(key);
        if (kind == KeyKind::restart) restart.push_back(key);
    }
    if (pack_changed && std::find(applied.begin(), applied.end(), "rules.pack") == applied.end())
        applied.push_back("rules.pack (" + pack_file(next).string() + ")");

    // 2. The plugins and limits first: the one change that can still fail
    // (a plugin refusing its new settings, the rules in force not compiling
    // on them), and it changes nothing when it does.
    const auto settings = plugin_settings_for(next.plugins.settings, options_, targets_.registry);
    const auto old_settings = plugin_settings_for(in_force_.plugins.settings, options_, targets_.registry);
    if (settings != old_settings || !(next.engine == in_force_.engine)) {
        std::vector<std::string> problems;
        for (const auto &p : targets_.engine.reconfigure(settings, engine_limits_from(next)))
            problems.push_back(next.where("plugins.settings") +
                               ": the rules in force with the new plugin settings: " + describe(p));
        if (!problems.empty()) return refuse(problems);
    }

    // 3. The rest cannot fail.
    if (pack_changed) {
        const std::string origin = pack_file(next).string();
        try {
            seed_rules_if_empty(targets_.store, pack.rules, origin);
            seed_allowlist_once(targets_.store, pack.allowlist, origin);
            pack_signature_ = signature(pack);
        } catch (const StoreError &e) {
            log(LogLevel::error, kLog,
                std::string("the rule pack's allowlist values wait for the next reload: ") + e.what());
        }
    }
    // The store's rules and allowlist are checked now rather than at the
    // next poll.
    targets_.sync.notify();
    targets_.slack.set_policy(next);
    set_min_log_level(next.log.level);
    set_log_format(next.log.format == "json" ? LogFormat::json : LogFormat::text);

    for (const auto &key : restart)
        log(LogLevel::warning, kLog,
            key + " changed (" + next.where(key) + "): restart to apply; the value in force is kept", {{"key", key}});
    // A key that waits for a restart keeps its value in force, so the next
    // reload names it again.
    Config now = next;
    for (const auto &key : restart) copy_key(key, in_force_, now);
    in_force_ = std::move(now);
    log(LogLevel::info, kLog,
        applied.empty() ? "configuration reloaded from " + file_.string() + ": nothing that applies live changed"
                        : "configuration reloaded from " + file_.string() + ": applied " + joined(applied),
        {{"file", file_.string()}, {"applied", joined(applied)}, {"restart", joined(restart)}});
    return true;
}

}  // namespace dlpd
