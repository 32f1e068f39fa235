// A compiled, immutable set of regex rules and the way a text is scanned
// with it: one RE2::Set pass per chunk of text tells which rules fire, and
// only those rules are run, only over the chunk they fired in.
//
// The host never sees this file: it reaches the regex detector through the
// plugin ABI. Tests and the benchmark use it directly.
#ifndef DLPD_PLUGINS_REGEX_RULE_SET_HPP
#define DLPD_PLUGINS_REGEX_RULE_SET_HPP

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}  // namespace re2

namespace dlpd::regex {

struct RuleSource {
    std::string name;
    std::string pattern;
};

struct CompileOptions {
    // Memory budget of the combined RE2::Set: its compiled program and the
    // lazy DFA cache it grows while matching. Too small a budget either
    // fails the compile (reported) or makes the DFA thrash (slow).
    int64_t set_max_mem_bytes = int64_t{256} << 20;
    // Memory budget of each rule's own RE2 object, used to confirm matches.
    int64_t rule_max_mem_bytes = int64_t{8} << 20;
    // Let the Set scan a simplified copy of a rule (leading/trailing `.*`
    // and gitleaks' optional `[\w.-]{0,50}?` prefix dropped). It fires on
    // exactly the same texts and needs far less DFA state; confirmation
    // always uses the original pattern.
    bool simplify_set_patterns = true;
};

struct ScanOptions {
    // Texts are cut into chunks of about this many bytes at line ends; the
    // Set runs once per chunk and fired rules are confirmed inside the chunk
    // only, so a rule that fires once in a long text never rescans all of it.
    uint64_t chunk_bytes = 4096;
    // A line longer than chunk_bytes is cut inside the line, with chunks
    // overlapping by this many bytes, so a match up to this long that
    // straddles a cut is still found whole.
    uint64_t max_match_bytes = 4096;
};

// One rule's problem: a syntax error (with RE2's message and the byte
// position in the pattern when it can be found) or a size limit.
struct RuleProblem {
    std::string rule;     // empty for a problem of the whole set
    std::string message;
    int64_t position = -1;
};

struct Match {
    uint32_t rule_index;     // index into the RuleSource list compiled
    uint64_t start, end;     // the sensitive part: group 1, or the whole match
    uint64_t match_start, match_end;
};

// Receives matches during RuleSet::scan. Returning false stops the scan.
class MatchSink {
public:
    virtual ~MatchSink() = default;
    virtual bool on_match(const Match &match) = 0;
};

// Something faster than the RE2::Set at telling which rules may match a
// text (a Hyperscan database, say). It may answer with rules that do not
// match (they are confirmed with RE2 anyway) but never leave out one that
// does; when it cannot decide for a text it says so and the Set decides.
class Prefilter {
public:
    virtual ~Prefilter() = default;
    // Appends the index of every rule that may match somewhere in text.
    // Returns false, leaving fired unspecified, when it cannot decide.
    virtual bool fired(std::string_view text, std::vector<int> &fired) const = 0;
};

struct ScanStats {
    uint64_t chunks = 0;
    uint64_t chunks_fired = 0;
    // Chunks whose fired rules came from the prefilter rather than the Set.
    uint64_t prefiltered = 0;
    // Chunks where the Set's DFA ran out of memory and every rule had to be
    // run instead: a sign that set_max_mem_bytes is too small.
    uint64_t set_failures = 0;
};

// Checks one rule the way compile() would, without building anything.
std::optional<RuleProblem> check_rule(const RuleSource &rule, const CompileOptions &options);

// The pattern the Set scans for a rule (see simplify_set_patterns).
std::string set_pattern_for(std::string_view pattern);

class RuleSet {
public:
    // Compiles every rule, or reports every rule that does not compile (and,
    // when the combined Set exceeds its budget, one problem naming the
    // largest rules). Never returns a half-built set.
    static std::shared_ptr<const RuleSet> compile(const std::vector<RuleSource> &rules,
                                                  const CompileOptions &options,
                                                  std::vector<RuleProblem> &problems);
    ~RuleSet();
    RuleSet(const RuleSet &) = delete;
    RuleSet &operator=(const RuleSet &) = delete;

    size_t size() const noexcept { return names_.size(); }
    const std::string &name(uint32_t index) const { return names_.at(index); }

    // Scans text. Returns false when the sink asked to stop. Thread-safe:
    // any number of scans may run at once on one RuleSet.
    bool scan(std::string_view text, const ScanOptions &options, MatchSink &sink, ScanStats *stats = nullptr,
              const Prefilter *prefilter = nullptr) const;

private:
    RuleSet();
    bool confirm(uint32_t rule, std::string_view text, uint64_t begin, uint64_t end, uint64_t skip_before,
                 MatchSink &sink) const;

    std::vector<std::string> names_;
    std::vector<std::unique_ptr<re2::RE2>> rules_;
    std::vector<int> groups_;  // capture groups per rule
    struct SetHolder;  // re2::RE2::Set, which cannot be forward-declared
    std::unique_ptr<SetHolder> set_;
};

}  // namespace dlpd::regex

#endif
