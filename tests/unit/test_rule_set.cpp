// The regex detector's engine: one Set pass, per-rule confirmation only where
// a rule fired, capture group 1 as the sensitive part, chunking that neither
// misses matches nor rescans long texts, and atomic, checked compiles.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "rule_set.hpp"

using namespace dlpd::regex;

namespace {

struct Collected : MatchSink {
    std::vector<Match> matches;
    size_t stop_after = SIZE_MAX;
    bool on_match(const Match &m) override {
        matches.push_back(m);
        return matches.size() < stop_after;
    }
};

std::shared_ptr<const RuleSet> compile_ok(const std::vector<RuleSource> &rules, CompileOptions opt = {}) {
    std::vector<RuleProblem> problems;
    auto set = RuleSet::compile(rules, opt, problems);
    for (const auto &p : problems) INFO(p.rule << ": " << p.message);
    REQUIRE(problems.empty());
    REQUIRE(set);
    return set;
}

std::vector<Match> scan(const RuleSet &set, std::string_view text, ScanOptions opt = {}, ScanStats *stats = nullptr) {
    Collected c;
    set.scan(text, opt, c, stats);
    return c.matches;
}

}  // namespace

TEST_CASE("every occurrence of every rule is reported with byte offsets", "[regex]") {
    auto set = compile_ok({{"aws", R"(\bAKIA[0-9A-Z]{16}\b)"}, {"word", R"(\bpineapple\b)"}});
    const std::string text = "x AKIAABCDEFGHIJKLMNOP y pineapple AKIAZZZZZZZZZZZZZZZZ\nno";
    auto m = scan(*set, text);
    REQUIRE(m.size() == 3);
    std::sort(m.begin(), m.end(), [](const Match &a, const Match &b) { return a.start < b.start; });
    CHECK(text.substr(m[0].start, m[0].end - m[0].start) == "AKIAABCDEFGHIJKLMNOP");
    CHECK(set->name(m[0].rule_index) == "aws");
    CHECK(text.substr(m[1].start, m[1].end - m[1].start) == "pineapple");
    CHECK(text.substr(m[2].start, m[2].end - m[2].start) == "AKIAZZZZZZZZZZZZZZZZ");
}

TEST_CASE("group 1 is the sensitive part, and the seed's classic pattern works", "[regex]") {
    auto set = compile_ok({{"seed_visa", R"(.*(4[0-9]{3} [0-9]{4} [0-9]{4} (?:[0-9]{4})?).*)"}});
    const std::string text = "hello\nmy card is 4111 1111 1111 1111 thanks\nbye";
    auto m = scan(*set, text);
    REQUIRE(m.size() == 1);
    CHECK(text.substr(m[0].start, m[0].end - m[0].start) == "4111 1111 1111 1111");
    // The whole match is the whole line (the pattern's .* on both sides).
    CHECK(text.substr(m[0].match_start, m[0].match_end - m[0].match_start) ==
          "my card is 4111 1111 1111 1111 thanks");
}

TEST_CASE("a syntax error is reported with RE2's message and the position", "[regex]") {
    auto problem = check_rule({"broken", "abc(def"}, {});
    REQUIRE(problem);
    CHECK(problem->rule == "broken");
    CHECK_THAT(problem->message, Catch::Contains("missing )"));
    problem = check_rule({"badrep", "ab**c"}, {});
    REQUIRE(problem);
    CHECK_THAT(problem->message, Catch::Contains("bad repetition operator"));
    CHECK(problem->position == 2);
    CHECK_FALSE(check_rule({"fine", R"(\d{3}-\d{2}-\d{4})"}, {}));
}

TEST_CASE("a set with one bad rule is refused whole, naming every bad rule", "[regex]") {
    std::vector<RuleProblem> problems;
    auto set = RuleSet::compile({{"ok", "abc"}, {"bad1", "(x"}, {"bad2", "[z"}}, {}, problems);
    CHECK_FALSE(set);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].rule == "bad1");
    CHECK(problems[1].rule == "bad2");
}

TEST_CASE("exceeding the memory budget is a clear error naming the largest rules", "[regex]") {
    std::vector<RuleSource> rules;
    for (int i = 0; i < 300; ++i)
        rules.push_back({"big_" + std::to_string(i),
                         "(?i)[\\w.-]{0,50}?(?:kw" + std::to_string(i) + ")(?:[ \\t\\w.-]{0,20})[\\s'\"]{0,3}"
                         "(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[\\x60'\"\\s=]{0,5}([a-z0-9_-]{32})"});
    CompileOptions opt;
    opt.set_max_mem_bytes = 1 << 20;
    opt.simplify_set_patterns = false;
    std::vector<RuleProblem> problems;
    auto set = RuleSet::compile(rules, opt, problems);
    CHECK_FALSE(set);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].rule.empty());
    CHECK_THAT(problems[0].message, Catch::Contains("exceed the regex memory budget") &&
                                        Catch::Contains("max_mem_mb=1") && Catch::Contains("big_"));
}

TEST_CASE("a rule that fires once in a 10 MB text confirms one chunk, not the whole text", "[regex]") {
    std::string text;
    text.reserve(10u << 20);
    while (text.size() < (10u << 20)) text += "an ordinary line of chat with nothing in it at all\n";
    const size_t planted = text.size() / 2 - (text.size() / 2) % 51;
    text.replace(planted, 20, "AKIAABCDEFGHIJKLMNOP");
    auto set = compile_ok({{"aws", R"(AKIA[0-9A-Z]{16})"}});
    ScanStats stats;
    auto m = scan(*set, text, {}, &stats);
    REQUIRE(m.size() == 1);
    CHECK(m[0].start == planted);
    CHECK(stats.chunks > 2000);
    CHECK(stats.chunks_fired == 1);  // only the chunk holding the match is confirmed
}

TEST_CASE("chunks are cut at line ends, so matches near every cut are found", "[regex]") {
    auto set = compile_ok({{"tok", R"(TOKEN_[0-9]{8})"}});
    ScanOptions opt;
    opt.chunk_bytes = 64;
    std::string text;
    std::vector<size_t> where;
    for (int i = 0; i < 200; ++i) {
        text += std::string(static_cast<size_t>(i % 50), 'x') + " ";
        where.push_back(text.size());
        text += "TOKEN_" + std::to_string(10000000 + i) + "\n";
    }
    auto m = scan(*set, text, opt);
    REQUIRE(m.size() == where.size());
    for (size_t i = 0; i < where.size(); ++i) CHECK(m[i].start == where[i]);
}

TEST_CASE("a line longer than a chunk is cut with overlap, and each match is reported once", "[regex]") {
    auto set = compile_ok({{"tok", R"(TOKEN_[0-9]{8})"}});
    ScanOptions opt;
    opt.chunk_bytes = 100;
    opt.max_match_bytes = 32;
    std::string text;  // one 20 KB line, no newline at all
    std::vector<size_t> where;
    for (int i = 0; text.size() < 20000; ++i) {
        text += std::string(static_cast<size_t>(7 + i % 23), 'y');
        where.push_back(text.size());
        text += "TOKEN_" + std::to_string(20000000 + i);
    }
    auto m = scan(*set, text, opt);
    std::sort(m.begin(), m.end(), [](const Match &a, const Match &b) { return a.start < b.start; });
    REQUIRE(m.size() == where.size());
    for (size_t i = 0; i < where.size(); ++i) CHECK(m[i].start == where[i]);
}

TEST_CASE("one 32 MB line without line ends is scanned in linear time and fully", "[regex]") {
    // Minified JSON or HTML: one huge line. Cutting it into chunks must not
    // look back over the whole text for a line end each time (that was
    // quadratic: 14 s for 10 MB). The suite's timeout guards this case; the
    // assertions check that nothing is missed at the start, middle or end.
    std::string text(32u << 20, 'x');
    const size_t where[] = {5, text.size() / 2, text.size() - 30};
    for (size_t at : where) text.replace(at, 14, "TOKEN_12345678");
    auto set = compile_ok({{"tok", R"(TOKEN_[0-9]{8})"}});
    ScanStats stats;
    auto m = scan(*set, text, {}, &stats);
    std::sort(m.begin(), m.end(), [](const Match &a, const Match &b) { return a.start < b.start; });
    REQUIRE(m.size() == 3);
    for (size_t i = 0; i < 3; ++i) CHECK(m[i].start == where[i]);
    CHECK(stats.chunks > (32u << 20) / 4096);
}

TEST_CASE("the sink can stop a scan", "[regex]") {
    auto set = compile_ok({{"d", R"(\d+)"}});
    Collected c;
    c.stop_after = 2;
    CHECK_FALSE(set->scan("1 2 3 4 5", {}, c));
    CHECK(c.matches.size() == 2);
}

TEST_CASE("the Set scans simplified copies that fire on the same texts", "[regex]") {
    CHECK(set_pattern_for(R"(.*(4[0-9]{3}).*)") == R"((4[0-9]{3}))");
    CHECK(set_pattern_for(R"((?i)[\w.-]{0,50}?(?:key)=([a-z]{8}))") == R"((?i)(?:key)=([a-z]{8}))");
    CHECK(set_pattern_for(R"(abc\.*)") == R"(abc\.*)");   // escaped dot: not a wildcard
    CHECK(set_pattern_for(R"(.*a|b)") == R"(.*a|b)");     // top-level alternation: unchanged
    CHECK(set_pattern_for(R"(.*)") == R"(.*)");           // nothing left: unchanged
    CHECK(set_pattern_for(R"(.*?x)") == R"(.*?x)");       // lazy: unchanged

    // Same verdicts with and without simplification.
    std::vector<RuleSource> rules = {{"a", R"(.*(4[0-9]{3} [0-9]{4}).*)"},
                                     {"b", R"((?i)[\w.-]{0,50}?(?:secret)\s*=\s*([a-z0-9]{10}))"}};
    CompileOptions plain;
    plain.simplify_set_patterns = false;
    auto simple = compile_ok(rules);
    auto full = compile_ok(rules, plain);
    for (std::string text : {"x 4111 2222 y", "my.app.SECRET = abcdefghij", "secret=short", "nothing"}) {
        INFO(text);
        CHECK(scan(*simple, text).size() == scan(*full, text).size());
    }
}

TEST_CASE("scans in flight keep the rule set they started with", "[regex]") {
    auto alpha = compile_ok({{"alpha", "alpha"}});
    auto beta = compile_ok({{"beta", "beta"}});
    std::atomic<std::shared_ptr<const RuleSet>> current{alpha};
    std::atomic<bool> stop{false};
    std::atomic<int> mixed{0}, scans{0};
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "alpha beta\n";
    std::thread scanner([&] {
        while (!stop) {
            auto snap = current.load();
            auto m = scan(*snap, text);
            bool has_alpha = false, has_beta = false;
            for (const auto &x : m) (snap->name(x.rule_index) == "alpha" ? has_alpha : has_beta) = true;
            if (has_alpha == has_beta) ++mixed;
            ++scans;
        }
    });
    for (int i = 0; i < 200 || scans < 20; ++i) current.store(i % 2 ? alpha : beta);
    stop = true;
    scanner.join();
    CHECK(scans >= 20);
    CHECK(mixed == 0);
}
