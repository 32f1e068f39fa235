// dlpd plugins: what is loaded, with ABI versions and roles, and what was
// refused and why.
#include <iostream>

#include "cli/commands.hpp"
#include "runtime/engine_setup.hpp"
#include "engine/plugin_registry.hpp"

namespace dlpd {

int command_plugins(const Args &args) {
    std::vector<std::filesystem::path> dirs;
    std::optional<std::filesystem::path> config_file;
    bool verbose = false;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--plugin-dir" && i + 1 < args.size()) {
            dirs.emplace_back(args[++i]);
        } else if (args[i] == "--config" && i + 1 < args.size()) {
            config_file = args[++i];
        } else if (args[i] == "-v" || args[i] == "--verbose") {
            verbose = true;
        } else if (args[i] == "--help" || args[i] == "-h") {
            std::cout << "usage: dlpd plugins [--config FILE] [--plugin-dir DIR]... [--verbose]\n\n"
                         "Lists loaded plugins (name, version, ABI, roles, file) and refused ones with the reason.\n"
                         "--verbose also prints each plugin's configuration schema.\n";
            return kExitClean;
        } else {
            std::cerr << "dlpd plugins: unknown argument '" << args[i] << "'\n";
            return kExitError;
        }
    }
    if (dirs.empty() && config_file) {
        try {
            dirs = load_command_config(config_file).plugins.dirs;
        } catch (const ConfigError &e) {
            for (const auto &p : e.problems()) std::cerr << "dlpd plugins: " << p << "\n";
            return kExitError;
        }
    }
    if (dirs.empty()) dirs = default_plugin_dirs();
    PluginRegistry registry;
    for (const auto &d : dirs) registry.load_directory(d);

    std::cout << "plugin folders:";
    for (const auto &d : dirs) std::cout << ' ' << d.string();
    std::cout << "\n\nloaded (" << registry.loaded().size() << "):\n";
    for (const auto &p : registry.loaded()) {
        std::string roles;
        for (const auto &r : p->roles()) roles += (roles.empty() ? "" : ", ") + r;
        std::cout << "  " << p->name << ' ' << p->version << "  ABI " << p->abi_major << '.' << p->abi_minor << "  ["
                  << roles << "]  " << p->id << "  " << p->file.string() << '\n';
        if (verbose) {
            std::cout << "      " << p->description << '\n';
            for (const auto &k : p->config_keys)
                std::cout << "      " << k.name << " (" << config_type_name(k.type)
                          << (k.has_default ? ", default " + k.default_value : "") << "): " << k.description << '\n';
        }
    }
    std::cout << "\nrefused (" << registry.refused().size() << "):\n";
    for (const auto &r : registry.refused()) std::cout << "  " << r.file.string() << ": " << r.reason << '\n';
    return kExitClean;
}

}  // namespace dlpd
