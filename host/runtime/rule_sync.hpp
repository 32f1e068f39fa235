// Keeps a running engine's rules and value allowlist equal to the store's. A
// change made in this process is applied at once (notify()); a change made by
// another replica is noticed by polling the store's rule and allowlist
// revisions. Compiling happens on this
// object's thread, off the scanning threads, and the engine swaps the new set
// in atomically.
#ifndef DLPD_HOST_RUNTIME_RULE_SYNC_HPP
#define DLPD_HOST_RUNTIME_RULE_SYNC_HPP

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/scan_engine.hpp"
#include "store/store.hpp"

namespace dlpd {

// The store's allowlist, ready for ScanEngine::set_value_allowlist().
std::shared_ptr<const ValueAllowlist> stored_allowlist(Store &store);

class RuleSync {
public:
    RuleSync(Store &store, ScanEngine &engine, std::chrono::milliseconds poll_interval);
    ~RuleSync();
    RuleSync(const RuleSync &) = delete;
    RuleSync &operator=(const RuleSync &) = delete;

    // Loads the store's rules into the engine now, on the calling thread.
    // Returns the problems (the engine keeps its rules when there are any).
    std::vector<RuleProblem> load_now();

    void start();
    void stop();
    // The rules changed in this process: check without waiting for the poll.
    void notify();

    // The store revision whose rules the engine holds (or last refused).
    int64_t applied_revision() const { return applied_.load(); }
    // Whether a stored rule set compiled and is in force (readiness).
    bool rules_in_force() const { return in_force_.load(); }
    // When this object's thread last finished a look at the store (or
    // started): a watchdog's sign that the loop is not stuck.
    std::chrono::steady_clock::time_point last_cycle() const {
        return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(last_cycle_.load()));
    }

private:
    void run();

    Store &store_;
    ScanEngine &engine_;
    std::chrono::milliseconds poll_;
    std::atomic<int64_t> applied_{-1};
    std::atomic<bool> in_force_{false};
    std::atomic<std::chrono::steady_clock::rep> last_cycle_{0};
    void mark_cycle() { last_cycle_.store(std::chrono::steady_clock::now().time_since_epoch().count()); }
    int64_t applied_allowlist_ = -1;  // this object's thread, and load_now() before start()
    void load_allowlist();
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool poked_ = false;
    std::thread thread_;
};

}  // namespace dlpd

#endif
