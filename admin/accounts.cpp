#include "admin/accounts.hpp"

#include <chrono>

#include "admin/password_hash.hpp"
#include "log.hpp"

namespace dlpd {

namespace {

constexpr size_t kMaxNameChars = 64;

bool valid_name(const std::string &name) {
    if (name.empty() || name.size() > kMaxNameChars) return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-' && c != '@') return false;
    return true;
}

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::string add_account(Store &store, const std::string &name, const std::string &role, const std::string &password,
                        size_t min_password_length, const std::string &actor) {
    if (!valid_name(name))
        return "the user name must be 1 to " + std::to_string(kMaxNameChars) +
               " letters, digits or . _ - @ characters";
    if (role != kRoleAdmin && role != kRoleViewer) return "the role must be admin or viewer";
    if (password.size() < min_password_length)
        return "the password must be at least " + std::to_string(min_password_length) + " characters long";
    AdminUser user;
    user.name = name;
    user.role = role;
    user.password_hash = hash_password(password);
    user.created_at_ms = now_ms();
    if (!store.add_admin_user(user, actor)) return "a user named '" + name + "' already exists";
    return {};
}

std::optional<FirstAdmin> create_first_admin(Store &store) {
    constexpr int kMaxNameTries = 100;
    if (store.count_admin_users(kRoleAdmin) > 0) return std::nullopt;
    FirstAdmin first;
    first.password = random_token().substr(0, 24);
    AdminUser user;
    user.role = kRoleAdmin;
    user.password_hash = hash_password(first.password);
    user.created_at_ms = now_ms();
    for (int n = 1; n <= kMaxNameTries; ++n) {
        user.name = n == 1 ? "admin" : "admin-" + std::to_string(n);
        if (store.admin_user(user.name)) continue;  // a viewer has the name
        // Another replica starting at the same moment may win: then its admin stands.
        if (!store.add_admin_user(user, "dlpd (first start)")) return std::nullopt;
        first.name = user.name;
        return first;
    }
    return std::nullopt;
}

std::string first_admin_notice(const FirstAdmin &admin, const std::string &admin_url) {
    if (log_format() == LogFormat::json)
        return json_log_line(std::chrono::system_clock::now(), LogLevel::warning, "admin",
                             "first start: created the admin user '" + admin.name + "'; sign in at " + admin_url +
                                 " with the password in this line's password field, shown only this once",
                             {{"user", admin.name}, {"password", admin.password}, {"url", admin_url}});
    const std::string rule(72, '=');
    return "dlpd: " + rule + "\n" +
           "dlpd: first start: created the admin user '" + admin.name + "' with the password\n" +
           "dlpd:\n" +
           "dlpd:     " + admin.password + "\n" +
           "dlpd:\n" +
           "dlpd: Sign in at " + admin_url + " and add your own users. This password is shown\n" +
           "dlpd: only this once and is not written to any log.\n" +
           "dlpd: " + rule + "\n";
}

}  // namespace dlpd
