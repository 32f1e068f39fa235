// The scan pipeline with real plugins loaded through the ABI: validators,
// rule checking and atomic replacement, extraction with member paths and
// limits, and plugins that fail without taking anything else down.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "engine/scan_engine.hpp"
#include "test_support.hpp"

using namespace dlpd;

namespace {

Rule rule(std::string name, std::string regex, std::vector<std::string> validators = {}) {
    Rule r;
    r.name = std::move(name);
    r.regex = std::move(regex);
    r.validators = std::move(validators);
    return r;
}

struct Fixture {
    explicit Fixture(bool with_test_plugins = false, std::map<std::string, PluginSettings> settings = {},
                     EngineLimits limits = {}) {
        registry.load_directory(test::kPluginDir);
        if (with_test_plugins) registry.load_directory(test::kRuntimeDir);
        REQUIRE(registry.refused().empty());
        engine = std::make_unique<ScanEngine>(registry, std::move(settings), limits);
    }
    void install(const std::vector<Rule> &rules) {
        auto problems = engine->set_rules(rules);
        for (const auto &p : problems) INFO(p.rule << ": " << p.message);
        REQUIRE(problems.empty());
    }
    std::vector<std::string> rules_found(std::string_view text) {
        std::vector<std::string> out;
        for (const auto &f : engine->scan(text, "t").findings) out.push_back(f.rule + "=" + f.match);
        return out;
    }
    PluginRegistry registry;
    std::unique_ptr<ScanEngine> engine;
};

const std::string kCard = R"(\b(?:\d[ -]?){12,18}\d\b)";

}  // namespace

TEST_CASE("a rule's validators drop candidates that fail them", "[engine]") {
    Fixture fx;
    fx.install({rule("card", kCard, {"luhn"}), rule("card_unchecked", R"(\b(4\d{15})\b)")});
    auto found = fx.rules_found("good 4111111111111111 bad 4111111111111112");
    std::sort(found.begin(), found.end());
    CHECK(found == std::vector<std::string>{"card=4111111111111111", "card_unchecked=4111111111111111",
                                            "card_unchecked=4111111111111112"});
    auto r = fx.engine->scan("4111111111111111", "t");
    REQUIRE(r.findings.size() == 2);
    for (const auto &f : r.findings)
        if (f.rule == "card") CHECK(f.validators == std::vector<std::string>{"luhn"});
}

TEST_CASE("findings carry line and column and are in text order", "[engine]") {
    Fixture fx;
    fx.install({rule("w", R"(\bneedle\b)")});
    auto r = fx.engine->scan("first line\nxx needle\n\n  needle and needle", "doc.txt");
    REQUIRE(r.findings.size() == 3);
    CHECK(r.findings[0].line == 2);
    CHECK(r.findings[0].column == 4);
    CHECK(r.findings[1].line == 4);
    CHECK(r.findings[1].column == 3);
    CHECK(r.findings[2].line == 4);
    CHECK(r.findings[2].column == 14);
    CHECK(r.findings[0].path == "doc.txt");
    CHECK(r.findings[0].detector == "regex");
}

TEST_CASE("a bad rule set changes nothing and names each bad rule", "[engine]") {
    Fixture fx;
    fx.install({rule("old", "oldsecret")});
    auto problems = fx.engine->set_rules({rule("good", "newsecret"), rule("broken", "new(secret"),
                                          rule("unknown_validator", "x", {"nosuch"}), [] {
                                              Rule r = rule("other_detector", "y");
                                              r.detector = "nosuchdetector";
                                              return r;
                                          }()});
    REQUIRE(problems.size() == 2);  // shape problems are found before any pattern is compiled
    CHECK(problems[0].rule == "unknown_validator");
    CHECK_THAT(problems[0].message, Catch::Contains("validator 'nosuch' is not loaded"));
    CHECK(problems[1].rule == "other_detector");
    CHECK_THAT(problems[1].message, Catch::Contains("detector 'nosuchdetector' is not loaded"));

    problems = fx.engine->set_rules({rule("good", "newsecret"), rule("broken", "new(secret")});
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].rule == "broken");
    CHECK_THAT(problems[0].message, Catch::Contains("missing )"));
    // The old rules are still the ones in force.
    CHECK(fx.rules_found("oldsecret newsecret") == std::vector<std::string>{"old=oldsecret"});
}

TEST_CASE("checking a rule goes through the plugin and reports RE2's position", "[engine]") {
    Fixture fx;
    auto problems = fx.engine->check_rule(rule("r", "ab**c"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].position == 2);
    CHECK_THAT(problems[0].message, Catch::Contains("bad repetition operator"));
    CHECK(fx.engine->check_rule(rule("ok", "abc")).empty());
}

TEST_CASE("examples that do not behave are reported per rule and index", "[engine]") {
    Fixture fx;
    Rule r = rule("card", kCard, {"luhn"});
    r.examples_match = {"pay 4111111111111111", "pay 4111111111111112"};
    r.examples_no_match = {"order 12345", "4111 1111 1111 1111"};
    fx.install({r});
    auto problems = fx.engine->check_examples({r});
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].message == "examples.match[1] is not matched");
    CHECK(problems[1].message == "examples.no_match[1] is matched");
}

TEST_CASE("rules can be replaced while scans run and each scan sees one rule set", "[engine]") {
    Fixture fx;
    const std::vector<Rule> alpha = {rule("alpha", "alpha")};
    const std::vector<Rule> beta = {rule("beta", "beta")};
    fx.install(alpha);
    std::string text;
    for (int i = 0; i < 3000; ++i) text += "alpha beta\n";
    std::atomic<bool> stop{false};
    std::atomic<int> scans{0}, mixed{0}, empty{0};
    std::thread scanner([&] {
        while (!stop) {
            auto r = fx.engine->scan(text, "t");
            bool a = false, b = false;
            for (const auto &f : r.findings) (f.rule == "alpha" ? a : b) = true;
            if (a && b) ++mixed;
            if (!a && !b) ++empty;
            ++scans;
        }
    });
    for (int i = 0; i < 100 || scans < 20; ++i) REQUIRE(fx.engine->set_rules(i % 2 ? alpha : beta).empty());
    stop = true;
    scanner.join();
    CHECK(scans >= 20);
    CHECK(mixed == 0);
    CHECK(empty == 0);
}

TEST_CASE("plugin settings are checked against the plugin's schema and reach the plugin", "[engine]") {
    {
        test::LogCapture quiet;
        Fixture fx(false, {{"regex", {{"max_mem_mb", {"0"}}}}, {"nosuch", {{"a", {"b"}}}}});
        const auto &p = fx.engine->startup_problems();
        REQUIRE(p.size() == 2);
        CHECK_THAT(p[0], Catch::Contains("key 'max_mem_mb' of plugin regex must be between 1 and 65536, not 0"));
        CHECK_THAT(p[1], Catch::Contains("settings are given for plugin 'nosuch', which is not loaded"));
    }
    {
        test::LogCapture quiet;
        Fixture fx(false, {{"regex", {{"colour", {"red"}}}}});
        REQUIRE(fx.engine->startup_problems().size() == 1);
        CHECK_THAT(fx.engine->startup_problems()[0], Catch::Contains("unknown key 'colour' for plugin regex"));
    }
    // A 1 MiB budget reaches the plugin: a large rule set no longer fits.
    Fixture small(false, {{"regex", {{"max_mem_mb", {"1"}}, {"simplify_set", {"false"}}}}});
    std::vector<Rule> rules;
    for (int i = 0; i < 300; ++i)
        rules.push_back(rule("r" + std::to_string(i), "(?i)[\\w.-]{0,50}?kw" + std::to_string(i) +
                                                          "[ \\t\\w.-]{0,20}[=:]([a-z0-9_-]{32})"));
    auto problems = small.engine->set_rules(rules);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0].message, Catch::Contains("exceed the regex memory budget"));
    Fixture roomy;
    CHECK(roomy.engine->set_rules(rules).empty());
}

TEST_CASE("the regex plugin warns when sampled scanning is slower than the configured floor", "[engine]") {
    std::string text;
    while (text.size() < (6u << 20)) text += "an ordinary line of chat, nothing to see here\n";
    {
        // A floor no machine reaches: the warning must come, naming the budget.
        test::LogCapture capture;
        Fixture fx(false, {{"regex", {{"slow_scan_warning_mb_per_s", {"1000000000"}}}}});
        fx.install({rule("w", "needle")});
        fx.engine->scan(text, "big.txt");
        CHECK_THAT(capture.all(), Catch::Contains("DFA cache is probably too small") &&
                                      Catch::Contains("max_mem_mb (now 256)"));
    }
    {
        // Disabled: silent.
        test::LogCapture capture;
        Fixture fx(false, {{"regex", {{"slow_scan_warning_mb_per_s", {"0"}}}}});
        fx.install({rule("w", "needle")});
        fx.engine->scan(text, "big.txt");
        CHECK(capture.all().find("DFA cache") == std::string::npos);
    }
}

TEST_CASE("a plugin that throws fails that item only, and says so", "[engine]") {
    test::LogCapture capture;
    Fixture fx(true);
    fx.install({rule("w", "ordinary")});
    auto bad = fx.engine->scan("boom ordinary", "first.txt");
    // The raw plugin's exception is contained and reported...
    bool raw_failed = false;
    for (const auto &d : bad.diagnostics)
        if (d.source == "raw" && d.status == DLPD_ERR_INTERNAL && d.path == "first.txt") raw_failed = true;
    CHECK(raw_failed);
    CHECK_THAT(capture.all(), Catch::Contains("plugin raw") && Catch::Contains("threw during scan") &&
                                  Catch::Contains("raw plugin exploded"));
    // ...while the other detectors still scanned the same item.
    bool regex_found = false;
    for (const auto &f : bad.findings) regex_found = regex_found || f.rule == "w";
    CHECK(regex_found);

    // The SDK's trampoline turns an exception into a status and a diagnostic.
    auto sdk = fx.engine->scan("kaboom", "second.txt");
    bool sdk_reported = false;
    for (const auto &d : sdk.diagnostics)
        if (d.source == "faulty" && d.message.find("faulty plugin tripped") != std::string::npos) sdk_reported = true;
    CHECK(sdk_reported);

    // The next item is scanned normally by everyone.
    auto good = fx.engine->scan("rawsecret sdksecret ordinary", "third.txt");
    CHECK(good.diagnostics.empty());
    std::vector<std::string> rules;
    for (const auto &f : good.findings) rules.push_back(f.rule);
    std::sort(rules.begin(), rules.end());
    CHECK(rules == std::vector<std::string>{"raw_rule", "sdk_rule", "w"});
}

TEST_CASE("nested blobs are scanned with member paths, within the depth limit", "[engine]") {
    const std::string archive = "ARCHIVE\nnote secretword in the container itself\nmember a.txt\nhas secretword\nend\n"
                                "member inner.arc\nARCHIVE\nmember deep.txt\nsecretword deep down\nend\nend\n";
    {
        Fixture fx(true);
        fx.install({rule("w", "secretword")});
        auto r = fx.engine->scan(archive, "outer.arc");
        std::vector<std::string> paths;
        for (const auto &f : r.findings) paths.push_back(f.path);
        CHECK(paths == std::vector<std::string>{"outer.arc", "outer.arc!a.txt", "outer.arc!inner.arc!deep.txt"});
    }
    {
        EngineLimits limits;
        limits.max_depth = 1;
        Fixture fx(true, {}, limits);
        fx.install({rule("w", "secretword")});
        auto r = fx.engine->scan(archive, "outer.arc");
        CHECK(r.findings.size() == 2);
        REQUIRE(r.diagnostics.size() == 1);
        CHECK(r.diagnostics[0].path == "outer.arc!inner.arc!deep.txt");
        CHECK_THAT(r.diagnostics[0].message, Catch::Contains("max_depth (1)"));
    }
}

TEST_CASE("message text goes straight to the detectors without extractors", "[engine]") {
    Fixture fx(true);
    fx.install({rule("w", "secretword")});
    const std::string looks_like_archive = "ARCHIVE\nmember a.txt\nsecretword\nend\n";
    auto as_text = fx.engine->scan_text(looks_like_archive, "C01/1712.0001");
    REQUIRE(as_text.findings.size() == 1);
    CHECK(as_text.findings[0].path == "C01/1712.0001");
    auto as_item = fx.engine->scan(looks_like_archive, "C01/1712.0001");
    REQUIRE(as_item.findings.size() == 1);
    CHECK(as_item.findings[0].path == "C01/1712.0001!a.txt");
    // A NUL byte does not make a message "binary".
    CHECK(fx.engine->scan_text(std::string("a\0secretword", 12), "m").findings.size() == 1);
}

TEST_CASE("reconfigure puts new plugin settings and limits under the rules in force, or changes nothing",
          "[engine]") {
    // Without the Hyperscan prefilter, whose background build each new
    // instance would start and each old one wait for.
    const PluginSettings no_prefilter = {{"prefilter", {"none"}}};
    Fixture fx(false, {{"regex", no_prefilter}});
    std::vector<Rule> rules;
    for (int i = 0; i < 300; ++i)
        rules.push_back(rule("r" + std::to_string(i), "(?i)[\\w.-]{0,50}?kw" + std::to_string(i) +
                                                          "[ \\t\\w.-]{0,20}[=:]([a-z0-9_-]{32})"));
    rules.push_back(rule("d", R"(\bd\d\b)"));
    fx.install(rules);
    const std::string text = "d1 d2 d3 kw7=abcdefabcdefabcdefabcdefabcdefab";
    REQUIRE(fx.rules_found(text).size() == 4);

    // The rules in force do not fit a 1 MiB budget: refused, and the old
    // instances and limits keep scanning.
    auto problems = fx.engine->reconfigure(
        {{"regex", {{"max_mem_mb", {"1"}}, {"simplify_set", {"false"}}, {"prefilter", {"none"}}}}}, {});
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0].message, Catch::Contains("exceed the regex memory budget"));
    CHECK(fx.rules_found(text).size() == 4);
    problems = fx.engine->reconfigure({{"regex", {{"colour", {"red"}}}}}, {});
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0].message, Catch::Contains("unknown key 'colour' for plugin regex"));

    // Accepted, while scans run: each sees every rule, on one set of
    // instances or the other.
    std::atomic<bool> stop{false};
    std::atomic<int> scans{0}, short_of_rules{0};
    std::thread scanner([&] {
        while (!stop) {
            const auto r = fx.engine->scan_text("kw7=abcdefabcdefabcdefabcdefabcdefab d1", "t");
            if (r.findings.size() != 2) ++short_of_rules;
            ++scans;
        }
    });
    for (int i = 0; i < 4 || scans < 20; ++i)
        REQUIRE(fx.engine->reconfigure({{"regex", {{"max_mem_mb", {i % 2 ? "64" : "128"}}, {"prefilter", {"none"}}}}}, {})
                    .empty());
    stop = true;
    scanner.join();
    CHECK(short_of_rules == 0);
    EngineLimits limits;
    limits.max_findings_per_item = 2;
    // New limits, the same rules.
    REQUIRE(fx.engine->reconfigure({{"regex", no_prefilter}}, limits).empty());
    const auto r = fx.engine->scan(text, "t");
    CHECK(r.findings.size() == 2);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK_THAT(r.diagnostics[0].message, Catch::Contains("max_findings_per_item (2)"));
    // The rules set afterwards go to the new instances.
    fx.install({rule("d", R"(\bd\d\b)")});
    CHECK(fx.rules_found("d1 kw7=abcdefabcdefabcdefabcdefabcdefab") == std::vector<std::string>{"d=d1"});
}

TEST_CASE("limits end a branch with a diagnostic naming the item and the limit", "[engine]") {
    EngineLimits limits;
    limits.max_findings_per_item = 5;
    limits.max_item_bytes = 1000;
    Fixture fx(false, {}, limits);
    fx.install({rule("d", R"(\bd\d\b)")});
    auto r = fx.engine->scan("d1 d2 d3 d4 d5 d6 d7 d8 d9", "many.txt");
    CHECK(r.findings.size() == 5);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK_THAT(r.diagnostics[0].message, Catch::Contains("max_findings_per_item (5)"));
    auto big = fx.engine->scan(std::string(2000, 'd'), "big.txt");
    REQUIRE(big.diagnostics.size() == 1);
    CHECK(big.diagnostics[0].path == "big.txt");
    CHECK_THAT(big.diagnostics[0].message, Catch::Contains("max_item_bytes (1000)"));
}

TEST_CASE("binary content nobody can extract is skipped, not scanned as text", "[engine]") {
    Fixture fx;
    fx.install({rule("w", "secret")});
    auto r = fx.engine->scan(std::string("\x00\x01secret\x00", 9), "blob.bin");
    CHECK(r.findings.empty());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK_THAT(r.diagnostics[0].message, Catch::Contains("binary content"));
}

namespace {

std::string confidence_of(Fixture &fx, std::string_view text) {
    const auto r = fx.engine->scan(text, "t");
    REQUIRE(r.findings.size() <= 1);
    return r.findings.empty() ? std::string("none") : r.findings[0].confidence;
}

}  // namespace

TEST_CASE("confidence: the base, one up for a checksum, one up for a context word", "[engine][confidence]") {
    Fixture fx;
    Rule card = rule("card", kCard, {"luhn"});
    card.confidence = "low";
    card.context = {"card number", "visa"};
    Rule plain = rule("plain", R"(\bX-\d{4}\b)");
    plain.confidence = "low";
    plain.context = {"ticket"};
    fx.install({card});
    CHECK(confidence_of(fx, "4539 1488 0343 6467") == "medium");
    CHECK(confidence_of(fx, "my Visa: 4539 1488 0343 6467") == "high");
    CHECK(confidence_of(fx, "visacard 4539 1488 0343 6467") == "medium");  // a whole word only
    fx.install({plain});
    CHECK(confidence_of(fx, "X-1234") == "low");
    CHECK(confidence_of(fx, "ticket X-1234") == "medium");
    plain.confidence = "high";
    fx.install({plain});
    CHECK(confidence_of(fx, "ticket X-1234") == "high");
}

TEST_CASE("context_required drops a match without a context word", "[engine][confidence]") {
    Fixture fx;
    Rule r = rule("sin", R"(\b\d{3} \d{3} \d{3}\b)", {"ca_sin"});
    r.context = {"sin"};
    r.context_required = true;
    fx.install({r});
    CHECK(confidence_of(fx, "271 834 566") == "none");
    CHECK(confidence_of(fx, "SIN 271 834 566") == "high");
    r.context_window = 3;
    fx.install({r});
    CHECK(confidence_of(fx, "SIN is 271 834 566") == "none");
}

TEST_CASE("confidence_without_context caps a match with no context word near", "[engine][confidence]") {
    Fixture fx;
    Rule r = rule("sin", R"(\b\d{3} \d{3} \d{3}\b)", {"ca_sin"});
    r.confidence = "low";
    r.context = {"sin", "social insurance"};
    r.confidence_without_context = "low";
    fx.install({r});
    // Bare: low + checksum would be medium; the cap keeps it low (recorded,
    // not acted on by the default policy).
    CHECK(confidence_of(fx, "order 271 834 566 shipped") == "low");
    // With a context word: low + checksum + context, the cap does not apply.
    CHECK(confidence_of(fx, "my social insurance number 271 834 566") == "high");
    // A number failing the checksum is still dropped, capped or not.
    CHECK(confidence_of(fx, "271 834 567") == "none");

    r.confidence = "high";
    r.confidence_without_context = "medium";
    fx.install({r});
    CHECK(confidence_of(fx, "271 834 566") == "medium");
    CHECK(confidence_of(fx, "sin 271 834 566") == "high");

    // No cap (the default): bare matches keep what the base and checksum give.
    r.confidence = "medium";
    r.confidence_without_context.clear();
    fx.install({r});
    CHECK(confidence_of(fx, "271 834 566") == "high");
}

TEST_CASE("confidence_without_context is read, checked and written back", "[engine][confidence]") {
    const auto rules = parse_rule_pack(R"(
- name: sin
  regex: '\b\d{9}\b'
  confidence: low
  context: [sin]
  confidence_without_context: low
)", "pack.yaml");
    REQUIRE(rules.size() == 1);
    CHECK(rules[0].confidence_without_context == "low");
    const auto again = parse_rule_pack(write_rule_pack(rules), "export.yaml");
    REQUIRE(again.size() == 1);
    CHECK(again[0].confidence_without_context == "low");
    CHECK(write_rule_pack(again) == write_rule_pack(rules));
    CHECK(parse_rule_pack("- {name: a, regex: x}\n", "p.yaml")[0].confidence_without_context.empty());
    CHECK(write_rule_pack(parse_rule_pack("- {name: a, regex: x}\n", "p.yaml")).find("confidence_without_context") ==
          std::string::npos);

    Rule bad;
    bad.name = "b";
    bad.regex = "x";
    bad.confidence_without_context = "none";
    auto problems = rule_shape_problems(bad);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] == "confidence_without_context 'none' is not one of low, medium, high");
    CHECK(problems[1] == "confidence_without_context needs context words");
    bad.confidence_without_context = "low";
    bad.context = {"word"};
    bad.context_required = true;
    problems = rule_shape_problems(bad);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].starts_with("confidence_without_context has no effect with context_required"));

    try {
        parse_rule_pack("- name: a\n  regex: x\n  confidence_without_context: maybe\n  context: [w]\n", "pack.yaml");
        FAIL("expected a RulePackError");
    } catch (const RulePackError &e) {
        REQUIRE(e.problems().size() == 1);
        CHECK(e.problems()[0] ==
              "pack.yaml:3: rule 'a': confidence_without_context 'maybe' is not one of low, medium, high");
    }
}

TEST_CASE("context words of scripts without spaces are found inside longer words", "[engine][confidence]") {
    Fixture fx;
    Rule r = rule("passport", R"(\b([MS][0-9]{8})\b)");
    r.confidence = "low";
    r.context = {"passport", "여권", "หนังสือเดินทาง"};
    r.confidence_without_context = "low";
    fx.install({r});
    CHECK(confidence_of(fx, "여권번호는 M47129630입니다") == "medium");  // particle attached
    CHECK(confidence_of(fx, "เลขหนังสือเดินทางM47129630") == "medium");
    CHECK(confidence_of(fx, "passport: M47129630") == "medium");
    // ASCII words still need their boundaries.
    CHECK(confidence_of(fx, "passports M47129630") == "low");
    CHECK(confidence_of(fx, "xpassport2 M47129630") == "low");
}
