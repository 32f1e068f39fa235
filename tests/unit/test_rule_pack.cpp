// Rule packs: shape errors are reported with file, line and rule.
#include <catch2/catch.hpp>

#include "engine/rule_pack.hpp"
#include "test_support.hpp"

using namespace dlpd;

namespace {
std::vector<std::string> problems_of(const std::string &yaml) {
    try {
        parse_rule_pack(yaml, "pack.yaml");
    } catch (const RulePackError &e) {
        return e.problems();
    }
    return {};
}
}  // namespace

TEST_CASE("a pack is read with every field", "[pack]") {
    auto rules = parse_rule_pack(R"(rules:
  - name: visa
    regex: '\b4\d{15}\b'
    validators: [luhn]
    severity: high
    description: Visa card
    enabled: false
    examples:
      match: ["4111111111111111"]
      no_match: ["4111111111111112"]
  - name: plain
    regex: abc
)",
                                 "pack.yaml");
    REQUIRE(rules.size() == 2);
    CHECK(rules[0].name == "visa");
    CHECK(rules[0].regex == R"(\b4\d{15}\b)");
    CHECK(rules[0].validators == std::vector<std::string>{"luhn"});
    CHECK(rules[0].severity == "high");
    CHECK_FALSE(rules[0].enabled);
    CHECK(rules[0].examples_match.size() == 1);
    CHECK(rules[0].origin == "pack.yaml:2");
    CHECK(rules[1].severity == "medium");
    CHECK(rules[1].enabled);
    CHECK(rules[1].detector == "regex");
}

TEST_CASE("a top-level list of rules is a pack too", "[pack]") {
    CHECK(parse_rule_pack("- name: a\n  regex: x\n", "p").size() == 1);
}

TEST_CASE("broken YAML names the file, line and column", "[pack]") {
    auto p = problems_of("rules:\n  - name: a\n    regex: [unclosed\n");
    REQUIRE(p.size() == 1);
    CHECK_THAT(p[0], Catch::StartsWith("pack.yaml:") && Catch::Contains("invalid YAML"));
}

TEST_CASE("every shape problem is named with its line and rule", "[pack]") {
    auto p = problems_of(R"(rules:
  - name: a
    regex: x
    colour: red
  - name: a
    regex: y
  - regex: z
  - name: b
    severity: extreme
    validators: luhn
)");
    REQUIRE(p.size() == 6);
    CHECK(p[0] == "pack.yaml:4: rule 'a': unknown key 'colour' (known: name, regex, detector, validators, "
                  "severity, confidence, context, context_window, context_required, confidence_without_context, allow, "
                  "description, enabled, examples)");
    CHECK(p[1] == "pack.yaml:5: rule 'a': duplicate rule name (also at pack.yaml:2)");
    CHECK(p[2] == "pack.yaml:7: rule has no 'name'");
    CHECK(p[3] == "pack.yaml:8: rule 'b': rule has no 'regex'");
    CHECK(p[4] == "pack.yaml:10: rule 'b': 'validators' must be a list");
    CHECK(p[5] == "pack.yaml:9: rule 'b': severity 'extreme' is not one of low, medium, high, critical");
}

TEST_CASE("a document that is not a list of rules is refused", "[pack]") {
    CHECK_FALSE(problems_of("just a string").empty());
    CHECK_THAT(problems_of("rulez: []")[0], Catch::Contains("unknown key 'rulez'"));
}

TEST_CASE("a pack includes others, turns their rules on and off, and ships allowlist values", "[rules]") {
    test::TempDir tmp;
    tmp.write("packs/a.yaml", "rules:\n  - name: one\n    regex: x1\n  - name: two\n    regex: x2\n    enabled: false\n");
    tmp.write("packs/b.yaml", "allowlist: ['4539 1488 0343 6467']\nrules:\n  - name: three\n    regex: x3\n");
    auto top = tmp.write("top.yaml", "include: [packs/a.yaml, packs/b.yaml]\nenable: [two]\ndisable: [one]\n"
                                     "allowlist: [AKIAZ4M7QH2RXW5BTJ3K]\nrules:\n  - name: four\n    regex: x4\n"
                                     "    confidence: high\n    context: [alpha, beta gamma]\n    context_window: 32\n"
                                     "    context_required: true\n    allow: ['^x']\n    validators: ['entropy:2.5']\n");
    const RulePack pack = load_pack(top);
    REQUIRE(pack.rules.size() == 4);
    CHECK(pack.rules[0].name == "one");
    CHECK_FALSE(pack.rules[0].enabled);
    CHECK(pack.rules[1].enabled);
    CHECK(pack.rules[3].confidence == "high");
    CHECK(pack.rules[3].context == std::vector<std::string>{"alpha", "beta gamma"});
    CHECK(pack.rules[3].context_window == 32);
    CHECK(pack.rules[3].context_required);
    CHECK(pack.rules[3].allow == std::vector<std::string>{"^x"});
    CHECK(pack.allowlist == std::vector<std::string>{"4539 1488 0343 6467", "AKIAZ4M7QH2RXW5BTJ3K"});
    // What export writes reads back the same.
    const auto again = parse_rule_pack(write_rule_pack(pack.rules), "export.yaml");
    REQUIRE(again.size() == 4);
    CHECK(again[3].context == pack.rules[3].context);
    CHECK(again[3].context_window == 32);
    CHECK(again[3].context_required);
    CHECK(again[3].allow == pack.rules[3].allow);
    CHECK(again[3].confidence == "high");
    CHECK(again[3].validators == std::vector<std::string>{"entropy:2.5"});
}

TEST_CASE("includes that are missing, cyclic or name unknown rules are refused with file and line", "[rules]") {
    test::TempDir tmp;
    tmp.write("loop_a.yaml", "include: [loop_b.yaml]\n");
    tmp.write("loop_b.yaml", "include: [loop_a.yaml]\n");
    auto cyclic = tmp.write("start.yaml", "include: [loop_a.yaml]\n");
    auto missing = tmp.write("missing.yaml", "include: [nowhere.yaml]\ndisable: [ghost]\n");
    auto dup = tmp.write("dup.yaml", "include: [one.yaml]\nrules:\n  - name: same\n    regex: b\n");
    tmp.write("one.yaml", "rules:\n  - name: same\n    regex: a\n");
    auto problems = [](const std::filesystem::path &p) {
        try {
            load_pack(p);
        } catch (const RulePackError &e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK_THAT(problems(cyclic), Catch::Contains("makes a cycle"));
    CHECK_THAT(problems(missing), Catch::Contains("missing.yaml:1: cannot read the included pack") &&
                                      Catch::Contains("missing.yaml:2: disable names rule 'ghost'"));
    CHECK_THAT(problems(dup), Catch::Contains("rule 'same': duplicate rule name (also at"));
    CHECK_THAT(problems(tmp.write("wide.yaml", "- name: w\n  regex: x\n  context: [a]\n  context_window: 4096\n")),
               Catch::Contains("wide.yaml:4: rule 'w': context_window must be 1 to 1024 bytes"));
}
