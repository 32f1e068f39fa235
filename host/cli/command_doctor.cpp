// dlpd doctor: what is wrong with this set-up and how to fix it. It checks,
// in the order `dlpd run` meets them, the configuration, the plugins, the
// rule pack, the store and Slack, and prints one line per check. It only
// looks: it applies no migration, writes no rule, user or event, and takes
// no Slack event. Exit 0: nothing needs fixing; 1: something does; 2: bad
// arguments.
#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/doctor.hpp"
#include "runtime/engine_setup.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"

namespace dlpd {

namespace {

constexpr int kExitNeedsFixing = 1;

// "1 migration", "2 migrations".
std::string counted(size_t n, const std::string &noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

struct DoctorArgs {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::string> database_url;
    std::optional<std::filesystem::path> manifest;
};

constexpr const char *kUsage =
    "usage: dlpd doctor [--config FILE] [--database URL] [--manifest FILE]\n\n"
    "Checks the configuration, the plugins, the rule pack, the store (reachable, migrations pending) and\n"
    "Slack (each token's auth.test and type, its scopes against the app manifest, Socket Mode or the\n"
    "signing secret), prints one line per check and how to fix each problem. Changes nothing.\n"
    "Exit status: 0 nothing needs fixing, 1 something does, 2 bad arguments.\n\n"
    "  --config FILE     the dlpd.yaml to check (without it, the built-in defaults and the environment)\n"
    "  --database URL    the store to check instead of database.url\n"
    "  --manifest FILE   the Slack app manifest (default: share/dlpd/slack-app-manifest.yaml)\n";

// Loads the configuration; false when it does not load (the report says why).
bool check_configuration(DoctorReport &report, const std::optional<std::filesystem::path> &file, Config &config) {
    if (!file) {
        // The defaults with the environment's fallbacks (SLACK_*, DLPD_DATABASE_URL), as dlpd run takes them.
        try {
            config = load_command_config(std::nullopt);
        } catch (const ConfigError &e) {
            report.problem("configuration", "the environment's values do not load",
                           "correct the variables named", e.problems());
            return false;
        }
        report.skipped("configuration", "no --config FILE given: checking the built-in defaults and the environment");
        return true;
    }
    try {
        config = load_command_config(file);
    } catch (const ConfigError &e) {
        report.problem("configuration", file->string() + " does not load",
                       "correct the file; config/dlpd.yaml documents every key with its default", e.problems());
        return false;
    }
    report.ok("configuration", file->string() + " loads");
    return true;
}

// The plugins and the rule pack, set up the way `dlpd run` does; the engine
// is kept for checking the store's rules.
std::unique_ptr<EngineSetup> check_plugins_and_rules(DoctorReport &report, const Config &config) {
    SetupOptions options;
    options.config = &config;
    // The process ends right after: no background Hyperscan build.
    options.command_defaults["regex"]["prefilter"] = {"none"};
    auto setup = set_up_engine(options);

    const auto dirs = config.plugins.dirs.empty() ? default_plugin_dirs() : config.plugins.dirs;
    std::string folders;
    for (const auto &d : dirs) folders += (folders.empty() ? "" : ", ") + d.string();
    // set_up_engine() lists every problem together; those of the plugins are
    // told apart here, the rest are the rule pack's.
    std::vector<std::string> plugin_problems = check_plugin_settings(config, setup->registry);
    for (const auto &p : setup->engine->startup_problems()) plugin_problems.push_back(p);
    const auto &registry = setup->registry;
    if (registry.loaded().empty()) {
        report.problem("plugins", "no plugin loaded from " + folders,
                       "install or build the plugins (lib/dlpd/plugins beside bin/), or point plugins.dirs or "
                       "DLPD_PLUGIN_PATH at them");
    } else {
        std::string names;
        for (const auto &p : registry.loaded()) names += (names.empty() ? "" : ", ") + p->name + " " + p->version;
        report.ok("plugins", std::to_string(registry.loaded().size()) + " loaded from " + folders + " (" + names + ")");
    }
    if (!registry.refused().empty()) {
        std::vector<std::string> refused;
        for (const auto &r : registry.refused()) refused.push_back(r.file.string() + ": " + r.reason);
        report.problem("plugins", std::to_string(refused.size()) + " refused",
                       "remove the file from the plugin folder, or rebuild it against this dlpd's plugin ABI "
                       "(`dlpd plugins` shows the versions)",
                       refused);
    }
    if (!plugin_problems.empty())
        report.problem("plugins", "the plugin settings are not accepted",
                       "correct plugins.settings (`dlpd plugins --verbose` lists each plugin's keys)", plugin_problems);

    std::vector<std::string> rule_problems;
    for (const auto &e : setup->errors)
        if (std::find(plugin_problems.begin(), plugin_problems.end(), e) == plugin_problems.end())
            rule_problems.push_back(e);
    const std::string pack = setup->patterns_file.string();
    if (!rule_problems.empty())
        report.problem("rule pack", pack + " is not usable",
                       "correct the pack (each problem names the file, line and rule); `dlpd scan --patterns FILE` "
                       "checks a pack the same way",
                       rule_problems);
    else if (!plugin_problems.empty())
        report.skipped("rule pack", pack + ": the plugin settings must be fixed first");
    else
        report.ok("rule pack",
                  std::to_string(setup->rules.size()) + " rules in " + pack + " compile, and their examples behave");
    return setup;
}

// How `dlpd migrate` is run against the same store, for a fix line.
std::string migrate_command(const DoctorArgs &args) {
    if (args.database_url) return "dlpd migrate --database URL (the same URL)";
    if (args.config_file) return "dlpd migrate --config " + args.config_file->string();
    return "dlpd migrate";
}

// Reachable, and up to date with the migrations this dlpd knows; then its
// rules, on the engine (`dlpd run` refuses a stored rule set that does not
// compile and keeps the rules it had).
void check_store(DoctorReport &report, const Config &config, const DoctorArgs &args, EngineSetup *setup) {
    std::string error;
    auto url = parse_database_url(config.database.url, error);
    if (!url) {
        report.problem("store", error,
                       "set database.url (or --database) to sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/DATABASE");
        return;
    }
    report.add_secret(url->password);
    const int newest = migrations_for(url->dialect).back().version;
    const std::string name = url->redacted();
    if (url->dialect == DatabaseUrl::Dialect::sqlite) {
        // Opening a SQLite file that is not there would create it.
        const std::filesystem::path file(url->path);
        const auto folder = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
        std::error_code ec;
        if (!std::filesystem::exists(folder, ec)) {
            report.problem("store", name + ": the folder " + folder.string() + " does not exist",
                           "create the folder, or point database.url elsewhere");
            return;
        }
        if (!std::filesystem::exists(file, ec)) {
            report.problem(
                "store", name + " does not exist yet (schema version 0, the newest is " + std::to_string(newest) + ")",
                migrate_command(args) + " creates it (dlpd run also does, at start-up)");
            return;
        }
    }
    StoreOptions options;
    options.pool_size = 1;
    options.connect_timeout_seconds = static_cast<int>(config.database.connect_timeout_seconds);
    std::unique_ptr<Store> store;
    int version = 0;
    try {
        store = Store::open(*url, options);
        version = store->schema_version();
    } catch (const StoreError &e) {
        report.problem("store", e.what(),
                       url->dialect == DatabaseUrl::Dialect::mysql
                           ? "check that the MySQL/MariaDB server runs and accepts connections at " + url->host + ":" +
                                 std::to_string(url->port) +
                                 ", and the user, password and database in database.url (or DLPD_DATABASE_URL)"
                           : "check the file's permissions, and that it is a dlpd database");
        return;
    }
    if (version < newest) {
        report.problem("store",
                       name + ": " + counted(static_cast<size_t>(newest - version), "migration") +
                           " pending (schema version " + std::to_string(version) + ", the newest is " +
                           std::to_string(newest) + ")",
                       migrate_command(args) + " applies them (dlpd run also does, at start-up)");
        report.skipped("stored rules", "the store must be up to date first");
        return;
    }
    if (version > newest) {
        report.problem("store",
                       name + ": schema version " + std::to_string(version) + " is newer than this dlpd's (" +
                           std::to_string(newest) + ")",
                       "run the dlpd that migrated this database, or upgrade this one");
        return;
    }
    report.ok("store", name + " is reachable, schema version " + std::to_string(version) + " (up to date)");

    if (setup == nullptr || !setup->errors.empty()) {
        report.skipped("stored rules", "the plugins and the rule pack must be usable first");
        return;
    }
    std::vector<Rule> rules;
    try {
        rules = store->rules();
    } catch (const StoreError &e) {
        report.problem("stored rules", e.what(), "check the database (dlpd migrate reports what is wrong with it)");
        return;
    }
    if (rules.empty()) {
        report.skipped("stored rules", "none yet: dlpd run imports the rule pack on its first start");
        return;
    }
    std::vector<std::string> problems;
    for (const auto &p : setup->engine->set_rules(rules)) problems.push_back(describe(p));
    if (problems.empty())
        for (const auto &p : setup->engine->check_examples(rules)) problems.push_back(describe(p));
    if (!problems.empty())
        report.problem("stored rules", counted(problems.size(), "problem") + " in the store's rules",
                       "edit or disable those rules on the admin's Patterns page, or re-import a corrected pack with "
                       "`dlpd patterns import FILE`",
                       problems);
    else
        report.ok("stored rules", counted(rules.size(), "rule") + " compile, and their examples behave");
}

}  // namespace

int command_doctor(const Args &args) {
    DoctorArgs a;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return kExitClean;
        }
        if (arg != "--config" && arg != "--database" && arg != "--manifest") {
            std::cerr << "dlpd doctor: unknown argument '" << arg << "'\n" << kUsage;
            return kExitError;
        }
        if (i + 1 >= args.size()) {
            std::cerr << "dlpd doctor: " << arg << " needs a value\n";
            return kExitError;
        }
        const std::string &value = args[++i];
        if (arg == "--config") a.config_file = value;
        if (arg == "--database") a.database_url = value;
        if (arg == "--manifest") a.manifest = value;
    }

    DoctorReport report(std::cout);
    Config config;
    const bool loaded = check_configuration(report, a.config_file, config);
    // The report says what the components would log; their own lines are
    // kept to warnings and errors.
    set_min_log_level(std::max(config.log.level, LogLevel::warning));
    if (a.database_url) config.database.url = *a.database_url;
    for (const auto *secret :
         {&config.slack.app_token, &config.slack.bot_token, &config.slack.user_token, &config.slack.signing_secret})
        report.add_secret(*secret);
    if (!loaded) {
        for (const char *check : {"plugins", "rule pack", "store", "Slack"})
            report.skipped(check, "the configuration must load first");
    } else {
        auto setup = check_plugins_and_rules(report, config);
        check_store(report, config, a, setup.get());
        check_slack(report, config, a.manifest ? *a.manifest : default_app_manifest_file());
    }
    report.summary();
    return report.problems() == 0 ? kExitClean : kExitNeedsFixing;
}

}  // namespace dlpd
