// Rule packs: the YAML files (config/patterns.yaml) that describe detection
// rules. Loading checks the shape of every rule and reports every problem
// with the file, the line and the rule; compiling the patterns and checking
// the examples is the engine's job (it asks the detector plugins).
#ifndef DLPD_HOST_ENGINE_RULE_PACK_HPP
#define DLPD_HOST_ENGINE_RULE_PACK_HPP

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace dlpd {

struct Rule {
    std::string name;
    std::string regex;
    std::string detector = "regex";
    std::vector<std::string> validators;
    std::string severity = "medium";
    std::string description;
    bool enabled = true;
    std::vector<std::string> examples_match;
    std::vector<std::string> examples_no_match;
    // Where it was defined ("patterns.yaml:12"), for messages.
    std::string origin;
};

inline constexpr const char *kSeverities[] = {"low", "medium", "high", "critical"};

// Every problem found, one line each: "FILE:LINE: rule 'NAME': what".
class RulePackError : public std::runtime_error {
public:
    explicit RulePackError(std::vector<std::string> problems);
    const std::vector<std::string> &problems() const { return problems_; }

private:
    std::vector<std::string> problems_;
};

// Reads a pack: either a YAML sequence of rules, or a mapping with a
// `rules:` sequence. Throws RulePackError listing every problem.
std::vector<Rule> load_rule_pack(const std::filesystem::path &file);
std::vector<Rule> parse_rule_pack(const std::string &yaml_text, const std::string &source_name);

// Writes rules as a pack that parse_rule_pack reads back to the same rules.
std::string write_rule_pack(const std::vector<Rule> &rules);

}  // namespace dlpd

#endif
