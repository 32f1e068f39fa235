// The store: rules, incidents, processed events, admin users and sessions,
// and the audit log, in SQLite (the embedded default) or MySQL/MariaDB,
// through Poco::Data. Poco stays behind this header.
//
// Thread-safe: every call takes a session from a pool.
#ifndef DLPD_HOST_STORE_STORE_HPP
#define DLPD_HOST_STORE_STORE_HPP

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/rule_pack.hpp"
#include "store/admin_records.hpp"
#include "config/database_url.hpp"

namespace dlpd {

// A store failure. The message never contains a password.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct StoreOptions {
    int pool_size = 8;
    int connect_timeout_seconds = 5;
    // Keep the full text of a message with its incident, always sealed
    // (AES-256-GCM): with DLPD_ENCRYPTION_KEY when that is set, else with the
    // key in key_file, created there when first needed (an event's payload
    // or an incident). With neither, the text is not kept.
    bool store_message_text = true;
    std::filesystem::path key_file;
};

struct IncidentInput {
    std::string source = "slack";  // slack | scan
    std::string team_id, channel_id, user_id;
    std::string message_ts, thread_ts, permalink, event_id;
    std::string rule, detector, severity;
    std::string confidence;    // low|medium|high (empty: medium)
    std::string match;         // the sensitive text itself: only its mask and fingerprint are kept
    std::string masked;        // kept instead of match's mask when set: a finding that is no secret (why a file was not scanned)
    std::string message_text;  // kept (sealed) only when store_message_text is on
    std::string actions;       // JSON: what was decided
    std::string action_results;  // JSON: what happened
};

struct Incident {
    int64_t id = 0;
    int64_t created_at_ms = 0;
    std::string source, team_id, channel_id, user_id, message_ts, thread_ts, permalink, event_id;
    std::string rule, detector, severity;
    std::string confidence = "medium";
    std::string masked_match;
    std::string match_fingerprint;  // HMAC-SHA256 of the match's canonical form, hex (engine/fingerprint.hpp)
    bool has_message_text = false;
    bool message_text_sealed = false;  // encrypted at rest
    std::string actions, action_results;
};

// A value never acted on, kept only as its fingerprint.
struct AllowlistEntry {
    int64_t id = 0;
    std::string fingerprint;
    std::string rule;    // the rule it was found by, or empty (a pack's test value)
    std::string source;  // pack | false_positive
    std::string note;    // never the value
    int64_t incident_id = 0;  // the incident marked a false positive, or 0
    std::string created_by;
    int64_t created_at_ms = 0;
};

struct AuditEntry {
    int64_t id = 0;
    int64_t at_ms = 0;
    std::string actor, action, subject, detail;
};

struct PendingEvent {
    std::string event_id;
    std::string payload;
    int attempts = 0;
};

// One step of an event's handling in the action journal.
struct JournalStep {
    std::string step;    // plan | delete | delete_file:F… | notify | alert | outcome
    std::string state;   // decided | done
    std::string result;  // done steps: ok, already gone, an error code; the plan: its incidents' ids
    std::string detail;  // JSON: the plan itself; where a posted message went
    int64_t updated_at_ms = 0;
};

// What is recorded, in one transaction, when an event's actions are decided.
struct EventPlan {
    std::string plan;                     // JSON, no secret (findings masked)
    std::vector<std::string> steps;       // each decided action, in the order it is taken
    std::vector<IncidentInput> incidents;
    // Steps already taken when the plan is written (the deletes, which are
    // safe to repeat and so need not wait for it): step → Slack's result.
    // They are recorded done in the plan's own transaction.
    std::map<std::string, std::string> taken;
};

class Store {
public:
    // Connects and checks the connection; fails fast with a StoreError that
    // names the database (password redacted) and the reason.
    static std::unique_ptr<Store> open(const DatabaseUrl &url, const StoreOptions &options = {});
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    const DatabaseUrl &url() const;

    // Applies the migrations not applied yet; returns their names. Running
    // it again applies nothing. Each migration is one transaction on SQLite
    // (MySQL commits DDL implicitly, so there a migration is made of
    // statements that can be re-run).
    std::vector<std::string> migrate();
    int schema_version();
    // Asks the database a trivial question: throws StoreError (naming the
    // database, password redacted) when it does not answer. For /readyz.
    void ping();

    // --- rules ---------------------------------------------------------
    std::vector<Rule> rules();
    // Changes whenever the rules change; replicas poll it.
    int64_t rules_revision();
    struct RuleChange {
        size_t added = 0;
        size_t updated = 0;
        size_t unchanged = 0;
        int64_t revision = 0;
    };
    // Inserts or updates (by name) every rule, in one transaction, bumping
    // the revision once and writing the audit log. Validation is the
    // caller's (the engine's) job: nothing here compiles patterns.
    RuleChange upsert_rules(const std::vector<Rule> &rules, const std::string &actor);
    bool delete_rule(const std::string &name, const std::string &actor);

    // --- processed events ----------------------------------------------
    // Records an event before it is acknowledged. Returns false when the
    // event id is already recorded (a retry, or another replica has it).
    bool claim_event(const std::string &event_id, const std::string &payload);
    void finish_event(const std::string &event_id, const std::string &status);
    // Claims and finishes many events in one transaction (one commit, one
    // fsync): what the Slack intake does with everything that queued up
    // while the previous commit ran. Returns, per claim, whether it was new.
    std::vector<bool> record_events(const std::vector<std::pair<std::string, std::string>> &claims,
                                    const std::vector<std::pair<std::string, std::string>> &finishes);
    // Forgets a recorded event, so it can be claimed again.
    void release_event(const std::string &event_id);
    std::vector<PendingEvent> pending_events(size_t limit = 1000);
    // A file shared in a message also comes as file_shared: the first event
    // to claim "file:<id>:<channel>" scans it. True when this event claims
    // it now, or claimed it in an earlier attempt (so a resumed event scans
    // its files again).
    bool claim_file(const std::string &key, const std::string &event_id);

    // --- leases on pending events (store/event_journal.cpp) --------------
    // The process recording and working on events: every event it records
    // carries its name and a lease of lease_ms, renewed while it lives.
    void set_event_owner(const std::string &owner, int64_t lease_ms);
    const std::string &event_owner() const;
    // Extends the lease of every pending event this process holds.
    size_t renew_event_leases();
    // Ends them now (a graceful stop): the next start or another replica
    // takes them over at once.
    size_t release_event_leases();
    // Pending events whose lease ran out (their process died) or that never
    // had one, now held by this process, oldest first; each take-over counts
    // as an attempt.
    std::vector<PendingEvent> take_over_events(size_t limit = 1000);

    // --- the action journal (store/event_journal.cpp) --------------------
    // Records an event's incidents, its plan (with the incidents' ids) and
    // each decided step in one transaction, and returns the incidents' ids.
    // Nothing when the event has a plan already (an earlier attempt, or
    // another replica): then nothing is written, and the journal says what
    // was decided.
    std::optional<std::vector<int64_t>> record_plan(const std::string &event_id, const EventPlan &plan);
    // Every step of an event, in the order recorded (the plan first).
    std::vector<JournalStep> journal(const std::string &event_id);
    void step_done(const std::string &event_id, const std::string &step, const std::string &result,
                   const std::string &detail = "{}");
    // What the actions did, written to the event's incidents, with the step
    // "outcome" done, in one transaction.
    void record_outcome(const std::string &event_id, const std::vector<int64_t> &incident_ids,
                        const std::string &action_results);

    // --- incidents -----------------------------------------------------
    // Unique per (event, rule, match): recording the same finding of an
    // event again returns the incident recorded first.
    int64_t record_incident(const IncidentInput &incident);
    std::optional<Incident> incident(int64_t id);
    std::vector<Incident> recent_incidents(size_t limit);
    // The stored message text, unsealed; nothing when none was kept or it
    // cannot be unsealed (no key, wrong key).
    std::optional<std::string> incident_message_text(int64_t id);
    // Forgets the message text of every incident created before the time
    // given (ms since the epoch; database.message_text_days); the incident
    // itself, with its masked match, stays. Returns how many were purged.
    size_t purge_message_texts(int64_t older_than_ms);

    // --- audit ---------------------------------------------------------
    void audit(const std::string &actor, const std::string &action, const std::string &subject,
               const std::string &detail);
    std::vector<AuditEntry> audit_log(size_t limit);

    // HMAC-SHA256 of a matched secret's canonical form, hex: lets incidents
    // of the same secret be grouped, and the allowlist hold it, without
    // keeping it.
    std::string fingerprint(const std::string &secret);
    // The key of those fingerprints, for an engine's ValueAllowlist.
    std::string fingerprint_key();

    // --- the value allowlist (store/allowlist_records.cpp) ---------------
    // Changes whenever the allowlist changes; replicas poll it.
    int64_t allowlist_revision();
    std::vector<AllowlistEntry> allowlist_entries();
    std::optional<AllowlistEntry> allowlist_entry(int64_t id);
    std::optional<AllowlistEntry> allowlist_entry_for(const std::string &fingerprint);
    // Adds the fingerprints of a pack's documented test values (source
    // "pack") that were never on the list: a value listed before, even one
    // an admin removed since, is left alone. Returns how many were added.
    size_t seed_allowlist(const std::vector<std::string> &values, const std::string &actor);
    // The incident's fingerprint goes on the allowlist (source
    // "false_positive"), audited. Returns the entry; nothing when there is no
    // such incident. An incident whose value is listed already gives the
    // existing entry.
    std::optional<AllowlistEntry> mark_false_positive(int64_t incident_id, const std::string &actor,
                                                      const std::string &note);
    // Removes an entry (audited; kept as a tombstone so seeding does not
    // bring it back); false when there is none in force.
    bool remove_allowlist_entry(int64_t id, const std::string &actor);

    // --- the browser admin: users, sessions, incident queries -----------
    // (defined in store/admin_queries.cpp)
    // Every user, or only those of one role.
    int64_t count_admin_users(const std::string &role = {});
    std::vector<AdminUser> admin_users();
    std::optional<AdminUser> admin_user(const std::string &name);
    std::optional<AdminUser> admin_user(int64_t id);
    // Adds a user and audits it; false when the name is taken.
    bool add_admin_user(const AdminUser &user, const std::string &actor);
    void add_admin_session(const AdminSession &session);
    std::optional<AdminSession> admin_session(const std::string &id_hash);
    void touch_admin_session(const std::string &id_hash, int64_t at_ms);
    void delete_admin_session(const std::string &id_hash);
    // Deletes sessions past their absolute expiry or idle since before
    // idle_cutoff_ms; returns how many.
    size_t delete_stale_admin_sessions(int64_t now_ms, int64_t idle_cutoff_ms);

    // Newest first; offset and limit page through them.
    std::vector<Incident> find_incidents(const IncidentFilter &filter, size_t offset, size_t limit);
    int64_t count_incidents(const IncidentFilter &filter);
    // Incidents per UTC day since since_ms, oldest first; days with none are left out.
    std::vector<DayCount> incidents_per_day(int64_t since_ms);
    // The most frequent values of a column since since_ms, most frequent first.
    std::vector<CountedValue> top_incident_values(IncidentColumn column, int64_t since_ms, size_t limit);

    struct Impl;

private:
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace dlpd

#endif
