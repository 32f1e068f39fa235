// Shared by the file-type tests: an engine with the built plugins (regex,
// luhn, filetype) and a three-rule pack, planted sensitive items, findings as
// comparable records, and a Sink that collects what a reader produces.
#ifndef DLPD_TESTS_FILETYPE_SUPPORT_HPP
#define DLPD_TESTS_FILETYPE_SUPPORT_HPP

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "dispatch.hpp"
#include "extraction.hpp"
#include "type_detection.hpp"
#include "engine/scan_engine.hpp"
#include "test_support.hpp"

namespace dlpd::test::filetype {

// The pack the corpus tests use (also written to disk for the CLI).
inline const char *kPack = R"(rules:
  - name: card
    regex: '\b((?:4\d{3}|5[1-5]\d{2})(?:[ -]?\d{4}){3})\b'
    validators: [luhn]
    severity: high
  - name: us_ssn
    regex: '\b([0-8]\d{2}-\d{2}-\d{4})\b'
  - name: aws_key_id
    regex: '\b(AKIA[0-9A-Z]{16})\b'
    severity: critical
)";

inline std::vector<Rule> pack_rules() {
    Rule card;
    card.name = "card";
    card.regex = R"(\b((?:4\d{3}|5[1-5]\d{2})(?:[ -]?\d{4}){3})\b)";
    card.validators = {"luhn"};
    Rule ssn;
    ssn.name = "us_ssn";
    ssn.regex = R"(\b([0-8]\d{2}-\d{2}-\d{4})\b)";
    Rule aws;
    aws.name = "aws_key_id";
    aws.regex = R"(\b(AKIA[0-9A-Z]{16})\b)";
    return {card, ssn, aws};
}

// One finding as the tests compare them.
struct Hit {
    std::string path;
    std::string rule;
    std::string match;
    bool operator<(const Hit &o) const { return std::tie(path, rule, match) < std::tie(o.path, o.rule, o.match); }
    bool operator==(const Hit &o) const { return !(*this < o) && !(o < *this); }
};

inline std::ostream &operator<<(std::ostream &os, const Hit &h) {
    return os << "{" << h.path << " " << h.rule << " " << h.match << "}";
}

inline std::multiset<Hit> hits_of(const ScanResult &r) {
    std::multiset<Hit> out;
    for (const auto &f : r.findings) out.insert({f.path, f.rule, f.match});
    return out;
}

inline std::string describe(const ScanResult &r) {
    std::string s;
    for (const auto &d : r.diagnostics)
        s += "  [" + d.path + "] " + d.source + " " + std::to_string(d.status) + " " + d.subject + ": " + d.message +
             "\n";
    return s;
}

// Distinct sensitive items, each a match of one rule of kPack.
class Planter {
public:
    explicit Planter(uint32_t seed) : rng_(seed) {}

    std::string card() {
        while (true) {
            std::string digits = "4";
            for (int i = 0; i < 14; ++i) digits += static_cast<char>('0' + rng_() % 10);
            digits += test::luhn_check_digit(digits);
            std::string spaced =
                digits.substr(0, 4) + " " + digits.substr(4, 4) + " " + digits.substr(8, 4) + " " + digits.substr(12);
            if (used_.insert(spaced).second) return spaced;
        }
    }
    // A card number whose check digit is wrong: the luhn validator drops it.
    std::string bad_card() {
        std::string c = card();
        c.back() = static_cast<char>('0' + (c.back() - '0' + 1) % 10);
        return c;
    }
    std::string ssn() {
        while (true) {
            std::string s = std::to_string(100 + rng_() % 700) + "-" + two() + "-" + two() + two();
            if (used_.insert(s).second) return s;
        }
    }
    std::string aws() {
        while (true) {
            std::string s = "AKIA";
            for (int i = 0; i < 16; ++i) s += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[rng_() % 32];
            if (used_.insert(s).second) return s;
        }
    }

private:
    std::string two() { return std::to_string(10 + rng_() % 90); }
    std::mt19937 rng_;
    std::set<std::string> used_;
};

// The engine as dlpd scan builds it, with the built-in plugins.
struct Engine {
    explicit Engine(std::map<std::string, PluginSettings> settings = {}, EngineLimits limits = {}) {
        registry.load_directory(kPluginDir);
        REQUIRE(registry.refused().empty());
        REQUIRE(registry.find_by_name("filetype") != nullptr);
        engine = std::make_unique<ScanEngine>(registry, std::move(settings), limits);
        REQUIRE(engine->startup_problems().empty());
        REQUIRE(engine->set_rules(pack_rules()).empty());
    }
    ScanResult scan(const std::string &data, const std::string &name) const { return engine->scan(data, name); }
    PluginRegistry registry;
    std::unique_ptr<ScanEngine> engine;
};

// What a reader produced, for tests that drive the readers directly.
struct Collected final : dlpd::filetype::Sink {
    struct Diagnostic {
        int32_t level, status;
        std::string subject, message;
    };
    int32_t text(std::string_view t, std::string_view location) override {
        texts.emplace_back(std::string(location), std::string(t));
        return DLPD_OK;
    }
    int32_t blob(std::string_view data, std::string_view name, std::string_view) override {
        blobs.emplace_back(std::string(name), std::string(data));
        return DLPD_OK;
    }
    void diagnostic(int32_t level, int32_t status, std::string_view subject, std::string_view message) override {
        diagnostics.push_back({level, status, std::string(subject), std::string(message)});
    }
    std::string all_text() const {
        std::string s;
        for (const auto &t : texts) s += t.second + "\n";
        return s;
    }
    std::string all_diagnostics() const {
        std::string s;
        for (const auto &d : diagnostics) s += std::to_string(d.status) + " " + d.subject + ": " + d.message + "\n";
        return s;
    }
    std::vector<std::pair<std::string, std::string>> texts;  // location, text
    std::vector<std::pair<std::string, std::string>> blobs;  // name, data
    std::vector<Diagnostic> diagnostics;
};

// Runs the whole extractor on data, as the plugin does.
inline Collected extract(const std::string &data, const std::string &name, dlpd::filetype::Limits limits = {}) {
    Collected out;
    dlpd::filetype::MagicPool magic;
    dlpd::filetype::Extraction x(
        limits, out, [] { return uint64_t{1}; }, 0, 0, name);
    dlpd::filetype::extract_blob(x, magic, data, {});
    return out;
}

// A diagnostic about `path` with this status whose "subject: message" holds text.
inline bool has_diagnostic(const ScanResult &r, const std::string &path, int32_t status, const std::string &text) {
    for (const auto &d : r.diagnostics)
        if (d.path == path && d.status == status && (d.subject + ": " + d.message).find(text) != std::string::npos)
            return true;
    return false;
}

}  // namespace dlpd::test::filetype

#endif
