// dlpd: the data-loss-prevention daemon for Slack, and its command line.
#include <cstring>
#include <iostream>

#include "cli/commands.hpp"

#ifndef DLPD_VERSION_STRING
#define DLPD_VERSION_STRING "0.0.0"
#endif

namespace {

constexpr const char *kUsage = R"(usage: dlpd COMMAND [OPTIONS]

commands:
  run       the daemon: loads plugins and rules, then serves until SIGINT/SIGTERM
  scan      scan files, folders (recursively) or standard input (-)
  plugins   list loaded plugins, their ABI versions, and refused plugins with the reason
  migrate   apply the database schema migrations
  patterns  import or export rule packs to and from the database
  admin     serve the browser admin alone (without Slack)
  user      add a user of the browser admin: user add NAME [--role admin|viewer] --password-stdin
  doctor    check the set-up (configuration, plugins, rules, store, Slack) and say how to fix it
  version   print the version

Run 'dlpd COMMAND --help' for a command's options.
)";

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::cerr << kUsage;
        return dlpd::kExitError;
    }
    const std::string command = argv[1];
    dlpd::Args args(argv + 2, argv + argc);
    try {
        if (command == "scan") return dlpd::command_scan(args);
        if (command == "plugins") return dlpd::command_plugins(args);
        if (command == "run") return dlpd::command_run(args);
        if (command == "migrate") return dlpd::command_migrate(args);
        if (command == "patterns") return dlpd::command_patterns(args);
        if (command == "admin") return dlpd::command_admin(args);
        if (command == "user") return dlpd::command_user(args);
        if (command == "doctor") return dlpd::command_doctor(args);
        if (command == "version" || command == "--version") {
            std::cout << "dlpd " DLPD_VERSION_STRING "\n";
            return 0;
        }
        if (command == "help" || command == "--help" || command == "-h") {
            std::cout << kUsage;
            return 0;
        }
        std::cerr << "dlpd: unknown command '" << command << "'\n" << kUsage;
        return dlpd::kExitError;
    } catch (const std::exception &e) {
        std::cerr << "dlpd: error: " << e.what() << "\n";
        return dlpd::kExitError;
    }
}
