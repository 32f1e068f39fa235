// The records the browser admin keeps in the store: its users and their
// sessions, and the questions it asks about incidents (filters and counts).
#ifndef DLPD_HOST_STORE_ADMIN_RECORDS_HPP
#define DLPD_HOST_STORE_ADMIN_RECORDS_HPP

#include <cstdint>
#include <string>

namespace dlpd {

struct AdminUser {
    int64_t id = 0;
    std::string name;
    std::string password_hash;  // "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX", never the password
    std::string role;           // admin | viewer
    bool disabled = false;
    int64_t created_at_ms = 0;
};

// A signed-in browser. The session id itself is never stored: only its
// SHA-256, so a copy of the database cannot be used to sign in.
struct AdminSession {
    std::string id_hash;
    int64_t user_id = 0;
    std::string csrf_token;  // tied to this session; every form carries it
    int64_t created_at_ms = 0;
    int64_t last_seen_at_ms = 0;
    int64_t expires_at_ms = 0;  // absolute expiry
};

// Which incidents to list. Empty strings and zero times do not filter.
struct IncidentFilter {
    int64_t from_ms = 0;  // created_at >= from_ms
    int64_t to_ms = 0;    // created_at < to_ms
    std::string channel_id, user_id, rule;
    std::string action_result;  // a piece of text the action results contain ("ok", "cant_delete_message")
};

// An incident column the admin counts by (a closed list: never a column
// name from a request).
enum class IncidentColumn { rule, channel };

struct CountedValue {
    std::string value;
    int64_t count = 0;
};

struct DayCount {
    int64_t day_start_ms = 0;  // UTC midnight
    int64_t count = 0;
};

}  // namespace dlpd

#endif
