// rules_gen: writes the rule sets of the engine benchmark, each in three
// forms, into one directory:
//
//   NAME.yaml    a rule pack in the format of config/patterns.yaml (what dlpd loads)
//   NAME.txt     the same patterns, one regex per line (naive loop, Hyperscan)
//   NAME.rg.txt  each line prefixed with (?-u), for `rg -f`: ASCII \b \w \d
//                and case folding, the semantics RE2 gives them
//
// Sets:
//   synN       N synthetic keyword-anchored rules (N from --sizes, default
//              10,100,1000,10000) in five shapes, cycling:
//                (?i)\b(?:project|codename|initiative)[ _-]?KW\b
//                (?i)\bKW[_-]?(?:api[_-]?)?(?:key|token|secret)\s*[:=]\s*["']?([A-Za-z0-9/+_-]{20,64})
//                \bABCD-\d{6,10}\b
//                \bkwxyz_[A-Za-z0-9]{24,40}\b
//                (?i)\bKW\s+(?:acct|account|customer)\s*(?:no|number|id)?\s*[:#=]?\s*(\d{8,12})\b
//              KW is a random string of lowercase letters (6 to 9), ABCD of
//              4 to 6 upper-case letters, kwxyz of 5 lowercase letters: the
//              corpus never contains them, so these rules never fire and the
//              sets measure the cost of a scan that finds nothing.
//   starter    the starter pack as dlpd ships it (--patterns, default the
//              source tree's config/patterns.yaml with the packs it
//              includes): NAME.yaml is a pack that includes that file by
//              its absolute path, so loading it gives the same rules,
//              enable/disable switches and value allowlist as dlpd does.
//   realistic  the same include plus --keyword-rules (default 300)
//              keyword-anchored rules as above.
//
//   rules_gen --out DIR [--patterns FILE] [--sizes LIST] [--keyword-rules N] [--seed S]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench_random.hpp"
#include "engine/rule_pack.hpp"

#ifndef DLPD_SOURCE_DIR
#define DLPD_SOURCE_DIR "."
#endif

namespace {

namespace fs = std::filesystem;
using dlpd::bench::Random;

// The generator builds dlpd's own rule type and writes it with dlpd's own
// pack writer, so what it writes is what dlpd reads.
using GenRule = dlpd::Rule;

class KeywordRules {
public:
    explicit KeywordRules(uint64_t seed) : rng_(seed) {}

    // Rule i of the cycle of five shapes, named prefix + number.
    GenRule make(size_t i, const std::string &prefix) {
        GenRule r;
        char name[64];
        std::snprintf(name, sizeof name, "%s%05zu", prefix.c_str(), i);
        r.name = name;
        switch (i % 5) {
            case 0:
                r.regex = R"((?i)\b(?:project|codename|initiative)[ _-]?)" + keyword() + R"(\b)";
                r.description = "internal project name";
                break;
            case 1:
                r.regex = R"((?i)\b)" + keyword() +
                          R"([_-]?(?:api[_-]?)?(?:key|token|secret)\s*[:=]\s*["']?([A-Za-z0-9/+_-]{20,64}))";
                r.description = "vendor credential";
                r.severity = "high";
                break;
            case 2:
                r.regex = R"(\b)" + unique(dlpd::bench::kUpper, 4, 6) + R"(-\d{6,10}\b)";
                r.description = "internal record id";
                r.severity = "low";
                break;
            case 3:
                r.regex = R"(\b)" + unique(dlpd::bench::kLower, 5, 5) + R"(_[A-Za-z0-9]{24,40}\b)";
                r.description = "internal token";
                r.severity = "high";
                break;
            default:
                r.regex = R"((?i)\b)" + keyword() +
                          R"(\s+(?:acct|account|customer)\s*(?:no|number|id)?\s*[:#=]?\s*(\d{8,12})\b)";
                r.description = "customer account number";
                break;
        }
        return r;
    }

private:
    std::string keyword() { return unique(dlpd::bench::kLower, 6, 9); }
    std::string unique(const std::string &alphabet, size_t min_len, size_t max_len) {
        for (;;) {
            const size_t len = rng_.between(min_len, max_len);
            std::string k = rng_.chars(alphabet, len);
            if (used_.insert(k).second) return k;
        }
    }
    Random rng_;
    std::set<std::string> used_;
};

std::vector<GenRule> synthetic(size_t n, uint64_t seed, const std::string &prefix) {
    KeywordRules gen(seed);
    std::vector<GenRule> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) out.push_back(gen.make(i, prefix));
    return out;
}

// Reads the starter pack with dlpd's own reader, includes resolved.
dlpd::RulePack read_pack(const fs::path &file) { return dlpd::load_pack(file); }

void write_file(const fs::path &path, const std::string &text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
    if (!f.flush()) throw std::runtime_error("cannot write " + path.string());
}

// Writes NAME.yaml, NAME.txt and NAME.rg.txt; checks that dlpd's own
// parser accepts the pack. With `include` set, NAME.yaml includes that pack
// (by absolute path) and holds only `own` of the rules, the last ones:
// `rules` is then what dlpd reads from NAME.yaml, included rules first.
void write_set(const fs::path &dir, const std::string &set, const std::vector<GenRule> &rules,
               const std::string &origin, const fs::path &include = {}, size_t own = 0) {
    std::string plain, rg;
    size_t skipped = 0;
    for (const GenRule &r : rules) {
        // The plain lists hold what the engine scans with: enabled regex rules.
        if (!r.enabled || r.detector != "regex" || r.regex.find_first_of("\r\n") != std::string::npos) {
            ++skipped;
            std::fprintf(stderr, "rules_gen: %s: rule '%s' is not in the plain pattern lists (%s)\n", set.c_str(),
                         r.name.c_str(),
                         !r.enabled              ? "disabled"
                         : r.detector != "regex" ? "not a regex rule"
                                                 : "has a line break");
            continue;
        }
        plain += r.regex + "\n";
        rg += "(?-u)" + r.regex + "\n";
    }
    const fs::path yaml_path = dir / (set + ".yaml");
    std::string yaml = "# Generated by bench/rules_gen (" + origin + "). Do not edit.\n";
    if (include.empty()) {
        yaml += dlpd::write_rule_pack(rules);
    } else {
        // A single-quoted YAML scalar: a quote is written twice.
        std::string quoted;
        for (char c : fs::absolute(include).lexically_normal().string()) quoted += c == '\'' ? "''" : std::string(1, c);
        yaml += "include:\n  - '" + quoted + "'\n";
        if (own > 0)
            yaml += dlpd::write_rule_pack(std::vector<GenRule>(rules.end() - static_cast<std::ptrdiff_t>(own), rules.end()));
    }
    write_file(yaml_path, yaml);
    write_file(dir / (set + ".txt"), plain);
    write_file(dir / (set + ".rg.txt"), rg);
    // The pack must load in dlpd exactly as written.
    const auto loaded = dlpd::load_rule_pack(yaml_path);
    if (loaded.size() != rules.size()) throw std::runtime_error(yaml_path.string() + ": rule count changed on reload");
    for (size_t i = 0; i < rules.size(); ++i)
        if (loaded[i].regex != rules[i].regex || loaded[i].name != rules[i].name)
            throw std::runtime_error(yaml_path.string() + ": rule '" + rules[i].name + "' changed on reload");
    std::fprintf(stderr, "rules_gen: %s: %zu rules (%zu in the plain lists)\n", yaml_path.c_str(), rules.size(),
                 rules.size() - skipped);
}

[[noreturn]] void usage(const char *why) {
    std::fprintf(stderr,
                 "%s\nusage: rules_gen --out DIR [--patterns FILE] [--sizes LIST] [--keyword-rules N] [--seed S]\n"
                 "  --patterns FILE     the starter pack, for the starter and realistic sets (default %s/config/patterns.yaml)\n"
                 "  --sizes LIST        synthetic set sizes, default 10,100,1000,10000\n"
                 "  --keyword-rules N   keyword rules added to the realistic set, default 300\n"
                 "  --seed S            default 7\n",
                 why, DLPD_SOURCE_DIR);
    std::exit(2);
}

}  // namespace

int main(int argc, char **argv) {
    fs::path out_dir;
    fs::path patterns = fs::path(DLPD_SOURCE_DIR) / "config" / "patterns.yaml";
    std::vector<size_t> sizes = {10, 100, 1000, 10000};
    size_t keyword_rules = 300;
    uint64_t seed = 7;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value for " + a).c_str());
            return argv[++i];
        };
        if (a == "--out")
            out_dir = value();
        else if (a == "--patterns")
            patterns = value();
        else if (a == "--sizes") {
            sizes.clear();
            std::stringstream ss(value());
            for (std::string item; std::getline(ss, item, ',');)
                if (!item.empty()) sizes.push_back(std::strtoull(item.c_str(), nullptr, 10));
        } else if (a == "--keyword-rules")
            keyword_rules = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--seed")
            seed = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "-h" || a == "--help")
            usage("rules_gen: rule sets for the engine benchmark");
        else
            usage(("unknown argument " + a).c_str());
    }
    if (out_dir.empty()) usage("--out is required");
    try {
        fs::create_directories(out_dir);
        for (size_t n : sizes) {
            // One seed per size, so syn1000 does not change when syn100 does.
            write_set(out_dir, "syn" + std::to_string(n), synthetic(n, seed * 1000003 + n, "syn_"),
                      std::to_string(n) + " synthetic keyword rules, seed " + std::to_string(seed));
        }
        const dlpd::RulePack pack = read_pack(patterns);
        std::vector<GenRule> realistic = pack.rules;
        const size_t from_pack = realistic.size();
        write_set(out_dir, "starter", realistic,
                  "the starter pack " + patterns.string() + " with its includes: " + std::to_string(from_pack) +
                      " rules, " + std::to_string(pack.allowlist.size()) + " allowlist values",
                  patterns, 0);
        std::set<std::string> names;
        for (const auto &r : realistic) names.insert(r.name);
        for (GenRule &r : synthetic(keyword_rules, seed * 1000003 + 999, "kw_")) {
            if (names.count(r.name))
                throw std::runtime_error("rule name " + r.name + " is already in " + patterns.string());
            realistic.push_back(std::move(r));
        }
        write_set(out_dir, "realistic", realistic,
                  std::to_string(from_pack) + " rules of " + patterns.string() + " + " + std::to_string(keyword_rules) +
                      " keyword rules",
                  patterns, keyword_rules);
    } catch (const dlpd::RulePackError &e) {
        std::fprintf(stderr, "rules_gen: the generated pack does not load in dlpd:\n%s\n", e.what());
        return 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "rules_gen: %s\n", e.what());
        return 1;
    }
    return 0;
}
