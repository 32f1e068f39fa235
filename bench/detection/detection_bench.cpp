// detection_bench: recall and false-positive rate of a rule pack on the
// labelled corpus in bench/detection/corpus (see bench/detection/README.md).
//
// The engine is set up as `dlpd scan` sets it up: the plugins from the
// build's lib/dlpd/plugins (or --plugin-dir), one ScanEngine, the rule pack
// through load_rule_pack and set_rules. Every sample goes through
// ScanEngine::scan_text, the entry point for chat messages, validators
// included. kinds.yaml says which rules count for which kind:
//
//   a positive is detected       when a rule of its kind fires on it;
//   a negative is a false positive when a rule of its kind fires on it;
//   "any rule" counts a negative on which any rule at all fires.
//
// Every figure is given at two thresholds: any confidence (what dlpd
// records) and medium or higher (what the default policy acts on: deletes,
// notifies; policy.min_confidence_delete / _notify default to medium).
//
// The report (Markdown) goes to standard output; --readme FILE also puts it
// between the detection-bench markers of FILE. --show-dev N prints up to N
// missed positives and false positives of each kind from the dev split on
// standard error; held-out texts are never printed.
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "engine/plugin_registry.hpp"
#include "engine/rule_pack.hpp"
#include "engine/scan_engine.hpp"
#include "log.hpp"
#include "runtime/engine_setup.hpp"

namespace fs = std::filesystem;

namespace {

constexpr const char *kUsage = R"(usage: detection_bench [OPTIONS]

options:
  --patterns FILE    rule pack (default: config/patterns.yaml of the source tree)
  --kinds FILE       kind -> rules mapping (default: bench/detection/kinds.yaml)
  --corpus DIR       folder of *.tsv samples (default: bench/detection/corpus)
  --plugin-dir DIR   load plugins from DIR (repeatable; default: the build's lib/dlpd/plugins)
  --title TEXT       heading of the report (default: the pack's file name)
  --readme FILE      also write the report into FILE between
                     <!-- detection-bench:begin --> and <!-- detection-bench:end -->
  --show-dev N       print up to N dev misses and false positives per kind on stderr
)";

const char *const kBegin = "<!-- detection-bench:begin -->";
const char *const kEnd = "<!-- detection-bench:end -->";
const char *const kMessageName = "C0123ABCD/1712345678.000100";

struct Options {
    fs::path patterns = fs::path(DLPD_SOURCE_DIR) / "config" / "patterns.yaml";
    fs::path kinds = fs::path(DLPD_SOURCE_DIR) / "bench" / "detection" / "kinds.yaml";
    fs::path corpus = fs::path(DLPD_SOURCE_DIR) / "bench" / "detection" / "corpus";
    std::vector<fs::path> plugin_dirs;
    std::string title;
    std::optional<fs::path> readme;
    size_t show_dev = 0;
};

struct Sample {
    std::string kind;
    bool positive = false;
    bool heldout = false;
    std::string source;
    std::string text;
};

// One kind's rule selectors: exact names, and regexes (entries starting with ^).
struct KindRules {
    std::set<std::string> names;
    std::vector<std::regex> patterns;
    bool covers(const std::string &rule) const {
        if (names.count(rule) != 0) return true;
        return std::any_of(patterns.begin(), patterns.end(),
                           [&](const std::regex &re) { return std::regex_search(rule, re); });
    }
};

// The two thresholds: [0] any confidence (recorded), [1] medium or higher
// (acted on by the default policy).
constexpr int kThresholds = 2;

int confidence_rank(const std::string &c) { return c == "low" ? 0 : c == "high" ? 2 : 1; }

struct Counts {
    size_t positives = 0, negatives = 0;
    std::array<size_t, kThresholds> detected{}, kind_fp{}, any_fp{};
    void add(const Counts &o) {
        positives += o.positives;
        negatives += o.negatives;
        for (int t = 0; t < kThresholds; ++t) {
            detected[t] += o.detected[t];
            kind_fp[t] += o.kind_fp[t];
            any_fp[t] += o.any_fp[t];
        }
    }
};

std::string unescape(const std::string &s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        const char c = s[++i];
        out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
    }
    return out;
}

std::vector<Sample> load_corpus(const fs::path &dir) {
    std::vector<fs::path> files;
    for (const auto &e : fs::directory_iterator(dir))
        if (e.path().extension() == ".tsv") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<Sample> samples;
    for (const auto &file : files) {
        std::ifstream in(file);
        std::string line;
        size_t number = 0;
        while (std::getline(in, line)) {
            ++number;
            if (line.empty() || line[0] == '#') continue;
            std::vector<std::string> cols;
            size_t start = 0;
            for (int i = 0; i < 4; ++i) {
                const size_t tab = line.find('\t', start);
                if (tab == std::string::npos) break;
                cols.push_back(line.substr(start, tab - start));
                start = tab + 1;
            }
            if (cols.size() != 4 || (cols[1] != "pos" && cols[1] != "neg") ||
                (cols[2] != "dev" && cols[2] != "heldout"))
                throw std::runtime_error(file.string() + ":" + std::to_string(number) +
                                         ": expected kind, pos|neg, dev|heldout, source, text");
            samples.push_back({cols[0], cols[1] == "pos", cols[2] == "heldout", cols[3], unescape(line.substr(start))});
        }
    }
    return samples;
}

std::map<std::string, KindRules> load_kinds(const fs::path &file) {
    const YAML::Node root = YAML::LoadFile(file.string());
    const YAML::Node kinds = root["kinds"];
    if (!kinds || !kinds.IsMap()) throw std::runtime_error(file.string() + ": expected a `kinds:` mapping");
    std::map<std::string, KindRules> out;
    for (const auto &entry : kinds) {
        KindRules &rules = out[entry.first.as<std::string>()];
        if (entry.second.IsNull()) continue;
        for (const auto &item : entry.second) {
            const auto text = item.as<std::string>();
            if (text.starts_with("^")) rules.patterns.emplace_back(text, std::regex::ECMAScript);
            else rules.names.insert(text);
        }
    }
    return out;
}

std::string fraction(size_t part, size_t whole) {
    if (whole == 0) return "–";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(part) / static_cast<double>(whole));
    return buf;
}

std::string source_of(const std::string &source) {
    return source.substr(0, source.find_first_of("@:"));
}

class DetectionBench {
public:
    explicit DetectionBench(Options o) : o_(std::move(o)) {}

    int run() {
        set_min_log_level(dlpd::LogLevel::warning);
        const auto samples = load_corpus(o_.corpus);
        const auto kinds = load_kinds(o_.kinds);
        for (const auto &d : o_.plugin_dirs.empty() ? dlpd::default_plugin_dirs() : o_.plugin_dirs)
            registry_.load_directory(d);
        // A short run: the regex plugin's background Hyperscan build would
        // only delay the exit, as for `dlpd scan`.
        std::map<std::string, dlpd::PluginSettings> settings;
        settings["regex"]["prefilter"] = {"none"};
        dlpd::ScanEngine engine(registry_, settings);
        for (const auto &p : engine.startup_problems()) std::cerr << "detection_bench: warning: " << p << "\n";
        const auto rules = dlpd::load_rule_pack(o_.patterns);
        if (const auto problems = engine.set_rules(rules); !problems.empty()) {
            for (const auto &p : problems) std::cerr << "detection_bench: error: " << dlpd::describe(p) << "\n";
            return 2;
        }
        // Failing examples are reported, not fatal: the figures say how the
        // pack behaves as it is.
        for (const auto &p : engine.check_examples(rules))
            std::cerr << "detection_bench: warning: " << dlpd::describe(p) << "\n";
        std::vector<std::string> enabled;
        for (const auto &r : rules)
            if (r.enabled) enabled.push_back(r.name);

        std::map<std::string, std::array<Counts, 2>> by_kind;  // [dev, heldout]
        std::map<std::string, std::array<Counts, 2>> by_source;
        std::map<std::string, std::set<std::string>> kind_sources;
        std::map<std::string, std::vector<std::string>> shown;
        for (const auto &s : samples) {
            const auto result = engine.scan_text(s.text, kMessageName);
            // The highest confidence of a finding of the sample's kind, and of
            // any finding; -1 when none.
            int of_kind = -1, any = -1;
            const auto it = kinds.find(s.kind);
            for (const auto &f : result.findings) {
                const int rank = confidence_rank(f.confidence);
                any = std::max(any, rank);
                if (it != kinds.end() && it->second.covers(f.rule)) of_kind = std::max(of_kind, rank);
            }
            Counts c;
            (s.positive ? c.positives : c.negatives) = 1;
            for (int t = 0; t < kThresholds; ++t) {
                // Threshold t: any finding (rank >= 0), or medium and up (rank >= 1).
                if (s.positive) c.detected[t] = of_kind >= t ? 1 : 0;
                else {
                    c.kind_fp[t] = of_kind >= t ? 1 : 0;
                    c.any_fp[t] = any >= t ? 1 : 0;
                }
            }
            by_kind[s.kind][s.heldout ? 1 : 0].add(c);
            by_source[source_of(s.source)][s.heldout ? 1 : 0].add(c);
            kind_sources[s.kind].insert(source_of(s.source));
            // Dev only: positives not acted on ("missed": no finding of the
            // kind; "low": found at low confidence only), negatives on which
            // anything fires.
            const bool show = s.positive ? of_kind < 1 : any >= 0;
            if (!s.heldout && o_.show_dev > 0 && show) {
                auto &list = shown[s.kind];
                if (list.size() < o_.show_dev) {
                    std::string fired;
                    for (const auto &f : result.findings)
                        fired += (fired.empty() ? "" : ",") + f.rule + "=" + f.confidence;
                    const char *what = !s.positive ? "fired " : of_kind < 0 ? "missed" : "low   ";
                    list.push_back(std::string(what) + " [" + fired + "] " + s.text);
                }
            }
        }
        for (const auto &[kind, lines] : shown)
            for (const auto &l : lines) std::cerr << kind << ": " << l << "\n";

        std::ostringstream report;
        write_report(report, samples.size(), rules.size(), enabled, kinds, by_kind, by_source, kind_sources);
        std::cout << report.str();
        if (o_.readme) return write_readme(*o_.readme, report.str());
        return 0;
    }

private:
    void write_report(std::ostream &out, size_t n_samples, size_t n_rules, const std::vector<std::string> &enabled,
                      const std::map<std::string, KindRules> &kinds,
                      const std::map<std::string, std::array<Counts, 2>> &by_kind,
                      const std::map<std::string, std::array<Counts, 2>> &by_source,
                      const std::map<std::string, std::set<std::string>> &kind_sources) const {
        const std::string title = o_.title.empty() ? o_.patterns.filename().string() : o_.title;
        out << "### " << title << "\n\n"
            << "Rule pack `" << o_.patterns.filename().string() << "`: " << n_rules << " rules, " << enabled.size()
            << " enabled. Corpus: " << n_samples << " samples in " << by_kind.size()
            << " kinds. Recall and false-positive (FP) rates are over samples (micro-averaged); "
               "\"FP, any rule\" counts a negative on which any rule fires, whatever its kind. Each figure at two "
               "thresholds: **any confidence** (the finding is recorded) and **≥ medium** (the default policy "
               "acts on it: `policy.min_confidence_delete` and `_notify` are `medium`; low-confidence findings "
               "are only recorded and alerted). The issue's targets are about what is acted on: the ≥ medium "
               "columns.\n\n";
        std::array<Counts, 2> total{};
        size_t kinds_without_rule = 0;
        std::map<std::string, size_t> rules_of_kind;
        for (const auto &[kind, counts] : by_kind) {
            size_t n = 0;
            if (const auto it = kinds.find(kind); it != kinds.end())
                for (const auto &r : enabled) n += it->second.covers(r) ? 1 : 0;
            rules_of_kind[kind] = n;
            kinds_without_rule += n == 0 ? 1 : 0;
            for (int split = 0; split < 2; ++split) total[split].add(counts[split]);
        }
        out << "| set | split | positives | recall, any | recall, ≥ medium | negatives | FP its kind, any | "
               "FP its kind, ≥ medium | FP any rule, any | FP any rule, ≥ medium |\n"
               "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        auto row = [&](const std::string &name, const char *split, const Counts &c) {
            out << "| " << name << " | " << split << " | " << c.positives;
            for (int t = 0; t < kThresholds; ++t) out << " | " << fraction(c.detected[t], c.positives);
            out << " | " << c.negatives;
            for (int t = 0; t < kThresholds; ++t) out << " | " << fraction(c.kind_fp[t], c.negatives);
            for (int t = 0; t < kThresholds; ++t) out << " | " << fraction(c.any_fp[t], c.negatives);
            out << " |\n";
        };
        for (int split = 0; split < 2; ++split) row("**all**", split ? "held-out" : "dev", total[split]);
        for (const auto &[source, counts] : by_source)
            for (int split = 0; split < 2; ++split) row(source, split ? "held-out" : "dev", counts[split]);
        out << "\n" << kinds_without_rule << " of " << by_kind.size()
            << " kinds have no enabled rule in this pack (their recall is 0).\n\n"
            << "<details><summary>Per kind</summary>\n\n"
            << "Each rate as *any confidence / ≥ medium*.\n\n"
            << "| kind | source | rules | dev pos | dev recall | dev neg | dev FP | held-out pos | held-out recall | "
               "held-out neg | held-out FP | FP, any rule (both) |\n"
               "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        for (const auto &[kind, c] : by_kind) {
            std::string sources;
            for (const auto &src : kind_sources.at(kind)) sources += (sources.empty() ? "" : ", ") + src;
            out << "| " << kind << " | " << sources << " | " << rules_of_kind[kind];
            auto pair = [](const std::array<size_t, kThresholds> &part, size_t whole) {
                return whole == 0 ? std::string("–") : fraction(part[0], whole) + " / " + fraction(part[1], whole);
            };
            for (int split = 0; split < 2; ++split)
                out << " | " << c[split].positives << " | " << pair(c[split].detected, c[split].positives) << " | "
                    << c[split].negatives << " | " << pair(c[split].kind_fp, c[split].negatives);
            std::array<size_t, kThresholds> any_fp{};
            for (int t = 0; t < kThresholds; ++t) any_fp[t] = c[0].any_fp[t] + c[1].any_fp[t];
            out << " | " << pair(any_fp, c[0].negatives + c[1].negatives) << " |\n";
        }
        out << "\n</details>\n";
    }

    static int write_readme(const fs::path &file, const std::string &report) {
        std::ifstream in(file);
        std::stringstream buf;
        buf << in.rdbuf();
        std::string text = buf.str();
        const size_t begin = text.find(kBegin);
        const size_t end = text.find(kEnd);
        if (begin == std::string::npos || end == std::string::npos || end < begin) {
            std::cerr << "detection_bench: " << file.string() << " has no " << kBegin << " ... " << kEnd << "\n";
            return 2;
        }
        const size_t from = begin + std::string(kBegin).size();
        text.replace(from, end - from, "\n" + report);
        std::ofstream(file) << text;
        std::cerr << "detection_bench: report written into " << file.string() << "\n";
        return 0;
    }

    Options o_;
    dlpd::PluginRegistry registry_;
};

}  // namespace

int main(int argc, char **argv) {
    Options o;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
                return argv[++i];
            };
            if (a == "--patterns") o.patterns = value();
            else if (a == "--kinds") o.kinds = value();
            else if (a == "--corpus") o.corpus = value();
            else if (a == "--plugin-dir") o.plugin_dirs.emplace_back(value());
            else if (a == "--title") o.title = value();
            else if (a == "--readme") o.readme = value();
            else if (a == "--show-dev") o.show_dev = std::stoul(value());
            else if (a == "--help" || a == "-h") {
                std::cout << kUsage;
                return 0;
            } else throw std::runtime_error("unknown option " + a);
        }
        return DetectionBench(std::move(o)).run();
    } catch (const dlpd::RulePackError &e) {
        for (const auto &p : e.problems()) std::cerr << "detection_bench: error: " << p << "\n";
        return 2;
    } catch (const std::exception &e) {
        std::cerr << "detection_bench: " << e.what() << "\n" << kUsage;
        return 2;
    }
}
