// dlpd migrate and dlpd patterns import|export: the store from the command
// line. Both fail fast, with a message that names the database (password
// redacted) and the reason.
#include <fstream>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "runtime/engine_setup.hpp"
#include "store/key_file.hpp"
#include "store/store.hpp"

namespace dlpd {

namespace {

struct StoreArgs {
    std::string database_url = "sqlite:dlpd.db";
    bool database_given = false;  // --database wins over --config
    std::vector<std::filesystem::path> plugin_dirs;
    std::map<std::string, PluginSettings> plugin_settings;
    std::string actor = "cli";
    std::vector<std::string> positional;
    std::filesystem::path key_file;  // database.key_file of --config, when set and texts are kept
};

// Parses the options shared by the store commands; returns false (after
// printing why) on a bad argument.
bool parse_store_args(const Args &args, const char *command, StoreArgs &out) {
    if (const char *env = std::getenv("DLPD_DATABASE_URL"); env != nullptr && *env != '\0') out.database_url = env;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size()) {
                std::cerr << "dlpd " << command << ": " << a << " needs a value\n";
                return std::nullopt;
            }
            return args[++i];
        };
        std::optional<std::string> v;
        if (a == "--database") {
            if (!(v = value())) return false;
            out.database_url = *v;
            out.database_given = true;
        } else if (a == "--config") {
            if (!(v = value())) return false;
            try {
                const Config config = load_command_config(std::filesystem::path(*v));
                if (!out.database_given) out.database_url = config.database.url;
                if (config.database.store_message_text) out.key_file = config.database.key_file;
                if (out.plugin_dirs.empty())
                    for (const auto &d : config.plugins.dirs) out.plugin_dirs.emplace_back(d);
                for (const auto &[plugin, keys] : config.plugins.settings)
                    for (const auto &[key, values] : keys)
                        if (out.plugin_settings[plugin].count(key) == 0) out.plugin_settings[plugin][key] = values;
            } catch (const ConfigError &e) {
                for (const auto &p : e.problems()) std::cerr << "dlpd " << command << ": " << p << "\n";
                return false;
            }
        } else if (a == "--plugin-dir") {
            if (!(v = value())) return false;
            out.plugin_dirs.emplace_back(*v);
        } else if (a == "--set") {
            if (!(v = value())) return false;
            if (auto error = add_plugin_setting(out.plugin_settings, *v); !error.empty()) {
                std::cerr << "dlpd " << command << ": --set " << error << "\n";
                return false;
            }
        } else if (a == "--actor") {
            if (!(v = value())) return false;
            out.actor = *v;
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            std::cerr << "dlpd " << command << ": unknown option '" << a << "'\n";
            return false;
        } else {
            out.positional.push_back(a);
        }
    }
    return true;
}

std::unique_ptr<Store> open_store_or_report(const std::string &url_text, const char *command) {
    std::string error;
    auto url = parse_database_url(url_text, error);
    if (!url) {
        std::cerr << "dlpd " << command << ": " << error << "\n";
        return nullptr;
    }
    try {
        auto store = Store::open(*url);
        store->migrate();
        return store;
    } catch (const StoreError &e) {
        std::cerr << "dlpd " << command << ": " << e.what() << "\n";
        return nullptr;
    }
}

constexpr const char *kStoreOptions =
    "  --config FILE       take database.url and the plugin settings from a dlpd.yaml\n"
    "  --database URL      sqlite:PATH (default sqlite:dlpd.db, or $DLPD_DATABASE_URL) or\n"
    "                      mysql://USER:PASSWORD@HOST:PORT/DATABASE\n";

}  // namespace

int command_migrate(const Args &args) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::cout << "usage: dlpd migrate [--config FILE] [--database URL]\n\nApplies the schema migrations not applied "
                     "yet. With --config, also creates the key file database.key_file names.\n"
                  << kStoreOptions;
        return kExitClean;
    }
    StoreArgs a;
    if (!parse_store_args(args, "migrate", a) || !a.positional.empty()) return kExitError;
    std::string error;
    auto url = parse_database_url(a.database_url, error);
    if (!url) {
        std::cerr << "dlpd migrate: " << error << "\n";
        return kExitError;
    }
    try {
        auto store = Store::open(*url);
        const auto applied = store->migrate();
        for (const auto &m : applied) std::cout << "applied migration " << m << "\n";
        std::cout << url->redacted() << ": schema version " << store->schema_version()
                  << (applied.empty() ? " (already up to date)" : "") << "\n";
        // A configured key file is made now, not at the first event, so an
        // installer can see it and back it up.
        const char *env_key = std::getenv("DLPD_ENCRYPTION_KEY");
        if (!a.key_file.empty() && (env_key == nullptr || *env_key == '\0')) {
            const bool existed = std::filesystem::exists(a.key_file);
            read_key_file(a.key_file, true);
            std::cout << "message texts are sealed with the key in " << a.key_file.string()
                      << (existed ? "" : " (created, mode 0600: back it up apart from the database)") << "\n";
        }
        return kExitClean;
    } catch (const StoreError &e) {
        std::cerr << "dlpd migrate: " << e.what() << "\n";
        return kExitError;
    }
}

int command_patterns(const Args &args) {
    constexpr const char *usage =
        "usage: dlpd patterns import FILE [--database URL] [--plugin-dir DIR]... [--set PLUGIN.KEY=VALUE]...\n"
        "       dlpd patterns export FILE|- [--database URL]\n\n"
        "import checks every rule (it compiles, its validators exist, its examples behave) and applies\n"
        "nothing if any fails; rules are matched by name, so importing again updates them.\n"
        "export writes the stored rules as a pack that imports back to the same rules.\n";
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << usage << kStoreOptions;
        return args.empty() ? kExitError : kExitClean;
    }
    const std::string verb = args[0];
    StoreArgs a;
    if (!parse_store_args(Args(args.begin() + 1, args.end()), "patterns", a)) return kExitError;
    if (a.positional.size() != 1 || (verb != "import" && verb != "export")) {
        std::cerr << usage;
        return kExitError;
    }
    const std::string file = a.positional[0];
    auto store = open_store_or_report(a.database_url, "patterns");
    if (!store) return kExitError;

    if (verb == "export") {
        try {
            const std::string pack = write_rule_pack(store->rules());
            if (file == "-") {
                std::cout << pack;
            } else {
                std::ofstream out(file, std::ios::binary);
                out << pack;
                if (!out) {
                    std::cerr << "dlpd patterns export: cannot write " << file << "\n";
                    return kExitError;
                }
            }
            std::cerr << "exported " << store->rules().size() << " rules (revision " << store->rules_revision()
                      << ")\n";
            return kExitClean;
        } catch (const StoreError &e) {
            std::cerr << "dlpd patterns export: " << e.what() << "\n";
            return kExitError;
        }
    }

    std::vector<Rule> incoming;
    try {
        incoming = load_rule_pack(file);
    } catch (const RulePackError &e) {
        for (const auto &p : e.problems()) std::cerr << "dlpd patterns import: " << p << "\n";
        std::cerr << "dlpd patterns import: nothing was imported\n";
        return kExitError;
    }
    // Check the rule set as it will be after the import: the stored rules
    // with the incoming ones replacing those of the same name.
    PluginRegistry registry;
    for (const auto &dir : a.plugin_dirs.empty() ? default_plugin_dirs() : a.plugin_dirs) registry.load_directory(dir);
    // A check that runs once and exits has no use for the regex plugin's
    // background Hyperscan build (which would still be running at exit).
    auto settings = a.plugin_settings;
    if (registry.find_by_name("regex")) settings["regex"].emplace("prefilter", std::vector<std::string>{"none"});
    ScanEngine scratch(registry, settings);
    std::vector<std::string> problems(scratch.startup_problems());
    std::vector<Rule> merged;
    std::set<std::string> incoming_names;
    for (const auto &r : incoming) incoming_names.insert(r.name);
    try {
        for (auto &r : store->rules())
            if (incoming_names.count(r.name) == 0) merged.push_back(std::move(r));
    } catch (const StoreError &e) {
        std::cerr << "dlpd patterns import: " << e.what() << "\n";
        return kExitError;
    }
    merged.insert(merged.end(), incoming.begin(), incoming.end());
    auto where = [&](const std::string &rule) {
        for (const auto &r : incoming)
            if (r.name == rule) return r.origin + ": ";
        return rule.empty() ? file + ": " : std::string("stored ");
    };
    for (const auto &p : scratch.set_rules(merged)) problems.push_back(where(p.rule) + describe(p));
    if (problems.empty())
        for (const auto &p : scratch.check_examples(incoming)) problems.push_back(where(p.rule) + describe(p));
    if (!problems.empty()) {
        for (const auto &p : problems) std::cerr << "dlpd patterns import: " << p << "\n";
        std::cerr << "dlpd patterns import: nothing was imported\n";
        return kExitError;
    }
    try {
        const auto change = store->upsert_rules(incoming, a.actor);
        std::cout << "imported " << incoming.size() << " rules from " << file << ": " << change.added << " new, "
                  << change.updated << " updated, " << change.unchanged << " unchanged; rule revision "
                  << change.revision << "\n";
        return kExitClean;
    } catch (const StoreError &e) {
        std::cerr << "dlpd patterns import: " << e.what() << "\n";
        return kExitError;
    }
}

}  // namespace dlpd
