// The regex detector plugin: rules are RE2 patterns, pushed by the host
// through dlpd.detector/1. The current rule set is an immutable snapshot
// swapped atomically, so a scan in flight finishes on the set it began with.
//
// A new rule set takes effect as soon as RE2 has compiled it (well under a
// second for thousands of rules). When Hyperscan is available, a worker
// thread then builds a Hyperscan prefilter for the same rules (seconds for
// thousands) and swaps it in beside them; until then the RE2::Set decides.
#include <dlpd/sdk.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "hyperscan_prefilter.hpp"
#include "rule_set.hpp"

namespace {

using dlpd::sdk::ConfigKey;

class RegexDetector final : public dlpd::sdk::Detector {
public:
    static constexpr dlpd::sdk::PluginInfo info{"org.dlpd.regex", "regex", "1.0.0",
                                                "RE2 pattern detector: all rules in one RE2::Set pass", "dlpd"};
    // Defaults chosen by measurement: see bench/README.md.
    static constexpr ConfigKey config_schema[] = {
        {DLPD_CONFIG_INTEGER, "max_mem_mb", "256",
         "Memory budget of the combined rule set (compiled program and DFA cache), in MiB", 0, 1, 65536},
        {DLPD_CONFIG_INTEGER, "rule_max_mem_mb", "8", "Memory budget of each rule's own matcher, in MiB", 0, 1,
         1024},
        {DLPD_CONFIG_INTEGER, "chunk_bytes", "4096",
         "Texts are matched in chunks of about this size, cut at line ends", 0, 256, 16777216},
        {DLPD_CONFIG_INTEGER, "max_match_bytes", "4096",
         "Longest match guaranteed to be found whole inside a line longer than chunk_bytes", 0, 16, 16777216},
        {DLPD_CONFIG_BOOLEAN, "simplify_set", "true",
         "Let the rule set scan simplified copies of rules (same rules fire, less DFA memory)"},
        {DLPD_CONFIG_STRING, "prefilter", "auto",
         "Which rules may match is found by: hyperscan (a Hyperscan database built in the background), none "
         "(RE2::Set only), or auto (both are timed on generated chat once the database is built, and the "
         "faster is kept)"},
        {DLPD_CONFIG_INTEGER, "slow_scan_warning_mb_per_s", "2",
         "Warn when sampled scanning runs slower than this many MB/s: the sign of a DFA cache too small for "
         "the rule set (0: never warn)",
         0, 0, 1000000000},
    };

    RegexDetector(const dlpd::sdk::Host &host, const dlpd::sdk::Config &config) : host_(host) {
        compile_.set_max_mem_bytes = config.integer("max_mem_mb", 256) << 20;
        compile_.rule_max_mem_bytes = config.integer("rule_max_mem_mb", 8) << 20;
        compile_.simplify_set_patterns = config.boolean("simplify_set", true);
        scan_.chunk_bytes = static_cast<uint64_t>(config.integer("chunk_bytes", 4096));
        scan_.max_match_bytes = static_cast<uint64_t>(config.integer("max_match_bytes", 4096));
        slow_mb_per_s_ = static_cast<uint64_t>(config.integer("slow_scan_warning_mb_per_s", 2));
        if (compile_.set_max_mem_bytes <= 0 || compile_.rule_max_mem_bytes <= 0 || scan_.chunk_bytes == 0)
            throw dlpd::sdk::Error(DLPD_ERR_CONFIG, "memory budgets and chunk_bytes must be positive");
        const std::string prefilter = config.string("prefilter", "auto");
        if (prefilter == "hyperscan" && !dlpd::regex::hyperscan_available())
            throw dlpd::sdk::Error(DLPD_ERR_CONFIG, "prefilter is hyperscan, but this build has no Hyperscan");
        if (prefilter != "auto" && prefilter != "hyperscan" && prefilter != "none")
            throw dlpd::sdk::Error(DLPD_ERR_CONFIG, "prefilter must be auto, hyperscan or none, not '" + prefilter + "'");
        prefilter_forced_ = prefilter == "hyperscan";
        if (prefilter != "none" && dlpd::regex::hyperscan_available())
            worker_ = std::thread([this] { build_prefilters(); });
    }

    ~RegexDetector() override {
        {
            std::lock_guard lock(jobs_mutex_);
            stopping_ = true;
        }
        jobs_cv_.notify_all();
        if (worker_.joinable()) worker_.join();
    }

    int32_t check_rule(const dlpd::sdk::Rule &rule, const dlpd::sdk::Emitter &diagnostics) override {
        auto problem =
            dlpd::regex::check_rule({std::string(rule.name), std::string(rule.pattern)}, compile_);
        if (!problem) return DLPD_OK;
        diagnostics.diagnostic(DLPD_LOG_ERROR, DLPD_ERR_BAD_RULE, rule.name, problem->message, problem->position);
        return DLPD_ERR_BAD_RULE;
    }

    int32_t set_rules(const std::vector<dlpd::sdk::Rule> &rules, const dlpd::sdk::Emitter &diagnostics) override {
        std::vector<dlpd::regex::RuleSource> sources;
        sources.reserve(rules.size());
        for (const auto &r : rules) sources.push_back({std::string(r.name), std::string(r.pattern)});
        std::vector<dlpd::regex::RuleProblem> problems;
        auto compiled = dlpd::regex::RuleSet::compile(sources, compile_, problems);
        if (!compiled) {
            for (const auto &p : problems)
                diagnostics.diagnostic(DLPD_LOG_ERROR, p.rule.empty() ? DLPD_ERR_LIMIT : DLPD_ERR_BAD_RULE, p.rule,
                                       p.message, p.position);
            return problems.size() == 1 && problems[0].rule.empty() ? DLPD_ERR_LIMIT : DLPD_ERR_BAD_RULE;
        }
        auto active = std::make_shared<Active>(Active{compiled, nullptr});
        current_.store(active);
        if (worker_.joinable() && !sources.empty()) {
            // Latest wins: a job still waiting is replaced, not queued.
            std::lock_guard lock(jobs_mutex_);
            job_ = Job{std::move(sources), std::move(compiled)};
            jobs_cv_.notify_all();
        }
        return DLPD_OK;
    }

    int32_t scan(const dlpd::sdk::Request &request, const dlpd::sdk::Emitter &out) override {
        std::shared_ptr<const Active> active = current_.load();
        if (!active || !active->rules) return DLPD_OK;
        const dlpd::regex::RuleSet &snapshot = *active->rules;
        Sink sink(snapshot, out);
        dlpd::regex::ScanStats stats;
        // Time a sample of scans (every large text, one small one in 256):
        // RE2::Set does not fail when its DFA cache is too small, it slows
        // down by orders of magnitude, and only the rate shows it.
        const bool sample = slow_mb_per_s_ > 0 && (request.data.size() >= kAlwaysSampleBytes || one_in_256(request));
        const uint64_t t0 = sample ? host_.monotonic_ns() : 0;
        const bool finished = snapshot.scan(request.data, scan_, sink, &stats, active->prefilter.get());
        if (sample) record_rate(request.data.size(), host_.monotonic_ns() - t0);
        if (stats.set_failures > 0) warn_dfa_exhausted();
        return finished ? DLPD_OK : DLPD_ERR_CANCELLED;
    }

private:
    // What scans use: the RE2 rules, and the prefilter built for exactly
    // them once it is ready.
    struct Active {
        std::shared_ptr<const dlpd::regex::RuleSet> rules;
        std::shared_ptr<const dlpd::regex::Prefilter> prefilter;
    };
    struct Job {
        std::vector<dlpd::regex::RuleSource> sources;
        std::shared_ptr<const dlpd::regex::RuleSet> rules;
    };

    // The worker: builds the prefilter for the latest rule set and publishes
    // it only if that rule set is still the current one.
    void build_prefilters() {
        for (;;) {
            Job job;
            {
                std::unique_lock lock(jobs_mutex_);
                jobs_cv_.wait(lock, [&] { return stopping_ || job_.has_value(); });
                if (stopping_) return;
                job = std::move(*job_);
                job_.reset();
            }
            dlpd::regex::PrefilterReport report;
            auto prefilter = dlpd::regex::build_hyperscan_prefilter(job.sources, compile_, report);
            std::string reasons;
            for (const auto &r : report.reasons) reasons += (reasons.empty() ? "" : "; ") + r;
            if (!prefilter) {
                host_.warning("no Hyperscan prefilter; the RE2::Set alone decides which rules fire (" + reasons + ")");
                continue;
            }
            // Neither engine wins everywhere: Hyperscan is several times
            // faster on keyword-anchored rules, RE2's DFA on rules with no
            // literal to anchor on (card and ID numbers in digit-heavy chat).
            // In auto mode, time both on a sample of generated chat and keep
            // the faster; the findings are the same either way.
            const Rates rates = measure(*job.rules, prefilter.get());
            const std::string measured = "measured on generated chat: Hyperscan " + rate_text(rates.with_prefilter) +
                                         ", RE2::Set " + rate_text(rates.set_only) + " messages/s";
            if (!prefilter_forced_ && rates.with_prefilter < rates.set_only) {
                host_.info("Hyperscan prefilter built but not used: " + measured +
                           " (set plugins.settings.regex.prefilter=hyperscan to use it anyway)");
                continue;
            }
            auto current = current_.load();
            if (!current || current->rules != job.rules) continue;  // superseded meanwhile
            auto next = std::make_shared<Active>(Active{job.rules, std::move(prefilter)});
            if (!current_.compare_exchange_strong(current, next)) continue;
            host_.info("Hyperscan prefilter ready: " + std::to_string(report.in_database) + " rules in the database, " +
                       std::to_string(report.with_re2) + " checked by RE2 alone" +
                       (reasons.empty() ? "" : " (" + reasons + ")") + "; built in " +
                       std::to_string(static_cast<int>(report.compile_seconds * 1000)) + " ms; " + measured);
        }
    }

    struct Rates {
        double set_only = 0;
        double with_prefilter = 0;
    };

    // Messages per second of both paths over a fixed sample, best of three.
    Rates measure(const dlpd::regex::RuleSet &rules, const dlpd::regex::Prefilter *prefilter) const {
        struct CountingSink final : dlpd::regex::MatchSink {
            uint64_t matches = 0;
            bool on_match(const dlpd::regex::Match &) override {
                ++matches;
                return true;
            }
        } sink;
        const auto &sample = calibration_sample();
        auto rate = [&](const dlpd::regex::Prefilter *p) {
            double best = 0;
            for (int round = 0; round < 3; ++round) {
                const uint64_t t0 = host_.monotonic_ns();
                for (const auto &message : sample) rules.scan(message, scan_, sink, nullptr, p);
                const uint64_t ns = host_.monotonic_ns() - t0;
                best = std::max(best, ns == 0 ? 0.0 : static_cast<double>(sample.size()) * 1e9 / static_cast<double>(ns));
            }
            return best;
        };
        rate(prefilter);  // warm both DFA caches before timing
        rate(nullptr);
        return Rates{rate(nullptr), rate(prefilter)};
    }

    static std::string rate_text(double per_second) {
        return std::to_string(static_cast<uint64_t>(per_second / 1000)) + "k";
    }

    // 2,000 chat-like messages from a fixed seed: common words, numbers of
    // the shapes chat is full of (order ids, times, versions, amounts), and
    // some identifiers. Nothing here is meant to match a rule.
    static const std::vector<std::string> &calibration_sample() {
        static const std::vector<std::string> sample = [] {
            static constexpr const char *words[] = {
                "the", "a", "to", "and", "is", "it", "we", "you", "for", "on", "that", "this", "with", "can",
                "deploy", "build", "ticket", "review", "please", "thanks", "meeting", "today", "tomorrow", "done",
                "ready", "check", "customer", "order", "invoice", "release", "branch", "merge", "logs", "error",
                "Hi", "ok", "lgtm", "ship", "it?", "update:", "fixed", "see", "link", "doc", "call", "lunch"};
            uint64_t state = 0x9E3779B97F4A7C15ull;
            auto next = [&state] {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                return state;
            };
            std::vector<std::string> out;
            for (int m = 0; m < 2000; ++m) {
                std::string line;
                while (line.size() < 90) {
                    const uint64_t r = next();
                    switch (r % 10) {
                    case 0: line += std::to_string(r % 1000000); break;                 // order id
                    case 1: line += std::to_string(r % 24) + ":" + std::to_string(10 + r % 50); break;
                    case 2: line += "v" + std::to_string(r % 5) + "." + std::to_string(r % 20); break;
                    case 3: line += "$" + std::to_string(r % 10000) + "." + std::to_string(10 + r % 90); break;
                    case 4: line += "PROJ-" + std::to_string(r % 9000); break;
                    default: line += words[r % (sizeof words / sizeof *words)];
                    }
                    line += ' ';
                }
                out.push_back(std::move(line));
            }
            return out;
        }();
        return sample;
    }

    class Sink final : public dlpd::regex::MatchSink {
    public:
        Sink(const dlpd::regex::RuleSet &set, const dlpd::sdk::Emitter &out) : set_(set), out_(out) {}
        bool on_match(const dlpd::regex::Match &m) override {
            return out_.finding(set_.name(m.rule_index), m.start, m.end, m.match_start, m.match_end) == DLPD_OK;
        }

    private:
        const dlpd::regex::RuleSet &set_;
        const dlpd::sdk::Emitter &out_;
    };

    // Picks about one small text in 256 without writing shared state (a
    // shared counter would bounce a cache line between scanning threads).
    static bool one_in_256(const dlpd::sdk::Request &r) {
        const uint64_t h = (reinterpret_cast<uintptr_t>(r.data.data()) ^ r.data.size()) * 0x9E3779B97F4A7C15ull;
        return (h >> 56) == 0;
    }

    // Accumulates sampled bytes and time; once a window is full, warns (at
    // most every five minutes) when the rate is below the configured floor.
    void record_rate(uint64_t bytes, uint64_t ns) {
        const uint64_t total = window_bytes_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
        const uint64_t total_ns = window_ns_.fetch_add(ns, std::memory_order_relaxed) + ns;
        if (total < kWindowBytes) return;
        window_bytes_.store(0, std::memory_order_relaxed);
        window_ns_.store(0, std::memory_order_relaxed);
        const double mb_per_s = total_ns == 0 ? 1e12 : static_cast<double>(total) * 1e3 / static_cast<double>(total_ns);
        if (mb_per_s >= static_cast<double>(slow_mb_per_s_)) return;
        const uint64_t now = host_.monotonic_ns();
        uint64_t last = last_warning_ns_.load();
        if (last != 0 && now - last < kWarningIntervalNs) return;
        if (!last_warning_ns_.compare_exchange_strong(last, now)) return;
        host_.warning("the rule set scans at " + std::to_string(static_cast<uint64_t>(mb_per_s)) +
                      " MB/s (sampled), below slow_scan_warning_mb_per_s=" + std::to_string(slow_mb_per_s_) +
                      "; the DFA cache is probably too small for these rules and is being rebuilt over and over. "
                      "Raise plugins.settings.regex.max_mem_mb (now " + std::to_string(compile_.set_max_mem_bytes >> 20) +
                      ") or simplify the largest rules.");
    }

    void warn_dfa_exhausted() {
        if (warned_.exchange(true)) return;
        host_.warning("the rule set's DFA ran out of memory and every rule was run on the affected text; "
                      "results are complete but slow. Raise plugins.settings.regex.max_mem_mb.");
    }

    static constexpr uint64_t kAlwaysSampleBytes = 256 * 1024;
    static constexpr uint64_t kWindowBytes = 4 * 1024 * 1024;
    static constexpr uint64_t kWarningIntervalNs = 300ull * 1000 * 1000 * 1000;

    dlpd::sdk::Host host_;
    uint64_t slow_mb_per_s_ = 2;
    std::atomic<uint64_t> window_bytes_{0};
    std::atomic<uint64_t> window_ns_{0};
    std::atomic<uint64_t> last_warning_ns_{0};
    dlpd::regex::CompileOptions compile_;
    dlpd::regex::ScanOptions scan_;
    bool prefilter_forced_ = false;
    std::atomic<std::shared_ptr<const Active>> current_;
    std::mutex jobs_mutex_;
    std::condition_variable jobs_cv_;
    std::optional<Job> job_;
    bool stopping_ = false;
    std::thread worker_;  // last member: started in the constructor, after everything it uses
    std::atomic<bool> warned_{false};
};

}  // namespace

DLPD_PLUGIN(RegexDetector)
