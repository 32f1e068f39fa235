// Admin users: the checks every way of adding one goes through (`dlpd user
// add`, the Users page, the first start), and the first admin.
#ifndef DLPD_ADMIN_ACCOUNTS_HPP
#define DLPD_ADMIN_ACCOUNTS_HPP

#include <optional>
#include <string>

#include "store/store.hpp"

namespace dlpd {

inline constexpr const char *kRoleAdmin = "admin";    // everything
inline constexpr const char *kRoleViewer = "viewer";  // dashboard and incidents, masked; no edits

// Adds a user with a hashed password, audited as done by actor. Returns the
// problem (a bad name or role, a short password, a name already taken), or
// empty when the user was added. The message never contains the password.
std::string add_account(Store &store, const std::string &name, const std::string &role, const std::string &password,
                        size_t min_password_length, const std::string &actor);

struct FirstAdmin {
    std::string name;
    std::string password;  // to be shown once, never stored in clear
};

// On a store with no admin (none at all, or only viewers), creates one with
// a random password: "admin", or "admin-2", "admin-3", … when a viewer has
// that name. Nothing when an admin exists.
std::optional<FirstAdmin> create_first_admin(Store &store);

// The lines that show a first admin's password once, on standard error,
// with where to sign in. With log.format json, one json log line like every
// other, the password in its field of its own.
std::string first_admin_notice(const FirstAdmin &admin, const std::string &admin_url);

}  // namespace dlpd

#endif
