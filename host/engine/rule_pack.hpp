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
    // Validator names, each optionally with an argument after a colon
    // ("entropy:3.5").
    std::vector<std::string> validators;
    std::string severity = "medium";
    // The base confidence of a finding (low|medium|high): one level up when
    // a checksum validator confirms it, one more when a context word is near.
    std::string confidence = "medium";
    // Context words (hotwords): case-insensitive whole words or phrases,
    // looked for within context_window bytes before and after the match (an
    // end of the word that is not an ASCII letter or digit needs no boundary,
    // for Thai, Korean, Japanese, Chinese).
    std::vector<std::string> context;
    uint32_t context_window = 64;
    // A match with none of the context words near it is dropped.
    bool context_required = false;
    // The highest confidence (low|medium|high) a match may have when none of
    // the context words is near it, whatever the base and the checksum give;
    // empty: no cap. `low` keeps a bare checksum-valid number on record
    // without the default policy acting on it, while the same number next to
    // a context word is acted on.
    std::string confidence_without_context;
    // RE2 patterns: a match whose sensitive part any of them finds is dropped.
    std::vector<std::string> allow;
    std::string description;
    bool enabled = true;
    std::vector<std::string> examples_match;
    std::vector<std::string> examples_no_match;
    // Where it was defined ("patterns.yaml:12"), for messages.
    std::string origin;
};

inline constexpr const char *kSeverities[] = {"low", "medium", "high", "critical"};
inline constexpr const char *kConfidences[] = {"low", "medium", "high"};

// What a rule may ask for, checked on load and on import.
inline constexpr size_t kMaxContextWords = 64;
inline constexpr size_t kMaxContextWordBytes = 64;
inline constexpr uint32_t kMaxContextWindow = 1024;
inline constexpr size_t kMaxAllowPatterns = 16;
inline constexpr size_t kMaxAllowPatternBytes = 1024;

// The shape problems of one rule (severity, confidence, context and allow
// limits), each a sentence without the rule's name; empty when it is sound. The loader and the admin use it.
std::vector<std::string> rule_shape_problems(const Rule &rule);

// A whole pack: its rules (those of included packs first, in order) and the
// allowlist values it ships (documented test values, kept only as
// fingerprints once stored).
struct RulePack {
    std::vector<Rule> rules;
    std::vector<std::string> allowlist;
};

// Every problem found, one line each: "FILE:LINE: rule 'NAME': what".
class RulePackError : public std::runtime_error {
public:
    explicit RulePackError(std::vector<std::string> problems);
    const std::vector<std::string> &problems() const { return problems_; }

private:
    std::vector<std::string> problems_;
};

// Reads a pack: either a YAML sequence of rules, or a mapping with any of
// `include:` (other packs, paths relative to this file), `rules:`,
// `enable:` / `disable:` (names of rules, included ones too, to turn on or
// off) and `allowlist:` (values never to act on). Throws RulePackError
// listing every problem.
RulePack load_pack(const std::filesystem::path &file);
std::vector<Rule> load_rule_pack(const std::filesystem::path &file);
// base_dir resolves `include:`; empty refuses a pack that includes others.
RulePack parse_pack(const std::string &yaml_text, const std::string &source_name,
                    const std::filesystem::path &base_dir = {});
std::vector<Rule> parse_rule_pack(const std::string &yaml_text, const std::string &source_name);

// Writes rules as a pack that parse_rule_pack reads back to the same rules.
std::string write_rule_pack(const std::vector<Rule> &rules);

}  // namespace dlpd

#endif
