// The Store itself: opening a database (connect timeout, WAL for SQLite, the
// pool), migrations, the audit log and match fingerprints.
#include "store/store.hpp"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <chrono>
#include <limits>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sstream>

#include "log.hpp"
#include "engine/masking.hpp"
#include "store/key_file.hpp"
#include "store/migrations.hpp"
#include "store/sealed_text.hpp"
#include "engine/fingerprint.hpp"
#include "store/store_internal.hpp"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using dlpd::store_internal::insert_audit;
using dlpd::store_internal::now_ms;

namespace dlpd {

namespace {

void register_connectors() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::MySQL::Connector::registerConnector();
    });
}

}  // namespace

int64_t store_internal::now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void store_internal::begin_write(const Store::Impl &impl, Session &s) {
    if (impl.url.dialect == DatabaseUrl::Dialect::sqlite)
        s << "BEGIN IMMEDIATE", now;
    else
        s.begin();
}

void store_internal::commit_write(const Store::Impl &impl, Session &s) {
    if (impl.url.dialect == DatabaseUrl::Dialect::sqlite)
        s << "COMMIT", now;
    else
        s.commit();
}

void store_internal::rollback_write(const Store::Impl &impl, Session &s) {
    try {
        if (impl.url.dialect == DatabaseUrl::Dialect::sqlite) {
            s << "ROLLBACK", now;
        } else if (s.isTransaction()) {
            s.rollback();
        }
    } catch (const Poco::Exception &) {
        // Nothing was open (BEGIN itself failed), or the connection is gone.
    }
}

void store_internal::insert_audit(Session &s, int64_t at, std::string actor, std::string action, std::string subject,
                                  std::string detail) {
    s << "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)", use(at), use(actor),
        use(action), use(subject), use(detail), now;
}

std::string Store::Impl::scrub(std::string message) const {
    if (!url.password.empty())
        for (size_t at = message.find(url.password); at != std::string::npos; at = message.find(url.password, at))
            message.replace(at, url.password.size(), "***");
    return message;
}

void Store::Impl::fail(const std::string &what, const Poco::Exception &e) const {
    throw StoreError(what + " (" + url.redacted() + "): " + scrub(e.displayText()));
}

Session Store::Impl::session() {
    try {
        Session s = pool->get();
        if (url.dialect == DatabaseUrl::Dialect::sqlite) {
            // Wait for other writers instead of failing at once, and let
            // readers and one writer work side by side.
            s << "PRAGMA busy_timeout = 10000", now;
            s << "PRAGMA foreign_keys = ON", now;
            // Deleted and overwritten content is zeroed, not left in free
            // pages: a purged message text is gone from the file.
            s << "PRAGMA secure_delete = ON", now;
            // A commit is on disk when it returns: an acknowledged event
            // survives a power cut, not only a crash.
            s << "PRAGMA synchronous = FULL", now;
        } else {
            // Each statement sees what other replicas committed: a pooled
            // session left inside a REPEATABLE READ snapshot would keep
            // answering the old rule revision.
            if (!s.getFeature("autoCommit")) s.setFeature("autoCommit", true);
            s << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", now;
        }
        return s;
    } catch (const Poco::Exception &e) {
        fail("cannot connect to the database", e);
    }
}

std::string Store::Impl::seal_key(bool create) {
    std::lock_guard lock(key_mutex);
    if (!seal_key_value.empty() || options.key_file.empty()) return seal_key_value;
    try {
        if (auto key = read_key_file(options.key_file, create)) {
            seal_key_value = *key;
            if (create) log(LogLevel::info, "store", "message text is sealed with the key in " + options.key_file.string());
        }
    } catch (const StoreError &e) {
        if (!seal_key_problem_logged)
            log(LogLevel::error, "store", std::string(e.what()) + "; message text is not kept until this is fixed");
        seal_key_problem_logged = true;
    }
    return seal_key_value;
}

const std::string &Store::Impl::fingerprint_secret() {
    std::lock_guard lock(key_mutex);
    if (!fingerprint_key.empty()) return fingerprint_key;
    if (const char *env = std::getenv("DLPD_FINGERPRINT_KEY"); env != nullptr && *env != '\0') {
        auto key = parse_key(env);
        if (!key) throw StoreError("DLPD_FINGERPRINT_KEY is not a 32-byte key in hex (64 characters) or base64");
        fingerprint_key = *key;
        return fingerprint_key;
    }
    // No key given: one random key per database, created once.
    Session s = session();
    Poco::Nullable<std::string> stored;
    s << "SELECT text_value FROM store_state WHERE name = 'fingerprint_key'", into(stored), now;
    if (stored.isNull()) {
        std::string fresh = to_hex(random_bytes(32));
        try {
            s << "INSERT INTO store_state (name, value, text_value) VALUES ('fingerprint_key', 0, ?)", use(fresh),
                now;
        } catch (const Poco::Exception &) {
            // Another replica created it first; read theirs.
        }
        stored = Poco::Nullable<std::string>();
        s << "SELECT text_value FROM store_state WHERE name = 'fingerprint_key'", into(stored), now;
        if (stored.isNull()) throw StoreError("cannot create the fingerprint key");
    }
    auto key = parse_key(stored.value());
    if (!key) throw StoreError("the stored fingerprint key is damaged");
    fingerprint_key = *key;
    return fingerprint_key;
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const DatabaseUrl &Store::url() const { return impl_->url; }

std::unique_ptr<Store> Store::open(const DatabaseUrl &url, const StoreOptions &options) {
    register_connectors();
    auto impl = std::make_unique<Impl>();
    impl->url = url;
    impl->options = options;
    if (const char *env = std::getenv("DLPD_ENCRYPTION_KEY"); env != nullptr && *env != '\0') {
        auto key = parse_key(env);
        if (!key) throw StoreError("DLPD_ENCRYPTION_KEY is not a 32-byte key in hex (64 characters) or base64");
        impl->seal_key_value = *key;
        impl->seal_key_from_environment = true;
    }
    try {
        // The first connection carries the connect timeout, so a wrong
        // address or password fails fast (Poco 1.11's pool cannot pass one).
        Session probe(url.connector(), url.connection_string(),
                      static_cast<std::size_t>(options.connect_timeout_seconds));
        int one = 0;
        probe << "SELECT 1", into(one), now;
        if (url.dialect == DatabaseUrl::Dialect::sqlite) {
            // Write-ahead logging: one fsync per commit, and readers (the
            // admin) do not wait for the writer. It is a property of the file.
            std::string mode;
            probe << "PRAGMA journal_mode = WAL", into(mode), now;
        }
        probe.close();
        impl->pool = std::make_unique<Poco::Data::SessionPool>(url.connector(), url.connection_string(), 1,
                                                               options.pool_size, 60);
    } catch (const Poco::Exception &e) {
        impl->fail("cannot connect to the database", e);
    }
    return std::unique_ptr<Store>(new Store(std::move(impl)));
}

std::vector<std::string> Store::migrate() {
    Session s = impl_->session();
    std::vector<std::string> applied;
    try {
        s << std::string("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
                         "name TEXT NOT NULL, applied_at BIGINT NOT NULL)") +
                 (impl_->url.dialect == DatabaseUrl::Dialect::mysql ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" : ""),
            now;
        for (const Migration &m : migrations_for(impl_->url.dialect)) {
            int done = 0;
            s << "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", use(const_cast<int &>(m.version)),
                into(done), now;
            if (done > 0) continue;
            const bool transactional = impl_->url.dialect == DatabaseUrl::Dialect::sqlite;
            if (transactional) s.begin();
            try {
                for (const auto &statement : m.statements) {
                    try {
                        s << statement, now;
                    } catch (const Poco::Exception &e) {
                        // MySQL: an index or column left by an interrupted run of this migration.
                        if (e.displayText().find("Duplicate key name") == std::string::npos &&
                            e.displayText().find("Duplicate column name") == std::string::npos)
                            throw;
                    }
                }
                int64_t at = now_ms();
                std::string name = m.name;
                int version = m.version;
                s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", use(version),
                    use(name), use(at), now;
                if (transactional) s.commit();
            } catch (...) {
                if (transactional && s.isTransaction()) s.rollback();
                throw;
            }
            applied.push_back(std::to_string(m.version) + " " + m.name);
        }
        int64_t zero = 0;
        int exists = 0;
        s << "SELECT COUNT(*) FROM store_state WHERE name = 'rules_revision'", into(exists), now;
        if (exists == 0) s << "INSERT INTO store_state (name, value) VALUES ('rules_revision', ?)", use(zero), now;
        exists = 0;
        s << "SELECT COUNT(*) FROM store_state WHERE name = 'allowlist_revision'", into(exists), now;
        if (exists == 0) s << "INSERT INTO store_state (name, value) VALUES ('allowlist_revision', ?)", use(zero), now;
    } catch (const Poco::Exception &e) {
        impl_->fail("migration failed", e);
    }
    return applied;
}

int Store::schema_version() {
    Session s = impl_->session();
    try {
        Poco::Nullable<int> version;
        s << "SELECT MAX(version) FROM schema_migrations", into(version), now;
        return version.isNull() ? 0 : version.value();
    } catch (const Poco::Exception &) {
        return 0;  // no schema_migrations table yet
    }
}
void Store::ping() {
    Session s = impl_->session();
    try {
        int one = 0;
        s << "SELECT 1", into(one), now;
    } catch (const Poco::Exception &e) {
        impl_->fail("the database does not answer", e);
    }
}
void Store::audit(const std::string &actor, const std::string &action, const std::string &subject,
                  const std::string &detail) {
    Session s = impl_->session();
    try {
        insert_audit(s, now_ms(), actor, action, subject, detail);
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot write the audit log", e);
    }
}

std::vector<AuditEntry> Store::audit_log(size_t limit) {
    Session s = impl_->session();
    std::vector<Poco::Int64> ids, at;
    std::vector<std::string> actor, action, subject, detail;
    int max_rows = static_cast<int>(limit);
    try {
        s << "SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ?", use(max_rows),
            into(ids), into(at), into(actor), into(action), into(subject), into(detail), now;
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read the audit log", e);
    }
    std::vector<AuditEntry> out;
    for (size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], at[i], actor[i], action[i], subject[i], detail[i]});
    return out;
}

std::string Store::fingerprint(const std::string &secret) {
    return match_fingerprint(impl_->fingerprint_secret(), secret);
}

std::string Store::fingerprint_key() { return impl_->fingerprint_secret(); }

int64_t store_internal::state_value(Store::Impl &impl, const std::string &name_in, const std::string &what) {
    Session s = impl.session();
    std::string name = name_in;
    Poco::Nullable<Poco::Int64> value;
    try {
        s << "SELECT value FROM store_state WHERE name = ?", use(name), into(value), now;
    } catch (const Poco::Exception &e) {
        impl.fail("cannot read " + what, e);
    }
    return value.isNull() ? 0 : value.value();
}

// --- What store_internal.hpp shares with the files that define further
// Store members (store/admin_queries.cpp).

Session store_internal::session(Store::Impl &impl) { return impl.session(); }

void store_internal::fail(const Store::Impl &impl, const std::string &what, const Poco::Exception &e) {
    impl.fail(what, e);
}

}  // namespace dlpd
