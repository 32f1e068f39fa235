// The Store's processed events: claimed before Slack is acknowledged (the
// primary key deduplicates retries and replicas), finished, released,
// and the pending ones resumed after a restart.
#include "store/store.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <algorithm>

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
    bool open = false;
    try {
        // The write lock up front: this reads, then writes.
        store_internal::begin_write(*impl_, s);
        open = true;
        for (size_t i = 0; i < claims.size(); ++i) {
            std::string id = claims[i].first, body = bodies[i], status = "pending";
            int64_t stamp = at;
            int attempts = 0, exists = 0;
            s << "SELECT COUNT(*) FROM processed_events WHERE event_id = ?", use(id), into(exists), now;
            if (exists > 0) continue;
            try {
                // Held by this process (when it has a name) until its lease
                // runs out unrenewed.
                Poco::Nullable<std::string> owner;
                Poco::Nullable<Poco::Int64> lease;
                if (!impl_->event_owner.empty()) {
                    owner = impl_->event_owner;
                    lease = stamp + impl_->event_lease_ms;
                }
                s << "INSERT INTO processed_events (event_id, received_at, updated_at, status, attempts, payload, "
                     "owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    use(id), use(stamp), use(stamp), use(status), use(attempts), use(body), use(owner), use(lease),
                    now;
                claimed[i] = true;
            } catch (const Poco::Exception &e) {
                // The primary key settles a race between replicas: the one
                // that inserted second sees a duplicate key and must not act.
                if (!store_internal::is_duplicate_key(e)) throw;
            }
        }
        for (const auto &[event_id, status_in] : finishes) {
            std::string id = event_id, status = status_in;
            int64_t stamp = at;
            s << "UPDATE processed_events SET status = ?, updated_at = ?, attempts = attempts + 1, "
                 "payload = CASE WHEN ? = 'done' THEN '' ELSE payload END WHERE event_id = ?",
                use(status), use(stamp), use(status), use(id), now;
        }
        store_internal::commit_write(*impl_, s);
    } catch (const Poco::Exception &e) {
        if (open) store_internal::rollback_write(*impl_, s);
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

namespace {

// An event's payload as recorded: unsealed when it was sealed. Empty when
// this process lacks the key: the event then fails, and the log says why.
std::string open_payload(Store::Impl &impl, const std::string &event_id, const std::string &payload) {
    if (!is_sealed(payload)) return payload;
    auto open = unseal(payload, impl.seal_key(false));
    if (!open)
        log(LogLevel::error, "store",
            "cannot unseal pending event " + event_id +
                ": the sealing key (DLPD_ENCRYPTION_KEY or database.key_file) is not the one it was sealed with");
    return open.value_or("");
}

}  // namespace

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
    for (size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], open_payload(*impl_, ids[i], payloads[i]), attempts[i]});
    return out;
}

bool Store::claim_file(const std::string &key, const std::string &event_id) {
    // Claimed and set aside in one transaction: status "file" is never
    // resumed as an event, and the payload (sealed) names the claimant.
    if (record_events({{key, event_id}}, {{key, "file"}}).front()) return true;
    Session s = impl_->session();
    std::vector<std::string> payloads;
    std::string id = key;
    try {
        s << "SELECT payload FROM processed_events WHERE event_id = ?", use(id), into(payloads), now;
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read a file claim", e);
    }
    return !payloads.empty() && open_payload(*impl_, key, payloads.front()) == event_id;
}

void Store::set_event_owner(const std::string &owner, int64_t lease_ms) {
    impl_->event_owner = owner;
    impl_->event_lease_ms = std::max<int64_t>(lease_ms, 1000);
}

const std::string &Store::event_owner() const { return impl_->event_owner; }

size_t Store::renew_event_leases() {
    if (impl_->event_owner.empty()) return 0;
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    std::string owner = impl_->event_owner;
    Poco::Int64 until = now_ms() + impl_->event_lease_ms;
    try {
        Poco::Data::Statement update(s);
        update << "UPDATE processed_events SET lease_until = ? WHERE owner = ? AND status = 'pending'", use(until),
            use(owner);
        return update.execute();
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot renew the leases on pending events", e);
    }
}

size_t Store::release_event_leases() {
    if (impl_->event_owner.empty()) return 0;
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    std::string owner = impl_->event_owner;
    try {
        Poco::Data::Statement update(s);
        update << "UPDATE processed_events SET lease_until = 0 WHERE owner = ? AND status = 'pending'", use(owner);
        return update.execute();
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot release the leases on pending events", e);
    }
}

std::vector<PendingEvent> Store::take_over_events(size_t limit) {
    std::vector<PendingEvent> out;
    std::vector<std::string> ids, payloads;
    std::vector<int> attempts;
    std::string owner = impl_->event_owner;
    Poco::Int64 at = now_ms();
    int max_rows = static_cast<int>(limit);
    {
        Session s = impl_->session();
        try {
            // Never this process's own: those are queued or being worked on.
            s << "SELECT event_id, payload, attempts FROM processed_events WHERE status = 'pending' "
                 "AND (lease_until IS NULL OR lease_until < ?) AND (owner IS NULL OR owner <> ?) "
                 "ORDER BY received_at LIMIT ?",
                use(at), use(owner), use(max_rows), into(ids), into(payloads), into(attempts), now;
        } catch (const Poco::Exception &e) {
            impl_->fail("cannot read pending events", e);
        }
    }
    if (ids.empty()) return out;
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    Poco::Int64 until = at + impl_->event_lease_ms;
    try {
        store_internal::begin_write(*impl_, s);
        for (size_t i = 0; i < ids.size(); ++i) {
            std::string id = ids[i];
            // Conditional, so that of two replicas taking over at once one
            // gets each event.
            Poco::Data::Statement take(s);
            take << "UPDATE processed_events SET owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? "
                    "WHERE event_id = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until < ?) "
                    "AND (owner IS NULL OR owner <> ?)",
                use(owner), use(until), use(at), use(id), use(at), use(owner);
            if (take.execute() == 1) out.push_back({ids[i], open_payload(*impl_, ids[i], payloads[i]), attempts[i] + 1});
        }
        store_internal::commit_write(*impl_, s);
    } catch (const Poco::Exception &e) {
        store_internal::rollback_write(*impl_, s);
        impl_->fail("cannot take over pending events", e);
    }
    return out;
}

}  // namespace dlpd
