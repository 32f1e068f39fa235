// keywords: a minimal dlpd detector, the example of the SDK guide
// (sdk/README.md). A rule's pattern is a comma-separated list of keywords,
// found as whole words, ignoring ASCII case unless case_sensitive is set:
//
//     - name: codenames
//       detector: keywords
//       regex: "bluebird, nightjar, project kestrel"
#include <dlpd/sdk.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct KeywordRule {
    std::string name;
    std::vector<std::string> keywords;
};
using RuleList = std::vector<KeywordRule>;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_word_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80;
}

class Keywords final : public dlpd::sdk::Detector {
public:
    static constexpr dlpd::sdk::PluginInfo info{"org.dlpd.examples.keywords", "keywords", "1.0.0",
                                                "Finds listed keywords as whole words", "dlpd SDK example"};
    static constexpr dlpd::sdk::ConfigKey config_schema[] = {
        {DLPD_CONFIG_BOOLEAN, "case_sensitive", "false", "Match keywords with their exact case"},
    };

    // Runs in create(). A throw here (Config::boolean throws
    // dlpd::sdk::Error on a bad value) fails create() with its status.
    Keywords(const dlpd::sdk::Host &host, const dlpd::sdk::Config &config)
        : host_(host),
          case_sensitive_(config.boolean("case_sensitive", false)),
          rules_(std::make_shared<const RuleList>()) {}

    // [any-thread]: validates one rule, changes nothing.
    int32_t check_rule(const dlpd::sdk::Rule &rule, const dlpd::sdk::Emitter &diagnostics) override {
        std::string problem;
        parse(rule.pattern, problem);
        if (problem.empty()) return DLPD_OK;
        diagnostics.diagnostic(DLPD_LOG_ERROR, DLPD_ERR_BAD_RULE, rule.name, problem);
        return DLPD_ERR_BAD_RULE;
    }

    // [any-thread]: builds a new immutable rule list, then swaps it in. On
    // any bad rule nothing changes.
    int32_t set_rules(const std::vector<dlpd::sdk::Rule> &rules, const dlpd::sdk::Emitter &diagnostics) override {
        auto next = std::make_shared<RuleList>();
        int32_t status = DLPD_OK;
        for (const dlpd::sdk::Rule &rule : rules) {
            std::string problem;
            std::vector<std::string> keywords = parse(rule.pattern, problem);
            if (!problem.empty()) {
                diagnostics.diagnostic(DLPD_LOG_ERROR, DLPD_ERR_BAD_RULE, rule.name, problem);
                status = DLPD_ERR_BAD_RULE;
            }
            next->push_back(KeywordRule{std::string(rule.name), std::move(keywords)});
        }
        if (status != DLPD_OK) return status;
        std::lock_guard<std::mutex> lock(mutex_);
        rules_ = std::move(next);
        return DLPD_OK;
    }

    // [any-thread]: scans with the rule list current when the scan began.
    int32_t scan(const dlpd::sdk::Request &request, const dlpd::sdk::Emitter &out) override {
        const std::shared_ptr<const RuleList> rules = current_rules();
        const std::string_view text = request.data;
        std::string folded;
        if (!case_sensitive_)
            for (char c : text) folded.push_back(lower(c));
        const std::string_view haystack = case_sensitive_ ? text : std::string_view(folded);

        for (const KeywordRule &rule : *rules) {
            if (request.deadline_ns != 0 && host_.monotonic_ns() > request.deadline_ns) return DLPD_ERR_LIMIT;
            for (const std::string &keyword : rule.keywords) {
                for (size_t at = haystack.find(keyword); at != std::string_view::npos;
                     at = haystack.find(keyword, at + 1)) {
                    const size_t end = at + keyword.size();
                    if ((at > 0 && is_word_char(text[at - 1])) || (end < text.size() && is_word_char(text[end])))
                        continue;  // inside a longer word
                    if (out.finding(rule.name, at, end) != DLPD_OK) return DLPD_ERR_CANCELLED;
                }
            }
        }
        return DLPD_OK;
    }

private:
    // "a, b ,c" -> {"a", "b", "c"}, lower-cased unless case_sensitive. Sets
    // problem (never quoting the keywords: they may be sensitive) when the
    // list has an empty entry.
    std::vector<std::string> parse(std::string_view pattern, std::string &problem) const {
        std::vector<std::string> keywords;
        size_t index = 0;
        while (true) {
            const size_t comma = pattern.find(',');
            std::string_view item = pattern.substr(0, comma);
            while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
            while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
            ++index;
            if (item.empty()) {
                problem = "keyword " + std::to_string(index) + " of the comma-separated list is empty";
                return {};
            }
            std::string keyword(item);
            if (!case_sensitive_)
                for (char &c : keyword) c = lower(c);
            keywords.push_back(std::move(keyword));
            if (comma == std::string_view::npos) return keywords;
            pattern.remove_prefix(comma + 1);
        }
    }

    std::shared_ptr<const RuleList> current_rules() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return rules_;
    }

    const dlpd::sdk::Host host_;
    const bool case_sensitive_;
    mutable std::mutex mutex_;                // guards rules_ (the pointer, not the list)
    std::shared_ptr<const RuleList> rules_;   // immutable once published
};

}  // namespace

DLPD_PLUGIN(Keywords)
