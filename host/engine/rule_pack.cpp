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

    void boolean(const YAML::Node &node, const std::string &rule, const std::string &key, bool &out) {
        std::string v;
        if (!scalar(node, rule, key, v)) return;
        if (v == "true") out = true;
        else if (v == "false") out = false;
        else problem(node, rule, "'" + key + "' must be true or false");
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
        static const std::set<std::string> known = {
            "name",    "regex",          "detector",         "validators", "severity", "confidence",
            "context", "context_window", "context_required", "confidence_without_context", "allow",
            "description", "enabled", "examples"};
        for (const auto &kv : node) {
            const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
            if (known.count(key) == 0) {
                problem(kv.first, r.name,
                        "unknown key '" + key + "' (known: name, regex, detector, validators, severity, confidence, "
                                                "context, context_window, context_required, confidence_without_context, allow, description, "
                                                "enabled, examples)");
            }
        }
        if (node["regex"]) scalar(node["regex"], r.name, "regex", r.regex);
        if (r.regex.empty()) problem(node, r.name, "rule has no 'regex'");
        if (node["detector"]) scalar(node["detector"], r.name, "detector", r.detector);
        if (node["validators"]) string_list(node["validators"], r.name, "validators", r.validators);
        if (node["severity"]) scalar(node["severity"], r.name, "severity", r.severity);
        if (node["confidence"]) scalar(node["confidence"], r.name, "confidence", r.confidence);
        if (node["context"]) string_list(node["context"], r.name, "context", r.context);
        if (node["context_window"]) {
            std::string v;
            if (scalar(node["context_window"], r.name, "context_window", v)) {
                if (v.empty() || v.size() > 5 || v.find_first_not_of("0123456789") != std::string::npos)
                    problem(node["context_window"], r.name, "'context_window' must be a number of bytes");
                else r.context_window = static_cast<uint32_t>(std::stoul(v));
            }
        }
        if (node["context_required"]) boolean(node["context_required"], r.name, "context_required", r.context_required);
        if (node["confidence_without_context"])
            scalar(node["confidence_without_context"], r.name, "confidence_without_context",
                   r.confidence_without_context);
        if (node["allow"]) string_list(node["allow"], r.name, "allow", r.allow);
        if (node["description"]) scalar(node["description"], r.name, "description", r.description);
        if (node["enabled"]) boolean(node["enabled"], r.name, "enabled", r.enabled);
        // Each problem at the line of the key it is about ("severity '...'").
        for (const std::string &p : rule_shape_problems(r)) {
            const std::string key = p.substr(0, p.find_first_of(" ["));
            const YAML::Node at_key = node.IsMap() && !key.empty() ? node[key] : YAML::Node();
            problem(at_key ? at_key : node, r.name, p);
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

std::vector<std::string> rule_shape_problems(const Rule &r) {
    std::vector<std::string> out;
    const std::string who;
    if (std::find(std::begin(kSeverities), std::end(kSeverities), r.severity) == std::end(kSeverities))
        out.push_back(who + "severity '" + r.severity + "' is not one of low, medium, high, critical");
    if (std::find(std::begin(kConfidences), std::end(kConfidences), r.confidence) == std::end(kConfidences))
        out.push_back(who + "confidence '" + r.confidence + "' is not one of low, medium, high");
    if (r.context.size() > kMaxContextWords)
        out.push_back(who + "context has " + std::to_string(r.context.size()) + " words; at most " +
                      std::to_string(kMaxContextWords));
    for (const auto &w : r.context)
        if (w.empty() || w.size() > kMaxContextWordBytes)
            out.push_back(who + "context words are 1 to " + std::to_string(kMaxContextWordBytes) + " bytes");
    if (r.context_window == 0 || r.context_window > kMaxContextWindow)
        out.push_back(who + "context_window must be 1 to " + std::to_string(kMaxContextWindow) + " bytes");
    if (r.context_required && r.context.empty())
        out.push_back(who + "context_required needs context words");
    if (!r.confidence_without_context.empty()) {
        if (std::find(std::begin(kConfidences), std::end(kConfidences), r.confidence_without_context) ==
            std::end(kConfidences))
            out.push_back(who + "confidence_without_context '" + r.confidence_without_context +
                          "' is not one of low, medium, high");
        if (r.context.empty()) out.push_back(who + "confidence_without_context needs context words");
        if (r.context_required)
            out.push_back(who + "confidence_without_context has no effect with context_required (a match "
                                "without a context word is dropped)");
    }
    if (r.allow.size() > kMaxAllowPatterns)
        out.push_back(who + "allow has " + std::to_string(r.allow.size()) + " patterns; at most " +
                      std::to_string(kMaxAllowPatterns));
    for (const auto &a : r.allow)
        if (a.empty() || a.size() > kMaxAllowPatternBytes)
            out.push_back(who + "allow patterns are 1 to " + std::to_string(kMaxAllowPatternBytes) + " bytes");
    for (const auto &v : r.validators)
        if (v.empty() || v.front() == ':') out.push_back(who + "a validator has no name");
    return out;
}

namespace {

constexpr int kMaxIncludeDepth = 8;

void read_pack(const std::string &yaml_text, const std::string &source_name, const std::filesystem::path &base_dir,
               int depth, std::vector<std::string> &stack, RulePack &pack, std::vector<std::string> &problems) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception &e) {
        problems.push_back(source_name + ":" + std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
        return;
    }
    YAML::Node list = root;
    std::vector<std::pair<YAML::Node, bool>> switches;  // enable (true) / disable (false) lists
    if (root.IsMap()) {
        static const std::set<std::string> known = {"include", "rules", "enable", "disable", "allowlist"};
        for (const auto &kv : root) {
            const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
            if (known.count(key) == 0)
                problems.push_back(at(source_name, kv.first) + ": unknown key '" + key +
                                   "' (a pack has include, rules, enable, disable, allowlist)");
        }
        Reader reader(source_name, problems);
        if (const YAML::Node inc = root["include"]) {
            std::vector<std::string> files;
            reader.string_list(inc, "", "include", files);
            for (const auto &f : files) {
                if (base_dir.empty()) {
                    problems.push_back(at(source_name, inc) + ": include '" + f +
                                       "' cannot be resolved here (the pack has no folder)");
                    continue;
                }
                const std::filesystem::path file = (base_dir / f).lexically_normal();
                if (depth >= kMaxIncludeDepth ||
                    std::find(stack.begin(), stack.end(), file.string()) != stack.end()) {
                    problems.push_back(at(source_name, inc) + ": include '" + f +
                                       "' makes a cycle or nests deeper than " + std::to_string(kMaxIncludeDepth));
                    continue;
                }
                std::ifstream in(file, std::ios::binary);
                if (!in) {
                    problems.push_back(at(source_name, inc) + ": cannot read the included pack " + file.string());
                    continue;
                }
                std::stringstream ss;
                ss << in.rdbuf();
                stack.push_back(file.string());
                read_pack(ss.str(), file.string(), file.parent_path(), depth + 1, stack, pack, problems);
                stack.pop_back();
            }
        }
        if (const YAML::Node a = root["allowlist"]) reader.string_list(a, "", "allowlist", pack.allowlist);
        if (root["enable"]) switches.emplace_back(root["enable"], true);
        if (root["disable"]) switches.emplace_back(root["disable"], false);
        list = root["rules"];
        if (!list) list = YAML::Node(YAML::NodeType::Sequence);
    }
    if (!list.IsSequence()) {
        problems.push_back(source_name + ": a rule pack is a list of rules, or a mapping with a 'rules' list");
        return;
    }
    Reader reader(source_name, problems);
    for (const auto &node : list) {
        Rule r = reader.rule(node);
        for (const Rule &other : pack.rules)
            if (!r.name.empty() && other.name == r.name)
                reader.problem(node, r.name, "duplicate rule name (also at " + other.origin + ")");
        pack.rules.push_back(std::move(r));
    }
    for (const auto &[node, on] : switches) {
        std::vector<std::string> names;
        reader.string_list(node, "", on ? "enable" : "disable", names);
        for (const auto &name : names) {
            auto it = std::find_if(pack.rules.begin(), pack.rules.end(), [&](const Rule &r) { return r.name == name; });
            if (it == pack.rules.end())
                problems.push_back(at(source_name, node) + ": " + (on ? "enable" : "disable") + " names rule '" + name +
                                   "', which no pack here defines");
            else it->enabled = on;
        }
    }
}

}  // namespace

RulePack parse_pack(const std::string &yaml_text, const std::string &source_name,
                    const std::filesystem::path &base_dir) {
    RulePack pack;
    std::vector<std::string> problems;
    std::vector<std::string> stack{source_name};
    read_pack(yaml_text, source_name, base_dir, 0, stack, pack, problems);
    if (!problems.empty()) throw RulePackError(problems);
    return pack;
}

std::vector<Rule> parse_rule_pack(const std::string &yaml_text, const std::string &source_name) {
    return parse_pack(yaml_text, source_name).rules;
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
        if (r.confidence != "medium") out << YAML::Key << "confidence" << YAML::Value << r.confidence;
        if (!r.context.empty()) out << YAML::Key << "context" << YAML::Value << YAML::Flow << r.context;
        if (r.context_window != 64) out << YAML::Key << "context_window" << YAML::Value << r.context_window;
        if (r.context_required) out << YAML::Key << "context_required" << YAML::Value << true;
        if (!r.confidence_without_context.empty())
            out << YAML::Key << "confidence_without_context" << YAML::Value << r.confidence_without_context;
        if (!r.allow.empty()) {
            out << YAML::Key << "allow" << YAML::Value << YAML::BeginSeq;
            for (const auto &a : r.allow) out << YAML::SingleQuoted << a;
            out << YAML::EndSeq;
        }
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

RulePack load_pack(const std::filesystem::path &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw RulePackError({file.string() + ": cannot read the rule pack"});
    std::stringstream ss;
    ss << in.rdbuf();
    const std::filesystem::path normal = file.lexically_normal();
    return parse_pack(ss.str(), normal.string(), normal.has_parent_path() ? normal.parent_path() : ".");
}

std::vector<Rule> load_rule_pack(const std::filesystem::path &file) { return load_pack(file).rules; }

}  // namespace dlpd
