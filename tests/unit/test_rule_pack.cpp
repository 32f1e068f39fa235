// Rule packs: shape errors are reported with file, line and rule.
#include <catch2/catch.hpp>

#include "engine/rule_pack.hpp"

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
