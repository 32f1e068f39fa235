// What decides whether a match becomes a finding, and how sure it is:
// validators with arguments (through the validators plugin), context words,
// context_required, allow patterns, the value allowlist by fingerprint, and
// the checks a rule must pass to be installed.
#include <catch2/catch.hpp>

#include "engine/fingerprint.hpp"
#include "engine/scan_engine.hpp"
#include "test_support.hpp"

using namespace dlpd;

namespace {

struct Engine {
    Engine() {
        registry.load_directory(test::kPluginDir);
        REQUIRE(registry.refused().empty());
        engine = std::make_unique<ScanEngine>(registry);
    }
    void install(const std::vector<Rule> &rules) {
        auto problems = engine->set_rules(rules);
        for (const auto &p : problems) INFO(p.rule << ": " << p.message);
        REQUIRE(problems.empty());
    }
    std::vector<Finding> findings(std::string_view text) { return engine->scan_text(text, "t").findings; }
    PluginRegistry registry;
    std::unique_ptr<ScanEngine> engine;
};

Rule make(std::string name, std::string regex) {
    Rule r;
    r.name = std::move(name);
    r.regex = std::move(regex);
    return r;
}

// A nine-digit number, the shape of a US SSN written without separators.
Rule bare_ssn() {
    Rule r = make("ssn_bare", R"(\b(\d{9})\b)");
    r.context = {"ssn", "social security"};
    r.context_required = true;
    return r;
}

}  // namespace

TEST_CASE("context_required drops a match with no context word near it, and keeps one with it", "[detection]") {
    Engine e;
    e.install({bare_ssn()});
    CHECK(e.findings("order 123456789 shipped").empty());
    CHECK(e.findings("ssnx 123456789").empty());  // a whole word, not a prefix of one
    auto near = e.findings("her Social Security number is 123456789");
    REQUIRE(near.size() == 1);
    CHECK(near[0].match == "123456789");
    // Outside the window the word does not count.
    Rule narrow = bare_ssn();
    narrow.context_window = 8;
    e.install({narrow});
    CHECK(e.findings("ssn, as requested last week: 123456789").empty());
    CHECK(e.findings("ssn: 123456789").size() == 1);
}

TEST_CASE("confidence is the rule's, one level up for a checksum validator and one for context", "[detection]") {
    Engine e;
    Rule card = make("card", R"(\b(4\d{15})\b)");
    card.validators = {"luhn"};
    card.confidence = "low";
    card.context = {"card", "visa"};
    Rule plain = make("token", R"(\b(tok_[a-z0-9]{8})\b)");
    plain.confidence = "low";
    plain.validators = {"placeholder"};  // a filter, not a checksum: no raise
    e.install({card, plain});
    auto bare = e.findings("ref 4539148803436467");
    REQUIRE(bare.size() == 1);
    CHECK(bare[0].confidence == "medium");  // low + checksum
    auto with_word = e.findings("visa 4539148803436467");
    REQUIRE(with_word.size() == 1);
    CHECK(with_word[0].confidence == "high");  // low + checksum + context
    auto token = e.findings("tok_k3j9x2q7");
    REQUIRE(token.size() == 1);
    CHECK(token[0].confidence == "low");
}

TEST_CASE("validators take arguments checked on install, and entropy filters by its threshold", "[detection]") {
    Engine e;
    Rule strict = make("secret", R"(key=([A-Za-z0-9]{16}))");
    strict.validators = {"entropy:3.5"};
    e.install({strict});
    CHECK(e.findings("key=aaaaaaaabbbbbbbb").empty());    // 1 bit per character
    CHECK(e.findings("key=q8Zr2LkW9xPm4TvB").size() == 1);  // 4 bits per character
    Rule lax = strict;
    lax.validators = {"entropy:0.5"};
    e.install({lax});
    CHECK(e.findings("key=aaaaaaaabbbbbbbb").size() == 1);

    Rule bad = strict;
    bad.validators = {"entropy:lots"};
    auto problems = e.engine->set_rules({bad});
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].rule == "secret");
    CHECK_THAT(problems[0].message, Catch::Contains("entropy:lots"));
    Rule no_args = strict;
    no_args.validators = {"luhn:7"};
    problems = e.engine->check_rule(no_args);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0].message, Catch::Contains("takes no argument"));
}

TEST_CASE("a rule naming an unknown validator, or asking too much of context, is refused with its name", "[detection]") {
    Engine e;
    Rule unknown = make("r1", "abc");
    unknown.validators = {"no_such_check"};
    Rule huge = make("r2", "def");
    for (int i = 0; i < 65; ++i) huge.context.push_back("w" + std::to_string(i));
    Rule wide = make("r3", "ghi");
    wide.context = {"x"};
    wide.context_window = 5000;
    Rule needless = make("r4", "jkl");
    needless.context_required = true;  // and no words
    Rule bad_allow = make("r5", "mno");
    bad_allow.allow = {"(unclosed"};
    const auto problems = e.engine->set_rules({unknown, huge, wide, needless, bad_allow});
    std::map<std::string, std::string> by_rule;
    for (const auto &p : problems) by_rule[p.rule] += p.message + "; ";
    CHECK_THAT(by_rule["r1"], Catch::Contains("validator 'no_such_check' is not loaded"));
    CHECK_THAT(by_rule["r2"], Catch::Contains("context has 65 words"));
    CHECK_THAT(by_rule["r3"], Catch::Contains("context_window"));
    CHECK_THAT(by_rule["r4"], Catch::Contains("context_required needs context words"));
    CHECK_THAT(by_rule["r5"], Catch::Contains("allow[0] does not compile"));
    // Nothing was installed: the engine still finds nothing for these.
    CHECK(e.findings("abc def ghi jkl mno").empty());
}

TEST_CASE("an allow pattern drops the matches it finds, and only those", "[detection]") {
    Engine e;
    Rule key = make("api_key", R"(\b(key_[A-Za-z0-9]{12})\b)");
    key.allow = {"(?i)^key_test", "0000$"};
    e.install({key});
    CHECK(e.findings("key_TESTabcdefgh").empty());
    CHECK(e.findings("key_abcdefgh0000").empty());
    CHECK(e.findings("key_abcdefgh1234").size() == 1);
}

TEST_CASE("a value on the allowlist is never reported, however it is spaced, and rule examples ignore it",
          "[detection]") {
    Engine e;
    Rule card = make("card", R"(\b(4\d{3}(?:[ -]?\d{4}){3})\b)");
    card.validators = {"luhn"};
    card.examples_match = {"pay 4539 1488 0343 6467"};
    e.install({card});
    auto allowlist = std::make_shared<ValueAllowlist>();
    const std::string key(32, 'k');
    allowlist->add_fingerprints(key, {match_fingerprint(key, "4539148803436467")});
    e.engine->set_value_allowlist(allowlist);
    for (const char *text : {"pay 4539148803436467", "pay 4539 1488 0343 6467", "pay 4539-1488-0343-6467"}) {
        INFO(text);
        auto r = e.engine->scan_text(text, "t");
        CHECK(r.findings.empty());
        CHECK(r.allowlisted == 1);
    }
    CHECK(e.findings("pay 4716 1089 9971 6531").size() == 1);  // another card still is
    CHECK(e.engine->check_examples({card}).empty());
    CHECK(e.engine->scan_text_ignoring_allowlist("pay 4539148803436467", "t").findings.size() == 1);
    // The values a pack ships are fingerprinted under a key of their own.
    auto shipped = std::make_shared<ValueAllowlist>();
    shipped->add_values({"4716 1089 9971 6531"});
    e.engine->set_value_allowlist(shipped);
    CHECK(e.findings("pay 4716108999716531").empty());
    CHECK(e.findings("pay 4539148803436467").size() == 1);
}

TEST_CASE("fingerprints are keyed HMACs of the canonical form", "[detection]") {
    const std::string a(32, 'a'), b(32, 'b');
    CHECK(canonical_match(" 4539-1488 0343\t6467\n") == "4539148803436467");
    CHECK(match_fingerprint(a, "4539 1488 0343 6467") == match_fingerprint(a, "4539148803436467"));
    CHECK(match_fingerprint(a, "4539148803436467") != match_fingerprint(b, "4539148803436467"));
    CHECK(match_fingerprint(a, "4539148803436467").size() == 64);
    CHECK(match_fingerprint(a, "4539148803436467").find("4539") == std::string::npos);
}

TEST_CASE("a low-confidence guess inside a surer finding of another rule is dropped; others stay", "[detection]") {
    Engine e;
    Rule card = make("card", R"(\b(4\d{3}(?: \d{4}){3})\b)");
    card.validators = {"luhn"};  // medium + checksum: high
    Rule twelve = make("twelve_digits", R"(\b(\d{4} \d{4} \d{4})\b)");
    twelve.confidence = "low";
    Rule also_twelve = make("also_twelve", R"(\b(\d{4} \d{4} \d{4})\b)");
    also_twelve.confidence = "low";
    e.install({card, twelve, also_twelve});
    auto inside = e.findings("card 4539 1488 0343 6467");
    REQUIRE(inside.size() == 1);
    CHECK(inside[0].rule == "card");
    // Alone, the twelve digits are two findings of equal confidence.
    auto alone = e.findings("ref 1234 5678 9012.");
    CHECK(alone.size() == 2);
    // Two confident findings of one span both stay.
    Rule sure = make("sure_twelve", R"(\b(\d{4} \d{4} \d{4})\b)");
    sure.confidence = "high";
    e.install({card, sure});
    CHECK(e.findings("card 4539 1488 0343 6467").size() == 2);
}
