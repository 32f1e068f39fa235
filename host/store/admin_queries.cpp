// The Store members the browser admin uses: its users and sessions, and the
// incident list's filters and counts. Every value from a request is a bound
// parameter; column names come from closed lists.
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include "store/store.hpp"
#include "store/store_internal.hpp"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;

namespace dlpd {

namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

std::vector<AdminUser> select_users(Session &s, const std::string &where, Poco::Data::AbstractBindingVec bindings) {
    std::vector<Poco::Int64> ids, created;
    std::vector<std::string> names, hashes, roles;
    std::vector<int> disabled;
    Poco::Data::Statement select(s);
    select << "SELECT id, name, password_hash, role, disabled, created_at FROM admin_users " + where +
                  " ORDER BY name",
        bindings, into(ids), into(names), into(hashes), into(roles), into(disabled), into(created);
    select.execute();
    std::vector<AdminUser> out;
    for (size_t i = 0; i < ids.size(); ++i)
        out.push_back({ids[i], names[i], hashes[i], roles[i], disabled[i] != 0, created[i]});
    return out;
}

// " WHERE ..." for a filter, with its bindings appended to `bindings`.
std::string filter_clause(const IncidentFilter &f, Poco::Data::AbstractBindingVec &bindings) {
    std::string where;
    auto add = [&](const std::string &condition, Poco::Data::AbstractBinding::Ptr binding) {
        where += (where.empty() ? " WHERE " : " AND ") + condition;
        bindings.push_back(std::move(binding));
    };
    if (f.from_ms > 0) add("created_at >= ?", bind(Poco::Int64{f.from_ms}));
    if (f.to_ms > 0) add("created_at < ?", bind(Poco::Int64{f.to_ms}));
    if (!f.channel_id.empty()) add("channel_id = ?", bind(f.channel_id));
    if (!f.user_id.empty()) add("user_id = ?", bind(f.user_id));
    if (!f.rule.empty()) add("rule_name = ?", bind(f.rule));
    // INSTR, not LIKE: the text is taken literally, with no wildcards to escape.
    if (!f.action_result.empty()) add("INSTR(action_results, ?) > 0", bind(f.action_result));
    return where;
}

}  // namespace

int64_t Store::count_admin_users(const std::string &role_in) {
    Session s = store_internal::session(*impl_);
    Poco::Int64 count = 0;
    std::string role = role_in;
    try {
        if (role.empty())
            s << "SELECT COUNT(*) FROM admin_users", into(count), now;
        else
            s << "SELECT COUNT(*) FROM admin_users WHERE role = ?", use(role), into(count), now;
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot count the admin users", e);
    }
    return count;
}

std::vector<AdminUser> Store::admin_users() {
    Session s = store_internal::session(*impl_);
    try {
        return select_users(s, "", {});
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot read the admin users", e);
    }
}

std::optional<AdminUser> Store::admin_user(const std::string &name) {
    Session s = store_internal::session(*impl_);
    try {
        auto users = select_users(s, "WHERE name = ?", {bind(name)});
        if (users.empty()) return std::nullopt;
        return users[0];
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot read the admin user", e);
    }
}

std::optional<AdminUser> Store::admin_user(int64_t id) {
    Session s = store_internal::session(*impl_);
    try {
        auto users = select_users(s, "WHERE id = ?", {bind(Poco::Int64{id})});
        if (users.empty()) return std::nullopt;
        return users[0];
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot read the admin user", e);
    }
}

bool Store::add_admin_user(const AdminUser &user, const std::string &actor) {
    Session s = store_internal::session(*impl_);
    std::string name = user.name, hash = user.password_hash, role = user.role;
    int disabled = user.disabled ? 1 : 0;
    Poco::Int64 created = user.created_at_ms;
    try {
        Poco::Int64 taken = 0;
        s << "SELECT COUNT(*) FROM admin_users WHERE name = ?", use(name), into(taken), now;
        if (taken > 0) return false;
        s << "INSERT INTO admin_users (name, password_hash, role, disabled, created_at) VALUES (?, ?, ?, ?, ?)",
            use(name), use(hash), use(role), use(disabled), use(created), now;
    } catch (const Poco::Exception &e) {
        // The unique name settles a race between two adds of the same name.
        const std::string text = e.displayText();
        if (text.find("UNIQUE") != std::string::npos || text.find("Duplicate") != std::string::npos) return false;
        store_internal::fail(*impl_, "cannot add the admin user", e);
    }
    audit(actor, "user.create", name, "role " + role);
    return true;
}

void Store::add_admin_session(const AdminSession &session) {
    Session s = store_internal::session(*impl_);
    std::string id_hash = session.id_hash, csrf = session.csrf_token;
    Poco::Int64 user = session.user_id, created = session.created_at_ms, seen = session.last_seen_at_ms,
                expires = session.expires_at_ms;
    try {
        s << "INSERT INTO admin_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
             "VALUES (?, ?, ?, ?, ?, ?)",
            use(id_hash), use(user), use(csrf), use(created), use(seen), use(expires), now;
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot record the admin session", e);
    }
}

std::optional<AdminSession> Store::admin_session(const std::string &id_hash_in) {
    Session s = store_internal::session(*impl_);
    std::string id_hash = id_hash_in;
    std::vector<Poco::Int64> users, created, seen, expires;
    std::vector<std::string> csrf;
    try {
        s << "SELECT user_id, csrf_token, created_at, last_seen_at, expires_at FROM admin_sessions WHERE id_hash = ?",
            use(id_hash), into(users), into(csrf), into(created), into(seen), into(expires), now;
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot read the admin session", e);
    }
    if (users.empty()) return std::nullopt;
    return AdminSession{id_hash, users[0], csrf[0], created[0], seen[0], expires[0]};
}

void Store::touch_admin_session(const std::string &id_hash_in, int64_t at_ms) {
    Session s = store_internal::session(*impl_);
    std::string id_hash = id_hash_in;
    Poco::Int64 at = at_ms;
    try {
        s << "UPDATE admin_sessions SET last_seen_at = ? WHERE id_hash = ?", use(at), use(id_hash), now;
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot update the admin session", e);
    }
}

void Store::delete_admin_session(const std::string &id_hash_in) {
    Session s = store_internal::session(*impl_);
    std::string id_hash = id_hash_in;
    try {
        s << "DELETE FROM admin_sessions WHERE id_hash = ?", use(id_hash), now;
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot delete the admin session", e);
    }
}

size_t Store::delete_stale_admin_sessions(int64_t now_ms, int64_t idle_cutoff_ms) {
    Session s = store_internal::session(*impl_);
    Poco::Int64 at = now_ms, cutoff = idle_cutoff_ms;
    try {
        Poco::Data::Statement del(s);
        del << "DELETE FROM admin_sessions WHERE expires_at <= ? OR last_seen_at < ?", use(at), use(cutoff);
        return del.execute();
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot delete stale admin sessions", e);
    }
}

std::vector<Incident> Store::find_incidents(const IncidentFilter &filter, size_t offset, size_t limit) {
    Session s = store_internal::session(*impl_);
    Poco::Data::AbstractBindingVec bindings;
    const std::string where = filter_clause(filter, bindings);
    bindings.push_back(bind(static_cast<int>(limit)));
    bindings.push_back(bind(static_cast<int>(offset)));
    try {
        return store_internal::query_incidents(s, where + " ORDER BY id DESC LIMIT ? OFFSET ?", std::move(bindings));
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot read incidents", e);
    }
}

int64_t Store::count_incidents(const IncidentFilter &filter) {
    Session s = store_internal::session(*impl_);
    Poco::Data::AbstractBindingVec bindings;
    const std::string where = filter_clause(filter, bindings);
    Poco::Int64 count = 0;
    try {
        Poco::Data::Statement select(s);
        select << "SELECT COUNT(*) FROM incidents" + where, bindings, into(count);
        select.execute();
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot count incidents", e);
    }
    return count;
}

std::vector<DayCount> Store::incidents_per_day(int64_t since_ms) {
    Session s = store_internal::session(*impl_);
    Poco::Int64 since = since_ms, day = kDayMs;
    std::vector<Poco::Int64> days, counts;
    try {
        // created_at - created_at % day: UTC midnight in both dialects.
        s << "SELECT created_at - created_at % ? AS day, COUNT(*) FROM incidents WHERE created_at >= ? "
             "GROUP BY day ORDER BY day",
            use(day), use(since), into(days), into(counts), now;
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot count incidents per day", e);
    }
    std::vector<DayCount> out;
    for (size_t i = 0; i < days.size(); ++i) out.push_back({days[i], counts[i]});
    return out;
}

std::vector<CountedValue> Store::top_incident_values(IncidentColumn column, int64_t since_ms, size_t limit) {
    Session s = store_internal::session(*impl_);
    const std::string name = column == IncidentColumn::rule ? "rule_name" : "channel_id";
    Poco::Int64 since = since_ms;
    int max_rows = static_cast<int>(limit);
    std::vector<std::string> values;
    std::vector<Poco::Int64> counts;
    try {
        s << "SELECT " + name + ", COUNT(*) AS n FROM incidents WHERE created_at >= ? GROUP BY " + name +
                 " ORDER BY n DESC, " + name + " LIMIT ?",
            use(since), use(max_rows), into(values), into(counts), now;
    } catch (const Poco::Exception &e) {
        store_internal::fail(*impl_, "cannot count incidents", e);
    }
    std::vector<CountedValue> out;
    for (size_t i = 0; i < values.size(); ++i) out.push_back({values[i], counts[i]});
    return out;
}

}  // namespace dlpd
