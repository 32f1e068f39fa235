#include "rule_set.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <string.h>

#include <algorithm>
#include <sstream>

namespace dlpd::regex {

namespace {

RE2::Options rule_options(int64_t max_mem) {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(max_mem);
    return o;
}

// Where RE2's error argument (the offending piece) sits in the pattern.
int64_t error_position(std::string_view pattern, const std::string &error_arg) {
    if (error_arg.empty()) return -1;
    size_t at = pattern.find(error_arg);
    return at == std::string_view::npos ? -1 : static_cast<int64_t>(at);
}

bool escaped_at(std::string_view s, size_t i) {
    size_t backslashes = 0;
    while (i > backslashes && s[i - 1 - backslashes] == '\\') ++backslashes;
    return backslashes % 2 == 1;
}

// True when pattern has a `|` outside every group and character class.
bool has_top_level_alternation(std::string_view p) {
    int depth = 0;
    bool in_class = false;
    for (size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        if (c == '\\') {
            ++i;
            continue;
        }
        if (in_class) {
            if (c == ']') in_class = false;
            continue;
        }
        if (c == '[') {
            in_class = true;
            if (i + 1 < p.size() && p[i + 1] == ']') ++i;  // a literal ] right after [
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
        } else if (c == '|' && depth == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string set_pattern_for(std::string_view pattern) {
    std::string_view flags;
    std::string_view body = pattern;
    // Keep a leading flag group such as (?i) or (?is).
    if (body.size() > 3 && body.substr(0, 2) == "(?") {
        size_t close = body.find(')');
        if (close != std::string_view::npos &&
            body.substr(2, close - 2).find_first_not_of("imsU-") == std::string_view::npos) {
            flags = body.substr(0, close + 1);
            body.remove_prefix(close + 1);
        }
    }
    constexpr std::string_view kGitleaksPrefix = R"([\w.-]{0,50}?)";
    bool changed = false;
    if (body.substr(0, kGitleaksPrefix.size()) == kGitleaksPrefix) {
        body.remove_prefix(kGitleaksPrefix.size());
        changed = true;
    } else if (body.size() > 2 && body.substr(0, 2) == ".*" && std::string_view("?*+{").find(body[2]) == std::string_view::npos) {
        body.remove_prefix(2);
        changed = true;
    }
    // A trailing greedy `.*` cannot change whether a rule matches.
    if (body.size() > 2 && body.substr(body.size() - 2) == ".*" && !escaped_at(body, body.size() - 2) &&
        body[body.size() - 3] != '|' && body[body.size() - 3] != '(') {
        body.remove_suffix(2);
        changed = true;
    }
    // Top-level alternation would bind differently once a prefix is gone, and
    // an empty body would match everything; keep the original then.
    if (!changed || body.empty() || has_top_level_alternation(body)) return std::string(pattern);
    return std::string(flags) + std::string(body);
}

std::optional<RuleProblem> check_rule(const RuleSource &rule, const CompileOptions &options) {
    if (rule.name.empty()) return RuleProblem{rule.name, "rule has no name", -1};
    if (rule.pattern.empty()) return RuleProblem{rule.name, "pattern is empty", -1};
    RE2 re(rule.pattern, rule_options(options.rule_max_mem_bytes));
    if (!re.ok()) {
        std::string message = re.error();
        if (re.error_code() == RE2::ErrorPatternTooLarge)
            message += " (raise plugins.settings.regex.rule_max_mem_mb, or simplify the rule)";
        return RuleProblem{rule.name, message, error_position(rule.pattern, re.error_arg())};
    }
    return std::nullopt;
}

struct RuleSet::SetHolder {
    SetHolder(const RE2::Options &options) : set(options, RE2::UNANCHORED) {}
    RE2::Set set;
};

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;

std::shared_ptr<const RuleSet> RuleSet::compile(const std::vector<RuleSource> &rules, const CompileOptions &options,
                                                std::vector<RuleProblem> &problems) {
    std::shared_ptr<RuleSet> out(new RuleSet());
    RE2::Options set_options = rule_options(options.set_max_mem_bytes);
    out->set_ = std::make_unique<SetHolder>(set_options);
    const size_t before = problems.size();
    for (const RuleSource &rule : rules) {
        if (auto problem = check_rule(rule, options)) {
            problems.push_back(*problem);
            continue;
        }
        auto re = std::make_unique<RE2>(rule.pattern, rule_options(options.rule_max_mem_bytes));
        std::string error;
        int index = -1;
        if (options.simplify_set_patterns) {
            std::string simplified = set_pattern_for(rule.pattern);
            if (simplified != rule.pattern) index = out->set_->set.Add(simplified, &error);
        }
        if (index < 0) index = out->set_->set.Add(rule.pattern, &error);
        if (index < 0) {
            problems.push_back(RuleProblem{rule.name, error, -1});
            continue;
        }
        out->names_.push_back(rule.name);
        out->groups_.push_back(re->NumberOfCapturingGroups());
        out->rules_.push_back(std::move(re));
    }
    if (problems.size() != before) return nullptr;
    if (!out->rules_.empty() && !out->set_->set.Compile()) {
        // Name the rules that cost the most, so an administrator knows what
        // to simplify or how much to raise the budget.
        std::vector<std::pair<int, size_t>> sizes;
        for (size_t i = 0; i < out->rules_.size(); ++i) sizes.emplace_back(out->rules_[i]->ProgramSize(), i);
        std::sort(sizes.rbegin(), sizes.rend());
        std::ostringstream message;
        message << "the " << out->rules_.size() << " rules together exceed the regex memory budget (max_mem_mb="
                << (options.set_max_mem_bytes >> 20) << "); largest rules:";
        for (size_t k = 0; k < sizes.size() && k < 5; ++k)
            message << (k ? ", " : " ") << out->names_[sizes[k].second] << " (program size " << sizes[k].first
                    << ")";
        message << ". Raise plugins.settings.regex.max_mem_mb or simplify these rules.";
        problems.push_back(RuleProblem{"", message.str(), -1});
        return nullptr;
    }
    return out;
}

bool RuleSet::confirm(uint32_t rule, std::string_view text, uint64_t begin, uint64_t end, uint64_t skip_before,
                      MatchSink &sink) const {
    const RE2 &re = *rules_[rule];
    const int want = groups_[rule] >= 1 ? 2 : 1;
    re2::StringPiece groups[2];
    const re2::StringPiece whole(text.data(), text.size());
    uint64_t pos = begin;
    while (pos <= end) {
        if (!re.Match(whole, pos, end, RE2::UNANCHORED, groups, want)) break;
        const uint64_t ms = static_cast<uint64_t>(groups[0].data() - text.data());
        const uint64_t me = ms + groups[0].size();
        uint64_t s = ms, e = me;
        if (want == 2 && groups[1].data() != nullptr) {
            s = static_cast<uint64_t>(groups[1].data() - text.data());
            e = s + groups[1].size();
        }
        // Empty matches carry nothing sensitive; matches wholly inside the
        // overlap with the previous chunk were already reported from it.
        if (e > s && me > skip_before) {
            if (!sink.on_match(Match{rule, s, e, ms, me})) return false;
        }
        pos = me > pos ? me : pos + 1;
    }
    return true;
}

bool RuleSet::scan(std::string_view text, const ScanOptions &options, MatchSink &sink, ScanStats *stats,
                   const Prefilter *prefilter) const {
    if (rules_.empty() || text.empty()) return true;
    const uint64_t n = text.size();
    const uint64_t chunk = std::max<uint64_t>(options.chunk_bytes, 64);
    const uint64_t overlap = std::min<uint64_t>(options.max_match_bytes, chunk / 2);
    std::vector<int> fired;
    uint64_t pos = 0;
    uint64_t skip_before = 0;  // end of the previous chunk when chunks overlap
    while (pos < n) {
        uint64_t end = std::min(n, pos + chunk);
        uint64_t next = end;
        uint64_t next_skip = 0;
        if (end < n) {
            // The last line end inside this chunk only: searching further
            // back (rfind over the whole text) would make one long line cost
            // the square of its length.
            const void *nl = ::memrchr(text.data() + pos, '\n', end - pos);
            if (nl != nullptr) {
                end = static_cast<uint64_t>(static_cast<const char *>(nl) - text.data()) + 1;
                next = end;
            } else {
                // A long line: cut at a UTF-8 character boundary and overlap.
                while (end > pos + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
                next = std::max(pos + 1, end - overlap);
                next_skip = end;
            }
        }
        fired.clear();
        RE2::Set::ErrorInfo info{};
        const re2::StringPiece piece(text.data() + pos, end - pos);
        if (stats != nullptr) ++stats->chunks;
        bool any = false;
        if (prefilter != nullptr && prefilter->fired(std::string_view(piece.data(), piece.size()), fired)) {
            any = !fired.empty();
            if (stats != nullptr) ++stats->prefiltered;
        } else {
            fired.clear();
            // Ask first whether anything fires at all: without a match list
            // RE2 allocates nothing and stops at the first match. Only the
            // rare chunk that fires pays for a second pass listing the rules.
            any = set_->set.Match(piece, nullptr, &info);
            if (any) any = set_->set.Match(piece, &fired, &info);
        }
        if (!any && info.kind != RE2::Set::kNoError) {
            // The Set could not decide (its DFA ran out of memory): run every
            // rule on this chunk rather than miss anything.
            if (stats != nullptr) ++stats->set_failures;
            fired.resize(rules_.size());
            for (size_t i = 0; i < fired.size(); ++i) fired[i] = static_cast<int>(i);
        }
        if (!fired.empty()) {
            if (stats != nullptr) ++stats->chunks_fired;
            std::sort(fired.begin(), fired.end());
            fired.erase(std::unique(fired.begin(), fired.end()), fired.end());
            for (int r : fired)
                if (!confirm(static_cast<uint32_t>(r), text, pos, end, skip_before, sink)) return false;
        }
        skip_before = next_skip;
        pos = next;
    }
    return true;
}

}  // namespace dlpd::regex
