#include "admin/trial_scanner.hpp"

#include <algorithm>

namespace dlpd {

TrialScanner::TrialScanner(const PluginRegistry &registry, std::map<std::string, PluginSettings> settings)
    : registry_(registry) {
    for (auto &[plugin, keys] : settings)
        if (registry.find_by_name(plugin) != nullptr) settings_[plugin] = std::move(keys);
    // One rule at a time: the regex plugin's background Hyperscan build
    // would only cost time.
    if (registry.find_by_name("regex") != nullptr) settings_["regex"]["prefilter"] = {"none"};
}

TrialScanner::~TrialScanner() = default;

std::vector<RuleProblem> TrialScanner::install(const Rule &rule) {
    if (!engine_) engine_ = std::make_unique<ScanEngine>(registry_, settings_);
    Rule enabled = rule;
    enabled.enabled = true;
    return engine_->set_rules({enabled});
}

TrialScanner::Trial TrialScanner::run(const Rule &rule, std::string_view text) {
    std::lock_guard lock(mutex_);
    Trial trial;
    trial.problems = install(rule);
    if (!trial.problems.empty()) return trial;
    for (auto &f : engine_->scan_text(text, "sample").findings)
        if (f.rule == rule.name) trial.findings.push_back(std::move(f));
    std::sort(trial.findings.begin(), trial.findings.end(),
              [](const Finding &a, const Finding &b) { return a.start < b.start; });
    return trial;
}

std::vector<RuleProblem> TrialScanner::check_examples(const Rule &rule) {
    std::lock_guard lock(mutex_);
    auto problems = install(rule);
    if (!problems.empty()) return problems;
    Rule enabled = rule;
    enabled.enabled = true;
    return engine_->check_examples({enabled});
}

}  // namespace dlpd
