// The Store's processed events: claimed before Slack is acknowledged (the
// primary key deduplicates retries and replicas), finished, released,
// and the pending ones resumed after a restart.
#include "store/store.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include "log.hpp"
#include "store/sealed_text.hpp"
#include "store/store_internal.hpp"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using dlpd::store_internal::now_ms;

namespace dlpd {

bool Store::claim_event(const std::string &event_id, const std::string &payload) {
    return record_events({{event_id, payload}}, {}).front();
}

void Store::finish_event(const std::string &event_id, const std::string &status) {
    record_events({}, {{event_id, status}});
}

std::vector<bool> Store::record_events(const std::vector<std::pair<std::string, std::string>> &claims,
                                       const std::vector<std::pair<std::string, std::string>> &finishes) {
    std::vector<bool> claimed(claims.size(), false);
    if (claims.empty() && finishes.empty()) return claimed;
    // An event's payload holds the message until the event is done: it is
    // sealed like a kept message text, so that it never reaches the disk in
    // clear (SQLite keeps old row versions in its pages and WAL). Sealed
    // before the write turn: it costs microseconds, but no one waits on it.
    std::vector<std::string> bodies;
    bodies.reserve(claims.size());
    const std::string key = claims.empty() ? std::string() : impl_->seal_key(true);
    for (const auto &claim : claims) bodies.push_back(key.empty() ? claim.second : seal(claim.second, key));
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    const int64_t at = now_ms();
    const bool sqlite = impl_->url.dialect == DatabaseUrl::Dialect::sqlite;
    bool open = false;
    try {
        // SQLite: take the write lock up front. A deferred transaction that
        // reads first and then writes cannot wait for a writer that came in
        // between (SQLITE_BUSY at once, whatever busy_timeout says).
        if (sqlite)
            s << "BEGIN IMMEDIATE", now;
        else
            s.begin();
        open = true;
        for (size_t i = 0; i < claims.size(); ++i) {
            std::string id = claims[i].first, body = bodies[i], status = "pending";
            int64_t stamp = at;
            int attempts = 0, exists = 0;
            s << "SELECT COUNT(*) FROM processed_events WHERE event_id = ?", use(id), into(exists), now;
            if (exists > 0) continue;
            try {
                s << "INSERT INTO processed_events (event_id, received_at, updated_at, status, attempts, payload) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                    use(id), use(stamp), use(stamp), use(status), use(attempts), use(body), now;
                claimed[i] = true;
            } catch (const Poco::Exception &e) {
                // The primary key settles a race between replicas: the one
                // that inserted second sees a duplicate key and must not act.
                const std::string text = e.displayText();
                if (text.find("UNIQUE") == std::string::npos && text.find("Duplicate") == std::string::npos &&
                    text.find("constraint") == std::string::npos)
                    throw;
            }
        }
        for (const auto &[event_id, status_in] : finishes) {
            std::string id = event_id, status = status_in;
            int64_t stamp = at;
            s << "UPDATE processed_events SET status = ?, updated_at = ?, attempts = attempts + 1, "
                 "payload = CASE WHEN ? = 'done' THEN '' ELSE payload END WHERE event_id = ?",
                use(status), use(stamp), use(status), use(id), now;
        }
        if (sqlite)
            s << "COMMIT", now;
        else
            s.commit();
    } catch (const Poco::Exception &e) {
        try {
            if (sqlite && open)
                s << "ROLLBACK", now;
            else if (s.isTransaction())
                s.rollback();
        } catch (const Poco::Exception &) {
        }
        impl_->fail(claims.empty() ? "cannot update the event" : "cannot record the event", e);
    }
    return claimed;
}

void Store::release_event(const std::string &event_id) {
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    std::string id = event_id;
    try {
        s << "DELETE FROM processed_events WHERE event_id = ?", use(id), now;
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot release the event", e);
    }
}

std::vector<PendingEvent> Store::pending_events(size_t limit) {
    Session s = impl_->session();
    std::vector<std::string> ids, payloads;
    std::vector<int> attempts;
    int max_rows = static_cast<int>(limit);
    try {
        s << "SELECT event_id, payload, attempts FROM processed_events WHERE status = 'pending' "
             "ORDER BY received_at LIMIT ?",
            use(max_rows), into(ids), into(payloads), into(attempts), now;
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read pending events", e);
    }
    std::vector<PendingEvent> out;
    for (size_t i = 0; i < ids.size(); ++i) {
        std::string payload = payloads[i];
        if (is_sealed(payload)) {
            // Empty when this process lacks the key: the intake then counts
            // the event as failed, and the log says why.
            auto open = unseal(payload, impl_->seal_key(false));
            if (!open)
                log(LogLevel::error, "store",
                    "cannot unseal pending event " + ids[i] +
                        ": the sealing key (DLPD_ENCRYPTION_KEY or database.key_file) is not the one it was sealed with");
            payload = open.value_or("");
        }
        out.push_back({ids[i], std::move(payload), attempts[i]});
    }
    return out;
}

}  // namespace dlpd
