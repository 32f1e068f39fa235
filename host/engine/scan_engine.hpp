// The scan pipeline: an item (a file, a message, an attachment) goes through
// the extractor plugins (text and nested blobs, recursively, within limits),
// its text through the detector plugins, and each candidate through the
// validators its rule names. Output is plain data: findings and diagnostics.
//
// Thread-safe: scan() may run on many threads at once, and set_rules() may
// replace the rules while scans run (they finish on the rules they began with).
#ifndef DLPD_HOST_ENGINE_SCAN_ENGINE_HPP
#define DLPD_HOST_ENGINE_SCAN_ENGINE_HPP

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "log.hpp"
#include "engine/plugin_instance.hpp"
#include "engine/fingerprint.hpp"
#include "engine/rule_pack.hpp"

namespace dlpd {

struct EngineLimits {
    // Items larger than this are not read; a diagnostic names them.
    uint64_t max_item_bytes = uint64_t{256} << 20;
    // How deep containers may nest (outer.zip!inner.zip!file is depth 2).
    uint32_t max_depth = 8;
    // Findings kept per item before the rest is cut off with a diagnostic.
    uint64_t max_findings_per_item = 10000;
    // Bytes of text and nested blobs the extractors may produce for one item,
    // at every nesting level together; past it, extraction is cancelled.
    uint64_t max_extracted_bytes = uint64_t{512} << 20;
    // Wall time for one item, nested blobs included: extractors get it as
    // their deadline, and no further blob is opened past it. 0: no limit.
    uint32_t max_item_seconds = 120;
};

struct Finding {
    std::string path;       // item name, with !member for nested blobs
    std::string rule;
    std::string detector;   // plugin name
    std::string severity;
    std::string confidence = "medium";  // low|medium|high: the rule's, raised by checksums and context, capped by confidence_without_context
    uint64_t start = 0;     // sensitive part, byte offsets in the extracted text
    uint64_t end = 0;
    uint64_t line = 0;      // 1-based line of start
    uint64_t column = 0;    // 1-based byte column of start
    std::string match;      // the sensitive text itself: mask before showing
    std::vector<std::string> validators;  // validators that confirmed it
};

struct Diagnostic {
    std::string path;
    std::string source;     // plugin name, or "dlpd"
    LogLevel level = LogLevel::warning;
    int32_t status = 0;
    std::string subject;
    std::string message;
};

struct ScanResult {
    std::vector<Finding> findings;
    std::vector<Diagnostic> diagnostics;
    uint64_t allowlisted = 0;  // confirmed findings dropped because their value is on the allowlist
};

// A part of an item that was not scanned, and why: what the policy acts on
// (policy.unscannable) and dlpd scan --fail-on-unscanned reports.
struct UnscannedPart {
    std::string path;     // the item, or item!member
    std::string subject;  // what in it, when the plugin said (a member, a page)
    std::string reason;   // encrypted | corrupt | limit | unsupported | failed
    std::string message;  // the diagnostic's message (never content)
};

// The reason a diagnostic stands for a part left unscanned, or "" when it
// does not: DLPD_ERR_ENCRYPTED, DLPD_ERR_CORRUPT_INPUT and DLPD_ERR_LIMIT
// always do; DLPD_ERR_UNSUPPORTED only at warning or above (a document no
// reader opens, not an image that is merely not read); other failures at
// error level (an extractor that crashed) are "failed".
std::string unscanned_reason(const Diagnostic &d);
// One entry per such diagnostic, in order.
std::vector<UnscannedPart> unscanned_parts(const ScanResult &result);

// A problem with a rule, as reported by the engine or a plugin.
struct RuleProblem {
    std::string rule;       // empty for a set-wide problem
    std::string message;
    int64_t position = -1;  // byte offset in the pattern, when known
};

class ScanEngine {
public:
    // Creates one instance of every loaded plugin with its settings (by
    // plugin name). A plugin that cannot be instantiated is left out and
    // reported in startup_problems().
    ScanEngine(const PluginRegistry &registry, std::map<std::string, PluginSettings> settings = {},
               EngineLimits limits = {});
    ~ScanEngine();
    ScanEngine(const ScanEngine &) = delete;
    ScanEngine &operator=(const ScanEngine &) = delete;

    const std::vector<std::string> &startup_problems() const { return startup_problems_; }

    // Checks one rule without installing it: its detector and validators
    // exist and its pattern compiles (asked of the detector plugin).
    std::vector<RuleProblem> check_rule(const Rule &rule) const;

    // Replaces the rule set (enabled rules only) atomically. Returns every
    // problem; when there is any, nothing changed.
    std::vector<RuleProblem> set_rules(const std::vector<Rule> &rules);

    // Replaces every plugin instance by one created with `settings` (by
    // plugin name), and the limits, and installs the rules in force on the
    // new instances: a reloaded configuration (SIGHUP). Scans that began
    // before finish on the old instances, which go when the last of them
    // ends. Returns every problem; when there is any, nothing changed.
    std::vector<RuleProblem> reconfigure(std::map<std::string, PluginSettings> settings, EngineLimits limits);

    // Runs every installed rule's examples: each `match` example must give a
    // finding of that rule (after validators), each `no_match` none.
    std::vector<RuleProblem> check_examples(const std::vector<Rule> &rules) const;

    // Scans one item (raw bytes; extractors decide what it is): a file, an
    // attachment, standard input.
    ScanResult scan(std::string_view data, std::string_view name) const;

    // Scans text that is known to be text, such as a chat message: the
    // detectors only, no extractors and no binary check.
    ScanResult scan_text(std::string_view text, std::string_view name) const;
    // The same without the value allowlist and without dropping guesses
    // that a surer finding overlaps: to mask every match of a text before
    // showing it.
    ScanResult scan_text_ignoring_allowlist(std::string_view text, std::string_view name) const {
        return scan_text_with(text, name, false);
    }

    // Values never reported again (by fingerprint); applies to scans that
    // start afterwards. NULL: none.
    void set_value_allowlist(std::shared_ptr<const ValueAllowlist> allowlist);

    struct Snapshot;

private:
    ScanResult scan_text_with(std::string_view text, std::string_view name, bool use_allowlist) const;
    class Pipeline;
    using Instances = std::vector<std::unique_ptr<PluginInstance>>;
    // A snapshot of new instances of every loaded plugin (no rules yet); each
    // one that cannot be created is a message in `errors`.
    std::shared_ptr<Snapshot> instantiate(const std::map<std::string, PluginSettings> &settings,
                                          std::vector<std::string> &errors) const;
    // Each detector's rules (name, pattern).
    using RulesByDetector = std::map<const PluginInstance *, std::vector<std::pair<std::string, std::string>>>;
    // Fills next.rules from the enabled rules, resolved against next's
    // detectors and validators, and says which detector takes which rule.
    static RulesByDetector resolve_rules(Snapshot &next, const std::vector<Rule> &rules,
                                         std::vector<RuleProblem> &problems);
    // Gives a detector the rules (name, pattern); problems go to report when set.
    static bool push_rules(const PluginInstance *detector,
                           const std::vector<std::pair<std::string, std::string>> &rules,
                           std::vector<RuleProblem> *report);

    const PluginRegistry &registry_;
    std::vector<std::string> startup_problems_;
    std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
    std::atomic<std::shared_ptr<const ValueAllowlist>> allowlist_;
    // Serialises set_rules() and remembers what each detector holds, so a
    // failed replacement can be rolled back.
    std::mutex set_rules_mutex_;
    RulesByDetector installed_;
    std::vector<Rule> rules_;  // the rule set in force, for reconfigure()
};

}  // namespace dlpd

#endif
