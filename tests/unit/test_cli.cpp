// `dlpd scan` and `dlpd plugins` as a user runs them: a generated corpus in
// a folder tree, every planted item found and nothing else, Luhn-failing
// card numbers not reported, masking, formats and exit codes.
#include <catch2/catch.hpp>

#include <random>
#include <regex>
#include <set>
#include <tuple>

#include "test_support.hpp"

using namespace dlpd;
using test::run;

namespace {

const char *kPack = R"(rules:
  - name: card
    regex: '\b((?:4\d{3}|5[1-5]\d{2})(?:[ -]?\d{4}){3})\b'
    validators: [luhn]
    severity: high
    examples:
      match: ["4539 1488 0343 6467"]
      no_match: ["4111 1111 1111 1112"]
  - name: us_ssn
    regex: '\b([0-8]\d{2}-\d{2}-\d{4})\b'
  - name: aws_key_id
    regex: '\b(AKIA[0-9A-Z]{16})\b'
    severity: critical
)";

std::string luhn_complete(const std::string &digits15) { return digits15 + test::luhn_check_digit(digits15); }

struct Planted {
    std::string path;
    uint64_t line;
    std::string rule;
    std::string match;
    bool operator<(const Planted &o) const {
        return std::tie(path, line, rule, match) < std::tie(o.path, o.line, o.rule, o.match);
    }
    bool operator==(const Planted &o) const { return !(*this < o) && !(o < *this); }
};

// Writes a corpus of chat-like lines into dir/{a,b/c}/*.txt; about one line
// in 200 carries an item. Returns the planted items expected in the output.
std::vector<Planted> write_corpus(const test::TempDir &dir, std::vector<std::string> &decoys) {
    std::mt19937 rng(1234);
    const std::vector<std::string> words = {"the", "deploy", "is", "done", "ping", "me", "when", "ready", "order",
                                            "12345", "at", "10:42", "v1.2.3", "ticket", "OPS-4411", "thanks",
                                            "build", "a1b2c3d4e5f6", "call", "+1 415 555 0100", "lunch?", "ok"};
    auto digits = [&](size_t n) {
        std::string s;
        for (size_t i = 0; i < n; ++i) s += char('0' + rng() % 10);
        return s;
    };
    std::vector<Planted> planted;
    const std::vector<std::string> files = {"a/one.txt", "a/two.log", "b/c/three.txt", "b/four.md"};
    for (const auto &name : files) {
        std::string content;
        for (uint64_t line = 1; line <= 2500; ++line) {
            std::string text;
            for (int w = 0; w < 8; ++w) text += words[rng() % words.size()] + " ";
            if (rng() % 200 == 0) {
                std::string item, rule;
                switch (rng() % 4) {
                case 0: {
                    std::string card = luhn_complete((rng() % 2 ? "4" : "5" + std::to_string(1 + rng() % 5)) +
                                                     digits(rng() % 2 ? 14 : 13));
                    if (card.size() != 16) card = luhn_complete("4" + digits(14));
                    item = card.substr(0, 4) + " " + card.substr(4, 4) + " " + card.substr(8, 4) + " " + card.substr(12);
                    rule = "card";
                    break;
                }
                case 1: {
                    std::string card = luhn_complete("4" + digits(14));
                    card[15] = char('0' + (card[15] - '0' + 1 + rng() % 9) % 10);  // breaks Luhn
                    decoys.push_back(card);
                    text += "decoy " + card;
                    break;
                }
                case 2:
                    item = std::to_string(100 + rng() % 700) + "-" + digits(2) + "-" + digits(4);
                    rule = "us_ssn";
                    break;
                default: {
                    item = "AKIA";
                    const char *alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
                    for (int i = 0; i < 16; ++i) item += alnum[rng() % 36];
                    rule = "aws_key_id";
                }
                }
                if (!item.empty()) {
                    text += "look: " + item + " ok";
                    planted.push_back({(dir.path() / name).string(), line, rule, item});
                }
            }
            content += text + "\n";
        }
        dir.write(name, content);
    }
    return planted;
}

std::vector<Planted> parse_jsonl(const std::string &out) {
    static const std::regex finding(
        R"re(\{"type":"finding","path":"([^"]*)","rule":"([^"]*)".*"line":(\d+),.*"match":"([^"]*)")re");
    std::vector<Planted> got;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_search(line, m, finding)) got.push_back({m[1], std::stoull(m[3]), m[2], m[4]});
    }
    return got;
}

}  // namespace

TEST_CASE("dlpd scan finds every planted item in a folder tree and nothing else", "[cli]") {
    test::TempDir tmp;
    auto pack = tmp.write("pack.yaml", kPack);
    test::TempDir corpus;
    std::vector<std::string> decoys;
    auto planted = write_corpus(corpus, decoys);
    REQUIRE(planted.size() > 20);
    REQUIRE(decoys.size() > 5);

    auto r = run(test::dlpd_command() + " scan --format jsonl --reveal --patterns " + test::quote(pack.string()) +
                 " " + test::quote(corpus.path().string()));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    auto got = parse_jsonl(r.out);
    std::sort(got.begin(), got.end());
    std::sort(planted.begin(), planted.end());
    CHECK(got.size() == planted.size());
    CHECK(got == planted);
    // Card-shaped numbers that fail Luhn are never reported.
    for (const auto &d : decoys) CHECK(r.out.find(d) == std::string::npos);
}

TEST_CASE("matches are masked unless --reveal is given", "[cli]") {
    test::TempDir tmp;
    auto pack = tmp.write("pack.yaml", kPack);
    auto r = run(test::dlpd_command() + " scan --patterns " + test::quote(pack.string()) + " -",
                 "key AKIAZ4M7QH2RXW5BTJ3K and card 4539 1488 0343 6467\n");
    CHECK(r.exit_code == 1);
    // The card is confirmed by a checksum validator, which raises the
    // rule's base confidence (medium) by one level.
    CHECK(r.out == "-:1:5: critical aws_key_id (regex; medium confidence): ****************TJ3K\n"
                   "-:1:35: high card (regex, confirmed by luhn; high confidence): **** **** **** 6467\n");
    CHECK(r.out.find("AKIAZ4M7QH2RXW5BTJ3K") == std::string::npos);
}

TEST_CASE("the seed system's classic pattern works unchanged: group 1 is the card", "[cli]") {
    test::TempDir tmp;
    auto pack = tmp.write("seed.yaml", "- name: seed_visa\n"
                                       "  regex: '.*(4[0-9]{3} [0-9]{4} [0-9]{4} (?:[0-9]{4})?).*'\n"
                                       "  validators: [luhn]\n");
    auto r = run(test::dlpd_command() + " scan --reveal --format jsonl --patterns " + test::quote(pack.string()) + " -",
                 "hi\nplease charge 4539 1488 0343 6467 today\nor 4111 1111 1111 1112\n");
    CHECK(r.exit_code == 1);
    auto got = parse_jsonl(r.out);
    REQUIRE(got.size() == 1);
    CHECK(got[0].line == 2);
    CHECK(got[0].match == "4539 1488 0343 6467");
    CHECK_THAT(r.out, Catch::Contains("\"column\":15"));
}

TEST_CASE("exit status: 0 for clean input, 1 for findings, 2 for errors", "[cli]") {
    test::TempDir tmp;
    auto pack = tmp.write("pack.yaml", kPack);
    auto clean = tmp.write("clean/a.txt", "nothing to see, order 12345, card 4111 1111 1111 1112\n");
    const std::string scan = test::dlpd_command() + " scan --patterns " + test::quote(pack.string()) + " ";
    CHECK(run(scan + test::quote(clean.string())).exit_code == 0);
    CHECK(run(scan + "-", "AKIAZ4M7QH2RXW5BTJ3K").exit_code == 1);

    auto missing = run(scan + test::quote(clean.string()) + " /no/such/file");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("/no/such/file") && Catch::Contains("no such file"));

    CHECK(run(test::dlpd_command() + " scan --format xml -").exit_code == 2);
    CHECK(run(test::dlpd_command() + " scan").exit_code == 2);
}

TEST_CASE("a broken rule pack is an error that names the file, line and rule", "[cli]") {
    test::TempDir tmp;
    auto bad_regex = tmp.write("bad.yaml", "rules:\n  - name: fine\n    regex: abc\n  - name: broken_rule\n    regex: 'a(b'\n");
    auto r = run(test::dlpd_command() + " scan --patterns " + test::quote(bad_regex.string()) + " -", "abc");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(bad_regex.string() + ":4: rule 'broken_rule': missing )"));
    CHECK(r.out.empty());

    auto bad_example = tmp.write("ex.yaml", "rules:\n  - name: digits\n    regex: '\\d{4}'\n"
                                            "    examples:\n      match: [abcd]\n");
    r = run(test::dlpd_command() + " scan --patterns " + test::quote(bad_example.string()) + " -", "abc");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("rule 'digits': examples.match[0] is not matched"));

    auto bad_validator = tmp.write("v.yaml", "- name: v\n  regex: x\n  validators: [nosuch]\n");
    r = run(test::dlpd_command() + " scan --patterns " + test::quote(bad_validator.string()) + " -", "x");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("rule 'v': validator 'nosuch' is not loaded"));
}

TEST_CASE("plugin settings given with --set reach the plugin and are checked", "[cli]") {
    test::TempDir tmp;
    std::string pack = "rules:\n";
    for (int i = 0; i < 300; ++i)
        pack += "  - name: r" + std::to_string(i) + "\n    regex: '(?i)[\\w.-]{0,50}?kw" + std::to_string(i) +
                "[ \\t\\w.-]{0,20}[=:]([a-z0-9_-]{32})'\n";
    auto file = tmp.write("big.yaml", pack);
    const std::string scan = test::dlpd_command() + " scan --patterns " + test::quote(file.string()) + " ";
    CHECK(run(scan + "-", "nothing").exit_code == 0);
    auto tight = run(scan + "--set regex.max_mem_mb=1 --set regex.simplify_set=false -", "nothing");
    CHECK(tight.exit_code == 2);
    CHECK_THAT(tight.err, Catch::Contains("exceed the regex memory budget (max_mem_mb=1)"));
    auto unknown = run(scan + "--set regex.colour=red -", "nothing");
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("unknown key 'colour' for plugin regex"));
    CHECK(run(scan + "--set nodot -", "x").exit_code == 2);
}

TEST_CASE("SARIF output is one JSON document with the results", "[cli]") {
    test::TempDir tmp;
    auto pack = tmp.write("pack.yaml", kPack);
    auto r = run(test::dlpd_command() + " scan --format sarif --patterns " + test::quote(pack.string()) + " -",
                 "a AKIAZ4M7QH2RXW5BTJ3K\nb 123-45-6789\n");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::StartsWith("{\"$schema\"") && Catch::Contains("\"ruleId\":\"aws_key_id\"") &&
                          Catch::Contains("\"ruleId\":\"us_ssn\""));
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
}

TEST_CASE("the starter pack loads, its examples pass, and it finds its check file exactly", "[cli]") {
    const auto check = test::kSourceDir / "tests" / "data" / "starter_pack_check.txt";
    const auto expected_file = test::kSourceDir / "tests" / "data" / "starter_pack_check.expected";
    auto r = run(test::dlpd_command() + " scan --format jsonl " + test::quote(check.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    std::multiset<std::pair<uint64_t, std::string>> got, want;
    for (const auto &f : parse_jsonl(r.out)) got.insert({f.line, f.rule});
    std::istringstream in(test::slurp(expected_file));
    uint64_t line;
    std::string rule;
    while (in >> line >> rule) want.insert({line, rule});
    REQUIRE(want.size() > 20);
    CHECK(got == want);
}

TEST_CASE("dlpd plugins lists loaded plugins and refused ones with the reason", "[cli]") {
    auto r = run(test::dlpd_command() + " plugins");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("regex 1.0.0  ABI 1.1  [detector]") &&
                          Catch::Contains("luhn 1.0.0  ABI 1.1  [validator:luhn]") && Catch::Contains("refused (0)"));
    auto broken = run(test::dlpd_command() + " plugins --plugin-dir " + test::quote(test::kBrokenDir.string()));
    CHECK_THAT(broken.out, Catch::Contains("refused (7)") &&
                               Catch::Contains("abi_major.so: ABI major mismatch: the plugin was built for ABI 2.1"));
}
