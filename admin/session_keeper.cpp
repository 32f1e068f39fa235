#include "admin/session_keeper.hpp"

#include "admin/accounts.hpp"
#include "admin/password_hash.hpp"

namespace dlpd {

namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

bool SignedIn::is_admin() const { return user.role == kRoleAdmin; }

SessionKeeper::SessionKeeper(Store &store, std::chrono::minutes idle, std::chrono::hours max_age)
    : store_(store), idle_(idle), max_age_(max_age) {}

SessionKeeper::Started SessionKeeper::start(const AdminUser &user) {
    const int64_t now = now_ms();
    store_.delete_stale_admin_sessions(now, now - idle_.count());
    Started started;
    started.id = random_token();
    started.signed_in.user = user;
    AdminSession &s = started.signed_in.session;
    s.id_hash = sha256_hex(started.id);
    s.user_id = user.id;
    s.csrf_token = random_token();
    s.created_at_ms = now;
    s.last_seen_at_ms = now;
    s.expires_at_ms = now + max_age_.count();
    store_.add_admin_session(s);
    return started;
}

std::optional<SignedIn> SessionKeeper::find(const std::string &id) {
    if (id.size() != 64) return std::nullopt;
    const std::string id_hash = sha256_hex(id);
    auto session = store_.admin_session(id_hash);
    if (!session) return std::nullopt;
    const int64_t now = now_ms();
    if (now >= session->expires_at_ms || now - session->last_seen_at_ms > idle_.count()) {
        store_.delete_admin_session(id_hash);
        return std::nullopt;
    }
    auto user = store_.admin_user(session->user_id);
    if (!user || user->disabled) return std::nullopt;
    store_.touch_admin_session(id_hash, now);
    session->last_seen_at_ms = now;
    return SignedIn{*user, *session};
}

void SessionKeeper::end(const std::string &id) { store_.delete_admin_session(sha256_hex(id)); }

}  // namespace dlpd
