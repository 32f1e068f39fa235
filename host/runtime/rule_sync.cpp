#include "runtime/rule_sync.hpp"

#include "runtime/engine_setup.hpp"
#include "log.hpp"
#include "metrics/metrics.hpp"

#include <algorithm>
#include <unordered_set>

namespace dlpd {

RuleSync::RuleSync(Store &store, ScanEngine &engine, std::chrono::milliseconds poll_interval)
    : store_(store), engine_(engine), poll_(poll_interval) {}

RuleSync::~RuleSync() { stop(); }

std::shared_ptr<const ValueAllowlist> stored_allowlist(Store &store) {
    auto allowlist = std::make_shared<ValueAllowlist>();
    std::unordered_set<std::string> fingerprints;
    for (const auto &e : store.allowlist_entries()) fingerprints.insert(e.fingerprint);
    allowlist->add_fingerprints(store.fingerprint_key(), std::move(fingerprints));
    return allowlist;
}

void RuleSync::load_allowlist() {
    const int64_t revision = store_.allowlist_revision();
    auto allowlist = stored_allowlist(store_);
    const size_t n = allowlist->size();
    engine_.set_value_allowlist(std::move(allowlist));
    if (applied_allowlist_ != -1 || n != 0)
        log(LogLevel::info, "rules", "allowlist revision " + std::to_string(revision) + " is in force (" +
                                         std::to_string(n) + " value(s))");
    applied_allowlist_ = revision;
}

namespace {

struct RuleMetrics {
    metrics::Gauge &revision, &rules, &compiled_at, &compile_seconds;
    metrics::Counter &refused;
};

const RuleMetrics &rule_metrics() {
    auto &r = metrics::registry();
    static const RuleMetrics m{
        r.gauge("dlpd_rules_revision", "The store's rule revision whose rules are in force").only(),
        r.gauge("dlpd_rules_in_force", "Enabled rules in force").only(),
        r.gauge("dlpd_rules_last_compile_timestamp_seconds",
                "When the rules in force were compiled, in seconds since the Unix epoch")
            .only(),
        r.gauge("dlpd_rules_last_compile_duration_seconds", "Seconds the last compile of the rules in force took")
            .only(),
        r.counter("dlpd_rules_refused_total", "Rule revisions refused because they do not compile (previous kept)")
            .only()};
    return m;
}

}  // namespace

std::vector<RuleProblem> RuleSync::load_now() {
    load_allowlist();
    const int64_t revision = store_.rules_revision();
    const auto rules = store_.rules();
    const auto began = std::chrono::steady_clock::now();
    auto problems = engine_.set_rules(rules);
    applied_.store(revision);
    if (problems.empty()) {
        const RuleMetrics &m = rule_metrics();
        m.compile_seconds.set(std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
        m.compiled_at.set(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
        m.revision.set(static_cast<double>(revision));
        const auto enabled = std::count_if(rules.begin(), rules.end(), [](const Rule &r) { return r.enabled; });
        m.rules.set(static_cast<double>(enabled));
        in_force_.store(true);
        log(LogLevel::info, "rules", "rule revision " + std::to_string(revision) + " is in force");
    } else {
        rule_metrics().refused.inc();
        for (const auto &p : problems)
            log(LogLevel::error, "rules",
                "rule revision " + std::to_string(revision) + " refused, previous rules kept: " + describe(p));
    }
    return problems;
}

void RuleSync::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    mark_cycle();
    thread_ = std::thread([this] { run(); });
}

void RuleSync::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void RuleSync::notify() {
    {
        std::lock_guard lock(mutex_);
        poked_ = true;
    }
    cv_.notify_all();
}

void RuleSync::run() {
    bool store_down = false;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait_for(lock, poll_, [&] { return stopping_ || poked_; });
            if (stopping_) return;
            poked_ = false;
        }
        try {
            if (store_.rules_revision() != applied_.load()) load_now();
            else if (store_.allowlist_revision() != applied_allowlist_) load_allowlist();
            if (store_down) log(LogLevel::info, "rules", "the store answers again");
            store_down = false;
        } catch (const std::exception &e) {
            // Keep scanning with the rules in force; say so once per outage.
            if (!store_down) log(LogLevel::warning, "rules", std::string("cannot check for rule changes: ") + e.what());
            store_down = true;
        }
        mark_cycle();
    }
}

}  // namespace dlpd
