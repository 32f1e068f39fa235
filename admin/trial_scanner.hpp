// Tries one rule, as typed in the pattern form, on sample text and on the
// rule's examples, without touching the rules in force: a separate engine
// instance of the same plugins holds just that rule. Its detector and
// validators run exactly as in a real scan.
//
// Thread-safe: one trial at a time (they are short, and people type slowly).
#ifndef DLPD_ADMIN_TRIAL_SCANNER_HPP
#define DLPD_ADMIN_TRIAL_SCANNER_HPP

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scan_engine.hpp"

namespace dlpd {

class TrialScanner {
public:
    TrialScanner(const PluginRegistry &registry, std::map<std::string, PluginSettings> settings);
    ~TrialScanner();

    struct Trial {
        std::vector<RuleProblem> problems;  // the rule could not be installed
        std::vector<Finding> findings;      // the rule's confirmed findings in the text
    };
    Trial run(const Rule &rule, std::string_view text);

    // Each example that does not behave (a match example with no finding, a
    // no_match example with one), or why the rule could not be installed.
    std::vector<RuleProblem> check_examples(const Rule &rule);

private:
    std::vector<RuleProblem> install(const Rule &rule);
    const PluginRegistry &registry_;
    std::map<std::string, PluginSettings> settings_;
    std::mutex mutex_;
    std::unique_ptr<ScanEngine> engine_;  // created at the first trial
};

}  // namespace dlpd

#endif
