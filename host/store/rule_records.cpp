// The Store's rules: reading them, the revision other replicas watch, and
// changes (each audited in the same transaction).
#include "store/store.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "store/store_internal.hpp"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using dlpd::store_internal::insert_audit;
using dlpd::store_internal::now_ms;

namespace dlpd {

namespace {

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

// A rule's detection settings as one JSON object (the `detection` column).
std::string detection_json(const Rule &r) {
    Poco::JSON::Object o;
    o.set("confidence", r.confidence);
    Poco::JSON::Array context, allow;
    for (const auto &w : r.context) context.add(w);
    for (const auto &a : r.allow) allow.add(a);
    o.set("context", context);
    o.set("context_window", static_cast<int>(r.context_window));
    o.set("context_required", r.context_required);
    if (!r.confidence_without_context.empty()) o.set("confidence_without_context", r.confidence_without_context);
    o.set("allow", allow);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

void read_detection(const std::string &text, Rule &r) {
    if (text.empty()) return;  // stored before migration 2: the defaults
    Poco::JSON::Parser parser;
    auto o = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    r.confidence = o->optValue<std::string>("confidence", "medium");
    r.context_window = static_cast<uint32_t>(o->optValue<int>("context_window", 64));
    r.context_required = o->optValue<bool>("context_required", false);
    r.confidence_without_context = o->optValue<std::string>("confidence_without_context", "");
    auto strings = [&](const char *key, std::vector<std::string> &out) {
        if (auto a = o->getArray(key))
            for (size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    };
    strings("context", r.context);
    strings("allow", r.allow);
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

}  // namespace

std::vector<Rule> Store::rules() {
    Session s = impl_->session();
    std::vector<std::string> names, regexes, detectors, validators, severities, descriptions, matches, no_matches,
        detection;
    std::vector<int> enabled;
    try {
        s << "SELECT name, regex, detector, validators, severity, description, enabled, examples_match, "
             "examples_no_match, COALESCE(detection, '') FROM rules ORDER BY id",
            into(names), into(regexes), into(detectors), into(validators), into(severities), into(descriptions),
            into(enabled), into(matches), into(no_matches), into(detection), now;
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
        read_detection(detection[i], r);
        r.origin = "database rule '" + r.name + "'";
        out.push_back(std::move(r));
    }
    return out;
}

int64_t Store::rules_revision() { return store_internal::state_value(*impl_, "rules_revision", "the rule revision"); }

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
                        detection = detection_json(r), who = actor;
            int enabled = r.enabled ? 1 : 0;
            int64_t at = now_ms();
            std::vector<std::string> old_regex, old_detector, old_validators, old_severity, old_description,
                old_matches, old_no_matches, old_detection;
            std::vector<int> old_enabled;
            s << "SELECT regex, detector, validators, severity, description, enabled, examples_match, "
                 "examples_no_match, COALESCE(detection, '') FROM rules WHERE name = ?",
                use(name), into(old_regex), into(old_detector), into(old_validators), into(old_severity),
                into(old_description), into(old_enabled), into(old_matches), into(old_no_matches),
                into(old_detection), now;
            if (old_regex.empty()) {
                s << "INSERT INTO rules (name, regex, detector, validators, severity, description, enabled, "
                     "examples_match, examples_no_match, detection, created_by, created_at, updated_by, updated_at, "
                     "revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    use(name), use(regex), use(detector), use(validators), use(severity), use(description),
                    use(enabled), use(matches), use(no_matches), use(detection), use(who), use(at), use(who), use(at),
                    use(revision), now;
                ++change.added;
                insert_audit(s, at, who, "rule.create", name, "severity " + severity + (enabled ? "" : ", disabled"));
            } else if (old_regex[0] != regex || old_detector[0] != detector || old_validators[0] != validators ||
                       old_severity[0] != severity || old_description[0] != description ||
                       old_enabled[0] != enabled || old_matches[0] != matches || old_no_matches[0] != no_matches ||
                       old_detection[0] != detection) {
                s << "UPDATE rules SET regex = ?, detector = ?, validators = ?, severity = ?, description = ?, "
                     "enabled = ?, examples_match = ?, examples_no_match = ?, detection = ?, updated_by = ?, "
                     "updated_at = ?, revision = ? WHERE name = ?",
                    use(regex), use(detector), use(validators), use(severity), use(description), use(enabled),
                    use(matches), use(no_matches), use(detection), use(who), use(at), use(revision), use(name), now;
                ++change.updated;
                std::string detail;
                if (old_regex[0] != regex) detail += "pattern changed; ";
                if (old_enabled[0] != enabled) detail += enabled ? "enabled; " : "disabled; ";
                if (old_severity[0] != severity) detail += "severity " + old_severity[0] + " -> " + severity + "; ";
                if (old_detection[0] != detection) detail += "confidence, context or allow patterns changed; ";
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

}  // namespace dlpd
