#include "engine/rule_pack.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace dlpd {

namespace {

std::string join(const std::vector<std::string> &lines) {
    std::string out;
    for (const auto &l : lines) out += (out.empty() ? "" : "\n") + l;
    return out;
}

std::string at(const std::string &source, const YAML::Node &node) {
    return source + ":" + std::to_string(node.Mark().line + 1);
}

class Reader {
public:
    Reader(std::string source, std::vector<std::string> &problems) : source_(std::move(source)), problems_(problems) {}

    void problem(const YAML::Node &node, const std::string &rule, const std::string &what) {
        problems_.push_back(at(source_, node) + ": " + (rule.empty() ? "" : "rule '" + rule + "': ") + what);
    }

    bool scalar(const YAML::Node &node, const std::string &rule, const std::string &key, std::string &out) {
        if (!node.IsScalar()) {
            problem(node, rule, "'" + key + "' must be a string");
            return false;
        }
        out = node.Scalar();
        return true;
    }

    void string_list(const YAML::Node &node, const std::string &rule, const std::string &key,
                     std::vector<std::string> &out) {
        if (node.IsNull()) return;
        if (!node.IsSequence()) {
            problem(node, rule, "'" + key + "' must be a list");
            return;
        }
        for (const auto &item : node) {
            std::string v;
            if (scalar(item, rule, key, v)) out.push_back(v);
        }
    }

    Rule rule(const YAML::Node &node) {
        Rule r;
        r.origin = at(source_, node);
        if (!node.IsMap()) {
            problem(node, "", "a rule must be a mapping with name and regex");
            return r;
        }
        if (node["name"]) scalar(node["name"], "", "name", r.name);
        if (r.name.empty()) problem(node, "", "rule has no 'name'");
        static const std::set<std::string> known = {"name",     "regex",       "detector", "validators",
                                                    "severity", "description", "enabled",  "examples"};
        for (const auto &kv : node) {
            const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
            if (known.count(key) == 0) {
                problem(kv.first, r.name,
                        "unknown key '" + key + "' (known: name, regex, detector, validators, severity, "
                                                "description, enabled, examples)");
            }
        }
        if (node["regex"]) scalar(node["regex"], r.name, "regex", r.regex);
        if (r.regex.empty()) problem(node, r.name, "rule has no 'regex'");
        if (node["detector"]) scalar(node["detector"], r.name, "detector", r.detector);
        if (node["validators"]) string_list(node["validators"], r.name, "validators", r.validators);
        if (node["severity"]) {
            scalar(node["severity"], r.name, "severity", r.severity);
            if (std::find(std::begin(kSeverities), std::end(kSeverities), r.severity) == std::end(kSeverities))
                problem(node["severity"], r.name,
                        "severity '" + r.severity + "' is not one of low, medium, high, critical");
        }
        if (node["description"]) scalar(node["description"], r.name, "description", r.description);
        if (node["enabled"]) {
            std::string v;
            if (scalar(node["enabled"], r.name, "enabled", v)) {
                if (v == "true") r.enabled = true;
                else if (v == "false") r.enabled = false;
                else problem(node["enabled"], r.name, "'enabled' must be true or false");
            }
        }
        if (const YAML::Node ex = node["examples"]) {
            if (!ex.IsMap()) {
                problem(ex, r.name, "'examples' must be a mapping with 'match' and 'no_match' lists");
            } else {
                for (const auto &kv : ex) {
                    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
                    if (key != "match" && key != "no_match")
                        problem(kv.first, r.name, "unknown key '" + key + "' in examples (known: match, no_match)");
                }
                if (ex["match"]) string_list(ex["match"], r.name, "examples.match", r.examples_match);
                if (ex["no_match"]) string_list(ex["no_match"], r.name, "examples.no_match", r.examples_no_match);
            }
        }
        return r;
    }

private:
    std::string source_;
    std::vector<std::string> &problems_;
};

}  // namespace

RulePackError::RulePackError(std::vector<std::string> problems)
    : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

std::vector<Rule> parse_rule_pack(const std::string &yaml_text, const std::string &source_name) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception &e) {
        throw RulePackError({source_name + ":" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg});
    }
    std::vector<std::string> problems;
    YAML::Node list = root;
    if (root.IsMap()) {
        for (const auto &kv : root) {
            const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
            if (key != "rules")
                problems.push_back(at(source_name, kv.first) + ": unknown key '" + key + "' (a pack has 'rules')");
        }
        list = root["rules"];
    }
    if (!list || !list.IsSequence()) {
        problems.push_back(source_name + ": a rule pack is a list of rules, or a mapping with a 'rules' list");
        throw RulePackError(problems);
    }
    Reader reader(source_name, problems);
    std::vector<Rule> rules;
    std::set<std::string> names;
    for (const auto &node : list) {
        Rule r = reader.rule(node);
        if (!r.name.empty() && !names.insert(r.name).second)
            reader.problem(node, r.name, "duplicate rule name");
        rules.push_back(std::move(r));
    }
    if (!problems.empty()) throw RulePackError(problems);
    return rules;
}

std::string write_rule_pack(const std::vector<Rule> &rules) {
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
    for (const Rule &r : rules) {
        out << YAML::BeginMap;
        out << YAML::Key << "name" << YAML::Value << r.name;
        out << YAML::Key << "regex" << YAML::Value << YAML::SingleQuoted << r.regex;
        if (r.detector != "regex") out << YAML::Key << "detector" << YAML::Value << r.detector;
        if (!r.validators.empty())
            out << YAML::Key << "validators" << YAML::Value << YAML::Flow << r.validators;
        out << YAML::Key << "severity" << YAML::Value << r.severity;
        if (!r.description.empty()) out << YAML::Key << "description" << YAML::Value << r.description;
        out << YAML::Key << "enabled" << YAML::Value << r.enabled;
        if (!r.examples_match.empty() || !r.examples_no_match.empty()) {
            out << YAML::Key << "examples" << YAML::Value << YAML::BeginMap;
            if (!r.examples_match.empty()) out << YAML::Key << "match" << YAML::Value << r.examples_match;
            if (!r.examples_no_match.empty()) out << YAML::Key << "no_match" << YAML::Value << r.examples_no_match;
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
    return std::string("# dlpd rule pack, written by 'dlpd patterns export'\n") + out.c_str() + "\n";
}

std::vector<Rule> load_rule_pack(const std::filesystem::path &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw RulePackError({file.string() + ": cannot read the rule pack"});
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_rule_pack(ss.str(), file.string());
}

}  // namespace dlpd
