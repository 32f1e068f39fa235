// Signed-in browsers. A session id is 256 random bits, given to the browser
// in a cookie and kept in the store only as its SHA-256. A session ends on
// sign-out, after admin.session_idle_minutes without a request, and
// admin.session_max_hours after it began.
#ifndef DLPD_ADMIN_SESSION_KEEPER_HPP
#define DLPD_ADMIN_SESSION_KEEPER_HPP

#include <chrono>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace dlpd {

struct SignedIn {
    AdminUser user;
    AdminSession session;
    bool is_admin() const;
};

class SessionKeeper {
public:
    SessionKeeper(Store &store, std::chrono::minutes idle, std::chrono::hours max_age);

    struct Started {
        std::string id;  // for the cookie only: never logged, never stored
        SignedIn signed_in;
    };
    Started start(const AdminUser &user);

    // The live session a cookie value names, marked as used now; nothing when
    // it is unknown, expired, or its user is gone or disabled.
    std::optional<SignedIn> find(const std::string &id);

    void end(const std::string &id);

private:
    Store &store_;
    std::chrono::milliseconds idle_;
    std::chrono::milliseconds max_age_;
};

}  // namespace dlpd

#endif
