// The dlpd command-line commands. Each returns the process exit code.
#ifndef DLPD_HOST_CLI_COMMANDS_HPP
#define DLPD_HOST_CLI_COMMANDS_HPP

#include <string>
#include <vector>

namespace dlpd {

using Args = std::vector<std::string>;

int command_scan(const Args &args);
int command_plugins(const Args &args);
int command_run(const Args &args);
int command_migrate(const Args &args);
int command_patterns(const Args &args);
// The browser admin (admin/): served alone, and its users.
int command_admin(const Args &args);
int command_user(const Args &args);
// What is wrong with a set-up and how to fix it (cli/command_doctor.cpp).
int command_doctor(const Args &args);

// Exit codes of `dlpd scan` (and of usage errors everywhere).
inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;
inline constexpr int kExitUnscanned = 3;  // dlpd scan --fail-on-unscanned

}  // namespace dlpd

#endif
