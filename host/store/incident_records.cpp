// The Store's incidents: recording one (masked match, fingerprint, message
// text sealed when a key is set) and reading them back.
#include "store/store.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <openssl/sha.h>

#include <limits>

#include "engine/masking.hpp"
#include "store/sealed_text.hpp"
#include "store/store_internal.hpp"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using dlpd::store_internal::now_ms;

namespace dlpd {

namespace {

// SHA-256 of (event id, rule, match fingerprint), hex: an incident's key in
// the unique index incidents_once. Empty (NULL) without an event id.
std::string once_key(const std::string &event_id, const std::string &rule, const std::string &fingerprint) {
    if (event_id.empty()) return {};
    std::string input = event_id;
    input.push_back('\0');
    input += rule;
    input.push_back('\0');
    input += fingerprint;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(input.data()), input.size(), digest);
    static const char *hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : digest) {
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
    return out;
}

Poco::Int64 last_id(Store::Impl &impl, Session &s) {
    Poco::Int64 id = 0;
    if (impl.url.dialect == DatabaseUrl::Dialect::sqlite)
        s << "SELECT last_insert_rowid()", into(id), now;
    else
        s << "SELECT LAST_INSERT_ID()", into(id), now;
    return id;
}

}  // namespace

bool store_internal::is_duplicate_key(const Poco::Exception &e) {
    // SQLite: "UNIQUE constraint failed"; MySQL/MariaDB: "Duplicate entry".
    const std::string text = e.displayText();
    return text.find("UNIQUE") != std::string::npos || text.find("Duplicate") != std::string::npos ||
           text.find("constraint") != std::string::npos;
}

int64_t store_internal::insert_incident(Store &store, Store::Impl &impl, Session &s, const IncidentInput &in) {
    std::string source = in.source, team = in.team_id, channel = in.channel_id, user = in.user_id,
                ts = in.message_ts, thread = in.thread_ts, permalink = in.permalink, event = in.event_id,
                rule = in.rule, detector = in.detector, severity = in.severity,
                confidence = in.confidence.empty() ? "medium" : in.confidence,
                masked = in.masked.empty() ? mask_secret(in.match) : in.masked, fp = store.fingerprint(in.match), actions = in.actions.empty() ? "{}" : in.actions,
                results = in.action_results.empty() ? "{}" : in.action_results;
    Poco::Nullable<std::string> key;
    if (std::string k = once_key(in.event_id, in.rule, fp); !k.empty()) key = k;
    if (!key.isNull()) {
        // Recorded already (a resumed event): the first incident stands.
        Poco::Int64 existing = 0;
        std::string k = key.value();
        s << "SELECT COALESCE(MAX(id), 0) FROM incidents WHERE once_key = ?", use(k), into(existing), now;
        if (existing > 0) return existing;
    }
    Poco::Nullable<std::string> text;
    int sealed = 0;
    // Never in clear: without a key the text is not kept at all.
    if (impl.options.store_message_text && !in.message_text.empty())
        if (const std::string seal_key = impl.seal_key(true); !seal_key.empty()) {
            text = seal(in.message_text, seal_key);
            sealed = 1;
        }
    int64_t at = now_ms();
    s << "INSERT INTO incidents (created_at, source, team_id, channel_id, user_id, message_ts, thread_ts, "
         "permalink, event_id, rule_name, detector, severity, confidence, masked_match, match_fingerprint, "
         "message_text, message_text_sealed, actions, action_results, once_key) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        use(at), use(source), use(team), use(channel), use(user), use(ts), use(thread), use(permalink), use(event),
        use(rule), use(detector), use(severity), use(confidence), use(masked), use(fp), use(text), use(sealed),
        use(actions), use(results), use(key), now;
    return last_id(impl, s);
}

int64_t Store::record_incident(const IncidentInput &in) {
    impl_->fingerprint_secret();  // read (or made) before the write transaction, on a session of its own
    for (int attempt = 0;; ++attempt) {
        auto turn = impl_->write_turn();
        Session s = impl_->session();
        try {
            store_internal::begin_write(*impl_, s);
            const int64_t id = store_internal::insert_incident(*this, *impl_, s, in);
            store_internal::commit_write(*impl_, s);
            return id;
        } catch (const Poco::Exception &e) {
            store_internal::rollback_write(*impl_, s);
            // Another replica recorded it between the look and the insert:
            // the look finds it the second time.
            if (attempt == 0 && store_internal::is_duplicate_key(e)) continue;
            impl_->fail("cannot record the incident", e);
        }
    }
}

namespace {
constexpr const char *kIncidentColumns =
    "id, created_at, source, team_id, channel_id, user_id, message_ts, thread_ts, permalink, event_id, rule_name, "
    "detector, severity, masked_match, match_fingerprint, message_text IS NOT NULL, message_text_sealed, actions, "
    "action_results, COALESCE(confidence, 'medium')";
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
        fp, actions, results, confidence;
    std::vector<int> has_text, sealed;
    Poco::Data::Statement select(s);
    select << "SELECT " + std::string(kIncidentColumns) + " FROM incidents " + tail, bindings, into(ids),
        into(created), into(source), into(team), into(channel), into(user), into(ts), into(thread), into(permalink),
        into(event), into(rule), into(detector), into(severity), into(masked), into(fp), into(has_text), into(sealed),
        into(actions), into(results), into(confidence);
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
        x.confidence = confidence[i];
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
    const std::string key = impl_->seal_key(false);
    if (key.empty()) return std::nullopt;
    return unseal(text.value(), key);
}

size_t Store::purge_message_texts(int64_t older_than_ms) {
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    Poco::Int64 before = older_than_ms;
    try {
        Poco::Data::Statement purge(s);
        purge << "UPDATE incidents SET message_text = NULL, message_text_sealed = 0 "
                 "WHERE created_at < ? AND message_text IS NOT NULL",
            use(before);
        return purge.execute();
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot purge old message texts", e);
    }
}

}  // namespace dlpd
