// The Store's value allowlist: fingerprints of values never acted on, from a
// pack's documented test values or an incident an admin marked a false
// positive. Every change bumps allowlist_revision (replicas poll it) and is
// audited in the same transaction. No value is ever stored, only its
// fingerprint. A removed entry is kept as a tombstone (removed_at), so a
// pack's test value an admin removed is not seeded again when the pack is.
#include "store/store.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <set>

#include "store/store_internal.hpp"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using dlpd::store_internal::insert_audit;
using dlpd::store_internal::now_ms;

namespace dlpd {

namespace {

// Entries in force (not removed); `where` adds conditions ("AND id = ?").
std::vector<AllowlistEntry> query_entries(Session &s, const std::string &where, Poco::Data::AbstractBindingVec bindings) {
    std::vector<Poco::Int64> ids, incidents, created;
    std::vector<std::string> fps, rules, sources, notes, by;
    Poco::Data::Statement select(s);
    select << "SELECT id, fingerprint, rule_name, source, note, COALESCE(incident_id, 0), created_by, created_at "
              "FROM allowlist WHERE removed_at IS NULL " + where + " ORDER BY id",
        bindings, into(ids), into(fps), into(rules), into(sources), into(notes), into(incidents), into(by),
        into(created);
    select.execute();
    std::vector<AllowlistEntry> out;
    for (size_t i = 0; i < ids.size(); ++i)
        out.push_back(AllowlistEntry{ids[i], fps[i], rules[i], sources[i], notes[i], incidents[i], by[i], created[i]});
    return out;
}

void bump_revision(Session &s) { s << "UPDATE store_state SET value = value + 1 WHERE name = 'allowlist_revision'", now; }

}  // namespace

int64_t Store::allowlist_revision() {
    return store_internal::state_value(*impl_, "allowlist_revision", "the allowlist revision");
}

std::vector<AllowlistEntry> Store::allowlist_entries() {
    Session s = impl_->session();
    try {
        return query_entries(s, "", {});
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read the allowlist", e);
    }
}

std::optional<AllowlistEntry> Store::allowlist_entry(int64_t id_in) {
    Session s = impl_->session();
    Poco::Int64 id = id_in;
    try {
        auto found = query_entries(s, "AND id = ?", {bind(id)});
        if (found.empty()) return std::nullopt;
        return found.front();
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read the allowlist", e);
    }
}

std::optional<AllowlistEntry> Store::allowlist_entry_for(const std::string &fingerprint_in) {
    Session s = impl_->session();
    std::string fp = fingerprint_in;
    try {
        auto found = query_entries(s, "AND fingerprint = ?", {bind(fp)});
        if (found.empty()) return std::nullopt;
        return found.front();
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read the allowlist", e);
    }
}

size_t Store::seed_allowlist(const std::vector<std::string> &values, const std::string &actor) {
    if (values.empty()) return 0;
    std::set<std::string> fps;
    for (const auto &v : values) fps.insert(fingerprint(v));
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    size_t added = 0;
    try {
        s.begin();
        const int64_t at = now_ms();
        for (const auto &fp_value : fps) {
            std::string fp = fp_value, rule, source = "pack", note = "documented test value", who = actor;
            Poco::Int64 when = at;
            // Listed, or listed once and removed (a tombstone): left alone.
            int known = 0;
            s << "SELECT COUNT(*) FROM allowlist WHERE fingerprint = ?", use(fp), into(known), now;
            if (known != 0) continue;
            s << "INSERT INTO allowlist (fingerprint, rule_name, source, note, incident_id, created_by, created_at) "
                 "VALUES (?, ?, ?, ?, NULL, ?, ?)",
                use(fp), use(rule), use(source), use(note), use(who), use(when), now;
            ++added;
        }
        if (added > 0) {
            bump_revision(s);
            insert_audit(s, at, actor, "allowlist.seed", "", std::to_string(added) + " documented test value(s)");
        }
        s.commit();
    } catch (const Poco::Exception &e) {
        if (s.isTransaction()) s.rollback();
        // Another replica seeded the same values at the same moment.
        if (e.displayText().find("UNIQUE") != std::string::npos || e.displayText().find("Duplicate") != std::string::npos)
            return 0;
        impl_->fail("cannot seed the allowlist", e);
    }
    return added;
}

std::optional<AllowlistEntry> Store::mark_false_positive(int64_t incident_id, const std::string &actor,
                                                         const std::string &note_in) {
    const auto found = incident(incident_id);
    if (!found) return std::nullopt;
    if (auto existing = allowlist_entry_for(found->match_fingerprint)) return existing;
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    try {
        s.begin();
        std::string fp = found->match_fingerprint, rule = found->rule, source = "false_positive", note = note_in,
                    who = actor;
        Poco::Int64 incident = incident_id, at = now_ms();
        // A tombstone of the same value comes back to life; else a new entry.
        Poco::Data::Statement revive(s);
        revive << "UPDATE allowlist SET rule_name = ?, source = ?, note = ?, incident_id = ?, created_by = ?, "
                  "created_at = ?, removed_at = NULL, removed_by = NULL WHERE fingerprint = ?",
            use(rule), use(source), use(note), use(incident), use(who), use(at), use(fp);
        if (revive.execute() == 0)
            s << "INSERT INTO allowlist (fingerprint, rule_name, source, note, incident_id, created_by, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                use(fp), use(rule), use(source), use(note), use(incident), use(who), use(at), now;
        bump_revision(s);
        insert_audit(s, at, actor, "allowlist.add", "incident " + std::to_string(incident_id),
                     "marked a false positive of rule " + rule + " (" + found->masked_match + ")");
        s.commit();
    } catch (const Poco::Exception &e) {
        if (s.isTransaction()) s.rollback();
        if (auto existing = allowlist_entry_for(found->match_fingerprint)) return existing;  // a concurrent mark
        impl_->fail("cannot add to the allowlist", e);
    }
    return allowlist_entry_for(found->match_fingerprint);
}

bool Store::remove_allowlist_entry(int64_t id_in, const std::string &actor) {
    const auto entry = allowlist_entry(id_in);
    if (!entry) return false;
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    try {
        s.begin();
        Poco::Int64 id = id_in, at = now_ms();
        std::string who = actor;
        Poco::Data::Statement del(s);
        del << "UPDATE allowlist SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL", use(at),
            use(who), use(id);
        if (del.execute() == 0) {
            s.rollback();
            return false;
        }
        bump_revision(s);
        insert_audit(s, at, actor, "allowlist.remove", "allowlist entry " + std::to_string(id_in),
                     entry->source + (entry->rule.empty() ? "" : ", rule " + entry->rule) +
                         (entry->incident_id != 0 ? ", incident " + std::to_string(entry->incident_id) : ""));
        s.commit();
        return true;
    } catch (const Poco::Exception &e) {
        if (s.isTransaction()) s.rollback();
        impl_->fail("cannot remove the allowlist entry", e);
    }
}

}  // namespace dlpd
