// dlpd user add NAME [--role admin|viewer] --password-stdin [--config FILE | --database URL]:
// adds a user of the browser admin. The password is read from standard input
// (first line), never from the command line, where other users could see it.
// Without --role, the first admin of a store with none is an admin (someone
// must be able to edit patterns); every later user is a viewer.
#include <iostream>

#include "admin/accounts.hpp"
#include "cli/commands.hpp"
#include "runtime/engine_setup.hpp"
#include "runtime/store_startup.hpp"
#include "store/store.hpp"

namespace dlpd {

namespace {

constexpr const char *kUserUsage =
    "usage: dlpd user add NAME [--role admin|viewer] --password-stdin [--config FILE | --database URL]\n";

}  // namespace

int command_user(const Args &args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kUserUsage;
        return args.empty() ? kExitError : kExitClean;
    }
    if (args[0] != "add" || args.size() < 2) {
        std::cerr << "dlpd user: unknown subcommand\n" << kUserUsage;
        return kExitError;
    }
    const std::string name = args[1];
    std::string role;  // empty: admin when the store has none, else viewer
    std::optional<std::filesystem::path> config_file;
    std::optional<std::string> database_url;
    bool password_stdin = false;
    for (size_t i = 2; i < args.size(); ++i) {
        if (args[i] == "--role" && i + 1 < args.size()) {
            role = args[++i];
        } else if (args[i] == "--config" && i + 1 < args.size()) {
            config_file = args[++i];
        } else if (args[i] == "--database" && i + 1 < args.size()) {
            database_url = args[++i];
        } else if (args[i] == "--password-stdin") {
            password_stdin = true;
        } else {
            std::cerr << "dlpd user: unknown argument '" << args[i] << "'\n" << kUserUsage;
            return kExitError;
        }
    }
    if (!password_stdin) {
        std::cerr << "dlpd user: give the password on standard input with --password-stdin\n";
        return kExitError;
    }
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    try {
        const Config config = load_command_config(config_file);
        std::string error;
        auto url = parse_database_url(database_url ? *database_url : config.database.url, error);
        if (!url) {
            std::cerr << "dlpd user: " << error << "\n";
            return kExitError;
        }
        auto store = Store::open(*url, store_options_from(config));
        store->migrate();
        if (role.empty()) {
            role = store->count_admin_users(kRoleAdmin) == 0 ? kRoleAdmin : kRoleViewer;
            if (role == kRoleAdmin)
                std::cout << "the store has no admin yet, so '" << name
                          << "' is an admin (give --role viewer for a viewer)\n";
        }
        if (auto problem = add_account(*store, name, role, password,
                                       static_cast<size_t>(config.admin.min_password_length), "cli");
            !problem.empty()) {
            std::cerr << "dlpd user: " << problem << "\n";
            return kExitError;
        }
        std::cout << "added " << role << " '" << name << "' to " << url->redacted() << "\n";
        return kExitClean;
    } catch (const ConfigError &e) {
        for (const auto &p : e.problems()) std::cerr << "dlpd user: " << p << "\n";
    } catch (const StoreError &e) {
        std::cerr << "dlpd user: " << e.what() << "\n";
    }
    return kExitError;
}

}  // namespace dlpd
