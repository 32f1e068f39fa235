#include "store/migrations.hpp"

namespace dlpd {

namespace {

// One text per statement, with a few tokens for what the dialects spell
// differently:
//   {ID}    an auto-increment 64-bit primary key
//   {TABLE} the table options (InnoDB, utf8mb4 with binary collation so
//           names compare exactly as in SQLite)
//   {KEY}   a string column that is indexed or unique (bounded in MySQL)
struct Spec {
    int version;
    const char *name;
    std::vector<const char *> statements;
};

const std::vector<Spec> &specs() {
    static const std::vector<Spec> list = {
        {1, "rules, revision, incidents, processed events, users, sessions, audit log",
         {
             "CREATE TABLE IF NOT EXISTS store_state ("
             " name {KEY} NOT NULL PRIMARY KEY,"
             " value BIGINT NOT NULL,"
             " text_value TEXT NULL){TABLE}",

             "CREATE TABLE IF NOT EXISTS rules ("
             " id {ID},"
             " name {KEY} NOT NULL UNIQUE,"
             " regex TEXT NOT NULL,"
             " detector {KEY} NOT NULL,"
             " validators TEXT NOT NULL,"
             " severity {KEY} NOT NULL,"
             " description TEXT NOT NULL,"
             " enabled INTEGER NOT NULL,"
             " examples_match TEXT NOT NULL,"
             " examples_no_match TEXT NOT NULL,"
             " created_by {KEY} NOT NULL,"
             " created_at BIGINT NOT NULL,"
             " updated_by {KEY} NOT NULL,"
             " updated_at BIGINT NOT NULL,"
             " revision BIGINT NOT NULL){TABLE}",

             "CREATE TABLE IF NOT EXISTS incidents ("
             " id {ID},"
             " created_at BIGINT NOT NULL,"
             " source {KEY} NOT NULL,"
             " team_id {KEY} NOT NULL,"
             " channel_id {KEY} NOT NULL,"
             " user_id {KEY} NOT NULL,"
             " message_ts {KEY} NOT NULL,"
             " thread_ts {KEY} NOT NULL,"
             " permalink TEXT NOT NULL,"
             " event_id {KEY} NOT NULL,"
             " rule_name {KEY} NOT NULL,"
             " detector {KEY} NOT NULL,"
             " severity {KEY} NOT NULL,"
             " masked_match TEXT NOT NULL,"
             " match_fingerprint {KEY} NOT NULL,"
             " message_text TEXT NULL,"
             " message_text_sealed INTEGER NOT NULL,"
             " actions TEXT NOT NULL,"
             " action_results TEXT NOT NULL){TABLE}",

             "CREATE INDEX {IF_NOT_EXISTS} incidents_created ON incidents (created_at)",
             "CREATE INDEX {IF_NOT_EXISTS} incidents_channel ON incidents (channel_id, created_at)",
             "CREATE INDEX {IF_NOT_EXISTS} incidents_rule ON incidents (rule_name, created_at)",

             "CREATE TABLE IF NOT EXISTS processed_events ("
             " event_id {KEY} NOT NULL PRIMARY KEY,"
             " received_at BIGINT NOT NULL,"
             " updated_at BIGINT NOT NULL,"
             " status {KEY} NOT NULL,"
             " attempts INTEGER NOT NULL,"
             " payload TEXT NOT NULL){TABLE}",

             "CREATE INDEX {IF_NOT_EXISTS} processed_events_status ON processed_events (status, received_at)",

             "CREATE TABLE IF NOT EXISTS admin_users ("
             " id {ID},"
             " name {KEY} NOT NULL UNIQUE,"
             " password_hash TEXT NOT NULL,"
             " role {KEY} NOT NULL,"
             " disabled INTEGER NOT NULL,"
             " created_at BIGINT NOT NULL){TABLE}",

             "CREATE TABLE IF NOT EXISTS admin_sessions ("
             " id_hash {KEY} NOT NULL PRIMARY KEY,"
             " user_id BIGINT NOT NULL,"
             " csrf_token {KEY} NOT NULL,"
             " created_at BIGINT NOT NULL,"
             " last_seen_at BIGINT NOT NULL,"
             " expires_at BIGINT NOT NULL){TABLE}",

             "CREATE TABLE IF NOT EXISTS audit_log ("
             " id {ID},"
             " at BIGINT NOT NULL,"
             " actor {KEY} NOT NULL,"
             " action {KEY} NOT NULL,"
             " subject TEXT NOT NULL,"
             " detail TEXT NOT NULL){TABLE}",

             "CREATE INDEX {IF_NOT_EXISTS} audit_log_at ON audit_log (at)",
         }},
        {2, "rule detection settings, incident confidence, value allowlist",
         {
             // confidence, context, context_window, context_required, allow
             // as one JSON object; NULL for rules stored before it.
             "ALTER TABLE rules ADD COLUMN detection TEXT NULL",
             "ALTER TABLE incidents ADD COLUMN confidence {KEY} NULL",

             // Values never acted on, by fingerprint only (the HMAC that
             // incidents use): from a pack's test values, or an incident
             // marked a false positive.
             "CREATE TABLE IF NOT EXISTS allowlist ("
             " id {ID},"
             " fingerprint {KEY} NOT NULL UNIQUE,"
             " rule_name {KEY} NOT NULL,"
             " source {KEY} NOT NULL,"
             " note TEXT NOT NULL,"
             " incident_id BIGINT NULL,"
             " created_by {KEY} NOT NULL,"
             " created_at BIGINT NOT NULL,"
             // A removed entry stays as a tombstone, so a pack's test value
             // an admin removed is never seeded again.
             " removed_at BIGINT NULL,"
             " removed_by {KEY} NULL){TABLE}",
         }},
        {3, "event action journal, one incident per event, rule and match, event leases",
         {
             // Each step of an event's handling: the plan (its incidents'
             // ids, what was decided) and each action, decided, then done
             // with its result. A resumed event continues from here.
             "CREATE TABLE IF NOT EXISTS event_steps ("
             " event_id {KEY} NOT NULL,"
             " step {KEY} NOT NULL,"
             " state {KEY} NOT NULL,"
             " result TEXT NOT NULL,"
             " detail TEXT NOT NULL,"
             " updated_at BIGINT NOT NULL,"
             " PRIMARY KEY (event_id, step)){TABLE}",

             // SHA-256 of (event id, rule, match fingerprint): no path can
             // record a second incident for the same finding of an event.
             // Incidents recorded before this migration keep NULL, which a
             // unique index allows any number of times, so an upgrade never
             // fails on old duplicates.
             "ALTER TABLE incidents ADD COLUMN once_key {KEY} NULL",
             "CREATE UNIQUE INDEX {IF_NOT_EXISTS} incidents_once ON incidents (once_key)",

             // Which process is working on a pending event, and until when
             // (renewed while it lives): another replica, or a restart, takes
             // over an event whose lease ran out.
             "ALTER TABLE processed_events ADD COLUMN owner {KEY} NULL",
             "ALTER TABLE processed_events ADD COLUMN lease_until BIGINT NULL",
         }},
    };
    return list;
}

std::string replace_all(std::string s, const std::string &from, const std::string &to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

}  // namespace

std::vector<Migration> migrations_for(DatabaseUrl::Dialect dialect) {
    const bool mysql = dialect == DatabaseUrl::Dialect::mysql;
    std::vector<Migration> out;
    for (const Spec &spec : specs()) {
        Migration m{spec.version, spec.name, {}};
        for (const char *statement : spec.statements) {
            std::string s = statement;
            s = replace_all(s, "{ID}", mysql ? "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
            s = replace_all(s, "{TABLE}", mysql ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "");
            s = replace_all(s, "{KEY}", mysql ? "VARCHAR(255)" : "TEXT");
            // MySQL 8 has no CREATE INDEX IF NOT EXISTS: there the runner
            // treats "duplicate key name" as already done.
            s = replace_all(s, "{IF_NOT_EXISTS}", mysql ? "" : "IF NOT EXISTS");
            m.statements.push_back(std::move(s));
        }
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace dlpd
