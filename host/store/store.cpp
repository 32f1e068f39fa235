#include "store/store.hpp"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Nullable.h>

#include <chrono>
#include <limits>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sstream>

#include "log.hpp"
#include "masking.hpp"
#include "store/migrations.hpp"
#include "store/sealed_text.hpp"
#include "store/store_internal.hpp"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;

namespace dlpd {

namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void register_connectors() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::MySQL::Connector::registerConnector();
    });
}

std::string to_json_array(const std::vector<std::string> &items) {
    Poco::JSON::Array array;
    for (const auto &i : items) array.add(i);
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

std::vector<std::string> from_json_array(const std::string &text) {
    std::vector<std::string> out;
    if (text.empty()) return out;
    Poco::JSON::Parser parser;
    auto array = parser.parse(text).extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

std::string join_csv(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &i : items) out += (out.empty() ? "" : ",") + i;
    return out;
}

std::vector<std::string> split_csv(const std::string &text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

// One audit entry, on the session (and so inside the transaction) given.
void insert_audit(Session &s, int64_t at, std::string actor, std::string action, std::string subject,
                  std::string detail) {
    s << "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)", use(at), use(actor),
        use(action), use(subject), use(detail), now;
}

}  // namespace

struct Store::Impl {
    DatabaseUrl url;
    StoreOptions options;
    std::unique_ptr<Poco::Data::SessionPool> pool;
    std::string seal_key;         // empty: message text is kept in clear (when kept at all)
    std::string fingerprint_key;  // loaded or created at first use
    std::mutex key_mutex;
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
    std::string scrub(std::string message) const {
        if (!url.password.empty())
            for (size_t at = message.find(url.password); at != std::string::npos; at = message.find(url.password, at))
                message.replace(at, url.password.size(), "***");
        return message;
    }

    [[noreturn]] void fail(const std::string &what, const Poco::Exception &e) const {
        throw StoreError(what + " (" + url.redacted() + "): " + scrub(e.displayText()));
    }

    Session session() {
        try {
            Session s = pool->get();
            if (url.dialect == DatabaseUrl::Dialect::sqlite) {
                // Wait for other writers instead of failing at once, and let
                // readers and one writer work side by side.
                s << "PRAGMA busy_timeout = 10000", now;
                s << "PRAGMA foreign_keys = ON", now;
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

    const std::string &fingerprint_secret() {
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
};

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
        impl->seal_key = *key;
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
                        // MySQL: an index left by an interrupted run of this migration.
                        if (e.displayText().find("Duplicate key name") == std::string::npos) throw;
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

std::vector<Rule> Store::rules() {
    Session s = impl_->session();
    std::vector<std::string> names, regexes, detectors, validators, severities, descriptions, matches, no_matches;
    std::vector<int> enabled;
    try {
        s << "SELECT name, regex, detector, validators, severity, description, enabled, examples_match, "
             "examples_no_match FROM rules ORDER BY id",
            into(names), into(regexes), into(detectors), into(validators), into(severities), into(descriptions),
            into(enabled), into(matches), into(no_matches), now;
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read the rules", e);
    }
    std::vector<Rule> out;
    for (size_t i = 0; i < names.size(); ++i) {
        Rule r;
        r.name = names[i];
        r.regex = regexes[i];
        r.detector = detectors[i];
        r.validators = split_csv(validators[i]);
        r.severity = severities[i];
        r.description = descriptions[i];
        r.enabled = enabled[i] != 0;
        r.examples_match = from_json_array(matches[i]);
        r.examples_no_match = from_json_array(no_matches[i]);
        r.origin = "database rule '" + r.name + "'";
        out.push_back(std::move(r));
    }
    return out;
}

int64_t Store::rules_revision() {
    Session s = impl_->session();
    Poco::Nullable<Poco::Int64> value;
    try {
        s << "SELECT value FROM store_state WHERE name = 'rules_revision'", into(value), now;
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read the rule revision", e);
    }
    return value.isNull() ? 0 : value.value();
}

Store::RuleChange Store::upsert_rules(const std::vector<Rule> &rules, const std::string &actor) {
    Session s = impl_->session();
    RuleChange change;
    try {
        s.begin();
        // Bump first: on MySQL this locks the revision row, serialising
        // concurrent rule changes from several replicas.
        s << "UPDATE store_state SET value = value + 1 WHERE name = 'rules_revision'", now;
        Poco::Int64 revision = 0;
        s << "SELECT value FROM store_state WHERE name = 'rules_revision'", into(revision), now;
        change.revision = revision;
        for (const Rule &r : rules) {
            std::string name = r.name, regex = r.regex, detector = r.detector, validators = join_csv(r.validators),
                        severity = r.severity, description = r.description,
                        matches = to_json_array(r.examples_match), no_matches = to_json_array(r.examples_no_match),
                        who = actor;
            int enabled = r.enabled ? 1 : 0;
            int64_t at = now_ms();
            std::vector<std::string> old_regex, old_detector, old_validators, old_severity, old_description,
                old_matches, old_no_matches;
            std::vector<int> old_enabled;
            s << "SELECT regex, detector, validators, severity, description, enabled, examples_match, "
                 "examples_no_match FROM rules WHERE name = ?",
                use(name), into(old_regex), into(old_detector), into(old_validators), into(old_severity),
                into(old_description), into(old_enabled), into(old_matches), into(old_no_matches), now;
            if (old_regex.empty()) {
                s << "INSERT INTO rules (name, regex, detector, validators, severity, description, enabled, "
                     "examples_match, examples_no_match, created_by, created_at, updated_by, updated_at, revision) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    use(name), use(regex), use(detector), use(validators), use(severity), use(description),
                    use(enabled), use(matches), use(no_matches), use(who), use(at), use(who), use(at), use(revision),
                    now;
                ++change.added;
                insert_audit(s, at, who, "rule.create", name, "severity " + severity + (enabled ? "" : ", disabled"));
            } else if (old_regex[0] != regex || old_detector[0] != detector || old_validators[0] != validators ||
                       old_severity[0] != severity || old_description[0] != description ||
                       old_enabled[0] != enabled || old_matches[0] != matches || old_no_matches[0] != no_matches) {
                s << "UPDATE rules SET regex = ?, detector = ?, validators = ?, severity = ?, description = ?, "
                     "enabled = ?, examples_match = ?, examples_no_match = ?, updated_by = ?, updated_at = ?, "
                     "revision = ? WHERE name = ?",
                    use(regex), use(detector), use(validators), use(severity), use(description), use(enabled),
                    use(matches), use(no_matches), use(who), use(at), use(revision), use(name), now;
                ++change.updated;
                std::string detail;
                if (old_regex[0] != regex) detail += "pattern changed; ";
                if (old_enabled[0] != enabled) detail += enabled ? "enabled; " : "disabled; ";
                if (old_severity[0] != severity) detail += "severity " + old_severity[0] + " -> " + severity + "; ";
                insert_audit(s, at, who, "rule.update", name, detail);
            } else {
                ++change.unchanged;
            }
        }
        if (change.added == 0 && change.updated == 0) {
            s.rollback();  // nothing changed: keep the revision, so replicas do not recompile
            change.revision = revision - 1;
        } else {
            s.commit();
        }
    } catch (const Poco::Exception &e) {
        if (s.isTransaction()) s.rollback();
        impl_->fail("cannot save the rules", e);
    }
    return change;
}

bool Store::delete_rule(const std::string &name_in, const std::string &actor) {
    Session s = impl_->session();
    try {
        s.begin();
        std::string name = name_in;
        Poco::Data::Statement del(s);
        del << "DELETE FROM rules WHERE name = ?", use(name);
        const size_t removed = del.execute();
        if (removed == 0) {
            s.rollback();
            return false;
        }
        s << "UPDATE store_state SET value = value + 1 WHERE name = 'rules_revision'", now;
        insert_audit(s, now_ms(), actor, "rule.delete", name, "");
        s.commit();
        return true;
    } catch (const Poco::Exception &e) {
        if (s.isTransaction()) s.rollback();
        impl_->fail("cannot delete the rule", e);
    }
}

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
            std::string id = claims[i].first, body = claims[i].second, status = "pending";
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
    for (size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], payloads[i], attempts[i]});
    return out;
}

int64_t Store::record_incident(const IncidentInput &in) {
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    std::string source = in.source, team = in.team_id, channel = in.channel_id, user = in.user_id,
                ts = in.message_ts, thread = in.thread_ts, permalink = in.permalink, event = in.event_id,
                rule = in.rule, detector = in.detector, severity = in.severity, masked = mask_secret(in.match),
                fp = fingerprint(in.match), actions = in.actions.empty() ? "{}" : in.actions,
                results = in.action_results.empty() ? "{}" : in.action_results;
    Poco::Nullable<std::string> text;
    int sealed = 0;
    if (impl_->options.store_message_text && !in.message_text.empty()) {
        if (!impl_->seal_key.empty()) {
            text = seal(in.message_text, impl_->seal_key);
            sealed = 1;
        } else {
            text = in.message_text;
        }
    }
    int64_t at = now_ms();
    try {
        s.begin();
        s << "INSERT INTO incidents (created_at, source, team_id, channel_id, user_id, message_ts, thread_ts, "
             "permalink, event_id, rule_name, detector, severity, masked_match, match_fingerprint, message_text, "
             "message_text_sealed, actions, action_results) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            use(at), use(source), use(team), use(channel), use(user), use(ts), use(thread), use(permalink), use(event),
            use(rule), use(detector), use(severity), use(masked), use(fp), use(text), use(sealed), use(actions),
            use(results), now;
        Poco::Int64 id = 0;
        if (impl_->url.dialect == DatabaseUrl::Dialect::sqlite)
            s << "SELECT last_insert_rowid()", into(id), now;
        else
            s << "SELECT LAST_INSERT_ID()", into(id), now;
        s.commit();
        return id;
    } catch (const Poco::Exception &e) {
        if (s.isTransaction()) s.rollback();
        impl_->fail("cannot record the incident", e);
    }
}

namespace {
constexpr const char *kIncidentColumns =
    "id, created_at, source, team_id, channel_id, user_id, message_ts, thread_ts, permalink, event_id, rule_name, "
    "detector, severity, masked_match, match_fingerprint, message_text IS NOT NULL, message_text_sealed, actions, "
    "action_results";
}

namespace {

// Reads incidents: all with id <= from_id (newest first), at most limit.
std::vector<Incident> read_incidents(Session &s, Poco::Int64 from_id, int limit) {
    return store_internal::query_incidents(s, "WHERE id <= ? ORDER BY id DESC LIMIT ?", {bind(from_id), bind(limit)});
}

}  // namespace

std::vector<Incident> store_internal::query_incidents(Session &s, const std::string &tail,
                                                      Poco::Data::AbstractBindingVec bindings) {
    std::vector<Poco::Int64> ids, created;
    std::vector<std::string> source, team, channel, user, ts, thread, permalink, event, rule, detector, severity, masked,
        fp, actions, results;
    std::vector<int> has_text, sealed;
    Poco::Data::Statement select(s);
    select << "SELECT " + std::string(kIncidentColumns) + " FROM incidents " + tail, bindings, into(ids),
        into(created), into(source), into(team), into(channel), into(user), into(ts), into(thread), into(permalink),
        into(event), into(rule), into(detector), into(severity), into(masked), into(fp), into(has_text), into(sealed),
        into(actions), into(results);
    select.execute();
    std::vector<Incident> out;
    for (size_t i = 0; i < ids.size(); ++i) {
        Incident x;
        x.id = ids[i];
        x.created_at_ms = created[i];
        x.source = source[i];
        x.team_id = team[i];
        x.channel_id = channel[i];
        x.user_id = user[i];
        x.message_ts = ts[i];
        x.thread_ts = thread[i];
        x.permalink = permalink[i];
        x.event_id = event[i];
        x.rule = rule[i];
        x.detector = detector[i];
        x.severity = severity[i];
        x.masked_match = masked[i];
        x.match_fingerprint = fp[i];
        x.has_message_text = has_text[i] != 0;
        x.message_text_sealed = sealed[i] != 0;
        x.actions = actions[i];
        x.action_results = results[i];
        out.push_back(std::move(x));
    }
    return out;
}

std::vector<Incident> Store::recent_incidents(size_t limit) {
    Session s = impl_->session();
    try {
        return read_incidents(s, std::numeric_limits<Poco::Int64>::max(), static_cast<int>(limit));
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read incidents", e);
    }
}

std::optional<Incident> Store::incident(int64_t id) {
    Session s = impl_->session();
    try {
        auto rows = read_incidents(s, id, 1);
        if (rows.empty() || rows[0].id != id) return std::nullopt;
        return rows[0];
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read the incident", e);
    }
}

std::optional<std::string> Store::incident_message_text(int64_t id_in) {
    Session s = impl_->session();
    Poco::Int64 id = id_in;
    Poco::Nullable<std::string> text;
    int sealed = 0;
    try {
        s << "SELECT message_text, message_text_sealed FROM incidents WHERE id = ?", use(id), into(text), into(sealed),
            now;
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read the incident", e);
    }
    if (text.isNull()) return std::nullopt;
    if (sealed == 0) return text.value();
    if (impl_->seal_key.empty()) return std::nullopt;
    return unseal(text.value(), impl_->seal_key);
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
    return hmac_sha256_hex(impl_->fingerprint_secret(), secret);
}

// --- What store_internal.hpp shares with the files that define further
// Store members (store/admin_queries.cpp).

Session store_internal::session(Store::Impl &impl) { return impl.session(); }

void store_internal::fail(const Store::Impl &impl, const std::string &what, const Poco::Exception &e) {
    impl.fail(what, e);
}

}  // namespace dlpd
