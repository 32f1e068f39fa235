// For the store's own source files only: the Store's private state and what
// every file that defines Store members shares (store.cpp: opening,
// migrations, the audit log; rule_records.cpp, event_records.cpp,
// incident_records.cpp, admin_queries.cpp: one kind of record each), so that
// Poco stays out of store.hpp.
#ifndef DLPD_HOST_STORE_STORE_INTERNAL_HPP
#define DLPD_HOST_STORE_STORE_INTERNAL_HPP

#include <Poco/Data/AbstractBinding.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Exception.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace dlpd {

struct Store::Impl {
    DatabaseUrl url;
    StoreOptions options;
    std::unique_ptr<Poco::Data::SessionPool> pool;
    std::string fingerprint_key;  // loaded or created at first use
    std::mutex key_mutex;
    // The key that seals message text: DLPD_ENCRYPTION_KEY, else the key
    // file's, read (or, when create, made) at first use; empty when there is
    // none. A problem with the key file is logged once and leaves it empty.
    std::string seal_key_value;
    bool seal_key_from_environment = false;
    bool seal_key_problem_logged = false;
    std::string seal_key(bool create);
    // SQLite allows one writer at a time, and a writer that finds another
    // sleeps in SQLite's busy handler (1, 2, 5, 10 ms …). The hot writers of
    // this process (events and incidents) queue here instead, and are handed
    // the lock the moment it is free. MySQL needs no such thing.
    std::mutex sqlite_writer;
    std::unique_lock<std::mutex> write_turn() {
        return url.dialect == DatabaseUrl::Dialect::sqlite ? std::unique_lock<std::mutex>(sqlite_writer)
                                                           : std::unique_lock<std::mutex>();
    }

    // Replaces the password wherever a driver message might repeat it.
    std::string scrub(std::string message) const;

    // Throws a StoreError naming the database (password redacted).
    [[noreturn]] void fail(const std::string &what, const Poco::Exception &e) const;

    // A pooled session, set up for the dialect.
    Poco::Data::Session session();

    // This process's name on the events it holds, and their lease.
    std::string event_owner;
    int64_t event_lease_ms = 30000;

    // The HMAC key for match fingerprints: DLPD_FINGERPRINT_KEY, else one
    // random key per database, created at first use.
    const std::string &fingerprint_secret();
};

}  // namespace dlpd

namespace dlpd::store_internal {

// A counter of store_state (a revision replicas poll), 0 when it is not
// there yet; `what` names it in the StoreError.
int64_t state_value(Store::Impl &impl, const std::string &name, const std::string &what);

// Milliseconds since the epoch, the unit of every stored time.
int64_t now_ms();

// One audit entry, on the session (and so inside the transaction) given.
void insert_audit(Poco::Data::Session &s, int64_t at, std::string actor, std::string action, std::string subject,
                  std::string detail);

// A pooled session, set up for the dialect (see Store::Impl::session).
Poco::Data::Session session(Store::Impl &impl);

// Throws a StoreError naming the database (password redacted).
[[noreturn]] void fail(const Store::Impl &impl, const std::string &what, const Poco::Exception &e);

// A write transaction on s. SQLite: BEGIN IMMEDIATE, which takes the write
// lock up front (a deferred transaction that reads first and then writes
// cannot wait for a writer that came in between: SQLITE_BUSY at once,
// whatever busy_timeout says); MySQL: an ordinary transaction.
void begin_write(const Store::Impl &impl, Poco::Data::Session &s);
void commit_write(const Store::Impl &impl, Poco::Data::Session &s);
// Rolls back what begin_write began, if it is still open; never throws.
void rollback_write(const Store::Impl &impl, Poco::Data::Session &s);

// Whether a driver error is a unique or primary key violation.
bool is_duplicate_key(const Poco::Exception &e);

// Inserts an incident on the session given (inside the caller's
// transaction, begun after impl.fingerprint_secret() was read); a finding of an event recorded already gives the id of the
// incident recorded first.
int64_t insert_incident(Store &store, Store::Impl &impl, Poco::Data::Session &s, const IncidentInput &in);

// Reads the incidents that "SELECT <every column> FROM incidents " + tail
// selects; bindings fill tail's placeholders in order.
std::vector<Incident> query_incidents(Poco::Data::Session &s, const std::string &tail,
                                      Poco::Data::AbstractBindingVec bindings);

}  // namespace dlpd::store_internal

#endif
