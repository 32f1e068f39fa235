#include "runtime/rule_sync.hpp"

#include "runtime/engine_setup.hpp"
#include "log.hpp"

namespace dlpd {

RuleSync::RuleSync(Store &store, ScanEngine &engine, std::chrono::milliseconds poll_interval)
    : store_(store), engine_(engine), poll_(poll_interval) {}

RuleSync::~RuleSync() { stop(); }

std::vector<RuleProblem> RuleSync::load_now() {
    const int64_t revision = store_.rules_revision();
    auto problems = engine_.set_rules(store_.rules());
    applied_.store(revision);
    if (problems.empty()) {
        log(LogLevel::info, "rules", "rule revision " + std::to_string(revision) + " is in force");
    } else {
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
            if (store_down) log(LogLevel::info, "rules", "the store answers again");
            store_down = false;
        } catch (const std::exception &e) {
            // Keep scanning with the rules in force; say so once per outage.
            if (!store_down) log(LogLevel::warning, "rules", std::string("cannot check for rule changes: ") + e.what());
            store_down = true;
        }
    }
}

}  // namespace dlpd
