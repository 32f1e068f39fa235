#include "engine/rule_meta.hpp"

#include <re2/re2.h>

#include <algorithm>

#include "engine/scan_engine.hpp"

namespace dlpd {

namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool ascii_word_char(char c) { return word_char(c) && static_cast<unsigned char>(c) < 0x80; }

int confidence_index(const std::string &name, int otherwise = 1) {
    for (int i = 0; i < 3; ++i)
        if (name == kConfidences[i]) return i;
    return otherwise;
}

}  // namespace

bool context_near(std::string_view text, uint64_t start, uint64_t end, const RuleMeta &meta) {
    const uint64_t from = start > meta.context_window ? start - meta.context_window : 0;
    const uint64_t to = std::min<uint64_t>(text.size(), end + meta.context_window);
    std::string window(text.substr(from, to - from));
    for (char &c : window) c = ascii_lower(c);
    for (const std::string &word : meta.context) {
        for (size_t pos = window.find(word); pos != std::string::npos; pos = window.find(word, pos + 1)) {
            // A boundary is needed only at an end of the word that is an ASCII
            // letter or digit: a word of a script written without spaces
            // (Thai) or with particles attached (Korean 여권번호는, Japanese)
            // stands inside a longer run of letters.
            const bool left = pos == 0 || !word_char(window[pos - 1]) || !ascii_word_char(word.front());
            const size_t after = pos + word.size();
            const bool right = after >= window.size() || !word_char(window[after]) || !ascii_word_char(word.back());
            if (left && right) return true;
        }
    }
    return false;
}


// Resolves what a rule needs beyond its pattern: validators (with their
// arguments checked by the plugin), context words, allow patterns. Problems
// name the rule.
RuleMeta resolve_rule(const ValidatorsByName &validators, const Rule &rule, std::vector<RuleProblem> &problems) {
    RuleMeta meta;
    meta.severity = rule.severity;
    meta.base_confidence = confidence_index(rule.confidence);
    for (const std::string &p : rule_shape_problems(rule)) problems.push_back({rule.name, p, -1});
    for (const auto &spec : rule.validators) {
        const size_t colon = spec.find(':');
        ValidatorUse use;
        use.name = spec.substr(0, colon);
        use.args = colon == std::string::npos ? std::string() : spec.substr(colon + 1);
        auto it = validators.find(use.name);
        if (it == validators.end()) {
            problems.push_back({rule.name, "validator '" + use.name + "' is not loaded (no plugin provides it)", -1});
            continue;
        }
        use.instance = it->second.first;
        use.role = it->second.second;
        if (use.role->takes_args) {
            const LoadedPlugin &p = use.instance->plugin();
            DiagnosticCollector diags;
            int32_t status = call_plugin(p, "check_args", [&] {
                return use.role->table->check_args(use.instance->raw(), to_dlpd_str(use.args), diags.table());
            });
            for (const auto &m : diags.messages)
                problems.push_back({rule.name, "validator '" + spec + "': " + m.message, -1});
            if (status != DLPD_OK && diags.messages.empty())
                problems.push_back({rule.name, "validator '" + spec + "' refused its argument", -1});
        } else if (!use.args.empty()) {
            problems.push_back({rule.name, "validator '" + use.name + "' takes no argument", -1});
        }
        meta.validator_names.push_back(use.name);
        meta.validators.push_back(std::move(use));
    }
    for (const auto &w : rule.context) {
        std::string lower = w;
        for (char &c : lower) c = ascii_lower(c);
        meta.context.push_back(std::move(lower));
    }
    meta.context_window = rule.context_window;
    meta.context_required = rule.context_required;
    meta.confidence_without_context = confidence_index(rule.confidence_without_context, 2);
    for (size_t i = 0; i < rule.allow.size(); ++i) {
        RE2::Options options;
        options.set_log_errors(false);
        options.set_max_mem(int64_t{1} << 20);
        auto re = std::make_shared<const RE2>(rule.allow[i], options);
        if (!re->ok())
            problems.push_back({rule.name, "allow[" + std::to_string(i) + "] does not compile: " + re->error(), -1});
        else meta.allow.push_back(std::move(re));
    }
    return meta;
}


}  // namespace dlpd
