// A Hyperscan database as the regex plugin's prefilter: it tells which
// rules may match a chunk of text several times faster than RE2::Set, and
// RE2 still confirms every match, so results are RE2's to the byte.
//
// Hyperscan is not RE2: a rule goes into the database only when its
// Hyperscan reading can never miss a text RE2 would match (see
// hyperscan_copy_of()); every other rule stays in a small RE2::Set beside it.
// Texts that are not valid UTF-8 are left to the full RE2::Set.
#ifndef DLPD_PLUGINS_REGEX_HYPERSCAN_PREFILTER_HPP
#define DLPD_PLUGINS_REGEX_HYPERSCAN_PREFILTER_HPP

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rule_set.hpp"

namespace dlpd::regex {

// The pattern Hyperscan should compile for an RE2 pattern, or nothing when
// the rule must stay with RE2 (non-ASCII text, Unicode classes, constructs
// whose meaning differs between the two engines). why says which.
std::optional<std::string> hyperscan_copy_of(const std::string &re2_pattern, std::string &why);

struct PrefilterReport {
    size_t in_database = 0;
    size_t with_re2 = 0;          // rules kept in the side RE2::Set
    std::vector<std::string> reasons;  // "rule: why", for the rules kept with RE2 (first few)
    double compile_seconds = 0;
};

// Builds the prefilter for exactly the rules a RuleSet was compiled from
// (same order, same indexes). Returns nullptr when Hyperscan cannot be used
// at all (report.reasons says why). Slow for big rule sets (seconds): call it
// off the hot path.
std::shared_ptr<const Prefilter> build_hyperscan_prefilter(const std::vector<RuleSource> &rules,
                                                           const CompileOptions &options, PrefilterReport &report);

// True when this build has Hyperscan.
bool hyperscan_available();

}  // namespace dlpd::regex

#endif
