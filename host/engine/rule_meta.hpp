// What a rule needs at scan time beyond its pattern, resolved once per rule
// set: its validators (plugin, table, argument), context words, allow
// patterns and base confidence; and the context search itself.
#ifndef DLPD_HOST_ENGINE_RULE_META_HPP
#define DLPD_HOST_ENGINE_RULE_META_HPP

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/plugin_instance.hpp"
#include "engine/rule_pack.hpp"

namespace re2 {
class RE2;
}

namespace dlpd {

struct RuleProblem;

// One validator as a rule uses it: which plugin, which table, what argument.
struct ValidatorUse {
    std::string name;
    std::string args;
    const PluginInstance *instance = nullptr;
    const LoadedPlugin::ValidatorRole *role = nullptr;
};

// What a rule needs at scan time, resolved once per rule set.
struct RuleMeta {
    std::string severity;
    int base_confidence = 1;  // index into kConfidences
    std::vector<std::string> validator_names;
    std::vector<ValidatorUse> validators;
    std::vector<std::string> context;  // lower-case
    uint32_t context_window = 64;
    bool context_required = false;
    // The highest confidence index without a context word near (2: no cap).
    int confidence_without_context = 2;
    std::vector<std::shared_ptr<const re2::RE2>> allow;
};

using ValidatorsByName =
    std::map<std::string, std::pair<const PluginInstance *, const LoadedPlugin::ValidatorRole *>>;

// Resolves a rule against the loaded validators; each problem names the rule.
RuleMeta resolve_rule(const ValidatorsByName &validators, const Rule &rule, std::vector<RuleProblem> &problems);

// Whether one of the rule's context words stands, as a whole word, within
// its window around [start, end). Only the word's ASCII letter or digit ends
// need a boundary: 여권 is found in 여권번호는, card not in cardboard.
bool context_near(std::string_view text, uint64_t start, uint64_t end, const RuleMeta &meta);

}  // namespace dlpd

#endif
