// The Hyperscan prefilter may only make the regex plugin faster: with it,
// every text gives exactly the findings RE2 alone gives.
#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <thread>
#include <tuple>

#include "hyperscan_prefilter.hpp"
#include "engine/rule_pack.hpp"
#include "engine/scan_engine.hpp"
#include "test_support.hpp"

using namespace dlpd::regex;

namespace {

struct Collect : MatchSink {
    std::set<std::tuple<uint32_t, uint64_t, uint64_t>> found;
    bool on_match(const Match &m) override {
        found.insert({m.rule_index, m.start, m.end});
        return true;
    }
};

// The starter pack's rules (the first `starter_rules` of them) and the
// constructs where Hyperscan and RE2 differ.
std::vector<RuleSource> tricky_rules(size_t starter_rules = SIZE_MAX) {
    std::vector<RuleSource> rules;
    for (const auto &r : dlpd::load_rule_pack(dlpd::test::kSourceDir / "config" / "patterns.yaml")) {
        if (rules.size() >= starter_rules) break;
        rules.push_back({r.name, r.regex});
    }
    const std::vector<std::pair<std::string, std::string>> extra = {
        {"nonspace_run", R"(key:\S{6,})"},         // \S differs: Hyperscan's excludes \v
        {"space_run", R"(a\s+b)"},
        {"class_with_S", R"(z[\s\S]{3}z)"},        // \S inside a class: stays with RE2
        {"unicode_fold", "(?i)\xc3\xa9" "cole"},       // (?i)école: Unicode case folding
        {"unicode_class", R"(\pL{3}\d)"},
        {"ungreedy", R"((?U)qq+)"},
        {"word", R"(\bfoo\b)"},
        {"anchored", R"(^start)"},
        {"at_end", R"(finish$)"},
        {"can_be_empty", R"(x*y*)"},
        {"dot_all", R"((?s)m.n)"},
        {"negated", R"(p[^a]r)"},
        {"bounded", R"([a-f0-9]{32,40})"},
    };
    for (const auto &[n, p] : extra) rules.push_back({n, p});
    return rules;
}

std::vector<std::string> tricky_texts() {
    std::vector<std::string> texts;
    std::istringstream in(dlpd::test::slurp(dlpd::test::kSourceDir / "tests" / "data" / "starter_pack_check.txt"));
    std::string line, all;
    while (std::getline(in, line)) {
        texts.push_back(line);
        all += line + "\n";
    }
    texts.push_back(all);
    for (std::string t : {std::string("key:ab\vcdefgh"), std::string("key:abcdefgh"), std::string("a\vb a \t b"),
                          std::string("z\v\vxz z \n z"), std::string("\xc3\x89" "COLE et \xc3\xa9" "cole"),
                          std::string("\xce\xb1\xce\xb2\xce\xb3" "7 abc1"), std::string("qqqq"),
                          std::string("a foo b xfoo"), std::string("start here"), std::string("the finish"),
                          std::string("m\nn man"), std::string("p\xe2\x82\xacr par pbr"),
                          std::string("bad \xff utf8 key:abcdefgh 4111 1111 1111 1111"),
                          std::string("d41d8cd98f00b204e9800998ecf8427e"), std::string("")})
        texts.push_back(t);
    return texts;
}

}  // namespace

TEST_CASE("rules whose Hyperscan reading could differ stay with RE2", "[prefilter]") {
    std::string why;
    CHECK(hyperscan_copy_of(R"(a\sb)", why) == std::optional<std::string>("a[\\t\\n\\f\\r ]b"));
    CHECK(hyperscan_copy_of(R"(a\S+)", why) == std::optional<std::string>("a[^\\t\\n\\f\\r ]+"));
    CHECK(hyperscan_copy_of(R"([\s,]x)", why) == std::optional<std::string>("[\\t\\n\\f\\r ,]x"));
    CHECK_FALSE(hyperscan_copy_of(R"([\S]x)", why));
    CHECK_FALSE(hyperscan_copy_of("(?i)\xc3\xa9", why));
    CHECK(why == "non-ASCII characters in the pattern");
    CHECK_FALSE(hyperscan_copy_of(R"(\p{Greek})", why));
    CHECK_FALSE(hyperscan_copy_of(R"((?U)a+)", why));
    CHECK(hyperscan_copy_of(R"([]\s])", why) == std::optional<std::string>("[]\\t\\n\\f\\r ]"));
}

TEST_CASE("with the Hyperscan prefilter, findings are exactly RE2's", "[prefilter]") {
    if (!hyperscan_available()) {
        WARN("this build has no Hyperscan: prefilter not tested");
        return;
    }
    const auto rules = tricky_rules();
    std::vector<RuleProblem> problems;
    auto set = RuleSet::compile(rules, {}, problems);
    REQUIRE(problems.empty());
    PrefilterReport report;
    auto prefilter = build_hyperscan_prefilter(rules, {}, report);
    REQUIRE(prefilter);
    CHECK(report.in_database > rules.size() / 2);
    CHECK(report.with_re2 >= 4);  // class_with_S, unicode_fold, unicode_class, ungreedy
    CHECK(report.in_database + report.with_re2 == rules.size());

    uint64_t prefiltered = 0, fell_back = 0;
    for (const auto &text : tricky_texts()) {
        Collect plain, fast;
        ScanStats stats;
        set->scan(text, {}, plain);
        set->scan(text, {}, fast, &stats, prefilter.get());
        INFO("text: " << text);
        CHECK(fast.found == plain.found);
        prefiltered += stats.prefiltered;
        fell_back += stats.chunks - stats.prefiltered;
    }
    CHECK(prefiltered > 20);   // Hyperscan decided for the valid UTF-8 texts...
    CHECK(fell_back >= 1);     // ...and the invalid one went to the RE2::Set
}

TEST_CASE("the plugin builds the prefilter in the background and results do not change", "[prefilter]") {
    if (!hyperscan_available()) {
        WARN("this build has no Hyperscan: prefilter not tested");
        return;
    }
    // The background build and its hand-over are under test here; that the
    // whole pack's Hyperscan findings are RE2's is the test above. 60 of the
    // starter rules keep the two builds (one per mode) to seconds even under
    // the sanitizers, where the whole pack's database takes about a minute.
    std::vector<dlpd::Rule> rules;
    for (const auto &r : tricky_rules(60)) {
        dlpd::Rule rule;
        rule.name = r.name;
        rule.regex = r.pattern;
        rules.push_back(rule);
    }
    auto findings_of = [&](dlpd::ScanEngine &engine) {
        std::multiset<std::tuple<std::string, uint64_t, uint64_t>> out;
        for (const auto &t : tricky_texts())
            for (const auto &f : engine.scan_text(t, "t").findings) out.insert({f.rule, f.start, f.end});
        return out;
    };
    dlpd::PluginRegistry registry;
    registry.load_directory(dlpd::test::kPluginDir);
    dlpd::ScanEngine without(registry, {{"regex", {{"prefilter", {"none"}}}}});
    REQUIRE(without.set_rules(rules).empty());

    std::mutex log_mutex;
    std::string log_text;
    auto previous = dlpd::set_log_sink([&](dlpd::LogLevel, std::string_view c, std::string_view m) {
        std::lock_guard lock(log_mutex);
        log_text += std::string(c) + ": " + std::string(m) + "\n";
    });
    const std::string mode = GENERATE(std::string("hyperscan"), std::string("auto"));
    dlpd::ScanEngine with(registry, {{"regex", {{"prefilter", {mode}}}}});
    REQUIRE(with.set_rules(rules).empty());
    // Rules are in force at once (RE2), before the prefilter exists.
    CHECK(findings_of(with) == findings_of(without));
    // Wait for the worker to publish the prefilter (a readiness wait, not a
    // timing assertion: the bound only keeps a broken build from hanging).
    bool ready = false;
    for (int i = 0; i < 600 && !ready; ++i) {
        {
            std::lock_guard lock(log_mutex);
            // Forced, it is always used; in auto mode it is used only when it
            // measured faster, and either way the worker says which.
            ready = log_text.find("Hyperscan prefilter ready") != std::string::npos ||
                    (mode == "auto" && log_text.find("prefilter built but not used") != std::string::npos);
        }
        if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    dlpd::set_log_sink(previous);
    INFO(mode << "\n" << log_text);
    REQUIRE(ready);
    CHECK_THAT(log_text, Catch::Contains("measured on generated chat"));
    CHECK(findings_of(with) == findings_of(without));
}

TEST_CASE("an unknown prefilter setting is refused", "[prefilter]") {
    dlpd::PluginRegistry registry;
    registry.load_directory(dlpd::test::kPluginDir);
    dlpd::test::LogCapture quiet;
    dlpd::ScanEngine engine(registry, {{"regex", {{"prefilter", {"turbo"}}}}});
    REQUIRE(engine.startup_problems().size() == 1);
    CHECK_THAT(engine.startup_problems()[0], Catch::Contains("prefilter must be auto, hyperscan or none"));
}
