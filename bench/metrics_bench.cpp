// The cost of counting (host/metrics): nanoseconds per operation of what the
// Slack path does per event (a counter add, a gauge set, a histogram
// observation, a series looked up by label values), on 1 and on 2 threads
// counting into the same series, against one plain shared std::atomic add
// (what an unsharded counter would cost). See README.md.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "metrics/metrics.hpp"

namespace {

// Nanoseconds per call of op, each of `threads` threads calling it n times.
double ns_per_op(int threads, long n, const std::function<void(long)> &op) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            ready.fetch_add(1);
            while (!go.load()) {
            }
            for (long i = 0; i < n; ++i) op(i);
        });
    while (ready.load() < threads) {
    }
    const auto began = std::chrono::steady_clock::now();
    go.store(true);
    for (auto &t : pool) t.join();
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - began).count();
    return ns / static_cast<double>(n);  // per op of one thread: the time a caller waits
}

}  // namespace

int main() {
    using namespace dlpd::metrics;
    Registry r;
    auto &counter = r.counter("bench_total", "x").only();
    auto &gauge = r.gauge("bench_depth", "x").only();
    auto &histogram = r.histogram("bench_seconds", "x", latency_buckets()).only();
    auto &family = r.counter("bench_findings_total", "x", {"rule", "severity"});
    for (int i = 0; i < 300; ++i) family.with({"rule_" + std::to_string(i), "high"});  // the starter pack's size
    const std::string rule = "rule_150";
    alignas(64) std::atomic<uint64_t> plain{0};
    const long n = 20'000'000;
    std::printf("metrics_bench: ns per operation, per calling thread (%ld operations each)\n", n);
    std::printf("%-44s %10s %10s\n", "operation", "1 thread", "2 threads");
    const std::pair<const char *, std::function<void(long)>> ops[] = {
        {"std::atomic fetch_add, one shared (baseline)", [&](long) { plain.fetch_add(1, std::memory_order_relaxed); }},
        {"Counter::inc (sharded)", [&](long) { counter.inc(); }},
        {"Gauge::set", [&](long i) { gauge.set(static_cast<double>(i)); }},
        {"Histogram::observe", [&](long i) { histogram.observe(static_cast<double>(i & 1023) * 1e-4); }},
        {"Family::with({rule, severity}).inc()",
         [&](long) {
             family.with({rule, "high"}).inc();
         }},
        {"steady_clock::now (a latency's start)", [&](long) { (void)std::chrono::steady_clock::now(); }},
    };
    for (const auto &[name, op] : ops)
        std::printf("%-44s %10.1f %10.1f\n", name, ns_per_op(1, n / 4, op), ns_per_op(2, n / 4, op));
    std::printf("(counter %llu, plain %llu)\n", static_cast<unsigned long long>(counter.value()),
                static_cast<unsigned long long>(plain.load()));
    return 0;
}
